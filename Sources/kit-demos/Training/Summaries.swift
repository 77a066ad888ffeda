import Foundation

/// What `kit train --json` prints: one line that CI reads (.ci/run checks `test_accuracy`).
struct TrainingSummary: Encodable {
    var dataset: String
    var model: String
    var student: Bool
    var testAccuracy: Double
    var trainAccuracy: Double
    var finalLoss: Double
    var epochs: Int
    var secondsPerEpoch: Double
    var samplesPerSecond: Int
    var parameters: Int
    var seed: UInt64
    var batchSize: Int
    var learningRate: Double
    var momentum: Double
    var decay: Double
    var trainExamples: Int
    var testExamples: Int

    enum CodingKeys: String, CodingKey {
        case dataset, model, student, epochs, parameters, seed, momentum, decay
        case testAccuracy = "test_accuracy"
        case trainAccuracy = "train_accuracy"
        case finalLoss = "final_loss"
        case secondsPerEpoch = "seconds_per_epoch"
        case samplesPerSecond = "samples_per_second"
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
        case trainExamples = "train_examples"
        case testExamples = "test_examples"
    }
}

/// What `kit bench --json` prints: one line, comparable with the numpy scripts' (Tests/Benchmarks/).
struct BenchSummary: Encodable {
    var implementation = "NeuralKit (Swift, Double)"
    var model: String
    var examples: Int
    var batchSize: Int
    var secondsPerEpoch: Double
    var samplesPerSecond: Int
    var configuration: String

    enum CodingKeys: String, CodingKey {
        case implementation, model, examples, configuration
        case batchSize = "batch_size"
        case secondsPerEpoch = "seconds_per_epoch"
        case samplesPerSecond = "samples_per_second"
    }
}

extension Encodable {
    /// The value as one line of JSON with sorted keys.
    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A run that diverged says so ("nan") instead of failing to encode.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
