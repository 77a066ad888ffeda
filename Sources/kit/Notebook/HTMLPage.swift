import Foundation

/// A self-contained HTML page: its style inline, nothing loaded from anywhere, readable in light and dark
/// mode and printable to PDF.
struct HTMLPage {
    var title: String
    /// The page's content, already HTML.
    var body: String
    /// Links shown at the top (and not printed): (label, href).
    var navigation: [(label: String, href: String)] = []
    /// Reload the page every so many seconds (while `kit watch` keeps it fresh), or never.
    var reloadEvery: Int? = nil

    /// Says why the page reloads, and how to have it stop.
    private var reloadNote: String {
        guard let seconds = reloadEvery else { return "" }
        return "<p class=\"muted no-print\">Kept fresh by <code>swift run kit watch</code>: this page reloads every "
            + "\(seconds) s. After the watch stops, <code>swift run kit notebook</code> writes it without reloading.</p>\n"
    }

    var html: String {
        let reload = reloadEvery.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">\n" } ?? ""
        let nav =
            navigation.isEmpty
            ? ""
            : "<nav>"
                + navigation.map { "<a href=\"\(Markdown.escape($0.href))\">\(Markdown.escape($0.label))</a>" }
                .joined(separator: " · ") + "</nav>\n"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            \(reload)<title>\(Markdown.escape(title))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            \(nav)<main>
            \(reloadNote)\(body)</main>
            </body>
            </html>

            """
    }

    /// The picture types a page can inline.
    static let mediaTypes = [
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp",
    ]

    /// A picture inlined as a `data:` URI (the page loads nothing from anywhere), or nil when it is not a
    /// picture or cannot be read.
    static func dataURI(of file: URL) -> String? {
        guard let type = mediaTypes[file.pathExtension.lowercased()], let data = try? Data(contentsOf: file) else {
            return nil
        }
        return "data:\(type);base64," + data.base64EncodedString()
    }

    /// One style for the notebook and the report. Wide content (code blocks, tables) scrolls inside its
    /// box and long inline names and computed values wrap, so the page never gets wider than the window.
    static let style = """
        :root { --text: #1d1f23; --muted: #5b616b; --background: #ffffff; --panel: #f4f5f7; --line: #d8dbe0;
          --pass: #1a7f37; --fail: #c62828; --warn: #9a6700; --link: #0b57d0; }
        @media (prefers-color-scheme: dark) {
          :root { --text: #e6e7ea; --muted: #a0a6b0; --background: #16181c; --panel: #22252b; --line: #3a3f47;
            --pass: #4cc26a; --fail: #ff6b6b; --warn: #e0b341; --link: #8ab4f8; }
        }
        * { box-sizing: border-box; }
        html { background: var(--background); color: var(--text); }
        body { margin: 0; font: 16px/1.55 -apple-system, "Segoe UI", system-ui, Roboto, "Helvetica Neue", Arial,
          sans-serif; }
        main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
        nav { max-width: 52rem; margin: 0 auto; padding: 0.75rem 1.25rem 0; font-size: 0.9rem; color: var(--muted); }
        a { color: var(--link); }
        h1, h2, h3 { line-height: 1.25; margin: 1.8em 0 0.6em; }
        h1 { margin-top: 0.5em; font-size: 1.8rem; }
        h2 { font-size: 1.35rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2em; }
        code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
          font-size: 0.88em; }
        code { background: var(--panel); padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
        pre { background: var(--panel); padding: 0.8em 1em; border-radius: 6px; overflow-x: auto; line-height: 1.4; }
        pre code { background: none; padding: 0; }
        .table { overflow-x: auto; margin: 1em 0; }
        table { border-collapse: collapse; font-size: 0.92rem; }
        th, td { border: 1px solid var(--line); padding: 0.35em 0.6em; vertical-align: top; text-align: left; }
        th { background: var(--panel); }
        img { max-width: 100%; height: auto; display: block; margin: 1em 0; background: #ffffff;
          border-radius: 4px; }
        blockquote { margin: 1em 0; padding: 0.2em 1em; border-left: 4px solid var(--line); color: var(--muted); }
        hr { border: none; border-top: 1px solid var(--line); }
        .address { color: var(--muted); font-size: 0.9em; overflow-wrap: anywhere; }
        .missing { color: var(--warn); }
        .cell { border: 1px solid var(--line); border-left: 5px solid var(--muted); border-radius: 6px;
          margin: 1em 0 1.5em; padding: 0.6em 0.9em; background: var(--panel); }
        .cell.pass { border-left-color: var(--pass); }
        .cell.fail { border-left-color: var(--fail); }
        .cell.pending { border-left-color: var(--warn); }
        .cell-title { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
        .cell table { background: var(--background); }
        .cell pre { background: var(--background); margin: 0.5em 0; }
        .cell td pre { margin: 0; padding: 0; background: none; white-space: pre-wrap; overflow-wrap: anywhere; }
        .cell td:first-child { min-width: 11em; }
        .verdict { font-weight: 600; }
        .pass .verdict, .ok { color: var(--pass); }
        .fail .verdict, .bad { color: var(--fail); }
        .pending .verdict { color: var(--warn); }
        .message { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.4em 0; }
        .muted { color: var(--muted); }
        .progress { display: inline-block; width: 8rem; height: 0.6rem; background: var(--line); border-radius: 3px;
          vertical-align: middle; overflow: hidden; }
        .progress span { display: block; height: 100%; background: var(--pass); }
        @media print {
          nav, .no-print { display: none; }
          body { font-size: 11pt; }
          main { max-width: none; padding: 0; }
          pre, .cell, table, img { break-inside: avoid; }
          pre { white-space: pre-wrap; }
          a { color: inherit; text-decoration: none; }
        }
        """
}
