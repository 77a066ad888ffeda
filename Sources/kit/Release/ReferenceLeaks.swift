import Foundation
import NeuralKit

/// Finds the reference's answers in a copy of the kit: the proof that a student edition holds no
/// reference code.
///
/// An answer is the body of a function, initializer or computed property of `Solutions/` that is
/// not also in the stage's stub (what both have is given code), or of the fast versions of the
/// reference's layers (`Sources/FastReference/`) that no stub has. Bodies are compared as tokens
/// (`SourceScanner.tokenize`: no whitespace, no comments, no text of string literals), so
/// reformatting or re-commenting an answer does not hide it. A body shorter than
/// `minimumTokens` (`{ input }`, `{ [weight, bias] }`) is too common to tell anything and is not
/// searched for.
struct ReferenceLeaks {
    static let minimumTokens = 8

    /// One answer of the reference.
    struct Answer: CustomStringConvertible {
        /// Path of the reference file, relative to the kit ("Solutions/01-Activations/Activations.swift").
        let file: String
        let line: Int
        /// The declaration's first tokens ("func relu").
        let declaration: String
        let tokens: [String]

        var description: String { "\(file):\(line) (\(declaration), \(tokens.count) tokens)" }
    }

    /// An answer found in a file of the copy.
    struct Leak: CustomStringConvertible {
        let answer: Answer
        let file: String
        let line: Int
        var description: String { "\(file):\(line) holds the body of \(answer)" }
    }

    /// Where the fast versions of the reference's layers are (`kit train` runs them): answers too.
    static let fastReferenceFolder = "Sources/FastReference"

    /// The answers of the kit at `kit`: each body of Solutions/ that its stub (Sources/kit/Stubs/) does
    /// not have, and each body of the fast versions (Sources/FastReference/) that no stub has.
    static func answers(inKitAt kit: URL) throws -> [Answer] {
        let stubs = kit.appendingPathComponent(Kit.stubsFolder)
        func given(_ path: String) -> [[String]] {
            let stub = (try? String(contentsOf: stubs.appendingPathComponent(path), encoding: .utf8)) ?? ""
            return bodies(of: SourceScanner.tokenize(stub)).map(\.tokens)
        }
        let everyStub = try swiftFiles(under: stubs).flatMap(given)
        return try answers(in: "Solutions", of: kit, given: given)
            + answers(in: fastReferenceFolder, of: kit) { _ in everyStub }
    }

    /// The bodies of the Swift files under `folder` of the kit, but those `given(path)` lists.
    private static func answers(in folder: String, of kit: URL, given: (String) -> [[String]]) throws -> [Answer] {
        let root = kit.appendingPathComponent(folder)
        guard FileManager.default.fileExists(atPath: root.path) else { return [] }
        var answers: [Answer] = []
        for path in try swiftFiles(under: root) {
            let source = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            let handedOut = given(path)
            for body in bodies(of: SourceScanner.tokenize(source))
            where body.tokens.count >= minimumTokens && !handedOut.contains(body.tokens) {
                answers.append(
                    Answer(
                        file: folder + "/" + path, line: body.line, declaration: body.declaration,
                        tokens: body.tokens))
            }
        }
        return answers
    }

    /// Every place in the text files under `root` that holds one of `answers`.
    static func find(_ answers: [Answer], under root: URL) throws -> [Leak] {
        var leaks: [Leak] = []
        let byFirstToken = Dictionary(grouping: answers) { $0.tokens[0] }
        for path in try textFiles(under: root) {
            guard let source = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) else {
                continue
            }
            let tokens = SourceScanner.tokenize(source)
            let texts = tokens.map(\.text)
            for start in texts.indices {
                for answer in byFirstToken[texts[start]] ?? [] where start + answer.tokens.count <= texts.count {
                    if texts[start..<(start + answer.tokens.count)].elementsEqual(answer.tokens) {
                        leaks.append(Leak(answer: answer, file: path, line: tokens[start].line))
                    }
                }
            }
        }
        return leaks
    }

    // MARK: Bodies

    struct Body {
        let line: Int
        let declaration: String
        /// The tokens between the braces.
        let tokens: [String]
    }

    /// The bodies of the functions, initializers, subscripts and computed properties in `tokens`
    /// (nested ones too).
    static func bodies(of tokens: [SourceScanner.Token]) -> [Body] {
        var result: [Body] = []
        for (index, token) in tokens.enumerated()
        where ["func", "init", "subscript", "var", "deinit"].contains(token.text) {
            // The body is the first `{` outside parentheses and brackets; a `var` with `=` first is stored.
            var depth = 0
            var open: Int?
            var cursor = index + 1
            scan: while cursor < tokens.count {
                switch tokens[cursor].text {
                case "(", "[": depth += 1
                case ")", "]": depth -= 1
                case "=" where depth == 0 && token.text == "var": break scan
                case "{" where depth == 0:
                    open = cursor
                    break scan
                case "}" where depth == 0: break scan
                default: break
                }
                cursor += 1
            }
            guard let open, let close = matchingBrace(tokens, open) else { continue }
            let name = index + 1 < tokens.count ? tokens[index + 1].text : ""
            result.append(
                Body(
                    line: token.line, declaration: token.text + (name == "(" ? "" : " " + name),
                    tokens: tokens[(open + 1)..<close].map(\.text)))
        }
        return result
    }

    private static func matchingBrace(_ tokens: [SourceScanner.Token], _ open: Int) -> Int? {
        var depth = 0
        for index in open..<tokens.count {
            if tokens[index].text == "{" { depth += 1 }
            if tokens[index].text == "}" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    // MARK: Files

    private static func swiftFiles(under root: URL) throws -> [String] {
        try textFiles(under: root).filter { $0.hasSuffix(".swift") }
    }

    /// Relative paths of the files under `root` (not .git, not .build), text ones only.
    static func textFiles(under root: URL) throws -> [String] {
        let fileManager = FileManager.default
        guard let enumerator = fileManager.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw KitError("cannot read \(root.path)")
        }
        let base = root.standardizedFileURL.path
        var paths: [String] = []
        for case let url as URL in enumerator {
            let name = url.lastPathComponent
            if name == ".git" || name == ".build" || name.hasPrefix(".build-") || name == ".swiftpm" {
                enumerator.skipDescendants()
                continue
            }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base + "/") else { continue }
            paths.append(String(path.dropFirst(base.count + 1)))
        }
        return paths.sorted()
    }
}
