import NeuralKit

/// The dense layer `kit train` and `kit bench` train: the reference `Dense` (stage 2), which
/// also skips `∂L/∂X` when it is the first layer, and computes `Xᵀ G` without building `Xᵀ`.
/// The same numbers as the reference (FastReferenceTests).
public final class Dense: Layer {
    /// W, shape `[inputs, outputs]`.
    public let weight: Parameter
    /// b, shape `[outputs]`.
    public let bias: Parameter
    /// The input of the last forward pass, shape `[batch, inputs]`.
    public private(set) var input: Tensor?

    /// A layer with the given weight `[inputs, outputs]` and bias `[outputs]`.
    public init(weight: Tensor, bias: Tensor) {
        self.weight = Parameter("weight", weight)
        self.bias = Parameter("bias", bias)
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// `Y = XW + b`: `[batch, inputs] → [batch, outputs]`.
    public func forward(_ input: Tensor) -> Tensor {
        self.input = input
        return input.matmul(weight.value) + bias.value
    }

    /// From `G = ∂L/∂Y` `[batch, outputs]`:
    /// `∂L/∂W = Xᵀ G`, `∂L/∂b = Σ over the batch of G`, and returns `∂L/∂X = G Wᵀ`.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        backwardSkippingInput(outputGradient)
        return outputGradient.matmul(weight.value.transposed())
    }

    /// `∂L/∂W` and `∂L/∂b` only: a first layer's input is the data, which needs no gradient.
    public func backwardSkippingInput(_ outputGradient: Tensor) {
        let x = input ?? Tensor(zeros: [outputGradient.rowCount, weight.value.rowCount])
        // Xᵀ G, without building Xᵀ: the same numbers as `x.transposed().matmul(outputGradient)`.
        weight.gradient = x.transposedMatmul(outputGradient)
        bias.gradient = outputGradient.sum(alongAxis: 0)
    }
}
