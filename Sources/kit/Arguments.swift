import Foundation
// Every file of kit sees the command-line layer (`Option`, `ExitStatus`, `wrap`, `pad`), the grader's reports too.
@_exported import KitCommandLine
import NeuralKit

// The command-line layer is KitCommandLine, shared with kit-demos: a command
// declares its options there (`CommandDeclaration`), and `kit help` shows the
// help generated from them.

typealias Arguments = KitCommandLine.Arguments
typealias UsageError = KitCommandLine.UsageError

/// A subcommand of `kit`: what it accepts (its declaration), and what it does.
/// Adding one: write a `static let` command and list it in `Command.all` (main.swift).
struct Command: Sendable {
    let declaration: CommandDeclaration
    /// Runs the command; returns the exit status (`ExitStatus`).
    let run: @Sendable (Arguments, Kit) throws -> Int32

    init(_ declaration: CommandDeclaration, run: @escaping @Sendable (Arguments, Kit) throws -> Int32) {
        self.declaration = declaration
        self.run = run
    }

    init(
        name: String, summary: String, positionals: String = "", details: String = "", options: [Option] = [],
        maximumPositionals: Int = 1, hidden: Bool = false, run: @escaping @Sendable (Arguments, Kit) throws -> Int32
    ) {
        self.init(
            CommandDeclaration(
                name: name, summary: summary, positionals: positionals, details: details,
                options: options, maximumPositionals: maximumPositionals, hidden: hidden), run: run)
    }

    var name: String { declaration.name }
    var help: String { declaration.help }
}

extension Arguments {
    /// Parses `words` for `command`; a mistake is a `UsageError`.
    init(_ words: [String], for command: Command) throws {
        self = try command.declaration.parse(words)
    }

    /// The stage named by the first positional argument, or `fallback` when there is none.
    func stage(in kit: Kit, default fallback: (() -> Stage?)? = nil) throws -> Stage {
        if let first = positionals.first { return try kit.stage(first) }
        if let stage = fallback?() { return stage }
        throw UsageError("which stage? Give its number, e.g. `swift run kit check 3`")
    }
}
