import Foundation
import NeuralKit

/// A command line after the command's name: positional arguments, flags
/// (`--force`) and options with a value (`--dataset spirals`, `--dataset=spirals`).
struct Arguments {
    var positionals: [String] = []
    var flags: Set<String> = []
    var options: [String: String] = [:]

    /// Parses `words` for `command`; an option it does not know is a `UsageError`.
    init(_ words: [String], for command: Command) throws {
        if command.parsesItsOwnArguments {
            if words.first == "--help" || words.first == "-h" { flags.insert("help") } else { positionals = words }
            return
        }
        var index = 0
        var onlyPositionals = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" || Int(word) != nil {
                positionals.append(word)
                continue
            }
            if word == "--" { onlyPositionals = true; continue }
            if word == "-h" || word == "--help" { flags.insert("help"); continue }
            var name = String(word.drop { $0 == "-" })
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = command.options.first(where: { $0.name == name }) else {
                throw UsageError("there is no option \(word)"
                    + (command.options.isEmpty ? "" : " (it takes " + command.options.map { "--" + $0.name }.joined(separator: ", ") + ")"))
            }
            if option.takesValue {
                if value == nil, index < words.count { value = words[index]; index += 1 }
                guard let value else { throw UsageError("--\(name) needs a value: \(option.usage)") }
                options[name] = value
            } else {
                guard value == nil else { throw UsageError("--\(name) takes no value") }
                flags.insert(name)
            }
        }
        guard positionals.count <= command.maximumPositionals else {
            let extra = positionals.dropFirst(command.maximumPositionals).joined(separator: " ")
            throw UsageError("unexpected \"\(extra)\"")
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// An option a command accepts.
struct Option: Sendable {
    let name: String
    var takesValue = false
    /// "--dataset NAME   the toy dataset (default: spirals)".
    let usage: String
}

/// A subcommand of `kit`: its name, its help, and what it does.
/// Adding one: write a `static let` command and list it in `Command.all` (main.swift).
struct Command: Sendable {
    let name: String
    /// One line for `kit help`.
    let summary: String
    /// "kit check <stage>".
    let usage: String
    /// Paragraphs for `kit help <command>`.
    var details: String = ""
    var options: [Option] = []
    var maximumPositionals = 1
    /// Hidden from `kit help` (maintainers' commands).
    var hidden = false
    /// The command reads its words itself (they arrive as `positionals`).
    var parsesItsOwnArguments = false
    /// Runs the command; returns the exit status.
    let run: @Sendable (Arguments, Kit) throws -> Int32

    var help: String {
        var text = "Usage: \(usage)\n\n\(summary)\n"
        if !details.isEmpty { text += "\n" + wrap(details) + "\n" }
        if !options.isEmpty {
            text += "\nOptions:\n" + options.map { "  " + $0.usage }.joined(separator: "\n") + "\n"
        }
        return text
    }
}

extension Arguments {
    /// The stage named by the first positional argument, or `fallback` when there is none.
    func stage(in kit: Kit, default fallback: (() -> Stage?)? = nil) throws -> Stage {
        if let first = positionals.first { return try kit.stage(first) }
        if let stage = fallback?() { return stage }
        throw UsageError("which stage? Give its number, e.g. `swift run kit check 3`")
    }
}
