import Foundation
import NeuralKit

// kit: the student's command line. `swift run kit help` lists the commands.
//
// Adding a command: write a `static let` `Command` (see Commands/) and list it
// in `Command.all` below. Its options are declared with it, and parsed and
// explained by KitCommandLine. Exit status: `ExitStatus` (0 done, 1 failed, 2 usage).

extension Command {
    /// Every command, in the order `kit help` lists them.
    static let all: [Command] = [
        status, check, hint, watch, notebook, run, reset, solution, data, train, bench, shape, summary, report,
        grade, similarity,
        release, help, index, stubs, validate, fixtures, leaks, record,
    ]

    static let help = Command(
        name: "help", summary: "List the commands, or explain one: swift run kit help check.",
        positionals: "[<command>]"
    ) { arguments, _ in
        if let name = arguments.positionals.first {
            print(try named(name).help)
        } else {
            print(Command.overview)
        }
        return ExitStatus.success
    }

    /// The command called `name`; a `UsageError` that suggests the nearest one when there is none.
    static func named(_ name: String) throws -> Command {
        guard let command = all.first(where: { $0.name == name }) else { throw unknown(name) }
        return command
    }

    /// "unknown command", with the nearest command's name when it looks like a typo.
    static func unknown(_ name: String) -> UsageError {
        let suggestion = Suggestion.closest(to: name, among: all.filter { !$0.declaration.hidden }.map(\.name))
        return UsageError("unknown command \"\(name)\"" + (suggestion.map { ": did you mean `\($0)`?" } ?? ""))
    }

    static var overview: String {
        let width = (all.map(\.name.count).max() ?? 8) + 2
        return """
            kit: your guide through NeuralKit's stages.

            Usage: swift run kit <command> [arguments]

            Commands:
            \(all.filter { !$0.declaration.hidden }.map { "  " + pad($0.name, width) + $0.declaration.summary }.joined(separator: "\n"))

            Without a command, kit shows your progress (kit status).
            `swift run kit help <command>` explains a command.
            Exit status: 0 done, 1 the work failed (a check, the build), 2 a mistake in the command line.
            """
    }
}

/// Runs the command line `words` (without the program's name); returns the exit status.
func kitMain(_ words: [String]) -> Int32 {
    var words = words
    if words.first == "--help" || words.first == "-h" { words[0] = "help" }
    let name = words.first ?? "status"
    guard let command = Command.all.first(where: { $0.name == name }) else {
        let unknown = Command.unknown(name)
        printError("kit: \(unknown.message)")
        // A near miss needs no list of every command.
        printError(
            unknown.message.contains("did you mean")
                ? "`swift run kit help` lists the commands." : "\n" + Command.overview)
        return ExitStatus.usage
    }
    do {
        let arguments = try Arguments(Array(words.dropFirst()), for: command)
        if arguments.flag("help") {
            print(command.help)
            return ExitStatus.success
        }
        let kit = try Kit.locate()
        return try command.run(arguments, kit)
    } catch let error as UsageError {
        return command.declaration.reportUsageError(error.message)
    } catch let error as KitError {
        printError("kit: \(error.message)")
        return ExitStatus.failure
    } catch {
        printError("kit: \(error)")
        return ExitStatus.failure
    }
}

exit(kitMain(Array(CommandLine.arguments.dropFirst())))
