import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 7, optional: AdaGrad and RMSProp, the adaptive optimizers of lecture 002.
@Suite("Stage 7 · Bonus: AdaGrad and RMSProp")
struct Bonus07MoreOptimizers {
    // MARK: Against the reference

    @Test("AdaGrad matches the reference over five steps", arguments: seeds)
    func adaGradMatchesReference(seed: UInt64) throws {
        let start = ParameterStart(seed: seed)
        let gradients = awayFromZero(start.stepGradients(steps: 5, seed: seed &* 41))
        let expected = try reference(start, gradients) {
            referenceSteps(from: start, gradients: gradients, by: Solutions.AdaGrad(learningRate: 0.1))
        }
        let optimizer = try student(7) { Exercises.AdaGrad(learningRate: 0.1) }
        try expectSteps(
            of: optimizer, from: start, gradients: gradients, toMatch: expected, name: "AdaGrad",
            firstHint: "G starts at 0, so after the first step G = g² and each weight moves by about η·g/|g| = ±η",
            laterHint: "G is the sum of the squared gradients of ALL steps so far: keep one G per parameter "
                + "(`sums[ObjectIdentifier(parameter)]`), add g² to it and store it back every step")
    }

    @Test("RMSProp matches the reference over five steps", arguments: seeds)
    func rmsPropMatchesReference(seed: UInt64) throws {
        let start = ParameterStart(seed: seed)
        let gradients = awayFromZero(start.stepGradients(steps: 5, seed: seed &* 43))
        let expected = try reference(start, gradients) {
            referenceSteps(from: start, gradients: gradients, by: Solutions.RMSProp(learningRate: 0.01, decay: 0.9))
        }
        let optimizer = try student(7) { Exercises.RMSProp(learningRate: 0.01, decay: 0.9) }
        try expectSteps(
            of: optimizer, from: start, gradients: gradients, toMatch: expected, name: "RMSProp",
            firstHint: "v starts at 0, so after the first step v = (1 − ρ)g²: ρ = 0.9 keeps 90% of the OLD mean "
                + "and gives the new g² a weight of 0.1",
            laterHint: "v ← ρv + (1 − ρ)g², with this parameter's v from the step before "
                + "(`means[ObjectIdentifier(parameter)]`), stored back every step")
    }

    // MARK: Worked examples (docs/07-sgd.md)

    @Test("AdaGrad's worked example: w = [1, −2], η = 0.1, gradients [3, 0] then [4, −2]")
    func adaGradWorkedExample() throws {
        let optimizer = try student(7) { Exercises.AdaGrad(learningRate: 0.1) }
        let (first, second) = try twoSteps(of: optimizer, gradients: (Tensor([3, 0]), Tensor([4, -2])))
        // Step 1: G = [9, 0], w = [1 − 0.1·3/3, −2] (a gradient of 0 does not move its weight).
        expectClose(
            first, Tensor([0.9, -2]), "w after AdaGrad's first step",
            likelyMistakes: [
                LikelyMistake(Tensor([1 - 0.3 / 9, -2]), hint: "that is w − η·g/G: divide by the square ROOT of G")
            ],
            otherwise: zeroGradientHint(first))
        // Step 2: G = [9 + 16, 0 + 4] = [25, 4], w = [0.9 − 0.1·4/5, −2 + 0.1·2/2].
        expectClose(
            second, Tensor([0.82, -1.9]), "w after AdaGrad's second step",
            likelyMistakes: [
                LikelyMistake(
                    Tensor([0.8, -1.9]),
                    hint: "that is G = g² of this step only: G adds up the squared gradients of every step "
                        + "(9 + 16 = 25), so AdaGrad's steps only ever shrink")
            ],
            otherwise: zeroGradientHint(second))
    }

    @Test("RMSProp's worked example: w = [1, −2], η = 0.1, ρ = 0.75, gradients [2, 0] then [1, 4]")
    func rmsPropWorkedExample() throws {
        let optimizer = try student(7) { Exercises.RMSProp(learningRate: 0.1, decay: 0.75) }
        let (first, second) = try twoSteps(of: optimizer, gradients: (Tensor([2, 0]), Tensor([1, 4])))
        // Step 1: v = 0.25·[4, 0] = [1, 0], w = [1 − 0.1·2/1, −2].
        expectClose(
            first, Tensor([0.8, -2]), "w after RMSProp's first step",
            likelyMistakes: [
                LikelyMistake(
                    Tensor([1 - 0.2 / 3.0.squareRoot(), -2]),
                    hint: "that is v = ρ·g² (v = 3): the decay ρ multiplies the OLD mean, v ← ρv + (1 − ρ)g²"),
                LikelyMistake(
                    Tensor([0.9, -2]), hint: "that is v = g² without the factor 1 − ρ: v ← ρv + (1 − ρ)g²"),
            ],
            otherwise: zeroGradientHint(first))
        // Step 2: v = 0.75·[1, 0] + 0.25·[1, 16] = [1, 4], w = [0.8 − 0.1·1/1, −2 − 0.1·4/2].
        expectClose(
            second, Tensor([0.7, -2.2]), "w after RMSProp's second step",
            likelyMistakes: [
                LikelyMistake(
                    Tensor([0.6, -2.2]),
                    hint: "that is v = (1 − ρ)g² of this step only: keep each parameter's v from the step "
                        + "before and decay it, v ← ρv + (1 − ρ)g²"),
                LikelyMistake(
                    Tensor([0.7, -2.1]), hint: "that is w − η·g/v: divide by the square ROOT of v"),
            ],
            otherwise: zeroGradientHint(second))
    }

    /// Lecture 002 names the methods without a formula for ε, and both forms are in use (PyTorch adds ε
    /// to √v, TensorFlow's RMSProp puts it under the root): with a large ε, either answer passes.
    @Test("ε may go outside the root or under it, but it must be the ε passed in (ε = 1, one step)")
    func epsilonOutsideOrInsideTheRoot() throws {
        let (adaGrad, rmsProp) = try student(7) {
            (
                Exercises.AdaGrad(learningRate: 0.1, epsilon: 1),
                Exercises.RMSProp(learningRate: 0.1, decay: 0.75, epsilon: 1)
            )
        }
        // AdaGrad, g = 3: 1 − 0.3/(√9 + 1) = 0.925, or 1 − 0.3/√(9 + 1) ≈ 0.905132.
        // RMSProp, g = 2: v = 1, 1 − 0.2/(√1 + 1) = 0.9, or 1 − 0.2/√(1 + 1) ≈ 0.858579.
        let cases: [(String, any Optimizer, gradient: Double, outside: Double, inside: Double)] = [
            ("AdaGrad", adaGrad, 3, 0.925, 1 - 0.3 / 10.0.squareRoot()),
            ("RMSProp", rmsProp, 2, 0.9, 1 - 0.2 / 2.0.squareRoot()),
        ]
        for (name, optimizer, gradient, outside, inside) in cases {
            let w = Parameter("w", Tensor([1]))
            w.gradient = Tensor([gradient])
            try student(7) { optimizer.step([w]) }
            let value = w.value.scalars.first ?? .nan
            let passed = [outside, inside].contains { Tolerance().accepts(value, $0) }
            logComparison(
                "\(name)'s w with ε = 1", describe(value), "\(describe(outside)) or \(describe(inside))",
                passed: passed)
            check(
                passed,
                "\(name) with ε = 1 took w = 1 with gradient \(describe(gradient)) to \(describe(value)); "
                    + "expected \(describe(outside)) (ε added to the root) or \(describe(inside)) (ε under the root). "
                    + "If the worked examples pass, use the optimizer's `epsilon`, not a number of your own")
        }
    }
}

// MARK: - Helpers

/// Gradients moved at least 0.2 away from 0. Near g = 0 the two correct places of ε (√v + ε and
/// √(v + ε)) give steps that differ by more than the tolerance; away from it they agree.
private func awayFromZero(_ gradients: [[Tensor]]) -> [[Tensor]] {
    gradients.map { step in step.map { $0.map { $0 + ($0 < 0 ? -0.2 : 0.2) } } }
}

/// Steps `optimizer` on parameters from `start` with `gradients`, and compares them after each step.
private func expectSteps(
    of optimizer: any Optimizer, from start: ParameterStart, gradients: [[Tensor]], toMatch expected: [[Tensor]],
    name: String, firstHint: String, laterHint: String
) throws {
    let mine = start.parameters()
    for (step, (stepGradients, stepExpected)) in zip(gradients, expected).enumerated() {
        for (parameter, gradient) in zip(mine, stepGradients) { parameter.gradient = gradient }
        try student(7) { optimizer.step(mine) }
        for (parameter, value) in zip(mine, stepExpected) {
            expectClose(
                parameter.value, value, "\(parameter.name) after \(name) step \(step + 1)",
                hint: step == 0 ? firstHint : laterHint)
        }
    }
}

/// w = [1, −2] after one and after two steps of `optimizer` with the given gradients.
private func twoSteps(of optimizer: any Optimizer, gradients: (Tensor, Tensor)) throws -> (Tensor, Tensor) {
    let w = Parameter("w", Tensor([1, -2]))
    w.gradient = gradients.0
    try student(7) { optimizer.step([w]) }
    let first = w.value
    w.gradient = gradients.1
    try student(7) { optimizer.step([w]) }
    return (first, w.value)
}

/// The hint for a NaN where a weight's gradient is 0: 0/0 without ε.
private func zeroGradientHint(_ value: Tensor) -> String? {
    value.scalars.contains(where: \.isNaN)
        ? "a weight whose gradient is 0 became NaN: 0/0. Divide by √v + ε (ε keeps the division finite)" : nil
}
