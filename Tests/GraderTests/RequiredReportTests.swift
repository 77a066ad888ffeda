import Foundation
import NeuralKit
import Testing

@testable import kit

// `kit grade --require-report`: which submissions have a report, and what the course's rule does to
// a grade without one. Made-up folders and grades: no build, no test run.
@Suite("grader · the required report")
struct RequiredReportTests {
    /// A scratch submission holding `files` (relative path → contents).
    func submission(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static let stageFile = ["NeuralKit/Exercises/01-Activations/Activations.swift": "// my code"]

    /// kit report's draft with no run and no checks: every explanation still its placeholder.
    static var untouchedDraft: String { ReportDraft(stages: [], runs: [], summaries: []).markdown }

    @Test("a submission with only its stage files has no report, and the reason names what to hand in")
    func noReportFile() throws {
        let folder = try submission(Self.stageFile)
        defer { try? FileManager.default.removeItem(at: folder) }
        let reason = try #require(SubmittedReport.missing(in: folder))
        #expect(reason.hasPrefix("No report was found"))
        #expect(reason.contains("report/report.md") && reason.contains("report.pdf"))
    }

    @Test("the kit's report/report.md in a copy of the kit counts as the report")
    func reportFolderInKit() throws {
        let folder = try submission(
            Self.stageFile.merging(["NeuralKit/report/report.md": "# My report\n\nI wrote softmax."]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(SubmittedReport.missing(in: folder) == nil)
    }

    @Test("a Report.pdf uploaded beside the stage files counts as the report, whatever its case")
    func pdfAtTheRoot() throws {
        let folder = try submission(["Activations.swift": "// mine", "Report.pdf": "%PDF-1.4 binary"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(SubmittedReport.missing(in: folder) == nil)
    }

    @Test("a report.md that is a link to a file outside the submission is no report")
    func linkedReport() throws {
        let folder = try submission(Self.stageFile)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString).md")
        try Data("# Someone else's report".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("report.md"), withDestinationURL: outside)
        #expect(SubmittedReport.missing(in: folder)?.hasPrefix("No report was found") == true)
    }

    @Test("only the start of a huge report is read: a draft padded past the limit is still the draft")
    func hugeReportReadInPart() throws {
        let padded = Self.untouchedDraft + String(repeating: "x", count: SubmittedReport.readLimit + 10)
        let folder = try submission(Self.stageFile.merging(["report/report.md": padded]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            SubmittedReport.readable(folder.appendingPathComponent("report/report.md"))?.utf8.count
                == SubmittedReport.readLimit)
        #expect(SubmittedReport.missing(in: folder)?.contains("still kit report's draft") == true)
    }

    @Test("an empty report.md is no report")
    func emptyReport() throws {
        let folder = try submission(Self.stageFile.merging(["report/report.md": " \n"]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(SubmittedReport.missing(in: folder)?.contains("is empty") == true)
    }

    @Test("kit report's draft with every explanation still a placeholder is no report, in Markdown or HTML")
    func unwrittenDraft() throws {
        let page = ReportPage(markdown: Self.untouchedDraft, folder: FileManager.default.temporaryDirectory).html
        let folder = try submission(
            Self.stageFile.merging(["report/report.md": Self.untouchedDraft, "report/report.html": page]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        let reason = try #require(SubmittedReport.missing(in: folder))
        #expect(reason.contains("still kit report's draft"), "\(reason)")
    }

    @Test("a draft with one explanation written counts as the report")
    func partlyWrittenDraft() throws {
        let first = ReportExplanation.all[0].markdown
        let written = Self.untouchedDraft.replacingOccurrences(of: first, with: "I built a framework.")
        #expect(written != Self.untouchedDraft)
        let folder = try submission(Self.stageFile.merging(["report/report.md": written]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(SubmittedReport.missing(in: folder) == nil)
    }

    @Test("a report.md inside a build folder is not looked at")
    func buildFoldersSkipped() throws {
        let folder = try submission(Self.stageFile.merging([".build/checkouts/x/report.md": "# Not mine"]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(SubmittedReport.missing(in: folder) != nil)
    }

    @Test("without a report the total is 0, the status says so, and the feedback says why")
    func gradeWithoutReport() throws {
        let rubric = Rubric.course
        let graded = sampleGrade(rubric: rubric)
        #expect(graded.total(cap: rubric.cap) > 0)
        var grade = graded
        let reason = "No report was found, and this course gives 0 to a submission without its written report."
        grade.missingReport = reason
        #expect(grade.total(cap: rubric.cap) == 0)
        #expect(grade.status.hasPrefix(SubmissionGrade.noReport))
        // The checks' points stay visible: the instructor sees what the report cost.
        #expect(grade.points == graded.points)
        let feedback = Reports.feedback(grade, rubric: rubric)
        #expect(feedback.contains("**Total: 0 / \(rubric.maximum.points)**"))
        #expect(feedback.contains(reason))
        #expect(!feedback.contains("before the cap"))
        #expect(Reports.csvRow(grade, rubric: rubric).suffix(2).first == "0")
        let results = Reports.gradescope(grade, rubric: rubric)
        #expect(results.score == 0)
        #expect(results.output.contains(reason))
    }

    @Test("kit grade takes --require-report as a flag, from the command line")
    func option() throws {
        #expect(try Arguments(["--require-report"], for: .grade).flag("require-report"))
        #expect(try !Arguments([], for: .grade).flag("require-report"))
    }
}
