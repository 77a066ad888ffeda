import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — bonus: more activations as layers
//
// Stage 1's activations work element by element, so they work on images as
// well as on rows. As layers, they cache their input (or output) for backward.
//
// Walkthrough: docs/10-convolutional-network.md · Check: swift test --filter Stage10

/// Sigmoid as a layer: `σ(x)` forward, `∂L/∂y · σ(x)(1 − σ(x))` backward.
public final class Sigmoid: Layer {
    /// The input of the last forward pass.
    public private(set) var input: Tensor?

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        self.input = input
        return sigmoid(input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        sigmoidBackward(outputGradient, input: input ?? Tensor(zeros: outputGradient.shape))
    }
}

/// Tanh as a layer: `tanh(x)` forward, `∂L/∂y · (1 − tanh²x)` backward.
public final class Tanh: Layer {
    /// The input of the last forward pass.
    public private(set) var input: Tensor?

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        self.input = input
        return tanh(input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        tanhBackward(outputGradient, input: input ?? Tensor(zeros: outputGradient.shape))
    }
}
