import Foundation
import NeuralKit

extension Command {
    static let status = Command(
        name: "status", summary: "Show your progress through the stages and the next step (the default).",
        details: """
            Builds, runs every stage's checks and prints a table: checks passed, bonus \
            checks passed and the state of each stage. With --cached, shows the results \
            of the last runs without building.
            """,
        options: [.flag("cached", help: "show the last results without running the checks")],
        maximumPositionals: 0
    ) { arguments, kit in
        try Progress(kit: kit).show(runChecks: !arguments.flag("cached"))
        return 0
    }
}

/// The progress table of `kit status`.
struct Progress {
    let kit: Kit
    var terminal: Terminal { kit.terminal }

    func show(runChecks: Bool) throws {
        var problem: BuildProblem?
        if runChecks {
            print(terminal.dim("Building and running the checks… (only what changed is built)"))
            let runner = CheckRunner(kit: kit)
            do {
                try runner.build()
                let run = try runner.run(filters: ["StageTests\\."])
                kit.updateState { state in
                    for stage in Course.stages where kit.isAvailable(stage) {
                        state.results[String(stage.number)] = run.result(stage)
                    }
                }
            } catch let failure as BuildProblem {
                problem = failure
            }
        }
        let state = kit.loadState()
        print("")
        print(
            terminal.bold("NeuralKit · your progress")
                + (problem == nil ? "" : terminal.dim("  (last results: the kit does not build now)")))
        print("")
        let stages = kit.courseStages
        let width = max(28, stages.map(\.title.count).max() ?? 0)
        print(
            terminal.dim(
                "  " + pad("Stage", 7) + pad("Title", width + 2) + pad("Checks", 9) + pad("Bonus", 8) + "State"))
        var done = 0
        var passed = 0
        var total = 0
        for stage in stages {
            let result = kit.isAvailable(stage) ? state.result(stage) : nil
            let checks = result.flatMap { $0.total > 0 ? "\($0.passed)/\($0.total)" : nil } ?? "—"
            let bonus = result.flatMap { $0.bonusTotal > 0 ? "\($0.bonusPassed)/\($0.bonusTotal)" : nil } ?? "—"
            let progress = StageProgress(stage, result: result, kit: kit)
            let stateText: String
            switch progress {
            case .comingSoon, .noChecksYet: stateText = terminal.dim(progress.text)
            case .done:
                stateText = terminal.green("\(progress.text) \(terminal.pass)")
                done += 1
            case .inProgress: stateText = terminal.yellow(progress.text)
            case .notStarted: stateText = progress.text
            }
            passed += result?.passed ?? 0
            total += result?.total ?? 0
            print(
                "  " + pad("\(stage.number)", 7) + pad(stage.title, width + 2) + pad(checks, 9) + pad(bonus, 8)
                    + stateText)
        }
        print("")
        let fraction = stages.isEmpty ? 0 : Double(done) / Double(stages.count)
        print(
            "  " + terminal.bar(fraction) + " \(done) of \(stages.count) stages done · \(passed)/\(total) checks pass")
        print("")
        if let problem {
            StageCheck(kit: kit).explain(problem, checking: nil)
            print("")
        }
        print(nextStep(state))
    }

    /// "Next: open … and run `swift run kit check 3`".
    func nextStep(_ state: KitState) -> String {
        let available = kit.courseStages.filter(kit.isAvailable)
        guard let next = available.first(where: { !(state.result($0)?.isDone ?? false) }) else {
            if let soon = kit.courseStages.first(where: { !kit.isAvailable($0) }) {
                return terminal.green("Every stage so far passes. ") + "Next: \(soon.heading) is coming soon."
            }
            return terminal.green("Every stage passes: well done! ") + "Bonus checks: swift run kit check N shows them."
        }
        var text = "Next: open \(next.exerciseDescription) and run `swift run kit check \(next.number)`"
        if kit.isUntouched(next) != false { text += " (walkthrough: \(kit.walkthrough(next)))" }
        return terminal.bold(text)
    }
}

/// Where a stage stands, as `kit status` and `kit report` show it.
enum StageProgress: String {
    case comingSoon = "coming soon"
    case done
    case inProgress = "in progress"
    case notStarted = "not started"
    case noChecksYet = "no checks yet"

    /// The stage's state from its last results (nil: never checked) and whether its file is still the stub.
    init(_ stage: Stage, result: StageResult?, kit: Kit) {
        if !kit.isAvailable(stage) {
            self = .comingSoon
        } else if let result, result.isDone {
            self = .done
        } else if let result, result.passed > 0 || kit.isUntouched(stage) == false {
            self = .inProgress
        } else if result == nil || result?.total ?? 0 > 0 {
            self = .notStarted
        } else {
            self = .noChecksYet
        }
    }

    var text: String { rawValue }
}
