import NeuralKit

// Stage 4 · Two-layer network
//
// Dense → ReLU → Dense → softmax. Forward runs the layers in order to class
// probabilities; backward runs them in reverse, each turning the gradient
// with respect to its output into the gradient with respect to its input.
// The layers are yours from stages 1–3 (ReLU, softmax, Dense, He init):
// this stage only wires them together.
//
// Walkthrough: docs/04-two-layer-network.md · Check: swift test --filter Stage04
// Replace each `return notImplemented(...)` with your code.

/// A classifier with one hidden layer: `softmax(relu(x W₁ + b₁) W₂ + b₂)`.
public final class TwoLayerNetwork: Layer, Classifier {
    public let hidden: Dense
    public let activation: ReLU
    public let output: Dense
    /// The probabilities of the last forward pass: softmax's backward needs them.
    public private(set) var probabilities: Tensor?

    /// A network from existing layers. (Given.)
    public init(hidden: Dense, output: Dense) {
        self.hidden = hidden
        self.activation = ReLU()
        self.output = output
    }

    /// A network with He-initialized layers (stage 3): `inputs → hidden → outputs`. (Given.)
    public convenience init(inputs: Int, hidden: Int, outputs: Int, using generator: inout SeededGenerator) {
        self.init(
            hidden: Dense(inputs: inputs, outputs: hidden, initialization: .heNormal, using: &generator),
            output: Dense(inputs: hidden, outputs: outputs, initialization: .heNormal, using: &generator))
    }

    /// (Given: the hidden layer's weight and bias, then the output layer's.)
    public var parameters: [Parameter] { hidden.parameters + output.parameters }

    /// The scores before softmax, `[batch, outputs]`.
    public func logits(_ input: Tensor) -> Tensor {
        // TODO: the input goes through `hidden`, then `activation`, then `output`
        // (call each layer's `forward`, so that each caches what its backward needs).
        return notImplemented(
            "TwoLayerNetwork.logits", placeholder: Tensor(zeros: [input.rowCount, output.bias.value.count]))
    }

    /// Class probabilities, `[batch, outputs]`; each row sums to 1.
    public func forward(_ input: Tensor) -> Tensor {
        // TODO: softmax of the logits. Keep the result in `probabilities`
        // before returning it: `backward(_:)` needs it.
        return notImplemented(
            "TwoLayerNetwork.forward", placeholder: Tensor(zeros: [input.rowCount, output.bias.value.count]))
    }

    /// Backward from `∂L/∂logits`: through the output layer, ReLU and the
    /// hidden layer. Returns `∂L/∂x`. (Stage 6 computes `∂L/∂logits` directly.)
    @discardableResult
    public func backward(logitsGradient: Tensor) -> Tensor {
        // TODO: the layers of `logits` in reverse order, each `backward` taking
        // the gradient the previous one returned. The Dense layers fill their
        // parameters' gradients as they go.
        return notImplemented(
            "TwoLayerNetwork.backward(logitsGradient:)",
            placeholder: Tensor(zeros: [logitsGradient.rowCount, hidden.weight.value.rowCount]))
    }

    /// Backward from `∂L/∂probabilities`: through softmax, then as `backward(logitsGradient:)`.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: turn ∂L/∂probabilities into ∂L/∂logits with `softmaxBackward`
        // (it needs softmax's output: the cached `probabilities`), then call
        // `backward(logitsGradient:)`.
        return notImplemented(
            "TwoLayerNetwork.backward",
            placeholder: Tensor(zeros: [outputGradient.rowCount, hidden.weight.value.rowCount]))
    }
}

// MARK: - Bonus: a network of any depth (optional, scored separately)

/// Dense layers of the given sizes with ReLU between them, then softmax:
/// `MultilayerNetwork(sizes: [784, 256, 100, 10])`.
public final class MultilayerNetwork: Layer, Classifier {
    /// Dense, ReLU, Dense, ReLU, …, Dense.
    public let body: Sequential
    public private(set) var probabilities: Tensor?

    public init(sizes: [Int], using generator: inout SeededGenerator) {
        // TODO: one He-initialized Dense layer for each pair of consecutive sizes
        // (`zip(sizes, sizes.dropFirst())`), with a ReLU between two Dense layers
        // but none after the last one; then `body = Sequential(layers)`.
        body = notImplemented("MultilayerNetwork(sizes:using:)", placeholder: Sequential([]))
    }

    /// (Given.)
    public var parameters: [Parameter] { body.parameters }

    public func logits(_ input: Tensor) -> Tensor {
        // TODO: `body` runs its layers in order.
        return notImplemented("MultilayerNetwork.logits", placeholder: input)
    }

    public func forward(_ input: Tensor) -> Tensor {
        // TODO: as in TwoLayerNetwork.
        return notImplemented("MultilayerNetwork.forward", placeholder: input)
    }

    @discardableResult
    public func backward(logitsGradient: Tensor) -> Tensor {
        // TODO: `body` runs its layers' backward in reverse order.
        return notImplemented("MultilayerNetwork.backward(logitsGradient:)", placeholder: logitsGradient)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: as in TwoLayerNetwork.
        return notImplemented("MultilayerNetwork.backward", placeholder: outputGradient)
    }
}

// MARK: - The layers the networks hold (given)

extension TwoLayerNetwork {
    /// The layers of `logits`, in order (softmax keeps the shape). (Given.)
    public var sublayers: [any Layer] { [hidden, activation, output] }
}

extension MultilayerNetwork {
    /// The layers of `body`. (Given.)
    public var sublayers: [any Layer] { body.layers }
}
