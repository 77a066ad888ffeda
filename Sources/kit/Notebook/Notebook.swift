import Foundation
import NeuralKit

/// The course as notebook pages: for each stage its walkthrough, with the student's live results after each
/// worked example, the stage's checks and hint, what `kit run N` shows and the pictures of the student's
/// runs; and an index with the progress. Written to `notebook/`, self-contained, offline.
struct Notebook {
    let kit: Kit

    /// Where the pages go: `notebook/` in the kit (not committed: .gitignore).
    var folder: URL { kit.url("notebook") }

    /// The page of `stage`: "notebook/01-activations.html", named after its walkthrough.
    func pageName(_ stage: Stage) -> String {
        let walkthrough = (kit.walkthrough(stage) as NSString).lastPathComponent
        return (walkthrough as NSString).deletingPathExtension + ".html"
    }

    func pageURL(_ stage: Stage) -> URL { folder.appendingPathComponent(pageName(stage)) }

    /// Builds the student's code, runs the checks of `stages` (all when nil) and the stages' demos, and writes
    /// their pages and the index. Returns the pages written.
    @discardableResult
    func write(_ stages: [Stage], log: (String) -> Void = { _ in }) throws -> [URL] {
        let runner = CheckRunner(kit: kit)
        var evidence: NotebookEvidence
        var problem: BuildProblem?
        log("Building… (only what changed)")
        do {
            try runner.build()
            log("Running the checks of " + (stages.count == 1 ? "stage \(stages[0].number)…" : "the stages…"))
            let filters =
                stages.count == kit.courseStages.count
                ? ["StageTests\\."]
                : stages.flatMap { ["StageTests\\.\($0.filter)", "StageTests\\.\($0.bonusFilter)"] }
            let run = try runner.run(filters: filters)
            evidence = .ran(run)
            kit.updateState { state in
                for stage in stages where !run.checks(of: stage, bonus: false).isEmpty {
                    state.results[String(stage.number)] = run.result(stage)
                }
            }
        } catch let failure as BuildProblem {
            problem = failure
            evidence = .notBuilt(Self.notBuiltReason(failure))
        }
        var written: [URL] = []
        for stage in stages {
            let demo = problem == nil ? demoOutput(stage, log: log) : nil
            written.append(try writePage(stage, evidence: evidence, buildProblem: problem, demo: demo))
        }
        written.append(try writeIndex(buildProblem: problem))
        return written
    }

    /// Writes `stage`'s page from what a run found. `reloadEvery`: the page reloads itself (kit watch).
    @discardableResult
    func writePage(
        _ stage: Stage, evidence: NotebookEvidence, buildProblem: BuildProblem?, demo: DemoOutput?,
        reloadEvery: Int? = nil
    ) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = StagePage(
            kit: kit, stage: stage, evidence: evidence, buildProblem: buildProblem, demo: demo,
            pictures: RunPictures(kit: kit).runs(for: stage), notebook: self)
        let url = pageURL(stage)
        let html = HTMLPage(
            title: "\(stage.heading) · NeuralKit notebook", body: page.html,
            navigation: navigation(around: stage), reloadEvery: reloadEvery
        ).html
        try html.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Writes the index: every stage with its progress, from the kit's state (the last run of each stage).
    @discardableResult
    func writeIndex(buildProblem: BuildProblem?, reloadEvery: Int? = nil) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("index.html")
        let body = IndexPage(kit: kit, notebook: self, buildProblem: buildProblem).html
        try HTMLPage(title: "NeuralKit notebook", body: body, reloadEvery: reloadEvery).html
            .write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    private func navigation(around stage: Stage) -> [(label: String, href: String)] {
        let stages = kit.courseStages
        var links: [(label: String, href: String)] = [("All stages", "index.html")]
        if let index = stages.firstIndex(where: { $0.number == stage.number }) {
            if index > 0 { links.append(("← Stage \(stages[index - 1].number)", pageName(stages[index - 1]))) }
            if index + 1 < stages.count {
                links.append(("Stage \(stages[index + 1].number) →", pageName(stages[index + 1])))
            }
        }
        return links
    }

    /// One sentence on why no check ran, for every cell of every page.
    static func notBuiltReason(_ problem: BuildProblem) -> String {
        switch problem {
        case .compile(let failures, _):
            let files = failures.map(\.file).joined(separator: ", ")
            return "Not run: \(files) does not compile, and Swift builds all stages together "
                + "(the compiler's message is at the top of the page)."
        case .other:
            return "Not run: the build failed (its output is at the top of the page)."
        }
    }

    // MARK: The demo

    /// What `kit run N` printed for the student's code, run now (stopped after two minutes).
    func demoOutput(_ stage: Stage, log: (String) -> Void) -> DemoOutput? {
        guard kit.isAvailable(stage) else { return nil }
        log("Running the demo of stage \(stage.number) (kit run \(stage.number))…")
        let command = ["swift", "run", "--skip-build", "kit-demos", "run", String(stage.number)]
        guard let result = try? Shell.capture(command, in: kit.root, timeout: 120) else { return nil }
        var text = result.output
        // `swift run` may say what it skipped; the student wants the demo's own words.
        text = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Building for") && !$0.hasPrefix("[") && !$0.hasPrefix("Build complete") }
            .joined(separator: "\n")
        if text.count > 20_000 { text = String(text.prefix(20_000)) + "\n…" }
        return DemoOutput(text: text, status: result.status, timedOut: result.timedOut)
    }
}

/// The output of one stage's demo.
struct DemoOutput {
    var text: String
    var status: Int32
    var timedOut: Bool
}
