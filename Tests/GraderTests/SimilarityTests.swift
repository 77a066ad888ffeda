import Foundation
import NeuralKit
import TestSupport
import Testing

@testable import kit

// MARK: Tokens

@Suite("grader · similarity: tokens and fingerprints")
struct FingerprintTests {
    func texts(_ source: String) -> [String] { SwiftNormalizer.tokens(of: source).map(\.text) }

    @Test(
        "comments, whitespace and the text of literals are dropped; renamed identifiers and other literals read alike")
    func normalization() {
        let original = """
            /// Doubles every value.
            /* a block /* nested */ still a comment */
            func double(_ values: [Double], label: String = "x\\(1 + "(")") -> [Double] {
                let factor = 2.0 // why not
                return values.map { $0 * factor } + [0x1p-3, 1_000] // "not a string
            }
            """
        let renamed = #"""
            func   twice(_ xs: [Double],
                         label: String = #"raw \(no) "quotes""#) -> [Double]
            {
                let k = 3e+2
                return xs.map { item * k } + [7, 8.5]
            }
            let note = """
                a multi-line "string" \(with(")"))
                """
            """#
        let expected = [
            "func", "V", "(", "_", "V", ":", "[", "V", "]", ",", "V", ":", "V", "=", "S", ")", "->", "[", "V", "]", "{",
            "let", "V", "=", "N", "return", "V", ".", "V", "{", "V", "*", "V", "}", "+", "[", "N", ",", "N", "]", "}",
        ]
        #expect(texts(original) == expected)
        #expect(texts(renamed) == expected + ["let", "V", "=", "S"])
    }

    @Test("keywords, operators and punctuation are kept as they are; true and false are one class")
    func keywords() {
        #expect(
            texts("guard x >= 0 else { throw E() }") == [
                "guard", "V", ">=", "N", "else", "{", "throw", "V", "(", ")", "}",
            ])
        #expect(
            texts("for i in 0..<n where flag == true { a?.b ?? c }")
                == [
                    "for", "V", "in", "N", "..<", "V", "where", "V", "==", "B", "{", "V", "?", ".", "V", "??", "V", "}",
                ])
        #expect(
            texts("@discardableResult #if DEBUG `class` = $0 &&/*x*/!y") == [
                "@discardableResult", "#if", "V", "V", "=", "V", "&&", "!", "V",
            ])
    }

    @Test("each token keeps the lines it spans, a multi-line string all of its lines")
    func lines() {
        let tokens = SwiftNormalizer.tokens(of: "let a =\n  \"\"\"\n  text\n  \"\"\"\n// end\nb")
        #expect(tokens.map(\.lines) == [1...1, 1...1, 1...1, 2...4, 6...6])
    }

    @Test("winnowing keeps each window's minimum, the rightmost on a tie, and a run of equal hashes once")
    func rightmostMinimum() {
        let winnowing = Winnowing(gramLength: 1, window: 4)
        #expect(winnowing.select([2, 1, 3, 1]) == [3])
        #expect(winnowing.select([5, 3, 7, 3, 9, 8, 2]) == [3, 6])
        #expect(winnowing.select([4, 1, 1, 1, 1, 1, 1, 6]) == [3, 6])
        // Fewer hashes than a window: one window.
        #expect(winnowing.select([9, 4, 4]) == [2])
        #expect(winnowing.select([]) == [])
    }

    @Test("every window of w hashes holds a kept one, so a shared run of w + k − 1 tokens always shares a fingerprint")
    func guarantee() {
        let winnowing = Winnowing()
        var generator = SeededGenerator(seed: 2003)
        let alphabet = ["V", "(", ")", "=", "+", "N", ".", "{", "}", "let", "return", ",", ":", "*"]
        func randomTokens(upTo count: Int) -> [String] {
            (0..<Int.random(in: 0...count, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
        }
        for _ in 0..<300 {
            let shared = (0..<winnowing.guarantee).map { _ in alphabet.randomElement(using: &generator)! }
            let first = randomTokens(upTo: 60) + shared + randomTokens(upTo: 60)
            let second = randomTokens(upTo: 60) + shared + randomTokens(upTo: 60)
            let firstHashes = winnowing.gramHashes(first)
            let kept = winnowing.select(firstHashes)
            for start in 0...(firstHashes.count - winnowing.window) {
                #expect(kept.contains { (start..<(start + winnowing.window)).contains($0) })
            }
            let secondHashes = winnowing.gramHashes(second)
            let firstKept = Set(kept.map { firstHashes[$0] })
            #expect(winnowing.select(secondHashes).contains { firstKept.contains(secondHashes[$0]) }, "\(shared)")
        }
        // One token fewer than a k-gram shares nothing.
        #expect(winnowing.gramHashes(Array(repeating: "V", count: winnowing.gramLength - 1)).isEmpty)
    }
}

// MARK: A class

/// Stage 1 files: the reference, a disguised copy of it, and independent correct implementations.
enum StageOneClass {
    static let stub =
        (try? Data(contentsOf: packageRoot.appendingPathComponent("Sources/kit/Stubs/01-Activations/Activations.swift")))
        ?? Data()
    static let reference =
        (try? String(
            contentsOf: packageRoot.appendingPathComponent("Solutions/01-Activations/Activations.swift"),
            encoding: .utf8)) ?? ""

    /// The reference with its names changed, its comments replaced and its layout redone.
    static var disguisedCopy: String {
        var text = reference.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .map { line -> String in
                let indentation = line.prefix { $0 == " " }.count
                return String(repeating: "\t", count: indentation / 4) + line.dropFirst(indentation)
            }
            .joined(separator: "\n")
        let renames = [
            "shifted": "stabilised", "dot": "weighted", "outputGradient": "upstream", "logits": "scores",
            "e": "powers", "s": "sig", "g": "grad", "x": "value", "input": "cached", "slope": "leak", "alpha": "scale",
        ]
        for (old, new) in renames {
            text = text.replacingOccurrences(of: "\\b\(old)\\b", with: new, options: .regularExpression)
        }
        return text.replacingOccurrences(of: "{\n", with: "{  // my version\n\n")
            .replacingOccurrences(of: ", ", with: " , ")
            .replacingOccurrences(of: "/// ", with: "/* explained in class */ //")
    }

    /// The stub with the body of each function named in `answers` (its `return notImplemented(…)`
    /// line) replaced, as a student fills it in.
    static func answered(_ answers: [String: String]) -> String {
        var text = String(decoding: stub, as: UTF8.self)
        for (name, body) in answers.sorted(by: { $0.key < $1.key }) {
            guard let start = text.range(of: "return notImplemented(\"\(name)\","),
                let end = text[start.upperBound...].firstIndex(of: "\n")
            else { continue }
            text.replaceSubrange(start.lowerBound..<end, with: body.drop { $0 == " " })
        }
        return text
    }

    /// Loops over the scalars; the bonus half done.
    static let loops = answered([
        "relu": """
            var out: [Double] = []
            out.reserveCapacity(x.count)
            for value in x.scalars {
                out.append(value > 0 ? value : 0)
            }
            return Tensor(shape: x.shape, scalars: out)
        """,
        "reluBackward": """
            var result = outputGradient.scalars
            let inputs = input.scalars
            for i in 0..<result.count where inputs[i] <= 0 {
                result[i] = 0
            }
            return Tensor(shape: outputGradient.shape, scalars: result)
        """,
        "softmax": """
            let rows = logits.rowCount
            let columns = logits.columnCount
            var values = logits.scalars
            for r in 0..<rows {
                let start = r * columns
                var largest = -Double.infinity
                for c in 0..<columns { largest = Swift.max(largest, values[start + c]) }
                var total = 0.0
                for c in 0..<columns {
                    values[start + c] = Foundation.exp(values[start + c] - largest)
                    total += values[start + c]
                }
                for c in 0..<columns { values[start + c] /= total }
            }
            return Tensor(shape: logits.shape, scalars: values)
        """,
        "softmaxBackward": """
            let columns = output.columnCount
            let y = output.scalars
            let g = outputGradient.scalars
            var result = [Double](repeating: 0, count: y.count)
            for r in 0..<output.rowCount {
                var dot = 0.0
                for c in 0..<columns { dot += g[r * columns + c] * y[r * columns + c] }
                for c in 0..<columns { result[r * columns + c] = y[r * columns + c] * (g[r * columns + c] - dot) }
            }
            return Tensor(shape: output.shape, scalars: result)
        """,
        "sigmoid": """
            var out = x.scalars
            for i in out.indices {
                let v = out[i]
                if v >= 0 {
                    out[i] = 1 / (1 + Foundation.exp(-v))
                } else {
                    let ev = Foundation.exp(v)
                    out[i] = ev / (1 + ev)
                }
            }
            return Tensor(shape: x.shape, scalars: out)
        """,
        "sigmoidBackward": """
            let s = sigmoid(input).scalars
            var out = outputGradient.scalars
            for i in out.indices { out[i] *= s[i] * (1 - s[i]) }
            return Tensor(shape: input.shape, scalars: out)
        """,
    ])

    /// Whole-tensor operations, built differently from the reference.
    static let tensors = answered([
        "relu": "Tensor(shape: x.shape) { index in Swift.max(x.scalars[index], 0) }",
        "reluBackward": """
            let mask = input.map { $0 > 0 ? 1 : 0 }
            return outputGradient * mask
        """,
        "softmax": """
            let rowMaxima = logits.max(alongAxis: 1, keepingDimension: true)
            let exponentials = (logits - rowMaxima).map { Foundation.exp($0) }
            let sums = exponentials.sum(alongAxis: 1, keepingDimension: true)
            return exponentials / sums
        """,
        "softmaxBackward": """
            let weighted = outputGradient * output
            let rowTotals = weighted.sum(alongAxis: 1, keepingDimension: true)
            return weighted - output * rowTotals
        """,
        "sigmoid": """
            let positive = x.map { $0 >= 0 ? 1 : 0 }
            let safe = x.map { 1 / (1 + Foundation.exp(-Swift.abs($0))) }
            return positive * safe + (1 - positive) * (1 - safe)
        """,
        "tanh": """
            let doubled = sigmoid(2 * x)
            return 2 * doubled - 1
        """,
        "tanhBackward": """
            let t = tanh(input)
            return outputGradient - outputGradient * t * t
        """,
        "leakyReLU": "relu(x) - slope * relu(-1 * x)",
    ])

    /// Row by row, with arrays of rows.
    static let rows = answered([
        "relu": "x.map { Swift.max(0, $0) }",
        "reluBackward": """
            Tensor.zip(input, outputGradient, operation: "relu'") { a, b in
                if a > 0 { return b }
                return 0
            }
        """,
        "softmax": """
            var result: [[Double]] = []
            for i in 0..<logits.rowCount {
                let row = logits.row(i).scalars
                let top = row.max() ?? 0
                let exps = row.map { Foundation.exp($0 - top) }
                let total = exps.reduce(0, +)
                result.append(exps.map { $0 / total })
            }
            return Tensor(result)
        """,
        "softmaxBackward": """
            var result: [[Double]] = []
            for i in 0..<output.rowCount {
                let y = output.row(i).scalars
                let g = outputGradient.row(i).scalars
                let inner = zip(g, y).map { $0 * $1 }.reduce(0, +)
                result.append(zip(g, y).map { pair in pair.1 * (pair.0 - inner) })
            }
            return Tensor(result)
        """,
        "elu": """
            x.map { value in
                guard value <= 0 else { return value }
                return alpha * (Foundation.exp(value) - 1)
            }
        """,
        "eluBackward": "outputGradient * input.map { $0 > 0 ? 1 : alpha * Foundation.exp($0) }",
    ])

    static var submissions: [String: [String: Data]] {
        let files = [
            "reference": reference, "disguised-copy": disguisedCopy, "loops": loops, "tensors": tensors, "rows": rows,
        ]
        return files.mapValues { ["Activations.swift": Data($0.utf8)] }
    }
}

@Suite("grader · similarity: a class")
struct SimilarityClassTests {
    @Test(
        "a renamed, reformatted and re-commented copy of the reference ranks first; independent solutions score clearly lower"
    )
    func disguisedCopyRanksFirst() throws {
        let result = SimilarityCheck(floor: 0).compare(
            stage: 1, stub: ["Activations.swift": StageOneClass.stub],
            submissions: StageOneClass.submissions)
        #expect(result.compared == 5)
        for independent in [StageOneClass.loops, StageOneClass.tensors, StageOneClass.rows] {
            #expect(!independent.contains("notImplemented(\"softmax\""))
        }
        let first = try #require(result.pairs.first)
        #expect([first.first.student, first.second.student] == ["disguised-copy", "reference"])
        #expect(first.firstPercent >= 0.9 && first.secondPercent >= 0.9, "\(first.firstPercent) \(first.secondPercent)")
        // Measured: the copy 100% both ways; the independent ones 13% at most (they share
        // `Tensor.zip(V, V, operation: S) { V, V in` and the like).
        for pair in result.pairs.dropFirst() {
            #expect(pair.score <= 0.25, "\(pair.first.student)–\(pair.second.student): \(pair.score)")
            #expect(first.score - pair.score >= 0.6)
        }
        // The copy's regions cover most of the reference's own code.
        #expect(first.matchedTokens >= 200)
    }

    @Test(
        "the stub's own code scores nothing: two files that each changed one line are not alike, and an untouched one is not compared"
    )
    func stubScoresNothing() {
        let stub = String(decoding: StageOneClass.stub, as: UTF8.self)
        let reluDone = stub.replacingOccurrences(
            of: "return notImplemented(\"relu\", placeholder: x)", with: "return x.map { max($0, 0) }")
        let tanhDone = stub.replacingOccurrences(
            of: "return notImplemented(\"tanh\", placeholder: x)", with: "return x.map { Foundation.tanh($0) }")
        #expect(reluDone != stub && tanhDone != stub)
        let reindented = stub.replacingOccurrences(of: "    ", with: "\t")
        let submissions = ["relu": reluDone, "tanh": tanhDone, "untouched": stub, "reindented": reindented]
            .mapValues { ["Activations.swift": Data($0.utf8)] }
        let result = SimilarityCheck(floor: 0).compare(
            stage: 1, stub: ["Activations.swift": StageOneClass.stub], submissions: submissions)
        #expect(result.compared == 2)
        #expect(result.pairs.isEmpty)
        // Without the stub taken out, the given code would make them look copied.
        let withGivenCode = SimilarityCheck(floor: 0).compare(stage: 1, stub: [:], submissions: submissions)
        #expect(withGivenCode.pairs.first?.score ?? 0 > 0.9)
    }

    @Test("a fingerprint more than half of a class of six or more has does not count; in a smaller class it does")
    func commonFingerprints() {
        // Hash 1 is in 4 of 6 submissions, hash 2 in 3 of 6 (half, not more), hash 3 in one.
        func submission(_ name: String, _ hashes: [UInt64]) -> StageSubmission {
            let somewhere = [TokenPlace(file: 0, position: 0)]
            return StageSubmission(
                student: name, files: [], occurrences: Dictionary(uniqueKeysWithValues: hashes.map { ($0, somewhere) }))
        }
        let holders: [[UInt64]] = [[1, 2, 3], [1, 2], [1, 2], [1], [], []]
        var documents = holders.enumerated().map { submission("s\($0.offset)", $0.element) }
        SimilarityCheck().removeCommon(from: &documents)
        #expect(documents.map { Set($0.occurrences.keys) } == [[2, 3], [2], [2], [], [], []])
        var fewer = Array(holders.prefix(5)).enumerated().map { submission("s\($0.offset)", $0.element) }
        SimilarityCheck().removeCommon(from: &fewer)
        #expect(fewer.map { Set($0.occurrences.keys) } == [[1, 2, 3], [1, 2], [1, 2], [1], []])
    }

    @Test("a file that is not UTF-8 text is noted, not compared")
    func binaryFile() {
        let result = SimilarityCheck().compare(
            stage: 1, stub: [:],
            submissions: [
                "binary": ["Activations.swift": Data([0xFF, 0x00, 0x12])],
                "text": ["Activations.swift": Data("let a = 1".utf8)],
            ])
        #expect(result.notes == ["binary: Activations.swift is not UTF-8 text: not compared"])
        #expect(result.compared == 1 && result.pairs.isEmpty)
    }
}

// MARK: Report and command

@Suite("grader · similarity: report and command")
struct SimilarityReportTests {
    @Test("the report escapes code and names, links nothing outside itself, and says the scores are not evidence")
    func report() throws {
        let source =
            "func risky() -> Bool { let a = 1 < 2 && 3 > 2; let b = [1, 2].count < 5 && a; return a && b || !a }\n"
        let submissions = [
            "<b>Ann & co</b>": ["F.swift": Data(source.utf8)], "bob": ["F.swift": Data(("// mine\n" + source).utf8)],
        ]
        let result = SimilarityCheck().compare(stage: 2, stub: [:], submissions: submissions)
        #expect(result.pairs.count == 1)
        let html = SimilarityReport(
            pairs: result.pairs, top: 10, heading: "2 submissions", winnowing: Winnowing(), notes: ["x <y>"]
        ).html
        #expect(html.contains("&lt;b&gt;Ann &amp; co&lt;/b&gt;"))
        #expect(html.contains("1 &lt; 2 &amp;&amp; 3 &gt; 2"))
        #expect(!html.contains("<b>Ann") && !html.contains("1 < 2"))
        #expect(!html.lowercased().contains("http") && !html.contains("<script"))
        #expect(html.contains("prefers-color-scheme: dark"))
        #expect(html.contains("not evidence of misconduct") && html.contains("x &lt;y&gt;"))
        #expect(html.contains("class=\"l m0\""))
        #expect(
            SimilarityReport.csv(result.pairs).hasPrefix(
                "rank,stage,student_a,student_b,percent_a,percent_b,matched_tokens"))
    }

    func run(_ words: [String]) throws -> Int32 {
        try SimilarityCommand(arguments: try Arguments(words, for: .similarity), kit: packageKit).run()
    }

    @Test(
        "bad options are refused with a usage error; a class of fewer than two is a clear error",
        arguments: [
            ["--out", "/tmp/x"], ["--submissions", "/tmp"], ["--submissions", "/tmp", "--out", "/tmp/x", "--top", "0"],
            ["--submissions", "/tmp", "--out", "/tmp/x", "--top", "many"],
            ["--submissions", "/tmp", "--out", "/tmp/x", "--stage", "42"],
            ["--submissions", "/no/such/folder", "--out", "/tmp/x"],
            ["--submissions", "/tmp", "--out", "/tmp/x", "--colour"],
        ])
    func options(words: [String]) {
        #expect(throws: UsageError.self) { try run(words) }
    }

    @Test("a class of fewer than two submissions is a clear error, not a crash")
    func emptyClass() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "similarity-empty-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("only"), withIntermediateDirectories: true)
        #expect(throws: KitError.self) {
            try run(["--submissions", folder.path, "--out", folder.appendingPathComponent("out").path])
        }
    }

    @Test("the command reads each student's Exercises/ folder and writes the ranked report and CSV")
    func writesReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "similarity-class-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (student, files) in StageOneClass.submissions {
            let stageFolder = folder.appendingPathComponent("class/\(student)/Exercises/01-Activations")
            try FileManager.default.createDirectory(at: stageFolder, withIntermediateDirectories: true)
            try files["Activations.swift"]!.write(to: stageFolder.appendingPathComponent("Activations.swift"))
        }
        let out = folder.appendingPathComponent("out")
        #expect(
            try run([
                "--submissions", folder.appendingPathComponent("class").path, "--out", out.path, "--stage", "1",
                "--top", "3",
            ]) == 0)
        let csv = try String(contentsOf: out.appendingPathComponent("similarity.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").dropFirst().first?.hasPrefix("1,1,disguised-copy,reference,") == true)
        let html = try String(contentsOf: out.appendingPathComponent("similarity.html"), encoding: .utf8)
        #expect(html.contains("id=\"pair-1\"") && !html.contains("id=\"pair-4\""))
    }
}
