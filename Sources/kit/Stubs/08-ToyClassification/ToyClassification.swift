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
    // TODO: the network's logits, then your `classIndices` from stage 5.
    return notImplemented("predict", placeholder: [])
}

/// The fraction of predictions equal to the labels, in [0, 1].
public func accuracy(predicted: [Int], labels: [Int]) -> Double {
    // TODO: count the positions where predicted[i] == labels[i], divided by the count
    // (a fraction like 0.75, not a percentage).
    return notImplemented("accuracy", placeholder: 0)
}

/// Trains `network` on `data` for `epochs` epochs of shuffled mini-batches.
/// Returns the mean loss of each epoch.
@discardableResult
public func train(
    _ network: any Classifier, on data: Dataset, epochs: Int, batchSize: Int,
    optimizer: any Optimizer, using generator: inout SeededGenerator
) -> [Double] {
    // TODO: for each epoch, for each batch of `miniBatches(count:batchSize:using:)`:
    // the rows `data.inputs.rows(batch)`, the SAME examples' labels one-hot encoded,
    // and `trainStep`. Average the batch losses (weighted by batch size) for the epoch.
    return notImplemented("train", placeholder: [])
}
