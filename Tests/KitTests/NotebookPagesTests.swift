import Foundation
import NeuralKit
import TestSupport
import Testing

@Suite("kit notebook · on a scratch copy of the kit", .enabled(if: kitTestsEnabled, "slow: set NEURALKIT_KIT_TESTS=1"))
struct NotebookPagesTests {
    /// The cells of a page: (check, verdict), from the attributes `OutputCell` writes.
    static func cells(_ html: String) -> [(check: String, verdict: String)] {
        let pattern = #"data-check="([^"]*)" data-verdict="([^"]*)""#
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            (
                unescape(String(html[Range(match.range(at: 1), in: html)!])),
                String(html[Range(match.range(at: 2), in: html)!])
            )
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The checks the walkthrough of `stage` marks for an output cell.
    static func markedChecks(_ copy: URL, _ stage: Stage) throws -> [String] {
        try OutputMarker.parse(String(contentsOf: copy.appendingPathComponent(stage.walkthroughPath), encoding: .utf8))
            .map(\.check)
    }

    /// Every page: a cell for each marker whose verdict satisfies `expected`, pictures that decode, nothing from outside.
    func expectPages(
        _ copy: URL, stages: [Stage], valuesShown: (Stage) -> Bool = { _ in false },
        sourceLocation: SourceLocation = #_sourceLocation,
        _ expected: (Stage, String) -> Bool
    ) throws {
        for stage in stages {
            let page = copy.appendingPathComponent("notebook/" + (stage.walkthroughPath as NSString).lastPathComponent)
                .deletingPathExtension().appendingPathExtension("html")
            let html = try String(contentsOf: page, encoding: .utf8)
            let cells = Self.cells(html)
            let marked = try Self.markedChecks(copy, stage)
            #expect(
                !marked.isEmpty, "stage \(stage.number)'s walkthrough marks no output cell",
                sourceLocation: sourceLocation)
            #expect(cells.map(\.check) == marked, "stage \(stage.number)", sourceLocation: sourceLocation)
            for cell in cells {
                #expect(
                    expected(stage, cell.verdict), "stage \(stage.number), \(cell.check): \(cell.verdict)",
                    sourceLocation: sourceLocation)
            }
            expectSelfContained(html, page: page.lastPathComponent, sourceLocation: sourceLocation)
            if valuesShown(stage) {
                // Each cell shows what was computed beside what was expected, not only a verdict.
                for cell in html.components(separatedBy: "<section class=\"cell").dropFirst() {
                    let body = cell.components(separatedBy: "</section>")[0]
                    #expect(
                        body.contains("<th>computed</th>"),
                        "stage \(stage.number): a cell without values: \(body.prefix(300))",
                        sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// No URL of another site anywhere in a `src` or `href`, and every picture a `data:` URI that decodes.
    func expectSelfContained(_ html: String, page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let references = try! NSRegularExpression(pattern: #"(src|href)="([^"]*)""#)
        for match in references.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let attribute = String(html[Range(match.range(at: 1), in: html)!])
            let value = String(html[Range(match.range(at: 2), in: html)!])
            #expect(
                !value.lowercased().hasPrefix("http") && !value.hasPrefix("//"), "\(page): \(value)",
                sourceLocation: sourceLocation)
            if attribute == "src" {
                let base64 = value.components(separatedBy: ";base64,").last ?? ""
                #expect(
                    value.hasPrefix("data:image/") && (Data(base64Encoded: base64)?.count ?? 0) > 100,
                    "\(page): a picture that does not resolve: \(value.prefix(60))", sourceLocation: sourceLocation)
            }
        }
        #expect(!html.contains("url(http"), "\(page)", sourceLocation: sourceLocation)
        #expect(
            !html.contains("picture not found"), "\(page): a picture that does not resolve",
            sourceLocation: sourceLocation)
        let images = html.components(separatedBy: "<img ").dropFirst()
        #expect(
            images.allSatisfy { $0.prefix(while: { $0 != ">" }).contains("alt=\"") },
            "\(page): an image without alt text")
    }

    @Test("kit notebook: a cell per worked example, ✗ on the stubs, ✓ on the reference, and a broken stage shown")
    func notebookPages() throws {
        let scratch = KitScratchCopyTests()
        let copy = try scratch.makeCopy()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let stages = Course.stages

        // The stubs: every cell says "not implemented yet"; the pages and the index are written.
        let stubs = try kit("notebook", in: copy)
        #expect(stubs.status == 0, "\(stubs.text)")
        #expect(stubs.text.contains("notebook/index.html"), "\(stubs.text)")
        try expectPages(copy, stages: stages) { _, verdict in verdict == "✗ not implemented yet" }
        let index = try String(contentsOf: copy.appendingPathComponent("notebook/index.html"), encoding: .utf8)
        #expect(index.contains("0 of \(stages.count) stages pass"))
        expectSelfContained(index, page: "index.html")

        // Stages 1–8 solved (the reference's files): their cells match; 9 and 10 are still stubs.
        for stage in stages where stage.number <= 8 {
            for file in stage.files {
                try scratch.replace(
                    "Exercises/\(stage.folder)/\(file)", in: copy,
                    with: packageRoot.appendingPathComponent("Solutions/\(stage.folder)/\(file)"))
            }
        }
        let solved = try kit("notebook", in: copy)
        #expect(solved.status == 0, "\(solved.text)")
        try expectPages(
            copy, stages: stages, valuesShown: { $0.number <= 8 },
            { stage, verdict in stage.number <= 8 ? verdict == "✓ matches" : verdict == "✗ not implemented yet" })
        // The demos' output and pictures: stage 1's values, stage 8's decision boundary from `kit run 8`.
        let activations = try String(
            contentsOf: copy.appendingPathComponent("notebook/01-activations.html"), encoding: .utf8)
        #expect(activations.contains("[0.0900, 0.2447, 0.6652]"))
        let toy = try String(
            contentsOf: copy.appendingPathComponent("notebook/08-toy-classification.html"), encoding: .utf8)
        #expect(toy.contains("alt=\"runs/08-spirals: spirals decision boundary\""), "\(toy.suffix(3000))")
        #expect(
            try String(contentsOf: copy.appendingPathComponent("notebook/index.html"), encoding: .utf8)
                .contains("8 of \(stages.count) stages pass"))

        // A stage that does not compile: every page shows the compiler's message, and still renders its prose.
        let oneHot = copy.appendingPathComponent("Exercises/05-OneHotEncoding/OneHot.swift")
        try (String(contentsOf: oneHot, encoding: .utf8) + "\nlet broken: Int = \"not a number\"\n")
            .write(to: oneHot, atomically: true, encoding: .utf8)
        let broken = try kit("notebook", "1", in: copy)
        #expect(broken.status == 0, "\(broken.text)")
        let page = try String(contentsOf: copy.appendingPathComponent("notebook/01-activations.html"), encoding: .utf8)
        #expect(
            page.contains(
                "Exercises/05-OneHotEncoding/OneHot.swift</strong> does not compile (stage 5, One-hot encoding)"))
        #expect(page.contains("cannot convert value of type"))
        #expect(page.contains("<h2 id=\"softmax\">Softmax</h2>"))
        try expectPages(copy, stages: [stages[0]]) { _, verdict in verdict == "not run" }
    }
}
