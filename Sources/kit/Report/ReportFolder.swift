import Foundation
import NeuralKit

/// The student's report folder, `report/`: `kit report` writes the draft there (report.md, its
/// pictures under figures/), keeps what the student wrote, and renders report.html from report.md.
struct ReportFolder {
    let kit: Kit

    var url: URL { kit.url("report") }
    var markdownURL: URL { url.appendingPathComponent("report.md") }
    /// Where a new draft goes when the student has edited report.md.
    var draftURL: URL { url.appendingPathComponent("report.draft.md") }
    var htmlURL: URL { url.appendingPathComponent("report.html") }
    /// The last draft written to report.md: while report.md is the same, the student has not edited it.
    var lastDraftURL: URL { kit.url(".kit/report-draft.md") }

    /// The draft from the kit's state (`.kit/`, as `kit status` shows it) and the folders under `runs/`;
    /// `summarize` gives the `kit summary` table of a model (by the command's words).
    func draft(summarize: ([String]) -> ReportDraft.ModelSummary) -> ReportDraft {
        let state = kit.loadState()
        let stages = kit.courseStages.map { stage in
            let result = kit.isAvailable(stage) ? state.result(stage) : nil
            return ReportDraft.StageRow(
                stage: stage, result: result, progress: StageProgress(stage, result: result, kit: kit))
        }
        let runs = TrainingRunFolder.all(in: kit.url("runs"))
        var models: [[String]] = []
        for words in runs.compactMap({ $0.record?.summaryWords }) where !models.contains(words) {
            models.append(words)
        }
        return ReportDraft(stages: stages, runs: runs, summaries: models.map(summarize))
    }

    /// What `write` did.
    struct Written {
        /// The file the draft went to: report.md, or report.draft.md beside the student's edited report.md.
        var draft: URL
        var keptStudentsReport: Bool
        var pictures: Int
        /// Pictures report.md shows that are not in the report folder.
        var missingPictures: [String]
    }

    /// Copies the runs' pictures into figures/, writes the draft to report.md, or beside it when the
    /// student has edited report.md, and renders report.html from report.md.
    func write(_ draft: ReportDraft) throws -> Written {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: url, withIntermediateDirectories: true)
        var pictures = 0
        for run in draft.runs {
            for picture in run.pictures {
                let target = url.appendingPathComponent(ReportDraft.figurePath(run.name, picture))
                try fileManager.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? fileManager.removeItem(at: target)
                try fileManager.copyItem(at: run.url.appendingPathComponent(picture), to: target)
                pictures += 1
            }
        }
        let markdown = draft.markdown
        let current = try? String(contentsOf: markdownURL, encoding: .utf8)
        let lastDraft = try? String(contentsOf: lastDraftURL, encoding: .utf8)
        // report.md is the student's once it differs from the last draft written there (or was not written by kit).
        let keep = current != nil && current != lastDraft
        let target = keep ? draftURL : markdownURL
        try Data(markdown.utf8).write(to: target, options: .atomic)
        if !keep {
            try fileManager.createDirectory(
                at: lastDraftURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(markdown.utf8).write(to: lastDraftURL, options: .atomic)
        }
        let report = keep ? (current ?? markdown) : markdown
        let page = ReportPage(markdown: report, folder: url)
        try Data(page.html.utf8).write(to: htmlURL, options: .atomic)
        return Written(
            draft: target, keptStudentsReport: keep, pictures: pictures, missingPictures: page.missingImages)
    }
}
