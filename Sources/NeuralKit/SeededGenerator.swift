/// The kit's random number generator: xoshiro256** seeded through SplitMix64.
///
/// Every random thing in NeuralKit (initialization, shuffling, toy data,
/// dropout) draws from one of these, so a seed gives the same numbers on
/// every platform and Swift version. Uniform and normal samples are computed
/// here with plain arithmetic (never the platform's `Double.random` or libm),
/// which is what makes them bit-identical on Linux and macOS.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool {
        a.state == b.state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform sample from [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform sample from [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// A sample from the normal distribution N(mean, standardDeviation²)
    /// (Marsaglia's polar method).
    public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        while true {
            let u = 2 * nextUnit() - 1
            let v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s > 0, s < 1 {
                return mean + standardDeviation * u * (-2 * PortableMath.log(s) / s).squareRoot()
            }
        }
    }

    /// A uniform integer in `0..<bound` (unbiased: Lemire's method with rejection).
    public mutating func nextInt(below bound: Int) -> Int {
        guard bound > 0 else {
            Problems.invalidShape("nextInt(below: \(bound)): the bound must be positive")
            return 0
        }
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A random permutation of `0..<count` (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<Swift.max(count, 0))
        shuffle(&order)
        return order
    }

    /// Shuffles `array` in place (Fisher–Yates), the same way on every platform.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }
}

extension Tensor {
    /// A tensor of samples from the uniform distribution on [low, high).
    public static func uniform(shape: [Int], low: Double, high: Double, using generator: inout SeededGenerator)
        -> Tensor
    {
        let count = elementCount(shape) ?? 0
        return Tensor(shape: shape, scalars: (0..<count).map { _ in generator.uniform(low, high) })
    }

    /// A tensor of samples from N(mean, standardDeviation²).
    public static func normal(
        shape: [Int], mean: Double = 0, standardDeviation: Double = 1,
        using generator: inout SeededGenerator
    ) -> Tensor {
        let count = elementCount(shape) ?? 0
        return Tensor(
            shape: shape,
            scalars: (0..<count).map { _ in
                generator.normal(mean: mean, standardDeviation: standardDeviation)
            })
    }
}

/// Functions computed with IEEE arithmetic alone, so that their results are
/// bit-identical on every platform (libm's differ in the last bit).
public enum PortableMath {
    /// The natural logarithm of a positive finite `x`, to about 1 ulp.
    ///
    /// `x = m · 2ᵉ` with `m` in [√½, √2), then
    /// `log x = e·ln 2 + 2·atanh(t)`, `t = (m − 1)/(m + 1)`, summed as a series in t².
    public static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == 0 ? -.infinity : x == .infinity ? .infinity : .nan }
        var m = x.significand // [1, 2)
        var e = Double(x.exponent)
        if m > 1.4142135623730951 {
            m /= 2
            e += 1
        }
        let t = (m - 1) / (m + 1)
        let t2 = t * t
        // 2·atanh(t) = 2t(1 + t²/3 + t⁴/5 + …); |t| ≤ 0.1716, so 11 terms reach 1e-17.
        var series = 0.0
        for k in stride(from: 21, through: 3, by: -2) { series = (series + 1 / Double(k)) * t2 }
        let logM = 2 * t * (1 + series)
        let ln2High = 0.6931471803691238
        let ln2Low = 1.9082149292705877e-10
        return e * ln2High + (logM + e * ln2Low)
    }

    /// sin x for moderate |x| (a few thousand radians at most), to about 1 ulp.
    public static func sin(_ x: Double) -> Double {
        guard x.isFinite else { return .nan }
        let (r, quadrant) = reduce(x)
        switch quadrant {
        case 0: return sinSeries(r)
        case 1: return cosSeries(r)
        case 2: return -sinSeries(r)
        default: return -cosSeries(r)
        }
    }

    /// cos x for moderate |x|, to about 1 ulp.
    public static func cos(_ x: Double) -> Double { sinShifted(x) }

    private static func sinShifted(_ x: Double) -> Double {
        guard x.isFinite else { return .nan }
        let (r, quadrant) = reduce(x)
        switch quadrant {
        case 0: return cosSeries(r)
        case 1: return -sinSeries(r)
        case 2: return -cosSeries(r)
        default: return sinSeries(r)
        }
    }

    /// x = r + k·π/2 with |r| ≤ π/4; returns r and k mod 4 (Cody–Waite, π/2 in three parts:
    /// fdlibm's pio2_1, pio2_2 and pio2_2t; the first two have 33 bits, so k·part is exact).
    private static func reduce(_ x: Double) -> (Double, Int) {
        let k = (x * 0.6366197723675814).rounded()
        let r = ((x - k * 1.5707963267341256) - k * 6.077100506303966e-11) - k * 2.0222662487959506e-21
        let quadrant = Int(k.truncatingRemainder(dividingBy: 4))
        return (r, (quadrant + 4) % 4)
    }

    // The Taylor series in Horner form, smallest terms first, and the leading
    // term added last: that keeps the rounding error within 1 ulp.

    /// sin r = r + r·p, p = −r²/(2·3)·(1 − r²/(4·5)·(1 − …)).
    private static func sinSeries(_ r: Double) -> Double {
        let r2 = r * r
        var p = 0.0
        for n in stride(from: 22, through: 2, by: -2) { p = -r2 / Double(n * (n + 1)) * (1 + p) }
        return r + r * p
    }

    /// cos r = 1 + p, p = −r²/(1·2)·(1 − r²/(3·4)·(1 − …)).
    private static func cosSeries(_ r: Double) -> Double {
        let r2 = r * r
        var p = 0.0
        for n in stride(from: 21, through: 1, by: -2) { p = -r2 / Double(n * (n + 1)) * (1 + p) }
        return 1 + p
    }
}
