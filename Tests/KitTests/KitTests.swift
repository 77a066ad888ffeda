import Foundation
import NeuralKit
import TestSupport
import Testing

/// The slow tests copy the kit and build the copy from scratch (about a minute
/// or two on two cores): they run only with `NEURALKIT_KIT_TESTS=1`.
let kitTestsEnabled = ProcessInfo.processInfo.environment["NEURALKIT_KIT_TESTS"] == "1"

struct KitOutput {
    let status: Int32
    let text: String
}

/// Runs the `kit` executable in `directory`, without colour.
func kit(_ arguments: String..., in directory: URL = packageRoot, environment: [String: String] = [:]) throws
    -> KitOutput
{
    try runExecutable(try kitExecutable(), arguments, in: directory, environment: environment)
}

/// Runs `kit-demos`, built next to `kit`, as `kit` does.
func kitDemos(_ arguments: String...) throws -> KitOutput {
    try runExecutable(
        try kitExecutable().deletingLastPathComponent().appendingPathComponent("kit-demos"), arguments, in: packageRoot)
}

/// Runs `executable` in `directory`, without colour; its output and errors together.
func runExecutable(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:])
    throws -> KitOutput
{
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    // The kit's own suites run as the maintainers' check (NEURALKIT_REFERENCE=1); the kit they start is a student's.
    var inherited = ProcessInfo.processInfo.environment
    inherited["NEURALKIT_REFERENCE"] = nil
    process.environment = inherited.merging(["NO_COLOR": "1"].merging(environment) { $1 }) { $1 }
    let (status, output) = try runCapturingOutput(process)
    return KitOutput(status: status, text: output)
}

@Suite("kit · manifest and command line")
struct KitCommandLineTests {
    @Test("the manifest lists stages 1, 2, … with their suites, hints and earlier prerequisites")
    func manifestIsConsistent() {
        for (index, stage) in Course.stages.enumerated() {
            #expect(stage.number == index + 1)
            #expect(stage.suite.hasPrefix(stage.filter), "stage \(stage.number): suite \(stage.suite)")
            #expect(stage.folder.hasPrefix(stage.twoDigits + "-"))
            #expect(stage.buildsOn.allSatisfy { $0 < stage.number }, "stage \(stage.number) builds on a later stage")
            #expect(!stage.hints.isEmpty && !stage.goals.isEmpty)
            if stage.isWritten {
                #expect(
                    stage.hints.count >= 3,
                    "stage \(stage.number) needs at least 3 hints, from a nudge to nearly the answer")
            }
            #expect(stage.points > 0)
        }
        #expect(Course.stage(containing: "StageTests.Stage04TwoLayerNetwork/f()/x.swift:1:1")?.number == 4)
        #expect(Course.stage(containing: "StageTests.Bonus04TwoLayerNetwork/f()/x.swift:1:1")?.number == 4)
    }

    @Test("`swift test --filter StageNN` runs only the required checks: no bonus suite's name or file says StageNN")
    func bonusSuitesEscapeTheStageFilter() throws {
        for stage in Course.stages where stage.isWritten {
            // A test's ID holds its suite's name and its file's name: neither may match the required filter.
            #expect(!stage.bonusSuite.contains(stage.filter) && stage.bonusSuite.hasPrefix(stage.bonusFilter))
            let required = try String(
                contentsOf: packageRoot.appendingPathComponent("Tests/StageTests/\(stage.suite)Tests.swift"),
                encoding: .utf8)
            #expect(!required.contains("struct Bonus"), "stage \(stage.number): a bonus suite in the required file")
            #expect(
                required.range(of: #"struct \#(stage.filter)\w*Bonus"#, options: .regularExpression) == nil,
                "stage \(stage.number): a bonus suite named \(stage.filter)…, which --filter \(stage.filter) runs")
        }
    }

    @Test("kit-demos explains a forwarded command with the same help as kit, and refuses the same mistakes")
    func forwardedHelp() throws {
        for command in ["train", "bench", "shape", "summary", "run"] {
            let fromKit = try kit("help", command)
            let fromDemos = try kitDemos(command, "--help")
            #expect(fromKit.status == 0 && fromDemos.status == 0, "\(command)")
            #expect(fromKit.text == fromDemos.text, "kit help \(command) and kit-demos \(command) --help differ")
        }
        let mistake = try kitDemos("train", "--epoch", "2")
        #expect(mistake.status == 2)
        #expect(mistake.text.contains("there is no option --epoch: did you mean --epochs?"), "\(mistake.text)")
        let shape = try kitDemos("shape", "dense", "--inputs", "784")
        #expect(shape.status == 2 && shape.text.contains("--outputs is missing"), "\(shape.text)")
    }

    @Test("unknown commands, options and stages exit with status 2 and say what is wrong")
    func usageErrors() throws {
        let unknown = try kit("frobnicate")
        #expect(unknown.status == 2)
        #expect(unknown.text.contains("unknown command \"frobnicate\""))
        let unknownOption = try kit("check", "1", "--frobnicate")
        #expect(unknownOption.status == 2)
        #expect(unknownOption.text.contains("no option --frobnicate"))
        let stage = try kit("hint", "42")
        #expect(stage.status == 2)
        #expect(stage.text.contains("there is no stage \"42\""))
        let help = try kit("help", "check")
        #expect(help.status == 0)
        #expect(help.text.contains("Usage: swift run kit check <stage>"))
        let typo = try kit("chek", "1")
        #expect(typo.status == 2)
        #expect(typo.text.contains("unknown command \"chek\": did you mean `check`?"), "\(typo.text)")
        let option = try kit("train", "--epoch", "2")
        #expect(option.status == 2)
        #expect(option.text.contains("there is no option --epoch: did you mean --epochs?"), "\(option.text)")
        let value = try kit("train", "--epochs", "many")
        #expect(value.status == 2)
        #expect(value.text.contains("--epochs many: not a whole number"), "\(value.text)")
    }

    @Test(
        "the original stubs in Sources/kit/Stubs/ match Exercises/ (maintainers, NEURALKIT_REFERENCE=1)",
        .enabled(if: ProcessInfo.processInfo.environment["NEURALKIT_REFERENCE"] == "1"))
    func stubsMatchExercises() throws {
        let result = try kit("stubs")
        #expect(result.status == 0, "\(result.text)\nRun `swift run kit stubs --update` and commit Sources/kit/Stubs/.")
    }
}

@Suite("kit · on a scratch copy of the kit", .enabled(if: kitTestsEnabled, "slow: set NEURALKIT_KIT_TESTS=1"))
struct KitScratchCopyTests {
    /// A copy of the kit in a temporary folder, without its build folder.
    func makeCopy() throws -> URL {
        let fileManager = FileManager.default
        let copy = fileManager.temporaryDirectory.appendingPathComponent("kit-scratch-\(UUID().uuidString)/NeuralKit")
        try fileManager.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["Package.swift", "Sources", "Tests", "Exercises", "Solutions", "docs"] {
            try fileManager.copyItem(
                at: packageRoot.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        return copy
    }

    func replace(_ relativePath: String, in copy: URL, with source: URL) throws {
        let target = copy.appendingPathComponent(relativePath)
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source, to: target)
    }

    @Test("check, reset, hint, solution, status and run on a stubbed, a broken and a solved stage")
    func scenario() throws {
        let copy = try makeCopy()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let activations = "Exercises/01-Activations/Activations.swift"
        let oneHot = "Exercises/05-OneHotEncoding/OneHot.swift"
        // Stage 1 stubbed, stage 5 not compiling.
        try replace(
            activations, in: copy,
            with: packageRoot.appendingPathComponent("Sources/kit/Stubs/01-Activations/Activations.swift"))
        let broken =
            try String(contentsOf: copy.appendingPathComponent(oneHot), encoding: .utf8)
            + "\nlet broken: Int = \"not a number\"\n"
        try broken.write(to: copy.appendingPathComponent(oneHot), atomically: true, encoding: .utf8)

        // A stage that does not compile is named, with the compiler's error and the way to set it aside.
        let blocked = try kit("check", "1", in: copy)
        #expect(blocked.status == 1)
        #expect(blocked.text.contains("\(oneHot) does not compile (stage 5, One-hot encoding)"), "\(blocked.text)")
        #expect(blocked.text.contains("error: cannot convert value of type 'String' to specified type 'Int'"))
        #expect(blocked.text.contains("swift run kit reset 5"))

        // reset saves the student's file, then puts the stub back.
        let reset = try kit("reset", "5", in: copy)
        #expect(reset.status == 0, "\(reset.text)")
        let saved = try FileManager.default.contentsOfDirectory(
            atPath: copy.appendingPathComponent("Saved/05-OneHotEncoding").path)
        #expect(saved.count == 1 && saved[0].hasPrefix("OneHot-") && saved[0].hasSuffix(".swift"))
        #expect(
            try String(contentsOf: copy.appendingPathComponent("Saved/05-OneHotEncoding/\(saved[0])"), encoding: .utf8)
                == broken)
        #expect(
            try Data(contentsOf: copy.appendingPathComponent(oneHot))
                == Data(
                    contentsOf: packageRoot.appendingPathComponent("Sources/kit/Stubs/05-OneHotEncoding/OneHot.swift")))

        // A stub: every check fails with "not implemented yet", and the first hint is shown.
        let stubbed = try kit("check", "1", in: copy)
        #expect(stubbed.status == 1)
        #expect(stubbed.text.contains("✗ relu matches the reference on random inputs"), "\(stubbed.text)")
        #expect(stubbed.text.contains("`relu` is not implemented yet (\(activations))"))
        #expect(stubbed.text.contains("Hint 1 of 3: "))
        #expect(stubbed.text.contains("0/"))
        #expect(try kit("hint", "1", in: copy).text.contains("Hint 2 of 3: "))
        #expect(try kit("hint", "1", in: copy).text.contains("Hint 3 of 3: "))
        // All three hints seen: one line on the checks instead of their report, and no hint advice.
        let refused = try kit("solution", "1", in: copy)
        #expect(refused.status == 1)
        #expect(refused.text.range(of: #"\nStage 1: 0/\d+ checks pass\.\n"#, options: .regularExpression) != nil)
        #expect(!refused.text.contains("✗ relu matches the reference"), "\(refused.text)")
        #expect(refused.text.contains("once stage 1 passes: you have seen all 3 hints"), "\(refused.text)")
        #expect(!refused.text.contains("kit hint 1"), "\(refused.text)")
        // Written to a file, as to `less`: each hunk's context lines come right after its @@ line, in order.
        let forced = try kit("solution", "1", "--force", in: copy, environment: ["KIT_BUILTIN_DIFF": "1"])
        #expect(forced.status == 0)
        #expect(
            forced.text.contains("+    x.map { max($0, 0) }")
                && forced.text.contains("-    return notImplemented(\"relu\", placeholder: x)"),
            "\(forced.text)")
        #expect(
            forced.text.range(of: #"\n@@ [^\n]* @@\n [^\n]*\n"#, options: .regularExpression) != nil, "\(forced.text)")
        let demoStub = try kit("run", "1", in: copy)
        #expect(demoStub.text.contains("`softmax` is not implemented yet"), "\(demoStub.text)")
        #expect(!demoStub.text.contains("✗"), "an unwritten stub is not implemented yet, not wrong")

        // Solved: the stage passes, exit status 0.
        try replace(
            activations, in: copy,
            with: packageRoot.appendingPathComponent("Solutions/01-Activations/Activations.swift"))
        let solved = try kit("check", "1", in: copy)
        #expect(solved.status == 0, "\(solved.text)")
        #expect(solved.text.contains("✓ Stage 1 passes"))
        #expect(!solved.text.contains("✗"))
        #expect(try kit("solution", "1", in: copy).text.contains("Your file is the same as the reference."))
        let demo = try kit("run", "1", in: copy)
        #expect(demo.status == 0)
        #expect(
            demo.text.contains("[0.0900, 0.2447, 0.6652]   ✓ walkthrough: [0.0900, 0.2447, 0.6652]"), "\(demo.text)")
        #expect(demo.text.contains("[0.0000, 0.0000, 0.0000, 0.5000, 3.0000]   ✓ walkthrough:"), "\(demo.text)")
        #expect(!demo.text.contains("✗"), "\(demo.text)")

        let status = try kit("status", in: copy)
        #expect(status.status == 0)
        #expect(
            status.text.range(of: #"\n  1\s+Activations\s+(\d+)/\1\s.*done ✓"#, options: .regularExpression) != nil,
            "\(status.text)")
        #expect(
            status.text.range(of: #"\n  9\s+MNIST\s+0/\d+\s+0/\d+\s+not started"#, options: .regularExpression) != nil,
            "\(status.text)")
        #expect(
            status.text.contains("Next: open Exercises/02-DenseLayer/Dense.swift and run `swift run kit check 2`")
                || status.text.contains("Next: open Exercises/0"))

        let mnist = try kit("check", "9", in: copy)
        #expect(mnist.status == 1)
        #expect(mnist.text.contains("not implemented yet"), "\(mnist.text)")
    }
}
