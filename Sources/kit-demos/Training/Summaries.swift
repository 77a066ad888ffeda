import Foundation

/// What `kit train --json` prints: one line that CI reads (.ci/run checks `test_accuracy`). The run's
/// `run.json`, beside its pictures, holds the same with the per-epoch `history`.
struct TrainingSummary: Encodable {
    var dataset: String
    var model: String
    var student: Bool
    var testAccuracy: Double
    var trainAccuracy: Double
    var finalLoss: Double
    /// The test set's mean cross-entropy after the last epoch.
    var testLoss: Double
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
    /// Each epoch's figures; only in `run.json`, so the --json line stays one short line.
    var history: [EpochFigures]?

    /// One epoch of a run, as `kit train` logs it.
    struct EpochFigures: Encodable {
        var epoch: Int
        var loss: Double
        var testLoss: Double
        var trainAccuracy: Double
        var testAccuracy: Double
        var seconds: Double
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
}

extension Encodable {
    /// The value as one line of JSON with sorted snake_case keys (`testAccuracy` is "test_accuracy").
    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // A run that diverged says so ("nan") instead of failing to encode.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
