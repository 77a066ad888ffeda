/// A command line after the command's name, checked against its declaration
/// (`CommandDeclaration.parse`): positional words, flags (`--force`) and options
/// with a value (`--dataset spirals`, `--dataset=spirals`) that has the declared type.
public struct Arguments: Sendable, Equatable {
    public var positionals: [String] = []
    public var flags: Set<String> = []
    /// The values as given, by option name (the last one, for an option given more than once).
    public var options: [String: String] = [:]
    /// Every value of each option, in order.
    public var values: [String: [String]] = [:]

    public init() {}

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The text of an option, when given.
    public func string(_ name: String) -> String? { options[name] }

    /// Every value of a repeatable option, in order.
    public func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// An `.integer` option's value (the parser checked that it is one).
    public func integer(_ name: String) -> Int? { options[name].flatMap { Int($0) } }

    /// A `.number` option's value.
    public func number(_ name: String) -> Double? { options[name].flatMap { Double($0) } }

    /// A `.range` option's value.
    public func range(_ name: String) throws -> Range<Int>? {
        try options[name].map { try Option.range($0, option: name) }
    }
}
