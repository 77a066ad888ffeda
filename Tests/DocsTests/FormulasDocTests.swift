import Foundation
import NeuralKit
import Solutions
import Testing

/// docs/formulas.md cannot drift from the code: every computation in its code blocks is checked here.
///
/// Three kinds of lines are checked, inside fenced code blocks:
/// - a call of a shape function, `convolutionOutputSize(input: 7, kernel: 3) = 5`, is run on the reference;
/// - a chain `⌊(7 − 3 + 2·0) / 1⌋ + 1 = 5`: every part without letters is evaluated
///   (`+ − · × / ⌊⌋ ( )`, `20,000,500`; a trailing word such as "parameters" is ignored) and all must agree;
/// - the rows of the LeNet-5 table (the one `kit summary lenet` prints) are recomputed layer by layer.
@Suite("Docs · formulas.md")
struct FormulasDoc {
    static let lines: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = (try? String(contentsOf: root.appendingPathComponent("docs/formulas.md"), encoding: .utf8)) ?? ""
        var inside = false
        var result: [String] = []
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                inside.toggle()
                continue
            }
            if inside { result.append(line) }
        }
        return result
    }()

    @Test("every function call in formulas.md gives the stated result")
    func functionCalls() throws {
        var checked = 0
        for line in Self.lines {
            guard let call = ShapeCall(line) else { continue }
            let actual = try call.evaluate()
            check(
                actual == call.result,
                "formulas.md: \(line.trimmingCharacters(in: .whitespaces)) — the reference gives \(actual)")
            checked += 1
        }
        check(checked >= 20, "formulas.md: only \(checked) function calls found; is docs/formulas.md there?")
    }

    @Test("every arithmetic chain in formulas.md is right")
    func arithmetic() throws {
        var checked = 0
        for line in Self.lines where ShapeCall(line) == nil && line.contains(" = ") {
            // Chains side by side are separated by 3 or more spaces; a leading "label:" is not arithmetic.
            for chain in line.components(separatedBy: "   ").map(Arithmetic.withoutLabel) where chain.contains(" = ") {
                let values = chain.components(separatedBy: " = ").compactMap(Arithmetic.value)
                check(
                    values.count != 1,
                    "formulas.md: '\(chain)' states a number that is not checked: write the computation, "
                        + "as 'a = b', or the function call")
                guard values.count >= 2 else { continue }
                check(values.allSatisfy { abs($0 - values[0]) < 1e-9 }, "formulas.md: \(chain) evaluates to \(values)")
                checked += 1
            }
        }
        check(checked >= 30, "formulas.md: only \(checked) arithmetic lines found")
    }

    @Test("the LeNet-5 table in formulas.md matches the reference's shape arithmetic")
    func leNetTable() throws {
        guard
            let start = Self.lines.firstIndex(where: { $0.hasPrefix("layer ") && $0.contains("multiply-accumulates") })
        else {
            Issue.record(
                "formulas.md: the LeNet-5 table (a code block starting with 'layer … multiply-accumulates') is missing")
            return
        }
        var shape: [Int] = []
        var totals = [0, 0, 0]
        var rows = 0
        for line in Self.lines[(start + 1)...] {
            let cells = line.components(separatedBy: "   ").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            guard let name = cells.first else { break }
            let numbers = cells.suffix(3).map { Int($0.replacingOccurrences(of: ",", with: "")) ?? -1 }
            if name == "total" {
                check(numbers == totals, "formulas.md: the LeNet-5 totals are \(numbers), the rows add up to \(totals)")
                break
            }
            var parameters = 0
            var macs = 0
            let integers = name.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if name == "input" {
                shape = cells[1].split(separator: "×").compactMap { Int($0) }
            } else if name.hasPrefix("conv"), integers.count == 3, shape.count == 3 {
                let (f, k) = (integers[0], integers[2])
                let h = try Solutions.convolutionOutputSize(input: shape[1], kernel: f)
                let w = try Solutions.convolutionOutputSize(input: shape[2], kernel: f)
                parameters = Solutions.convolutionParameterCount(kernel: f, inputChannels: shape[0], filters: k)
                macs = Solutions.convolutionMultiplyAccumulates(
                    kernel: f, inputChannels: shape[0], filters: k, outputHeight: h, outputWidth: w)
                shape = [k, h, w]
            } else if name.hasPrefix("max pool"), integers.count == 3, shape.count == 3 {
                shape = [
                    shape[0],
                    try Solutions.poolingOutputSize(input: shape[1], window: integers[0], stride: integers[2]),
                    try Solutions.poolingOutputSize(input: shape[2], window: integers[0], stride: integers[2]),
                ]
            } else if name == "flatten" {
                shape = [shape.reduce(1, *)]
            } else if name.hasPrefix("dense"), integers.count == 1, shape.count == 1 {
                parameters = Solutions.denseParameterCount(inputs: shape[0], outputs: integers[0])
                macs = Solutions.denseMultiplyAccumulates(inputs: shape[0], outputs: integers[0])
                shape = [integers[0]]
            } else if name != "relu" {
                Issue.record("formulas.md: LeNet-5 table row '\(line)' is not a layer the check knows")
                break
            }
            let expected = [shape.reduce(1, *), parameters, macs]
            check(
                cells.count >= 5 && cells[1] == shape.map(String.init).joined(separator: "×") && numbers == expected,
                "formulas.md: LeNet-5 table row '\(line)': expected output \(shape.map(String.init).joined(separator: "×")), "
                    + "activations, parameters, multiply-accumulates \(expected)")
            if name != "input" { for i in 0..<3 { totals[i] += expected[i] } }
            rows += 1
        }
        check(rows == 13, "formulas.md: the LeNet-5 table has \(rows) layer rows, expected 13 (input and 12 layers)")
    }
}

/// `name(label: 1, other: [2, 3]) = 42`.
private struct ShapeCall: Equatable {
    let name: String
    let arguments: [String: [Int]]
    let result: Int

    init?(_ line: String) {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let open = text.firstIndex(of: "("), let close = text.range(of: ") = ", options: .backwards) else {
            return nil
        }
        let name = String(text[..<open])
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter }), name.first?.isLowercase == true,
            let result = Int(text[close.upperBound...].replacingOccurrences(of: ",", with: ""))
        else { return nil }
        var arguments: [String: [Int]] = [:]
        var depth = 0
        var current = ""
        var parts: [String] = []
        for c in text[text.index(after: open)..<close.lowerBound] {
            if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
            if c == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { parts.append(current) }
        for part in parts {
            let pieces = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2 else { return nil }
            arguments[pieces[0]] = pieces[1].split(whereSeparator: { "[], ".contains($0) }).compactMap { Int($0) }
        }
        self.name = name
        self.arguments = arguments
        self.result = result
    }

    func evaluate() throws -> Int {
        func one(_ label: String, _ fallback: Int? = nil) throws -> Int {
            if let value = arguments[label]?.first { return value }
            if let fallback { return fallback }
            throw KitError("formulas.md: \(name) is missing the argument \(label)")
        }
        switch name {
        case "convolutionOutputSize":
            return try Solutions.convolutionOutputSize(
                input: one("input"), kernel: one("kernel"), stride: one("stride", 1),
                padding: one("padding", 0), dilation: one("dilation", 1))
        case "poolingOutputSize":
            return try Solutions.poolingOutputSize(input: one("input"), window: one("window"), stride: one("stride"))
        case "convolutionParameterCount":
            return Solutions.convolutionParameterCount(
                kernel: try one("kernel"), inputChannels: try one("inputChannels"), filters: try one("filters"))
        case "denseParameterCount":
            return Solutions.denseParameterCount(inputs: try one("inputs"), outputs: try one("outputs"))
        case "convolutionMultiplyAccumulates":
            return Solutions.convolutionMultiplyAccumulates(
                kernel: try one("kernel"), inputChannels: try one("inputChannels"),
                filters: try one("filters"), outputHeight: try one("outputHeight"),
                outputWidth: try one("outputWidth"))
        case "denseMultiplyAccumulates":
            return Solutions.denseMultiplyAccumulates(inputs: try one("inputs"), outputs: try one("outputs"))
        case "receptiveField":
            return try Solutions.receptiveField(
                kernels: arguments["kernels"] ?? [], strides: arguments["strides"] ?? [],
                dilations: arguments["dilations"] ?? [])
        default:
            throw KitError("formulas.md: unknown function \(name)")
        }
    }
}

/// A small evaluator for the docs' arithmetic: `+ − - · × * / ( ) ⌊ ⌋` and numbers like `20,000,500`.
private enum Arithmetic {
    /// `height: 3 + 1 = 4` → `3 + 1 = 4`.
    static func withoutLabel(_ chain: String) -> String {
        let text = chain.trimmingCharacters(in: .whitespaces)
        guard let colon = text.firstIndex(of: ":"), text[..<colon].contains(where: \.isLetter) else { return text }
        return text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The value of `segment`, or nil when it is not pure arithmetic (it has letters, such as a formula).
    static func value(_ segment: String) -> Double? {
        var text = segment.trimmingCharacters(in: .whitespaces)
        // A trailing word or two ("parameters", "values per filter") is a unit, not arithmetic.
        while let last = text.split(separator: " ").last, last.allSatisfy({ $0.isLetter || $0 == "-" }),
            last.count < text.count
        {
            text = String(text.dropLast(last.count)).trimmingCharacters(in: .whitespaces)
        }
        guard !text.isEmpty, !text.contains(where: { $0.isLetter }) else { return nil }
        var parser = Parser(Array(text.filter { !$0.isWhitespace }))
        guard let result = parser.sum(), parser.index == parser.characters.count else { return nil }
        return result
    }

    struct Parser {
        let characters: [Character]
        var index = 0
        init(_ characters: [Character]) { self.characters = characters }

        mutating func sum() -> Double? {
            guard var total = product() else { return nil }
            while index < characters.count, "+-−".contains(characters[index]) {
                let op = characters[index]
                index += 1
                guard let next = product() else { return nil }
                total = op == "+" ? total + next : total - next
            }
            return total
        }

        mutating func product() -> Double? {
            guard var total = factor() else { return nil }
            while index < characters.count, "·×*/÷".contains(characters[index]) {
                let op = characters[index]
                index += 1
                guard let next = factor() else { return nil }
                total = "/÷".contains(op) ? total / next : total * next
            }
            return total
        }

        mutating func factor() -> Double? {
            guard index < characters.count else { return nil }
            switch characters[index] {
            case "(":
                index += 1
                guard let inner = sum(), index < characters.count, characters[index] == ")" else { return nil }
                index += 1
                return inner
            case "⌊":
                index += 1
                guard let inner = sum(), index < characters.count, characters[index] == "⌋" else { return nil }
                index += 1
                return inner.rounded(.down)
            case "−", "-":
                index += 1
                return factor().map { -$0 }
            default:
                var digits = ""
                while index < characters.count {
                    let c = characters[index]
                    if c.isNumber || c == "." {
                        digits.append(c)
                        index += 1
                    } else if c == ",", index + 3 < characters.count,
                        characters[(index + 1)...(index + 3)].allSatisfy(\.isNumber),
                        index + 4 >= characters.count || !characters[index + 4].isNumber
                    {
                        index += 1 // a thousands separator
                    } else {
                        break
                    }
                }
                return Double(digits)
            }
        }
    }
}
