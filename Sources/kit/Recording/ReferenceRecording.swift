import Foundation
import NeuralKit

/// Records the reference's values of the stage suites: runs them in maintainers' mode
/// (`NEURALKIT_REFERENCE=1`, the student module built from Solutions/) with
/// `NEURALKIT_RECORD` set, so that every value the suites ask the reference for is written
/// to a folder (`manifest.json` and one `<SuiteFile>.json` per suite file; see
/// Tests/StageTests/Support/Reference.swift and Recording.swift).
///
/// `kit record` and `kit release` use it on the instructor's kit; the grader can use it on
/// its own copy of the kit (with the hidden suites in Tests/StageTests/Hidden/) and a salt.
struct ReferenceRecording {
    /// The kit to record: a package folder with Solutions/.
    let packageRoot: URL
    /// Where SwiftPM builds the maintainers' mode (`--scratch-path`), so that recording does
    /// not turn the usual `.build` into a reference build and back (each switch rebuilds
    /// the course modules). nil: the package's `.build`.
    var scratchPath: URL?
    /// The checks to run (a `swift test --filter` pattern): every stage suite by default.
    var filter = #"StageTests\."#

    init(packageRoot: URL, scratchPath: URL? = nil) {
        self.packageRoot = packageRoot.standardizedFileURL
        self.scratchPath =
            scratchPath ?? self.packageRoot.appendingPathComponent(ReferenceRecording.defaultScratchFolder)
    }

    /// The build folder of recordings, beside `.build` (the kit's .gitignore ignores `.build-*/`).
    static let defaultScratchFolder = ".build-reference"

    /// What a recording run gave.
    struct Outcome {
        /// The test run passed entirely and wrote its manifest.
        var succeeded: Bool
        /// What went wrong, in a sentence ("the kit does not build in maintainers' mode"); empty on success.
        var problem: String = ""
        /// The failing lines of the test run ("✘ ..."), or what stopped it (a build error, a timeout).
        var failures: [String]
        /// The recording folder (it holds the new recording only when `succeeded`).
        var folder: URL
        /// Values recorded, by suite file (from the manifest).
        var values: [String: Int]
        /// The kit commit stored in the manifest, if the kit is a git repository.
        var kitCommit: String?
        var seconds: TimeInterval
        /// The whole output of the build and the test run (capped).
        var output: String
    }

    /// Records the reference's values into `output`.
    ///
    /// `output` must not exist, be empty, or hold an earlier recording (a `manifest.json`);
    /// anything else is refused before anything runs. The run records into a scratch folder
    /// first: only a run that passed entirely replaces what `output` held, so a failed run
    /// never leaves a recording that looks complete (the recorder writes its manifest at exit
    /// whether the checks passed or not).
    ///
    /// - Parameters:
    ///   - salt: the grading salt (`NEURALKIT_GRADING_SALT`); nil or empty: the public seeds.
    ///   - timeout: seconds for the build and the test run together.
    ///   - progress: called with a line before each long step.
    func record(
        into output: URL, salt: String?, timeout: TimeInterval,
        progress: (String) -> Void = { _ in }
    ) throws -> Outcome {
        let output = output.standardizedFileURL
        guard FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("Solutions").path) else {
            throw KitError(
                "recording needs the reference solutions, and \(packageRoot.path) has no Solutions/ folder "
                    + "(the student edition has none): record in the instructor's kit.")
        }
        try ReferenceRecording.checkOutputFolder(output)

        let fileManager = FileManager.default
        let staging = fileManager.temporaryDirectory.appendingPathComponent("kit-record-\(UUID().uuidString)")
        defer { try? fileManager.removeItem(at: staging) }
        let commit = ReferenceRecording.gitCommit(of: packageRoot)
        var environment = ReferenceRecording.environment(ProcessInfo.processInfo.environment)
        environment["NEURALKIT_REFERENCE"] = "1"
        environment["NEURALKIT_RECORD"] = staging.path
        if let commit { environment["NEURALKIT_KIT_COMMIT"] = commit }
        if let salt, !salt.isEmpty { environment["NEURALKIT_GRADING_SALT"] = salt }

        let started = Date()
        let scratch = scratchPath.map { ["--scratch-path", $0.path] } ?? []
        let limits = { (seconds: TimeInterval) in ResourceLimits(seconds: max(1, seconds), keptOutputBytes: 8 << 20) }
        func outcome(_ failures: [String], _ text: String, values: [String: Int] = [:], succeeded: Bool = false)
            -> Outcome
        {
            Outcome(
                succeeded: succeeded, failures: failures, folder: output, values: values,
                kitCommit: commit, seconds: Date().timeIntervalSince(started), output: text)
        }

        progress(
            "Building the kit in maintainers' mode (NEURALKIT_REFERENCE=1, the reference as the student's module)…")
        let build = try LimitedProcess.run(
            ["/usr/bin/env", "swift", "build", "--build-tests"] + scratch,
            in: packageRoot, environment: environment, limits: limits(timeout))
        guard build.succeeded else {
            var lines = build.timedOut ? ["the build did not finish in \(Int(timeout)) s"] : []
            var errors: [String] = []
            for line in ReferenceRecording.lines(
                of: build.output, where: { $0.contains(": error: ") && !$0.contains("|") })
            {
                let shown = line.replacingOccurrences(of: packageRoot.path + "/", with: "")
                if !errors.contains(shown) { errors.append(shown) }
            }
            lines += errors.isEmpty ? ReferenceRecording.tail(of: build.output) : Array(errors.prefix(40))
            var result = outcome(lines, build.output)
            result.problem = "the kit does not build in maintainers' mode (NEURALKIT_REFERENCE=1)"
            return result
        }

        progress("Running the stage suites on the reference and recording its values…")
        let remaining = timeout - Date().timeIntervalSince(started)
        let run = try LimitedProcess.run(
            [
                "/usr/bin/env", "swift", "test", "--skip-build", "--disable-xctest",
                "--filter", filter,
            ] + scratch,
            in: packageRoot, environment: environment, limits: limits(remaining))
        let text = build.output + run.output
        let manifest = staging.appendingPathComponent("manifest.json")
        let passed =
            run.succeeded
            && run.output.range(of: #"Test run with [0-9]+ tests?[^\n]* passed"#, options: .regularExpression) != nil
        guard passed, fileManager.fileExists(atPath: manifest.path) else {
            var lines = ReferenceRecording.failingLines(of: run.output)
            if run.timedOut { lines.insert("the checks did not finish in \(Int(timeout)) s (with the build)", at: 0) }
            if lines.isEmpty {
                lines =
                    passed
                    ? [
                        "the checks passed but wrote no recording (\(manifest.lastPathComponent) is missing): "
                            + "no check asked the reference for a value, or the filter \(filter) matched no check"
                    ]
                    : ["the test run stopped (exit status \(run.status)) before reporting its checks; its last lines:"]
                        + ReferenceRecording.tail(of: run.output)
            }
            var result = outcome(lines, text)
            result.problem =
                run.timedOut
                ? "the checks did not finish in time"
                : passed ? "the checks wrote no recording" : "the reference does not pass every check"
            return result
        }

        // Passed: the scratch recording replaces what the folder held.
        let values = try RecordingFolder(staging).manifestValues()
        try ReferenceRecording.empty(output)
        for name in try fileManager.contentsOfDirectory(atPath: staging.path) {
            try fileManager.copyItem(at: staging.appendingPathComponent(name), to: output.appendingPathComponent(name))
        }
        return outcome([], text, values: values, succeeded: true)
    }

    // MARK: Helpers

    /// Refuses a folder that is neither new, empty, nor an earlier recording.
    static func checkOutputFolder(_ folder: URL) throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw KitError("\(folder.path) is a file, not a folder for the recording") }
        let names = try fileManager.contentsOfDirectory(atPath: folder.path)
        if names.isEmpty || names.contains("manifest.json") { return }
        throw KitError(
            "\(folder.path) is not empty and holds no earlier recording (no manifest.json): "
                + "give a new or empty folder, so that nothing else is deleted.")
    }

    /// Deletes what `folder` holds (an earlier recording), or creates it.
    static func empty(_ folder: URL) throws {
        let fileManager = FileManager.default
        try checkOutputFolder(folder)
        if fileManager.fileExists(atPath: folder.path) {
            for name in try fileManager.contentsOfDirectory(atPath: folder.path) {
                try fileManager.removeItem(at: folder.appendingPathComponent(name))
            }
        } else {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// The environment of the recording's build and run: this process's, without the
    /// switches the recording sets itself (an inherited replay or salt would spoil it).
    static func environment(_ inherited: [String: String]) -> [String: String] {
        let owned: Set<String> = [
            "NEURALKIT_REFERENCE", "NEURALKIT_RECORD", "NEURALKIT_RECORDING",
            "NEURALKIT_KIT_COMMIT", "NEURALKIT_GRADING_SALT", "NEURALKIT_KIT_TESTS",
            "NEURALKIT_GRADER_TESTS",
        ]
        var environment = inherited.filter { !owned.contains($0.key) }
        environment["NO_COLOR"] = "1"
        return environment
    }

    /// `git rev-parse HEAD` of the kit, when it is a git repository.
    static func gitCommit(of root: URL) -> String? {
        guard Shell.which("git") != nil,
            let result = try? Shell.capture(["git", "rev-parse", "--verify", "-q", "HEAD"], in: root),
            result.status == 0
        else { return nil }
        let commit = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return commit.count >= 40 && commit.allSatisfy(\.isHexDigit) ? commit : nil
    }

    static func lines(of output: String, where include: (String) -> Bool) -> [String] {
        output.split(separator: "\n").map { ReferenceRecording.plain(String($0)) }.filter(include)
    }

    /// Swift Testing's "✘ …" lines, each issue with the "↳ …" lines that explain it.
    static func failingLines(of output: String) -> [String] {
        var result: [String] = []
        var afterIssue = false
        for line in output.split(separator: "\n").map({ plain(String($0)) }) {
            if line.contains("✘") {
                result.append(line)
                afterIssue = line.contains("recorded an issue")
            } else if afterIssue, line.hasPrefix("↳") {
                result.append("  " + line)
            } else {
                afterIssue = false
            }
        }
        return result
    }

    static func tail(of output: String, count: Int = 30) -> [String] {
        output.split(separator: "\n").suffix(count).map { ReferenceRecording.plain(String($0)) }
    }

    /// The line without terminal colour codes.
    static func plain(_ line: String) -> String {
        line.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }
}

/// A recording folder as `kit` sees it: `manifest.json` (read as any JSON object, so that fields
/// this version of kit does not know survive) and one `<SuiteFile>.json` per suite file.
struct RecordingFolder {
    let url: URL

    init(_ url: URL) { self.url = url.standardizedFileURL }

    var manifestURL: URL { url.appendingPathComponent("manifest.json") }

    func manifest() throws -> [String: JSONValue] {
        guard let data = try? Data(contentsOf: manifestURL) else {
            throw KitError("\(url.path) is not a recording of the reference: it has no manifest.json")
        }
        guard let object = (try? JSONDecoder().decode(JSONValue.self, from: data))?.object else {
            throw KitError("\(manifestURL.path) is not a recording manifest (not a JSON object)")
        }
        return object
    }

    /// Values recorded, by suite file.
    func manifestValues() throws -> [String: Int] {
        (try manifest()["values"]?.object ?? [:]).compactMapValues(\.integer)
    }

    /// "public" for the public seeds, or a digest of the grading salt.
    func salt() throws -> String? { try manifest()["salt"]?.string }

    /// The SHA-256 of each suite source the recording was made with, by path under Tests/StageTests.
    func sources() throws -> [String: String] {
        (try manifest()["sources"]?.object ?? [:]).compactMapValues(\.string)
    }

    /// The files of the recording (relative name → contents), keeping only the values of the
    /// suite files `keepValues` accepts (given "Stage01ActivationsTests.swift"): their
    /// `<SuiteFile>.json` and their counts in the manifest; and, in the manifest's `sources`,
    /// only the paths `keepSources` accepts (given "Support/Reference.swift").
    func files(keepingValuesOf keepValues: (String) -> Bool, sources keepSources: (String) -> Bool) throws -> [String:
        Data]
    {
        var manifest = try manifest()
        let fileManager = FileManager.default
        var files: [String: Data] = [:]
        for name in try fileManager.contentsOfDirectory(atPath: url.path).sorted()
        where name != "manifest.json" && !name.hasPrefix(".") {
            guard name.hasSuffix(".json"), keepValues(String(name.dropLast(5)) + ".swift") else { continue }
            files[name] = try Data(contentsOf: url.appendingPathComponent(name))
        }
        if let values = manifest["values"]?.object {
            manifest["values"] = .object(values.filter { keepValues($0.key) })
        }
        if let sources = manifest["sources"]?.object {
            manifest["sources"] = .object(sources.filter { keepSources($0.key) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(manifest)
        data.append(contentsOf: Array("\n".utf8))
        files["manifest.json"] = data
        return files
    }
}
