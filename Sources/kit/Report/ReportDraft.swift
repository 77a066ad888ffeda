import Foundation
import NeuralKit

/// The draft of the assignment's report, in Markdown, assembled from the student's own results:
/// the stage table, the training runs with their pictures and settings, the models' `kit summary`
/// tables and the bonus work, around a headed section for each part of the student's explanations.
struct ReportDraft {
    /// One row of the stage table: the stage, its last results (nil: never checked) and its state.
    struct StageRow {
        let stage: Stage
        let result: StageResult?
        let progress: StageProgress
    }

    /// A `kit summary` table of a model the runs used: the command's words and what it printed, or why it could not.
    struct ModelSummary {
        let words: [String]
        let output: String
        let failed: Bool
    }

    var stages: [StageRow]
    var runs: [TrainingRunFolder]
    var summaries: [ModelSummary]
    /// Where the report finds a run's picture, relative to the report: "figures/mnist-mlp/loss.svg".
    var figurePath: (TrainingRunFolder, String) -> String = { run, picture in
        ReportDraft.figurePath(run.name, picture)
    }

    /// The picture's path inside the report's folder: the report's pictures are copies, so that
    /// the report/ folder a student hands in holds everything its Markdown shows.
    static func figurePath(_ run: String, _ picture: String) -> String { "figures/\(run)/\(picture)" }

    var markdown: String {
        var lines = [
            "# Building a neural network framework from scratch",
            "",
            // A comment on a line of its own: the note to the student does not show in report.html.
            "<!-- Drafted by `swift run kit report` from your results. Replace each sentence that starts with "
                + "\(ReportExplanation.mark) with your own explanation, then run `swift run kit report` again to "
                + "refresh report.html. -->",
            "",
        ]
        lines += section(ReportExplanation.introduction)
        lines += stageTable
        for part in ReportExplanation.parts { lines += section(part) }
        lines += trainingRuns
        lines += models
        lines += moreWork
        lines += section(ReportExplanation.conclusion)
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    private func section(_ explanation: ReportExplanation, level: String = "##") -> [String] {
        ["\(level) \(explanation.heading)", "", explanation.markdown, ""]
    }

    // MARK: The stages

    private var stageTable: [String] {
        var lines = [
            "## Progress through the stages", "",
            "| Stage | Title | Checks passed | Bonus checks passed | State |", "|---|---|---|---|---|",
        ]
        for row in stages {
            let checks = row.result.flatMap { $0.total > 0 ? "\($0.passed)/\($0.total)" : nil } ?? "—"
            let bonus = row.result.flatMap { $0.bonusTotal > 0 ? "\($0.bonusPassed)/\($0.bonusTotal)" : nil } ?? "—"
            lines.append(
                "| \(row.stage.number) | \(cell(row.stage.title)) | \(checks) | \(bonus) | \(row.progress.text) |")
        }
        let done = stages.filter { $0.progress == .done }.count
        let passed = stages.reduce(0) { $0 + ($1.result?.passed ?? 0) }
        let total = stages.reduce(0) { $0 + ($1.result?.total ?? 0) }
        lines.append("")
        lines.append(
            total == 0
                ? "No checks have run yet: `swift run kit status` runs them, and `swift run kit report` then fills "
                    + "in this table."
                : "\(done) of \(stages.count) stages done, \(passed) of \(total) checks pass "
                    + "(the last run of each stage's checks).")
        lines.append("")
        return lines
    }

    // MARK: The runs

    private var trainingRuns: [String] {
        var lines = ["## Training runs", ""]
        guard !runs.isEmpty else {
            return lines + [
                "No training runs yet: `swift run -c release kit train --student` trains your network and draws "
                    + "its pictures in runs/ (see README); `swift run kit report` then adds them here.",
                "",
            ]
        }
        for run in runs {
            lines += ["### \(run.name)", ""]
            if let record = run.record {
                lines += settings(record)
            } else if let problem = run.recordProblem {
                lines += ["Its run.json could not be read (\(problem)).", ""]
            } else {
                lines += [
                    "This folder has no run.json (a stage demo, or a run from before `kit train` recorded its "
                        + "settings), so only its pictures are shown.",
                    "",
                ]
            }
            for picture in run.pictures {
                let caption = TrainingRunFolder.caption(picture)
                lines += ["![\(caption), run \(run.name)](\(figurePath(run, picture)))", ""]
            }
        }
        return lines
    }

    private func settings(_ record: TrainingSummary) -> [String] {
        var lines: [String] = []
        if !record.student {
            lines += [
                "Trained with the kit's reference code, not mine: `kit train --student` trains my own code.", "",
            ]
        }
        let rows: [(String, String?)] = [
            (
                "Dataset",
                "\(record.dataset): \(record.trainExamples.formatted) training, "
                    + "\(record.testExamples.formatted) test examples"
            ),
            ("Network", "\(record.network), \(record.parameters.formatted) parameters"),
            ("Code", record.student ? "mine" : "the reference"),
            ("Epochs", "\(record.epochs)"),
            ("Batch size", "\(record.batchSize)"),
            ("Learning rate", "\(number(record.learningRate)) × \(number(record.decay)) per epoch"),
            ("Momentum", number(record.momentum)),
            ("Seed", "\(record.seed)"),
            ("Training loss (last epoch)", fixed(record.finalLoss, 4)),
            // An older run.json has no test loss.
            ("Test loss", record.testLoss.map { fixed($0, 4) }),
            ("Train accuracy (last epoch)", percent(record.trainAccuracy)),
            ("Test accuracy", percent(record.testAccuracy)),
            ("Time per epoch", "\(seconds(record.secondsPerEpoch)) (\(record.samplesPerSecond.formatted) samples/s)"),
        ]
        lines += ["| Setting | Value |", "|---|---|"]
        lines += rows.compactMap { name, value in value.map { "| \(name) | \(cell($0)) |" } }
        return lines + [""]
    }

    // MARK: The models

    private var models: [String] {
        guard !summaries.isEmpty else { return [] }
        var lines = ["## Models", "", "The networks of the runs above, as `swift run kit summary` describes them.", ""]
        for summary in summaries {
            lines += ["### `kit summary \(summary.words.joined(separator: " "))`", ""]
            if summary.failed {
                lines += [summary.output, ""]
            } else {
                lines +=
                    ["```"]
                    + summary.output.split(separator: "\n", omittingEmptySubsequences: false)
                    .map(String.init).reversed().drop { $0.isEmpty }.reversed() + ["```", ""]
            }
        }
        return lines
    }

    // MARK: More work

    private var moreWork: [String] {
        var lines = [
            "## More work", "",
            "The bonus checks of the extensions the kit checks (`swift run kit check N` lists them):", "",
            "| Stage | Extension | Bonus checks passed |", "|---|---|---|",
        ]
        for row in stages {
            guard let bonus = row.stage.bonus else { continue }
            let passed = row.result.flatMap { $0.bonusTotal > 0 ? "\($0.bonusPassed)/\($0.bonusTotal)" : nil }
            lines.append("| \(row.stage.number) | \(cell(bonus)) | \(passed ?? "not checked yet") |")
        }
        lines.append("")
        for part in ReportExplanation.moreWork { lines += section(part, level: "###") }
        return lines
    }

    // MARK: Formatting

    /// Text safe in a table cell.
    private func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }

    private func number(_ value: Double) -> String { String(format: "%g", value) }

    private func fixed(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "\(value) (the run diverged)"
    }

    /// "2.41 s", and for a toy dataset's short epochs "0.0008 s".
    private func seconds(_ value: Double) -> String { String(format: value < 0.1 ? "%.2g s" : "%.2f s", value) }

    private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
}
