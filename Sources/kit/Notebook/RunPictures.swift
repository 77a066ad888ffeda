import Foundation
import NeuralKit

/// The pictures of the student's runs under `runs/` (written by `kit run 7`, `kit run 8` and `kit train`),
/// sorted by the stage they belong to.
struct RunPictures {
    let kit: Kit

    /// One folder of `runs/`: a demo's or a training run's pictures.
    struct Run {
        var folder: String
        var title: String
        /// The run's hyper-parameters and accuracies, from its run.json, in one line.
        var facts: String
        var pictures: [(url: URL, alt: String)]
    }

    /// The runs whose pictures belong on `stage`'s page.
    func runs(for stage: Stage) -> [Run] {
        let runs = kit.url("runs")
        guard let folders = try? FileManager.default.contentsOfDirectory(atPath: runs.path) else { return [] }
        return folders.sorted().filter { Self.stage(ofRun: $0) == stage.number }.compactMap { folder in
            let url = runs.appendingPathComponent(folder)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            let pictures = files.filter { $0.hasSuffix(".svg") }.sorted { Self.rank($0) < Self.rank($1) }
            guard !pictures.isEmpty else { return nil }
            return Run(
                folder: folder, title: "runs/\(folder)/", facts: Self.facts(url.appendingPathComponent("run.json")),
                pictures: pictures.map { (url.appendingPathComponent($0), Self.alt($0, folder: folder)) })
        }
    }

    /// The stage a folder of `runs/` belongs to: "07-learning-rates" → 7 (a demo's), "spirals-mlp" → 8,
    /// "mnist-mlp" → 9, "fashion-mnist-lenet" → 10 (`kit train`'s, named dataset-model).
    static func stage(ofRun folder: String) -> Int? {
        if let number = Int(folder.prefix(2)), folder.dropFirst(2).hasPrefix("-") { return number }
        if folder.hasSuffix("-lenet") { return 10 }
        let dataset = folder.split(separator: "-").dropLast().joined(separator: "-")
        if ToyDataset(rawValue: dataset) != nil { return 8 }
        if folder.hasSuffix("-mlp") { return 9 }
        return nil
    }

    /// The order a reader wants: what the network learned first, then how, then where it fails.
    private static let order = [
        "decision-boundary", "learning-rates", "loss", "accuracy", "confusion", "misclassified", "weights", "filters",
    ]

    private static func rank(_ file: String) -> (Int, String) {
        let name = (file as NSString).deletingPathExtension
        return (order.firstIndex(of: name) ?? order.count, name)
    }

    private static func alt(_ file: String, folder: String) -> String {
        let descriptions = [
            "decision-boundary": "the regions the network learned, with the test points",
            "learning-rates": "training loss for several learning rates",
            "loss": "loss per epoch", "accuracy": "accuracy per epoch",
            "confusion": "confusion matrix of the test set", "misclassified": "misclassified test images",
            "weights": "first-layer weights as images", "filters": "first-layer filters",
        ]
        let name = (file as NSString).deletingPathExtension
        return "runs/\(folder): " + (descriptions[name] ?? name.replacingOccurrences(of: "-", with: " "))
    }

    /// "test accuracy 97.1% · 10 epochs · batch 64 · learning rate 0.1 · seed 1", from a run's JSON summary.
    static func facts(_ url: URL) -> String {
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return "" }
        var facts: [String] = []
        func number(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }
        if let accuracy = number("testAccuracy") { facts.append(String(format: "test accuracy %.2f%%", accuracy * 100)) }
        if let accuracy = number("trainAccuracy") { facts.append(String(format: "train %.2f%%", accuracy * 100)) }
        if let epochs = number("epochs") { facts.append("\(Int(epochs)) epochs") }
        if let batch = number("batchSize") { facts.append("batch \(Int(batch))") }
        if let rate = number("learningRate") { facts.append("learning rate \(NeuralKit.describe(rate))") }
        if let momentum = number("momentum"), momentum > 0 { facts.append("momentum \(NeuralKit.describe(momentum))") }
        if let seed = number("seed") { facts.append("seed \(Int(seed))") }
        return facts.joined(separator: " · ")
    }

    /// The command that makes a run for `stage`'s page.
    static func suggestedCommand(for stage: Stage) -> String {
        switch stage.number {
        case 7, 8: return "swift run kit run \(stage.number)"
        case 9: return "swift run kit train --dataset fashion-mnist --epochs 5"
        case 10: return "swift run kit train --model lenet --dataset mnist --epochs 2"
        default: return "swift run kit run \(stage.number)"
        }
    }

    /// A picture inlined as a `data:` URI (the page loads nothing from anywhere), or nil when it cannot be read.
    static func dataURI(of url: URL) -> String? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let type: String
        switch url.pathExtension.lowercased() {
        case "svg": type = "image/svg+xml"
        case "png": type = "image/png"
        case "jpg", "jpeg": type = "image/jpeg"
        default: return nil
        }
        return "data:\(type);base64," + data.base64EncodedString()
    }
}
