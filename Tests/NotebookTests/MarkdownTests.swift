import Foundation
import Testing

@testable import kit

@Suite("The notebook's Markdown")
struct MarkdownTests {
    @Test("headings get anchors, paragraphs join their lines, and text is escaped")
    func headingsAndParagraphs() {
        let html = Markdown().html(
            "# Stage 1 · Activations\n\nA <b> & \"c\"\nacross lines.\n\n## Why subtract the maximum\n")
        #expect(html.contains("<h1 id=\"stage-1-activations\">Stage 1 · Activations</h1>"))
        #expect(html.contains("<p>A &lt;b&gt; &amp; &quot;c&quot; across lines.</p>"))
        #expect(html.contains("<h2 id=\"why-subtract-the-maximum\">"))
    }

    @Test("indented and fenced code keep their spacing and are escaped, and nothing inside them is emphasis")
    func codeBlocks() {
        let html = Markdown().html("Text:\n\n    a = [1,  2]\n\n    b < *c*\n\n```swift\nlet x = 1 ** 2\n```\n")
        #expect(html.contains("<pre><code>a = [1,  2]\n\nb &lt; *c*</code></pre>"))
        #expect(html.contains("<pre><code>let x = 1 ** 2</code></pre>"))
        #expect(!html.contains("<em>"))
    }

    @Test("inline code, bold, italic and arithmetic stars")
    func inlineSpans() {
        let markdown = Markdown()
        #expect(
            markdown.inline("**ReLU** keeps `x > 0`, *logits*")
                == "<strong>ReLU</strong> keeps <code>x &gt; 0</code>, <em>logits</em>")
        #expect(markdown.inline("2 * 3 * 4") == "2 * 3 * 4")
        #expect(markdown.inline("`a | b` and `**`") == "<code>a | b</code> and <code>**</code>")
        #expect(markdown.inline("**at most 3 × `t`**") == "<strong>at most 3 × <code>t</code></strong>")
    }

    @Test("lists nest by indentation and continue on indented lines; numbered lists are ordered")
    func lists() {
        let html = Markdown().html("- one\n  continued\n  - nested\n- two\n\n1. first\n2. second\n")
        #expect(html.contains("<ul>\n<li>one continued\n<ul>\n<li>nested</li>\n</ul>\n</li>\n<li>two</li>\n</ul>"))
        #expect(html.contains("<ol>\n<li>first</li>\n<li>second</li>\n</ol>"))
    }

    @Test("a table keeps bars inside code spans and its alignment")
    func tables() {
        let html = Markdown().html("| a | b |\n|---|--:|\n| `x | y` | 2 |\n")
        #expect(html.contains("<th>a</th><th style=\"text-align: right\">b</th>"))
        #expect(html.contains("<td><code>x | y</code></td><td style=\"text-align: right\">2</td>"))
    }

    @Test("images resolve through the page's resolver with alt text; a missing one says so")
    func images() {
        var markdown = Markdown()
        markdown.resolveImage = { $0 == "images/a.svg" ? "data:image/svg+xml;base64,AA==" : nil }
        #expect(
            markdown.inline("![Loss curve](images/a.svg)")
                == "<img src=\"data:image/svg+xml;base64,AA==\" alt=\"Loss curve\">")
        #expect(markdown.inline("![B](images/b.svg)").contains("picture not found: images/b.svg"))
    }

    @Test("links between walkthroughs are resolved; a link to another site loads nothing and shows its address")
    func links() {
        var markdown = Markdown()
        markdown.resolveLink = { $0.replacingOccurrences(of: ".md", with: ".html") }
        #expect(markdown.inline("[Stage 2](02-dense-layer.md)") == "<a href=\"02-dense-layer.html\">Stage 2</a>")
        let external = markdown.inline("[MNIST](https://example.org/mnist)")
        #expect(!external.contains("href"))
        #expect(external.contains("(https://example.org/mnist)"))
    }

    @Test("an HTML comment on its own line is replaced by what the page inserts for it, or dropped")
    func insertedCells() {
        var markdown = Markdown()
        markdown.insert = { line in
            line.hasPrefix("<!-- output: ") ? "<div class=\"cell\">\(line.dropFirst(13).dropLast(4))</div>" : nil
        }
        let html = markdown.html("Text.\n<!-- output: softmax -->\n<!-- note to self -->\nMore.\n")
        #expect(html.contains("<p>Text.</p>\n<div class=\"cell\">softmax</div>\n<p>More.</p>"))
        #expect(!html.contains("note to self"))
    }

    @Test("every walkthrough renders without raw Markdown markers left in its text")
    func walkthroughsRender() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs")
        let files = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }
        #expect(files.count >= 10)
        for file in files {
            let html = Markdown().html(try String(contentsOf: docs.appendingPathComponent(file), encoding: .utf8))
            let text = html.replacingOccurrences(
                of: "<pre><code>[^<]*</code></pre>", with: "", options: .regularExpression
            )
            .replacingOccurrences(of: "<code>[^<]*</code>", with: "", options: .regularExpression)
            for marker in ["**", "\n#", "|---", "]("] {
                let context = text.range(of: marker).map { String(text[$0.lowerBound...].prefix(80)) }
                #expect(context == nil, "\(file) has an unrendered \(marker): \(context ?? "")")
            }
        }
    }
}
