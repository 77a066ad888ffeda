import Exercises
import Foundation
import NeuralKit
import Solutions
import Testing

/// Stage 6: the cross-entropy loss, its gradient, and the combined softmax + cross-entropy gradient.
@Suite("Stage 6 · Cross-entropy")
struct Stage06CrossEntropy {
    /// 5 examples, 3 classes: summing instead of averaging is 5 times off, dividing by N × classes 3 times.
    static let batch = 5, classes = 3

    @Test("crossEntropy matches the reference on random probabilities", arguments: seeds)
    func lossMatchesReference(seed: UInt64) throws {
        let (p, y) = try randomBatch(seed: seed)
        let actual = try student(6) { Exercises.crossEntropy(p, targets: y) }
        let expected = try reference(p, y) { Solutions.crossEntropy(p, targets: y) }
        expectClose(
            actual, expected, "crossEntropy(p, targets: y) for \(Self.batch) examples",
            hint: scaleHint(actual / expected, of: "the loss"))
    }

    @Test("crossEntropy of the walkthrough's batch of two")
    func lossWorkedExample() throws {
        // docs/06-cross-entropy.md: (−log 0.7 − log 0.4) / 2.
        let (p, y) = walkthroughBatch
        let actual = try student(6) { Exercises.crossEntropy(p, targets: y) }
        expectClose(
            actual, 0.6364828379064437, "crossEntropy of the walkthrough's batch",
            hint: scaleHint(actual / 0.6364828379064437, of: "the loss", batch: 2, classes: 3))
    }

    @Test("crossEntropy of one example is −log of its class's probability")
    func lossOfOneExample() throws {
        // docs/06-cross-entropy.md: p = [0.7, 0.2, 0.1], class 0 → −log 0.7.
        let actual = try student(6) {
            Exercises.crossEntropy(Tensor([[0.7, 0.2, 0.1]]), targets: Tensor([[1, 0, 0]]))
        }
        expectClose(
            actual, 0.35667494393873245, "crossEntropy([0.7, 0.2, 0.1], class 0)",
            hint: scaleHint(actual / 0.35667494393873245, of: "the loss", batch: 1, classes: 3))
        // The walkthrough's second example: p = [0.1, 0.5, 0.4], class 2 → −log 0.4.
        let second = try student(6) {
            Exercises.crossEntropy(Tensor([[0.1, 0.5, 0.4]]), targets: Tensor([[0, 0, 1]]))
        }
        expectClose(
            second, 0.916290731874155, "crossEntropy([0.1, 0.5, 0.4], class 2)",
            hint: scaleHint(second / 0.916290731874155, of: "the loss", batch: 1, classes: 3))
    }

    @Test("crossEntropy is large but finite when the right class has probability exactly 0")
    func lossIsFiniteForZeroProbability() throws {
        let actual = try student(6) { Exercises.crossEntropy(Tensor([[0, 0.5, 0.5]]), targets: Tensor([[1, 0, 0]])) }
        logComparison(
            "crossEntropy(p: [[0, 0.5, 0.5]], y: [[1, 0, 0]])", describe(actual), "finite and large (> 10)",
            passed: actual.isFinite && actual > 10)
        try #require(
            actual.isFinite,
            Comment(
                rawValue: "crossEntropy with p = 0 for the right class is \(actual): "
                    + "log(0) = −∞. Floor the probabilities before the log: max(p, probabilityFloor)"))
        check(
            actual > 10,
            "crossEntropy with p = 0 for the right class is \(describe(actual)); it must be large (> 10): "
                + "a probability of 0 for the right answer is the worst possible prediction. "
                + (actual < 0
                    ? "A loss is never negative: check the minus sign"
                    : "Floor p at a tiny value (probabilityFloor = 1e-12), not a large one, and fix the other failing checks first")
        )
    }

    @Test("crossEntropy is not NaN when a wrong class has probability exactly 0")
    func lossIgnoresZeroProbabilityOfWrongClass() throws {
        // y · log p = 0 · log 0 = 0 · (−∞) is NaN in floating point.
        let actual = try student(6) { Exercises.crossEntropy(Tensor([[0.2, 0.8, 0]]), targets: Tensor([[0, 1, 0]])) }
        expectClose(
            actual, -log(0.8), "crossEntropy([0.2, 0.8, 0], class 1)",
            hint: actual.isNaN
                ? "0 · log(0) is 0 · (−∞) = NaN: floor p before the log, max(p, probabilityFloor)"
                : scaleHint(actual / -log(0.8), of: "the loss", batch: 1, classes: 3))
    }

    @Test("crossEntropyBackward matches finite differences", arguments: seeds)
    func lossBackwardMatchesFiniteDifferences(seed: UInt64) throws {
        let (p, y) = try randomBatch(seed: seed + 10)
        let actual = try student(6) { Exercises.crossEntropyBackward(p, targets: y) }
        let numeric = try reference(p, y) { numericalGradient(at: p) { Solutions.crossEntropy($0, targets: y) } }
        expectClose(
            actual, numeric, "crossEntropyBackward", tolerance: .gradient,
            hint: scaleHint(ratio(actual, numeric), of: "crossEntropyBackward", gradient: true)
                ?? "∂L/∂p is −y / (N · p), element by element")
    }

    @Test("crossEntropyBackward of the walkthrough's batch of two")
    func lossBackwardWorkedExample() throws {
        // docs/06-cross-entropy.md: −y / (N p) = −1 / (2 · 0.7) and −1 / (2 · 0.4).
        let (p, y) = walkthroughBatch
        let actual = try student(6) { Exercises.crossEntropyBackward(p, targets: y) }
        let expected = Tensor([[-0.7142857142857143, 0, 0], [0, 0, -1.25]])
        expectClose(
            actual, expected, "crossEntropyBackward of the walkthrough's batch",
            hint: scaleHint(ratio(actual, expected), of: "crossEntropyBackward", gradient: true, batch: 2, classes: 3))
    }

    @Test("crossEntropyBackward chained through softmax's backward gives (p − y) / N")
    func chainRuleGivesProbabilitiesMinusTargets() throws {
        // docs/06-cross-entropy.md, the derivation: ∂L/∂p through softmaxBackward is (p − y) / N.
        let (p, y) = walkthroughBatch
        let dp = try student(6) { Exercises.crossEntropyBackward(p, targets: y) }
        try #require(
            dp.shape == p.shape,
            Comment(
                rawValue: "crossEntropyBackward has shape \(dp.shape), expected \(p.shape): "
                    + "the gradient has the shape of the probabilities"))
        // softmaxBackward is linear in the gradient it is given: from the reference's answer for each
        // one-hot gradient, its answer for yours is their sum weighted by your values.
        let answers = try reference(p) { () -> [Tensor] in
            (0..<p.count).map { i in Solutions.softmaxBackward(Tensor(shape: p.shape) { $0 == i ? 1 : 0 }, output: p) }
        }
        let dz = zip(dp.scalars, answers).reduce(Tensor(zeros: p.shape)) { sum, term in sum + term.0 * term.1 }
        expectClose(
            dz, Tensor([[-0.15, 0.1, 0.05], [0.05, 0.25, -0.3]]),
            "softmaxBackward(crossEntropyBackward(p, y), output: p)",
            hint: "the chain rule through softmax must give (p − y) / N: check crossEntropyBackward's −y / (N · p)")
    }

    @Test("crossEntropyBackward stays finite when a probability is exactly 0")
    func lossBackwardIsFiniteForZeroProbability() throws {
        let p = Tensor([[0, 0.5, 0.5], [0.2, 0.8, 0]])
        let y = Tensor([[1, 0, 0], [0, 1, 0]])
        let actual = try student(6) { Exercises.crossEntropyBackward(p, targets: y) }
        try #require(
            actual.shape == p.shape,
            Comment(
                rawValue: "crossEntropyBackward has shape \(actual.shape), "
                    + "expected \(p.shape): the gradient has the shape of the probabilities"))
        for (i, value) in actual.scalars.enumerated() {
            let (row, column) = (i / 3, i % 3)
            guard value.isFinite else {
                Issue.record(
                    Comment(
                        rawValue: "crossEntropyBackward is \(value) at [\(row), \(column)], where p = "
                            + "\(describe(p[row, column])) and y = \(describe(y[row, column])): −y / (N · 0) divides by 0. "
                            + "Floor p as in crossEntropy: max(p, probabilityFloor)"))
                return
            }
            if y[row, column] == 0 {
                check(
                    Swift.abs(value) < 1e-9,
                    "crossEntropyBackward is \(describe(value)) at [\(row), \(column)], "
                        + "where y = 0: the loss does not depend on the probability of a wrong class, so the gradient there is 0"
                )
            }
        }
    }

    @Test("softmaxCrossEntropyBackward matches finite differences of crossEntropy(softmax(z))", arguments: seeds)
    func combinedBackwardMatchesFiniteDifferences(seed: UInt64) throws {
        let z = randomTensor([Self.batch, Self.classes], seed: seed + 20, scale: 2)
        let y = try randomTargets(seed: seed + 30)
        let actual = try student(6) { Exercises.softmaxCrossEntropyBackward(logits: z, targets: y) }
        let numeric = try reference(z, y) {
            numericalGradient(at: z) { Solutions.crossEntropy(Solutions.softmax($0), targets: y) }
        }
        expectClose(
            actual, numeric, "softmaxCrossEntropyBackward", tolerance: .gradient,
            hint: scaleHint(ratio(actual, numeric), of: "softmaxCrossEntropyBackward", gradient: true)
                ?? "∂L/∂z is (softmax(z) − y) / N")
    }

    @Test("softmaxCrossEntropyBackward is (p − y) / N", arguments: seeds)
    func combinedBackwardIsProbabilitiesMinusTargets(seed: UInt64) throws {
        let z = randomTensor([Self.batch, Self.classes], seed: seed + 40)
        let y = try randomTargets(seed: seed + 50)
        let actual = try student(6) { Exercises.softmaxCrossEntropyBackward(logits: z, targets: y) }
        let expected = try reference(z, y) { (Solutions.softmax(z) - y) / Double(Self.batch) }
        expectClose(
            actual, expected, "softmaxCrossEntropyBackward",
            hint: scaleHint(ratio(actual, expected), of: "softmaxCrossEntropyBackward", gradient: true)
                ?? "with p = softmax(z), the gradient is (p − y) / N")
    }

    @Test("softmaxCrossEntropyBackward of the walkthrough's batch of two")
    func combinedBackwardWorkedExample() throws {
        // docs/06-cross-entropy.md: logits z = log p, so softmax(z) = p, and (p − y) / 2.
        let (p, y) = walkthroughBatch
        let z = log(p)
        let actual = try student(6) { Exercises.softmaxCrossEntropyBackward(logits: z, targets: y) }
        let expected = Tensor([[-0.15, 0.1, 0.05], [0.05, 0.25, -0.3]])
        expectClose(
            actual, expected, "softmaxCrossEntropyBackward of the walkthrough's batch",
            hint: scaleHint(
                ratio(actual, expected), of: "softmaxCrossEntropyBackward", gradient: true, batch: 2, classes: 3))
    }
}

/// The walkthrough's batch: p = [[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]], classes 0 and 2.
private let walkthroughBatch = (Tensor([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]]), Tensor([[1, 0, 0], [0, 0, 1]]))

/// One-hot targets for a seeded batch.
private func randomTargets(seed: UInt64) throws -> Tensor {
    var generator = testGenerator(seed: seed)
    let labels = (0..<Stage06CrossEntropy.batch).map { _ in generator.nextInt(below: Stage06CrossEntropy.classes) }
    return try reference(labels) { try Solutions.oneHot(labels, classes: Stage06CrossEntropy.classes) }
}

/// Probabilities kept in [0.1, 0.8] (rows still sum to 1: 3 × 0.1 + 0.7), with one-hot targets.
private func randomBatch(seed: UInt64) throws -> (Tensor, Tensor) {
    let z = randomTensor([Stage06CrossEntropy.batch, Stage06CrossEntropy.classes], seed: seed)
    let p = try reference(z) { 0.1 + 0.7 * Solutions.softmax(z) }
    return (p, try randomTargets(seed: seed + 100))
}

/// The factor `actual` is of `expected`, when one factor relates every element; nil otherwise.
private func ratio(_ actual: Tensor, _ expected: Tensor) -> Double? {
    guard actual.shape == expected.shape else { return nil }
    let ee = (expected * expected).sum()
    guard ee > 0 else { return nil }
    let r = (actual * expected).sum() / ee
    let scale = Swift.abs(r) * expected.scalars.map(Swift.abs).reduce(0, Swift.max)
    guard r.isFinite, zip(actual.scalars, expected.scalars).allSatisfy({ Swift.abs($0 - r * $1) <= 1e-6 * (1 + scale) })
    else { return nil }
    return r
}

/// Names the typical mistake behind an answer that is off by a constant factor `r`.
private func scaleHint(
    _ r: Double?, of name: String, gradient: Bool = false,
    batch n: Int = Stage06CrossEntropy.batch, classes c: Int = Stage06CrossEntropy.classes
) -> String? {
    guard let r, r.isFinite else { return nil }
    let (N, C) = (Double(n), Double(c))
    let wrongLog = "\(name) is off by a constant factor: use the natural logarithm log, not log2 or log10"
    // Each mistake as the factor it multiplies the answer by (a batch of one cannot tell N from 1).
    let mistakes: [LikelyMistake<Double>?] = [
        n > 1
            ? LikelyMistake(
                N,
                hint: gradient
                    ? "\(name) is N times too large (N = \(n) examples): the loss averages over the batch, so its gradient is divided by N too"
                    : "the loss is N times too large (N = \(n) examples): average over the batch, dividing the sum by N"
            ) : nil,
        n > 1
            ? LikelyMistake(
                -N,
                hint: "\(name) is N = \(n) times too large and the sign is flipped: average over the batch, "
                    + "and check the minus sign") : nil,
        LikelyMistake(
            1 / C,
            hint: "\(name) is \(c) times too small, the number of classes: divide by the batch size N only, "
                + "not by N × classes (the sum over the classes is one example's loss)"),
        n > 1
            ? LikelyMistake(
                1 / N, hint: "\(name) is N times too small (N = \(n) examples): divide by N once, not twice") : nil,
        LikelyMistake(
            -1,
            hint: gradient
                ? "the sign is flipped: the loss is −Σ y log p, so its gradient carries the minus sign"
                : "the sign is flipped: the loss is −Σ y log p, a positive number since log p ≤ 0"),
        LikelyMistake(1 / Foundation.log(2), hint: wrongLog),
        LikelyMistake(1 / Foundation.log(10), hint: wrongLog),
    ]
    return mistakes.compactMap { $0 }.hint(for: r) { r, factor in Swift.abs(r - factor) <= 1e-3 * Swift.abs(factor) }
}
