import Foundation
import NeuralKit

// Commands for the kit's maintainers, hidden from `kit help`.

extension Command {
    static let index = Command(
        name: "index", summary: "Print the stages as a Markdown table (for the docs index).",
        maximumPositionals: 0, hidden: true
    ) { _, _ in
        print(Course.markdownIndex)
        return 0
    }

    static let stubs = Command(
        name: "stubs",
        summary: "Compare Sources/kit/Stubs/ (what `kit reset` puts back) with Exercises/, or update it.",
        details: """
            Maintainers: after changing a stub in Exercises/, run `swift run kit stubs --update` \
            and commit Sources/kit/Stubs/ with it. Without --update, lists the differences and exits 1 if any.
            """,
        options: [.flag("update", help: "copy every stage's files from Exercises/ to Sources/kit/Stubs/")],
        maximumPositionals: 0, hidden: true
    ) { arguments, kit in
        var differences = 0
        let fileManager = FileManager.default
        for stage in Course.stages where kit.isAvailable(stage) {
            let source = kit.url("Exercises/\(stage.folder)")
            let target = kit.url("\(Kit.stubsFolder)/\(stage.folder)")
            let names = ((try? fileManager.contentsOfDirectory(atPath: source.path)) ?? []).filter {
                $0.hasSuffix(".swift")
            }.sorted()
            let stored = Set(kit.pristineFiles(stage).map(\.name))
            for name in names {
                let current = try Data(contentsOf: source.appendingPathComponent(name))
                if kit.pristineFiles(stage).first(where: { $0.name == name })?.contents == current { continue }
                differences += 1
                print(
                    "\(arguments.flag("update") ? "updating" : "differs"): \(Kit.stubsFolder)/\(stage.folder)/\(name)")
                if arguments.flag("update") {
                    try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
                    try current.write(to: target.appendingPathComponent(name))
                }
            }
            for name in stored.subtracting(names).sorted() {
                differences += 1
                print(
                    "\(arguments.flag("update") ? "removing" : "only in \(Kit.stubsFolder)"): \(stage.folder)/\(name)")
                if arguments.flag("update") { try fileManager.removeItem(at: target.appendingPathComponent(name)) }
            }
        }
        if differences == 0 { print("\(Kit.stubsFolder)/ matches Exercises/.") }
        return differences == 0 || arguments.flag("update") ? 0 : 1
    }

    static let fixtures = Command(
        name: "fixtures",
        summary: "Build the grader's sample submissions from their descriptions (for kit grade's own tests).",
        details: """
            Each folder of Tests/GraderFixtures/submissions/ describes a sample submission in its \
            fixture.json: the stages taken from Solutions/ as they are, the stages left as stubs, \
            small edits of the reference (each must match its file exactly once, so a changed \
            reference is caught), and beside it the few files that are the student's own. This \
            writes the real submissions to DIR, one folder each, for `kit grade --submissions DIR`. \
            DIR must be new, empty, or written by an earlier run. Without --out, only checks \
            that every description builds. See docs/instructors.md, "The grader's own tests".
            """,
        options: [
            Option("out", .path, "DIR", help: "where the submissions are written"),
            Option("submissions", .path, "DIR", help: "the descriptions (default \(SampleSubmissions.folder))"),
        ],
        maximumPositionals: 0, hidden: true
    ) { arguments, kit in
        let source =
            arguments.options["submissions"].map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? kit.url(SampleSubmissions.folder)
        let samples = SampleSubmissions(kit: kit)
        guard let out = arguments.options["out"] else {
            let names = try SampleSubmissions.names(in: source)
            _ = try samples.buildAll(from: source, names: names)
            print("Every description builds (\(names.count) sample submissions in \(source.path)).")
            return 0
        }
        let target = URL(fileURLWithPath: out).standardizedFileURL
        let written = try samples.write(from: source, to: target)
        for entry in written {
            print(
                "  \(entry.name): \(entry.files) stage file\(entry.files == 1 ? "" : "s")"
                    + (entry.edits == 0 ? "" : ", \(entry.edits) edit\(entry.edits == 1 ? "" : "s")"))
        }
        print("Wrote \(written.count) sample submissions to \(target.path).")
        return 0
    }
}

extension Command {
    static let validate = Command(
        name: "validate",
        summary: "Check that every stage's folders, stubs, suite, walkthrough, demo and rubric agree.",
        maximumPositionals: 0, hidden: true
    ) { _, kit in
        let problems = CourseValidator(root: kit.root).problems()
        for problem in problems { print(problem) }
        if problems.isEmpty { print("The \(Course.stages.count) stages agree with the manifest (Course.swift).") }
        return problems.isEmpty ? 0 : 1
    }
}
