import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — LeNet-5
//
// LeCun's network for digits, in the lectures' version for a 28×28×1 image:
//
//   input          1×28×28
//   conv 5×5, 6    6×24×24      (5·5·1 + 1)·6    =    156 parameters
//   max pool 2     6×12×12
//   conv 5×5, 16   16×8×8       (5·5·6 + 1)·16   =  2,416
//   max pool 2     16×4×4
//   flatten        256
//   dense 120      120          (256 + 1)·120    = 30,840
//   dense 84       84           (120 + 1)·84     = 10,164
//   dense 10       10           (84 + 1)·10      =    850
//                                                  44,426
//
// with ReLU after each convolution and each hidden dense layer.
//
// Walkthrough: docs/10-convolutional-network.md · Check: swift test --filter Stage10

/// LeNet-5 as a `Sequential`: conv → ReLU → max pool → conv → ReLU → max pool
/// → flatten → dense → ReLU → dense → ReLU → dense. Its output is the logits.
public final class LeNet5: Layer, Classifier {
    /// The layers, in order.
    public let body: Sequential

    /// A network from existing layers. (Given.)
    public init(body: Sequential) { self.body = body }

    /// LeNet-5 for `imageSize × imageSize` greyscale images (`[batch, 1, imageSize, imageSize]`)
    /// and `classes` classes, with He-normal weights drawn from `generator` in
    /// layer order and zero biases. (28 gives the lectures' table; the checks
    /// also use 16, where the flattened size is 16·1·1.)
    public convenience init(imageSize: Int = 28, classes: Int = 10, using generator: inout SeededGenerator) {
        // Each 5×5 convolution takes 4 off the size, each 2×2 pooling halves it.
        let afterFirst =
            (try? poolingOutputSize(
                input: convolutionOutputSize(input: imageSize, kernel: 5),
                window: 2, stride: 2)) ?? 0
        let afterSecond =
            (try? poolingOutputSize(
                input: convolutionOutputSize(input: afterFirst, kernel: 5),
                window: 2, stride: 2)) ?? 0
        let flattened = 16 * afterSecond * afterSecond
        self.init(
            body: Sequential(
                Conv2D(inputChannels: 1, filters: 6, kernel: 5, using: &generator),
                ReLU(),
                MaxPool2D(window: 2, stride: 2),
                Conv2D(inputChannels: 6, filters: 16, kernel: 5, using: &generator),
                ReLU(),
                MaxPool2D(window: 2, stride: 2),
                Flatten(),
                Dense(inputs: flattened, outputs: 120, initialization: .heNormal, using: &generator),
                ReLU(),
                Dense(inputs: 120, outputs: 84, initialization: .heNormal, using: &generator),
                ReLU(),
                Dense(inputs: 84, outputs: classes, initialization: .heNormal, using: &generator)
            ))
    }

    public var parameters: [Parameter] { body.parameters }

    /// The scores before softmax, `[batch, classes]`. (Given.)
    public func logits(_ input: Tensor) -> Tensor { body.forward(input) }

    /// The same as `logits`: the loss (stage 6) applies softmax. (Given.)
    public func forward(_ input: Tensor) -> Tensor { body.forward(input) }

    @discardableResult
    public func backward(logitsGradient: Tensor) -> Tensor { body.backward(logitsGradient) }

    public func backward(_ outputGradient: Tensor) -> Tensor { body.backward(outputGradient) }
}

// MARK: - The layers the network holds (given)

extension LeNet5 {
    /// The layers of `body`. (Given.)
    public var sublayers: [any Layer] { body.layers }
}
