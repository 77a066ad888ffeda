import Foundation
import NeuralKit

// `kit release`: the student edition, for instructors. Listed by `kit help` only where it can
// run, in the instructor's kit (with Solutions/); the student edition has no reference to release.

extension Command {
    static let release = Command(
        name: "release",
        summary: "Instructors: write the student edition (no reference code) as a new git repository.",
        details: """
            Writes the student edition of this kit to DIR (new or empty), a fresh git repository with \
            one commit: Package.swift, Sources/ (the core, kit with its stubs, the demos), Exercises/ \
            (the original stubs), Tests/StageTests/ with Recording/ (the reference's values for the \
            public seeds: `kit record` first runs every stage suite on the reference, a few minutes), \
            docs/ (without instructors.md), a README for students, .gitignore and LICENSE. Nothing of \
            Solutions/: it stops if a file would hold a line of a reference solution that is not in a stub.

            --stages: only these stages, each with the stages it builds on (every stage's stub stays in \
            Exercises/, so that the demos build; kit shows only the course's stages). --without-last-hints: \
            the edition's Course.swift leaves out each stage's last hint, which nearly gives the answer. \
            --classroom: a GitHub Classroom workflow that runs each stage's checks on every push.
            """,
        options: [
            Option("out", .path, "DIR", help: "the edition's folder (new or empty)"),
            Option("stages", .text, "LIST", help: "only these stages: 1-8, or 1,2,5 (default: all)"),
            .flag("without-last-hints", help: "kit hint does not show each stage's last hint"),
            .flag("classroom", help: "add .github/workflows/classroom.yml (GitHub Classroom autograding)"),
            Option("timeout", .number, "SECONDS", help: "for recording: the build and the checks (default 3600)"),
        ],
        maximumPositionals: 0,
        hidden: (try? Kit.locate())?.hasReference != true
    ) { arguments, kit in
        guard let out = arguments.options["out"] else {
            throw UsageError("where should the edition go? Give --out DIR")
        }
        guard kit.hasReference else {
            throw KitError(
                "kit release makes the student edition from the instructor's kit, and \(Kit.referenceIsInInstructorsEdition)."
            )
        }
        let stages = try StudentEdition.stages(arguments.options["stages"], in: kit)
        let timeout = try arguments.seconds("timeout", default: 3600)
        let folder = absoluteURL(out)
        try StudentEdition.checkOutputFolder(folder, kit: kit)

        var edition = StudentEdition(kit: kit, stages: stages)
        edition.withoutLastHints = arguments.flag("without-last-hints")
        edition.classroom = arguments.flag("classroom")
        edition.kitCommit = ReferenceRecording.gitCommit(of: kit.root)
        let terminal = kit.terminal

        // Everything but the recording first: a leak stops the release before the long recording.
        var tree = try edition.files()
        let leaks = try SolutionLines(kit: kit).find(in: tree)
        guard leaks.isEmpty else { throw ReleaseError.leaks(leaks) }

        // The recording: always a new one (public seeds), made from this kit as it is now.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kit-release-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        print(
            "Recording the reference's values for the public seeds (every stage suite on the reference; "
                + "the first time builds the kit in maintainers' mode, a few minutes)…")
        let outcome = try ReferenceRecording(packageRoot: kit.root)
            .record(into: scratch, salt: nil, timeout: timeout) { print(terminal.dim("  " + $0)) }
        guard outcome.succeeded else {
            printError(terminal.red("No recording, so no edition: \(outcome.problem):"))
            for line in outcome.failures { printError("  " + line) }
            return 1
        }
        let recording = RecordingFolder(scratch)
        try edition.check(recording, against: tree)
        let recorded = try edition.recordingFiles(recording, suites: tree)
        tree.merge(recorded) { $1 }

        // Write, check again with `kit leaks`' token check (an answer's body, however it is laid out),
        // then commit; a failure removes what was written.
        let existed = FileManager.default.fileExists(atPath: folder.path)
        let commit: String
        do {
            try StudentEdition.write(tree, to: folder)
            let bodies = try ReferenceLeaks.find(ReferenceLeaks.answers(inKitAt: kit.root), under: folder)
            guard bodies.isEmpty else { throw ReleaseError.bodies(bodies.map(\.description)) }
            commit = try StudentEdition.commit(folder, message: "NeuralKit student edition")
        } catch {
            if existed {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                    try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
                }
            } else {
                try? FileManager.default.removeItem(at: folder)
            }
            throw error
        }

        let values =
            (try? RecordingFolder(folder.appendingPathComponent(StudentEdition.recordingFolder)).manifestValues())
            ?? [:]
        print(
            terminal.green("\(terminal.pass) Wrote the student edition to \(folder.path)")
                + " (commit \(commit.prefix(12))).")
        print(
            "  Stages: " + stages.map { String($0.number) }.joined(separator: ", ")
                + (edition.withoutLastHints ? " · without the last hints" : "")
                + (edition.classroom ? " · GitHub Classroom workflow" : ""))
        print(
            "  \(tree.count) files; the recording holds \(values.values.reduce(0, +)) values of \(values.count) suite files"
                + (edition.kitCommit.map { " (kit \($0.prefix(12)))" } ?? "") + ".")
        print(
            "  Next: cd \(folder.path) && swift test (every check fails with \"not implemented yet\"), then push it "
                + "to a new repository: git remote add origin URL && git push -u origin main")
        return 0
    }
}

/// Why a release stopped.
enum ReleaseError: Error, CustomStringConvertible {
    case leaks([SolutionLines.Leak])
    /// What `ReferenceLeaks` (kit leaks) found: bodies of the reference's functions.
    case bodies([String])

    var description: String {
        switch self {
        case .leaks(let leaks):
            let shown = leaks.prefix(40).map { "  " + $0.description }.joined(separator: "\n")
            return
                "the edition would hold \(leaks.count) line\(leaks.count == 1 ? "" : "s") of the reference solutions "
                + "that \(leaks.count == 1 ? "is" : "are") not in the stubs, so nothing was written:\n\(shown)"
                + (leaks.count > 40 ? "\n  … and \(leaks.count - 40) more" : "")
                + "\nTake the reference's code out of these files (a suite asks the reference through `reference(...)`), "
                + "then release again."
        case .bodies(let places):
            return "the edition would hold code of the reference solutions (kit leaks), so nothing was kept:\n"
                + places.prefix(40).map { "  " + $0 }.joined(separator: "\n")
                + (places.count > 40 ? "\n  … and \(places.count - 40) more" : "")
                + "\nTake the reference's code out of these files, then release again."
        }
    }
}
