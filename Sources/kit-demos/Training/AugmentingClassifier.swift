import NeuralKit

/// A classifier that augments every training batch before its network sees it (`kit train --augment`).
///
/// The stage's `trainEpoch` calls `logits` once per mini-batch, so each mini-batch gets new random
/// changes, made on the fly and never stored (lecture 001). Only training goes through this
/// wrapper: evaluation asks the network itself, on the test images as they are.
final class AugmentingClassifier: Classifier {
    let network: any Classifier
    /// Rows and columns of one image: the inputs arrive flattened ([N, H·W]) or as [N, C, H, W].
    let height: Int, width: Int
    /// Changes a batch of images [N, C, H, W], drawing from the generator.
    let augment: (Tensor, inout SeededGenerator) -> Tensor
    private var generator: SeededGenerator

    init(
        _ network: any Classifier, height: Int, width: Int, generator: SeededGenerator,
        augment: @escaping (Tensor, inout SeededGenerator) -> Tensor
    ) {
        self.network = network
        self.height = height
        self.width = width
        self.generator = generator
        self.augment = augment
    }

    func logits(_ input: Tensor) -> Tensor {
        let count = input.rowCount
        let images = input.reshaped([count, input.count / max(count * height * width, 1), height, width])
        return network.logits(augment(images, &generator).reshaped(input.shape))
    }

    /// ∂L/∂input is with respect to the augmented batch; training does not use it.
    @discardableResult
    func backward(logitsGradient: Tensor) -> Tensor { network.backward(logitsGradient: logitsGradient) }

    func backwardSkippingInput(logitsGradient: Tensor) { network.backwardSkippingInput(logitsGradient: logitsGradient) }

    var parameters: [Parameter] { network.parameters }
}
