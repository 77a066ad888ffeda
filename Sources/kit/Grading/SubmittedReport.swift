import Foundation

/// The written report of a submission, for `kit grade --require-report`: lecture 001's course gives
/// 0 to a submission without one ("The grade will be 0 if you don't submit a well-written report").
///
/// A report is a file named report.md, report.pdf or report.html (any case) anywhere in the
/// submission: the kit's report/ folder in a copy of the kit, or a report.pdf uploaded beside the
/// stage files. An empty file is no report, and neither is `kit report`'s draft with every
/// explanation still its placeholder: that draft holds the student's results but none of their writing.
enum SubmittedReport {
    static let names: Set<String> = ["report.md", "report.pdf", "report.html"]

    /// Why `submission` has no report, in one plain sentence for the feedback; nil when it has one.
    static func missing(in submission: URL) -> String? {
        let found = files(in: submission)
        guard !found.isEmpty else {
            return "No report was found (report/report.md, or report.md, report.html or report.pdf anywhere in the "
                + "submission), "
                + "and this course gives 0 to a submission without its written report."
        }
        var drafts: [String] = []
        for (path, url) in found {
            guard let text = readable(url) else { continue }
            if url.pathExtension.lowercased() != "pdf", isUnwrittenDraft(text) {
                drafts.append(path)
                continue
            }
            return nil
        }
        if let draft = drafts.first {
            return "The report (\(draft)) is still kit report's draft, with none of its explanations written, "
                + "and this course gives 0 to a submission without its written report."
        }
        return "The report (\(found[0].path)) is empty, and this course gives 0 to a submission without its "
            + "written report."
    }

    /// The largest part of a report that is read: enough for any draft's placeholders, and a huge
    /// upload cannot exhaust the memory of the process that grades everyone.
    static let readLimit = 2 << 20

    /// The start of a report's text, or nil when it is empty (or cannot be read). A PDF is not read:
    /// its text is compressed, so any non-empty PDF counts (the placeholder test is for Markdown and HTML).
    static func readable(_ url: URL) -> String? {
        guard let size = (try? url.resourceValues(forKeys: [.fileSizeKey]))?.fileSize, size > 0,
            let handle = try? FileHandle(forReadingFrom: url)
        else { return nil }
        defer { try? handle.close() }
        if url.pathExtension.lowercased() == "pdf" { return "(a PDF of \(size) bytes)" }
        guard let data = try? handle.read(upToCount: readLimit) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : text
    }

    /// Whether `text` is `kit report`'s draft (Markdown or HTML) with every explanation still the placeholder.
    static func isUnwrittenDraft(_ text: String) -> Bool {
        ReportExplanation.all.allSatisfy { text.contains($0.placeholder) }
    }

    /// The report files in `submission` (relative path, URL), shallowest first; the folders the
    /// grader skips (.build, .git, …) are not searched.
    static func files(in submission: URL) -> [(path: String, url: URL)] {
        let root = submission.standardizedFileURL.resolvingSymlinksInPath()
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsPackageDescendants])
        else { return [] }
        var found: [(path: String, url: URL)] = []
        var seen = 0
        for case let url as URL in enumerator {
            // As far as the stage files are looked for (`SubmissionFiles`): a huge upload is not walked to its end.
            seen += 1
            if seen > 20_000 { break }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            if SubmissionFiles.skippedFolders.contains(url.lastPathComponent) || enumerator.level > 8 {
                enumerator.skipDescendants()
                continue
            }
            let isFile = (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true
            if isFile, names.contains(url.lastPathComponent.lowercased()) { found.append((relative, url)) }
        }
        return found.sorted {
            ($0.path.split(separator: "/").count, $0.path) < ($1.path.split(separator: "/").count, $1.path)
        }
    }
}
