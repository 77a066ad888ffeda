import Foundation
import NeuralKit

/// What `kit similarity` writes: similarity.html (the ranked pairs, then each listed pair's files side
/// by side with the matching regions in the same colour on both sides) and similarity.csv.
/// The page is one file: no scripts, no fonts or styles from elsewhere.
struct SimilarityReport {
    let pairs: [SimilarPair]
    /// How many pairs the page lists and shows.
    let top: Int
    /// "16 submissions in /path, stages 1–10".
    let heading: String
    let winnowing: Winnowing
    let notes: [String]

    static let caution =
        "These are similarity scores to look at, not evidence of misconduct. Independent solutions "
        + "of short exercises can be alike, and code from the walkthroughs or lectures is shared by many: read the "
        + "matching regions, and the rest of both files, before drawing any conclusion."

    /// The colours of matched regions, cycled; each has a light and a dark variant.
    static let palette: [(light: String, dark: String)] = [
        ("#ffe08a", "#6b5510"), ("#a8e6a1", "#1f5a1a"), ("#a9d4ff", "#163f6b"), ("#f7b2c4", "#6b1f33"),
        ("#d7c1ff", "#43306b"), ("#ffc89e", "#6b3b12"), ("#9ee6dc", "#15564f"), ("#e0e0a0", "#4f4f15"),
    ]

    // MARK: similarity.csv

    static func csv(_ pairs: [SimilarPair]) -> String {
        var rows = [
            [
                "rank", "stage", "student_a", "student_b", "percent_a", "percent_b", "matched_tokens",
                "shared_fingerprints",
            ]
        ]
        for (index, pair) in pairs.enumerated() {
            rows.append([
                String(index + 1), String(pair.stage), pair.first.student, pair.second.student,
                percent(pair.firstPercent), percent(pair.secondPercent), String(pair.matchedTokens),
                String(pair.shared),
            ])
        }
        return Reports.csv(rows)
    }

    static func percent(_ fraction: Double) -> String { String(Int((fraction * 100).rounded())) }

    // MARK: similarity.html

    var html: String {
        let listed = Array(pairs.prefix(top))
        var page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Similarity of submissions</title>
            <style>\(SimilarityReport.style)</style>
            </head>
            <body>
            <h1 id="top">Similarity of submissions</h1>
            <p class="caution">\(SimilarityReport.escape(SimilarityReport.caution))</p>
            <p>\(SimilarityReport.escape(heading)). Compared as tokens: whitespace, comments, the text of literals and the \
            names of identifiers do not count, nor does the stub's given code; k = \(winnowing.gramLength) tokens, \
            window w = \(winnowing.window) (any shared run of \(winnowing.guarantee) tokens is found). A% is the share of \
            A's fingerprints that B also has, B% the reverse.</p>

            """
        if !notes.isEmpty {
            page +=
                "<details><summary>Not compared (\(notes.count))</summary><ul>"
                + notes.map { "<li>\(SimilarityReport.escape($0))</li>" }.joined() + "</ul></details>\n"
        }
        if listed.isEmpty {
            page += "<p>No pair of submissions shares enough code to list.</p>\n"
        } else {
            page +=
                "<p>The \(listed.count) most similar pair\(listed.count == 1 ? "" : "s") of \(pairs.count) "
                + "listed in similarity.csv:</p>\n"
            page += table(listed)
            for (index, pair) in listed.enumerated() { page += section(pair, rank: index + 1) }
        }
        return page + "</body>\n</html>\n"
    }

    private func table(_ listed: [SimilarPair]) -> String {
        var rows = [
            "<table class=\"ranking\"><thead><tr><th>#</th><th>Stage</th><th>Student A</th><th>Student B</th>"
                + "<th>A%</th><th>B%</th><th>Matched tokens</th><th></th></tr></thead><tbody>"
        ]
        for (index, pair) in listed.enumerated() {
            rows.append(
                "<tr><td>\(index + 1)</td><td>\(pair.stage)</td><td>\(SimilarityReport.escape(pair.first.student))</td>"
                    + "<td>\(SimilarityReport.escape(pair.second.student))</td>"
                    + "<td>\(SimilarityReport.percent(pair.firstPercent))%</td><td>\(SimilarityReport.percent(pair.secondPercent))%</td>"
                    + "<td>\(pair.matchedTokens)</td><td><a href=\"#pair-\(index + 1)\">side by side</a></td></tr>")
        }
        return rows.joined(separator: "\n") + "\n</tbody></table>\n"
    }

    /// One pair: its scores, the list of regions, and each file of the stage side by side.
    private func section(_ pair: SimilarPair, rank: Int) -> String {
        let first = SimilarityReport.escape(pair.first.student)
        let second = SimilarityReport.escape(pair.second.student)
        let regionCount = "\(pair.regions.count) region\(pair.regions.count == 1 ? "" : "s")"
        var text =
            "<section id=\"pair-\(rank)\">\n<h2>\(rank). Stage \(pair.stage): \(first) and \(second)</h2>\n"
            + "<p>A (\(first)): \(SimilarityReport.percent(pair.firstPercent))% · B (\(second)): "
            + "\(SimilarityReport.percent(pair.secondPercent))% · \(pair.matchedTokens) matched tokens in \(regionCount) · "
            + "<a href=\"#top\">back to the table</a></p>\n<ol class=\"regions\">"
        // For each side: file index → line → region number (the first region on a line colours it).
        var marks: [[Int: [Int: Int]]] = [[:], [:]]
        func mark(_ side: Int, _ submission: StageSubmission, _ place: TokenPlace, length: Int, region: Int) -> String {
            let file = submission.files[place.file]
            let lines = file.lines(from: place.position, count: length)
            for line in lines where marks[side][place.file]?[line] == nil {
                marks[side][place.file, default: [:]][line] = region
            }
            return "\(SimilarityReport.escape(file.name)) \(SimilarityReport.span(lines))"
        }
        for (number, region) in pair.regions.enumerated() {
            let firstPlace = mark(0, pair.first, region.start, length: region.length, region: number)
            let secondPlace = mark(1, pair.second, region.otherStart, length: region.length, region: number)
            text +=
                "<li class=\"m\(number % SimilarityReport.palette.count)\">\(region.length) tokens: "
                + "A \(firstPlace), B \(secondPlace)</li>"
        }
        text += "</ol>\n"
        let names = Set(pair.first.files.map(\.name) + pair.second.files.map(\.name)).sorted()
        for name in names {
            let firstIndex = pair.first.files.firstIndex { $0.name == name }
            let secondIndex = pair.second.files.firstIndex { $0.name == name }
            let firstMarks = firstIndex.flatMap { marks[0][$0] } ?? [:]
            let secondMarks = secondIndex.flatMap { marks[1][$0] } ?? [:]
            // A file without matches is folded away: what matters is where the two are alike.
            let folded = firstMarks.isEmpty && secondMarks.isEmpty
            text += folded ? "<details><summary>\(SimilarityReport.escape(name)): no matches</summary>" : ""
            text += "<div class=\"files\">\n"
            text += column(
                pair.first.student, "A", firstIndex.map { pair.first.files[$0] }, name: name, marks: firstMarks)
            text += column(
                pair.second.student, "B", secondIndex.map { pair.second.files[$0] }, name: name, marks: secondMarks)
            text += folded ? "</div></details>\n" : "</div>\n"
        }
        return text + "</section>\n"
    }

    /// One side: the file's lines, numbered, a matched line in its region's colour.
    private func column(_ student: String, _ side: String, _ file: ComparedFile?, name: String, marks: [Int: Int])
        -> String
    {
        var text =
            "<div class=\"file\"><h3>\(side): \(SimilarityReport.escape(student)) · \(SimilarityReport.escape(name))</h3>\n"
        guard let file else {
            return text + "<p class=\"absent\">Not compared: still the stub, or not submitted.</p></div>\n"
        }
        text += "<div class=\"code\">"
        let lines = file.source.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let region = marks[number]
            let attributes =
                region.map { " class=\"l m\($0 % SimilarityReport.palette.count)\" title=\"region \($0 + 1)\"" }
                ?? " class=\"l\""
            let content = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            text += "<div\(attributes)><span class=\"n\">\(number)</span>\(SimilarityReport.escape(content))</div>"
        }
        return text + "</div></div>\n"
    }

    static func span(_ lines: ClosedRange<Int>) -> String {
        lines.count == 1 ? "line \(lines.lowerBound)" : "lines \(lines.lowerBound)–\(lines.upperBound)"
    }

    /// Text safe inside HTML elements and attribute values.
    static func escape(_ text: String) -> String { SVG.escape(text) }

    static var style: String {
        let light = palette.enumerated().map { ".m\($0.offset) { background: \($0.element.light); }" }.joined(
            separator: "\n")
        let dark = palette.enumerated().map { ".m\($0.offset) { background: \($0.element.dark); }" }.joined(
            separator: "\n")
        // The dark colours come last: they replace the light ones where the reader prefers dark.
        return """

            :root { color-scheme: light dark; --text: #1d1d1f; --page: #ffffff; --line: #d0d0d5; --muted: #6e6e73; --note: #fff4d6; }
            body { font: 15px/1.45 -apple-system, system-ui, sans-serif; color: var(--text); background: var(--page); margin: 2em; }
            .caution { background: var(--note); padding: 0.8em 1em; border-radius: 6px; }
            table.ranking { border-collapse: collapse; }
            table.ranking th, table.ranking td { border-bottom: 1px solid var(--line); padding: 0.3em 0.8em; text-align: left; }
            section { margin-top: 3em; border-top: 2px solid var(--line); }
            .files { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; margin: 1em 0; }
            .file { min-width: 0; }
            .file h3 { font-size: 1em; margin: 0.3em 0; }
            .code { font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; white-space: pre; overflow-x: auto;
                    border: 1px solid var(--line); border-radius: 4px; tab-size: 4; }
            .l { min-height: 1.4em; padding-right: 1em; }
            .n { display: inline-block; width: 3.5em; padding-right: 0.8em; text-align: right; color: var(--muted); user-select: none; }
            .absent { color: var(--muted); }
            ol.regions li { padding: 0.1em 0.5em; margin: 0.15em 0; border-radius: 3px; }
            \(light)
            @media (prefers-color-scheme: dark) {
            :root { --text: #e8e8ed; --page: #1c1c1e; --line: #3a3a3c; --muted: #98989d; --note: #3a3220; }
            \(dark)
            }

            """
    }
}
