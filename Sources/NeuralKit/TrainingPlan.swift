/// A network's layer sizes and the settings to train it with: what a student chooses for a new dataset.
///
/// `sizes` are those of a `MultilayerNetwork` (inputs, hidden widths…, classes); the network is
/// trained with SGD (`learningRate`, `momentum`) for `epochs` epochs of mini-batches of `batchSize`.
public struct TrainingPlan: Sendable, Equatable, CustomStringConvertible {
    public var sizes: [Int]
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var momentum: Double

    public init(sizes: [Int], epochs: Int, batchSize: Int, learningRate: Double, momentum: Double = 0) {
        self.sizes = sizes
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// The widest hidden layer, the most hidden layers and epochs, the smallest batch and the most work
    /// (epochs × examples × parameters) a plan may use: a check trains three plans in a debug build, within
    /// the grader's time for a stage, and these keep it to seconds.
    public static let widestLayer = 128, mostHiddenLayers = 3, mostEpochs = 300, smallestBatch = 16
    public static let mostWork = 500_000_000

    /// The number of weights and biases of the plan's network.
    public var parameterCount: Int { zip(sizes, sizes.dropFirst()).reduce(0) { $0 + ($1.0 + 1) * $1.1 } }

    /// Why the plan cannot train a network from `inputs` features to `classes` classes on `examples`
    /// examples within the limits above, or nil when it can.
    public func problem(inputs: Int, classes: Int, examples: Int) -> String? {
        guard sizes.count >= 2 else {
            return "sizes \(sizes) needs at least the inputs and the classes, e.g. [\(inputs), 32, \(classes)]"
        }
        if sizes.first != inputs { return "sizes \(sizes) should start with the \(inputs) input features" }
        if sizes.last != classes { return "sizes \(sizes) should end with the \(classes) classes" }
        let hidden = sizes.dropFirst().dropLast()
        if let bad = hidden.first(where: { !(1...Self.widestLayer).contains($0) }) {
            return "a hidden layer of \(bad) units: keep each between 1 and \(Self.widestLayer)"
        }
        if hidden.count > Self.mostHiddenLayers {
            return "\(hidden.count) hidden layers: at most \(Self.mostHiddenLayers) are needed here"
        }
        if !(1...Self.mostEpochs).contains(epochs) { return "\(epochs) epochs: choose 1 to \(Self.mostEpochs)" }
        if batchSize < Self.smallestBatch {
            return
                "a batch size of \(batchSize): choose at least \(Self.smallestBatch), so that an epoch takes few steps"
        }
        if !(learningRate > 0 && learningRate.isFinite) { return "a learning rate of \(learningRate): choose one > 0" }
        if !(0..<1).contains(momentum) { return "a momentum of \(momentum): choose 0 ≤ momentum < 1" }
        let work = epochs * examples * parameterCount
        if work > Self.mostWork {
            return "\(epochs) epochs of \(examples) examples through \(parameterCount) parameters is "
                + "\(work / 1_000_000) million multiply-adds' worth of training, more than the check's "
                + "\(Self.mostWork / 1_000_000) million: choose fewer epochs or a smaller network"
        }
        return nil
    }

    public var description: String {
        "sizes \(sizes), \(epochs) epochs, batches of \(batchSize), η = \(learningRate)"
            + (momentum > 0 ? ", momentum \(momentum)" : "")
    }
}
