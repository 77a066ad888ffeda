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
        output.forward(activation.forward(hidden.forward(input)))
    }

    /// Class probabilities, `[batch, outputs]`; each row sums to 1.
    public func forward(_ input: Tensor) -> Tensor {
        let p = softmax(logits(input))
        probabilities = p
        return p
    }

    /// Backward from `∂L/∂logits`: through the output layer, ReLU and the
    /// hidden layer. Returns `∂L/∂x`. (Stage 6 computes `∂L/∂logits` directly.)
    @discardableResult
    public func backward(logitsGradient: Tensor) -> Tensor {
        hidden.backward(activation.backward(output.backward(logitsGradient)))
    }

    /// Backward from `∂L/∂probabilities`: through softmax, then as `backward(logitsGradient:)`.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        let p = probabilities ?? Tensor(zeros: outputGradient.shape)
        return backward(logitsGradient: softmaxBackward(outputGradient, output: p))
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
        var layers: [any Layer] = []
        for (index, (inputs, outputs)) in zip(sizes, sizes.dropFirst()).enumerated() {
            if index > 0 { layers.append(ReLU()) }
            layers.append(Dense(inputs: inputs, outputs: outputs, initialization: .heNormal, using: &generator))
        }
        body = Sequential(layers)
    }

    /// (Given.)
    public var parameters: [Parameter] { body.parameters }

    public func logits(_ input: Tensor) -> Tensor {
        body.forward(input)
    }

    public func forward(_ input: Tensor) -> Tensor {
        let p = softmax(logits(input))
        probabilities = p
        return p
    }

    @discardableResult
    public func backward(logitsGradient: Tensor) -> Tensor {
        body.backward(logitsGradient)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let p = probabilities ?? Tensor(zeros: outputGradient.shape)
        return backward(logitsGradient: softmaxBackward(outputGradient, output: p))
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
