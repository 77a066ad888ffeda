import Foundation
import NeuralKit

// kit: the student's command line. `swift run kit help` lists the commands.
//
// Adding a command: write a `static let` `Command` (see Commands/) and list it
// in `Command.all` below. Arguments are parsed by `Arguments` (Arguments.swift).

extension Command {
    /// Every command, in the order `kit help` lists them.
    static let all: [Command] = [status, check, hint, watch, run, reset, solution, data, train, bench, shape, summary, grade, similarity, release, help, index, stubs, validate, fixtures, leaks, record]

    static let help = Command(
        name: "help", summary: "List the commands, or explain one: swift run kit help check.",
        usage: "swift run kit help [<command>]"
    ) { arguments, _ in
        if let name = arguments.positionals.first {
            guard let command = all.first(where: { $0.name == name }) else {
                throw UsageError("there is no command \"\(name)\"")
            }
            print(command.help)
        } else {
            print(Command.overview)
        }
        return 0
    }

    static var overview: String {
        let width = (all.map(\.name.count).max() ?? 8) + 2
        return """
        kit: your guide through NeuralKit's stages.

        Usage: swift run kit <command> [arguments]

        Commands:
        \(all.filter { !$0.hidden }.map { "  " + pad($0.name, width) + $0.summary }.joined(separator: "\n"))

        Without a command, kit shows your progress (kit status).
        `swift run kit help <command>` explains a command.
        """
    }
}

/// Runs the command line `words` (without the program's name); returns the exit status.
func kitMain(_ words: [String]) -> Int32 {
    var words = words
    if words.first == "--help" || words.first == "-h" { words[0] = "help" }
    let name = words.first ?? "status"
    guard let command = Command.all.first(where: { $0.name == name }) else {
        printError("kit: unknown command \"\(name)\".\n")
        printError(Command.overview)
        return 2
    }
    do {
        let arguments = try Arguments(Array(words.dropFirst()), for: command)
        if arguments.flag("help") {
            print(command.help)
            return 0
        }
        let kit = try Kit.locate()
        return try command.run(arguments, kit)
    } catch let error as UsageError {
        printError("kit \(command.name): \(error.message)\n")
        printError(command.help)
        return 2
    } catch let error as KitError {
        printError("kit: \(error.message)")
        return 1
    } catch {
        printError("kit: \(error)")
        return 1
    }
}

exit(kitMain(Array(CommandLine.arguments.dropFirst())))
