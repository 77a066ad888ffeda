import Foundation
import NeuralKit

extension Command {
    static let hint = Command(
        name: "hint", summary: "Show the next hint of a stage (each time you ask, one more).",
        positionals: "<stage>",
        details: """
            Each stage has a few hints, from a nudge to nearly the answer. The first time \
            shows the first; asking again shows the next. --all shows those you have seen.
            """,
        options: [.flag("all", help: "show every hint seen so far again")]
    ) { arguments, kit in
        let stage = try arguments.stage(in: kit)
        let terminal = kit.terminal
        print(terminal.bold(stage.heading))
        let hints = stage.hints
        guard stage.isWritten, !hints.isEmpty else {
            print("The hints of this stage are written with the stage: \(kit.comingSoon(stage))")
            return 0
        }
        let seen = kit.loadState().hintsSeen(stage)
        let shown: ClosedRange<Int>
        if arguments.flag("all") {
            shown = 1...max(1, min(seen, hints.count))
        } else {
            let next = min(seen + 1, hints.count)
            shown = next...next
            kit.updateState { $0.hintsSeen[String(stage.number)] = max(seen, next) }
        }
        for index in shown {
            print("")
            let label = "Hint \(index) of \(hints.count): "
            print(terminal.cyan(label) + wrap(label + hints[index - 1], indent: "  ").dropFirst(label.count))
        }
        print("")
        if shown.upperBound < hints.count {
            print(terminal.dim("Ask again for the next hint: swift run kit hint \(stage.number)"))
        } else {
            print(
                terminal.dim(
                    "That was the last hint. The walkthrough, \(kit.walkthrough(stage)), explains the math step by step"
                        + (kit.hasReference
                            ? "; once the stage passes, `swift run kit solution \(stage.number)` shows the reference."
                            : ".")))
        }
        return 0
    }
}
