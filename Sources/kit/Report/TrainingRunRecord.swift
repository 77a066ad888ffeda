import Foundation
import NeuralKit

/// A training run's `run.json`, as `kit train` writes it: the fields of kit-demos' `TrainingSummary`
/// (Sources/kit-demos/Training/Summaries.swift), mirrored because `kit` does not link kit-demos.
struct TrainingRunRecord: Decodable, Equatable {
    var dataset: String
    var model: String
    var student: Bool
    var testAccuracy: Double
    var trainAccuracy: Double
    var finalLoss: Double
    /// The test set's mean cross-entropy after the last epoch; nil in a run.json from before `kit train` recorded it.
    var testLoss: Double?
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
        case testLoss = "test_loss"
        case secondsPerEpoch = "seconds_per_epoch"
        case samplesPerSecond = "samples_per_second"
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
        case trainExamples = "train_examples"
        case testExamples = "test_examples"
    }
}

extension TrainingRunRecord {
    /// The run.json at `url`; a file that does not fit is a `KitError` saying where it is wrong.
    static func load(_ url: URL) throws -> TrainingRunRecord {
        let decoder = JSONDecoder()
        // A run that diverged records its loss as "nan".
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(TrainingRunRecord.self, from: Data(contentsOf: url))
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
    /// network cannot be told from the record (a dataset the kit does not know).
    var summaryWords: [String]? {
        let inputs: Int
        let classes: Int
        if let toy = ToyDataset(rawValue: dataset) {
            (inputs, classes) = (2, toy.classCount)
        } else if let images = try? DatasetCatalog.named(dataset) {
            // The catalog's datasets are 28×28 images.
            (inputs, classes) = (28 * 28, images.classNames.count)
        } else {
            return nil
        }
        if model == "lenet" {
            return ["lenet"] + (classes == 10 ? [] : ["--classes", String(classes)])
        }
        // `kit train` builds inputs → hidden → classes, with (inputs + 1)·hidden + (hidden + 1)·classes
        // parameters: the hidden width is the one that gives the recorded count.
        let (units, rest) = (parameters - classes).quotientAndRemainder(dividingBy: inputs + 1 + classes)
        guard model == "mlp", units > 0, rest == 0 else { return nil }
        return ["mlp", "--sizes", "\(inputs),\(units),\(classes)"]
    }
}
