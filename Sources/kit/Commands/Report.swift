import Foundation
import NeuralKit

extension Command {
    static let report = Command(
        name: "report", summary: "Write a draft of the assignment's report from your results (report/).",
        details: """
            Writes report/report.md, a draft of the written report the assignment asks for, and \
            report/report.html, the same as one page with every picture inside it (open it in a browser; \
            print it to PDF). The draft holds your stage table (your last checks), your training runs \
            under runs/ (their settings, accuracies and pictures), the kit summary tables of their \
            networks and your bonus checks, around a section for each part you explain, with a sentence \
            saying what to write. Once you have edited report.md, kit report keeps it: it writes the new \
            draft beside it (report.draft.md) and renders report.html from your report.md.
            """,
        maximumPositionals: 0
    ) { _, kit in
        try ReportCommand(kit: kit).run()
    }
}

/// `kit report`: drafts the report, keeps the student's edits, renders the HTML.
struct ReportCommand {
    let kit: Kit
    var terminal: Terminal { kit.terminal }

    func run() throws -> Int32 {
        let folder = ReportFolder(kit: kit)
        var summaries = ModelSummaries(kit: kit)
        let draft = folder.draft { summaries.table($0) }
        let written = try folder.write(draft)
        let relative = { (url: URL) in String(url.path.dropFirst(kit.root.path.count + 1)) }
        print(
            "Wrote \(relative(written.draft)) (\(draft.runs.count) training run\(draft.runs.count == 1 ? "" : "s"), "
                + "\(written.pictures) picture\(written.pictures == 1 ? "" : "s") copied to report/figures/)")
        if written.keptStudentsReport {
            print(
                "Your report/report.md has your edits, so it was left as it is: the new draft is beside it, "
                    + "in \(relative(written.draft)), to copy from.")
        }
        print("Wrote \(relative(folder.htmlURL)) from report/report.md: open it in a browser, or print it to PDF.")
        if !written.missingPictures.isEmpty {
            print(
                terminal.yellow(
                    "report.md shows pictures that are not in report/: "
                        + written.missingPictures.joined(separator: ", ")))
        }
        let state = try? FileManager.default.attributesOfItem(atPath: kit.stateURL.path)[.modificationDate] as? Date
        print(
            terminal.dim(
                "The stage table is from your last checks"
                    + (state.map { " (\(ISO8601DateFormatter().string(from: $0)))" } ?? " (none yet)")
                    + ": `swift run kit status` runs them all again."))
        print(
            terminal.bold(
                "Next: replace each \"\(ReportExplanation.mark)\" sentence in report/report.md with your own "
                    + "explanation, run `swift run kit report` again, and hand in the report/ folder."))
        return ExitStatus.success
    }
}

/// The `kit summary` tables of the report's models, from `kit-demos summary`, built once.
struct ModelSummaries {
    let kit: Kit
    /// Why kit-demos could not be built, once that was tried.
    private var buildProblem: String??

    init(kit: Kit) { self.kit = kit }

    mutating func table(_ words: [String]) -> ReportDraft.ModelSummary {
        if buildProblem == nil {
            printError(kit.terminal.dim("Building kit-demos for the kit summary tables… (only what changed)"))
            let build = try? Shell.capture(["swift", "build", "--product", "kit-demos"], in: kit.root)
            buildProblem = .some(
                build?.status == 0
                    ? nil
                    : "The table could not be made: the kit does not build now (`swift run kit check` shows why).")
        }
        if let problem = buildProblem ?? nil { return .init(words: words, output: problem, failed: true) }
        guard
            let result = try? Shell.capture(
                ["swift", "run", "--skip-build", "kit-demos", "summary"] + words, in: kit.root),
            result.status == 0
        else {
            return .init(
                words: words,
                output: "The table could not be made: `swift run kit summary "
                    + words.joined(separator: " ") + "` shows why.", failed: true)
        }
        return .init(words: words, output: result.output, failed: false)
    }
}
