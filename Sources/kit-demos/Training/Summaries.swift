import Foundation
import NeuralKit

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
        // The training summary's conventions: a run that diverged says so ("nan") instead of failing to encode.
        (try? TrainingSummary.encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
