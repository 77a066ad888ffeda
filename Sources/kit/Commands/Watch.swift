import Foundation
import NeuralKit

extension Command {
    static let watch = Command(
        name: "watch", summary: "Re-run a stage's checks each time you save a file in Exercises/.",
        positionals: "[<stage>]",
        details: """
            Without a stage, watches the first stage that does not pass yet. When the \
            stage passes, moves on to the next one. Stop with Ctrl-C. Watching polls the \
            files' dates (once a second), so it also works on network drives and WSL. \
            After each run it rewrites the stage's notebook page (notebook/, see `kit notebook`), \
            which reloads itself in the browser every few seconds while you watch.
            """,
        options: [Option("interval", .number, "SECONDS", help: "how often to look for changes (default: 1)")]
    ) { arguments, kit in
        let state = kit.loadState()
        var stage = try arguments.stage(in: kit) {
            Course.stages.first { kit.isAvailable($0) && !(state.result($0)?.isDone ?? false) }
        }
        let interval = max(0.2, arguments.options["interval"].flatMap(Double.init) ?? 1)
        let notebook = Notebook(kit: kit)
        var checker = StageCheck(kit: kit)
        // The last page written, to write once more without its reload when the watch ends by itself.
        nonisolated(unsafe) var lastPage: (() -> Void)?
        checker.afterRun = { stage, run, problem in
            // The page follows the checks: it reloads itself, so the open browser tab shows each new result.
            let evidence = run.map(NotebookEvidence.ran) ?? .notBuilt(problem.map(Notebook.notBuiltReason) ?? "")
            // The demo trains from stage 7 on: while watching, it runs once the stage passes, so a save costs no more.
            let passes = run.map { run in run.checks(of: stage, bonus: false).allSatisfy(\.passed) } ?? false
            let demo = problem == nil && (stage.number < 7 || passes) ? notebook.demoOutput(stage) { _ in } : nil
            func write(reloadEvery: Int?) -> URL? {
                try? notebook.writePage(
                    stage, evidence: evidence, buildProblem: problem, demo: demo, reloadEvery: reloadEvery)
            }
            if let page = write(reloadEvery: Watcher.pageReload) {
                _ = try? notebook.writeIndex(buildProblem: problem)
                print(kit.terminal.dim("Notebook page: \(page.absoluteString)"))
                lastPage = { _ = write(reloadEvery: nil) }
            }
        }
        defer { lastPage?() }
        var snapshot = Watcher.snapshot(kit.url("Exercises"))
        while true {
            print(kit.terminal.dim(String(repeating: "─", count: 60)))
            print(kit.terminal.dim("[\(Watcher.time())] kit watch: stage \(stage.number)"))
            if try checker.check(stage) {
                guard let next = Course.stages.first(where: { $0.number > stage.number }) else {
                    print(kit.terminal.green("Every stage passes: well done!"))
                    return 0
                }
                guard kit.isAvailable(next) else {
                    print("\(next.heading) is coming soon. Stopping the watch.")
                    return 0
                }
                stage = next
                print("")
                print(kit.terminal.bold("Moving on to \(stage.heading)."))
                continue
            }
            print(kit.terminal.dim("Watching Exercises/ — save a file to check again, Ctrl-C to stop."))
            while true {
                Thread.sleep(forTimeInterval: interval)
                let now = Watcher.snapshot(kit.url("Exercises"))
                if now != snapshot {
                    snapshot = now
                    break
                }
            }
            // Editors write a file in several steps: wait until it settles.
            Thread.sleep(forTimeInterval: 0.3)
            snapshot = Watcher.snapshot(kit.url("Exercises"))
        }
    }
}

/// Change detection by polling: inotify and FSEvents miss changes on network
/// file systems and across the WSL boundary, dates and sizes do not.
enum Watcher {
    /// Seconds between reloads of a notebook page written while watching: a page that reloads itself needs
    /// no server, works from file:// in every browser and keeps its scroll position on reload.
    static let pageReload = 3

    static func snapshot(_ folder: URL) -> [String: String] {
        var files: [String: String] = [:]
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys) else {
            return files
        }
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let values = try? url.resourceValues(forKeys: Set(keys))
            files[url.path] = "\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)/\(values?.fileSize ?? 0)"
        }
        return files
    }

    static func time() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
