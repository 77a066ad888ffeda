import Foundation
import NeuralKit
import Testing

@testable import kit

// `kit report` assembled from a made-up kit: a `.kit` state, a runs/ folder with a run.json, a
// demo's folder without one and a broken run.json. The `kit summary` tables are stand-ins: no build.
@Suite("kit report · the draft and the page")
struct ReportTests {
    /// A scratch kit: stage 1 passed (2 of 3 bonus checks), stages 2 and 3 in progress, and three run folders.
    func scratchKit() throws -> Kit {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("report-kit-\(UUID().uuidString)")
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("Package.swift", "// a kit")
        for stage in Course.stages { try write("Exercises/\(stage.folder)/\(stage.files[0])", "// mine") }
        // Stage 3 passes no check, but its file is not the stub: in progress.
        try write("\(Kit.stubsFolder)/03-Initialization/Initialization.swift", "// the stub")
        try write(
            ".kit/state.json",
            """
            {"hintsSeen": {}, "results": {
              "1": {"passed": 16, "total": 16, "bonusPassed": 2, "bonusTotal": 3},
              "2": {"passed": 5, "total": 12, "bonusPassed": 0, "bonusTotal": 0},
              "3": {"passed": 0, "total": 13, "bonusPassed": 0, "bonusTotal": 0}}}
            """)
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>"
        for picture in ["weights.svg", "loss.svg", "confusion.svg"] { try write("runs/mnist-mlp/\(picture)", svg) }
        // 784·100 + 100 + 100·10 + 10 parameters: a 784-100-10 network.
        try write(
            "runs/mnist-mlp/run.json",
            """
            {"batch_size":64,"dataset":"mnist","decay":0.85,"epochs":10,"final_loss":0.0912,"test_loss":0.1034,"learning_rate":0.05,\
            "model":"mlp","layer_sizes":"784,100,10","momentum":0.9,"parameters":79510,"samples_per_second":52000,"seconds_per_epoch":1.15,\
            "seed":1,"student":true,"test_accuracy":0.9712,"test_examples":10000,"train_accuracy":0.9695,\
            "train_examples":60000}
            """)
        try write("runs/08-spirals/spirals-decision-boundary.svg", svg)
        try write("runs/broken/run.json", "{\"dataset\": \"mnist\"}")
        return Kit(root: root, terminal: Terminal(colour: false))
    }

    func draft(_ kit: Kit) -> ReportDraft {
        ReportFolder(kit: kit).draft { words in
            ReportDraft.ModelSummary(words: words, output: "TABLE OF " + words.joined(separator: " "), failed: false)
        }
    }

    @Test("the draft holds the stage table, each run's settings and pictures, the models and the bonus checks")
    func draftFromResults() throws {
        let kit = try scratchKit()
        defer { try? FileManager.default.removeItem(at: kit.root) }
        let markdown = draft(kit).markdown
        #expect(markdown.contains("| 1 | Activations | 16/16 | 2/3 | done |"))
        #expect(markdown.contains("| 2 | Dense layer | 5/12 | — | in progress |"))
        #expect(markdown.contains("| 3 | Initialization | 0/13 | — | in progress |"))
        #expect(markdown.contains("| 4 | Two-layer network | — | — | not started |"))
        #expect(markdown.contains("1 of 10 stages done, 21 of 41 checks pass"))
        // The run with a run.json: its settings and accuracies, its network, its pictures in reading order.
        #expect(markdown.contains("| Test accuracy | 97.12% |"))
        #expect(markdown.contains("| Training loss (last epoch) | 0.0912 |\n| Test loss | 0.1034 |"))
        #expect(markdown.contains("| Learning rate | 0.05 × 0.85 per epoch |"))
        #expect(markdown.contains("| Network | 784 → 100 → 10 multilayer perceptron, 79,510 parameters |"))
        #expect(markdown.contains("| Code | mine |"))
        let loss = try #require(markdown.range(of: "](figures/mnist-mlp/loss.svg)"))
        let confusion = try #require(markdown.range(of: "](figures/mnist-mlp/confusion.svg)"))
        let weights = try #require(markdown.range(of: "](figures/mnist-mlp/weights.svg)"))
        #expect(loss.lowerBound < confusion.lowerBound && confusion.lowerBound < weights.lowerBound)
        #expect(markdown.contains("![Confusion matrix on the test set, run mnist-mlp]"))
        // The model's kit summary table, once.
        #expect(
            markdown.contains("### `kit summary mlp --sizes 784,100,10`\n\n```\nTABLE OF mlp --sizes 784,100,10\n```"))
        // A demo's folder has only pictures; a broken run.json is named.
        #expect(markdown.contains("![spirals decision boundary, run 08-spirals](figures/08-spirals/"))
        #expect(markdown.contains("### broken\n\nIts run.json could not be read (run.json"))
        #expect(markdown.contains("| 1 | sigmoid, tanh, leaky ReLU, ELU and SELU, forward and backward | 2/3 |"))
        #expect(markdown.contains("| 4 | MultilayerNetwork: a network of any depth | not checked yet |"))
        for explanation in ReportExplanation.all {
            #expect(
                markdown.contains("# \(explanation.heading)\n\n\(explanation.markdown)\n"), "\(explanation.heading)")
        }
    }

    @Test("report.html inlines every picture with its alt text and loads nothing from elsewhere")
    func selfContainedPage() throws {
        let kit = try scratchKit()
        defer { try? FileManager.default.removeItem(at: kit.root) }
        let folder = ReportFolder(kit: kit)
        let written = try folder.write(draft(kit))
        #expect(written.pictures == 4 && written.missingPictures.isEmpty)
        #expect(
            FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("figures/mnist-mlp/loss.svg").path)
        )
        let html = try String(contentsOf: folder.htmlURL, encoding: .utf8)
        #expect(html.components(separatedBy: "<img src=\"data:image/svg+xml;base64,").count == 5)
        #expect(html.contains("alt=\"Cross-entropy loss during training, run mnist-mlp\""))
        for external in ["src=\"http", "href=\"http", "url(http", "@import"] { #expect(!html.contains(external)) }
        #expect(html.contains("prefers-color-scheme: dark") && html.contains("@media print"))
        // The note to the student is a comment: the page does not show it.
        #expect(!html.contains("Drafted by"))
    }

    @Test("once the student edits report.md, the new draft goes beside it and report.html shows their text")
    func keepsTheStudentsReport() throws {
        let kit = try scratchKit()
        defer { try? FileManager.default.removeItem(at: kit.root) }
        let folder = ReportFolder(kit: kit)
        // Until edited, report.md is the kit's, and a new draft replaces it.
        #expect(try !folder.write(draft(kit)).keptStudentsReport)
        #expect(try !folder.write(draft(kit)).keptStudentsReport)
        let placeholder = ReportExplanation.introduction.markdown
        let edited = try String(contentsOf: folder.markdownURL, encoding: .utf8)
            .replacingOccurrences(of: placeholder, with: "I built NeuralKit, stage by stage.")
        try Data(edited.utf8).write(to: folder.markdownURL)
        let written = try folder.write(draft(kit))
        #expect(written.keptStudentsReport && written.draft == folder.draftURL)
        #expect(try String(contentsOf: folder.markdownURL, encoding: .utf8) == edited)
        #expect(try String(contentsOf: folder.draftURL, encoding: .utf8).contains(placeholder))
        let html = try String(contentsOf: folder.htmlURL, encoding: .utf8)
        #expect(html.contains("I built NeuralKit, stage by stage."))
    }

    @Test("a report.md the kit did not write is the student's: it is never overwritten")
    func neverOverwritesAnUnknownReport() throws {
        let kit = try scratchKit()
        defer { try? FileManager.default.removeItem(at: kit.root) }
        let folder = ReportFolder(kit: kit)
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        try Data("# My own report\n".utf8).write(to: folder.markdownURL)
        #expect(try folder.write(draft(kit)).keptStudentsReport)
        #expect(try String(contentsOf: folder.markdownURL, encoding: .utf8) == "# My own report\n")
    }

    @Test(
        "the kit summary words of a run: the MLP's layer sizes from its record, LeNet-5 by name; a record without them has none"
    )
    func summaryWords() throws {
        func record(_ dataset: String, _ model: String, _ parameters: Int, sizes: String? = nil) throws
            -> TrainingSummary
        {
            let json = """
                {"batch_size":64,"dataset":"\(dataset)","decay":1,"epochs":1,"final_loss":"nan","learning_rate":0.1,\
                \(sizes.map { "\"layer_sizes\":\"\($0)\"," } ?? "")\
                "model":"\(model)","momentum":0.9,"parameters":\(parameters),"samples_per_second":1,\
                "seconds_per_epoch":1,"seed":1,"student":false,"test_accuracy":0.5,"test_examples":1,\
                "train_accuracy":0.5,"train_examples":1}
                """
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString).json")
            try Data(json.utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            return try TrainingSummary.load(url)
        }
        #expect(try record("blobs", "mlp", 387, sizes: "2,64,3").summaryWords == ["mlp", "--sizes", "2,64,3"])
        #expect(try record("fashion-mnist", "lenet", 44_426).summaryWords == ["lenet"])
        #expect(try record("mnist", "mlp", 1000).summaryWords == nil)
        #expect(try record("mnist", "mlp", 1000).finalLoss.isNaN)
    }
}
