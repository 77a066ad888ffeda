import Foundation
import Testing

@testable import kit

#if canImport(Glibc)
import Glibc
#endif

/// The sandbox of this machine, or nil (the tests that need it say they were skipped).
private let sandbox: Sandbox? = try? Sandbox.detect(job: 7).get()

@Suite("grader · the sandbox (bubblewrap)", .serialized) // one sandbox user: a run kills what it left
struct SandboxTests {
    /// A folder with a sibling holding another student's file, and the kit's own file two levels up.
    private func layout() throws -> (root: URL, copy: URL, sibling: URL, scratch: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kit-sandbox-\(UUID().uuidString)")
        let copy = root.appendingPathComponent("kit/.build-grader/worker")
        let sibling = root.appendingPathComponent("submissions/bob")
        for folder in [copy, sibling] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try Data("secret answer\n".utf8).write(to: sibling.appendingPathComponent("Dense.swift"))
        try Data("// the instructor's kit\n".utf8).write(to: root.appendingPathComponent("kit/Package.swift"))
        try Data("// the copy\n".utf8).write(to: copy.appendingPathComponent("Package.swift"))
        let scratch = try (sandbox ?? Sandbox.unconfined).makeScratch(in: root.appendingPathComponent("scratch"))
        return (root, copy, sibling, scratch)
    }

    private func run(
        _ script: String, in copy: URL, view: Sandbox.View, limits: ResourceLimits = ResourceLimits(seconds: 30)
    )
        throws -> LimitedResult
    {
        try LimitedProcess.run(
            ["/bin/sh", "-c", script], in: copy, environment: ["PATH": "/usr/bin:/bin"],
            limits: limits, sandbox: sandbox, view: view)
    }

    @Test("without bubblewrap the grader has no sandbox, and says how to get one")
    func unavailable() {
        guard case .failure(let unavailable) = Sandbox.detect(path: "/nonexistent") else {
            Issue.record("a sandbox was found where there is no bubblewrap")
            return
        }
        #expect(unavailable.reason.contains("bubblewrap"))
    }

    @Test(
        "a sandboxed process cannot read a sibling submission, the kit or the machine's secrets",
        .enabled(if: sandbox != nil, "bubblewrap is not usable here"))
    func cannotRead() throws {
        let (root, copy, sibling, scratch) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let view = Sandbox.View(readOnly: [copy], writable: [scratch])
        for path in [
            sibling.appendingPathComponent("Dense.swift").path, root.appendingPathComponent("kit/Package.swift").path,
            "../../Package.swift", "/etc/shadow",
        ] {
            let result = try run("cat '\(path)'", in: copy, view: view)
            #expect(
                result.status != 0 && !result.output.contains("secret answer") && !result.output.contains("instructor"),
                "read \(path): \(result.output)")
        }
        // What it is given, it reads.
        #expect(try run("cat Package.swift", in: copy, view: view).output.contains("the copy"))
    }

    @Test(
        "a sandboxed process cannot write outside its scratch folder: not the kit, not its read-only copy, not a sibling",
        .enabled(if: sandbox != nil, "bubblewrap is not usable here"))
    func cannotWrite() throws {
        let (root, copy, sibling, scratch) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let view = Sandbox.View(readOnly: [copy], writable: [scratch])
        let targets = [
            copy.appendingPathComponent("Planted.swift").path, "../../Planted.swift",
            root.appendingPathComponent("kit/Planted.swift").path, sibling.appendingPathComponent("Planted.swift").path,
            "/tmp/../\(root.path)/Planted.swift",
        ]
        for path in targets { _ = try run("echo planted > '\(path)'", in: copy, view: view) }
        for path in [
            copy.appendingPathComponent("Planted.swift"), root.appendingPathComponent("kit/Planted.swift"),
            sibling.appendingPathComponent("Planted.swift"), root.appendingPathComponent("Planted.swift"),
        ] {
            #expect(!FileManager.default.fileExists(atPath: path.path), "the sandbox wrote \(path.path)")
        }
        let written = try run(
            "echo mine > '\(scratch.path)/notes.txt' && cat '\(scratch.path)/notes.txt'", in: copy, view: view)
        #expect(written.output.contains("mine"))
    }

    @Test(
        "the sandbox's user reaches the toolchain and the folders given to it",
        .enabled(if: sandbox != nil, "bubblewrap is not usable here"))
    func toolchain() throws {
        let (root, copy, _, scratch) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let result = try LimitedProcess.run(
            ["/bin/sh", "-c", "swift --version && cat Package.swift && touch '\(scratch.path)/x'"],
            in: copy, environment: ["PATH": path], limits: ResourceLimits(seconds: 60),
            sandbox: sandbox, view: Sandbox.View(readOnly: [copy], writable: [scratch]))
        #expect(
            result.status == 0 && result.output.contains("Swift version") && result.output.contains("the copy"),
            "\(result.output)")
    }

    @Test(
        "a sandboxed process has no network but the loopback",
        .enabled(if: sandbox != nil, "bubblewrap is not usable here"))
    func noNetwork() throws {
        let (root, copy, _, scratch) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run("cat /proc/net/dev", in: copy, view: Sandbox.View(readOnly: [copy], writable: [scratch]))
        let interfaces = result.output.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: ":").first }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(interfaces == ["lo"], "\(result.output)")
    }

    @Test(
        "the process limit holds in the sandbox, also when the grader is root",
        .enabled(if: sandbox != nil, "bubblewrap is not usable here"))
    func processLimit() throws {
        let (root, copy, _, scratch) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        var limits = ResourceLimits(seconds: 30)
        limits.processes = 20
        let result = try run(
            "i=0; while [ $i -lt 60 ]; do sleep 2 & i=$((i+1)); done; wait", in: copy,
            view: Sandbox.View(readOnly: [copy], writable: [scratch]), limits: limits)
        #expect(
            result.output.contains("fork") || result.output.contains("Resource temporarily unavailable"),
            "60 processes started under a limit of 20: \(result.output.prefix(300))")
    }

    @Test(
        "at the time limit the whole sandbox dies, children included",
        .enabled(if: sandbox != nil, "bubblewrap is not usable here"))
    func killedAtTimeLimit() throws {
        let (root, copy, _, scratch) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        // A duration no other process of the machine sleeps for marks the children.
        let marker = "sleep 61.\(UInt32.random(in: 1000...9999))"
        let started = Date()
        let result = try run(
            "\(marker) & setsid \(marker) & wait", in: copy,
            view: Sandbox.View(readOnly: [copy], writable: [scratch]), limits: ResourceLimits(seconds: 1))
        #expect(result.timedOut)
        #expect(Date().timeIntervalSince(started) < 15)
        // As root the grader waits until nothing of the sandbox's user is left; otherwise the kernel
        // ends the sandbox's process namespace just after bubblewrap.
        if sandbox?.user == nil { usleep(300_000) }
        let left = try Shell.capture(["pgrep", "-f", marker], in: root)
        #expect(left.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "still running: \(left.output)")
    }

    @Test("output that reaches the cap stops the process at once, and says so")
    func outputCap() throws {
        let (root, copy, _, scratch) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        var limits = ResourceLimits(seconds: 60)
        limits.outputMegabytes = 2
        limits.fileMegabytes = 3
        let started = Date()
        // The loop never stops, and with SIGXFSZ ignored its writes past 3 MB fail and it goes on: only
        // the watch of the cap stops it before the time limit.
        let result = try run(
            "trap '' XFSZ; while true; do echo 'a flood of output, going on whatever happens'; done", in: copy,
            view: Sandbox.View(readOnly: [copy], writable: [scratch]), limits: limits)
        #expect(result.outputLimited && !result.timedOut)
        #expect(result.outputBytes >= 2 << 20 && result.outputBytes < 64 << 20)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(Grader.crashSummary(result).contains("output limit"))
    }

    @Test(
        "a run of checks sees the hidden suites' and the exercises' folders empty",
        .enabled(if: sandbox != nil, "bubblewrap is not usable here"))
    func hiddenSources() throws {
        let (root, copy, _, scratch) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let hidden = copy.appendingPathComponent("Tests/StageTests/Hidden")
        try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
        try Data("// a hidden check\n".utf8).write(to: hidden.appendingPathComponent("Stage05Hidden.swift"))
        let result = try run(
            "ls Tests/StageTests/Hidden; cat Tests/StageTests/Hidden/Stage05Hidden.swift; cat Package.swift", in: copy,
            view: Sandbox.View(readOnly: [copy], writable: [scratch], hidden: [hidden]))
        #expect(!result.output.contains("a hidden check") && result.output.contains("the copy"), "\(result.output)")
    }
}

@Suite("grader · reading what a run wrote")
struct RunOutputTests {
    @Test("the event stream is read only from a regular file: a link or a pipe in its place reads as nothing, at once")
    func eventsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kit-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let regular = folder.appendingPathComponent("events.jsonl")
        try Data("{\"kind\":\"test\"}\n".utf8).write(to: regular)
        #expect(GradingWorkspace.readEvents(regular).contains("test"))
        let link = folder.appendingPathComponent("link.jsonl")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: regular)
        #expect(GradingWorkspace.readEvents(link).isEmpty)
        let pipe = folder.appendingPathComponent("pipe.jsonl")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        let started = Date()
        #expect(GradingWorkspace.readEvents(pipe).isEmpty)
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
