/// How far apart two numbers may be and still count as equal:
/// `|actual − expected| ≤ absolute + relative · |expected|`.
///
/// Checks use tolerances, never exact equality, so that a correct
/// implementation that sums in another order still passes.
public struct Tolerance: Sendable {
    public var absolute: Double
    public var relative: Double

    public init(absolute: Double = 1e-6, relative: Double = 1e-6) {
        self.absolute = absolute
        self.relative = relative
    }

    /// For results computed the same way up to summation order.
    public static let tight = Tolerance(absolute: 1e-9, relative: 1e-7)
    /// For analytic gradients compared with finite differences.
    public static let gradient = Tolerance(absolute: 1e-6, relative: 1e-4)

    public func accepts(_ actual: Double, _ expected: Double) -> Bool {
        if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
        if actual.isInfinite || expected.isInfinite { return actual == expected }
        return Swift.abs(actual - expected) <= absolute + relative * Swift.abs(expected)
    }
}

/// Explains how `actual` differs from `expected`, or returns nil when they
/// agree within `tolerance`.
///
/// The explanation names what a learner can act on: a shape that is the
/// transpose of the expected one, a NaN or an infinity and where it is, or
/// the worst element with both values, and how many elements are off.
public func mismatch(
    _ actual: Tensor, _ expected: Tensor, tolerance: Tolerance = Tolerance(),
    name: String = "result"
) -> String? {
    if actual.shape != expected.shape {
        var text = "\(name) has shape \(actual.shape), expected \(expected.shape)"
        if actual.shape == expected.shape.reversed(), actual.rank == 2 {
            text += ": is a transpose swapped?"
        } else if actual.count == expected.count {
            text += " (same number of values: is it reshaped or transposed?)"
        } else if expected.rank == actual.rank + 1 || actual.rank == expected.rank + 1 {
            text += ": a dimension is missing or extra (a sum over the batch, or one too few?)"
        }
        return text
    }
    var worst = -1
    var worstExcess = 0.0
    var wrong = 0
    for i in 0..<expected.count {
        let a = actual.scalars[i]
        let e = expected.scalars[i]
        if tolerance.accepts(a, e) { continue }
        wrong += 1
        if a.isNaN || a.isInfinite {
            return "\(name) has \(a) at \(index(of: i, in: expected.shape)) where \(describe(e)) was expected: "
                + "look for a division by zero, log(0) or exp of a large number"
        }
        // NaN when `e` is infinite or NaN and `a` finite: count it as the worst.
        let ratio = Swift.abs(a - e) / (tolerance.absolute + tolerance.relative * Swift.abs(e))
        let excess = ratio.isNaN ? .infinity : ratio
        if worst < 0 || excess > worstExcess {
            worstExcess = excess
            worst = i
        }
    }
    guard wrong > 0, worst >= 0 else { return nil }
    let a = actual.scalars[worst]
    let e = expected.scalars[worst]
    var text = "\(name) differs at \(index(of: worst, in: expected.shape)): got \(describe(a)), expected \(describe(e))"
    text += " (\(wrong) of \(expected.count) values are off"
    text += wrong > 1 ? "; this is the largest difference)" : ")"
    if actual.scalars.allSatisfy({ $0 == 0 }) {
        text += "; every value is 0: is the result computed and returned?"
    } else if Tolerance(absolute: tolerance.absolute * 10, relative: tolerance.relative * 10)
        .accepts(-a, e), wrong == expected.count
    {
        text += "; the signs are flipped"
    }
    return text
}

/// Explains how two numbers differ, or nil when they agree within `tolerance`.
public func mismatch(
    _ actual: Double, _ expected: Double, tolerance: Tolerance = Tolerance(),
    name: String = "result"
) -> String? {
    if tolerance.accepts(actual, expected) { return nil }
    if actual.isNaN || actual.isInfinite {
        return
            "\(name) is \(actual), expected \(describe(expected)): look for a division by zero, log(0) or exp of a large number"
    }
    return "\(name) is \(describe(actual)), expected \(describe(expected))"
}

/// `[i, j, …]` for a flat row-major offset.
func index(of offset: Int, in shape: [Int]) -> String {
    var remainder = offset
    var indices = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        indices[d] = remainder % shape[d]
        remainder /= shape[d]
    }
    return "[" + indices.map(String.init).joined(separator: ", ") + "]"
}

/// A number with up to 6 significant digits.
public func describe(_ x: Double) -> String {
    if x == 0 { return "0" }
    if x.isNaN || x.isInfinite { return "\(x)" }
    let magnitude = Swift.abs(x)
    if magnitude >= 1e-4, magnitude < 1e6 {
        let digits = Swift.max(0, 5 - Int(log10Floor(magnitude)))
        let scale = pow10(digits)
        var text = "\((x * scale).rounded() / scale)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
    return "\(x)"
}

private func log10Floor(_ x: Double) -> Double {
    var p = 0.0
    var v = x
    while v >= 10 {
        v /= 10
        p += 1
    }
    while v < 1 {
        v *= 10
        p -= 1
    }
    return p
}

private func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 10 } }
