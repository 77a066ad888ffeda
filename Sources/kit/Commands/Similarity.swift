import Foundation
import NeuralKit

extension Command {
    static let similarity = Command(
        name: "similarity",
        summary: "Instructors: rank pairs of submissions by how alike their code is, stage by stage.",
        details: """
            Compares the stage files of every pair of submissions in DIR (one folder per student, taken \
            as kit grade takes them) as MOSS does: fingerprints of the code's tokens, so whitespace, \
            comments, the text of literals and renamed identifiers do not count, nor does the stub's \
            given code or code that most of the class shares. Writes similarity.html (the most similar \
            pairs, their files side by side with the matching regions) and similarity.csv (every pair \
            above \(Int(SimilarityCheck().floor * 100))%) to the output folder. The scores are for reading \
            code, not evidence. See docs/instructors.md.

            Example:
              swift run kit similarity --submissions DIR --out DIR
            """,
        options: [
            Option("submissions", .path, "DIR", help: "one folder per student"),
            Option("out", .path, "DIR", help: "where similarity.html and similarity.csv go"),
            Option("top", .integer, "N", help: "pairs listed and shown side by side", default: "25"),
            Option("stage", .integer, "N", help: "compare this stage only", default: "every stage"),
        ],
        maximumPositionals: 0,
        // Like grade: an instructor's command, not listed in the student edition.
        hidden: (try? Kit.locate())?.hasReference != true
    ) { arguments, kit in
        try SimilarityCommand(arguments: arguments, kit: kit).run()
    }
}

/// `kit similarity`: reads the class, compares each stage, writes the report.
struct SimilarityCommand {
    let arguments: Arguments
    let kit: Kit
    var terminal: Terminal { kit.terminal }

    /// Pairs printed in the terminal; the page lists `--top`.
    static let printedPairs = 10

    func run() throws -> Int32 {
        guard let submissionsPath = arguments.options["submissions"], let outPath = arguments.options["out"] else {
            throw UsageError("give --submissions DIR and --out DIR")
        }
        var top = 25
        if let text = arguments.options["top"] {
            guard let value = Int(text), value > 0 else {
                throw UsageError("--top needs a number of pairs above 0, not \"\(text)\"")
            }
            top = value
        }
        var stages = Course.stages.filter(kit.isAvailable)
        if let text = arguments.options["stage"] {
            let stage = try kit.stage(text)
            guard kit.isAvailable(stage) else { throw UsageError("stage \(stage.number) is not in this kit") }
            stages = [stage]
        }
        let submissions = URL(fileURLWithPath: submissionsPath).standardizedFileURL
        let out = URL(fileURLWithPath: outPath).standardizedFileURL
        let students = try SimilarityCommand.studentFolders(in: submissions)

        let started = Date()
        let check = SimilarityCheck()
        let stubs = stages.map { stage in
            (
                stage,
                Dictionary(
                    kit.pristineFiles(stage).map { ($0.name, $0.contents) }, uniquingKeysWith: { first, _ in first })
            )
        }
        let stageFiles = stages.map { (stage: $0, names: $0.files) }
        // Student → stage → file name → contents.
        var collected: [String: [Int: [String: Data]]] = [:]
        var notes: [String] = []
        for student in students {
            let found = SubmissionFiles.collect(
                from: submissions.appendingPathComponent(student), stageFiles: stageFiles)
            collected[student] = found.files
            notes += found.problems.sorted { $0.key < $1.key }.map { "\(student): stage \($0.key): \($0.value)" }
        }
        var pairs: [SimilarPair] = []
        var compared: [String] = []
        for (stage, stub) in stubs {
            var ofStage: [String: [String: Data]] = [:]
            for student in students { ofStage[student] = collected[student]?[stage.number] }
            let result = check.compare(stage: stage.number, stub: stub, submissions: ofStage.compactMapValues { $0 })
            pairs += result.pairs
            notes += result.notes.map { "stage \(stage.number): \($0)" }
            compared.append("stage \(stage.number): \(result.compared)")
        }
        pairs = SimilarityCheck.ranked(pairs)

        let stageText =
            stages.count == 1
            ? "stage \(stages[0].number)"
            : "stages \(stages.first!.number)–\(stages.last!.number)"
        let report = SimilarityReport(
            pairs: pairs, top: top,
            heading: "\(students.count) submissions in \(submissions.path), \(stageText)",
            winnowing: check.winnowing, notes: notes)
        do {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try Data(report.html.utf8).write(to: out.appendingPathComponent("similarity.html"))
            try Data(SimilarityReport.csv(pairs).utf8).write(to: out.appendingPathComponent("similarity.csv"))
        } catch {
            throw KitError("could not write the report to \(out.path): \(error.localizedDescription)")
        }

        print(
            "Compared \(students.count) submissions, \(stageText) (submissions that changed the stub: "
                + compared.joined(separator: ", ")
                + ") in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
        for note in notes { print(terminal.dim("  not compared: " + note)) }
        print("")
        if pairs.isEmpty {
            print(
                "No pair of submissions shares enough code to list (\(SimilarityReport.percent(check.floor))% of its fingerprints)."
            )
        } else {
            print(terminal.bold("Most similar pairs") + terminal.dim(" (A%: share of A's fingerprints B also has)"))
            let printed = pairs.prefix(SimilarityCommand.printedPairs)
            let width = printed.flatMap { [$0.first.student.count, $0.second.student.count] }.max() ?? 8
            for (index, pair) in printed.enumerated() {
                let percents =
                    "A " + pad(SimilarityReport.percent(pair.firstPercent) + "%", 5)
                    + "B " + pad(SimilarityReport.percent(pair.secondPercent) + "%", 5)
                print(
                    "  \(pad(String(index + 1) + ".", 4))stage \(pad(String(pair.stage), 3))"
                        + "\(pad(pair.first.student, width + 2))\(pad(pair.second.student, width + 2))\(percents)\(pair.matchedTokens) tokens"
                )
            }
        }
        print("")
        print(terminal.dim(SimilarityReport.caution))
        print("Wrote \(out.appendingPathComponent("similarity.html").path) and similarity.csv (\(pairs.count) pairs).")
        return 0
    }

    /// The class: every folder in `submissions` not starting with a dot, sorted.
    static func studentFolders(in submissions: URL) throws -> [String] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: submissions.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("there is no folder \(submissions.path) (--submissions)")
        }
        guard let names = try? fileManager.contentsOfDirectory(atPath: submissions.path) else {
            throw KitError("cannot read the folder \(submissions.path)")
        }
        let students = names.filter { name in
            var isFolder: ObjCBool = false
            let path = submissions.appendingPathComponent(name).path
            return !name.hasPrefix(".") && fileManager.fileExists(atPath: path, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
        guard students.count >= 2 else {
            throw KitError(
                "\(submissions.path) holds \(students.isEmpty ? "no submission folders" : "one submission folder"): "
                    + "comparing needs two or more (one folder per student)")
        }
        return students
    }
}
