/// One option of a command, declared once: its name, the type of its value,
/// its default and its help. The parser checks values against the type, and
/// the help text is generated from these declarations.
public struct Option: Sendable, Equatable {
    /// What an option's value is.
    public enum Value: Sendable, Equatable {
        /// No value: `--json`.
        case flag
        /// A whole number: `--epochs 10`.
        case integer
        /// A number: `--learning-rate 0.05`.
        case number
        /// Any text: `--salt S`.
        case text
        /// A file or folder. Forwarded to another process as an absolute path,
        /// since that process runs in the kit's folder.
        case path
        /// One word of a list: `--model lenet`.
        case choice([String])
        /// Half-open indices `A:B` (or `A..<B`): `--train-range 0:8000`.
        case range
    }

    /// Without the dashes: "epochs".
    public let name: String
    public let value: Value
    /// The value's name in the help: "E", "DIR".
    public let placeholder: String
    public let help: String
    /// Shown as "(default: …)"; nil when there is none or the help says it.
    public let defaultValue: String?
    /// Given more than once, each value counts (`Arguments.strings`); otherwise the last one does.
    public let repeatable: Bool

    public init(
        _ name: String, _ value: Value, _ placeholder: String = "", help: String,
        default defaultValue: String? = nil, repeatable: Bool = false
    ) {
        self.name = name
        self.repeatable = repeatable
        self.value = value
        self.placeholder = placeholder.isEmpty ? Option.placeholder(for: value) : placeholder
        self.help = help
        self.defaultValue = defaultValue
    }

    /// A flag: `--json`.
    public static func flag(_ name: String, help: String) -> Option { Option(name, .flag, help: help) }

    public var takesValue: Bool { value != .flag }

    /// "--epochs E" or "--json".
    public var synopsis: String { "--" + name + (takesValue ? " " + placeholder : "") }

    /// The help, with the choices and the default.
    public var description: String {
        var text = help
        if case .choice(let choices) = value, !help.contains(choices[0]) {
            text += ": " + choices.joined(separator: ", ")
        }
        if let defaultValue { text += " (default: \(defaultValue))" }
        if repeatable { text += " (repeatable)" }
        return text
    }

    private static func placeholder(for value: Value) -> String {
        switch value {
        case .flag: ""
        case .integer: "N"
        case .number: "X"
        case .text: "TEXT"
        case .path: "PATH"
        case .choice: "NAME"
        case .range: "A:B"
        }
    }

    /// Checks `text` against the option's type; the message says what was expected.
    func validate(_ text: String) throws {
        switch value {
        case .flag, .text, .path: return
        case .integer:
            guard Int(text) != nil else { throw UsageError("--\(name) \(text): not a whole number") }
        case .number:
            guard Double(text) != nil else { throw UsageError("--\(name) \(text): not a number") }
        case .choice(let choices):
            guard choices.contains(text) else {
                throw UsageError(
                    "--\(name) \(text): use one of " + choices.joined(separator: ", ")
                        + (Suggestion.closest(to: text, among: choices).map { " (did you mean \"\($0)\"?)" } ?? ""))
            }
        case .range:
            _ = try Option.range(text, option: name)
        }
    }

    /// "0:8000" or "0..<8000": the half-open range of indices.
    static func range(_ text: String, option: String) throws -> Range<Int> {
        let parts =
            text.contains("..<")
            ? text.components(separatedBy: "..<")
            : text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let lower = Int(parts[0].isEmpty ? "0" : parts[0]), let upper = Int(parts[1]),
            lower >= 0, lower < upper
        else {
            throw UsageError("--\(option) \(text): write the indices as START:END (END not included), e.g. 0:8000")
        }
        return lower..<upper
    }
}
