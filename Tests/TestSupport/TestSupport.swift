import Foundation
import NeuralKit

// What the kit's own test targets share (maintainers' build only).

/// The kit's folder (this file is Tests/TestSupport/TestSupport.swift).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The `kit` executable of this build: beside the test bundle, or in .build/debug.
public func kitExecutable() throws -> URL {
    var candidates: [URL] = []
    for argument in CommandLine.arguments + [Bundle.main.bundlePath] {
        if let range = argument.range(of: ".xctest") {
            candidates.append(
                URL(fileURLWithPath: String(argument[..<range.upperBound])).deletingLastPathComponent()
                    .appendingPathComponent("kit"))
        }
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/kit"))
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw KitError("the kit executable was not found next to the tests (looked in \(candidates.map(\.path)))")
    }
    return found
}

/// Runs `process` to its end with its output and errors in one temporary file (a pipe's buffer
/// could fill and block a talkative process); returns its exit status and that output.
public func runCapturingOutput(_ process: Process) throws -> (status: Int32, output: String) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("kit-test-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
}
