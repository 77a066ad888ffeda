import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 7, optional: Adam and dropout.
@Suite("Stage 7 · Bonus: Adam and dropout")
struct Bonus07SGD {
    @Test("Adam matches the reference over five steps", arguments: seeds)
    func adamMatchesReference(seed: UInt64) throws {
        let start = ParameterStart(seed: seed)
        let gradients = start.stepGradients(steps: 5, seed: seed &* 37)
        let expected = try reference(start, gradients) {
            referenceSteps(from: start, gradients: gradients, by: Solutions.Adam(learningRate: 0.01))
        }
        let mine = start.parameters()
        let myOptimizer = try student(7) { Exercises.Adam(learningRate: 0.01) }
        for step in 1...5 {
            for (a, gradient) in zip(mine, gradients[step - 1]) { a.gradient = gradient }
            try student(7) { myOptimizer.step(mine) }
            for (a, b) in zip(mine, expected[step - 1]) {
                expectClose(
                    a.value, b, "\(a.name) after Adam step \(step)",
                    hint: step == 1
                        ? "with the bias corrections, the first step moves each weight by about η"
                        : "count the steps once per call of step (not per parameter); β₁ᵗ and β₂ᵗ use that count")
            }
        }
    }

    @Test("dropout passes its input and gradient through unchanged at evaluation")
    func dropoutIsIdentityAtEvaluation() throws {
        let x = randomTensor([4, 6], seed: 80)
        let g = randomTensor([4, 6], seed: 81)
        let (y, dx) = try student(7) { () -> (Tensor, Tensor) in
            let layer = Exercises.Dropout(rate: 0.5, seed: saltedSeed(82))
            layer.isTraining = false
            return (layer.forward(x), layer.backward(g))
        }
        expectClose(
            y, x, "dropout's output at evaluation", tolerance: .tight,
            hint: "when isTraining is false, return the input as it is (inverted dropout scales while training instead)"
        )
        expectClose(dx, g, "dropout's backward at evaluation", tolerance: .tight)
    }

    @Test("while training, dropout keeps about 1 − rate of the values, scaled by 1/(1 − rate)", arguments: [0.2, 0.5])
    func dropoutKeepsTheRightFraction(rate: Double) throws {
        let x = randomTensor([200, 50], seed: 83).map { $0 + 3 } // no zeros in the input
        let y = try student(7) { Exercises.Dropout(rate: rate, seed: saltedSeed(84)).forward(x) }
        try #require(y.shape == x.shape, "dropout's output has shape \(y.shape); it must keep the shape \(x.shape)")
        let kept = zip(y.scalars, x.scalars).filter { $0.0 != 0 }
        let fraction = Double(kept.count) / Double(x.count)
        check(
            abs(fraction - (1 - rate)) < 0.03,
            "with rate \(rate), dropout kept \(describe(100 * fraction))% of the values; "
                + "about \(describe(100 * (1 - rate)))% should survive (rate is the probability of DROPPING a value)")
        let scale = 1 / (1 - rate)
        let wrongScale = kept.first { (output: Double, input: Double) in abs(output - input * scale) > 1e-9 * abs(input)
        }
        if let (output, input) = wrongScale {
            let message =
                "a kept value \(describe(input)) became \(describe(output)); inverted dropout scales the "
                + "survivors by 1/(1 − rate) = \(describe(scale))"
            Issue.record(Comment(rawValue: message))
        }
        check(
            abs(y.mean() - x.mean()) < 0.1 * x.mean(),
            "dropout changed the mean from \(describe(x.mean())) to "
                + "\(describe(y.mean())): scaling the kept values by 1/(1 − rate) keeps the expected value")
    }

    @Test("dropout's backward uses the mask of its forward pass, and each forward pass draws a new mask")
    func dropoutBackwardUsesTheSameMask() throws {
        let x = Tensor(ones: [20, 10])
        let g = randomTensor([20, 10], seed: 85)
        let (y, dx, y2) = try student(7) { () -> (Tensor, Tensor, Tensor) in
            let layer = Exercises.Dropout(rate: 0.3, seed: saltedSeed(86))
            let y = layer.forward(x)
            return (y, layer.backward(g), layer.forward(x))
        }
        // With an input of ones, the output is the scaled mask itself.
        expectClose(
            dx, g * y, "dropout's backward",
            hint: "multiply the gradient by the mask of the last forward pass (0 or 1/(1 − rate)): "
                + "drawing a new mask in backward sends gradient to values that were dropped")
        check(y2 != y, "two forward passes dropped exactly the same values: draw a new mask each time")
    }
}

/// A seed for a dropout layer or a dataset, mixed with the grading salt.
private func saltedSeed(_ seed: UInt64) -> UInt64 {
    var generator = testGenerator(seed: seed)
    return generator.next()
}
