import NeuralKit

// Stage 8 · Bonus: model selection
//
// The test set is for the final verdict only. To choose anything while training (here: when to
// stop), hold out a validation set from the training data, measure on it after every epoch, and
// keep the weights of the best epoch (lecture 004; lecture 002 on validation splits).
//
// Walkthrough: docs/08-toy-classification.md ("Model selection") · Check: swift test --filter Bonus08
// Replace each `return notImplemented(...)` with your code.

/// A random split of `data` into a training and a validation set: `fraction` of the examples,
/// rounded, drawn with `generator`, go to validation; every example lands in exactly one of the two.
public func validationSplit(
    _ data: Dataset, fraction: Double, using generator: inout SeededGenerator
) -> (train: Dataset, validation: Dataset) {
    // TODO: a random order of the examples (`generator.permutation(data.count)`); the first
    // `Int((Double(data.count) * fraction).rounded())` of it are the validation set, the rest the
    // training set (`data.subset(indices)` keeps each example's label).
    return notImplemented("validationSplit", placeholder: (data, data))
}

/// Trains `network` on `trainingSet` for `epochs` epochs, measures its accuracy on `validation` after
/// each, and leaves the network holding the weights of the epoch with the best validation accuracy.
/// Epochs count from 1; returns that epoch, its accuracy, and every epoch's validation accuracy.
@discardableResult
public func trainKeepingBest(
    _ network: any Classifier, on trainingSet: Dataset, validation: Dataset, epochs: Int, batchSize: Int,
    optimizer: any Optimizer, using generator: inout SeededGenerator
) -> (bestEpoch: Int, bestAccuracy: Double, accuracies: [Double]) {
    // TODO: one epoch at a time (your `train(…, epochs: 1, …)`), then the validation accuracy
    // (`accuracy(predicted: predict(network, validation.inputs), labels: validation.labels)`).
    // When it beats the best so far, copy every `parameter.value` (a Tensor is a value: the copy
    // does not change when training goes on). At the end, put the best copy back into the parameters.
    return notImplemented("trainKeepingBest", placeholder: (0, 0, []))
}
