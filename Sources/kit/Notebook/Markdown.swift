import Foundation
import NeuralKit

/// The Markdown the walkthroughs use, rendered to HTML by the kit itself (no packages).
///
/// Blocks: headings (`#`…`######`), paragraphs, `-`/`*` and numbered lists (nested by indentation,
/// continued by indented lines), code blocks (indented by four spaces, or fenced with three backticks),
/// tables (`| a | b |` over `|---|---|`), block quotes (`>`), rules (`---`), and HTML comments on a line of their
/// own, which `insert` may replace with HTML of its own (the notebook's output cells). Inline: `code`,
/// **bold**, *italic*, links and images. The math is Unicode text, so it needs no JavaScript.
///
/// Nothing from outside the page: `resolveImage` turns an image's path into what `src` holds (the notebook
/// inlines pictures as `data:` URIs), and a link to another site shows its address as text instead of loading it.
struct Markdown {
    /// The `src` of an image from its path in the Markdown, or nil when there is no such picture.
    var resolveImage: (String) -> String? = { _ in nil }
    /// Where a link to a relative path (another walkthrough, "02-dense-layer.md") points in the output.
    var resolveLink: (String) -> String = { $0 }
    /// HTML for an HTML comment on a line of its own (the whole line, trimmed: "<!-- output: … -->"), or nil to
    /// leave it out.
    var insert: (String) -> String? = { _ in nil }

    /// The HTML of `markdown`'s blocks.
    func html(_ markdown: String) -> String {
        var lines = markdown.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var output: [String] = []
        var index = 0
        while index < lines.count {
            output.append(contentsOf: block(lines, &index))
        }
        return output.joined(separator: "\n") + "\n"
    }

    // MARK: Blocks

    /// Reads the block that starts at `lines[index]`, moving `index` past it.
    private func block(_ lines: [String], _ index: inout Int) -> [String] {
        let line = lines[index]
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            index += 1
            return []
        }
        if Self.isFence(trimmed) { return fencedCode(lines, &index) }
        if indentation(line) >= 4 { return indentedCode(lines, &index) }
        if let heading = heading(trimmed) {
            index += 1
            return [heading]
        }
        if trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->") {
            index += 1
            return insert(trimmed).map { [$0] } ?? []
        }
        if trimmed == "---" || trimmed == "***" {
            index += 1
            return ["<hr>"]
        }
        if trimmed.hasPrefix("|"), index + 1 < lines.count, isTableRule(lines[index + 1]) {
            return table(lines, &index)
        }
        if trimmed.hasPrefix(">") { return quote(lines, &index) }
        if listMarker(line) != nil { return list(lines, &index) }
        return paragraph(lines, &index)
    }

    private func heading(_ line: String) -> String? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        let text = line.dropFirst(hashes + 1).trimmingCharacters(in: .whitespaces)
        return "<h\(hashes) id=\"\(Self.anchor(text))\">\(inline(text))</h\(hashes)>"
    }

    private func fencedCode(_ lines: [String], _ index: inout Int) -> [String] {
        let fenceIndent = indentation(lines[index])
        index += 1
        var code: [String] = []
        while index < lines.count, !Self.isFence(lines[index].trimmingCharacters(in: .whitespaces)) {
            code.append(String(lines[index].dropFirst(min(fenceIndent, indentation(lines[index])))))
            index += 1
        }
        index += 1 // the closing fence
        return [codeBlock(code)]
    }

    private func indentedCode(_ lines: [String], _ index: inout Int) -> [String] {
        var code: [String] = []
        while index < lines.count {
            let line = lines[index]
            if indentation(line) >= 4 {
                code.append(String(line.dropFirst(4)))
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty,
                let next = lines[(index + 1)...].first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
                indentation(next) >= 4
            {
                code.append("")
            } else {
                break
            }
            index += 1
        }
        return [codeBlock(code)]
    }

    private func codeBlock(_ code: [String]) -> String {
        "<pre><code>" + code.map(Self.escape).joined(separator: "\n") + "</code></pre>"
    }

    private func isTableRule(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("|") && trimmed.contains("-")
            && trimmed.allSatisfy { "|-: ".contains($0) }
    }

    private func table(_ lines: [String], _ index: inout Int) -> [String] {
        let header = cells(lines[index])
        let alignments = cells(lines[index + 1]).map { rule -> String in
            switch (rule.hasPrefix(":"), rule.hasSuffix(":")) {
            case (true, true): return " style=\"text-align: center\""
            case (false, true): return " style=\"text-align: right\""
            default: return ""
            }
        }
        index += 2
        func row(_ cells: [String], tag: String) -> String {
            "<tr>"
                + cells.enumerated().map { column, cell in
                    "<\(tag)\(column < alignments.count ? alignments[column] : "")>\(inline(cell))</\(tag)>"
                }.joined() + "</tr>"
        }
        var html = ["<div class=\"table\"><table>", "<thead>" + row(header, tag: "th") + "</thead>", "<tbody>"]
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
            html.append(row(cells(lines[index]), tag: "td"))
            index += 1
        }
        html.append("</tbody></table></div>")
        return html
    }

    /// The cells of a table row, split at the bars outside code spans.
    private func cells(_ line: String) -> [String] {
        var row = line.trimmingCharacters(in: .whitespaces)
        if row.hasPrefix("|") { row.removeFirst() }
        if row.hasSuffix("|") { row.removeLast() }
        var cells: [String] = []
        var current = ""
        var inCode = false
        var escaped = false
        for character in row {
            if character == "`" { inCode.toggle() }
            if character == "|", escaped {
                current.removeLast() // `\|` is a bar inside a cell
                current.append(character)
            } else if character == "|", !inCode {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
            escaped = character == "\\" && !inCode
        }
        cells.append(current.trimmingCharacters(in: .whitespaces))
        return cells
    }

    private func quote(_ lines: [String], _ index: inout Int) -> [String] {
        var inner: [String] = []
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(">") else { break }
            let body = trimmed.dropFirst()
            inner.append(String(body.first == " " ? body.dropFirst() : body))
            index += 1
        }
        return ["<blockquote>", html(inner.joined(separator: "\n")), "</blockquote>"]
    }

    /// A list item's marker: its indentation, whether it is numbered, and where its text starts.
    private func listMarker(_ line: String) -> (indent: Int, ordered: Bool, textStart: Int)? {
        let indent = indentation(line)
        let rest = line.dropFirst(indent)
        if rest.hasPrefix("- ") || rest.hasPrefix("* ") { return (indent, false, indent + 2) }
        let digits = rest.prefix { $0.isNumber }.count
        if digits > 0, digits < 4, rest.dropFirst(digits).hasPrefix(". ") { return (indent, true, indent + digits + 2) }
        return nil
    }

    private func list(_ lines: [String], _ index: inout Int) -> [String] {
        guard let first = listMarker(lines[index]) else { return [] }
        var items: [[String]] = []
        while index < lines.count {
            let line = lines[index]
            if let marker = listMarker(line), marker.indent == first.indent {
                guard marker.ordered == first.ordered else { break }
                items.append([String(line.dropFirst(marker.textStart))])
                index += 1
                continue
            }
            let blank = line.trimmingCharacters(in: .whitespaces).isEmpty
            if blank {
                // A blank line ends the list unless the next line goes on with it.
                guard
                    let next = lines[(index + 1)...].first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
                    indentation(next) > first.indent
                        || listMarker(next)?.indent == first.indent
                            && listMarker(next)?.ordered == first.ordered
                else { break }
                items[items.count - 1].append("")
                index += 1
                continue
            }
            guard indentation(line) > first.indent else { break }
            // A continuation or a nested block: kept relative to the item's text.
            items[items.count - 1].append(String(line.dropFirst(min(indentation(line), first.textStart))))
            index += 1
        }
        let tag = first.ordered ? "ol" : "ul"
        var html = ["<\(tag)>"]
        for item in items {
            html.append("<li>" + listItem(item) + "</li>")
        }
        html.append("</\(tag)>")
        return html
    }

    /// A list item: its first lines are inline text; what follows a nested marker or a blank line is blocks.
    private func listItem(_ lines: [String]) -> String {
        var text: [String] = []
        var rest = lines[...]
        while let line = rest.first, !line.trimmingCharacters(in: .whitespaces).isEmpty, listMarker(line) == nil,
            indentation(line) < 4 || text.isEmpty
        {
            text.append(line.trimmingCharacters(in: .whitespaces))
            rest = rest.dropFirst()
        }
        let blocks = rest.isEmpty ? "" : "\n" + html(rest.joined(separator: "\n"))
        return inline(text.joined(separator: " ")) + blocks
    }

    private func paragraph(_ lines: [String], _ index: inout Int) -> [String] {
        var text: [String] = []
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || Self.isFence(trimmed) || heading(trimmed) != nil
                || (trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->"))
                || (!text.isEmpty && (listMarker(line) != nil || trimmed.hasPrefix(">")))
                || (trimmed.hasPrefix("|") && index + 1 < lines.count && isTableRule(lines[index + 1]))
            {
                break
            }
            text.append(trimmed)
            index += 1
        }
        return ["<p>" + inline(text.joined(separator: "\n")).replacingOccurrences(of: "\n", with: " ") + "</p>"]
    }

    private func indentation(_ line: String) -> Int {
        line.prefix { $0 == " " || $0 == "\t" }.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
    }

    // MARK: Inline

    /// Code spans, images, links, bold and italic; everything else escaped.
    func inline(_ text: String) -> String {
        // Code spans first, set aside as placeholders, so that emphasis may enclose them ("**3 × `t`**")
        // and nothing inside them is emphasis or a link.
        var codes: [String] = []
        var withoutCode = ""
        var rest = Substring(text)
        while let tick = rest.firstIndex(of: "`") {
            let run = rest[tick...].prefix { $0 == "`" }
            let afterOpening = rest.index(tick, offsetBy: run.count)
            guard let closing = rest[afterOpening...].range(of: String(run)) else { break }
            withoutCode += rest[..<tick]
            let code = rest[afterOpening..<closing.lowerBound].trimmingCharacters(in: .init(charactersIn: " "))
            withoutCode += "\u{E000}\(codes.count)\u{E001}"
            codes.append("<code>" + Self.escape(code) + "</code>")
            rest = rest[closing.upperBound...]
        }
        var html = spans(withoutCode + rest)
        for (number, code) in codes.enumerated().reversed() {
            html = html.replacingOccurrences(of: "\u{E000}\(number)\u{E001}", with: code)
        }
        return html
    }

    /// Images, links, bold and italic in text without code spans. Links and images are set aside as
    /// placeholders too, so that emphasis may enclose them.
    private func spans(_ text: String) -> String {
        var pieces: [String] = []
        var plain = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            let isImage = open > rest.startIndex && rest[rest.index(before: open)] == "!"
            guard let close = matchingBracket(rest, from: open),
                rest.index(after: close) < rest.endIndex, rest[rest.index(after: close)] == "(",
                let end = rest[close...].firstIndex(of: ")")
            else {
                plain += rest[...open]
                rest = rest[rest.index(after: open)...]
                continue
            }
            let label = String(rest[rest.index(after: open)..<close])
            let target = String(rest[rest.index(close, offsetBy: 2)..<end]).trimmingCharacters(in: .whitespaces)
            plain += rest[..<(isImage ? rest.index(before: open) : open)]
            plain += "\u{E002}\(pieces.count)\u{E003}"
            pieces.append(isImage ? image(alt: label, path: target) : link(label, to: target))
            rest = rest[rest.index(after: end)...]
        }
        var html = emphasis(plain + rest)
        for (number, piece) in pieces.enumerated().reversed() {
            html = html.replacingOccurrences(of: "\u{E002}\(number)\u{E003}", with: piece)
        }
        return html
    }

    private func matchingBracket(_ text: Substring, from open: Substring.Index) -> Substring.Index? {
        var depth = 0
        var index = open
        while index < text.endIndex {
            if text[index] == "[" { depth += 1 }
            if text[index] == "]" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private func image(alt: String, path: String) -> String {
        guard let source = resolveImage(path) else {
            return "<span class=\"missing\">(picture not found: \(Self.escape(path)))</span>"
        }
        return "<img src=\"\(Self.escape(source))\" alt=\"\(Self.escape(alt))\">"
    }

    private func link(_ label: String, to target: String) -> String {
        if Self.isExternal(target) {
            // The page loads nothing from outside: the address is shown, to copy.
            return emphasis(label) + " <span class=\"address\">(" + Self.escape(target) + ")</span>"
        }
        return "<a href=\"\(Self.escape(resolveLink(target)))\">\(emphasis(label))</a>"
    }

    /// `**bold**` and `*italic*` (not `_`, which code names use), in escaped text.
    private func emphasis(_ text: String) -> String {
        var html = Self.escape(text)
        html = Self.replacePairs(in: html, delimiter: "**", tag: "strong")
        html = Self.replacePairs(in: html, delimiter: "*", tag: "em")
        return html
    }

    private static func replacePairs(in text: String, delimiter: String, tag: String) -> String {
        var parts = text.components(separatedBy: delimiter)
        guard parts.count >= 3 else { return text }
        var html = parts.removeFirst()
        while parts.count >= 2 {
            let inner = parts.removeFirst()
            // "2 * 3 * 4" is arithmetic, not emphasis: an emphasised run does not start or end with a space.
            if inner.first?.isWhitespace == false, inner.last?.isWhitespace == false {
                html += "<\(tag)>\(inner)</\(tag)>" + parts.removeFirst()
            } else {
                html += delimiter + inner + delimiter + parts.removeFirst()
            }
        }
        return html + parts.map { delimiter + $0 }.joined()
    }

    // MARK: Helpers

    /// `text` safe inside HTML text and attribute values (the escaping SVG text needs too).
    static func escape<S: StringProtocol>(_ text: S) -> String { SVG.escape(String(text)) }

    /// A heading's `id`: its words in lower case, joined by dashes ("Why subtract the maximum" → "why-subtract-the-maximum").
    static func anchor(_ heading: String) -> String {
        let words = heading.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.joined(separator: "-")
    }

    /// A code fence: three backticks or three tildes (as `OutputMarker` reads them too).
    static func isFence(_ trimmedLine: String) -> Bool { trimmedLine.hasPrefix("```") || trimmedLine.hasPrefix("~~~") }

    /// Whether a link or image points outside the page's folder tree (another site).
    static func isExternal(_ target: String) -> Bool {
        let lower = target.lowercased()
        return lower.hasPrefix("http:") || lower.hasPrefix("https:") || lower.hasPrefix("//")
            || lower.hasPrefix("ftp:")
    }
}
