import Foundation
import NeuralKit
import TestSupport
import Testing

/// `kit release` on a scratch copy of the kit: it records the reference (a build in
/// maintainers' mode and a run of every stage suite), so it is slow, like the other
/// scratch-copy tests (NEURALKIT_KIT_TESTS=1). The edition's own `swift test` is not run here.
@Suite("kit release · the student edition", .enabled(if: kitTestsEnabled, "slow: set NEURALKIT_KIT_TESTS=1"))
struct ReleaseTests {
    let fileManager = FileManager.default

    /// A copy of the kit (what a release reads), without its build folders.
    func makeCopy() throws -> URL {
        let copy = fileManager.temporaryDirectory.appendingPathComponent("kit-release-\(UUID().uuidString)/NeuralKit")
        try fileManager.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in [
            "Package.swift", "Sources", "Tests", "Exercises", "Solutions", "docs", "LICENSE", ".gitignore", "README.md",
        ]
        where fileManager.fileExists(atPath: packageRoot.appendingPathComponent(item).path) {
            try fileManager.copyItem(
                at: packageRoot.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        try? fileManager.removeItem(at: copy.appendingPathComponent("Tests/StageTests/Recording"))
        return copy
    }

    /// Every file under `folder` (relative paths), `.git` aside.
    func files(in folder: URL) -> [String] {
        guard let enumerator = fileManager.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var paths: [String] = []
        let root = folder.standardizedFileURL.path + "/"
        for case let url as URL in enumerator {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root) else { continue }
            let relative = String(path.dropFirst(root.count))
            if relative == ".git" || relative.hasPrefix(".git/") { continue }
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { paths.append(relative) }
        }
        return paths.sorted()
    }

    func names(_ folder: URL) -> Set<String> {
        Set(((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") })
    }

    func git(_ arguments: String..., in folder: URL) throws -> String {
        try run(["git"] + arguments, in: folder)
    }

    /// Runs a command in `folder` as a student would (no NEURALKIT_REFERENCE); its output.
    func run(_ arguments: [String], in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["NEURALKIT_REFERENCE"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: No reference code

    /// The lines of Solutions/ that a student must not find: a line (trimmed) of a solution file that
    /// is not in the stub of the same file, nor in any other stub (those are handed out). Short lines
    /// (`} else {`, `return nil`), comments, declaration headers (`public func f(...) {`, which the
    /// stubs declare too), properties without a value (`let weight: Tensor`) and the heads of loops
    /// over a count (`for c in 0..<channels {`, as in the core) carry no answer.
    func answerLines() throws -> [String: String] {
        func lines(_ url: URL) throws -> [String] {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        let stubs = packageRoot.appendingPathComponent("Sources/kit/Stubs")
        let solutions = packageRoot.appendingPathComponent("Solutions")
        var everyStubLine: Set<String> = []
        for path in files(in: stubs) where path.hasSuffix(".swift") {
            everyStubLine.formUnion(try lines(stubs.appendingPathComponent(path)))
        }
        let header =
            #"^(@\w+(\([^)]*\))?\s+)*((public|private|fileprivate|internal|open|final|override|static|class|mutating|convenience|required|nonisolated)\s+)*(func|init|deinit|subscript|struct|class|enum|extension|protocol)\b.*\{$"#
        let property =
            #"^((public|private|fileprivate|internal|final|static|lazy|weak|nonisolated)(\(set\))?\s+)*(let|var)\s+\w+\s*:[^={}]*$"#
        var answers: [String: String] = [:]
        for path in files(in: solutions) where path.hasSuffix(".swift") {
            let stub = Set((try? lines(stubs.appendingPathComponent(path))) ?? [])
            for line in try lines(solutions.appendingPathComponent(path))
            where line.count >= 16 && !line.hasPrefix("//") && !line.hasPrefix("/*") && !line.hasPrefix("*")
                && line.range(of: header, options: .regularExpression) == nil
                && line.range(of: property, options: .regularExpression) == nil
                && line.range(of: #"^for \w+ in 0\.\.<\w+ \{$"#, options: .regularExpression) == nil
                && !stub.contains(line) && !everyStubLine.contains(line)
            {
                answers[line] = "Solutions/" + path
            }
        }
        return answers
    }

    /// Whether a suite file or recording ("Stage02DenseLayerTests.json", "Bonus01ActivationsTests.swift") is of
    /// stages 1–3.
    func isOfStages1To3(_ name: String) -> Bool {
        ["Stage", "Bonus"].contains(String(name.prefix(5)))
            && ["01", "02", "03"].contains(String(name.dropFirst(5).prefix(2)))
    }

    func expectNoReferenceCode(in edition: URL) throws {
        let answers = try answerLines()
        #expect(
            answers.count > 100,
            "the check found only \(answers.count) answer lines in Solutions/: is it still looking?")
        var found: [String] = []
        for path in files(in: edition) {
            guard let text = try? String(contentsOf: edition.appendingPathComponent(path), encoding: .utf8) else {
                continue
            }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if let solution = answers[line.trimmingCharacters(in: .whitespaces)] {
                    found.append(
                        "\(path):\(index + 1) holds a line of \(solution): \(line.trimmingCharacters(in: .whitespaces))"
                    )
                }
            }
        }
        #expect(found.isEmpty, "reference code in the edition:\n\(found.prefix(30).joined(separator: "\n"))")
    }

    // MARK: The tests

    @Test("the whole edition: the student's folders, a recording, no reference code, one commit; then --stages 1-3")
    func release() throws {
        let copy = try makeCopy()
        let scratch = copy.deletingLastPathComponent()
        defer { try? fileManager.removeItem(at: scratch) }
        let edition = scratch.appendingPathComponent("edition")
        let stages = Course.stages.filter {
            fileManager.fileExists(atPath: copy.appendingPathComponent("Exercises/\($0.folder)").path)
        }

        let result = try kit("release", "--out", edition.path, in: copy)
        try #require(result.status == 0, "\(result.text)")
        #expect(result.text.contains("Wrote the student edition"), "\(result.text)")

        // What is there.
        let packageManifest = try String(contentsOf: edition.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(
            packageManifest.contains("\nlet hasReference = false\n"),
            "the edition's Package.swift must build Solutions from the stubs")
        for path in [
            "Package.swift", "README.md", ".gitignore", "LICENSE", ".kit-edition.json",
            "Sources/NeuralKit", "Sources/CZlib", "Sources/KitCommandLine", "Sources/kit/main.swift",
            "Sources/kit/Stubs", "Sources/kit-demos",
            "Tests/StageTests/Support", "Tests/StageTests/Recording/manifest.json",
            "docs/README.md", "docs/formulas.md", "docs/images",
        ] {
            #expect(
                fileManager.fileExists(atPath: edition.appendingPathComponent(path).path), "the edition has no \(path)")
        }
        #expect(names(edition.appendingPathComponent("Exercises")) == Set(stages.map(\.folder)))
        for stage in stages {
            for name in names(copy.appendingPathComponent("Sources/kit/Stubs/\(stage.folder)")) {
                // Exercises/ holds the pristine stubs, not the maintainer's Exercises/.
                #expect(
                    try Data(contentsOf: edition.appendingPathComponent("Exercises/\(stage.folder)/\(name)"))
                        == Data(contentsOf: copy.appendingPathComponent("Sources/kit/Stubs/\(stage.folder)/\(name)")))
            }
            #expect(fileManager.fileExists(atPath: edition.appendingPathComponent(stage.walkthroughPath).path))
        }
        // What is not.
        for path in [
            "Solutions", "Sources/SolutionsShim", "Sources/FastReference", "docs/instructors.md",
            "Tests/GraderFixtures", "Tests/NeuralKitTests", "Tests/DocsTests", "Tests/KitTests", "Tests/GraderTests",
            "Tests/FastReferenceTests", "Tests/Benchmarks", "Tests/StageTests/Hidden", ".ci",
        ] {
            #expect(
                !fileManager.fileExists(atPath: edition.appendingPathComponent(path).path), "the edition has \(path)")
        }
        #expect(names(edition.appendingPathComponent("Tests")) == ["StageTests"])
        #expect(
            names(edition.appendingPathComponent("Sources")) == [
                "NeuralKit", "CZlib", "KitCommandLine", "kit", "kit-demos",
            ])
        let docsIndex = try String(contentsOf: edition.appendingPathComponent("docs/README.md"), encoding: .utf8)
        #expect(!docsIndex.contains("instructors.md"))
        try expectNoReferenceCode(in: edition)

        // The recording: public seeds, and a file for the suites that ask the reference.
        let manifestData = try Data(
            contentsOf: edition.appendingPathComponent("Tests/StageTests/Recording/manifest.json"))
        let manifest = try JSONDecoder().decode(RecordingManifestFields.self, from: manifestData)
        #expect(manifest.salt == "public")
        let recorded = try #require(manifest.values)
        #expect(!recorded.isEmpty)
        for suite in recorded.keys {
            let json = (suite as NSString).deletingPathExtension + ".json"
            #expect(
                fileManager.fileExists(
                    atPath: edition.appendingPathComponent("Tests/StageTests/Recording/\(json)").path))
        }

        // A fresh repository with exactly one commit, holding every file.
        #expect(try git("rev-list", "--count", "HEAD", in: edition) == "1")
        #expect(try git("status", "--porcelain", in: edition) == "")
        #expect(try git("log", "-1", "--format=%s", in: edition) == "NeuralKit student edition")

        // Commands that need the reference say that the instructor's edition has it.
        let solution = try kit("solution", "1", "--force", in: edition)
        #expect(solution.status == 1)
        #expect(solution.text.contains("instructor's edition"), "\(solution.text)")
        let reference = try kit("run", "8", "--reference", in: edition)
        #expect(reference.status == 1)
        #expect(reference.text.contains("instructor's edition"), "\(reference.text)")
        #expect(!(try kit("help", in: edition)).text.contains("\n  release "), "kit help lists release in the edition")

        // Only stages 1-3, without the last hints, with the Classroom workflow.
        let small = scratch.appendingPathComponent("edition-1-3")
        let partial = try kit(
            "release", "--out", small.path, "--stages", "1-3", "--without-last-hints", "--classroom", in: copy)
        try #require(partial.status == 0, "\(partial.text)")
        // Every stage's stub stays (the demos are built with them); kit shows only the course's stages.
        #expect(names(small.appendingPathComponent("Exercises")) == Set(stages.map(\.folder)))
        let progress = try kit("status", "--cached", in: small).text
        #expect(progress.contains("Initialization") && !progress.contains("Two-layer network"), "\(progress)")
        let leftOut = try kit("check", "4", in: small)
        #expect(leftOut.status == 1 && leftOut.text.contains("not part of this course"), "\(leftOut.text)")
        let suites = names(small.appendingPathComponent("Tests/StageTests")).filter {
            $0.hasPrefix("Stage") || $0.hasPrefix("Bonus")
        }
        #expect(
            !suites.isEmpty && suites.allSatisfy(isOfStages1To3),
            "\(suites)")
        let walkthroughs = names(small.appendingPathComponent("docs")).filter { $0.first?.isNumber == true }
        #expect(
            walkthroughs == Set(Course.stages.prefix(3).map { String($0.walkthroughPath.dropFirst(5)) }),
            "\(walkthroughs)")
        let recordings = names(small.appendingPathComponent("Tests/StageTests/Recording")).subtracting(["manifest.json"]
        )
        #expect(
            recordings.allSatisfy(isOfStages1To3), "\(recordings)")
        let smallManifest = try JSONDecoder().decode(
            RecordingManifestFields.self,
            from: Data(contentsOf: small.appendingPathComponent("Tests/StageTests/Recording/manifest.json")))
        let smallValues = (smallManifest.values ?? [:]).keys
        #expect(
            smallValues.allSatisfy(isOfStages1To3),
            "\(smallValues)")
        let smallIndex = try String(contentsOf: small.appendingPathComponent("docs/README.md"), encoding: .utf8)
        #expect(smallIndex.contains("| 3 | [Initialization]") && !smallIndex.contains("| 4 | "))
        let workflow = try String(
            contentsOf: small.appendingPathComponent(".github/workflows/classroom.yml"), encoding: .utf8)
        #expect(workflow.components(separatedBy: "uses: classroom-resources/autograding-command-grader@v1").count == 4)
        #expect(workflow.contains("kit grade"))
        #expect(try git("rev-list", "--count", "HEAD", in: small) == "1")
        try expectNoReferenceCode(in: small)
        // It builds, and its checks run: each of stages 1-3 reads "not implemented yet", no other stage is checked.
        let build = try run(["swift", "build", "--build-tests"], in: small)
        #expect(build.contains("Build complete!"), "\(build.suffix(3000))")
        let checks = try run(["swift", "test", "--skip-build"], in: small)
        #expect(checks.contains("Test run with"), "\(checks.suffix(3000))")
        let issues = checks.split(separator: "\n").filter { $0.contains("recorded an issue") }
        #expect(!issues.isEmpty && issues.allSatisfy { $0.contains("not implemented yet") }, "\(issues.prefix(5))")
        #expect(!checks.contains("Stage 4 ·"), "a stage the edition leaves out was checked")

        // --without-last-hints: the edition's own kit (built above) stops one hint early.
        let hints = Course.stages[0].hints.count
        var last = ""
        for _ in 0...hints {
            last = try run([small.appendingPathComponent(".build/debug/kit").path, "hint", "1"], in: small)
        }
        #expect(last.contains("Hint \(hints - 1) of \(hints - 1): "), "\(last)")
        #expect(!last.contains(Course.stages[0].hints[hints - 1].prefix(40)))
        // The last hints' text is nowhere in that edition (its Course.swift leaves them out).
        let courseSource = try String(
            contentsOf: small.appendingPathComponent("Sources/NeuralKit/Course/Course.swift"), encoding: .utf8)
        for stage in Course.stages {
            let lastHint = try #require(stage.hints.last)
            #expect(
                !courseSource.contains(String(lastHint.prefix(30)).components(separatedBy: "\"").first ?? ""),
                "stage \(stage.number)'s last hint is in the edition's Course.swift")
        }

        // A stage without what it builds on, and a folder that is not empty, are refused.
        let missing = try kit("release", "--out", scratch.appendingPathComponent("x").path, "--stages", "4", in: copy)
        #expect(missing.status == 2)
        #expect(missing.text.contains("builds on stages 1, 2, 3"), "\(missing.text)")
        let occupied = try kit("release", "--out", small.path, in: copy)
        #expect(occupied.status == 1)
        #expect(occupied.text.contains("is not empty"), "\(occupied.text)")
    }
}

/// The fields of a recording's manifest.json that these checks read: the salt, and how many values
/// each suite file recorded.
private struct RecordingManifestFields: Decodable {
    var salt: String?
    var values: [String: Int]?
}
