import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 1: ReLU and softmax, forward and backward.
@Suite("Stage 1 · Activations")
struct Stage01Activations {
    @Test("relu matches the reference on random inputs", arguments: seeds)
    func reluMatchesReference(seed: UInt64) throws {
        let x = randomTensor([4, 7], seed: seed)
        let actual = try student(1) { Exercises.relu(x) }
        expectClose(actual, try reference(x) { Solutions.relu(x) }, "relu(x)", tolerance: .tight)
    }

    @Test("relu passes positive values and zeroes negative ones")
    func reluWorkedExample() throws {
        let x = Tensor([[-2, -0.5, 0, 0.5, 3]])
        expectClose(try student(1) { Exercises.relu(x) }, Tensor([[0, 0, 0, 0.5, 3]]), "relu([-2, -0.5, 0, 0.5, 3])")
    }

    @Test("relu's backward lets the gradient through only where the input was positive", arguments: seeds)
    func reluBackwardMatchesFiniteDifferences(seed: UInt64) throws {
        // Inputs kept away from 0, where ReLU has no derivative.
        let x = randomTensor([3, 5], seed: seed).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
        let g = randomTensor([3, 5], seed: seed + 100)
        let actual = try student(1) { Exercises.reluBackward(g, input: x) }
        let numeric = try reference(x, g) { numericalGradient(at: x) { weightedSum(Solutions.relu($0), g) } }
        expectClose(
            actual, numeric, "reluBackward", tolerance: .gradient,
            hint: "∂L/∂x is ∂L/∂y where x > 0 and 0 elsewhere")
    }

    @Test("softmax matches the reference on random logits", arguments: seeds)
    func softmaxMatchesReference(seed: UInt64) throws {
        let z = randomTensor([5, 3], seed: seed, scale: 3)
        let actual = try student(1) { Exercises.softmax(z) }
        expectClose(
            actual, try reference(z) { Solutions.softmax(z) }, "softmax(z)",
            hint: "softmax is taken along each row: one row is one example")
    }

    @Test("softmax rows are probabilities that sum to 1")
    func softmaxRowsSumToOne() throws {
        let z = randomTensor([6, 4], seed: 7, scale: 5)
        let p = try student(1) { Exercises.softmax(z) }
        try #require(p.shape == z.shape, "softmax(z) has shape \(p.shape); it must keep the shape \(z.shape)")
        for (row, total) in p.sum(alongAxis: 1).scalars.enumerated() {
            check(
                abs(total - 1) < 1e-9,
                "softmax rows must sum to 1; row \(row) sums to \(describe(total))"
                    + (abs((p.sum(alongAxis: 0).scalars.first ?? 0) - 1) < 1e-9
                        ? ": did you normalize columns instead of rows?" : ""))
        }
        check(p.scalars.allSatisfy { $0 >= 0 }, "softmax gave a negative probability")
    }

    @Test("softmax of the walkthrough's example [1, 2, 3]")
    func softmaxWorkedExample() throws {
        // e¹, e², e³ over their sum: 0.0900, 0.2447, 0.6652 (docs/01-activations.md).
        let p = try student(1) { Exercises.softmax(Tensor([[1, 2, 3]])) }
        expectClose(p, Tensor([[0.09003057317038046, 0.24472847105479764, 0.6652409557748219]]), "softmax([1, 2, 3])")
    }

    @Test("softmax stays finite for logits near 1000")
    func softmaxIsStableForLargeLogits() throws {
        let z = Tensor([[1000, 1001, 1002], [-1000, -1001, -1002]])
        let p = try student(1) { Exercises.softmax(z) }
        check(
            p.scalars.allSatisfy(\.isFinite),
            "softmax of logits near 1000 gave \(p.scalars.first { !$0.isFinite } ?? 0): exp(1000) overflows. "
                + "Subtract each row's maximum before exp; it does not change the result")
        expectClose(p, try reference(z) { Solutions.softmax(z) }, "softmax of large logits")
    }

    @Test("softmax does not change when a constant is added to a row")
    func softmaxIsShiftInvariant() throws {
        let z = randomTensor([3, 4], seed: 11)
        let shifted = z + Tensor([[5], [-3], [100]])
        let (p, q) = try student(1) { (Exercises.softmax(z), Exercises.softmax(shifted)) }
        expectClose(q, p, "softmax(z + c)", hint: "adding a constant to a row must not change its softmax")
    }

    @Test("softmax's backward matches finite differences", arguments: seeds)
    func softmaxBackwardMatchesFiniteDifferences(seed: UInt64) throws {
        let z = randomTensor([4, 3], seed: seed)
        let g = randomTensor([4, 3], seed: seed + 100)
        let y = try reference(z) { Solutions.softmax(z) }
        let actual = try student(1) { Exercises.softmaxBackward(g, output: y) }
        let numeric = try reference(z, g) { numericalGradient(at: z) { weightedSum(Solutions.softmax($0), g) } }
        expectClose(
            actual, numeric, "softmaxBackward", tolerance: .gradient,
            hint: "each row's gradient is y ⊙ (g − Σ g ⊙ y), the sum taken over that row")
    }

    @Test("the ReLU layer caches its input and runs backward from it")
    func reluLayerCachesItsInput() throws {
        let x = randomTensor([2, 5], seed: 5)
        let g = randomTensor([2, 5], seed: 6)
        let (y, dx) = try student(1) { () -> (Tensor, Tensor) in
            let layer = Exercises.ReLU()
            return (layer(x), layer.backward(g))
        }
        expectClose(y, try reference(x) { Solutions.relu(x) }, "ReLU layer forward")
        expectClose(dx, try reference(g, x) { Solutions.reluBackward(g, input: x) }, "ReLU layer backward")
    }
}
