import Exercises
import Foundation
import NeuralKit
import Solutions
import Testing

// Random weights can't be compared with the reference value by value: a
// correct solution may draw in another order or use another normal sampler.
// The checks are statistical instead (shape, mean, variance, the shape of
// the distribution), with tolerances of 5 standard errors computed from the
// number of values drawn, plus determinism: everything must come from the
// generator passed in.

/// Stage 3: Xavier and He initialization, and a dense layer built with them.
@Suite("Stage 3 · Initialization")
struct Stage03Initialization {
    /// Non-square layers, large enough that a wrong fan or a wrong constant
    /// shows beyond the sampling noise (784 × 100: ±2.5% on the variance).
    static let layers = [Stage03Fans(784, 100), Stage03Fans(100, 10), Stage03Fans(20, 300)]
    /// For the checks on the generator.
    let small = Stage03Fans(100, 10)

    // MARK: Shape

    @Test("xavierUniform and heNormal give a weight of shape [inputs, outputs]", arguments: layers)
    func weightShape(fans: Stage03Fans) throws {
        var generator = testGenerator(seed: 1)
        let (xavier, he) = try student(3) {
            (
                Exercises.xavierUniform(inputs: fans.inputs, outputs: fans.outputs, using: &generator),
                Exercises.heNormal(inputs: fans.inputs, outputs: fans.outputs, using: &generator)
            )
        }
        checkShape(xavier, "xavierUniform", fans)
        checkShape(he, "heNormal", fans)
    }

    // MARK: Xavier

    @Test("xavierUniform has mean 0 and variance 2 / (fanIn + fanOut)", arguments: layers, seeds)
    func xavierMoments(fans: Stage03Fans, seed: UInt64) throws {
        var generator = testGenerator(seed: seed)
        let w = try student(3) {
            Exercises.xavierUniform(inputs: fans.inputs, outputs: fans.outputs, using: &generator)
        }
        guard checkShape(w, "xavierUniform", fans) else { return }
        checkMoments(
            w, "xavierUniform", fans, expected: fans.xavierVariance, formula: "2 / (fanIn + fanOut)",
            kurtosis: uniformKurtosis, mistakes: xavierMistakes(fans))
    }

    @Test("xavierUniform stays inside (−a, a) and fills it evenly", arguments: layers)
    func xavierIsUniform(fans: Stage03Fans) throws {
        var generator = testGenerator(seed: 4)
        let w = try student(3) {
            Exercises.xavierUniform(inputs: fans.inputs, outputs: fans.outputs, using: &generator)
        }
        guard checkShape(w, "xavierUniform", fans) else { return }
        guard checkNotConstant(w, "xavierUniform", fans) else { return }
        let a = fans.xavierLimit
        let outside = w.scalars.filter { abs($0) > a * (1 + 1e-12) }
        check(
            outside.isEmpty,
            "xavierUniform\(fans.call): \(outside.count) of \(w.count) values lie outside (−a, a) = "
                + "(−\(describe(a)), \(describe(a))), the largest |w| is \(describe(w.scalars.map(abs).max() ?? 0)). "
                + "Check the limit a = √(6 / (fanIn + fanOut)), and that the values are drawn uniformly "
                + "(a normal draw has no bounds)")
        // For U(−a, a), half the values lie in the middle half (−a/2, a/2). The
        // limit is estimated from the values (a = √3 · std), so that this checks
        // the shape of the distribution whatever its scale.
        let std = Statistics(w).variance.squareRoot()
        let middle = fraction(of: w, within: 3.squareRoot() / 2 * std)
        let tolerance = 5 * (0.25 / Double(w.count)).squareRoot()
        check(
            abs(middle - 0.5) <= tolerance,
            "xavierUniform\(fans.call): \(percent(middle)) of the values lie in the middle half of their range, "
                + "expected 50% ± \(percent(tolerance)) for a uniform draw"
                + (abs(middle - 0.6135) <= tolerance
                    ? " (a normal draw gives 61%: is it drawn from N(0, σ²) "
                        + "instead of U(−a, a) with `Tensor.uniform`?)" : ""))
    }

    // MARK: He

    @Test("heNormal has mean 0 and variance 2 / fanIn", arguments: layers, seeds)
    func heMoments(fans: Stage03Fans, seed: UInt64) throws {
        var generator = testGenerator(seed: seed)
        let w = try student(3) { Exercises.heNormal(inputs: fans.inputs, outputs: fans.outputs, using: &generator) }
        guard checkShape(w, "heNormal", fans) else { return }
        checkMoments(
            w, "heNormal", fans, expected: fans.heVariance, formula: "2 / fanIn",
            kurtosis: normalKurtosis, mistakes: heMistakes(fans))
    }

    @Test(
        "heNormal is bell-shaped: 68% of the values within one standard deviation, 95% within two",
        arguments: layers)
    func heIsNormal(fans: Stage03Fans) throws {
        var generator = testGenerator(seed: 5)
        let w = try student(3) { Exercises.heNormal(inputs: fans.inputs, outputs: fans.outputs, using: &generator) }
        guard checkShape(w, "heNormal", fans) else { return }
        guard checkNotConstant(w, "heNormal", fans) else { return }
        // σ is measured from the values, so that this checks the shape of the
        // distribution whatever its scale; the variance is checked on its own.
        let std = Statistics(w).variance.squareRoot()
        for (k, expected, uniform) in [(1.0, 0.6826894921370859, 0.5773502691896258), (2.0, 0.9544997361036416, 1.0)] {
            let measured = fraction(of: w, within: k * std)
            let tolerance = 5 * (expected * (1 - expected) / Double(w.count)).squareRoot()
            check(
                abs(measured - expected) <= tolerance,
                "heNormal\(fans.call): \(percent(measured)) of the values lie within \(Int(k)) standard "
                    + "deviation\(k > 1 ? "s" : "") of 0, expected \(percent(expected)) ± \(percent(tolerance)) "
                    + "for a normal draw"
                    + (abs(measured - uniform) <= tolerance
                        ? " (a uniform draw gives \(percent(uniform)): is it drawn "
                            + "from U(−a, a) instead of N(0, 2 / fanIn) with `Tensor.normal`?)" : ""))
        }
    }

    // MARK: Worked example

    @Test("a 784 × 100 layer: Xavier's limit is √(6/884) ≈ 0.08239, He's σ is √(2/784) ≈ 0.0505")
    func workedExample() throws {
        // The numbers of docs/03-initialization.md.
        let fans = Stage03Fans(784, 100)
        expectClose(fans.xavierLimit, 0.08239, "a = √(6 / 884)", tolerance: Tolerance(absolute: 5e-6, relative: 0))
        expectClose(
            fans.xavierVariance, 0.002262, "a² / 3 = 2 / 884", tolerance: Tolerance(absolute: 5e-7, relative: 0))
        expectClose(
            fans.heVariance.squareRoot(), 0.05051, "σ = √(2 / 784)", tolerance: Tolerance(absolute: 5e-6, relative: 0))
        var generator = testGenerator(seed: 6)
        let (xavier, he) = try student(3) {
            (
                Exercises.xavierUniform(inputs: 784, outputs: 100, using: &generator),
                Exercises.heNormal(inputs: 784, outputs: 100, using: &generator)
            )
        }
        guard checkShape(xavier, "xavierUniform", fans) && checkShape(he, "heNormal", fans) else { return }
        // 78,400 uniform values: the largest |w| is within 0.1% of a (the
        // chance that it is not is 0.999^78400 ≈ 1e-34).
        let largest = xavier.scalars.map(abs).max() ?? 0
        check(
            largest <= 0.08239 * (1 + 1e-4) && largest >= 0.0823,
            "xavierUniform(inputs: 784, outputs: 100): the largest |w| is \(describe(largest)), "
                + "expected just below a = √(6 / 884) ≈ 0.08239")
        let sigma = Statistics(he).variance.squareRoot()
        check(
            abs(sigma - 0.05051) <= 0.0007,
            "heNormal(inputs: 784, outputs: 100): the weights' standard deviation is \(describe(sigma)), "
                + "expected √(2 / 784) ≈ 0.0505")
    }

    // MARK: The generator

    @Test("the same seed gives the same weights")
    func sameSeedSameWeights() throws {
        for function in Drawn.all {
            var first = testGenerator(seed: 7)
            var second = testGenerator(seed: 7)
            let (a, b) = try student(3) { (function.draw(small, &first), function.draw(small, &second)) }
            check(
                a == b,
                "\(function.name) gave different weights for the same seed: every random number must come "
                    + "from the `generator` passed in (not `Double.random`, `Float.random` or the system generator), "
                    + "so that a seed gives the same network every time")
        }
    }

    @Test("different seeds give different weights")
    func differentSeedsDifferentWeights() throws {
        for function in Drawn.all {
            var first = testGenerator(seed: 8)
            var second = testGenerator(seed: 9)
            let (a, b) = try student(3) { (function.draw(small, &first), function.draw(small, &second)) }
            guard checkNotConstant(a, function.name, small) else { continue }
            check(
                sharedValues(a, b) < a.count / 2,
                "\(function.name) gave the same weights for two different seeds (\(sharedValues(a, b)) of "
                    + "\(a.count) values equal): it must draw from the `generator` passed in, not from a "
                    + "`SeededGenerator(seed: ...)` of its own")
        }
    }

    @Test("two weights drawn one after the other from one generator differ, and the generator moves on")
    func drawsAdvanceTheGenerator() throws {
        for function in Drawn.all {
            var generator = testGenerator(seed: 10)
            let before = generator
            let (a, b) = try student(3) { (function.draw(small, &generator), function.draw(small, &generator)) }
            guard checkNotConstant(a, function.name, small) else { continue }
            check(
                generator != before,
                "\(function.name) did not advance the generator passed in: draw with `using: &generator` "
                    + "(the `&` hands over the caller's generator itself, not a copy)")
            check(
                sharedValues(a, b) < a.count / 2,
                "two weights drawn one after the other from the same generator by \(function.name) are equal "
                    + "(\(sharedValues(a, b)) of \(a.count) values): every layer of a network would start the same. "
                    + "Draw from the `generator` passed in, not from a new SeededGenerator or a copy")
        }
    }

    // MARK: Symmetry

    @Test("no two units start equal: the columns of the weight all differ", arguments: layers)
    func symmetryIsBroken(fans: Stage03Fans) throws {
        var generator = testGenerator(seed: 11)
        for function in Drawn.all {
            let w = try student(3) { function.draw(fans, &generator) }
            guard checkShape(w, function.name, fans) else { continue }
            guard checkNotConstant(w, function.name, fans) else { continue }
            if let (j, k) = equalColumns(w) {
                Issue.record(
                    Comment(
                        rawValue:
                            "\(function.name)\(fans.call): columns \(j) and \(k) are equal, so output units \(j) and \(k) "
                            + "compute the same thing and get the same gradient forever. Draw every weight independently"
                    ))
            }
            if let (i, k) = equalColumns(w.transposed()) {
                Issue.record(
                    Comment(
                        rawValue:
                            "\(function.name)\(fans.call): rows \(i) and \(k) are equal: inputs \(i) and \(k) get the same "
                            + "weights to every unit. Draw every weight independently"))
            }
        }
    }

    // MARK: Dense

    @Test(
        "Dense(inputs:outputs:initialization:using:) draws the weight with the chosen scheme and zero biases",
        arguments: [Exercises.Initialization.xavierUniform, .heNormal], [Stage03Fans(784, 100), Stage03Fans(20, 300)])
    func denseInitialization(scheme: Exercises.Initialization, fans: Stage03Fans) throws {
        var generator = testGenerator(seed: 12)
        let (weight, bias) = try student(3) { () -> (Tensor, Tensor) in
            let layer = Exercises.Dense(
                inputs: fans.inputs, outputs: fans.outputs, initialization: scheme,
                using: &generator)
            return (layer.weight.value, layer.bias.value)
        }
        let name = "Dense(inputs: \(fans.inputs), outputs: \(fans.outputs), initialization: .\(scheme))"
        guard checkShape(weight, "\(name).weight", fans, call: "") else { return }
        check(
            bias.shape == [fans.outputs],
            "\(name).bias has shape \(bias.shape), expected [\(fans.outputs)]: one bias for each output")
        let nonzero = bias.scalars.filter { $0 != 0 }
        check(
            nonzero.isEmpty,
            "\(name): \(nonzero.count) biases are not 0 (e.g. \(describe(nonzero.first ?? 0))): biases start at "
                + "zero, the random weights already break the symmetry (`Tensor(zeros: [outputs])`)")
        switch scheme {
        case .xavierUniform:
            checkMoments(
                weight, "\(name).weight", fans, call: "", expected: fans.xavierVariance,
                formula: "2 / (fanIn + fanOut)", kurtosis: uniformKurtosis,
                mistakes: [
                    LikelyMistake(
                        fans.heVariance,
                        hint: "2 / fanIn: is it drawn by heNormal (the switch "
                            + "calls the wrong function?) or is xavierUniform's limit √(6 / fanIn)?")
                ]
                    + xavierMistakes(fans))
        case .heNormal:
            checkMoments(
                weight, "\(name).weight", fans, call: "", expected: fans.heVariance, formula: "2 / fanIn",
                kurtosis: normalKurtosis,
                mistakes: [
                    LikelyMistake(
                        fans.xavierVariance,
                        hint: "2 / (fanIn + fanOut): is it drawn by "
                            + "xavierUniform (the switch calls the wrong function?) or does heNormal divide by "
                            + "fanIn + fanOut?")
                ] + heMistakes(fans))
        }
    }

    @Test(
        "Dense(inputs:outputs:initialization:using:) draws from the generator passed in",
        arguments: [Exercises.Initialization.xavierUniform, .heNormal])
    func denseUsesTheGenerator(scheme: Exercises.Initialization) throws {
        var generator = testGenerator(seed: 13)
        var other = testGenerator(seed: 14)
        let (first, second, third) = try student(3) { () -> (Tensor, Tensor, Tensor) in
            let make = { (g: inout SeededGenerator) in
                Exercises.Dense(inputs: 100, outputs: 10, initialization: scheme, using: &g).weight.value
            }
            return (make(&generator), make(&generator), make(&other))
        }
        let name = "Dense(inputs: 100, outputs: 10, initialization: .\(scheme)).weight"
        guard checkNotConstant(first, name, Stage03Fans(100, 10), call: "") else { return }
        check(
            sharedValues(first, second) < first.count / 2,
            "two Dense layers built one after the other from the same generator have the same weights: "
                + "pass the `generator` on to the initialization function with `using: &generator`")
        check(
            sharedValues(first, third) < first.count / 2,
            "two Dense layers built from generators with different seeds have the same weights: "
                + "draw from the `generator` passed in")
    }

    // MARK: Why it matters

    @Test("He keeps the activations' scale through 10 ReLU layers")
    func signalThroughDeepReLUNetwork() throws {
        // A batch of 200 inputs from N(0, 1) (std 1) through 10 layers of 100
        // ReLU units, no biases. With your heNormal, drawn from the grading
        // generator: one network ends anywhere between about 0.45 and 1.4, so
        // this takes the geometric mean of 4 networks, which any correct
        // N(0, 2 / fanIn) keeps between 0.3 and 2 (the median is about 0.8).
        var generator = testGenerator(seed: 15)
        let studentStds = try student(3) {
            (0..<4).map { _ in
                deepReLUActivationStd(using: &generator) { Exercises.heNormal(inputs: $0, outputs: $1, using: &$2) }
            }
        }
        let studentStd = exp(studentStds.map { log($0) }.reduce(0, +) / Double(studentStds.count))
        logComparison(
            "std of the activations after 10 ReLU layers (geometric mean of 4 networks)", short(studentStd),
            "between 0.3 and 2 (about 0.8)", passed: studentStd >= 0.3 && studentStd <= 2)
        check(
            studentStd >= 0.3 && studentStd <= 2,
            "with your heNormal, the activations' standard deviation after 10 ReLU layers is \(short(studentStd)) "
                + "(the geometric mean of 4 networks; the input's is 1), where N(0, 2 / fanIn) keeps it near 0.8. "
                + (studentStd == 0
                    ? "Every activation is 0: are the weights all 0?"
                    : studentStd < 0.3
                        ? "The signal shrinks at every layer: the weights' variance is too small"
                        : "The signal grows at every layer: the weights' variance is too large"))
    }
}

// MARK: - Helpers

/// A layer's fan-in and fan-out.
struct Stage03Fans: CustomTestStringConvertible, Sendable {
    let inputs: Int
    let outputs: Int

    init(_ inputs: Int, _ outputs: Int) {
        self.inputs = inputs
        self.outputs = outputs
    }

    var testDescription: String { "\(inputs) × \(outputs)" }
    /// `(inputs: 784, outputs: 100)`, to follow a function's name in messages.
    var call: String { "(inputs: \(inputs), outputs: \(outputs))" }

    var xavierLimit: Double { (6 / Double(inputs + outputs)).squareRoot() }
    var xavierVariance: Double { 2 / Double(inputs + outputs) }
    var heVariance: Double { 2 / Double(inputs) }
}

/// One of the two initialization functions, for checks that apply to both.
private struct Drawn: Sendable {
    let name: String
    let draw: @Sendable (Stage03Fans, inout SeededGenerator) -> Tensor

    static let all = [
        Drawn(name: "xavierUniform") { Exercises.xavierUniform(inputs: $0.inputs, outputs: $0.outputs, using: &$1) },
        Drawn(name: "heNormal") { Exercises.heNormal(inputs: $0.inputs, outputs: $0.outputs, using: &$1) },
    ]
}

/// The kurtosis E[(x − μ)⁴] / σ⁴: the variance of a sample variance is σ⁴ (κ − 1) / n.
private let uniformKurtosis = 1.8
private let normalKurtosis = 3.0

/// The mean and variance (divided by n) of a tensor's values.
private struct Statistics {
    let mean: Double
    let variance: Double

    init(_ t: Tensor) {
        let n = Double(Swift.max(t.count, 1))
        let mean = t.scalars.reduce(0, +) / n
        self.mean = mean
        variance = t.scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    }
}

/// The variances that the usual mistakes give, each with the mistake.
private func xavierMistakes(_ f: Stage03Fans) -> [LikelyMistake<Double>] {
    let sum = Double(f.inputs + f.outputs)
    return [
        LikelyMistake(2 / Double(f.inputs), hint: "a = √(6 / fanIn): Xavier divides by fanIn + fanOut"),
        LikelyMistake(2 / Double(f.outputs), hint: "a = √(6 / fanOut): Xavier divides by fanIn + fanOut"),
        LikelyMistake(
            2 / (3 * sum),
            hint: "a = √(2 / (fanIn + fanOut)): that is the variance, not the limit; U(−a, a) has "
                + "variance a² / 3, so a = √(6 / (fanIn + fanOut))"),
        LikelyMistake(12 / (sum * sum), hint: "a = 6 / (fanIn + fanOut): is the square root missing?"),
        LikelyMistake(
            6 / sum,
            hint: "a variance of a² = 6 / (fanIn + fanOut): is a used as a standard deviation instead of a limit?"),
        LikelyMistake(1.0 / 3, hint: "U(−1, 1): is the range scaled by a?"),
    ]
}

private func heMistakes(_ f: Stage03Fans) -> [LikelyMistake<Double>] {
    let fanIn = Double(f.inputs)
    return [
        LikelyMistake(
            2 / Double(f.outputs), hint: "N(0, 2 / fanOut): He divides by fanIn, the number of inputs each unit sums"),
        LikelyMistake(
            2 / (fanIn + Double(f.outputs)), hint: "2 / (fanIn + fanOut), Xavier's variance: He divides by fanIn alone"),
        LikelyMistake(
            1 / fanIn,
            hint: "N(0, 1 / fanIn): the 2 is missing (ReLU zeroes half the signal; He doubles the variance to "
                + "make up for it)"),
        LikelyMistake(
            4 / (fanIn * fanIn),
            hint: "standardDeviation: 2 / fanIn: is the square root missing? N(0, σ²) is drawn with "
                + "σ = √(2 / fanIn)"),
        LikelyMistake(1, hint: "N(0, 1): is the draw scaled?"),
    ]
}

/// Checks the shape `[inputs, outputs]`; returns whether it holds.
@discardableResult
private func checkShape(
    _ w: Tensor, _ name: String, _ fans: Stage03Fans, call: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    let expected = [fans.inputs, fans.outputs]
    guard w.shape != expected else { return true }
    var message = "\(name)\(call ?? fans.call) has shape \(w.shape), expected \(expected)"
    if w.shape == expected.reversed() {
        message +=
            ": is it transposed? W is [inputs, outputs], so that a batch [batch, inputs] times W "
            + "is [batch, outputs]"
    }
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    return false
}

/// Fails when every value is the same (zeros, or a constant); returns whether they differ.
private func checkNotConstant(
    _ w: Tensor, _ name: String, _ fans: Stage03Fans, call: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    guard let first = w.scalars.first, w.scalars.allSatisfy({ $0 == first }) else { return true }
    Issue.record(
        Comment(
            rawValue:
                "\(name)\(call ?? fans.call): every weight is \(describe(first)). If all weights start equal, every unit "
                + "computes the same output and gets the same gradient, so they stay equal forever: draw them at random "
                + "from the generator"), sourceLocation: sourceLocation)
    return false
}

/// Checks that the mean is 0 and the variance `expected`, each within 5
/// standard errors for `w.count` values; a wrong variance is matched with the
/// mistake that gives it, if any.
private func checkMoments(
    _ w: Tensor, _ name: String, _ fans: Stage03Fans, call: String? = nil, expected: Double,
    formula: String, kurtosis: Double, mistakes: [LikelyMistake<Double>],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard checkNotConstant(w, name, fans, call: call, sourceLocation: sourceLocation) else { return }
    let label = "\(name)\(call ?? fans.call)"
    let n = Double(w.count)
    let stats = Statistics(w)
    // The mean's standard error is σ / √n, with the σ of the values drawn (so
    // that a wrong scale is reported as a wrong variance, not a wrong mean).
    let meanTolerance = 5 * (Swift.max(expected, stats.variance) / n).squareRoot()
    if abs(stats.mean) > meanTolerance {
        Issue.record(
            Comment(
                rawValue:
                    "\(label): the weights' mean is \(short(stats.mean)), expected 0 ± \(short(meanTolerance)): "
                    + "the weights must be centred on 0 (U(−a, a) or N(0, σ²), not U(0, a) nor shifted)"),
            sourceLocation: sourceLocation)
    }
    let standardError = expected * ((kurtosis - 1) / n).squareRoot()
    guard abs(stats.variance - expected) > 5 * standardError else { return }
    let ratio = stats.variance / expected
    var message =
        "\(label): the weights' variance is \(short(stats.variance)), expected \(formula) = "
        + "\(short(expected)) ± \(short(5 * standardError)) (from \(w.count) values): "
        + (ratio > 1 ? "\(short(ratio)) times too large" : "\(short(1 / ratio)) times too small")
    // The mistake whose variance is nearest (in ratio), if it is within its own 5 standard errors.
    let nearestFirst = mistakes.sorted { abs(log($0.answer / stats.variance)) < abs(log($1.answer / stats.variance)) }
    if let mistake = nearestFirst.prefix(1).hint(
        for: stats.variance,
        matching: { variance, answer in
            abs(variance - answer) <= 5 * answer * (2 / n).squareRoot()
        })
    {
        message += ". It matches \(mistake)"
    }
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}

/// A number with 3 significant digits (0.00226, 3.61e-05).
private func short(_ x: Double) -> String { String(format: "%.3g", x) }

/// A fraction as a percentage (68.3%).
private func percent(_ x: Double) -> String { String(format: "%.3g%%", 100 * x) }

/// The fraction of values with |w| < `limit`.
private func fraction(of w: Tensor, within limit: Double) -> Double {
    Double(w.scalars.count(where: { abs($0) < limit })) / Double(Swift.max(w.count, 1))
}

/// How many positions hold the same value in both tensors.
private func sharedValues(_ a: Tensor, _ b: Tensor) -> Int {
    guard a.shape == b.shape else { return 0 }
    return zip(a.scalars, b.scalars).count(where: { $0 == $1 })
}

/// The first pair of equal columns of a matrix, if any.
private func equalColumns(_ w: Tensor) -> (Int, Int)? {
    guard w.rank == 2 else { return nil }
    let columns = w.transposed()
    let rows = w.shape[0]
    let count = w.shape[1]
    var seen: [[Double]: Int] = [:]
    for j in 0..<count {
        let column = Array(columns.scalars[(j * rows)..<((j + 1) * rows)])
        if let k = seen[column] { return (k, j) }
        seen[column] = j
    }
    return nil
}

/// The standard deviation of the activations after 10 layers of 100 ReLU
/// units (no biases), for a batch of 200 inputs from N(0, 1), the input and
/// then the weights drawn from the generator.
private func deepReLUActivationStd(
    using generator: inout SeededGenerator,
    weights: (Int, Int, inout SeededGenerator) -> Tensor
) -> Double {
    var h = Tensor.normal(shape: [200, 100], standardDeviation: 1, using: &generator)
    for _ in 0..<10 {
        h = h.matmul(weights(100, 100, &generator)).map { Swift.max($0, 0) }
    }
    return Statistics(h).variance.squareRoot()
}
