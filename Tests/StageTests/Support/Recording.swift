import Foundation
import NeuralKit
import Testing

/// Record mode: keeps every value the door returns, and writes the recording when the
/// test process ends (one JSON file per suite file, and `manifest.json`).
final class Recorder: @unchecked Sendable {
    let directory: URL
    let kitCommit: String?
    private let lock = NSLock()
    /// Suite file → key → value.
    private var values: [String: [String: Record]] = [:]

    /// The recorder whose recording is written at exit.
    nonisolated(unsafe) private static var active: Recorder?

    init(directory: URL, kitCommit: String?) {
        self.directory = directory
        self.kitCommit = kitCommit
        // An earlier recording in the folder goes: a suite file left from it would answer for checks not recorded now.
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: directory.appendingPathComponent("manifest.json").path) {
            for name in (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []
            where name.hasSuffix(".json") {
                try? fileManager.removeItem(at: directory.appendingPathComponent(name))
            }
        }
        Recorder.active = self
        atexit { Recorder.active?.write() }
    }

    /// Stores `record`. The same key with another value means the value depends on
    /// something its `reference(...)` call does not name: that fails the check.
    func store(_ record: Record, under key: ReferenceKey, sourceLocation: SourceLocation) {
        let conflict: Record? = lock.withLock {
            // By fingerprint: a NaN is the same value as itself.
            if let existing = values[key.suiteFile]?[key.description], existing.fingerprint != record.fingerprint {
                return existing
            }
            values[key.suiteFile, default: [:]][key.description] = record
            return nil
        }
        if conflict != nil {
            Issue.record(
                Comment(
                    rawValue: "\(RecordingProblem.prefix): two different values under one key (\(key)). "
                        + "The value depends on something its reference(...) call does not name: list every input it depends on."
                ),
                sourceLocation: sourceLocation)
        }
    }

    /// Writes the recording: `<suite file>.json` for each suite, then `manifest.json`.
    func write() {
        let snapshot = lock.withLock { values }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (suiteFile, entries) in snapshot {
                try encoder.encode(SuiteRecording(values: entries))
                    .write(
                        to: directory.appendingPathComponent(Recording.fileName(forSuite: suiteFile)), options: .atomic)
            }
            let manifest = RecordingManifest(
                format: RecordingManifest.currentFormat, kitCommit: kitCommit, salt: saltFingerprint,
                sources: StageSuites.sourceFingerprints(),
                values: snapshot.mapValues(\.count))
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(manifest).write(to: directory.appendingPathComponent("manifest.json"), options: .atomic)
        } catch {
            FileHandle.standardError.write(
                Data("error: could not write the recording to \(directory.path): \(error)\n".utf8))
            _exit(1) // not exit(): this runs in an atexit handler
        }
    }
}

/// The values of one suite file.
struct SuiteRecording: Codable {
    var values: [String: Record]
}

/// Replay mode: answers the door from a recording folder, read as the checks need it.
final class Recording: @unchecked Sendable {
    let directory: URL
    private let lock = NSLock()
    private var manifest: Result<RecordingManifest, RecordingProblem>?
    private var suites: [String: Result<[String: Record], RecordingProblem>] = [:]
    private var checkedSources: [String: RecordingProblem?] = [:]

    init(directory: URL) { self.directory = directory }

    /// `Stage01ActivationsTests.swift` → `Stage01ActivationsTests.json`.
    static func fileName(forSuite suiteFile: String) -> String {
        (suiteFile.hasSuffix(".swift") ? String(suiteFile.dropLast(6)) : suiteFile) + ".json"
    }

    /// The recorded value for `key`, or a problem that names the check.
    func value(for key: ReferenceKey) throws -> Record {
        try lock.withLock {
            let manifest = try loadManifest().get()
            for path in key.sourcePaths { try check(source: path, in: manifest) }
            guard let value = try loadSuite(key.suiteFile).get()[key.description] else {
                throw RecordingProblem(
                    description: "\(RecordingProblem.prefix) has no value for \(key). It was made for "
                        + "other inputs or other checks (\(describe(manifest))). Put the checks back as they were "
                        + "(git checkout Tests/StageTests); in the instructor's kit, record again (swift run kit record)."
                )
            }
            return value
        }
    }

    /// A problem with a recorded value: the recording and the check do not fit.
    func problem(_ key: ReferenceKey, _ error: any Error) -> RecordingProblem {
        RecordingProblem(description: "\(RecordingProblem.prefix) does not fit the check \(key): \(error).")
    }

    private func describe(_ manifest: RecordingManifest) -> String {
        "\(directory.path), " + (manifest.kitCommit.map { "kit \($0.prefix(12))" } ?? "kit commit unknown")
    }

    private func loadManifest() -> Result<RecordingManifest, RecordingProblem> {
        if let manifest { return manifest }
        let url = directory.appendingPathComponent("manifest.json")
        let result: Result<RecordingManifest, RecordingProblem>
        if let data = try? Data(contentsOf: url) {
            if let decoded = try? JSONDecoder().decode(RecordingManifest.self, from: data),
                decoded.format == RecordingManifest.currentFormat
            {
                if decoded.salt == saltFingerprint {
                    result = changedSources(decoded).map { .failure($0) } ?? .success(decoded)
                } else {
                    result = .failure(
                        RecordingProblem(
                            description: "\(RecordingProblem.prefix) in \(directory.path) was made for "
                                + (decoded.salt == "public" ? "the public seeds" : "another grading salt")
                                + ", but this run uses "
                                + (saltFingerprint == "public" ? "the public seeds" : "a grading salt")
                                + ": record it again for this run."))
                }
            } else {
                result = .failure(
                    RecordingProblem(
                        description: "\(RecordingProblem.prefix): \(url.path) is not a recording manifest "
                            + "of format \(RecordingManifest.currentFormat) (damaged, or made by another version of the kit)."
                    ))
            }
        } else {
            result = .failure(
                RecordingProblem(
                    description: "\(RecordingProblem.prefix) is missing: there is no \(url.path). "
                        + "The checks compare your code with values recorded from the reference; restore the folder "
                        + "(git checkout Tests/StageTests/Recording) or ask your instructor for a complete copy of the kit."
                ))
        }
        manifest = result
        return result
    }

    /// The first problem with the suites' sources, checked once: a file the recording was made with
    /// that differs now, or a file of Support/ (whose helpers run inside the door) that it was made without.
    private func changedSources(_ manifest: RecordingManifest) -> RecordingProblem? {
        let current = StageSuites.sourceFingerprints()
        for (relative, recorded) in manifest.sources.sorted(by: { $0.key < $1.key }) {
            if let now = current[relative], now != recorded { return changed(relative, manifest) }
        }
        for relative in current.keys.sorted() where relative.hasPrefix("Support/") && manifest.sources[relative] == nil
        {
            return RecordingProblem(
                description: "\(RecordingProblem.prefix) was made without Tests/StageTests/\(relative) "
                    + "(\(describe(manifest))), so its checks cannot be compared with it. " + putBack(relative))
        }
        return nil
    }

    private func changed(_ relative: String, _ manifest: RecordingManifest) -> RecordingProblem {
        RecordingProblem(
            description: "\(RecordingProblem.prefix) was made with another version of "
                + "Tests/StageTests/\(relative) (\(describe(manifest))), so its checks cannot be compared with it. "
                + putBack(relative))
    }

    /// What to do about a suite file that does not fit: a student puts it back; a maintainer records again.
    private func putBack(_ relative: String) -> String {
        "Put it back as it was (git checkout Tests/StageTests/\(relative)); in the instructor's kit, "
            + "record again after changing the checks (swift run kit record)."
    }

    /// Fails when a source file of the suites differs from the one the recording was made with.
    private func check(source path: String, in manifest: RecordingManifest) throws {
        if let known = checkedSources[path] {
            if let problem = known { throw problem }
            return
        }
        var problem: RecordingProblem?
        if let relative = StageSuites.relativePath(path), let current = StageSuites.fingerprint(ofFileAt: path) {
            if let recorded = manifest.sources[relative] {
                if recorded != current { problem = changed(relative, manifest) }
            } else {
                problem = RecordingProblem(
                    description: "\(RecordingProblem.prefix) was made without Tests/StageTests/\(relative) "
                        + "(\(describe(manifest))), so its checks cannot be compared with it: a check of your own there cannot "
                        + "ask for the reference. In the instructor's kit, record again (swift run kit record).")
            }
        }
        checkedSources[path] = .some(problem)
        if let problem { throw problem }
    }

    private func loadSuite(_ suiteFile: String) -> Result<[String: Record], RecordingProblem> {
        if let loaded = suites[suiteFile] { return loaded }
        let url = directory.appendingPathComponent(Recording.fileName(forSuite: suiteFile))
        let result: Result<[String: Record], RecordingProblem>
        do {
            result = .success(try JSONDecoder().decode(SuiteRecording.self, from: Data(contentsOf: url)).values)
        } catch {
            result = .failure(
                RecordingProblem(
                    description: "\(RecordingProblem.prefix) of \(suiteFile) cannot be read from "
                        + "\(url.path): \(error.localizedDescription)"))
        }
        suites[suiteFile] = result
        return result
    }
}
