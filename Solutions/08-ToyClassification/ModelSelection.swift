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
    guard (0...1).contains(fraction) else {
        Problems.invalidShape("validationSplit(fraction: \(fraction)): the fraction must be between 0 and 1")
        return (data, data.subset([]))
    }
    let order = generator.permutation(data.count)
    let validationCount = Int((Double(data.count) * fraction).rounded())
    return (data.subset(Array(order[validationCount...])), data.subset(Array(order[..<validationCount])))
}

/// Trains `network` on `trainingSet` for `epochs` epochs, measures its accuracy on `validation` after
/// each, and leaves the network holding the weights of the epoch with the best validation accuracy.
/// Epochs count from 1; returns that epoch, its accuracy, and every epoch's validation accuracy.
@discardableResult
public func trainKeepingBest(
    _ network: any Classifier, on trainingSet: Dataset, validation: Dataset, epochs: Int, batchSize: Int,
    optimizer: any Optimizer, using generator: inout SeededGenerator
) -> (bestEpoch: Int, bestAccuracy: Double, accuracies: [Double]) {
    var best = (epoch: 0, accuracy: -1.0, values: network.parameters.map(\.value))
    var accuracies: [Double] = []
    for epoch in stride(from: 1, through: epochs, by: 1) {
        train(network, on: trainingSet, epochs: 1, batchSize: batchSize, optimizer: optimizer, using: &generator)
        let current = accuracy(predicted: predict(network, validation.inputs), labels: validation.labels)
        accuracies.append(current)
        // Strictly better: of equal epochs, the earliest stays.
        if current > best.accuracy { best = (epoch, current, network.parameters.map(\.value)) }
    }
    for (parameter, value) in zip(network.parameters, best.values) { parameter.value = value }
    return (best.epoch, max(best.accuracy, 0), accuracies)
}
