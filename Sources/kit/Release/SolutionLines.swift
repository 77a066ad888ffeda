import Foundation
import NeuralKit

/// Finds lines of the reference solutions in files that are about to be handed out.
///
/// An answer line is a line of a file in Solutions/ (trimmed) that is not in the stub of the
/// same file, nor in any other stub (the stubs are handed out anyway). Left out, because they
/// carry no answer: lines shorter than `minimumLength` characters (`} else {`, `return nil`,
/// `var seen = 0`), comments, the first line of a declaration (`public func f(...) {`), which
/// the stubs declare too, a property declared without a value (`let weight: Tensor`), and the
/// head of a loop over a count (`for c in 0..<channels {`, as the core's own loops have). Any other answer line in a file of the edition is a leak.
struct SolutionLines {
    /// A trimmed answer line → the solution file it comes from.
    let answerLines: [String: String]

    static let minimumLength = 16

    /// One answer line found in a file.
    struct Leak: CustomStringConvertible {
        let path: String
        let line: Int
        let text: String
        let solution: String

        var description: String { "\(path):\(line): \(text)   (from \(solution))" }
    }

    /// The answer lines of the kit's Solutions/, against its original stubs (Sources/kit/Stubs/).
    init(kit: Kit) throws {
        var solutions: [String: Data] = [:]
        var stubs: [String: Data] = [:]
        try GradingWorkspace.read(kit.url("Solutions"), as: "Solutions", into: &solutions) { $0.hasSuffix(".swift") }
        try GradingWorkspace.read(kit.url(Kit.stubsFolder), as: Kit.stubsFolder, into: &stubs) {
            $0.hasSuffix(".swift")
        }
        self.init(solutions: solutions, stubs: stubs)
    }

    /// `solutions`: "Solutions/NN-Name/File.swift" → contents; `stubs`: "<anything>/NN-Name/File.swift" → contents.
    init(solutions: [String: Data], stubs: [String: Data]) {
        var stubLines: [String: Set<String>] = [:]
        var everyStubLine: Set<String> = []
        for (path, data) in stubs {
            let lines = Set(SolutionLines.lines(of: data))
            stubLines[SolutionLines.stageFile(path)] = lines
            everyStubLine.formUnion(lines)
        }
        var answers: [String: String] = [:]
        for (path, data) in solutions.sorted(by: { $0.key < $1.key }) {
            let own = stubLines[SolutionLines.stageFile(path)] ?? []
            for line in SolutionLines.lines(of: data)
            where SolutionLines.mayBeAnAnswer(line) && !own.contains(line) && !everyStubLine.contains(line) {
                if answers[line] == nil { answers[line] = path }
            }
        }
        answerLines = answers
    }

    /// The answer lines in `files` (relative path → contents); files that are not UTF-8 text are skipped.
    func find(in files: [String: Data]) -> [Leak] {
        var leaks: [Leak] = []
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            guard let text = String(data: data, encoding: .utf8) else { continue }
            for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if let solution = answerLines[line] {
                    leaks.append(Leak(path: path, line: index + 1, text: line, solution: solution))
                }
            }
        }
        return leaks
    }

    // MARK: The rule

    static func lines(of data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// "NN-Name/File.swift" of a path ending in a stage folder and a file.
    static func stageFile(_ path: String) -> String {
        path.split(separator: "/").suffix(2).joined(separator: "/")
    }

    /// Whether a trimmed line can carry an answer.
    static func mayBeAnAnswer(_ line: String) -> Bool {
        if line.count < minimumLength { return false }
        if line.hasPrefix("//") || line.hasPrefix("/*") || line.hasPrefix("*") { return false }
        return line.range(of: declarationHeader, options: .regularExpression) == nil
            && line.range(of: storedProperty, options: .regularExpression) == nil
            && line.range(of: countingLoop, options: .regularExpression) == nil
    }

    /// `for c in 0..<channels {`: the head of a loop over a count, which says nothing of what the loop does.
    private static let countingLoop = #"^for \w+ in 0\.\.<\w+ \{$"#

    /// `let weight: Tensor`, `private var cache: [Int: Tensor]`: a declaration without a value.
    private static let storedProperty =
        #"^(@[A-Za-z_]+(\([^)]*\))?\s+)*((public|private|fileprivate|internal|open|final|static|class|lazy|weak|unowned|nonisolated)(\(set\))?\s+)*(let|var)\s+\w+\s*:[^={}]*$"#

    /// `@discardableResult public func backward(_ g: Tensor) -> Tensor {`, `public init(...) {`, `extension X {`.
    private static let declarationHeader =
        #"^(@[A-Za-z_]+(\([^)]*\))?\s+)*((public|private|fileprivate|internal|open|final|override|static|class|mutating|nonmutating|convenience|required|nonisolated)\s+)*(func|init|deinit|subscript|struct|class|enum|extension|protocol)\b.*\{$"#
}
