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
    guard pixels.rank >= 2 else {
        Problems.invalidShape("preprocess needs images [count, height, width], got shape \(pixels.shape)")
        return pixels
    }
    return pixels.flattenedBatch() / 255
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
    let batches = miniBatches(count: data.count, batchSize: batchSize, using: &generator)
    var totalLoss = 0.0
    var correct = 0
    var seen = 0
    for (index, batch) in batches.enumerated() {
        let labels = batch.map { data.labels[$0] }
        let targets = (try? oneHot(labels, classes: data.classCount)) ?? Tensor(zeros: [batch.count, data.classCount])
        let logits = network.logits(data.inputs.rows(batch))
        let loss = crossEntropy(softmax(logits), targets: targets)
        correct += zip(classIndices(logits), labels).filter { $0 == $1 }.count
        // The images need no gradient: `backwardSkippingInput` spares the first layer that work.
        network.backwardSkippingInput(logitsGradient: softmaxCrossEntropyBackward(logits: logits, targets: targets))
        optimizer.step(network.parameters)
        totalLoss += loss * Double(batch.count)
        seen += batch.count
        let progress = BatchProgress(
            batch: index + 1, batchCount: batches.count, examples: seen, loss: loss,
            meanLoss: totalLoss / Double(seen), accuracy: Double(correct) / Double(seen))
        if !afterBatch(progress) { break }
    }
    let examples = Double(max(seen, 1))
    return EpochStatistics(loss: totalLoss / examples, accuracy: Double(correct) / examples, examples: seen)
}

/// The confusion matrix of a classifier: `matrix[t][p]` counts the examples of
/// true class `t` predicted as class `p`. Rows are the true classes, columns the
/// predictions; the diagonal holds the right answers.
public func confusionMatrix(predicted: [Int], labels: [Int], classes: Int) -> [[Int]] {
    var matrix = [[Int]](repeating: [Int](repeating: 0, count: max(classes, 0)), count: max(classes, 0))
    for (p, t) in zip(predicted, labels) where (0..<classes).contains(p) && (0..<classes).contains(t) {
        matrix[t][p] += 1
    }
    return matrix
}

/// Classifies one image of raw pixels `[height, width]` (0…255): preprocessed
/// as in training, then the network's class probabilities. Returns the most
/// likely class and the probability of every class.
public func classify(_ image: Tensor, with network: any Classifier) -> (label: Int, probabilities: [Double]) {
    let input = preprocess(image.reshaped([1] + image.shape))
    let probabilities = softmax(network.logits(input))
    return (classIndices(probabilities).first ?? 0, probabilities.scalars)
}
