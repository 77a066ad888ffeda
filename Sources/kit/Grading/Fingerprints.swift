import Foundation

/// A token of Swift source as the similarity check compares it: every identifier is `V`, every
/// literal its class, keywords, operators and punctuation themselves; with the lines it spans.
struct NormalizedToken: Equatable {
    let text: String
    let lines: ClosedRange<Int>
}

/// Turns Swift source into `NormalizedToken`s, so that reformatting, re-commenting and renaming
/// leave the sequence unchanged: whitespace and comments (nested `/* */`, `///`) are dropped,
/// identifiers become `V`, string literals `S` (multi-line, raw and interpolated ones whole),
/// numbers `N` and `true`/`false` `B`. Keywords, operators and punctuation are kept: they are the
/// structure of the code.
enum SwiftNormalizer {
    static let identifier = "V"
    static let string = "S"
    static let number = "N"
    static let boolean = "B"

    /// Swift's keywords (and the contextual ones the stage files use): kept as they are.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "static", "struct", "subscript",
        "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough", "for",
        "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "is", "nil", "rethrows",
        "super", "self", "Self", "throw", "throws", "try", "_", "Any", "some", "any", "async", "await", "final",
        "lazy", "mutating", "nonmutating", "override", "required", "convenience", "weak", "unowned", "indirect",
        "get", "set", "willSet", "didSet", "dynamic", "optional", "consuming", "borrowing", "sending",
    ]

    /// Characters that make up operators (`+=`, `->`, `??`, `&&`); `.` only starts one (`..<`).
    static let operatorCharacters = Set("/=-+!*%<>&|^~?".unicodeScalars)

    static func tokens(of source: String) -> [NormalizedToken] {
        var reader = SourceReader(Array(source.unicodeScalars))
        var tokens: [NormalizedToken] = []
        while let character = reader.peek() {
            let firstLine = reader.line
            let text: String?
            if character.properties.isWhitespace {
                reader.advance()
                text = nil
            } else if character == "/", reader.peek(1) == "/" {
                reader.skipLineComment()
                text = nil
            } else if character == "/", reader.peek(1) == "*" {
                reader.skipBlockComment()
                text = nil
            } else if reader.atStringLiteral {
                reader.skipStringLiteral()
                text = string
            } else if isIdentifierStart(character) {
                let word = reader.readWord()
                text = word == "true" || word == "false" ? boolean : (keywords.contains(word) ? word : identifier)
            } else if character == "`" {
                reader.skipQuotedIdentifier()
                text = identifier
            } else if character == "$" {
                // `$0` and a property wrapper's `$value` are names too.
                reader.advance()
                _ = reader.readWord()
                text = identifier
            } else if character == "@" || character == "#" {
                // Attributes and directives (`@discardableResult`, `#if`) are part of the language.
                reader.advance()
                text = String(character) + reader.readWord()
            } else if ("0"..."9").contains(character) {
                reader.skipNumber()
                text = number
            } else if character == "." {
                text = reader.readDotOperator()
            } else if operatorCharacters.contains(character) {
                text = reader.readOperator()
            } else {
                reader.advance()
                text = String(character)
            }
            if let text { tokens.append(NormalizedToken(text: text, lines: firstLine...max(firstLine, reader.line))) }
        }
        return tokens
    }

    static func isIdentifierStart(_ character: Unicode.Scalar) -> Bool {
        character == "_" || character.properties.isAlphabetic
    }

    static func isIdentifierPart(_ character: Unicode.Scalar) -> Bool {
        isIdentifierStart(character) || character.properties.numericType != nil
            || character.properties.generalCategory == .nonspacingMark
    }
}

/// A position in source text being read token by token, counting lines as it goes.
private struct SourceReader {
    let characters: [Unicode.Scalar]
    var index = 0
    var line = 1

    init(_ characters: [Unicode.Scalar]) { self.characters = characters }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < characters.count {
            if characters[index] == "\n" { line += 1 }
            index += 1
        }
    }

    mutating func readWord() -> String {
        var word = String.UnicodeScalarView()
        while let character = peek(), SwiftNormalizer.isIdentifierPart(character) {
            word.append(character)
            advance()
        }
        return String(word)
    }

    mutating func skipLineComment() {
        while let character = peek(), character != "\n" { advance() }
    }

    /// `/* … */`, which nests in Swift.
    mutating func skipBlockComment() {
        var depth = 0
        while peek() != nil {
            if peek() == "/", peek(1) == "*" {
                depth += 1
                advance(2)
            } else if peek() == "*", peek(1) == "/" {
                depth -= 1
                advance(2)
                if depth == 0 { return }
            } else {
                advance()
            }
        }
    }

    mutating func skipQuotedIdentifier() {
        advance()
        while let character = peek(), character != "`", character != "\n" { advance() }
        if peek() == "`" { advance() }
    }

    /// A number: digits, `_`, hex letters, a fraction and an exponent with its sign (`1.5e-3`, `0x1p+4`).
    mutating func skipNumber() {
        while let character = peek() {
            if character == ".", let next = peek(1), ("0"..."9").contains(next) {
                advance()
            } else if character == "+" || character == "-", let previous = index > 0 ? characters[index - 1] : nil,
                "eEpP".unicodeScalars.contains(previous), !isHexadecimal || "pP".unicodeScalars.contains(previous)
            {
                advance()
            } else if SwiftNormalizer.isIdentifierPart(character) {
                advance()
            } else {
                return
            }
        }
    }

    private var isHexadecimal: Bool {
        var start = index
        while start > 0, SwiftNormalizer.isIdentifierPart(characters[start - 1]) || characters[start - 1] == "." {
            start -= 1
        }
        return start + 1 < characters.count && characters[start] == "0"
            && "xX".unicodeScalars.contains(characters[start + 1])
    }

    /// `.` alone (a member), or an operator that starts with dots (`...`, `..<`).
    mutating func readDotOperator() -> String {
        guard peek(1) == "." else {
            advance()
            return "."
        }
        var text = ""
        while let character = peek(), character == "." || SwiftNormalizer.operatorCharacters.contains(character) {
            text.unicodeScalars.append(character)
            advance()
        }
        return text
    }

    /// A run of operator characters, stopping where a comment starts.
    mutating func readOperator() -> String {
        var text = ""
        while let character = peek(), SwiftNormalizer.operatorCharacters.contains(character) {
            if character == "/", peek(1) == "/" || peek(1) == "*", !text.isEmpty { break }
            text.unicodeScalars.append(character)
            advance()
        }
        return text
    }

    // MARK: String literals

    /// At `"`, `"""` or `#…#"`.
    var atStringLiteral: Bool {
        var hashes = 0
        while peek(hashes) == "#" { hashes += 1 }
        return peek(hashes) == "\""
    }

    /// Skips a whole string literal, its interpolations `\( … )` included.
    mutating func skipStringLiteral() {
        var hashes = 0
        while peek() == "#" {
            hashes += 1
            advance()
        }
        let multiline = peek() == "\"" && peek(1) == "\"" && peek(2) == "\""
        let quotes = multiline ? 3 : 1
        advance(quotes)
        while let character = peek() {
            if character == "\\", (0..<hashes).allSatisfy({ peek(1 + $0) == "#" }) {
                if peek(1 + hashes) == "(" {
                    advance(2 + hashes)
                    skipInterpolation()
                } else {
                    advance(2 + hashes)
                }
                continue
            }
            if character == "\"", (0..<quotes).allSatisfy({ peek($0) == "\"" }),
                (0..<hashes).allSatisfy({ peek(quotes + $0) == "#" })
            {
                advance(quotes + hashes)
                return
            }
            // An unterminated one-line literal ends with its line.
            if !multiline, character == "\n" { return }
            advance()
        }
    }

    /// After `\(`: to its closing parenthesis, over nested parentheses and string literals.
    private mutating func skipInterpolation() {
        var depth = 1
        while let character = peek() {
            if atStringLiteral {
                skipStringLiteral()
                continue
            }
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth == 0 {
                    advance()
                    return
                }
            }
            advance()
        }
    }
}

/// One fingerprint of a file: the hash of a k-gram that winnowing kept, and where the k-gram starts
/// among the file's tokens.
struct Fingerprint: Equatable {
    let hash: UInt64
    let position: Int
}

/// MOSS's fingerprints (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
/// fingerprinting", SIGMOD 2003): the hashes of every k tokens in a row (k-grams), of which each
/// window of `window` consecutive hashes keeps its minimum. Two files sharing a run of
/// `guarantee` = window + k − 1 tokens always share a fingerprint; runs shorter than k never count.
struct Winnowing {
    /// k. The tokens are normalized (every name is `V`), so a short k-gram such as `V = V . V ( V )`
    /// occurs in unrelated code: 12 tokens (a line or two of Swift) are needed before a match says
    /// something. The stage files' answers are 10 to 200 lines, so k much larger would miss the
    /// short answers of stages 1 and 5.
    var gramLength = 12
    /// w. 6 keeps about a third of the k-grams (density 2 / (w + 1)), enough for answers of a few
    /// lines to have several fingerprints, and guarantees any shared run of 17 tokens is found.
    var window = 6

    /// The shortest shared run of tokens that always gives a shared fingerprint.
    var guarantee: Int { window + gramLength - 1 }

    func fingerprints(of tokens: [NormalizedToken]) -> [Fingerprint] {
        let hashes = gramHashes(tokens.map(\.text))
        return select(hashes).map { Fingerprint(hash: hashes[$0], position: $0) }
    }

    /// The hash of each k-gram, k-gram i being tokens i..<i+k: a rolling polynomial hash of the
    /// tokens' FNV-1a hashes, mixed so that the minimums winnowing takes are spread evenly.
    func gramHashes(_ texts: [String]) -> [UInt64] {
        guard texts.count >= gramLength, gramLength > 0 else { return [] }
        let base: UInt64 = 0x9E37_79B9_7F4A_7C15
        let tokenHashes = texts.map(Winnowing.fnv1a)
        // base^(k−1): the weight of the token that leaves the k-gram.
        var leaving: UInt64 = 1
        for _ in 1..<gramLength { leaving = leaving &* base }
        var rolling: UInt64 = 0
        for hash in tokenHashes[0..<gramLength] { rolling = rolling &* base &+ hash }
        var result = [Winnowing.mix(rolling)]
        result.reserveCapacity(texts.count - gramLength + 1)
        for next in gramLength..<tokenHashes.count {
            rolling = (rolling &- tokenHashes[next - gramLength] &* leaving) &* base &+ tokenHashes[next]
            result.append(Winnowing.mix(rolling))
        }
        return result
    }

    /// The positions winnowing keeps: in each window of `window` consecutive hashes, the minimum,
    /// the rightmost one on a tie. As the paper's robust winnowing does, a window whose minimum
    /// equals the one already kept (still inside it) keeps that one, so a run of equal hashes gives
    /// one fingerprint, not one per window. A file with fewer hashes than a window is one window.
    func select(_ hashes: [UInt64]) -> [Int] {
        guard !hashes.isEmpty, window > 0 else { return [] }
        var kept: [Int] = []
        var current: Int?
        for start in 0...max(0, hashes.count - window) {
            let end = min(start + window, hashes.count)
            if let previous = current, previous >= start {
                // Only the hash that entered the window can replace the one kept.
                if hashes[end - 1] < hashes[previous] { current = end - 1 }
            } else {
                var minimum = start
                for index in start..<end where hashes[index] <= hashes[minimum] { minimum = index }
                current = minimum
            }
            if let current, kept.last != current { kept.append(current) }
        }
        return kept
    }

    /// 64-bit FNV-1a of the text's UTF-8: stable across runs and machines (Swift's `Hasher` is not).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// SplitMix64's finalizer.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
