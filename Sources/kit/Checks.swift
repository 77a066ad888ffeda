import Foundation
import NeuralKit

/// One check (a `@Test`) and how it went.
struct CheckResult {
    let id: String
    let name: String
    let stage: Int
    let isBonus: Bool
    let line: Int
    /// The Swift file ID of the file that declares the check, "StageTests/Stage05Hidden.swift"
    /// (the grader tells hidden checks by it).
    var fileID: String = ""
    var issues: [String] = []
    /// The part of the check each issue is about, from its marker (`PartMarker`), or nil.
    var issueParts: [String?] = []
    var started = false
    var ended = false
    var skipped = false

    var passed: Bool { ended && !skipped && issues.isEmpty }
}

/// The results of one run of the test binary.
struct CheckRun {
    var checks: [CheckResult]
    /// The check that was running when the process stopped (a crash or a timeout).
    var interrupted: CheckResult?
    var timedOut = false
    /// The last lines of the test process's output, shown when it stopped early.
    var outputTail: String = ""
    /// What the checks compared: the student's values beside the expected ones (the notebook shows them).
    var comparedValues: [ComparedValue] = []

    /// The checks of `stage` that ran (a check that skipped itself, e.g. for want of real data, counts for nothing).
    func checks(of stage: Stage, bonus: Bool? = nil) -> [CheckResult] {
        checks.filter { $0.stage == stage.number && !$0.skipped && (bonus == nil || $0.isBonus == bonus) }
    }

    /// The checks of `stage` that skipped themselves.
    func skippedChecks(of stage: Stage) -> [CheckResult] {
        checks.filter { $0.stage == stage.number && $0.skipped }
    }

    func result(_ stage: Stage) -> StageResult {
        let required = checks(of: stage, bonus: false)
        let bonus = checks(of: stage, bonus: true)
        return StageResult(
            passed: required.filter(\.passed).count, total: required.count,
            bonusPassed: bonus.filter(\.passed).count, bonusTotal: bonus.count)
    }
}

/// A source file that does not compile, with the compiler's error lines.
struct CompileFailure {
    /// Relative to the kit: "Exercises/07-SGD/SGD.swift".
    let file: String
    var errors: [String]
    var stage: Stage? { file.hasPrefix("Exercises/") ? Course.stage(containing: file) : nil }
}

/// Why the checks could not run.
enum BuildProblem: Error {
    case compile([CompileFailure], output: String)
    case other(output: String)
}

/// Builds the kit's tests and runs stages' checks, reading Swift Testing's event stream.
struct CheckRunner {
    let kit: Kit

    /// Seconds a run of the checks may take before it is stopped (an endless loop).
    var timeout: TimeInterval {
        ProcessInfo.processInfo.environment["KIT_TIMEOUT"].flatMap(Double.init) ?? 600
    }

    /// `swift build --build-tests`: compiles only what changed. Throws a `BuildProblem`.
    func build() throws {
        let result = try Shell.capture(["swift", "build", "--build-tests"], in: kit.root)
        guard result.status != 0 else { return }
        let failures = CheckRunner.compileFailures(in: result.output, root: kit.root)
        throw failures.isEmpty
            ? BuildProblem.other(output: result.output) : BuildProblem.compile(failures, output: result.output)
    }

    /// Runs the checks whose suite names start with one of `filters` ("Stage03", or "StageTests"
    /// for all), with the test binary built by `build()`.
    func run(filters: [String]) throws -> CheckRun {
        let events = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "kit-events-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).jsonl")
        let compared = events.deletingPathExtension().appendingPathExtension("values.jsonl")
        defer {
            try? FileManager.default.removeItem(at: events)
            try? FileManager.default.removeItem(at: compared)
        }
        var arguments = [
            "swift", "test", "--skip-build", "--disable-xctest",
            "--event-stream-output-path", events.path, "--event-stream-version", "0",
        ]
        for filter in filters { arguments += ["--filter", filter] }
        let result = try Shell.capture(
            arguments, in: kit.root, timeout: timeout, environment: [ComparedValue.environmentVariable: compared.path])
        let stream = (try? String(contentsOf: events, encoding: .utf8)) ?? ""
        var run = CheckRunner.parse(events: stream)
        run.timedOut = result.timedOut
        run.comparedValues = ComparedValue.read(from: compared)
        let ended = stream.contains("\"runEnded\"")
        if !ended {
            run.interrupted = run.checks.first { $0.started && !$0.ended }
            run.outputTail = result.output.split(separator: "\n", omittingEmptySubsequences: false)
                .suffix(15).joined(separator: "\n")
            if run.checks.isEmpty, result.status != 0 { throw BuildProblem.other(output: result.output) }
        }
        return run
    }

    // MARK: Parsing

    static func parse(events stream: String) -> CheckRun {
        var checks: [String: CheckResult] = [:]
        let decoder = JSONDecoder()
        for line in stream.split(separator: "\n") {
            // A line of a kind this reader does not know, or cut short by a crash, is skipped.
            guard let record = try? decoder.decode(TestEvent.Record.self, from: Data(line.utf8)) else { continue }
            let payload = record.payload
            if record.kind == "test" {
                guard payload.kind == "function", let id = payload.id, let stage = Course.stage(containing: id) else {
                    continue
                }
                checks[id] = CheckResult(
                    id: id, name: payload.displayName ?? payload.name ?? id, stage: stage.number,
                    isBonus: id.hasPrefix("StageTests.\(stage.bonusFilter)"), line: payload.sourceLocation?.line ?? 0,
                    fileID: payload.sourceLocation?.fileID ?? "")
            } else if record.kind == "event", let testID = payload.testID, checks[testID] != nil {
                switch payload.kind {
                case "testStarted": checks[testID]?.started = true
                case "testEnded": checks[testID]?.ended = true
                case "testSkipped":
                    checks[testID]?.skipped = true
                    checks[testID]?.ended = true
                case "issueRecorded":
                    if payload.issue?.isKnown == true { continue }
                    let (text, part) = PartMarker.split(message(of: payload.messages ?? []))
                    // A parameterized check reports the same sentence once per argument: keep one.
                    let seen = zip(checks[testID]?.issues ?? [], checks[testID]?.issueParts ?? []).contains {
                        $0 == text && $1 == part
                    }
                    if !seen {
                        checks[testID]?.issues.append(text)
                        checks[testID]?.issueParts.append(part)
                    }
                default: break
                }
            }
        }
        let ordered = checks.values.sorted {
            ($0.stage, $0.isBonus ? 1 : 0, $0.line, $0.id) < ($1.stage, $1.isBonus ? 1 : 0, $1.line, $1.id)
        }
        return CheckRun(checks: ordered)
    }

    /// The sentence of an issue: the comment the check recorded, or the error it caught.
    static func message(of messages: [TestEvent.Message]) -> String {
        var text = messages.first { $0.symbol == "fail" }?.text ?? messages.first?.text ?? "the check failed"
        for prefix in ["Caught error: ", "Issue recorded: "] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
        }
        let details = messages.filter { $0.symbol == "details" }.map(\.text)
        if text == "Issue recorded", let first = details.first { return first }
        return ([text] + details).joined(separator: "\n")
    }

    /// The compiler's errors in `output`, by file, files of the kit named relative to it.
    static func compileFailures(in output: String, root: URL) -> [CompileFailure] {
        var failures: [CompileFailure] = []
        var current: Int?
        let rootPath = root.standardizedFileURL.path + "/"
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let range = line.range(of: ": error: "),
                let path = line[..<range.lowerBound].split(separator: ":").first,
                path.hasSuffix(".swift")
            {
                var file = String(path)
                if file.hasPrefix(rootPath) { file.removeFirst(rootPath.count) }
                for folder in ["Exercises/", "Solutions/", "Sources/", "Tests/"] {
                    if let inner = file.range(of: "/" + folder, options: .backwards) {
                        file = String(file[file.index(after: inner.lowerBound)...])
                    }
                }
                let shown = line.replacingOccurrences(of: rootPath, with: "")
                if let index = failures.firstIndex(where: { $0.file == file }) {
                    if failures[index].errors.contains(shown) {
                        current = nil // the same error again, from another compiler job
                    } else {
                        failures[index].errors.append(shown)
                        current = index
                    }
                } else {
                    failures.append(CompileFailure(file: file, errors: [shown]))
                    current = failures.count - 1
                }
            } else if let index = current, line.hasPrefix(" ") || line.contains(" | "),
                failures[index].errors.count < 40
            {
                // The source excerpt the compiler prints under an error.
                failures[index].errors.append(line)
            } else {
                current = nil
            }
        }
        return failures
    }
}

/// Swift Testing's event stream, as its JSON schema (version 0) documents it: only the documented
/// fields are read, none of the underscored ones.
enum TestEvent {
    /// One line: a test or an event.
    struct Record: Decodable {
        let kind: String
        let payload: Payload
    }

    /// A test (`kind` "function" or "suite") or an event (`kind` "testStarted", "issueRecorded", …).
    struct Payload: Decodable {
        let kind: String
        let id: String?
        let name: String?
        let displayName: String?
        let sourceLocation: SourceLocation?
        let testID: String?
        let messages: [Message]?
        let issue: Issue?
    }

    struct SourceLocation: Decodable {
        let fileID: String
        let line: Int
    }

    struct Message: Decodable {
        let symbol: String
        let text: String
    }

    struct Issue: Decodable {
        let isKnown: Bool
    }
}

/// The machine-readable mark of the part of a check an issue is about, on the issue's last line:
/// "(part ∂L/∂W)". The stage suites add it (`part("∂L/∂W") { … }`); a rubric's `parts` name the
/// same parts, and the grader gives partial credit by the marks, never by the words of a message.
enum PartMarker {
    static let prefix = "(part "

    /// The message without its mark, and the part it marks.
    static func split(_ message: String) -> (text: String, part: String?) {
        guard let range = message.range(of: "\n" + prefix, options: .backwards), message.hasSuffix(")") else {
            return (message, nil)
        }
        let part = message[range.upperBound...].dropLast()
        return (String(message[..<range.lowerBound]), String(part))
    }
}
