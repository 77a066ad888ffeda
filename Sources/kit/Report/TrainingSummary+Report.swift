import Foundation
import NeuralKit

/// A run's `run.json`, read back by `kit report` and `kit notebook`.
extension TrainingSummary {
    /// The run.json at `url`; a file that does not fit is a `KitError` saying where it is wrong.
    static func load(_ url: URL) throws -> TrainingSummary {
        do {
            return try TrainingSummary.decoder.decode(TrainingSummary.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw KitError("\(url.lastPathComponent) \(JSONFiles.describe(error))")
        }
    }

    /// "LeNet-5", "2 → 100 → 2 multilayer perceptron", or the model's name when its sizes are unknown.
    var network: String {
        if model == "lenet" { return "LeNet-5" }
        guard let words = summaryWords, let sizes = words.last else { return model }
        return sizes.replacingOccurrences(of: ",", with: " → ") + " multilayer perceptron"
    }

    /// The words of the `kit summary` command that describes this run's network, or nil when the
    /// record does not say (a run from before `layer_sizes` was recorded).
    var summaryWords: [String]? {
        if model == "lenet" {
            let classes = (try? DatasetCatalog.named(dataset))?.classNames.count ?? 10
            return ["lenet"] + (classes == 10 ? [] : ["--classes", String(classes)])
        }
        return layerSizes.map { ["mlp", "--sizes", $0] }
    }
}
