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
        // TODO: like stage 1's ReLU layer, with your `sigmoid`.
        return notImplemented("Sigmoid.forward", placeholder: input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: your `sigmoidBackward`, at the cached input.
        return notImplemented("Sigmoid.backward", placeholder: outputGradient)
    }
}

/// Tanh as a layer: `tanh(x)` forward, `∂L/∂y · (1 − tanh²x)` backward.
public final class Tanh: Layer {
    /// The input of the last forward pass.
    public private(set) var input: Tensor?

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        return notImplemented("Tanh.forward", placeholder: input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        return notImplemented("Tanh.backward", placeholder: outputGradient)
    }
}
