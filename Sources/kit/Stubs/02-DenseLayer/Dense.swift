import NeuralKit

// Stage 2 · Dense layer
//
// A dense (fully connected) layer maps each example x (a row) to y = xW + b.
// A batch is a matrix with one example a row, so the whole batch is one
// matrix product: Y = XW + b, with b added to every row.
// Forward caches the input; backward needs it for ∂L/∂W.
//
// Walkthrough: docs/02-dense-layer.md · Check: swift test --filter Stage02
// Replace each `return notImplemented(...)` with your code.

/// A fully connected layer: `y = xW + b` for every row `x` of the input.
public final class Dense: Layer {
    /// W, shape `[inputs, outputs]`.
    public let weight: Parameter
    /// b, shape `[outputs]`.
    public let bias: Parameter
    /// The input of the last forward pass, shape `[batch, inputs]`.
    public private(set) var input: Tensor?

    /// A layer with the given weight `[inputs, outputs]` and bias `[outputs]`.
    /// (Given.)
    public init(weight: Tensor, bias: Tensor) {
        self.weight = Parameter("weight", weight)
        self.bias = Parameter("bias", bias)
    }

    /// A layer of zeros; stage 3 fills it with random values. (Given.)
    public convenience init(inputs: Int, outputs: Int) {
        self.init(weight: Tensor(zeros: [inputs, outputs]), bias: Tensor(zeros: [outputs]))
    }

    /// (Given: what an optimizer updates.)
    public var parameters: [Parameter] { [weight, bias] }

    /// `Y = XW + b`: `[batch, inputs] → [batch, outputs]`.
    public func forward(_ input: Tensor) -> Tensor {
        // TODO: store `input` in `self.input` (backward needs it), then return X·W + b
        // (`matmul`; `+` adds a vector of shape [outputs] to every row).
        return notImplemented("Dense.forward", placeholder: Tensor(zeros: [input.rowCount, weight.value.columnCount]))
    }

    /// From `G = ∂L/∂Y` `[batch, outputs]`:
    /// `∂L/∂W = Xᵀ G`, `∂L/∂b = Σ over the batch of G`, and returns `∂L/∂X = G Wᵀ`.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: X is the cached `input` (optional: use `input ?? Tensor(zeros: [batch, inputs])`,
        // never `input!`). Set `weight.gradient` ([inputs, outputs]) and `bias.gradient` ([outputs]),
        // then return ∂L/∂X ([batch, inputs]). `transposed()`, `matmul`, `sum(alongAxis:)`.
        return notImplemented(
            "Dense.backward",
            placeholder: Tensor(zeros: [outputGradient.rowCount, weight.value.rowCount]))
    }
}

// MARK: - Description (given)

extension Dense {
    /// `[batch, inputs] → [batch, outputs]`, or why the input does not fit. (Given.)
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let (inputs, outputs) = (weight.value.rowCount, weight.value.columnCount)
        guard inputShape.count == 2, inputShape[1] == inputs else {
            let hint = inputShape.count > 2 ? " (flatten images first)" : ""
            throw KitError("\(description) takes [batch, \(inputs)], not \(inputShape)\(hint)")
        }
        return [inputShape[0], outputs]
    }

    /// One multiply-accumulate per weight and example. (Given.)
    public func multiplyAccumulates(for inputShape: [Int]) throws -> Int {
        try outputShape(for: inputShape)[0] * weight.value.count
    }

    /// `dense 120`. (Given.)
    public var description: String { "dense \(weight.value.columnCount)" }
}
