import Foundation

/// A line `<!-- output: NAME -->` in a walkthrough (docs/NN-*.md): the notebook's output cell of the
/// check whose display name is NAME goes there, after the worked example that check verifies.
///
/// The marker is an HTML comment, so the walkthrough reads the same on GitHub. `kit notebook` places
/// the cells by it, and `kit validate` checks that each one names a check of its stage.
public struct OutputMarker: Equatable, Sendable {
    /// The line of the marker in the walkthrough, counted from 1.
    public let line: Int
    /// The check's display name, exactly as in its `@Test("…")`.
    public let check: String

    public init(line: Int, check: String) {
        self.line = line
        self.check = check
    }

    /// What a marker line starts with.
    public static let prefix = "<!-- output:"
    /// What a marker line ends with.
    public static let suffix = "-->"

    /// The marker line for `check`: "<!-- output: softmax of [1, 2, 3], step by step -->".
    public static func line(for check: String) -> String { "\(prefix) \(check) \(suffix)" }

    /// The markers of a walkthrough, in order: each line that is a marker on its own (spaces around it
    /// allowed), outside fenced code blocks, where a marker is shown rather than meant.
    public static func parse(_ markdown: String) -> [OutputMarker] {
        markerLines(markdown).filter { !$0.indented }.compactMap { line, text, _ in
            check(in: text).map { OutputMarker(line: line, check: $0) }
        }
    }

    /// The check a line names if the line is a marker, else nil: for a renderer that reads line by line.
    public static func check(in line: some StringProtocol) -> String? {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix(prefix), text.hasSuffix(suffix) else { return nil }
        return text.dropFirst(prefix.count).dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
    }

    /// The lines that start like a marker but do not end with `-->`: their cell would be lost
    /// silently, and an unclosed comment hides the prose after it on GitHub.
    public static func unclosedLines(_ markdown: String) -> [Int] {
        markerLines(markdown).filter { !$0.text.hasSuffix(suffix) }.map(\.line)
    }

    /// The marker lines indented by four spaces or more: Markdown reads them as code, so the notebook
    /// would show the comment instead of placing a cell.
    public static func indentedLines(_ markdown: String) -> [Int] {
        markerLines(markdown).filter(\.indented).map(\.line)
    }

    /// The lines outside code fences that start with `prefix`, trimmed.
    private static func markerLines(_ markdown: String) -> [(line: Int, text: String, indented: Bool)] {
        var found: [(line: Int, text: String, indented: Bool)] = []
        var inFence = false
        let lines = markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix("```") || text.hasPrefix("~~~") {
                inFence.toggle()
            } else if !inFence, text.hasPrefix(prefix) {
                let indentation = raw.prefix { $0 == " " || $0 == "\t" }.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
                found.append((index + 1, text, indentation >= 4))
            }
        }
        return found
    }
}
