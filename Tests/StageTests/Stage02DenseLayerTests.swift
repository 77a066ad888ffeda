import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 2: the dense layer `Y = XW + b`, forward and backward.
@Suite("Stage 2 · Dense layer")
struct Stage02DenseLayer {
    @Test("dense forward matches the reference on a batch of 4 with 5 inputs and 3 outputs", arguments: seeds)
    func forwardMatchesReference(seed: UInt64) throws {
        let c = DenseCase(seed: seed)
        let y = try c.studentForward()
        expectClose(
            y, try c.referenceForward(), "forward(X)", tolerance: .tight,
            likelyMistakes: c.forwardMistakes,
            otherwise: "Y = X·W + b, with X [batch, inputs] on the left and b added to every row")
    }

    @Test("dense forward of the walkthrough's example")
    func forwardWorkedExample() throws {
        // docs/02-dense-layer.md, "A worked example".
        let c = DenseCase.workedExample
        let y = try c.studentForward()
        expectClose(
            y, Tensor([[-1.5, 5], [-2.5, 2]]), "forward(X) of the worked example",
            likelyMistakes: c.forwardMistakes,
            otherwise: "row i of Y is row i of X times W, plus b; work out Y[0, 0] = 1·1 + 2·0 + 3·(−1) + 0.5 by hand")
    }

    @Test("dense forward stores its input for backward")
    func forwardCachesItsInput() throws {
        let c = DenseCase(seed: 4)
        let cached = try withShapeHint(c) {
            try student(2) { () -> Tensor? in
                let layer = c.studentLayer()
                _ = layer.forward(c.x)
                return layer.input
            }
        }
        guard let cached else {
            Issue.record(
                "after forward, `input` is still nil: store the input in `self.input`; backward needs it for ∂L/∂W")
            return
        }
        expectClose(
            cached, c.x, "the cached input", tolerance: .tight,
            hint: "forward must store the input it was given, unchanged")
    }

    @Test("dense backward returns ∂L/∂X that matches finite differences", arguments: seeds)
    func inputGradientMatchesFiniteDifferences(seed: UInt64) throws {
        let c = DenseCase(seed: seed)
        let run = try c.studentBackward()
        expectClose(
            run.dx, try c.numericInputGradient(), "∂L/∂X (what backward returns)", tolerance: .gradient,
            likelyMistakes: c.inputGradientMistakes, otherwise: c.inputGradientRule)
    }

    @Test("dense backward sets ∂L/∂W that matches finite differences", arguments: seeds)
    func weightGradientMatchesFiniteDifferences(seed: UInt64) throws {
        let c = DenseCase(seed: seed)
        let run = try c.studentBackward()
        expectClose(
            run.dW, try c.numericWeightGradient(), "∂L/∂W (weight.gradient)", tolerance: .gradient,
            likelyMistakes: c.weightGradientMistakes, otherwise: c.weightGradientRule)
    }

    @Test("dense backward sums the bias gradient over the batch (matches finite differences)", arguments: seeds)
    func biasGradientMatchesFiniteDifferences(seed: UInt64) throws {
        let c = DenseCase(seed: seed)
        let run = try c.studentBackward()
        expectClose(
            run.db, try c.numericBiasGradient(), "∂L/∂b (bias.gradient)", tolerance: .gradient,
            likelyMistakes: c.biasGradientMistakes, otherwise: c.biasGradientRule)
    }

    @Test("dense backward of the walkthrough's example")
    func backwardWorkedExample() throws {
        // docs/02-dense-layer.md, "A worked example".
        let c = DenseCase.workedExample
        let run = try c.studentBackward()
        part("∂L/∂W") {
            expectClose(
                run.dW, Tensor([[0.5, 1], [2, 0], [4, -2]]), "∂L/∂W of the worked example",
                likelyMistakes: c.weightGradientMistakes, otherwise: c.weightGradientRule)
        }
        part("∂L/∂b") {
            expectClose(
                run.db, Tensor([1.5, -1]), "∂L/∂b of the worked example",
                likelyMistakes: c.biasGradientMistakes, otherwise: c.biasGradientRule)
        }
        part("∂L/∂X") {
            expectClose(
                run.dx, Tensor([[1, 0, -1], [1.5, -2, -1.5]]), "∂L/∂X of the worked example",
                likelyMistakes: c.inputGradientMistakes, otherwise: c.inputGradientRule)
        }
    }

    @Test("dense gradients have the shapes of what they are the gradients of")
    func gradientShapes() throws {
        let c = DenseCase(seed: 5)
        let run = try c.studentBackward()
        let (batch, inputs, outputs) = (c.x.shape[0], c.x.shape[1], c.w.shape[1])
        part("∂L/∂W") {
            check(
                run.dW.shape == [inputs, outputs],
                "∂L/∂W has shape \(run.dW.shape), expected W's shape [inputs, outputs] = \([inputs, outputs])"
                    + (run.dW.shape == [outputs, inputs]
                        ? ": is a transpose swapped? Xᵀ·G is [inputs, batch]·[batch, outputs]" : ""))
        }
        let biasHint: String
        switch run.db.shape {
        case [batch, outputs]: biasHint = ": it still has the batch dimension; sum G over the batch (axis 0)"
        case [1, outputs]: biasHint = ": drop the kept dimension, so that it has the bias's shape"
        case [batch]: biasHint = ": that is a sum over the outputs (axis 1); sum over the batch (axis 0) instead"
        default: biasHint = ""
        }
        part("∂L/∂b") {
            check(
                run.db.shape == [outputs],
                "∂L/∂b has shape \(run.db.shape), expected b's shape [outputs] = \([outputs])" + biasHint)
        }
        part("∂L/∂X") {
            check(
                run.dx.shape == [batch, inputs],
                "backward returned shape \(run.dx.shape), expected X's shape [batch, inputs] = \([batch, inputs])"
                    + (run.dx.shape == [inputs, outputs]
                        ? ": that is W's shape; return ∂L/∂X = G·Wᵀ, not Xᵀ·G"
                        : run.dx.shape == [inputs, batch]
                            ? ": is a transpose swapped? G·Wᵀ is [batch, outputs]·[outputs, inputs]" : ""))
        }
    }

    @Test("dense backward uses the input of the last forward pass")
    func backwardUsesTheLastInput() throws {
        let c = DenseCase(seed: 6)
        let first = randomTensor(c.x.shape, seed: 60)
        let dW = try withShapeHint(c) {
            try student(2) { () -> Tensor in
                let layer = c.studentLayer()
                _ = layer.forward(first)
                _ = layer.forward(c.x)
                _ = layer.backward(c.g)
                return layer.weight.gradient
            }
        }
        let expected = try c.referenceBackward().dW
        expectClose(
            dW, expected, "∂L/∂W after two forward passes", tolerance: .tight,
            likelyMistakes: [
                LikelyMistake(
                    first.transposed().matmul(c.g),
                    hint: "it was computed from the input of the FIRST forward: forward must overwrite "
                        + "`input` on every call")
            ] + c.weightGradientMistakes,
            otherwise: "backward must use the input of the most recent forward pass")
    }

    @Test("backwardSkippingInput fills the same ∂L/∂W and ∂L/∂b as backward")
    func skippingTheInputGradient() throws {
        let c = DenseCase(seed: 9)
        let (dW, db) = try withShapeHint(c) {
            try student(2) { () -> (Tensor, Tensor) in
                let layer = c.studentLayer()
                _ = layer.forward(c.x)
                layer.backwardSkippingInput(c.g)
                return (layer.weight.gradient, layer.bias.gradient)
            }
        }
        let (expectedW, expectedB) = try c.referenceBackward()
        let hint =
            "training calls it for the first layer (its input, the data, needs no gradient): it must fill the "
            + "parameters' gradients exactly as backward does. Without a backwardSkippingInput of your own, Layer's runs backward"
        expectClose(dW, expectedW, "∂L/∂W after backwardSkippingInput", tolerance: .tight, hint: hint)
        expectClose(db, expectedB, "∂L/∂b after backwardSkippingInput", tolerance: .tight, hint: hint)
    }

    @Test("the layer's parameters hold the gradients of the last backward pass")
    func parametersHoldTheGradients() throws {
        let c = DenseCase(seed: 7)
        let (parameters, second) = try withShapeHint(c) {
            try student(2) { () -> ([(value: Tensor, gradient: Tensor)], [Tensor]) in
                let layer = c.studentLayer()
                _ = layer.forward(c.x)
                _ = layer.backward(c.g)
                let parameters = layer.parameters.map { (value: $0.value, gradient: $0.gradient) }
                _ = layer.forward(c.x)
                _ = layer.backward(c.g)
                return (parameters, layer.parameters.map(\.gradient))
            }
        }
        try #require(parameters.count == 2, "`parameters` must be [weight, bias]; it has \(parameters.count) entries")
        let (dW, db) = try c.referenceBackward()
        expectClose(
            parameters[0].value, c.w, "parameters[0].value (W) after backward", tolerance: .tight,
            hint: "backward computes gradients only; it must not change W (the optimizer does, in stage 7)")
        expectClose(
            parameters[1].value, c.b, "parameters[1].value (b) after backward", tolerance: .tight,
            hint: "backward computes gradients only; it must not change b (the optimizer does, in stage 7)")
        expectClose(
            parameters[0].gradient, dW, "parameters[0].gradient (∂L/∂W)",
            likelyMistakes: c.weightGradientMistakes,
            otherwise: "store ∂L/∂W in `weight.gradient`: that is where the optimizer reads it")
        expectClose(
            parameters[1].gradient, db, "parameters[1].gradient (∂L/∂b)",
            likelyMistakes: c.biasGradientMistakes,
            otherwise: "store ∂L/∂b in `bias.gradient`: that is where the optimizer reads it")
        // Only once the first gradients are right: is a second backward's gradient still the same?
        guard mismatch(parameters[0].gradient, dW) == nil, mismatch(parameters[1].gradient, db) == nil else { return }
        let doubled = "a second backward doubled it: assign the gradients (=), do not add to them (+=)"
        expectClose(
            second[0], dW, "weight.gradient after a second backward",
            likelyMistakes: [LikelyMistake(2 * dW, hint: doubled)],
            otherwise: "each backward must overwrite the gradients")
        expectClose(
            second[1], db, "bias.gradient after a second backward",
            likelyMistakes: [LikelyMistake(2 * db, hint: doubled)],
            otherwise: "each backward must overwrite the gradients")
    }

    @Test("a batch of one example works too: forward and every gradient")
    func batchOfOne() throws {
        let c = DenseCase(seed: 8, batch: 1)
        let run = try c.studentBackward()
        expectClose(
            run.y, try c.referenceForward(), "forward(X) for a batch of 1",
            likelyMistakes: c.forwardMistakes, otherwise: "Y = X·W + b also when X has a single row")
        expectClose(
            run.dx, try c.numericInputGradient(), "∂L/∂X for a batch of 1", tolerance: .gradient,
            likelyMistakes: c.inputGradientMistakes, otherwise: c.inputGradientRule)
        expectClose(
            run.dW, try c.numericWeightGradient(), "∂L/∂W for a batch of 1", tolerance: .gradient,
            likelyMistakes: c.weightGradientMistakes, otherwise: c.weightGradientRule)
        expectClose(
            run.db, try c.numericBiasGradient(), "∂L/∂b for a batch of 1", tolerance: .gradient,
            likelyMistakes: c.biasGradientMistakes, otherwise: c.biasGradientRule)
    }
}

// MARK: - Support

/// The inputs of one check: X, W, b and G = ∂L/∂Y, with every dimension
/// different by default (batch 4, inputs 5, outputs 3), so that a swapped
/// transpose gives a wrong shape instead of a lucky pass.
private struct DenseCase: ReferenceInput {
    let x: Tensor, w: Tensor, b: Tensor, g: Tensor

    var record: Record { [x, w, b, g].record }

    init(x: Tensor, w: Tensor, b: Tensor, g: Tensor) {
        (self.x, self.w, self.b, self.g) = (x, w, b, g)
    }

    init(seed: UInt64, batch: Int = 4, inputs: Int = 5, outputs: Int = 3) {
        self.init(
            x: randomTensor([batch, inputs], seed: seed),
            w: randomTensor([inputs, outputs], seed: seed + 100),
            b: randomTensor([outputs], seed: seed + 200),
            g: randomTensor([batch, outputs], seed: seed + 300))
    }

    /// The example of docs/02-dense-layer.md: batch 2, inputs 3, outputs 2.
    static let workedExample = DenseCase(
        x: Tensor([[1, 2, 3], [-1, 0, 2]]),
        w: Tensor([[1, -1], [0, 2], [-1, 1]]),
        b: Tensor([0.5, -1]),
        g: Tensor([[1, 0], [0.5, -1]]))

    var shapes: String {
        "X is [batch, inputs] = \(x.shape), W is [inputs, outputs] = \(w.shape), b is [outputs] = \(b.shape), "
            + "G = ∂L/∂Y is [batch, outputs] = \(g.shape)"
    }

    func studentLayer() -> Exercises.Dense { Exercises.Dense(weight: w, bias: b) }

    /// The reference layer's Y = forward(X).
    func referenceForward() throws -> Tensor {
        try reference(self) { Solutions.Dense(weight: w, bias: b).forward(x) }
    }

    /// The gradients the reference layer fills after forward(X) and backward(G).
    func referenceBackward() throws -> (dW: Tensor, db: Tensor) {
        let (dW, db) = try reference(self) { () -> (Tensor, Tensor) in
            let layer = Solutions.Dense(weight: w, bias: b)
            _ = layer.forward(x)
            _ = layer.backward(g)
            return (layer.weight.gradient, layer.bias.gradient)
        }
        return (dW, db)
    }

    /// The student's forward only, so that it earns its checks before backward is written.
    func studentForward() throws -> Tensor {
        try withShapeHint(self) { try student(2) { studentLayer().forward(x) } }
    }

    /// The student's forward, then backward from G.
    func studentBackward() throws -> (y: Tensor, dx: Tensor, dW: Tensor, db: Tensor) {
        try withShapeHint(self) {
            try student(2) {
                let layer = studentLayer()
                let y = layer.forward(x)
                let dx = layer.backward(g)
                return (y, dx, layer.weight.gradient, layer.bias.gradient)
            }
        }
    }

    // Finite differences of L = Σ (Y ⊙ G), Y from the reference forward: ∂L/∂Y = G.
    func numericInputGradient() throws -> Tensor {
        try reference(self) {
            numericalGradient(at: x) { weightedSum(Solutions.Dense(weight: w, bias: b).forward($0), g) }
        }
    }

    func numericWeightGradient() throws -> Tensor {
        try reference(self) {
            numericalGradient(at: w) { weightedSum(Solutions.Dense(weight: $0, bias: b).forward(x), g) }
        }
    }

    func numericBiasGradient() throws -> Tensor {
        try reference(self) {
            numericalGradient(at: b) { weightedSum(Solutions.Dense(weight: w, bias: $0).forward(x), g) }
        }
    }

    // Wrong answers a student is likely to give, each with what to do about it.
    // A candidate whose shapes do not fit this case is left out. The grader's rubric gives partial
    // credit by the gradient a message names (∂L/∂W, ∂L/∂b, ∂L/∂X): a hint about one gradient must
    // never name another.

    var forwardMistakes: [LikelyMistake<Tensor>] {
        [
            LikelyMistake("that is X·W without the bias: add b to every row") { x.matmul(w) },
            LikelyMistake(
                "the bias was added down the columns (row i got b[i]): b has one value per output, add it to every row"
            ) {
                x.matmul(w) + b.reshaped([b.count, 1])
            },
            LikelyMistake("W·X: the input goes on the left, Y = X·W + b") { w.matmul(x) + b },
        ].compactMap { $0 }
    }

    var inputGradientRule: String { "∂L/∂X = G·Wᵀ: [batch, outputs]·[outputs, inputs] → [batch, inputs]" }

    var inputGradientMistakes: [LikelyMistake<Tensor>] {
        [
            LikelyMistake(
                "backward returned the weight gradient Xᵀ·G: it must return ∂L/∂X = G·Wᵀ (and store Xᵀ·G in weight.gradient)"
            ) {
                x.transposed().matmul(g)
            },
            LikelyMistake("that is W·Gᵀ, the transpose of ∂L/∂X: use G·Wᵀ") { w.matmul(g.transposed()) },
        ].compactMap { $0 }
    }

    var weightGradientRule: String {
        "∂L/∂W = Xᵀ·G, with X the input cached by forward: [inputs, batch]·[batch, outputs]"
    }

    var weightGradientMistakes: [LikelyMistake<Tensor>] {
        let batch = Double(max(x.rowCount, 1))
        return [
            LikelyMistake("that is Gᵀ·X, the transpose of ∂L/∂W: use Xᵀ·G, which has W's shape") {
                g.transposed().matmul(x)
            },
            LikelyMistake(
                "it was divided by the batch size: the layer sums over the batch (averaging is the loss's job, stage 6)"
            ) {
                x.transposed().matmul(g) / batch
            },
            LikelyMistake("did forward store its input in `self.input`? Backward computes Xᵀ·G from it") {
                Tensor(zeros: w.shape)
            },
            LikelyMistake("only the first example counted: Xᵀ·G sums the contributions of every row") {
                x.rows([0]).transposed().matmul(g.rows([0]))
            },
        ].compactMap { $0 }
    }

    var biasGradientRule: String { "∂L/∂b = G summed over the batch (axis 0): one value per output" }

    var biasGradientMistakes: [LikelyMistake<Tensor>] {
        [
            LikelyMistake("that is the mean over the batch: the bias gradient must be SUMMED over the batch") {
                g.mean(alongAxis: 0)
            },
            LikelyMistake("that is only the first row of G: the bias gradient must be summed over the whole batch") {
                g.row(0)
            },
            LikelyMistake("drop the kept dimension, so that the gradient has the bias's shape [outputs]") {
                g.sum(alongAxis: 0, keepingDimension: true)
            },
            LikelyMistake("that is G itself: sum it over the batch (axis 0)") { g },
            LikelyMistake("that is a sum over the outputs (axis 1): sum over the batch (axis 0)") {
                g.sum(alongAxis: 1)
            },
        ].compactMap { $0 }
    }
}

/// A shape problem in the student's dense layer, with the shapes of this check and the rules.
private struct DenseShapeProblem: Error, CustomStringConvertible {
    let problem: StudentProblem
    let shapes: String

    var description: String {
        "\(problem) Here \(shapes). Y = X·W + b has X on the left; ∂L/∂W = Xᵀ·G; ∂L/∂b = G summed over axis 0; ∂L/∂X = G·Wᵀ."
    }
}

/// Adds the shapes of the dense layer's check to a shape problem from the student's code.
private func withShapeHint<T>(_ c: DenseCase, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StudentProblem where error.problem.kind == .invalidShape {
        throw DenseShapeProblem(problem: error, shapes: c.shapes)
    }
}
