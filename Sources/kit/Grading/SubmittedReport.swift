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
            return "No report was found (report/report.md, report.pdf or report.md at the top of the submission), "
                + "and this course gives 0 to a submission without its written report."
        }
        var drafts: [String] = []
        for (path, url) in found {
            guard let data = try? Data(contentsOf: url),
                !String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else { continue }
            if isUnwrittenDraft(String(decoding: data, as: UTF8.self)) {
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
