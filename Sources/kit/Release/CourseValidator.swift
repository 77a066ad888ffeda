import Foundation
import NeuralKit

/// Checks that everything a stage is made of agrees with the manifest (`Course.stages`), for
/// maintainers: `swift run kit validate` and the CourseTests suite run it. Each problem is one
/// sentence that names the stage and what disagrees.
///
/// For every stage: `Exercises/NN-Name/`, `Sources/kit/Stubs/NN-Name/` and `Solutions/NN-Name/`
/// hold exactly the manifest's files (the stubs byte-identical to their pristine copies); the
/// suite `Tests/StageTests/StageNN…Tests.swift` declares the manifest's suite; the walkthrough
/// and the demo exist; the rubrics and the walkthroughs' output markers name real checks. And no folder, suite or walkthrough is
/// left without a stage.
struct CourseValidator {
    /// The kit's folder.
    let root: URL
    var stages: [Stage] = Course.stages

    /// The rubric files whose check names must name real checks (the course's own rubric always is).
    static let rubricFiles = ["Tests/GraderFixtures/rubric.json"]

    /// Every disagreement found, one sentence each; empty when the course is consistent.
    func problems() -> [String] {
        var problems: [String] = []
        for stage in stages {
            problems += files(of: stage)
            problems += suite(of: stage)
            if !exists(stage.walkthroughPath) {
                problems.append("\(stage.heading): its walkthrough \(stage.walkthroughPath) is missing.")
            }
            problems += outputMarkers(of: stage)
            if !demos.contains(stage.number) {
                problems.append(
                    "\(stage.heading): \(CourseValidator.demosFile) has no demo for it (no `case \(stage.number):`).")
            }
        }
        problems += rubrics()
        problems += strays()
        return problems
    }

    // MARK: Files

    private func files(of stage: Stage) -> [String] {
        var problems: [String] = []
        let listed = Set(stage.files)
        var folders = ["Exercises", Kit.stubsFolder]
        if exists("Solutions") { folders.append("Solutions") }
        for folder in folders {
            let path = "\(folder)/\(stage.folder)"
            guard exists(path) else {
                problems.append("\(stage.heading): the folder \(path)/ is missing.")
                continue
            }
            let present = Set(swiftFiles(in: path))
            for name in listed.subtracting(present).sorted() {
                problems.append("\(stage.heading): \(path)/\(name) is in the manifest but not in the folder.")
            }
            for name in present.subtracting(listed).sorted() {
                problems.append(
                    "\(stage.heading): \(path)/\(name) is not in the manifest (Course.swift lists \(stage.files)).")
            }
        }
        for name in stage.files {
            let stub = "Exercises/\(stage.folder)/\(name)"
            let pristine = "\(Kit.stubsFolder)/\(stage.folder)/\(name)"
            guard let exercise = contents(stub), let original = contents(pristine) else { continue }
            if exercise != original {
                problems.append(
                    "\(stage.heading): \(stub) differs from its pristine copy \(pristine) "
                        + "(`swift run kit stubs --update` copies it).")
            }
        }
        return problems
    }

    // MARK: Suite

    /// "Tests/StageTests/Stage02DenseLayerTests.swift".
    static func suitePath(_ stage: Stage) -> String { "Tests/StageTests/\(stage.suite)Tests.swift" }

    /// "Tests/StageTests/Bonus04TwoLayerNetworkTests.swift": a file of its own, because a test's ID holds its
    /// file's name and `swift test --filter Stage04` must leave the bonus out.
    static func bonusSuitePath(_ stage: Stage) -> String { "Tests/StageTests/\(stage.bonusSuite)Tests.swift" }

    private func suite(of stage: Stage) -> [String] {
        let path = CourseValidator.suitePath(stage)
        guard let source = text(path) else { return ["\(stage.heading): its suite \(path) is missing."] }
        guard source.contains("struct \(stage.suite) ") || source.contains("struct \(stage.suite):") else {
            return [
                "\(stage.heading): \(path) does not declare the suite `struct \(stage.suite)` that the manifest names."
            ]
        }
        guard stage.bonusPoints > 0 else { return [] }
        let bonusPath = CourseValidator.bonusSuitePath(stage)
        guard text(bonusPath)?.contains("struct \(stage.bonusSuite) {") == true else {
            return [
                "\(stage.heading): the manifest gives it bonus points, but \(bonusPath) does not declare "
                    + "`struct \(stage.bonusSuite)`."
            ]
        }
        return []
    }

    // MARK: Demo

    static let demosFile = "Sources/kit-demos/StageDemos.swift"

    /// The stages `kit run N` has a demo for: the `case N:` of `StageDemos.run`'s switch.
    private var demos: Set<Int> {
        guard let source = text(CourseValidator.demosFile) else { return [] }
        var numbers = Set<Int>()
        for line in source.split(separator: "\n") {
            let words = line.trimmingCharacters(in: .whitespaces)
            guard words.hasPrefix("case "), let colon = words.firstIndex(of: ":") else { continue }
            for item in words[words.index(words.startIndex, offsetBy: 5)..<colon].split(separator: ",") {
                if let number = Int(item.trimmingCharacters(in: .whitespaces)) { numbers.insert(number) }
            }
        }
        return numbers
    }

    // MARK: Rubrics

    /// Each check a rubric names must be a test of its stage's suites: by its stable identifier
    /// ("StageTests.Stage02DenseLayer/backwardWorkedExample()"), its function name, or the name the student sees.
    private func rubrics() -> [String] {
        var rubrics: [(name: String, rubric: Rubric)] = [("the course's rubric (Rubric.course)", .course)]
        for file in CourseValidator.rubricFiles where exists(file) {
            do {
                rubrics.append((file, try Rubric.load(root.appendingPathComponent(file))))
            } catch {
                return ["\(file) does not load: \(error)"]
            }
        }
        var problems: [String] = []
        for (name, rubric) in rubrics {
            for number in rubric.stages.keys.sorted() {
                guard let stage = stages.first(where: { $0.number == number }) else { continue }
                let tests = tests(of: stage)
                for check in (rubric.stages[number]?.checks.keys).map(Array.init)?.sorted() ?? []
                where !tests.contains(check) {
                    problems.append(
                        "\(stage.heading): \(name) names the check \"\(check)\", which is not a test of "
                            + "\(CourseValidator.suitePath(stage)).")
                }
            }
        }
        return problems
    }

    /// The names a rubric may give the tests of `stage`'s suite file: stable IDs, function names, display names.
    private func tests(of stage: Stage) -> Set<String> {
        var names = Set<String>()
        for path in [CourseValidator.suitePath(stage), CourseValidator.bonusSuitePath(stage)] {
            for test in declaredTests(in: path) {
                if let display = test.displayName { names.insert(display) }
                names.formUnion([test.function, "StageTests.\(test.suite)/\(test.function)"])
            }
        }
        return names
    }

    /// A test as its suite file declares it.
    private struct DeclaredTest {
        /// The top-level type it is in: "Stage02DenseLayer".
        let suite: String
        /// The name in `@Test("…")`, if it has one.
        let displayName: String?
        /// As the stable ID spells it: `func f(seed: UInt64)` → "f(seed:)".
        let function: String
    }

    /// The tests of a Swift file, read line by line (the display name may be on the line after `@Test(`, where
    /// `swift format` puts a long one).
    private func declaredTests(in path: String) -> [DeclaredTest] {
        guard let source = text(path) else { return [] }
        var tests: [DeclaredTest] = []
        var suite: String?
        /// After `@Test`: the display name, if it has one, until its `func`.
        var pendingTest: String??
        var awaitingDisplayName = false
        for untrimmed in source.split(separator: "\n") {
            let line = untrimmed.trimmingCharacters(in: .whitespaces)
            // Only a top-level type is a suite; a type nested in one (a test's argument) is not.
            if untrimmed.hasPrefix("struct ") || untrimmed.hasPrefix("extension "),
                let name = line.drop(while: { $0 != " " }).dropFirst().split(whereSeparator: { " :{".contains($0) })
                    .first
            {
                suite = String(name)
            }
            if line.hasPrefix("@Test") {
                let quoted = line.hasPrefix("@Test(\"") ? line.dropFirst(7).prefix { $0 != "\"" } : nil
                pendingTest = .some(quoted.map(String.init))
                awaitingDisplayName = line == "@Test("
            } else if awaitingDisplayName {
                // `swift format` put the display name on the line after `@Test(`.
                if line.hasPrefix("\"") { pendingTest = .some(String(line.dropFirst().prefix { $0 != "\"" })) }
                awaitingDisplayName = false
            }
            guard line.hasPrefix("func "), let test = pendingTest.take(), let suite else { continue }
            let name = line.dropFirst(5).prefix { $0 != "(" }
            let labels = line.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }.split(separator: ",").map {
                ($0.split(separator: ":").first ?? "").split(separator: " ").first.map { "\($0):" } ?? ""
            }.joined()
            tests.append(DeclaredTest(suite: suite, displayName: test, function: "\(name)(\(labels))"))
        }
        return tests
    }

    // MARK: Output markers

    /// Each `<!-- output: NAME -->` of a walkthrough must name, by its display name, a check of its stage's
    /// suites (its required and its bonus checks): the notebook shows that check's result there.
    private func outputMarkers(of stage: Stage) -> [String] {
        guard let markdown = text(stage.walkthroughPath) else { return [] }
        let checks = Set(
            swiftFiles(in: "Tests/StageTests").filter { $0.hasPrefix(stage.filter) || $0.hasPrefix(stage.bonusFilter) }
                .flatMap { declaredTests(in: "Tests/StageTests/\($0)") }
                .filter { $0.suite.hasPrefix(stage.filter) || $0.suite.hasPrefix(stage.bonusFilter) }
                .compactMap(\.displayName))
        var problems = OutputMarker.unclosedLines(markdown).map {
            "\(stage.walkthroughPath):\($0): the output marker does not end with `\(OutputMarker.suffix)` on its line."
        }
        problems += OutputMarker.indentedLines(markdown).map {
            "\(stage.walkthroughPath):\($0): the output marker is indented as code (four spaces or more): "
                + "the notebook would show it instead of placing its cell."
        }
        for marker in OutputMarker.parse(markdown) where !checks.contains(marker.check) {
            problems.append(
                "\(stage.walkthroughPath):\(marker.line): the output marker names no check of stage \(stage.number): "
                    + "\"\(marker.check)\"")
        }
        return problems
    }

    // MARK: Strays

    /// Folders, suites and walkthroughs numbered like a stage the manifest does not have.
    private func strays() -> [String] {
        let folders = Set(stages.map(\.folder))
        var problems: [String] = []
        for parent in ["Exercises", "Solutions", Kit.stubsFolder] {
            for name in directories(in: parent) where !folders.contains(name) {
                problems.append(
                    "\(parent)/\(name)/ belongs to no stage: the manifest (Course.swift) has no stage with this folder."
                )
            }
        }
        let numbers = Set(stages.map(\.twoDigits))
        for name in swiftFiles(in: "Tests/StageTests") where name.hasPrefix("Stage") || name.hasPrefix("Bonus") {
            let digits = String(name.dropFirst(5).prefix(2))
            if !numbers.contains(digits) {
                problems.append("Tests/StageTests/\(name) is the suite of no stage (no stage \(digits)).")
            }
        }
        for name in entries(in: "docs") where name.hasSuffix(".md") && name.first?.isNumber == true {
            if !numbers.contains(String(name.prefix(2))) {
                problems.append("docs/\(name) is the walkthrough of no stage.")
            }
        }
        return problems
    }

    // MARK: Reading the kit

    private func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }
    private func contents(_ path: String) -> Data? { try? Data(contentsOf: root.appendingPathComponent(path)) }
    private func text(_ path: String) -> String? { contents(path).map { String(decoding: $0, as: UTF8.self) } }

    private func entries(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(path).path)) ?? []).sorted()
    }

    private func swiftFiles(in path: String) -> [String] { entries(in: path).filter { $0.hasSuffix(".swift") } }

    private func directories(in path: String) -> [String] {
        entries(in: path).filter { name in
            var isDirectory: ObjCBool = false
            let full = root.appendingPathComponent(path).appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}

extension Optional {
    /// The value, leaving nil behind: a pending item is used once.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
