import Foundation
import NeuralKit
import TestSupport
import Testing

@testable import kit

@Suite("course · every stage agrees with the manifest")
struct CourseValidatorTests {
    @Test("the kit's stages: folders, stubs, suites, walkthroughs, demos and rubrics agree with Course.stages")
    func courseIsConsistent() {
        let problems = CourseValidator(root: packageRoot).problems()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("a stub missing from Sources/kit/Stubs/ is named, with its stage")
    func missingPristineStub() throws {
        let copy = try ScratchKit()
        defer { copy.remove() }
        try FileManager.default.removeItem(at: copy.url("Sources/kit/Stubs/10-ConvolutionalNetwork/Pooling.swift"))
        #expect(
            CourseValidator(root: copy.root).problems() == [
                "Stage 10 · Convolution, pooling, LeNet-5: Sources/kit/Stubs/10-ConvolutionalNetwork/Pooling.swift "
                    + "is in the manifest but not in the folder."
            ])
    }

    @Test("a renamed stub is named twice: the manifest's file is missing, the new one is not listed")
    func renamedStub() throws {
        let copy = try ScratchKit()
        defer { copy.remove() }
        try FileManager.default.moveItem(
            at: copy.url("Exercises/02-DenseLayer/Dense.swift"),
            to: copy.url("Exercises/02-DenseLayer/DenseLayer.swift"))
        let problems = CourseValidator(root: copy.root).problems()
        #expect(
            problems.contains(
                "Stage 2 · Dense layer: Exercises/02-DenseLayer/Dense.swift is in the manifest but not in the folder."))
        #expect(
            problems.contains {
                $0.hasPrefix("Stage 2 · Dense layer: Exercises/02-DenseLayer/DenseLayer.swift is not in the manifest")
            })
        #expect(problems.count == 2, "\(problems)")
    }

    @Test("a stub that differs from its pristine copy, a missing walkthrough and a stray folder are each named")
    func otherMismatches() throws {
        let copy = try ScratchKit()
        defer { copy.remove() }
        try Data("// changed\n".utf8).write(to: copy.url("Exercises/05-OneHotEncoding/OneHot.swift"))
        try FileManager.default.removeItem(at: copy.url("docs/07-sgd.md"))
        try FileManager.default.createDirectory(
            at: copy.url("Solutions/11-Transformers"), withIntermediateDirectories: true)
        let problems = CourseValidator(root: copy.root).problems()
        #expect(
            problems.contains {
                $0.hasPrefix("Stage 5 · One-hot encoding: Exercises/05-OneHotEncoding/OneHot.swift differs")
            })
        #expect(problems.contains("Stage 7 · SGD: its walkthrough docs/07-sgd.md is missing."))
        #expect(problems.contains { $0.hasPrefix("Solutions/11-Transformers/ belongs to no stage") })
        #expect(problems.count == 3, "\(problems)")
    }

    @Test("a rubric naming a check that no suite declares is named")
    func rubricWithUnknownCheck() throws {
        let copy = try ScratchKit()
        defer { copy.remove() }
        let rubric = copy.url(CourseValidator.rubricFiles[0])
        let text = try String(contentsOf: rubric, encoding: .utf8)
            .replacingOccurrences(of: "Stage02DenseLayer/gradientShapes()", with: "Stage02DenseLayer/gradientShape()")
        try Data(text.utf8).write(to: rubric)
        #expect(
            CourseValidator(root: copy.root).problems() == [
                "Stage 2 · Dense layer: \(CourseValidator.rubricFiles[0]) names the check "
                    + "\"StageTests.Stage02DenseLayer/gradientShape()\", which is not a test of Tests/StageTests/Stage02DenseLayerTests.swift."
            ])
    }
}

extension CourseValidatorTests {
    @Test("a rubric may name a check by a display name that swift format put on the line after @Test(")
    func rubricWithWrappedDisplayName() throws {
        let copy = try ScratchKit()
        defer { copy.remove() }
        let rubric = copy.url(CourseValidator.rubricFiles[0])
        let wrapped = "heNormal is bell-shaped: 68% of the values within one standard deviation, 95% within two"
        let suite = try String(
            contentsOf: copy.url("Tests/StageTests/Stage03InitializationTests.swift"), encoding: .utf8)
        try #require(suite.contains("@Test(\n        \"\(wrapped)\""), "the suite no longer wraps this display name")
        let text = try String(contentsOf: rubric, encoding: .utf8)
            .replacingOccurrences(
                of: "\"3\": { \"points\": 1.25, \"bonus\": 0 }",
                with: """
                    "3": { "points": 1.25, "bonus": 0, "checks": { "\(wrapped)": { "weight": 1 } } }
                    """)
        try #require(text.contains(wrapped))
        try Data(text.utf8).write(to: rubric)
        #expect(CourseValidator(root: copy.root).problems() == [])
    }
}

extension CourseValidatorTests {
    @Test(
        "an output marker naming a missing check or another stage's check is named, with its line; a bonus check is one"
    )
    func outputMarkerWithUnknownCheck() throws {
        let copy = try ScratchKit()
        defer { copy.remove() }
        let missing = "xavierUniform of the walkthrough's 784 × 100 layer"
        let otherStage = "dense forward of the walkthrough's example" // stage 2's
        // A check of stage 1's bonus suite: its walkthrough may show it.
        let bonus = "sigmoid stays finite for inputs of ±1000"
        for (path, checks) in [
            ("docs/03-initialization.md", [missing, otherStage]), ("docs/01-activations.md", [bonus]),
        ] {
            var lines = try String(contentsOf: copy.url(path), encoding: .utf8).components(separatedBy: "\n")
            lines.insert(contentsOf: checks.map(OutputMarker.line(for:)), at: 2)
            try Data(lines.joined(separator: "\n").utf8).write(to: copy.url(path))
        }
        #expect(
            CourseValidator(root: copy.root).problems() == [
                "docs/03-initialization.md:3: the output marker names no check of stage 3: \"\(missing)\"",
                "docs/03-initialization.md:4: the output marker names no check of stage 3: \"\(otherStage)\"",
            ])
    }

    @Test("an output marker may name a worked-example check, and a display name swift format wrapped")
    func outputMarkerOfOtherSuitesAndWrappedNames() throws {
        let copy = try ScratchKit()
        defer { copy.remove() }
        let wrapped = "heNormal is bell-shaped: 68% of the values within one standard deviation, 95% within two"
        let worked = "softmax works on each row of a batch separately" // "Stage 1 · Worked examples"
        for (path, check) in [("docs/03-initialization.md", wrapped), ("docs/01-activations.md", worked)] {
            let text = try String(contentsOf: copy.url(path), encoding: .utf8)
            try Data((OutputMarker.line(for: check) + "\n\n" + text).utf8).write(to: copy.url(path))
        }
        #expect(CourseValidator(root: copy.root).problems() == [])
    }

    @Test("an output marker without its closing --> is named, with its line")
    func unclosedOutputMarker() throws {
        let copy = try ScratchKit()
        defer { copy.remove() }
        let walkthrough = copy.url("docs/05-one-hot-encoding.md")
        let text = try String(contentsOf: walkthrough, encoding: .utf8)
        try Data(("\(OutputMarker.prefix) classIndices undoes oneHot\n" + text).utf8).write(to: walkthrough)
        #expect(
            CourseValidator(root: copy.root).problems() == [
                "docs/05-one-hot-encoding.md:1: the output marker does not end with `-->` on its line."
            ])
    }

    @Test("every walkthrough has an output marker, so each stage's notebook page shows a result")
    func everyWalkthroughHasAMarker() throws {
        for stage in Course.stages {
            let markdown = try String(
                contentsOf: packageRoot.appendingPathComponent(stage.walkthroughPath), encoding: .utf8)
            #expect(!OutputMarker.parse(markdown).isEmpty, "\(stage.walkthroughPath) has no <!-- output: … --> line")
        }
    }
}

/// A scratch copy of what the validator reads: the stage folders, the suites, the walkthroughs,
/// the demos and the rubric.
struct ScratchKit {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("course-\(UUID().uuidString)")

    init() throws {
        let fileManager = FileManager.default
        let paths =
            ["Exercises", "Solutions", "Sources/kit/Stubs", CourseValidator.demosFile, "Tests/StageTests"]
            + CourseValidator.rubricFiles
            + (try fileManager.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("docs").path))
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        for path in paths {
            try fileManager.createDirectory(
                at: url(path).deletingLastPathComponent(), withIntermediateDirectories: true)
            try fileManager.copyItem(at: packageRoot.appendingPathComponent(path), to: url(path))
        }
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
