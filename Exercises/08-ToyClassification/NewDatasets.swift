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
    // TODO: the column means μ of `training` (`mean(alongAxis: 0)`), its column standard
    // deviations σ, and (inputs − μ) / σ. A column whose σ is 0 would divide by 0: keep it finite.
    return notImplemented("standardized(_:like:)", placeholder: inputs)
}

/// The network and the training you choose for `dataset` (circles, xor or blobs): at least 95%
/// of its held-out points right after training on standardized inputs.
public func trainingPlan(for dataset: ToyDataset) -> TrainingPlan {
    // TODO: `TrainingPlan(sizes: [2, …, dataset.classCount], epochs:, batchSize:, learningRate:, momentum:)`
    // for each dataset (`switch dataset`); stage 8's settings are a good start.
    return notImplemented(
        "trainingPlan(for:)", placeholder: TrainingPlan(sizes: [], epochs: 0, batchSize: 1, learningRate: 0))
}
