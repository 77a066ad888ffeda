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
