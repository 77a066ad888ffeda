import NeuralKit

// Stage 9 · MNIST
//
// Handwritten digits: 28×28 greyscale images, ten classes. A network of
// stage 4 reads each image as one row of 784 numbers in [0, 1]. The training
// loop of stage 8 grows up: it reports its progress after every mini-batch,
// measures the accuracy while it trains, and can be stopped. A confusion
// matrix shows which digits are mistaken for which.
//
// Walkthrough: docs/09-mnist.md · Check: swift test --filter Stage09
// Replace each `return notImplemented(...)` with your code.

/// Raw pixels to network inputs: `[count, height, width]` values 0…255 become
/// `[count, height × width]` values in [0, 1] (each image flattened row by
/// row, each pixel divided by 255).
public func preprocess(_ pixels: Tensor) -> Tensor {
    // TODO: one row per image (`flattenedBatch()` or `reshaped([count, -1])`),
    // every pixel divided by 255 (the largest byte), not by the image's own maximum.
    return notImplemented(
        "preprocess", placeholder: Tensor(zeros: [pixels.rowCount, pixels.count / max(pixels.rowCount, 1)]))
}

/// A labelled dataset ready for training: the images through `preprocess`,
/// with their labels and class names. (Given.)
public func dataset(from images: ImageDataset) throws -> Dataset {
    try Dataset(
        inputs: preprocess(images.pixelTensor()), labels: images.labels,
        classCount: images.classNames.count, classNames: images.classNames)
}

/// What `trainEpoch` tells its caller after each mini-batch. (Given.)
public struct BatchProgress: Sendable, Equatable {
    /// 1 for the epoch's first batch.
    public var batch: Int
    /// The number of batches in the epoch.
    public var batchCount: Int
    /// Examples trained on so far in this epoch, this batch included.
    public var examples: Int
    /// This batch's loss.
    public var loss: Double
    /// The epoch's mean loss and accuracy so far.
    public var meanLoss: Double
    public var accuracy: Double

    public init(batch: Int, batchCount: Int, examples: Int, loss: Double, meanLoss: Double, accuracy: Double) {
        self.batch = batch
        self.batchCount = batchCount
        self.examples = examples
        self.loss = loss
        self.meanLoss = meanLoss
        self.accuracy = accuracy
    }
}

/// What one epoch of `trainEpoch` measured. (Given.)
public struct EpochStatistics: Sendable, Equatable {
    /// The mean loss over the examples trained on: each batch's loss weighted by its size.
    public var loss: Double
    /// The fraction of those examples classified right, by the logits of each
    /// batch's forward pass (before its update).
    public var accuracy: Double
    /// How many examples were trained on: all, unless `afterBatch` stopped the epoch.
    public var examples: Int

    public init(loss: Double, accuracy: Double, examples: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.examples = examples
    }
}

/// One epoch of training: every example once, in the shuffled mini-batches
/// of `miniBatches(count:batchSize:using:)`. For each batch: the logits, the
/// loss of their softmax, the number of right answers, backward from
/// `∂L/∂logits`, one optimizer step; then `afterBatch` with the progress so
/// far. When `afterBatch` returns false the epoch stops there.
@discardableResult
public func trainEpoch(
    _ network: any Classifier, on data: Dataset, batchSize: Int, optimizer: any Optimizer,
    using generator: inout SeededGenerator,
    afterBatch: (BatchProgress) -> Bool = { _ in true }
) -> EpochStatistics {
    // TODO: for each batch of `miniBatches(count: data.count, batchSize:, using: &generator)` (stage 7):
    // one-hot its labels (stage 5), the logits of `data.inputs.rows(batch)`, the loss of their softmax
    // (stage 6), count the right answers (`classIndices(logits)`), backward from
    // `softmaxCrossEntropyBackward`, `optimizer.step(network.parameters)`; then call `afterBatch`
    // with the progress so far and stop if it returns false. Weight each batch's loss by its size.
    return notImplemented("trainEpoch", placeholder: EpochStatistics(loss: 0, accuracy: 0, examples: 0))
}

/// The confusion matrix of a classifier: `matrix[t][p]` counts the examples of
/// true class `t` predicted as class `p`. Rows are the true classes, columns the
/// predictions; the diagonal holds the right answers.
public func confusionMatrix(predicted: [Int], labels: [Int], classes: Int) -> [[Int]] {
    // TODO: a classes × classes matrix of zeros; for each example add 1 at
    // [true class][predicted class].
    return notImplemented(
        "confusionMatrix",
        placeholder: [[Int]](repeating: [Int](repeating: 0, count: max(classes, 0)), count: max(classes, 0)))
}

/// Classifies one image of raw pixels `[height, width]` (0…255): preprocessed
/// as in training, then the network's class probabilities. Returns the most
/// likely class and the probability of every class.
public func classify(_ image: Tensor, with network: any Classifier) -> (label: Int, probabilities: [Double]) {
    // TODO: make the image a batch of one ([1, height, width]), preprocess it exactly as
    // in training, softmax of the network's logits; the label is the most likely class.
    return notImplemented("classify", placeholder: (0, []))
}
