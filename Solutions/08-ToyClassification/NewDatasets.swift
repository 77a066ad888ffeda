import NeuralKit

// Stage 8 · Bonus: the network on new datasets
//
// The lecture 001 assignment's extras ask to "use the network on new datasets". Stage 8
// trained on spirals and moons; here your network of any depth (stage 4's bonus)
// meets three others, measured in new units:
// - circles: a disc inside a ring (2 classes),
// - xor: four squares, opposite ones of the same class (2 classes),
// - blobs: three clouds of points (3 classes).
// Their coordinates come in the hundreds, far from where fresh weights work well, so
// first rescale them; then choose, for each dataset, the network and the training.
//
// Walkthrough: docs/08-toy-classification.md · Check: swift test --filter Bonus08
// Replace each `return notImplemented(...)` with your code.

/// `inputs` with each column rescaled to mean 0 and standard deviation 1, using the mean and
/// standard deviation of that column in `training` (the training set's, also for the test set).
public func standardized(_ inputs: Tensor, like training: Tensor) -> Tensor {
    let mean = training.mean(alongAxis: 0)
    let deviation = sqrt((training - mean).squared().mean(alongAxis: 0))
    // A constant column carries no information: it becomes 0 rather than 0 / 0.
    return (inputs - mean) / max(deviation, 1e-12)
}

/// The network and the training you choose for `dataset` (circles, xor or blobs): at least 95%
/// of its held-out points right after training on standardized inputs.
public func trainingPlan(for dataset: ToyDataset) -> TrainingPlan {
    switch dataset {
    case .blobs:
        return TrainingPlan(sizes: [2, 16, 3], epochs: 30, batchSize: 32, learningRate: 0.1, momentum: 0.9)
    case .circles, .xor, .moons, .spirals:
        return TrainingPlan(sizes: [2, 32, 32, 2], epochs: 100, batchSize: 32, learningRate: 0.1, momentum: 0.9)
    }
}
