import NeuralKit
import Testing

@Suite("SeededGenerator")
struct SeededGeneratorTests {
    // Golden values: they pin the sequence, so that a platform difference or an
    // accidental change to the generator shows here first. All of them were
    // checked against an independent xoshiro256** / SplitMix64 implementation
    // (in Python); its normal samples, computed with libm's log instead of
    // PortableMath.log, agree to 1 ulp.

    @Test("seed 42 gives the golden xoshiro256** outputs")
    func goldenBits() {
        var g = SeededGenerator(seed: 42)
        #expect(
            (0..<4).map { _ in g.next() }
                == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1])
        var zero = SeededGenerator(seed: 0)
        #expect([zero.next(), zero.next()] == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A])
    }

    @Test("seed 42 gives the golden uniform, normal, integer samples and permutation")
    func goldenSamples() {
        var g = SeededGenerator(seed: 42)
        #expect((0..<3).map { _ in g.nextUnit() } == [0.08386297105988216, 0.3789802506626686, 0.6800434110281394])
        var n = SeededGenerator(seed: 42)
        #expect((0..<3).map { _ in n.normal() } == [-0.7262191382447857, 0.22162270150359337, 0.46417731016247366])
        var p = SeededGenerator(seed: 42)
        #expect(p.permutation(10) == [9, 1, 4, 2, 8, 7, 6, 5, 3, 0])
        var i = SeededGenerator(seed: 42)
        #expect((0..<8).map { _ in i.nextInt(below: 10) } == [0, 3, 6, 9, 9, 7, 7, 8])
    }

    @Test("the same seed gives the same sequence; another seed another one")
    func deterministic() {
        var a = SeededGenerator(seed: 7)
        var b = SeededGenerator(seed: 7)
        var c = SeededGenerator(seed: 8)
        #expect(a == b && a != c)
        let x = (0..<5).map { _ in a.next() }
        #expect(x == (0..<5).map { _ in b.next() })
        #expect(x != (0..<5).map { _ in c.next() })
        #expect(a == b)
    }

    @Test("uniform samples stay in [low, high) and cover it")
    func uniformInRange() {
        var g = SeededGenerator(seed: 1)
        let samples = (0..<20_000).map { _ in g.uniform(-2, 3) }
        #expect(samples.allSatisfy { $0 >= -2 && $0 < 3 })
        #expect(samples.min()! < -1.99 && samples.max()! > 2.99)
        #expect(abs(samples.reduce(0, +) / 20_000 - 0.5) < 0.05)
        let units = (0..<20_000).map { _ in g.nextUnit() }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
        let t = Tensor.uniform(shape: [3, 4], low: 5, high: 6, using: &g)
        #expect(t.shape == [3, 4] && t.scalars.allSatisfy { $0 >= 5 && $0 < 6 })
    }

    @Test("normal samples have the asked mean and variance")
    func normalMoments() {
        var g = SeededGenerator(seed: 2)
        let n = 100_000
        for (mean, sd) in [(0.0, 1.0), (3.0, 2.0), (-1.0, 0.1)] {
            let x = (0..<n).map { _ in g.normal(mean: mean, standardDeviation: sd) }
            let m = x.reduce(0, +) / Double(n)
            let variance = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
            // Standard errors: sd/√n ≈ 0.003·sd for the mean, about 0.0045·sd² for the variance.
            #expect(abs(m - mean) < 0.02 * sd)
            #expect(abs(variance / (sd * sd) - 1) < 0.03)
            // About 68% within one standard deviation.
            let within = Double(x.filter { abs($0 - mean) < sd }.count) / Double(n)
            #expect(abs(within - 0.6827) < 0.01)
        }
        let t = Tensor.normal(shape: [2, 5], mean: 1, standardDeviation: 0, using: &g)
        #expect(t.shape == [2, 5] && t.scalars.allSatisfy { $0 == 1 })
    }

    @Test("nextInt(below:) stays in 0..<bound", arguments: [1, 2, 3, 7, 10, 1000, Int.max])
    func nextIntInRange(bound: Int) {
        var g = SeededGenerator(seed: UInt64(bound % 1000))
        for _ in 0..<2000 {
            let value = g.nextInt(below: bound)
            #expect(value >= 0 && value < bound)
        }
    }

    @Test("nextInt(below:) draws every value about equally often")
    func nextIntUniform() {
        var g = SeededGenerator(seed: 3)
        var counts = [Int](repeating: 0, count: 6)
        let n = 60_000
        for _ in 0..<n { counts[g.nextInt(below: 6)] += 1 }
        // χ² with 5 degrees of freedom: 20.5 is its 99.9% quantile.
        let expected = Double(n) / 6
        let chiSquare = counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chiSquare < 20.5, "counts \(counts)")
    }

    @Test("nextInt(below:) is unbiased even for a bound near 2⁶⁴ (where a plain modulo is not)")
    func nextIntLargeBound() {
        // bound = 3·2⁶¹: `next() % bound` would put 37.5% of draws in the lower third.
        let bound = 3 << 61
        var g = SeededGenerator(seed: 4)
        let n = 20_000
        let lowerThird = (0..<n).filter { _ in g.nextInt(below: bound) < bound / 3 }.count
        #expect(abs(Double(lowerThird) / Double(n) - 1.0 / 3) < 0.015)
    }

    @Test("nextInt(below:) with a bound that is not positive is a problem, not a crash", arguments: [0, -5])
    func nextIntBadBound(bound: Int) {
        var g = SeededGenerator(seed: 1)
        let (value, messages) = recordingProblems { g.nextInt(below: bound) }
        #expect(value == 0)
        #expect(messages == ["nextInt(below: \(bound)): the bound must be positive"])
    }

    @Test("permutation(n) contains each of 0..<n exactly once", arguments: [0, 1, 2, 10, 1000])
    func permutationIsPermutation(n: Int) {
        var g = SeededGenerator(seed: 5)
        let p = g.permutation(n)
        #expect(p.sorted() == Array(0..<n))
        if n >= 10 { #expect(p != Array(0..<n)) }
        #expect(g.permutation(-3) == [])
    }

    @Test("every position of a permutation is equally likely to hold each value")
    func permutationUniform() {
        var g = SeededGenerator(seed: 6)
        var firstCounts = [Int](repeating: 0, count: 4)
        for _ in 0..<8000 { firstCounts[g.permutation(4)[0]] += 1 }
        #expect(firstCounts.allSatisfy { abs($0 - 2000) < 200 }, "\(firstCounts)")
    }

    @Test("shuffle is deterministic for a seed and keeps the elements")
    func shuffleDeterministic() {
        var a = SeededGenerator(seed: 11)
        var b = SeededGenerator(seed: 11)
        var x = Array("abcdefghij")
        var y = Array("abcdefghij")
        a.shuffle(&x)
        b.shuffle(&y)
        #expect(x == y && x.sorted() == Array("abcdefghij") && x != Array("abcdefghij"))
        var empty = [Int]()
        var one = [1]
        a.shuffle(&empty)
        a.shuffle(&one)
        #expect(empty == [] && one == [1])
    }
}
