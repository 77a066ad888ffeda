import Foundation
import NeuralKit
import TestSupport
import Testing

@testable import kit

let fixtures = packageRoot.appendingPathComponent("Tests/GraderFixtures")

// MARK: Rubric

@Suite("grader · rubric")
struct RubricTests {
    @Test(
        "the course's rubric: 1.25 a stage for the quizzes, stage 9 two quizzes, stage 10 worth 4, extras 4, capped at 20"
    )
    func courseRubric() {
        let rubric = Rubric.course
        #expect(rubric.cap == 20)
        for stage in 1...8 { #expect(rubric.stage(stage).points == 1.25, "stage \(stage)") }
        #expect(rubric.stage(9).points == 2.5)
        #expect(rubric.stage(10).points == 4)
        let quizzes = (1...9).reduce(0) { $0 + rubric.stage($1).points }
        #expect(abs(quizzes - 12.5) < 1e-9)
        let extras = rubric.stages.values.reduce(0) { $0 + $1.bonus }
        #expect(abs(extras - Rubric.extrasPoints) < 0.01)
        #expect(rubric.maximum == 20)
    }

    @Test("a rubric file overrides the stages it lists; the others keep the course's points")
    func parsing() throws {
        let rubric = try Rubric.parse(
            Data(
                """
                {"cap": null, "hiddenChecks": "show",
                 "stages": {"2": {"points": 3, "bonus": 1,
                                  "checks": {"dense forward of the walkthrough's example": 2,
                                             "backwardWorkedExample()": {"weight": 3, "parts": ["∂L/∂W", "∂L/∂b"]}}}}}
                """.utf8))
        #expect(rubric.cap == nil)
        #expect(rubric.hiddenChecks == .show)
        #expect(rubric.stage(2).points == 3 && rubric.stage(2).bonus == 1)
        #expect(rubric.stage(2).checks["dense forward of the walkthrough's example"] == Rubric.CheckWeight(weight: 2))
        #expect(
            rubric.stage(2).checks["backwardWorkedExample()"]
                == Rubric.CheckWeight(weight: 3, parts: ["∂L/∂W", "∂L/∂b"]))
        #expect(rubric.stage(1) == Rubric.course.stage(1))
        // What --print-rubric writes reads back the same.
        #expect(try Rubric.parse(Data(rubric.json.utf8)) == rubric)
        #expect(try Rubric.parse(Data(Rubric.course.json.utf8)) == Rubric.course)
    }

    @Test(
        "a wrong rubric file is refused with a message that names the problem",
        arguments: [
            (#"[1, 2]"#, "not a JSON object"),
            (#"{"stage": {}}"#, "unknown key \"stage\""),
            (#"{"stages": {"42": {"points": 1}}}"#, "no stage \"42\""),
            (#"{"stages": {"2": {"points": -1}}}"#, "\"points\" must be a number ≥ 0"),
            (#"{"stages": {"2": {"checks": {"x": "heavy"}}}}"#, "must be a weight"),
            (#"{"hiddenChecks": "reveal"}"#, "\"count\" or \"show\""),
        ])
    func errors(text: String, expected: String) {
        do {
            _ = try Rubric.parse(Data(text.utf8))
            Issue.record("\(text) was accepted")
        } catch let error as KitError {
            #expect(error.message.contains(expected), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    func check(_ name: String, passed: Bool, messages: [String] = [], parts: [String?]? = nil, bonus: Bool = false)
        -> CheckOutcome
    {
        CheckOutcome(
            id: "StageTests.Stage02DenseLayer/\(name)()/x.swift:1:1", name: name, stage: 2, isBonus: bonus,
            isHidden: false, status: passed ? .passed : .failed, messages: messages,
            parts: parts ?? Array(repeating: nil, count: messages.count))
    }

    @Test("points are shared by weight; a check with parts earns the parts no issue is marked with")
    func scoring() throws {
        let rubric = try Rubric.parse(
            Data(
                """
                {"stages": {"2": {"points": 4, "checks": {"a": 2, "b": {"weight": 1, "parts": ["dW", "db", "dx"]}}}}}
                """.utf8))
        let checks = [
            check("a", passed: true),
            check("b", passed: false, messages: ["dW has shape [3, 5], expected [5, 3]"], parts: ["dW"]),
            check("c", passed: false, messages: ["not implemented yet"]),
        ]
        let scores = rubric.score(checks, sharing: 4)
        #expect(scores.map(\.maximum) == [2, 1, 1])
        #expect(abs(scores[0].earned - 2) < 1e-9)
        #expect(abs(scores[1].earned - 2.0 / 3) < 1e-9)
        #expect(scores[2].earned == 0)
        // An issue with no mark (the stub) earns nothing, even with parts; so does a mark the rubric does not list.
        #expect(
            Rubric.fraction(check("b", passed: false, messages: ["b is not implemented yet"]), parts: ["dW", "db"]) == 0
        )
        #expect(
            Rubric.fraction(check("b", passed: false, messages: ["dW differs"], parts: ["dZ"]), parts: ["dW", "db"])
                == 0)
        // Two issues marked with two of three parts; the words of a message do not count, its mark does.
        #expect(
            abs(
                Rubric.fraction(
                    check(
                        "b", passed: false, messages: ["dW differs", "dx and db differ at [0, 1]"], parts: ["dW", "dx"]),
                    parts: ["dW", "db", "dx"]) - 1.0 / 3) < 1e-9)
        // A crashed check earns nothing.
        var crashed = check("b", passed: false, messages: ["crashed"])
        crashed.status = .crashed
        #expect(Rubric.fraction(crashed, parts: ["crashed"]) == 0)
    }

    @Test(
        "the event stream's documented fields give each issue its text and its part's mark, and each check its file ID")
    func eventStream() {
        let id = "StageTests.Stage02DenseLayer/backwardWorkedExample()/Stage02DenseLayerTests.swift:70:6"
        let lines = [
            #"{"version":0,"kind":"test","payload":{"kind":"function","name":"backwardWorkedExample()","displayName":"dense backward","#
                + #""sourceLocation":{"fileID":"StageTests/Stage02DenseLayerTests.swift","line":70,"column":6},"id":"\#(id)","isParameterized":false}}"#,
            #"{"version":0,"kind":"event","payload":{"kind":"testStarted","instant":{"absolute":1,"since1970":1},"messages":[],"testID":"\#(id)"}}"#,
            #"{"version":0,"kind":"event","payload":{"kind":"issueRecorded","instant":{"absolute":1,"since1970":1},"#
                + #""issue":{"isKnown":false},"messages":[{"symbol":"fail","text":"Issue recorded"},"#
                + #"{"symbol":"details","text":"∂L/∂W differs at [0, 1]\n(part ∂L/∂W)"}],"testID":"\#(id)"}}"#,
            #"{"version":0,"kind":"event","payload":{"kind":"issueRecorded","instant":{"absolute":1,"since1970":1},"#
                + #""issue":{"isKnown":false},"messages":[{"symbol":"fail","text":"Caught error: `relu` is not implemented yet"}],"testID":"\#(id)"}}"#,
            #"{"version":0,"kind":"event","payload":{"kind":"testEnded","instant":{"absolute":1,"since1970":1},"messages":[],"testID":"\#(id)"}}"#,
            #"{"version":0,"kind":"event","payload":{"kind":"testEnded""#, // cut short by a crash: skipped
        ]
        let run = CheckRunner.parse(events: lines.joined(separator: "\n"))
        #expect(run.checks.count == 1)
        let check = run.checks[0]
        #expect(
            check.name == "dense backward" && check.fileID == "StageTests/Stage02DenseLayerTests.swift" && check.ended)
        #expect(check.issues == ["∂L/∂W differs at [0, 1]", "`relu` is not implemented yet"])
        #expect(check.issueParts == ["∂L/∂W", nil])
    }
}

@Suite("grader · expected scores (--expect)")
struct ExpectTests {
    @Test("a difference in a stage, the bonus, the total or the status fails; a match passes")
    func compare() throws {
        let command = GradeCommand(
            arguments: try Arguments([], for: .grade), kit: Kit(root: packageRoot, terminal: Terminal(colour: false)))
        var grade = sampleGrade()
        grade = SubmissionGrade(student: "ada", stages: grade.stages, seconds: 1)
        grade.score(with: .course)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("expected-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        func write(_ stage1: Double, status: String) throws {
            let expected = ExpectedScoresFile(submissions: [
                "ada": ExpectedScores(stages: ["1": stage1, "2": 0], status: status)
            ])
            try JSONEncoder().encode(expected).write(to: file)
        }
        try write(grade.stages[0].points, status: grade.status)
        #expect(try command.compare([grade], with: file, rubric: .course))
        try write(1.25, status: grade.status)
        #expect(try !command.compare([grade], with: file, rubric: .course))
        try write(grade.stages[0].points, status: "ok")
        #expect(try !command.compare([grade], with: file, rubric: .course))
    }
}

// MARK: Scanner

@Suite("grader · source scanner")
struct ScannerTests {
    @Test("every reference solution and every stub passes the scan")
    func referenceAndStubsAreClean() throws {
        for folder in ["Solutions", "Sources/kit/Stubs", "Exercises"] {
            let root = packageRoot.appendingPathComponent(folder)
            let files =
                FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter {
                    $0.hasSuffix(".swift")
                } ?? []
            #expect(!files.isEmpty, "\(folder)")
            for file in files {
                let findings = SourceScanner.scan(
                    try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8))
                #expect(findings.isEmpty, "\(folder)/\(file): \(findings)")
            }
        }
    }

    @Test(
        "ways around the module system, to files or to processes are found",
        arguments: [
            ("import Solutions", "import Solutions"),
            ("@testable import Exercises", "import Exercises"),
            ("import struct Solutions.Dense", "import Solutions"),
            ("import Testing", "import Testing"),
            ("let d = Solutions.Dense(inputs: 1, outputs: 1)", "Solutions"),
            ("@_silgen_name(\"$s9Solutions4relu\") func relu(_ x: Tensor) -> Tensor", "@_silgen_name"),
            ("@_cdecl(\"relu\") public func relu() {}", "@_cdecl"),
            ("@_dynamicReplacement(for: relu) func mine() {}", "@_dynamicReplacement"),
            ("let handle = dlopen(nil, RTLD_NOW)", "dlopen"),
            ("let f = dlsym(handle, \"x\")", "dlsym"),
            ("let g = unsafeBitCast(f, to: F.self)", "unsafeBitCast"),
            ("let p = Process()", "Process"),
            ("_ = system(\"rm -rf /\")", "system("),
            ("_ = Glibc.system(\"ls\")", "system("),
            ("let s = try String(contentsOf: url)", "contentsOf:"),
            ("try data.write(to: url)", ".write(to:"),
            ("FileManager.default.removeItem(atPath: p)", "FileManager"),
            ("let fd = open(\"/etc/passwd\", O_RDONLY)", "open("),
            ("let salt = ProcessInfo.processInfo.environment[\"NEURALKIT_GRADING_SALT\"]", "ProcessInfo"),
            ("let v = getenv(\"HOME\")", "getenv"),
            ("kill(getppid(), SIGKILL)", "kill"),
            ("let s = \"value \\(dlsym(nil, \"x\"))\"", "dlsym"),
            ("let s = #\"raw \\#(Process())\"#", "Process"),
            ("exit(0)", "exit("),
            ("let `Process` = 1", "Process"),
        ])
    func forbidden(source: String, construct: String) {
        let findings = SourceScanner.scan("import NeuralKit\n\n" + source + "\n")
        #expect(findings.contains { $0.construct == construct && $0.line == 3 }, "\(findings)")
    }

    @Test("ordinary code, comments and strings are not flagged")
    func allowed() {
        let source = #"""
            import Foundation
            import NeuralKit
            #if canImport(Glibc)
            import Glibc
            #endif

            // The reference (Solutions/) uses dlopen? No: this comment says Process and FileManager.
            /* a block comment: import Solutions /* nested */ system("x") */
            public func relu(_ x: Tensor) -> Tensor {
                var values = [1, 2, 3]
                values.remove(at: 0)
                let signal = x.map { max($0, 0) }
                let text = "Solutions, dlsym and FileManager in a string; \(values.count) values"
                let multi = """
                    Process() in a "multi-line" string
                    """
                _ = (text, multi)
                return signal
            }
            open class Layered {}
            func read(_ x: Tensor) -> Tensor { x }
            let again = read(Tensor([1]))
            public func exitCode(of x: Tensor) -> Int { x.count }
            """#
        #expect(SourceScanner.scan(source) == [])
    }
}

// MARK: Sample submissions (kit fixtures)

let packageKit = Kit(root: packageRoot, terminal: Terminal(colour: false))

@Suite("grader · sample submissions built from their descriptions")
struct SampleSubmissionTests {
    let source = fixtures.appendingPathComponent("submissions")

    @Test(
        "every description builds, every edit changes its reference file, and expected.json lists exactly these submissions"
    )
    func descriptionsBuild() throws {
        let names = try SampleSubmissions.names(in: source)
        let expected = try JSONDecoder().decode(
            ExpectedScoresFile.self,
            from: Data(contentsOf: fixtures.appendingPathComponent("expected.json")))
        #expect(Set(names) == Set(expected.submissions.keys))
        let samples = SampleSubmissions(kit: packageKit)
        for name in names {
            let folder = source.appendingPathComponent(name)
            let tree = try samples.build(folder)
            let description = try SampleSubmissions.parse(
                Data(contentsOf: folder.appendingPathComponent("fixture.json")), in: name)
            let exercises = description.root.isEmpty ? "Exercises" : description.root + "/Exercises"
            for number in description.solutions + description.stubs {
                let stage = try #require(Course.stage(number))
                #expect(
                    tree.keys.contains { $0.hasPrefix("\(exercises)/\(stage.folder)/") }, "\(name): stage \(number)")
            }
            for file in Set(description.edits.map(\.file)) {
                let reference = try Data(contentsOf: packageRoot.appendingPathComponent("Solutions/\(file)"))
                #expect(tree["\(exercises)/\(file)"] != reference, "\(name): \(file) is still the reference")
            }
            // Stage files copied as they are, not edited: the same bytes as Solutions/.
            for (path, contents) in tree where path.hasPrefix(exercises + "/") {
                let file = String(path.dropFirst(exercises.count + 1))
                guard let number = Course.stages.first(where: { file.hasPrefix($0.folder + "/") })?.number,
                    description.solutions.contains(number), !description.edits.contains(where: { $0.file == file })
                else { continue }
                #expect(
                    contents == (try Data(contentsOf: packageRoot.appendingPathComponent("Solutions/\(file)"))),
                    "\(name): \(file)")
            }
        }
    }

    /// Builds a fixture made of `description` (and `files`) in a scratch folder; returns the error's message, or nil.
    func buildError(_ description: String, files: [String: String] = [:]) throws -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fixture-\(UUID().uuidString)/sample")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(description.utf8).write(to: folder.appendingPathComponent("fixture.json"))
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        do {
            _ = try SampleSubmissions(kit: packageKit).build(folder)
            return nil
        } catch let error as KitError {
            return error.message
        }
    }

    @Test(
        "an edit that no longer fits its reference fails loudly, naming the fixture, the file and the text",
        arguments: [
            (
                #"{"solutions": [2], "edits": [{"file": "02-DenseLayer/Dense.swift", "replace": "no such text", "with": "x"}]}"#,
                "occurs 0 times in Solutions/02-DenseLayer/Dense.swift"
            ),
            (
                #"{"solutions": [2], "edits": [{"file": "02-DenseLayer/Dense.swift", "replace": "weight", "with": "w"}]}"#,
                "it must occur exactly once (give more of the text around it)"
            ),
            (
                #"{"solutions": [1], "edits": [{"file": "02-DenseLayer/Dense.swift", "replace": "a", "with": "b"}]}"#,
                "the submission has no such file"
            ),
            (
                #"{"solutions": [2], "edits": [{"file": "02-DenseLayer/Dense.swift", "replace": "a", "with": "a"}]}"#,
                "\"replace\" and \"with\" are the same"
            ),
            (#"{"solution": [2]}"#, "unknown key \"solution\""),
            (#"{"solutions": [42]}"#, "there is no stage 42"),
            (#"{"solutions": [1], "stubs": [1]}"#, "stage 1 is in both"),
        ])
    func wrongDescriptions(description: String, expected: String) throws {
        let message = try buildError(description)
        #expect(message?.contains(expected) == true, "\(message ?? "no error")")
        #expect(message?.contains("/sample/fixture.json: ") == true, "\(message ?? "no error")")
    }

    @Test("a file of the fixture and a stage from Solutions/ may not both give the same file")
    func conflict() throws {
        let message = try buildError(
            #"{"solutions": [1]}"#, files: ["Exercises/01-Activations/Activations.swift": "// mine"])
        #expect(message?.contains("comes both from") == true, "\(message ?? "no error")")
        #expect(
            try buildError(
                #"{"comment": "only my own file"}"#, files: ["Exercises/01-Activations/Activations.swift": "// mine"])
                == nil)
    }

    @Test(
        "lists of lines are joined with line breaks; edits apply in order; the output folder is only ever replaced when kit fixtures wrote it"
    )
    func writing() throws {
        let description = try SampleSubmissions.parse(
            Data(
                #"{"edits": [{"file": "01-Activations/Activations.swift", "replace": ["a", "b"], "with": "c"}]}"#.utf8),
            in: "x")
        #expect(
            description.edits == [
                SampleSubmissions.Edit(file: "01-Activations/Activations.swift", replace: "a\nb", with: "c")
            ])
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fixtures-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
        #expect(throws: KitError.self) { try SampleSubmissions(kit: packageKit).write(from: source, to: out) }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("notes.txt").path))
        try FileManager.default.removeItem(at: out.appendingPathComponent("notes.txt"))
        let written = try SampleSubmissions(kit: packageKit).write(from: source, to: out)
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("stale"), withIntermediateDirectories: true)
        try SampleSubmissions(kit: packageKit).write(from: source, to: out)
        #expect(try SampleSubmissions.names(in: out) == written.map(\.name))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("empty/README.txt").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("correct/fixture.json").path))
    }
}

// MARK: Submissions and processes

@Suite("grader · submissions and limited processes")
struct SubmissionTests {
    let stageFiles: [(stage: Stage, names: [String])] = Course.stages.prefix(8).map { ($0, $0.files) }

    @Test("builds of submissions drop the kit's switches but keep the processor the core is compiled for")
    func buildEnvironment() {
        let environment = GradingWorkspace.buildEnvironment([
            "PATH": "/usr/bin", "NEURALKIT_REFERENCE": "1", "NEURALKIT_DATA": "/data", "KIT_SALT": "x",
            "NEURALKIT_TARGET_CPU": "haswell",
        ])
        #expect(environment == ["PATH": "/usr/bin", "NEURALKIT_TARGET_CPU": "haswell"])
    }

    @Test("a whole copy of the kit: only the stage files are taken; its tests and manifest are ignored")
    func wholeKit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grader-kit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try SampleSubmissions(kit: packageKit).write(from: fixtures.appendingPathComponent("submissions"), to: folder)
        let found = SubmissionFiles.collect(from: folder.appendingPathComponent("edited-tests"), stageFiles: stageFiles)
        #expect(Set(found.files.keys) == [1, 5])
        #expect(found.ignored.contains("NeuralKit-main/Package.swift"))
        #expect(found.ignored.contains("NeuralKit-main/Tests/StageTests/Stage01ActivationsTests.swift"))
    }

    @Test("loose files (a Gradescope upload) are found by name; symbolic links and huge files are refused")
    func looseFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grader-loose-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("// dense".utf8).write(to: folder.appendingPathComponent("sub/Dense.swift"))
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Activations.swift").path,
            withDestinationPath: packageRoot.appendingPathComponent("Solutions/01-Activations/Activations.swift").path)
        try Data(count: SubmissionFiles.largestFile + 1).write(to: folder.appendingPathComponent("OneHot.swift"))
        let found = SubmissionFiles.collect(from: folder, stageFiles: stageFiles)
        #expect(found.files[2]?["Dense.swift"] == Data("// dense".utf8))
        #expect(found.files[1] == nil && found.problems[1]?.contains("symbolic link") == true)
        #expect(found.files[5] == nil && found.problems[5]?.contains("larger than") == true)
    }

    @Test("a limited process is killed with its group at the time limit, and its output is capped")
    func limits() throws {
        let directory = FileManager.default.temporaryDirectory
        let started = Date()
        let hang = try LimitedProcess.run(
            ["/bin/sh", "-c", "sleep 30 & sleep 30"], in: directory, environment: [:],
            limits: ResourceLimits(seconds: 1))
        #expect(hang.timedOut)
        #expect(Date().timeIntervalSince(started) < 10)
        let flood = try LimitedProcess.run(
            ["/bin/sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done; exit 3"],
            in: directory, environment: [:], limits: ResourceLimits(seconds: 30, keptOutputBytes: 1000))
        #expect(flood.status == 3 && !flood.timedOut)
        #expect(flood.outputBytes > 100_000)
        #expect(flood.output.count < 1200 && flood.output.contains("bytes of output left out"))
        #expect(flood.output.hasPrefix("line 0") && flood.output.hasSuffix("line 19999\n"))
        let big = try LimitedProcess.run(
            ["/bin/sh", "-c", "head -c 3000000 /dev/zero > big.bin; echo $?; rm -f big.bin"],
            in: directory, environment: [:], limits: ResourceLimits(seconds: 30, fileMegabytes: 1))
        #expect(!big.output.hasPrefix("0"), "a 3 MB file was written under a 1 MB limit: \(big.output)")
        let trap = try LimitedProcess.run(
            ["/bin/sh", "-c", "kill -ILL $$"], in: directory, environment: [:], limits: ResourceLimits(seconds: 30))
        #expect(trap.signal == SIGILL)
    }
}

// MARK: The recorded reference

@Suite("grader · the recorded reference")
struct RecordedReferenceTests {
    @Test("the grader recognises the stage suites' recording problems by the same words they begin with")
    func recordingProblemPrefix() throws {
        let door = try String(
            contentsOf: packageRoot.appendingPathComponent("Tests/StageTests/Support/Reference.swift"), encoding: .utf8)
        #expect(door.contains("static let prefix = \"\(Grader.recordingProblemPrefix)\""))
    }

    @Test(
        "the grading copy's manifest builds Solutions from the stubs and it holds no reference code; the recording copy's has the reference"
    )
    func manifests() throws {
        let workspace = GradingWorkspace(
            instructor: packageKit, root: URL(fileURLWithPath: "/nonexistent"), hiddenTests: nil)
        let base = String(decoding: try #require(try workspace.baseTree()["Package.swift"]), as: UTF8.self)
        let reference = String(decoding: try #require(try workspace.referenceTree()["Package.swift"]), as: UTF8.self)
        #expect(base.contains("\nlet hasReference = false\n") && !base.contains("\nlet hasReference = true\n"))
        #expect(reference.contains("\nlet hasReference = true\n"))
        // No reference code in a student's copy: neither Solutions/ nor its fast versions.
        let files = try workspace.baseTree().keys
        #expect(files.contains { $0.hasPrefix("Sources/NeuralKit/") })
        #expect(files.allSatisfy { !$0.hasPrefix("Solutions/") && !$0.hasPrefix("Sources/FastReference/") })
    }

    @Test("a stage's run sees only its own checks' recorded values, written afresh each time")
    func recordingForOneStage() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(
            "grader-recording-\(UUID().uuidString)/worker")
        defer { try? FileManager.default.removeItem(at: work.deletingLastPathComponent()) }
        var grader = try Grader(
            workspace: GradingWorkspace(instructor: packageKit, root: work, hiddenTests: nil),
            rubric: .course, salt: "s", timeout: 10)
        func values(_ keys: [String]) -> Data {
            let suite = RecordedSuite(
                values: Dictionary(uniqueKeysWithValues: keys.map { ($0, .array([.integer(1), .integer(2)])) }))
            return (try? JSONEncoder().encode(suite)) ?? Data()
        }
        grader.recorded = [
            "manifest.json": Data("{}".utf8),
            "Stage01ActivationsTests.json": values(["Stage01Activations/a() @x:1 f", "Bonus01Activations/b() @x:2 f"]),
            "Stage05OneHotEncodingTests.json": values(["Stage05OneHotEncoding/c() @y:1 f"]),
            "Stage05Hidden.json": values(["Stage05Hidden/d() @z:1 f"]),
        ]
        let folder = try grader.recordingFor(Course.stage(5))
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
                == ["manifest.json", "Stage05OneHotEncodingTests.json", "Stage05Hidden.json"])
        // A student's run that changed the folder changes nothing for the next run.
        try Data("tampered".utf8).write(to: folder.appendingPathComponent("Stage05Hidden.json"))
        let again = try grader.recordingFor(Course.stage(1))
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: again.path)) == [
                "manifest.json", "Stage01ActivationsTests.json",
            ])
        let kept = try JSONDecoder().decode(
            RecordedSuite.self,
            from: Data(contentsOf: again.appendingPathComponent("Stage01ActivationsTests.json")))
        #expect(kept.values.count == 2)
        let all = try grader.recordingFor(nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: all.path).count == 4)
        #expect(
            try Data(contentsOf: all.appendingPathComponent("Stage05Hidden.json"))
                == values(["Stage05Hidden/d() @z:1 f"]))
    }

    @Test("a submission made from the student edition: only its stage files are taken")
    func studentEditionSubmission() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "grader-edition-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("NeuralKit-student")
        for (path, text) in [
            ("Exercises/01-Activations/Activations.swift", "// mine"), (".kit-edition.json", "{}"),
            ("Tests/StageTests/Recording/manifest.json", "{}"),
            ("Sources/kit/Stubs/01-Activations/Activations.swift", "// stub"),
            ("Package.swift", "// package"),
        ] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let found = SubmissionFiles.collect(from: folder, stageFiles: Course.stages.prefix(8).map { ($0, $0.files) })
        #expect(found.files[1]?["Activations.swift"] == Data("// mine".utf8))
        #expect(found.files.count == 1)
        #expect(found.ignored.contains("NeuralKit-student/Tests/StageTests/Recording/manifest.json"))
    }
}

// MARK: End to end (slow)

@Suite(
    "grader · the sample submissions, end to end",
    .enabled(
        if: ProcessInfo.processInfo.environment["NEURALKIT_GRADER_TESTS"] == "1", "slow: set NEURALKIT_GRADER_TESTS=1"))
struct EndToEndTests {
    @Test("every sample submission scores as Tests/GraderFixtures/expected.json says, and every file is written")
    func samples() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("grader-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        // The submissions are built from their descriptions by the maintainers' command, as CI does.
        let submissions = out.appendingPathExtension("submissions")
        defer { try? FileManager.default.removeItem(at: submissions) }
        let build = Process()
        build.executableURL = try kitExecutable()
        build.arguments = ["fixtures", "--out", submissions.path]
        build.currentDirectoryURL = packageRoot
        try build.run()
        build.waitUntilExit()
        try #require(build.terminationStatus == 0, "kit fixtures failed")
        let salt = GradeCommand.randomSalt()
        let process = Process()
        process.executableURL = try kitExecutable()
        process.arguments = [
            "grade", "--submissions", submissions.path, "--out", out.path,
            "--rubric", fixtures.appendingPathComponent("rubric.json").path,
            "--hidden-tests", fixtures.appendingPathComponent("hidden-tests").path,
            "--expect", fixtures.appendingPathComponent("expected.json").path,
            "--timeout", "40", "--salt", salt,
        ]
        process.currentDirectoryURL = packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
        let (status, text) = try runCapturingOutput(process)
        #expect(status == 0, "\(text)")

        let students = try SampleSubmissions.names(in: submissions)
        #expect(students == (try SampleSubmissions.names(in: fixtures.appendingPathComponent("submissions"))))
        let csv = try String(contentsOf: out.appendingPathComponent("grades.csv"), encoding: .utf8)
        // The header, the maximum row, one row per student.
        #expect(csv.split(separator: "\n").count == students.count + 2)
        let checks = try String(contentsOf: out.appendingPathComponent("checks.csv"), encoding: .utf8)
        #expect(checks.hasPrefix("stage,check,name,kind,attempted,ran,failed"))
        let run = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: out.appendingPathComponent("run.json")))
        #expect(run.object?["salt"]?.string == salt)
        for student in students {
            let feedback = try String(contentsOf: out.appendingPathComponent("feedback/\(student).md"), encoding: .utf8)
            // The hidden suite's checks are counted, never named.
            #expect(!feedback.contains("one label per class"), "\(student)")
            let results = try Data(contentsOf: out.appendingPathComponent("results/\(student)/results.json"))
            #expect(gradescopeProblems(results) == [], "\(student)")
            #expect(!String(decoding: results, as: UTF8.self).contains("one label per class"), "\(student)")
            #expect(results.count < 200_000, "\(student): results.json is \(results.count) bytes")
        }
        let correct = try String(contentsOf: out.appendingPathComponent("feedback/correct.md"), encoding: .utf8)
        #expect(correct.contains("2 hidden checks ran: 2 passed"))
        let transpose = try String(
            contentsOf: out.appendingPathComponent("feedback/mistake-transpose.md"), encoding: .utf8)
        #expect(transpose.contains("Graded with the reference versions of stage 2"))
    }
}
