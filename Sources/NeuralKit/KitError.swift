/// An error with a sentence that says what is wrong and, where it can, what to do.
///
/// Functions that validate input (a label out of range, a truncated data file)
/// throw it rather than crash.
public struct KitError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
