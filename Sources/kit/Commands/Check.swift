import Foundation
import NeuralKit

extension Command {
    static let check = Command(
        name: "check", summary: "Build and run one stage's checks, and say what to do next.",
        positionals: "<stage>",
        details: """
            Builds only what changed, runs the checks of the stage (and of the stages it \
            builds on), and prints each check, the first failure and a hint. The exit \
            status is 0 only when the stage passes.
            """
    ) { arguments, kit in
        let stage = try arguments.stage(in: kit)
        return try StageCheck(kit: kit).check(stage) ? 0 : 1
    }
}

/// Running one stage's checks and printing them for the student.
struct StageCheck {
    let kit: Kit
    /// Called with what each check of a stage found: its run, or why it could not build (`kit watch`'s notebook page).
    var afterRun: ((Stage, CheckRun?, BuildProblem?) -> Void)? = nil
    var terminal: Terminal { kit.terminal }

    /// Builds, runs and prints the checks of `stage`. True when the stage passes.
    func check(_ stage: Stage) throws -> Bool {
        guard kit.isAvailable(stage) else {
            print(kit.comingSoon(stage))
            return false
        }
        print(terminal.dim("Building… (only what changed)"))
        let run: CheckRun
        do {
            run = try self.run(stage)
        } catch let problem as BuildProblem {
            explain(problem, checking: stage)
            afterRun?(stage, nil, problem)
            return false
        }
        // The student reads the verdict first; the notebook page follows.
        let passes = report(stage, run: run, prerequisites: prerequisites(of: stage))
        afterRun?(stage, run, nil)
        return passes
    }

    /// The available stages `stage` builds on, whose required checks run with its own.
    func prerequisites(of stage: Stage) -> [Stage] {
        stage.buildsOn.compactMap(Course.stage).filter(kit.isAvailable)
    }

    /// Builds and runs the checks of `stage` (its bonus too) and of its prerequisites, quietly, and
    /// records the results in the state. Throws a `BuildProblem` when the checks do not build.
    func run(_ stage: Stage) throws -> CheckRun {
        let runner = CheckRunner(kit: kit)
        try runner.build()
        let prerequisites = prerequisites(of: stage)
        let run = try runner.run(
            filters: ["StageTests\\.\(stage.filter)", "StageTests\\.\(stage.bonusFilter)"]
                + prerequisites.map { "StageTests\\.\($0.filter)" })
        kit.updateState { state in
            for other in [stage] + prerequisites where !run.checks(of: other, bonus: false).isEmpty {
                var result = run.result(other)
                if other.number != stage.number, let old = state.result(other) {
                    (result.bonusPassed, result.bonusTotal) = (old.bonusPassed, old.bonusTotal)
                }
                state.results[String(other.number)] = result
            }
        }
        return run
    }

    /// Prints the checks of `stage` from `run`. True when the stage passes.
    @discardableResult
    func report(_ stage: Stage, run: CheckRun, prerequisites: [Stage]) -> Bool {
        let required = run.checks(of: stage, bonus: false)
        let bonus = run.checks(of: stage, bonus: true)
        print("")
        print(terminal.bold(stage.heading) + terminal.dim("   \(stage.exerciseDescription)"))
        print("")
        guard !required.isEmpty else {
            if run.interrupted != nil || run.timedOut {
                printInterruption(run)
            } else {
                print("  Stage \(stage.number) has no checks yet (no suite \(stage.suite) in Tests/StageTests/).")
            }
            return false
        }
        for check in required { print("  \(symbol(check)) \(check.name)") }
        for check in run.skippedChecks(of: stage) {
            print(
                "  "
                    + terminal.dim(
                        "– \(check.name) (skipped here: it does not count; `swift test --filter \(stage.filter)` says why)"
                    ))
        }
        if !bonus.isEmpty {
            print("")
            print("  " + terminal.dim("Bonus (optional" + (stage.bonus.map { ": " + $0 } ?? "") + ")"))
            for check in bonus { print("  \(symbol(check)) \(check.name)") }
        }
        print("")
        printInterruption(run)

        let failing = required.filter { !$0.passed }
        if let first = failing.first ?? bonus.first(where: { !$0.passed && !$0.issues.isEmpty }) {
            let label = failing.isEmpty ? "First failing bonus check" : "First failure"
            print("  " + terminal.bold("\(label): ") + first.name)
            for issue in first.issues.prefix(1) {
                print("    " + wrap(issue, width: 84, indent: "    "))
            }
            if first.issues.count > 1 { print(terminal.dim("    (and \(first.issues.count - 1) more in this check)")) }
            print("")
        }

        for prerequisite in prerequisites {
            let result = run.result(prerequisite)
            if result.total > 0, !result.isDone {
                let failures = result.total - result.passed
                print(
                    "  "
                        + terminal.yellow(
                            "Stage \(stage.number) needs stage \(prerequisite.number), which still fails "
                                + "\(failures) check\(failures == 1 ? "" : "s")")
                        + ": swift run kit check \(prerequisite.number)")
            }
        }

        if failing.isEmpty {
            let bonusText = bonus.isEmpty ? "" : " · bonus \(bonus.filter(\.passed).count)/\(bonus.count)"
            print(
                terminal.green(
                    "\(terminal.pass) Stage \(stage.number) passes: \(required.count)/\(required.count) checks\(bonusText)."
                ))
            if let next = Course.stages.first(where: { $0.number > stage.number }) {
                if kit.isAvailable(next) {
                    print(
                        "Next: open \(next.exerciseDescription) and run `swift run kit check \(next.number)`"
                            + " (walkthrough: \(kit.walkthrough(next))).")
                } else {
                    print("Next: \(next.heading) is coming soon.")
                }
            }
            return true
        }
        showHint(stage)
        print("\(required.count - failing.count)/\(required.count) checks pass.")
        return false
    }

    private func symbol(_ check: CheckResult) -> String {
        if check.skipped { return terminal.dim("–") }
        if !check.ended { return terminal.yellow("?") }
        return check.passed ? terminal.pass : terminal.fail
    }

    private func printInterruption(_ run: CheckRun) {
        guard run.interrupted != nil || run.timedOut else { return }
        let name = run.interrupted.map { "\"\($0.name)\"" } ?? "a check"
        if run.timedOut {
            print(
                terminal.red(
                    "  The checks were stopped after \(Int(CheckRunner(kit: kit).timeout)) s while running \(name): "
                        + "is there a loop that never ends?"))
        } else {
            print(terminal.red("  The checks crashed while running \(name). The last lines it printed:"))
            print(run.outputTail.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            print(
                "  A crash comes from code that stops the program: an index out of range, `!` on nil, "
                    + "`fatalError`, or an integer overflow.")
        }
        print("")
    }

    /// The latest hint the student has seen, or the first one if none yet.
    private func showHint(_ stage: Stage) {
        let hints = stage.hints
        guard stage.isWritten, !hints.isEmpty else { return }
        var seen = kit.loadState().hintsSeen(stage)
        if seen == 0 {
            seen = 1
            kit.updateState { $0.hintsSeen[String(stage.number)] = 1 }
        }
        let index = min(seen, hints.count)
        let label = "Hint \(index) of \(hints.count): "
        print(
            "  " + terminal.cyan(label)
                + wrap(label + hints[index - 1], width: 86, indent: "    ").dropFirst(label.count))
        let more = index < hints.count ? "`swift run kit hint \(stage.number)` for the next hint · " : ""
        print("  " + terminal.dim(more + "walkthrough: \(kit.walkthrough(stage))"))
        print("")
    }

    /// Explains why the checks could not be built.
    func explain(_ problem: BuildProblem, checking stage: Stage?) {
        switch problem {
        case .compile(let failures, _):
            for failure in failures {
                print("")
                if let broken = failure.stage {
                    let own = broken.number == stage?.number
                    print(
                        terminal.red("\(terminal.fail) \(failure.file) does not compile")
                            + (own ? "" : " (stage \(broken.number), \(broken.title))") + ":")
                    print(failure.errors.prefix(20).map { "    " + $0 }.joined(separator: "\n"))
                    print("")
                    if own {
                        print(
                            wrap(
                                "Fix the error above and check again. To start this stage over, "
                                    + "`swift run kit reset \(broken.number)` puts back the original file (yours is saved first)."
                            ))
                    } else {
                        print(
                            wrap(
                                "Swift builds all stages together, so no check can run until this file compiles. "
                                    + "Fix it, or set it aside with `swift run kit reset \(broken.number)`: it saves your file "
                                    + "in Saved/\(broken.folder)/ and puts back the original stub."))
                    }
                } else {
                    print(terminal.red("\(terminal.fail) \(failure.file) does not compile:"))
                    print(failure.errors.prefix(20).map { "    " + $0 }.joined(separator: "\n"))
                    if failure.file.hasPrefix("Tests/") || failure.file.hasPrefix("Sources/")
                        || failure.file.hasPrefix("Solutions/")
                    {
                        print("")
                        print(
                            wrap(
                                "This file is part of the kit, not an exercise. If you changed it, put it back "
                                    + "(git checkout -- \(failure.file)); if not, the declarations it uses from Exercises/ may "
                                    + "have been renamed or removed: each exercise must keep the names and types of its stub."
                            ))
                    }
                }
            }
        case .other(let output):
            print(terminal.red("\(terminal.fail) The build failed:"))
            print(output.split(separator: "\n").suffix(30).joined(separator: "\n"))
        }
    }
}
