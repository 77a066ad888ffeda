import NeuralKit

// Stage 8 · Toy classification
//
// Put the pieces together: train a network on two-dimensional points and
// measure how many it classifies right. Points are easy to picture, so you
// can see the decision boundary the network learned.
//
// Walkthrough: docs/08-toy-classification.md · Check: swift test --filter Stage08
// Replace each `return notImplemented(...)` with your code.

/// The predicted class of each example: the index of its largest logit.
public func predict(_ network: any Classifier, _ inputs: Tensor) -> [Int] {
    classIndices(network.logits(inputs))
}

/// The fraction of predictions equal to the labels, in [0, 1].
public func accuracy(predicted: [Int], labels: [Int]) -> Double {
    guard !labels.isEmpty, predicted.count == labels.count else { return 0 }
    return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// Trains `network` on `data` for `epochs` epochs of shuffled mini-batches.
/// Returns the mean loss of each epoch.
@discardableResult
public func train(
    _ network: any Classifier, on data: Dataset, epochs: Int, batchSize: Int,
    optimizer: any Optimizer, using generator: inout SeededGenerator
) -> [Double] {
    var losses: [Double] = []
    for _ in 0..<epochs {
        var total = 0.0
        for batch in miniBatches(count: data.count, batchSize: batchSize, using: &generator) {
            let targets =
                (try? oneHot(batch.map { data.labels[$0] }, classes: data.classCount))
                ?? Tensor(zeros: [batch.count, data.classCount])
            let loss = trainStep(network, inputs: data.inputs.rows(batch), targets: targets, optimizer: optimizer)
            total += loss * Double(batch.count)
        }
        losses.append(total / Double(max(data.count, 1)))
    }
    return losses
}
