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
            guard try StageCheck(kit: kit).check(stage) else {
                print("")
                print(
                    "The reference is shown once stage \(stage.number) passes: try `swift run kit hint \(stage.number)` first. "
                        + "(`swift run kit solution \(stage.number) --force` shows it now.)")
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
                print(line)
            }
        }
        return 0
    }
}
