import Foundation

/// The output and status of a finished command.
struct CommandResult {
    var status: Int32
    var output: String
    var timedOut = false
}

enum Shell {
    /// Runs `arguments` (found in PATH) in `directory`, capturing standard
    /// output and error together; stops it after `timeout` seconds.
    static func capture(
        _ arguments: [String], in directory: URL, timeout: TimeInterval? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("kit-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = makeProcess(arguments, in: directory, environment: environment)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning {
                if Date() > deadline {
                    process.terminate()
                    timedOut = true
                    break
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        process.waitUntilExit()
        try? handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return CommandResult(status: process.terminationStatus, output: output, timedOut: timedOut)
    }

    /// Runs `arguments` with the terminal's standard input and output; returns its status.
    static func interactive(_ arguments: [String], in directory: URL) throws -> Int32 {
        let process = makeProcess(arguments, in: directory, environment: [:])
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Whether an executable named `name` is in `path` (default: PATH).
    static func which(_ name: String, path: String? = nil) -> String? {
        let path = path ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func makeProcess(_ arguments: [String], in directory: URL, environment: [String: String]) -> Process
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        return process
    }
}
