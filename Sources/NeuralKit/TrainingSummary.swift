import Foundation

/// What a training run reports: `kit train --json` prints it as one line (CI reads `test_accuracy`), and
/// `run.json` beside the run's pictures holds it with each epoch's figures, for `kit report` and `kit notebook`.
///
/// JSON keys are snake_case (`testAccuracy` is "test_accuracy"); a number that is not finite is written
/// "nan", "inf" or "-inf", so a run that diverged still says what happened.
public struct TrainingSummary: Codable, Equatable, Sendable {
    public var dataset: String
    public var model: String
    /// True when the run trained the student's code, false for the reference's.
    public var student: Bool
    public var testAccuracy: Double
    public var trainAccuracy: Double
    public var finalLoss: Double
    /// The test set's mean cross-entropy after the last epoch (nil in runs from before it was recorded).
    public var testLoss: Double?
    public var epochs: Int
    public var secondsPerEpoch: Double
    public var samplesPerSecond: Int
    public var parameters: Int
    /// The multilayer perceptron's layer widths, inputs to classes ("2,100,2"); nil for LeNet-5.
    public var layerSizes: String?
    public var seed: UInt64
    public var batchSize: Int
    public var learningRate: Double
    public var momentum: Double
    public var decay: Double
    public var trainExamples: Int
    public var testExamples: Int
    /// Each epoch's figures; only in `run.json`, so the --json line stays one short line.
    public var history: [EpochFigures]?

    /// One epoch of a run, as `kit train` logs it.
    public struct EpochFigures: Codable, Equatable, Sendable {
        public var epoch: Int
        public var loss: Double
        public var testLoss: Double
        public var trainAccuracy: Double
        public var testAccuracy: Double
        public var seconds: Double

        public init(
            epoch: Int, loss: Double, testLoss: Double, trainAccuracy: Double, testAccuracy: Double, seconds: Double
        ) {
            self.epoch = epoch
            self.loss = loss
            self.testLoss = testLoss
            self.trainAccuracy = trainAccuracy
            self.testAccuracy = testAccuracy
            self.seconds = seconds
        }
    }

    public init(
        dataset: String, model: String, student: Bool, testAccuracy: Double, trainAccuracy: Double,
        finalLoss: Double, testLoss: Double?, epochs: Int, secondsPerEpoch: Double, samplesPerSecond: Int,
        parameters: Int, layerSizes: String?, seed: UInt64, batchSize: Int, learningRate: Double, momentum: Double,
        decay: Double, trainExamples: Int, testExamples: Int, history: [EpochFigures]? = nil
    ) {
        self.dataset = dataset
        self.model = model
        self.student = student
        self.testAccuracy = testAccuracy
        self.trainAccuracy = trainAccuracy
        self.finalLoss = finalLoss
        self.testLoss = testLoss
        self.epochs = epochs
        self.secondsPerEpoch = secondsPerEpoch
        self.samplesPerSecond = samplesPerSecond
        self.parameters = parameters
        self.layerSizes = layerSizes
        self.seed = seed
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.decay = decay
        self.trainExamples = trainExamples
        self.testExamples = testExamples
        self.history = history
    }

    /// The encoder of the summary's JSON: snake_case keys, sorted; "nan" for a number that is not.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder that reads what `encoder` writes.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
