import Foundation
import NeuralKit

/// The pictures of the student's runs under `runs/` (written by `kit run 7`, `kit run 8` and `kit train`),
/// sorted by the stage they belong to.
struct RunPictures {
    let kit: Kit

    /// One folder of `runs/`: a demo's or a training run's pictures.
    struct Run {
        var title: String
        /// The run's network, hyper-parameters and accuracies, from its run.json, in one line.
        var facts: String
        var pictures: [(url: URL, alt: String)]
    }

    /// The runs whose pictures belong on `stage`'s page.
    func runs(for stage: Stage) -> [Run] {
        TrainingRunFolder.all(in: kit.url("runs")).filter { Self.stage(ofRun: $0.name) == stage.number }.compactMap {
            folder in
            guard !folder.pictures.isEmpty else { return nil }
            return Run(
                title: "runs/\(folder.name)/", facts: folder.record.map(Self.facts) ?? folder.recordProblem ?? "",
                pictures: folder.pictures.map {
                    (folder.url.appendingPathComponent($0), "runs/\(folder.name): " + TrainingRunFolder.caption($0))
                })
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

    /// "2 → 100 → 2 multilayer perceptron · test accuracy 97.10% · train 98.20% · 10 epochs · batch 64 · …".
    static func facts(_ run: TrainingSummary) -> String {
        var facts = [run.network, String(format: "test accuracy %.2f%%", run.testAccuracy * 100)]
        facts.append(String(format: "train %.2f%%", run.trainAccuracy * 100))
        if let loss = run.testLoss { facts.append("test loss \(NeuralKit.describe(loss))") }
        facts += [
            "\(run.epochs) epochs", "batch \(run.batchSize)", "learning rate \(NeuralKit.describe(run.learningRate))",
        ]
        if run.momentum > 0 { facts.append("momentum \(NeuralKit.describe(run.momentum))") }
        facts.append("seed \(run.seed)")
        if !run.student { facts.append("the reference's code") }
        return facts.joined(separator: " · ")
    }

    /// The command that makes a run for `stage`'s page.
    static func suggestedCommand(for stage: Stage) -> String {
        switch stage.number {
        case 7, 8: return "swift run kit run \(stage.number)"
        case 9: return "swift run -c release kit train --student --dataset fashion-mnist --epochs 5"
        case 10: return "swift run -c release kit train --student --model lenet --dataset mnist --epochs 2"
        default: return "swift run kit run \(stage.number)"
        }
    }
}
