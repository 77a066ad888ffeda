import Foundation
import NeuralKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a process of the grader may use. Applied with `ulimit` by `/bin/sh`
/// before it `exec`s the command, so they bind the command and its children.
struct ResourceLimits: Sendable {
    /// Wall-clock seconds before the whole process group is killed.
    var seconds: TimeInterval
    /// CPU seconds (`ulimit -t`): a backstop if the wall clock is not watched. 0: none.
    var cpuSeconds: Int = 0
    /// Virtual memory in MB (`ulimit -v`). 0: none.
    var memoryMegabytes: Int = 0
    /// Processes (and threads) of the user (`ulimit -u`, `-p` in dash). 0: none. The kernel does not
    /// enforce it for root: the sandbox runs as an unprivileged user when the grader is root.
    var processes: Int = 0
    /// Largest file the process may write, in MB (`ulimit -f`). 0: none.
    var fileMegabytes: Int = 0
    /// Output cap in MB: the process is stopped when its output reaches it. 0: none.
    var outputMegabytes: Int = 0
    /// Bytes of output kept: the first and last halves when there is more.
    var keptOutputBytes: Int = 64 * 1024

    /// The limits for one run of a stage's checks.
    static func checks(seconds: TimeInterval) -> ResourceLimits {
        ResourceLimits(
            seconds: seconds, cpuSeconds: Int(seconds * 2) + 5, memoryMegabytes: 4096,
            processes: 512, fileMegabytes: 65, outputMegabytes: 64)
    }

    /// The limits for a build of a grading copy: the compiler needs more processes, threads and
    /// file size than a test run; its output is capped all the same.
    static func build(seconds: TimeInterval) -> ResourceLimits {
        ResourceLimits(seconds: seconds, processes: 2048, outputMegabytes: 64, keptOutputBytes: 512 * 1024)
    }

    /// The `ulimit` lines, for `/bin/sh` (dash counts `-f` in 512-byte blocks, as POSIX says).
    var shellPrefix: String {
        var lines: [String] = []
        if cpuSeconds > 0 { lines.append("ulimit -t \(cpuSeconds)") }
        if memoryMegabytes > 0 { lines.append("ulimit -v \(memoryMegabytes * 1024)") }
        if processes > 0 { lines.append("{ ulimit -u \(processes) || ulimit -p \(processes); } 2>/dev/null") }
        if fileMegabytes > 0 { lines.append("ulimit -f \(fileMegabytes * 2048)") }
        return lines.map { $0 + "; " }.joined()
    }
}

/// How a limited process ended.
struct LimitedResult: Sendable {
    /// The exit status, or 128 + the signal that stopped it.
    var status: Int32
    /// The signal that stopped it, if one did.
    var signal: Int32?
    var timedOut: Bool
    /// Its standard output and error, capped to `keptOutputBytes` (head and tail).
    var output: String
    /// How many bytes it wrote in all.
    var outputBytes: Int
    /// It was stopped because its output reached the cap (`outputMegabytes`).
    var outputLimited = false
    var seconds: TimeInterval

    var succeeded: Bool { status == 0 && !timedOut }
}

/// Runs a command in its own process group, with resource limits and a wall-clock
/// limit; on timeout the whole group is killed. Output goes to a file, so that
/// a flood never fills the grader's memory; only its head and tail are kept.
enum LimitedProcess {
    /// With a `sandbox`, the command runs inside it and sees only `view` besides the system.
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String],
        limits: ResourceLimits, sandbox: Sandbox? = nil, view: Sandbox.View = .init()
    ) throws -> LimitedResult {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("kit-grade-\(getpid())-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        // sh -c 'cd "$1" && shift && ulimit …; exec "$@"' sh DIR COMMAND ARGS…
        // umask 022: what a sandboxed build writes stays readable by the checks, whatever the grader's umask.
        let script = "cd \"$1\" || exit 126; shift; umask 022; " + limits.shellPrefix + "exec \"$@\""
        let limited = ["/bin/sh", "-c", script, "sh", directory.path] + arguments
        let argv = sandbox?.command(limited, in: directory, view: view) ?? limited
        let started = Date()
        let pid = try spawn(argv, environment: environment, output: log.path)
        var status: Int32 = 0
        var timedOut = false
        var outputLimited = false
        let deadline = started.addingTimeInterval(limits.seconds)
        let outputCap = off_t(limits.outputMegabytes) * 1024 * 1024
        var information = stat()
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { break }
            // The output cap is watched here too: a process that ignores SIGXFSZ would otherwise
            // go on running, its writes failing, until the time limit.
            if outputCap > 0, stat(log.path, &information) == 0, information.st_size >= outputCap {
                outputLimited = true
            }
            if Date() > deadline { timedOut = true }
            if timedOut || outputLimited {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(10_000)
        }
        // Children it left behind (the group outlives its leader; a sandbox dies with bubblewrap, and
        // as root everything of the sandbox's user is killed and waited for).
        kill(-pid, SIGKILL)
        sandbox?.killLeftovers()
        var signal: Int32? = (status & 0x7f) != 0 ? status & 0x7f : nil
        var exitStatus = signal.map { 128 + $0 } ?? ((status >> 8) & 0xff)
        // bubblewrap exits with 128 + the signal that stopped the command inside.
        if sandbox != nil, signal == nil, exitStatus > 128, exitStatus < 128 + 32 {
            signal = exitStatus - 128
        }
        // Past the file-size limit before the watch saw the cap (ended by SIGXFSZ, or by its failing
        // writes): the output limit all the same.
        if signal == SIGXFSZ || (outputCap > 0 && stat(log.path, &information) == 0 && information.st_size >= outputCap)
        {
            outputLimited = true
        }
        if outputLimited {
            exitStatus = 128 + SIGXFSZ
            signal = SIGXFSZ
        }
        let (output, bytes) = readCapped(log, keeping: limits.keptOutputBytes)
        return LimitedResult(
            status: exitStatus, signal: signal, timedOut: timedOut && !outputLimited, output: output,
            outputBytes: bytes, outputLimited: outputLimited, seconds: Date().timeIntervalSince(started))
    }

    /// The file's text, or its first and last `keeping / 2` bytes with a note between.
    static func readCapped(_ url: URL, keeping: Int) -> (String, Int) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return ("", 0) }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        try? handle.seek(toOffset: 0)
        if size <= keeping {
            let data = (try? handle.readToEnd()) ?? Data()
            return (String(decoding: data, as: UTF8.self), size)
        }
        let half = keeping / 2
        let head = (try? handle.read(upToCount: half)) ?? Data()
        try? handle.seek(toOffset: UInt64(size - half))
        let tail = (try? handle.readToEnd()) ?? Data()
        let note = "\n… (\(size - head.count - tail.count) bytes of output left out) …\n"
        return (String(decoding: head, as: UTF8.self) + note + String(decoding: tail, as: UTF8.self), size)
    }

    /// posix_spawn in a new process group, standard input from /dev/null, output to `output`.
    private static func spawn(_ argv: [String], environment: [String: String], output: String) throws -> pid_t {
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environmentLines.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments + cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else {
            throw KitError(
                "could not start \(argv.dropFirst(4).joined(separator: " ")): \(String(cString: strerror(result)))")
        }
        return pid
    }
}

/// Keeps two `kit grade` runs from sharing a grading copy: an exclusive `flock`
/// on `<work>.lock`, held until the process ends.
enum WorkLock {
    static func acquire(_ work: URL) throws {
        try FileManager.default.createDirectory(at: work.deletingLastPathComponent(), withIntermediateDirectories: true)
        let path = work.path + ".lock"
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw KitError("could not create \(path): \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            throw KitError(
                "another `kit grade` is using the grading copy \(work.path); wait for it, or give this one "
                    + "its own with --work DIR")
        }
        // The descriptor stays open, and the lock held, until the process exits.
    }
}
