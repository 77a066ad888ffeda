import Foundation
import NeuralKit

extension Command {
    static let solution = Command(
        name: "solution", summary: "Show the reference solution of a stage, as a diff against your file.",
        positionals: "<stage>",
        details: """
            Only once the stage passes (it runs the checks first), so that the reference \
            is something to compare with rather than to copy. --force shows it anyway.
            """,
        options: [.flag("force", help: "show it even though the stage does not pass yet")]
    ) { arguments, kit in
        let stage = try arguments.stage(in: kit)
        guard kit.hasReference else {
            print(
                "There is no reference to show: \(Kit.referenceIsInInstructorsEdition). "
                    + "`swift run kit hint \(stage.number)` gives hints, and \(kit.walkthrough(stage)) explains the stage step by step."
            )
            return 1
        }
        guard kit.isAvailable(stage), stage.solutionPaths.allSatisfy(kit.exists) else {
            print(kit.comingSoon(stage))
            return 1
        }
        if !arguments.flag("force") {
            print("Checking that stage \(stage.number) passes first…")
            let checker = StageCheck(kit: kit)
            let result: StageResult
            do {
                result = try checker.run(stage).result(stage)
            } catch is BuildProblem {
                print("Stage \(stage.number) does not build: `swift run kit check \(stage.number)` shows why.")
                return 1
            }
            print(SolutionGate.summary(stage, result))
            guard result.isDone else {
                print(
                    SolutionGate.advice(
                        stage, hintsSeen: kit.loadState().hintsSeen(stage), walkthrough: kit.walkthrough(stage)))
                return 1
            }
            print("")
        }
        // Every file of the stage, in the order the walkthrough teaches them.
        let diff = try zip(stage.exercisePaths, stage.solutionPaths).map { exercise, solution in
            try Diff.unified(
                from: kit.url(exercise), label: "your " + exercise, to: kit.url(solution),
                label: "reference " + solution)
        }.filter { !$0.isEmpty }.joined(separator: "\n")
        let yours = stage.files.count == 1 ? "Your file" : "Your files"
        if diff.isEmpty {
            print("\(yours) \(stage.files.count == 1 ? "is" : "are") the same as the reference.")
            return 0
        }
        print(kit.terminal.bold("\(yours) (−) and the reference (+):"))
        print("")
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("+++") || line.hasPrefix("---") {
                print(kit.terminal.bold(String(line)))
            } else if line.hasPrefix("+") {
                print(kit.terminal.green(String(line)))
            } else if line.hasPrefix("-") {
                print(kit.terminal.red(String(line)))
            } else if line.hasPrefix("@@") {
                print(kit.terminal.cyan(String(line)))
            } else {
                print(String(line))
            }
        }
        return 0
    }
}

/// What `kit solution` says about a stage's checks before it shows (or keeps back) the reference.
enum SolutionGate {
    /// One line instead of the whole check report: "Stage 1: 7/9 checks pass."
    static func summary(_ stage: Stage, _ result: StageResult) -> String {
        if result.total == 0 {
            return "Stage \(stage.number): no check ran (`swift run kit check \(stage.number)` says why)."
        }
        if result.isDone { return "Stage \(stage.number) passes: \(result.total)/\(result.total) checks." }
        return "Stage \(stage.number): \(result.passed)/\(result.total) checks pass."
    }

    /// Why the reference is kept back, and what to try instead, by how many of the stage's hints were seen.
    static func advice(_ stage: Stage, hintsSeen seen: Int, walkthrough: String) -> String {
        let count = stage.hints.count
        let next: String
        if count == 0 {
            next = "the walkthrough, \(walkthrough), explains the stage step by step."
        } else if seen == 0 {
            next =
                "try `swift run kit hint \(stage.number)` first (\(count) hint\(count == 1 ? "" : "s"), one at a time)."
        } else if seen < count {
            next = "you have seen hint \(seen) of \(count); `swift run kit hint \(stage.number)` gives the next."
        } else {
            next = "you have seen all \(count) hints; the walkthrough, \(walkthrough), explains the math step by step."
        }
        return "The reference is shown once stage \(stage.number) passes: " + next
            + " `swift run kit check \(stage.number)` shows what fails; "
            + "`swift run kit solution \(stage.number) --force` shows the reference now."
    }
}
