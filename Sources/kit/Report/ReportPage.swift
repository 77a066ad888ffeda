import Foundation

/// report.html: the report's Markdown as a self-contained page, every picture inlined as a
/// `data:` URI, so that the one file can be handed in, opened offline or printed to PDF.
struct ReportPage {
    let html: String
    /// The pictures the Markdown shows that are not in the report's folder (shown as missing on the page).
    let missingImages: [String]

    /// Renders `markdown`, whose pictures' paths are relative to `folder`.
    init(markdown: String, folder: URL) {
        var missing: [String] = []
        let renderer = Markdown(resolveImage: { path in
            let source = ReportPage.dataURI(path, in: folder)
            if source == nil { missing.append(path) }
            return source
        })
        let body = renderer.html(markdown)
        let title =
            markdown.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) } ?? "Report"
        html = HTMLPage(title: title, body: body).html
        missingImages = missing
    }

    /// The picture at `path` (relative to `folder`) as a `data:` URI; nil for an address on the web,
    /// a file that is not there, or one that is not a picture.
    static func dataURI(_ path: String, in folder: URL) -> String? {
        guard !Markdown.isExternal(path), !path.hasPrefix("data:") else { return nil }
        let file = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
        return HTMLPage.dataURI(of: file)
    }
}
