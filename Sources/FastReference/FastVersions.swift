import NeuralKit
import Solutions

// What `kit train` and `kit bench` train: the reference's networks (stages 4 and 10), drawn by the
// reference's own initializers from the same seed, with their layers swapped for the fast ones.

/// The fast version of a reference layer, with the same weights (copied: training one leaves the
/// other as it was), or the layer itself where the reference's is what training needs (ReLU, Flatten).
public func fastVersion(of layer: any Layer) -> any Layer {
    switch layer {
    case let dense as Solutions.Dense:
        return Dense(weight: dense.weight.value, bias: dense.bias.value)
    case let convolution as Solutions.Conv2D:
        return Conv2D(
            weight: convolution.weight.value, bias: convolution.bias.value, stride: convolution.stride,
            padding: convolution.padding, dilation: convolution.dilation)
    case let pooling as Solutions.MaxPool2D:
        return MaxPool2D(window: pooling.window, stride: pooling.stride)
    default:
        return layer
    }
}

/// The reference's two-layer network as fast layers: its logits, and a `backwardSkippingInput`
/// that spares the first layer `∂L/∂x` (`Sequential`'s).
public func fastVersion(of network: Solutions.TwoLayerNetwork) -> Sequential {
    Sequential([network.hidden, network.activation, network.output].map(fastVersion(of:)))
}

/// The reference's LeNet-5 as fast layers (its output is the logits, as LeNet-5's is).
public func fastVersion(of network: Solutions.LeNet5) -> Sequential {
    Sequential(network.body.layers.map(fastVersion(of:)))
}
