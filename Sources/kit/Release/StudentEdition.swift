import Foundation
import NeuralKit

/// The student edition of the kit, as `kit release` writes it: the kit without the reference
/// solutions, the maintainers' and the grader's own files, with the stubs as Exercises/ and a
/// recording of the reference's values for the public seeds in Tests/StageTests/Recording/.
struct StudentEdition {
    /// The instructor's kit it is made from.
    let kit: Kit
    /// The stages it holds, in course order.
    let stages: [Stage]
    var withoutLastHints = false
    /// With a GitHub Classroom workflow (.github/workflows/classroom.yml).
    var classroom = false
    /// The instructor's kit commit, when the kit is a git repository.
    var kitCommit: String?

    init(kit: Kit, stages: [Stage]) {
        self.kit = kit
        self.stages = stages.sorted { $0.number < $1.number }
    }

    var numbers: Set<Int> { Set(stages.map(\.number)) }

    /// Where the recording goes in the edition (the StageTests target excludes it: data, not sources).
    static let recordingFolder = "Tests/StageTests/Recording"

    // MARK: Which stages

    /// The stages named by `--stages` ("1-8", "1,2,5", "1-3,5"), or every stage of the kit.
    /// A stage whose prerequisites (`buildsOn`, transitively) are left out is a usage error.
    static func stages(_ text: String?, in kit: Kit) throws -> [Stage] {
        var numbers: Set<Int> = []
        if let text {
            for part in text.split(separator: ",", omittingEmptySubsequences: false).map({
                $0.trimmingCharacters(in: .whitespaces)
            }) {
                let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map {
                    Int($0.trimmingCharacters(in: .whitespaces))
                }
                guard (1...2).contains(bounds.count), let low = bounds.first ?? nil, let high = bounds.last ?? nil,
                    low <= high
                else {
                    throw UsageError(
                        "--stages \(text): \"\(part)\" is not a stage or a range (write e.g. --stages 1-8 or --stages 1,2,5)"
                    )
                }
                for number in low...high {
                    _ = try kit.stage(String(number))
                    numbers.insert(number)
                }
            }
        } else {
            numbers = Set(Course.stages.filter(kit.isAvailable).map(\.number))
        }
        let chosen = Course.stages.filter { numbers.contains($0.number) }
        for stage in chosen where !kit.isAvailable(stage) {
            throw UsageError(
                "stage \(stage.number) has no files in this kit yet (Exercises/\(stage.folder)/): leave it out of --stages"
            )
        }
        for stage in chosen {
            let missing = prerequisites(of: stage).filter { !numbers.contains($0) }
            if !missing.isEmpty {
                let list = missing.map(String.init).joined(separator: ", ")
                throw UsageError(
                    "stage \(stage.number) (\(stage.title)) builds on stage\(missing.count == 1 ? "" : "s") \(list), "
                        + "which --stages leaves out: add \(missing.count == 1 ? "it" : "them"), e.g. --stages "
                        + compact(numbers.union(missing)))
            }
        }
        return chosen
    }

    /// Every stage `stage` builds on, directly or through others, in order.
    static func prerequisites(of stage: Stage) -> [Int] {
        var found: Set<Int> = []
        var pending = stage.buildsOn
        while let next = pending.popLast() {
            if found.insert(next).inserted { pending += Course.stage(next)?.buildsOn ?? [] }
        }
        return found.sorted()
    }

    /// [1, 2, 3, 5] → "1-3,5".
    static func compact(_ numbers: Set<Int>) -> String {
        var parts: [String] = []
        var run: [Int] = []
        func flush() {
            guard let first = run.first, let last = run.last else { return }
            parts.append(first == last ? "\(first)" : first + 1 == last ? "\(first),\(last)" : "\(first)-\(last)")
            run = []
        }
        for number in numbers.sorted() {
            if let last = run.last, number != last + 1 { flush() }
            run.append(number)
        }
        flush()
        return parts.joined(separator: ",")
    }

    // MARK: The files

    /// Every file of the edition (relative path → contents), the recording's aside.
    func files() throws -> [String: Data] {
        var tree: [String: Data] = [:]
        for name in ["Package.swift", "LICENSE", ".gitignore"] {
            guard let data = try? Data(contentsOf: kit.url(name)) else { throw KitError("the kit has no \(name)") }
            tree[name] = data
        }
        tree["Package.swift"] = try Kit.manifestWithoutReference(tree["Package.swift"]!)
        for folder in [
            "Sources/NeuralKit", "Sources/CZlib", "Sources/KitCommandLine", "Sources/kit", "Sources/kit-demos",
        ] {
            guard kit.exists(folder) else { throw KitError("the kit has no \(folder)/") }
            try GradingWorkspace.read(kit.url(folder), as: folder, into: &tree) { _ in true }
        }
        // Every stage's stub, also of the stages the edition leaves out: the kit's demos are built with
        // every stage's declarations. `kit` shows only the edition's stages (`.kit-edition.json`).
        for stage in Course.stages where kit.isAvailable(stage) {
            let stubs = kit.pristineFiles(stage)
            guard !stubs.isEmpty else {
                throw KitError(
                    "the original stub of stage \(stage.number) is missing (\(Kit.stubsFolder)/\(stage.folder)/)")
            }
            for stub in stubs { tree["Exercises/\(stage.folder)/\(stub.name)"] = stub.contents }
        }
        try GradingWorkspace.read(kit.url("Tests/StageTests"), as: "Tests/StageTests", into: &tree) { path in
            !path.hasPrefix(StudentEdition.recordingFolder + "/")
                && !path.hasPrefix(GradingWorkspace.hiddenFolder + "/")
                && includes(path)
        }
        try GradingWorkspace.read(kit.url("docs"), as: "docs", into: &tree) { path in
            path != "docs/instructors.md" && includes(path)
        }
        if let index = tree["docs/README.md"] {
            tree["docs/README.md"] = Data(docsIndex(String(decoding: index, as: UTF8.self)).utf8)
        }
        if withoutLastHints {
            let manifest = "Sources/NeuralKit/Course/Course.swift"
            guard let source = tree[manifest] else { throw KitError("the kit has no \(manifest)") }
            tree[manifest] = Data(try StudentEdition.withoutLastHints(String(decoding: source, as: UTF8.self)).utf8)
        }
        tree["README.md"] = Data(readme.utf8)
        tree[EditionSettings.fileName] =
            EditionSettings(
                stages: stages.map(\.number), withoutLastHints: withoutLastHints,
                kitCommit: kitCommit
            ).data
        if classroom { tree[".github/workflows/classroom.yml"] = Data(classroomWorkflow.utf8) }
        return tree
    }

    /// Whether a file of a stage left out (its suites "StageNN…" and "BonusNN…", walkthrough "docs/NN-….md") is
    /// kept: only when its stage is in the edition. (Every stage's stub is kept: see `files()`.)
    func includes(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        let components = path.split(separator: "/").map(String.init)
        if path.hasPrefix("Tests/StageTests/"), name.hasPrefix("Stage") || name.hasPrefix("Bonus"),
            let stage = Course.stage(containing: name)
        {
            return numbers.contains(stage.number)
        }
        if path.hasPrefix("docs/"), components.count == 2, name.hasSuffix(".md"),
            let stage = Course.stage(containing: name)
        {
            return numbers.contains(stage.number)
        }
        return true
    }

    /// The recording's files for the edition's suites, under Tests/StageTests/Recording/: the
    /// values of suite files that are not in the edition (other stages, hidden suites) are left out.
    func recordingFiles(_ recording: RecordingFolder, suites tree: [String: Data]) throws -> [String: Data] {
        let prefix = "Tests/StageTests/"
        let sources = Set(
            tree.keys.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".swift") }.map {
                String($0.dropFirst(prefix.count))
            })
        let names = Set(sources.map { ($0 as NSString).lastPathComponent })
        var files: [String: Data] = [:]
        for (name, data) in try recording.files(
            keepingValuesOf: { names.contains($0) }, sources: { sources.contains($0) })
        {
            files[StudentEdition.recordingFolder + "/" + name] = data
        }
        return files
    }

    /// Checks that `recording` was made with the public seeds from exactly the suites in `tree`.
    func check(_ recording: RecordingFolder, against tree: [String: Data]) throws {
        let salt = try recording.salt()
        guard salt == "public" else {
            throw KitError(
                "the recording in \(recording.url.path) was made with a grading salt; the edition needs the "
                    + "public seeds: record without --salt")
        }
        let recorded = try recording.sources()
        let prefix = "Tests/StageTests/"
        for (path, data) in tree.sorted(by: { $0.key < $1.key })
        where path.hasPrefix(prefix) && path.hasSuffix(".swift") {
            let relative = String(path.dropFirst(prefix.count))
            guard let fingerprint = recorded[relative] else {
                throw KitError(
                    "the recording in \(recording.url.path) was made without \(path): record again from these suites")
            }
            guard fingerprint == SHA256.hex(data) else {
                throw KitError(
                    "the recording in \(recording.url.path) was made from another version of \(path): "
                        + "record again from these suites")
            }
        }
    }

    /// docs/README.md with only the edition's stages in its table, and without the line on
    /// instructors.md (not in the edition).
    func docsIndex(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        if let start = lines.firstIndex(where: { $0.hasPrefix("<!-- stages") }),
            let end = lines[start...].firstIndex(where: { $0.hasPrefix("<!-- end stages") })
        {
            let table = Course.markdownIndex.components(separatedBy: "\n").filter { row in
                let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let first = cells.first, let number = Int(first) else { return true }
                return numbers.contains(number)
            }
            lines.replaceSubrange((start + 1)..<end, with: table)
        }
        var result: [String] = []
        var skipping = false
        for line in lines {
            if line.hasPrefix("- "), line.contains("instructors.md") {
                skipping = true
                continue
            }
            if skipping, line.hasPrefix("  "), !line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            skipping = false
            result.append(line)
        }
        return result.joined(separator: "\n")
    }

    // MARK: Hints

    /// The course manifest's source without each stage's last hint (the one that nearly gives the
    /// answer), so that the edition does not hold its text at all. In Course.swift a stage's hints
    /// are `hints: [` on a line of its own, one string expression per hint starting on a line
    /// indented four more (continuations deeper, after `+`), and `],` at `hints:`' indentation.
    static func withoutLastHints(_ source: String) throws -> String {
        var lines = source.components(separatedBy: "\n")
        var index = 0
        var removed = 0
        func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        while index < lines.count {
            guard lines[index].trimmingCharacters(in: .whitespaces) == "hints: [" else {
                index += 1
                continue
            }
            let indent = indentation(lines[index])
            guard
                let end = lines[(index + 1)...].firstIndex(where: {
                    indentation($0) == indent && $0.trimmingCharacters(in: .whitespaces) == "],"
                })
            else { throw KitError("Course.swift line \(index + 1): the hints' list has no `],` at its indentation") }
            let starts = ((index + 1)..<end).filter {
                indentation(lines[$0]) == indent + 4 && lines[$0].dropFirst(indent + 4).hasPrefix("\"")
            }
            guard starts.count >= 2, let last = starts.last else {
                throw KitError(
                    "Course.swift line \(index + 1): a stage has fewer than two hints, or they are not one string a line"
                )
            }
            lines.removeSubrange(last..<end)
            removed += 1
            index = last + 1
        }
        guard removed == Course.stages.count else {
            throw KitError(
                "Course.swift: found \(removed) lists of hints for \(Course.stages.count) stages; cannot leave out the last hints"
            )
        }
        return lines.joined(separator: "\n")
    }

    // MARK: README

    /// A sentence on the stubs of the stages the edition leaves out, which stay in Exercises/.
    private var leftOutNote: String {
        let left = Course.stages.filter { kit.isAvailable($0) && !numbers.contains($0.number) }
        guard !left.isEmpty else { return "" }
        let list = left.map { "`Exercises/\($0.folder)/`" }.joined(separator: ", ")
        return "This course leaves out \(left.count == 1 ? "stage" : "stages") "
            + StudentEdition.compact(Set(left.map(\.number))).replacingOccurrences(of: ",", with: ", ")
            + ": \(list) only hold\(left.count == 1 ? "s" : "") the original stub\(left.count == 1 ? "" : "s"), "
            + "which the kit's demos are built with. There is nothing to write there.\n\n"
    }

    private var classroomNote: String {
        guard classroom else { return "" }
        return "\n\nEach push to GitHub runs every stage's checks (the Actions tab shows each stage as a test).\n"
            + "Your grade comes from your instructor's grading, not from that run."
    }

    var readme: String {
        let first = stages.first ?? Course.stages[0]
        let rows = stages.map { stage in
            let builds = stage.buildsOn.isEmpty ? "—" : stage.buildsOn.map(String.init).joined(separator: ", ")
            let file =
                stage.files.count > 1
                ? "`\(stage.exerciseLocation)` (\(stage.files.count) files; start with `\(stage.files[0])`)"
                : "`\(stage.exerciseLocation)`"
            return "| \(stage.number) | [\(stage.title)](\(kit.walkthrough(stage))) | \(file) | \(builds) |"
        }
        let count =
            stages.count == Course.stages.count
            ? "all \(stages.count) stages"
            : "stages \(StudentEdition.compact(numbers).replacingOccurrences(of: ",", with: ", "))"
        return """
            # NeuralKit

            Learn neural networks from scratch, in Swift. You write the pieces yourself, stage by
            stage, and the kit's checks tell you in plain words what works, what is wrong and what to
            try next. This edition holds \(count).

            ## Start

            You need Swift 6.0 or later (Linux: also zlib's headers, `sudo apt-get install zlib1g-dev`).

            ```
            swift test                   # every stage's checks: on a fresh copy each says what to write
            swift run kit                # your progress and the next step
            ```

            Open `\(first.exercisePaths[0])`, read [\(kit.walkthrough(first))](\(kit.walkthrough(first))), replace each
            `return notImplemented(...)` with your code, and check one stage at a time:

            ```
            \(pad("swift run kit check \(first.number)", 28) + " # stage \(first.number)'s checks, the first failure and a hint")
            \(pad("swift run kit hint \(first.number)", 28) + " # the next hint of stage \(first.number)")
            \(pad("swift test --filter Stage\(first.twoDigits)", 28) + " # the required checks, as Swift prints them")
            ```

            ## The stages

            | Stage | Walkthrough | Your file | Builds on |
            |---|---|---|---|
            \(rows.joined(separator: "\n"))

            A check compares your code with the reference solution on random inputs, with the
            walkthrough's worked examples and with finite-difference gradients, always within a
            tolerance: any correct implementation passes. [docs/](docs/README.md) has every walkthrough.

            ## The `kit` command

            `swift run kit help` lists the commands; `swift run kit help check` explains one. The ones you
            will use most: `kit check N`, `kit hint N`, `kit watch` (checks again each time you save),
            `kit run N` (the stage's demo on your code), `kit reset N` (the original stub back; yours is
            saved in `Saved/`) and `swift run -c release kit train --student` (train your network).

            \(leftOutNote)This edition has no reference solutions: the checks compare your code with values recorded
            from the reference (`\(StudentEdition.recordingFolder)/`; do not edit anything under `Tests/`).
            Commands that need the reference say so: `kit solution` and `kit run N --reference` are in
            the instructor's edition, and `kit train` trains your own code.\(classroomNote)

            ## Keep your work private

            Your answers are your own work: do not publish them. A fork of a public repository is public,
            so make a private copy instead, or work in the private repository your instructor gives you.
            `.gitignore` keeps `.build/`, `.kit/` (your progress), `Saved/`, `runs/` and `data/` out of
            your commits.

            ## License

            MIT (see `LICENSE`).

            """
    }

    // MARK: GitHub Classroom

    /// The Docker image of the toolchain the kit is built with here ("swift:6.3"), for the workflow.
    static func swiftImage(kit: Kit) -> String {
        if let result = try? Shell.capture(["swift", "--version"], in: kit.root), result.status == 0,
            let range = result.output.range(of: #"Swift version [0-9]+\.[0-9]+"#, options: .regularExpression)
        {
            return "swift:" + String(result.output[range].dropFirst("Swift version ".count))
        }
        return "swift:latest"
    }

    var classroomWorkflow: String {
        let steps = stages.map { stage in
            """
                  - name: \(stage.heading)
                    id: stage-\(stage.twoDigits)
                    uses: classroom-resources/autograding-command-grader@v1
                    with:
                      test-name: \(stage.heading)
                      command: swift test --filter 'StageTests\\.\(stage.filter)'
                      timeout: 20
                      max-score: 1
            """
        }
        let results = stages.map {
            "          STAGE-\($0.twoDigits)_RESULTS: \"${{steps.stage-\($0.twoDigits).outputs.result}}\""
        }
        return """
            # GitHub Classroom autograding for the NeuralKit student edition (written by `kit release --classroom`).
            #
            # On every push, each stage's checks run as a separate test (`swift test --filter StageNN`,
            # the optional bonus checks left out), so the Actions log and GitHub Classroom show which
            # stages pass. Each test is worth 1 point: a pass/fail marker per stage, not a grade.
            #
            # The grade still comes from `swift run kit grade` in the instructor's kit, which runs the
            # hidden checks with secret seeds, each stage on top of the reference versions of the stages
            # it builds on, with time and memory limits (see docs/instructors.md in the instructor's kit).
            name: Autograding Tests
            on:
              - push
              - repository_dispatch
            permissions:
              checks: write
              actions: read
              contents: read
            jobs:
              run-autograding-tests:
                runs-on: ubuntu-latest
                if: github.actor != 'github-classroom[bot]'
                # The Swift toolchain the edition was made with; change it to the one your course uses.
                container: \(StudentEdition.swiftImage(kit: kit))
                steps:
                  - name: Checkout code
                    uses: actions/checkout@v4
                  - name: Install zlib's headers
                    run: apt-get update -qq && apt-get install -y -qq zlib1g-dev
                  - name: Build the kit and the checks
                    # A stage that does not compile fails every test below, which say why; the report still runs.
                    continue-on-error: true
                    run: swift build --build-tests
            \(steps.joined(separator: "\n"))
                  - name: Autograding Reporter
                    if: always()
                    uses: classroom-resources/autograding-grading-reporter@v1
                    env:
            \(results.joined(separator: "\n"))
                    with:
                      runners: \(stages.map { "stage-\($0.twoDigits)" }.joined(separator: ","))

            """
    }

    // MARK: Writing

    /// Writes `tree` into `folder`, which must not exist or be empty.
    static func write(_ tree: [String: Data], to folder: URL) throws {
        let fileManager = FileManager.default
        for (path, data) in tree.sorted(by: { $0.key < $1.key }) {
            let url = folder.appendingPathComponent(path)
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }

    /// Refuses an output folder that exists and is not empty, or that lies inside the kit.
    static func checkOutputFolder(_ folder: URL, kit: Kit) throws {
        let root = kit.root.standardizedFileURL.path
        if folder.path == root || folder.path.hasPrefix(root + "/") {
            throw KitError(
                "--out \(folder.path) is inside the kit: write the edition outside it, e.g. --out ../NeuralKit-edition")
        }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw KitError("--out \(folder.path) is a file: give a new or empty folder")
        }
        guard try fileManager.contentsOfDirectory(atPath: folder.path).isEmpty else {
            throw KitError("--out \(folder.path) is not empty: give a new or empty folder (nothing in it is replaced)")
        }
    }

    /// `git init`, add everything, one commit. Returns the commit's hash.
    static func commit(_ folder: URL, message: String) throws -> String {
        guard Shell.which("git") != nil else {
            throw KitError("git is not in PATH: the edition is written, but not committed")
        }
        func git(_ arguments: [String]) throws -> String {
            let result = try Shell.capture(["git"] + arguments, in: folder)
            guard result.status == 0 else {
                throw KitError("git \(arguments.joined(separator: " ")) failed in \(folder.path):\n\(result.output)")
            }
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try git(["-c", "init.defaultBranch=main", "init", "-q"])
        _ = try git(["add", "-A"])
        // The instructor's own name when git has one; a neutral author otherwise.
        let name = try? git(["config", "user.name"])
        let email = try? git(["config", "user.email"])
        let author =
            (name ?? "").isEmpty || (email ?? "").isEmpty
            ? ["-c", "user.name=NeuralKit", "-c", "user.email=neuralkit@example.invalid"] : []
        _ = try git(author + ["commit", "-q", "-m", message])
        return try git(["rev-parse", "HEAD"])
    }
}
