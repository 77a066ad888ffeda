import Foundation
import NeuralKit

/// The grading copy of the kit: a fixed folder whose `.build` is kept between
/// submissions (so only the student module and what depends on it recompile),
/// and whose sources are rewritten from the instructor's kit for every build.
///
/// Only files whose contents change are written, so the compiler sees the
/// instructor's files as unchanged and skips them.
struct GradingWorkspace {
    /// The instructor's kit.
    let instructor: Kit
    /// The grading copy (a package folder).
    let root: URL
    /// The instructor's hidden suites, copied to Tests/StageTests/Hidden/.
    let hiddenTests: URL?

    /// Whether this copy runs the reference as the student's module (to record it) instead of student code.
    var buildsReference = false
    /// The sandbox of every build and run in this copy; nil: none (the copy that records the
    /// reference, which holds no student code, or `--no-sandbox`).
    var sandbox: Sandbox?

    /// Where each build and run gets a fresh writable folder of its own, beside the copy.
    var scratch: URL { URL(fileURLWithPath: root.path + "-scratch") }

    /// A fresh scratch folder for one process, removed by `done`.
    private func scratchFolder() throws -> URL {
        try (sandbox ?? .unconfined).makeScratch(in: scratch)
    }

    /// Where hidden suites go in the grading copy; checks declared there are hidden.
    static let hiddenFolder = "Tests/StageTests/Hidden"

    /// The stages whose folder is in the instructor's kit.
    var stages: [Stage] { Course.stages.filter(instructor.isAvailable) }

    /// The instructor's files (relative path → contents) as a student's build sees them:
    /// Package.swift, Sources/ but the reference's fast versions (Sources/FastReference/), the stage
    /// suites (Tests/StageTests/), Exercises/ with every stage's original stub, and the hidden suites.
    /// No Solutions/: the `Solutions` module is then built from the stubs, and the suites replay the
    /// reference from a recording.
    func baseTree() throws -> [String: Data] {
        var tree: [String: Data] = [:]
        tree["Package.swift"] = try Kit.manifestWithoutReference(Data(contentsOf: instructor.url("Package.swift")))
        for folder in ["Sources", "Tests/StageTests", "Exercises"] {
            try GradingWorkspace.read(instructor.url(folder), as: folder, into: &tree) { path in
                !path.hasPrefix(GradingWorkspace.hiddenFolder + "/") && !path.hasPrefix("Tests/StageTests/Recording/")
                    && !path.hasPrefix(ReferenceLeaks.fastReferenceFolder + "/")
            }
        }
        for stage in stages {
            let stubs = instructor.pristineFiles(stage)
            guard !stubs.isEmpty else { continue }
            for key in tree.keys where key.hasPrefix("Exercises/\(stage.folder)/") { tree[key] = nil }
            for stub in stubs { tree["Exercises/\(stage.folder)/\(stub.name)"] = stub.contents }
        }
        if let hiddenTests {
            var hidden: [String: Data] = [:]
            try GradingWorkspace.read(hiddenTests, as: GradingWorkspace.hiddenFolder, into: &hidden) {
                $0.hasSuffix(".swift")
            }
            guard !hidden.isEmpty else {
                throw KitError("\(hiddenTests.path) holds no .swift files (the hidden suites)")
            }
            tree.merge(hidden) { $1 }
        }
        return tree
    }

    /// The files of each stage as the instructor hands them out: name → contents (the manifest's files).
    func stubs(_ stage: Stage, in base: [String: Data]) -> [String: Data] {
        files(of: stage, under: "Exercises", in: base)
    }

    /// The instructor's reference solutions (Solutions/…, relative path → contents): only the
    /// copy that records the reference, and the stages graded on the reference, get them.
    func referenceTree() throws -> [String: Data] {
        var tree: [String: Data] = [:]
        try GradingWorkspace.read(instructor.url("Solutions"), as: "Solutions", into: &tree) { _ in true }
        guard !tree.isEmpty else {
            throw KitError(
                "\(instructor.url("Solutions").path) is missing or empty: grading needs the reference solutions "
                    + "(this looks like a student edition of the kit)")
        }
        // The instructor's manifest (`hasReference = true`), over the base's.
        tree["Package.swift"] = try Data(contentsOf: instructor.url("Package.swift"))
        return tree
    }

    /// The reference files of each stage: name → contents (the manifest's files).
    func references(_ stage: Stage, in referenceTree: [String: Data]) -> [String: Data] {
        files(of: stage, under: "Solutions", in: referenceTree)
    }

    private func files(of stage: Stage, under root: String, in tree: [String: Data]) -> [String: Data] {
        var result: [String: Data] = [:]
        for name in stage.files { result[name] = tree["\(root)/\(stage.folder)/\(name)"] }
        return result
    }

    static func read(_ folder: URL, as prefix: String, into tree: inout [String: Data], including: (String) -> Bool)
        throws
    {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let path = prefix + "/" + name
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try read(url, as: path, into: &tree, including: including)
            } else if including(path) {
                tree[path] = try Data(contentsOf: url)
            }
        }
    }

    /// Makes the grading copy hold exactly `tree` (its `.build` aside). Returns how many files changed.
    @discardableResult
    func apply(_ tree: [String: Data]) throws -> Int {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
        var existing: [String] = []
        func list(_ url: URL, _ prefix: String) {
            guard let names = try? fileManager.contentsOfDirectory(atPath: url.path) else { return }
            for name in names {
                if prefix.isEmpty, name.hasPrefix(".") { continue } // .build, .swiftpm
                let child = url.appendingPathComponent(name)
                let path = prefix.isEmpty ? name : prefix + "/" + name
                // The file's own type, a link not followed.
                let type = (try? fileManager.attributesOfItem(atPath: child.path))?[.type] as? FileAttributeType
                if type == .typeDirectory {
                    list(child, path)
                } else {
                    existing.append(path)
                }
            }
        }
        list(root, "")
        var changed = 0
        for path in existing where tree[path] == nil {
            try fileManager.removeItem(at: root.appendingPathComponent(path))
            changed += 1
        }
        for (path, data) in tree {
            let url = root.appendingPathComponent(path)
            // Never through a link: a link where a file belongs is replaced by the file.
            if (try? fileManager.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType == .typeSymbolicLink
            {
                try fileManager.removeItem(at: url)
            }
            if let current = try? Data(contentsOf: url), current == data { continue }
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
            changed += 1
        }
        return changed
    }

    // MARK: Building and running

    /// The name of the package's test product: "<package name>PackageTests".
    var testProduct: String {
        let manifest = (try? String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)) ?? ""
        if let range = manifest.range(of: #"Package\(\s*name:\s*"([^"]+)""#, options: .regularExpression) {
            let match = manifest[range]
            if let open = match.lastIndex(of: "\""), let start = match[..<open].lastIndex(of: "\"") {
                return String(match[match.index(after: start)..<open]) + "PackageTests"
            }
        }
        return "NeuralKitPackageTests"
    }

    /// The environment of the builds: the instructor's, without the switches
    /// that would build the reference as the student's module. The processor
    /// the core is compiled for stays: the builds must agree with the warm-up.
    /// The copy that records the reference is built as the maintainers' check.
    var buildEnvironment: [String: String] {
        var environment = Self.buildEnvironment(ProcessInfo.processInfo.environment)
        if buildsReference { environment["NEURALKIT_REFERENCE"] = "1" }
        return environment
    }

    static func buildEnvironment(_ environment: [String: String]) -> [String: String] {
        environment.filter { key, _ in
            !(key.hasPrefix("NEURALKIT_") || key.hasPrefix("KIT_")) || key == "NEURALKIT_TARGET_CPU"
        }
    }

    /// Builds the tests of the grading copy. Only what changed recompiles.
    /// `--explicit-target-dependency-import-check error` makes an import of a
    /// module the student's target does not depend on (Solutions) an error.
    func build(timeout: TimeInterval) throws -> (result: LimitedResult, failures: [CompileFailure]) {
        let arguments = [
            "swift", "build", "--product", testProduct,
            "--explicit-target-dependency-import-check", "error",
        ]
        // The student module is compiled afresh every time: its files change between submissions
        // and between the as-is and on-reference builds, and an incremental build was seen to keep
        // a previous version's object file. Removing its objects costs a few seconds.
        let objects = root.appendingPathComponent(".build/debug/Exercises.build")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: objects.path)) ?? []
        where name.hasSuffix(".o") || name.hasSuffix(".swiftdeps") || name.hasSuffix(".priors") {
            try? FileManager.default.removeItem(at: objects.appendingPathComponent(name))
        }
        // The sandboxed build writes only the copy (its .build) and a scratch HOME; the copy is then
        // mounted read-only for the checks, so nothing a build leaves is writable by a student's run.
        try sandbox?.handOver([root])
        defer { try? sandbox?.takeBack([root]) }
        let home = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = buildEnvironment
        if sandbox != nil { (environment["HOME"], environment["TMPDIR"]) = (home.path, home.path) }
        let result = try LimitedProcess.run(
            ["/usr/bin/env"] + arguments, in: root, environment: environment,
            limits: .build(seconds: timeout), sandbox: sandbox,
            view: Sandbox.View(writable: [root, home]))
        let failures = result.succeeded ? [] : CheckRunner.compileFailures(in: result.output, root: root)
        return (result, failures)
    }

    /// The test binary that `run` starts directly (Linux); nil: go through `swift test`.
    var testBinary: URL? {
        #if os(Linux)
        let url = root.appendingPathComponent(".build/debug/\(testProduct).xctest")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
        #else
        return nil
        #endif
    }

    /// Runs the checks matching `filter` (a regular expression over check IDs) in
    /// their own limited process; returns what the event stream says.
    func runChecks(
        filter: String, salt: String, limits: ResourceLimits,
        reference: ReferenceValues
    ) throws -> (CheckRun, LimitedResult, ended: Bool) {
        let scratch = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let events = scratch.appendingPathComponent("events.jsonl")
        // The build's products and the suites are needed; the sources of the hidden suites and of
        // Exercises/ (which may hold the reference of earlier stages) are not, and are hidden.
        var view = Sandbox.View(
            readOnly: [root], writable: [scratch],
            hidden: [
                root.appendingPathComponent(GradingWorkspace.hiddenFolder), root.appendingPathComponent("Exercises"),
            ]
            .filter { FileManager.default.fileExists(atPath: $0.path) })
        var arguments: [String]
        var environment: [String: String]
        if let binary = testBinary {
            arguments = [binary.path, "--testing-library", "swift-testing"]
            let inherited = ProcessInfo.processInfo.environment
            environment = [
                "PATH": inherited["PATH"] ?? "/usr/bin:/bin", "HOME": scratch.path, "TMPDIR": scratch.path,
                "LANG": inherited["LANG"] ?? "C.UTF-8",
            ]
            if let libraries = inherited["LD_LIBRARY_PATH"] { environment["LD_LIBRARY_PATH"] = libraries }
        } else {
            arguments = ["/usr/bin/env", "swift", "test", "--skip-build", "--disable-xctest"]
            environment = buildEnvironment
        }
        arguments += ["--event-stream-output-path", events.path, "--event-stream-version", "0", "--filter", filter]
        environment["NEURALKIT_GRADING_SALT"] = salt
        switch reference {
        case .record(let folder):
            environment["NEURALKIT_RECORD"] = folder.path
            view.writable.append(folder)
        case .replay(let folder):
            environment["NEURALKIT_RECORDING"] = folder.path
            view.readOnly.append(folder)
        }
        // A crash ends at once, without the runtime's backtrace (slow, and its text is the kit's, not the student's).
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment["NO_COLOR"] = "1"
        let result = try LimitedProcess.run(
            arguments, in: root, environment: environment, limits: limits,
            sandbox: sandbox, view: view)
        let stream = GradingWorkspace.readEvents(events)
        return (CheckRunner.parse(events: stream), result, stream.contains("\"runEnded\""))
    }
}

extension GradingWorkspace {
    /// The event stream a run wrote: a regular file, never through a link or a pipe the student's
    /// code may have put in its place, and at most 64 MB of it.
    static func readEvents(_ url: URL) -> String {
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var information = stat()
        guard fstat(descriptor, &information) == 0, (information.st_mode & S_IFMT) == S_IFREG else { return "" }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        let data = (try? handle.read(upToCount: 64 << 20)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Where the checks of a run get the reference's values.
enum ReferenceValues: Sendable {
    /// Run the reference and write its values to the folder (the recording copy only).
    case record(URL)
    /// Replay them from the folder (every student build).
    case replay(URL)
}
