import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — bonus: transfer learning
//
// A network trained on one task has learned features that serve similar tasks (lecture 001,
// "Transfer learning"). To reuse it: keep its layers, replace the output layer, which only
// knows the old classes, by a new one for the new classes, freeze the rest, and train the new
// layer — a few more with a small learning rate — on the new task's data. With little data,
// this beats training the whole network from scratch.
//
// Freezing needs no change to the optimizers: an optimizer moves the parameters it is given,
// and `trainStep` gives it `network.parameters`. A model that lists only the parameters of its
// trainable layers leaves every other layer as it was.
//
// Walkthrough: docs/10-convolutional-network.md · Check: swift test --filter Bonus10

/// `network` with its output layer replaced by a new dense layer for `classes` classes (He-normal
/// weights from `generator`, zero biases), as wide as the layer before it; the other layers are
/// `network`'s own, trained ones.
public func replacingHead(of network: LeNet5, classes: Int, using generator: inout SeededGenerator) -> LeNet5 {
    // TODO: keep every layer of `network.body` but the last; add a `Dense(inputs:outputs:initialization:
    // using:)` (stage 3) for `classes`, with as many inputs as the old head has (its weight is
    // [inputs, outputs]), and return `LeNet5(body: Sequential(…))` of them.
    return notImplemented("replacingHead(of:classes:using:)", placeholder: network)
}

/// A network whose first `frozenLayers` layers (of `network.body`) are frozen: training with
/// `trainStep` moves only the layers after them.
public final class FineTuning: Classifier {
    /// The whole network, frozen layers included.
    public let network: LeNet5
    /// How many layers, from the input on, keep their values.
    public let frozenLayers: Int

    /// (Given.)
    public init(_ network: LeNet5, frozenLayers: Int) {
        self.network = network
        self.frozenLayers = frozenLayers
    }

    /// The parameters of the layers after the frozen ones: all that an optimizer is given, and so
    /// all that it moves.
    public var parameters: [Parameter] {
        // TODO: the parameters of `network.body.layers` after the first `frozenLayers`.
        notImplemented("FineTuning.parameters", placeholder: network.parameters)
    }

    /// The whole network's logits. (Given.)
    public func logits(_ input: Tensor) -> Tensor { network.logits(input) }

    /// Backward through the whole network. (Given: it fills the frozen layers' gradients too,
    /// which no optimizer sees.)
    @discardableResult
    public func backward(logitsGradient: Tensor) -> Tensor { network.backward(logitsGradient: logitsGradient) }
}
