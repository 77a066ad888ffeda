import Foundation
import NeuralKit

/// What a command accepts and how it explains itself: its name, its words
/// and options, and the help generated from them. `kit` runs it (and, for the
/// commands that run course code, `kit-demos` too: `ForwardedCommands`).
public struct CommandDeclaration: Sendable {
    public let name: String
    /// One line for `kit help`.
    public let summary: String
    /// The words before the command's name: "swift run kit", or "swift run -c release kit" for training.
    public var program = "swift run kit"
    /// The positional words in the usage line: "<stage>", "conv2d|pool|dense".
    public var positionalSynopsis = ""
    /// Paragraphs for `kit help <command>`.
    public var details = ""
    public var options: [Option] = []
    public var maximumPositionals = 1
    /// Hidden from `kit help` (maintainers' commands).
    public var hidden = false

    public init(
        name: String, summary: String, program: String = "swift run kit", positionals: String = "",
        details: String = "", options: [Option] = [], maximumPositionals: Int = 1, hidden: Bool = false
    ) {
        self.name = name
        self.summary = summary
        self.program = program
        self.positionalSynopsis = positionals
        self.details = details
        self.options = options
        self.maximumPositionals = maximumPositionals
        self.hidden = hidden
    }

    /// "swift run kit check <stage> [options]".
    public var usage: String {
        [program, name, positionalSynopsis, options.isEmpty ? "" : "[options]"]
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// What follows a command-line mistake: the usage line, and where the whole help is
    /// (the whole help would bury the one line that says what is wrong).
    public var usageReminder: String {
        "Usage: \(usage)\n`swift run kit help \(name)` explains " + (options.isEmpty ? "it." : "every option.")
    }

    /// Reports a command-line mistake as every command does, on standard error: "kit NAME: what is
    /// wrong", then the usage reminder. Returns the usage status, for the caller to exit with.
    public func reportUsageError(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("kit \(name): \(message)\n\(usageReminder)\n".utf8))
        return ExitStatus.usage
    }

    /// The whole help: usage, summary, details and one line per option.
    public var help: String {
        var text = "Usage: \(usage)\n\n\(summary)\n"
        if !details.isEmpty { text += "\n" + wrap(details) + "\n" }
        if !options.isEmpty {
            let width = options.map(\.synopsis.count).max()! + 2
            let indent = String(repeating: " ", count: width + 2)
            text +=
                "\nOptions:\n"
                + options.map { option in
                    "  " + pad(option.synopsis, width) + wrap(option.description, width: 100 - width, indent: indent)
                }.joined(separator: "\n") + "\n"
        }
        return text
    }

    /// Parses the words after the command's name: `UsageError` for an unknown
    /// option (with the nearest known one), a missing value, a value of the
    /// wrong type, or too many positional words.
    public func parse(_ words: [String]) throws -> Arguments {
        var arguments = Arguments()
        var index = 0
        var onlyPositionals = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" || Double(word) != nil {
                arguments.positionals.append(word)
                continue
            }
            if word == "--" {
                onlyPositionals = true
                continue
            }
            if word == "-h" || word == "--help" {
                arguments.flags.insert("help")
                continue
            }
            var name = String(word.drop { $0 == "-" })
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = options.first(where: { $0.name == name }) else {
                throw UsageError(unknownOption(word, name: name))
            }
            if option.takesValue {
                if value == nil, index < words.count {
                    value = words[index]
                    index += 1
                }
                guard let value else { throw UsageError("--\(name) needs a value: \(option.synopsis)") }
                try option.validate(value)
                arguments.options[name] = value
                arguments.values[name, default: []].append(value)
            } else {
                guard value == nil else { throw UsageError("--\(name) takes no value") }
                arguments.flags.insert(name)
            }
        }
        guard arguments.positionals.count <= maximumPositionals else {
            let extra = arguments.positionals.dropFirst(maximumPositionals).joined(separator: " ")
            throw UsageError("unexpected \"\(extra)\"")
        }
        return arguments
    }

    private func unknownOption(_ word: String, name: String) -> String {
        if let near = Suggestion.closest(to: name, among: options.map(\.name)) {
            return "there is no option \(word): did you mean --\(near)?"
        }
        return "there is no option \(word)"
            + (options.isEmpty ? "" : " (it takes " + options.map { "--" + $0.name }.joined(separator: ", ") + ")")
    }

    /// The words that give `arguments` to another process that parses them with
    /// this declaration: options in their declared order, path values made
    /// absolute from `directory` (the other process runs elsewhere).
    public func words(for arguments: Arguments, relativeTo directory: String) -> [String] {
        var words = arguments.positionals
        for option in options {
            if option.takesValue {
                let values =
                    option.repeatable
                    ? arguments.strings(option.name) : arguments.string(option.name).map { [$0] } ?? []
                for value in values {
                    words += ["--" + option.name, option.value == .path ? absolutePath(value, from: directory) : value]
                }
            } else if arguments.flag(option.name) {
                words.append("--" + option.name)
            }
        }
        return words
    }
}

/// `path` from `directory`, with `~` at the start meaning home (no shell expands it after `--output=`).
public func absolutePath(_ path: String, from directory: String) -> String {
    DataDirectory.absolute(path, from: directory)
}
