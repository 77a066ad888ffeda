import Foundation
import NeuralKit
import Testing

/// The one door through which the stage suites get values of the reference solution.
///
/// `reference(x, g) { Solutions.f(x, g) }` names what the value depends on (`x`, `g`) and
/// how the reference computes it. Where it comes from depends on the run:
///
/// - **live** (the full kit, the maintainers' check): `body` runs the reference in this process;
/// - **record** (`NEURALKIT_RECORD=DIR`, `kit record`): `body` runs, and its value is stored;
/// - **replay** (the student edition, the grader: `NEURALKIT_RECORDING=DIR`, or the edition's
///   `Tests/StageTests/Recording/`): `body` does not run; the value comes from the recording.
///   The `Solutions` module is then built from the stubs and holds no reference code.
///
/// A value is stored under its check, its line, and the fingerprint of its inputs, so a value must
/// depend on nothing but the inputs named here and constants: never on the student's results.
/// A recording that does not fit the suites (a changed check, other inputs, another salt) is an
/// error that names the check, never a silent pass or fail.
func reference<each Value: Recordable>(
    _ inputs: any ReferenceInput..., sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> (repeat each Value)
) throws -> (repeat each Value) {
    let key = ReferenceKey(inputs: inputs, at: sourceLocation)
    switch ReferenceSource.current {
    case .live:
        return try runReference(body)
    case .recording(let recorder):
        let value: (repeat each Value)
        do {
            value = try runReference(body)
        } catch let error as ReferenceBug {
            throw error
        } catch {
            recorder.store(.error(String(describing: error)), under: key, sourceLocation: sourceLocation)
            throw error
        }
        var records: [Record] = []
        repeat records.append((each value).record)
        recorder.store(.list(records), under: key, sourceLocation: sourceLocation)
        return value
    case .replaying(let recording):
        let record = try recording.value(for: key)
        if case .error(let message) = record { throw RecordedError(description: message) }
        guard case .list(let items) = record else {
            throw recording.problem(key, RecordError.wrongKind(record, expected: "a list"))
        }
        var iterator = items.makeIterator()
        do {
            return (repeat try nextValue((each Value).self, from: &iterator))
        } catch {
            throw recording.problem(key, error)
        }
    case .unavailable(let why):
        throw RecordingProblem(description: why)
    }
}

/// Runs the reference solution. Its problems are the kit's bugs, not the student's.
private func runReference<each Value>(_ body: () throws -> (repeat each Value)) throws -> (repeat each Value) {
    let (result, problems) = try Problems.collect(body)
    if let problem = problems.first {
        throw ReferenceBug(description: "the reference solution failed (a bug in the kit): \(problem)")
    }
    return result
}

private func nextValue<Value: Recordable>(_ type: Value.Type, from iterator: inout IndexingIterator<[Record]>) throws
    -> Value
{
    guard let record = iterator.next() else {
        throw RecordError(description: "the recording holds fewer values than the check expects")
    }
    return try Value(record: record)
}

/// A problem of the reference itself: never recorded as its answer.
struct ReferenceBug: Error, CustomStringConvertible {
    let description: String
}

/// The recording cannot answer a check: the kit's problem, not the student's. The grader
/// recognises these by their first words.
struct RecordingProblem: Error, CustomStringConvertible {
    static let prefix = "The kit's recording of the reference"
    let description: String
}

/// Where a reference value is stored: `Suite/check(seed:) @File.swift:42 <fingerprint of the inputs>`.
struct ReferenceKey: Hashable, CustomStringConvertible {
    /// The file of the check that asks: its suite file holds the value.
    let suiteFile: String
    /// The source files the value depends on: the check's, and the door's caller's.
    let sourcePaths: [String]
    let description: String

    init(inputs: [any ReferenceInput], at location: SourceLocation) {
        let test = Test.current
        suiteFile = test?.sourceLocation.fileName ?? location.fileName
        sourcePaths = [test?.sourceLocation.filePath, location.filePath].compactMap { $0 }
        let check = test.map { $0.id.nameComponents.joined(separator: "/") } ?? "outside a check"
        description = "\(check) @\(location.fileName):\(location.line) \(Record.list(inputs.map(\.record)).fingerprint)"
    }
}

// MARK: - The source of reference values in this process

enum ReferenceSource {
    case live
    case recording(Recorder)
    case replaying(Recording)
    case unavailable(String)

    /// Decided once per process, from the environment and the build.
    static let current: ReferenceSource = {
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["NEURALKIT_RECORD"], !directory.isEmpty {
            #if NEURALKIT_NO_REFERENCE
            return .unavailable(
                "\(RecordingProblem.prefix) cannot be made here: this edition has no reference solutions.")
            #else
            return .recording(
                Recorder(directory: URL(fileURLWithPath: directory), kitCommit: environment["NEURALKIT_KIT_COMMIT"]))
            #endif
        }
        if let directory = environment["NEURALKIT_RECORDING"], !directory.isEmpty {
            return .replaying(Recording(directory: URL(fileURLWithPath: directory)))
        }
        #if NEURALKIT_NO_REFERENCE
        // The student edition: the recording of the public checks ships beside the suites.
        return .replaying(Recording(directory: StageSuites.folder.appendingPathComponent("Recording")))
        #else
        return .live
        #endif
    }()
}

/// The folder of the stage suites (Tests/StageTests), found from this file.
enum StageSuites {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// `…/Tests/StageTests/Support/StudentCode.swift` → `Support/StudentCode.swift`.
    static func relativePath(_ filePath: String) -> String? {
        guard let range = filePath.range(of: "/Tests/StageTests/", options: .backwards) else { return nil }
        return String(filePath[range.upperBound...])
    }

    /// The SHA-256 of the file's bytes, as the recording's manifest lists it.
    static func fingerprint(ofFileAt path: String) -> String? {
        try? SHA256.hex(ofFileAt: path)
    }

    /// Every `.swift` file under the suites' folder, by relative path, with its fingerprint.
    static func sourceFingerprints() -> [String: String] {
        var result: [String: String] = [:]
        let root = folder.standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return result
        }
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root.path + "/"), let fingerprint = fingerprint(ofFileAt: path) else { continue }
            result[String(path.dropFirst(root.path.count + 1))] = fingerprint
        }
        return result
    }
}

/// The salt of this run, as recordings name it: "public" for the public seeds, or a digest of the secret.
var saltFingerprint: String {
    guard let salt = ProcessInfo.processInfo.environment["NEURALKIT_GRADING_SALT"], !salt.isEmpty else {
        return "public"
    }
    return String(SHA256.hex(Array(salt.utf8)).prefix(16))
}

/// What a recording folder says about itself (`manifest.json`).
struct RecordingManifest: Codable {
    static let currentFormat = 1
    var format: Int
    /// The kit's commit the recording was made from, when known.
    var kitCommit: String?
    /// `saltFingerprint` of the run that made it.
    var salt: String
    /// The SHA-256 of every source file of the suites it was made with, by path under Tests/StageTests.
    var sources: [String: String]
    /// How many values each suite file's recording holds.
    var values: [String: Int]
}
