import Foundation
import NeuralKit

/// One folder under `runs/`: the pictures a training run or a stage demo drew, and its run.json if it has one.
struct TrainingRunFolder {
    /// The folder's name: "mnist-mlp", "08-spirals".
    let name: String
    let url: URL
    /// The pictures' file names, in the order a report shows them.
    let pictures: [String]
    /// The run's settings and results; nil when the folder has no run.json.
    let record: TrainingSummary?
    /// Why run.json could not be read, when it is there but unreadable.
    let recordProblem: String?

    /// The pictures `kit train` draws, in the order a reader meets them; others follow by name.
    static let pictureOrder = [
        "loss.svg", "accuracy.svg", "decision-boundary.svg", "confusion.svg", "misclassified.svg", "weights.svg",
        "filters.svg",
    ]

    /// What each of `kit train`'s pictures shows, for its caption and alt text.
    static let captions = [
        "loss.svg": "Cross-entropy loss during training",
        "accuracy.svg": "Train and test accuracy after each epoch",
        "decision-boundary.svg": "The regions the network learned, with the test points",
        "confusion.svg": "Confusion matrix on the test set",
        "misclassified.svg": "Misclassified test images",
        "weights.svg": "First-layer weights, one image per hidden unit",
        "filters.svg": "First-layer filters",
    ]

    /// "Confusion matrix on the test set"; for other pictures, their name in words ("spirals decision boundary").
    static func caption(_ picture: String) -> String {
        captions[picture] ?? String(picture.dropLast(4)).replacingOccurrences(of: "-", with: " ")
    }

    /// Every folder under `runs`, by name; none when there is no such folder.
    static func all(in runs: URL) -> [TrainingRunFolder] {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: runs.path) else { return [] }
        return names.sorted().compactMap { name in
            var isFolder: ObjCBool = false
            let url = runs.appendingPathComponent(name)
            guard !name.hasPrefix("."), fileManager.fileExists(atPath: url.path, isDirectory: &isFolder),
                isFolder.boolValue
            else { return nil }
            return TrainingRunFolder(name: name, url: url)
        }
    }

    init(name: String, url: URL) {
        self.name = name
        self.url = url
        let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let svgs = files.filter { $0.hasSuffix(".svg") && !$0.hasPrefix(".") }
        let known = TrainingRunFolder.pictureOrder.filter(svgs.contains)
        pictures = known + svgs.filter { !known.contains($0) }.sorted()
        let json = url.appendingPathComponent("run.json")
        if FileManager.default.fileExists(atPath: json.path) {
            do {
                record = try TrainingSummary.load(json)
                recordProblem = nil
            } catch {
                record = nil
                recordProblem = (error as? KitError)?.message ?? "\(error)"
            }
        } else {
            record = nil
            recordProblem = nil
        }
    }
}
