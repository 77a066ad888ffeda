import Foundation
import NeuralKit

// `kit record`: the reference's values of the stage suites, for the student edition and the grader.
// Hidden from `kit help` like the other maintainers' commands: `kit release` records by itself.

extension Command {
    static let record = Command(
        name: "record",
        summary: "Record the reference's values of every stage suite into a folder (for editions and grading).",
        details: """
            Builds the kit in maintainers' mode (NEURALKIT_REFERENCE=1, in \(ReferenceRecording.defaultScratchFolder)/) \
            and runs every stage suite on the reference with NEURALKIT_RECORD=DIR: each value a check \
            asks the reference for is written to DIR (manifest.json and one JSON file per suite file), \
            with the kit's git commit. The student edition replays these values instead of running \
            the reference (Tests/StageTests/Recording/, made by `kit release` with the public seeds). \
            With --salt, the values are those of the secret seeds of a grading run \
            (NEURALKIT_GRADING_SALT). \
            It succeeds only when every check passes on the reference (a value that differs between \
            two asks is reported as a failing check) and the manifest is written; otherwise it prints \
            the failing lines and exits 1, and DIR is left as it was. DIR must be new, empty, or an \
            earlier recording (it has a manifest.json), which is replaced.
            """,
        options: [
            Option("out", .path, "DIR", help: "where the recording goes"),
            Option("salt", .text, "S", help: "the grading salt (default: none, the public seeds)"),
            Option("timeout", .number, "SECONDS", help: "for the build and the checks together (default 3600)"),
        ],
        maximumPositionals: 0, hidden: true
    ) { arguments, kit in
        guard let out = arguments.options["out"] else {
            throw UsageError("where should the recording go? Give --out DIR")
        }
        let timeout = try arguments.seconds("timeout", default: 3600)
        let folder = absoluteURL(out)
        let outcome = try ReferenceRecording(packageRoot: kit.root)
            .record(into: folder, salt: arguments.options["salt"], timeout: timeout) { print(kit.terminal.dim($0)) }
        guard outcome.succeeded else {
            printError(kit.terminal.red("Nothing was recorded: \(outcome.problem) (\(folder.path) is as it was):"))
            for line in outcome.failures { printError("  " + line) }
            return 1
        }
        let total = outcome.values.values.reduce(0, +)
        print(
            kit.terminal.green("\(kit.terminal.pass) Recorded \(total) values of \(outcome.values.count) suite files")
                + " in \(folder.path) ("
                + (outcome.kitCommit.map { "kit \($0.prefix(12))" } ?? "the kit is not a git repository")
                + ", "
                + (arguments.options["salt"].map { $0.isEmpty ? "public seeds" : "a grading salt" } ?? "public seeds")
                + String(format: ", %.0f s).", outcome.seconds))
        return 0
    }
}

extension Arguments {
    /// The option `name` as a positive number of seconds, or `fallback`.
    func seconds(_ name: String, default fallback: TimeInterval) throws -> TimeInterval {
        guard let text = options[name] else { return fallback }
        guard let value = TimeInterval(text), value > 0 else {
            throw UsageError("--\(name) takes a positive number of seconds")
        }
        return value
    }
}

/// A path given on the command line, relative to where kit was started.
func absoluteURL(_ path: String) -> URL {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(expanded)
        .standardizedFileURL
}
