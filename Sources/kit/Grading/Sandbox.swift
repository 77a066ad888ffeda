import Foundation
import NeuralKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The OS sandbox around every process that builds or runs student code: bubblewrap on Linux.
///
/// Each process gets a root of its own holding only the system folders and the toolchain (read
/// only), the folders its run needs, a private `/tmp`, no network, its own process IDs, and, when
/// the grader runs as root, an unprivileged user of its own, so that the process limit holds and no
/// file of the machine's users is readable or writable beyond what is bound in. As root, bubblewrap
/// sets the sandbox up as root (so the grading copy may sit under a folder only root can enter)
/// and `setpriv`, inside, drops to that user, with every capability, before the command starts.
/// Other submissions, the instructor's kit, the output folder and the copy that records the
/// reference are not in its view at all. When bubblewrap is killed, everything in the sandbox dies
/// with it (`--die-with-parent` and the process-ID namespace).
struct Sandbox: Sendable {
    /// The bubblewrap executable.
    let bubblewrap: String
    /// The unprivileged user (and group) the sandboxed process runs as, when the grader runs as
    /// root; nil: the grader's own user (bubblewrap's user namespace keeps it unprivileged).
    let user: UInt32?
    /// `setpriv`, which drops root to `user` inside the sandbox.
    let setpriv: String?
    /// Read-only folders every sandbox sees: the system's and the toolchain's.
    let systemFolders: [String]
    /// Symbolic links at the root (`/lib` → `usr/lib` on merged-/usr systems), kept as links.
    let systemLinks: [(link: String, target: String)]
    /// The toolchain's folder as PATH names it, when that is a link to where it is (`/opt/swift`).
    var toolchainLinks: [(link: String, target: String)] = []

    /// What one sandboxed process may see and change.
    struct View: Sendable {
        /// Folders it reads (the build products, the recording).
        var readOnly: [URL] = []
        /// Folders it may write (a build's package folder, the run's scratch folder).
        var writable: [URL] = []
        /// Folders inside those that it sees empty.
        var hidden: [URL] = []
    }

    /// The first user ID the grader's sandboxes run as when the grader is root. Each job of each
    /// `kit grade` takes a user of its own (`claimUser`), so that no two share a process count.
    static let firstUser: UInt32 = 64_000

    /// The sandbox for grading job `job` on this machine, or why there is none; `path` is where
    /// to look for bubblewrap and setpriv (default: PATH).
    static func detect(job: Int = 0, path: String? = nil) -> Result<Sandbox, SandboxUnavailable> {
        #if os(Linux)
        guard let bubblewrap = Shell.which("bwrap", path: path) else {
            return .failure(
                SandboxUnavailable(
                    "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: "
                        + "apt-get install -y bubblewrap"))
        }
        var user: UInt32?
        var setpriv: String?
        if geteuid() == 0 {
            guard let found = Shell.which("setpriv", path: path) else {
                return .failure(
                    SandboxUnavailable(
                        "the grader runs as root, and setpriv (util-linux), which drops to an "
                            + "unprivileged user for the sandbox, is not installed"))
            }
            setpriv = found
            guard let claimed = claimUser(from: firstUser + UInt32(job)) else {
                return .failure(
                    SandboxUnavailable(
                        "no free user ID for the sandbox from \(firstUser + UInt32(job)) on: each "
                            + "is a user of this machine, or taken by another kit grade"))
            }
            user = claimed
        }
        var folders: [String] = []
        var links: [(String, String)] = []
        for path in ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                links.append((path, target))
            } else if FileManager.default.fileExists(atPath: path) {
                folders.append(path)
            }
        }
        // The toolchain, when it is not under /usr: <toolchain>/usr/bin/swift, at the path PATH names
        // (/opt/swift, often a link) and where it really is.
        var toolchainLinks: [(link: String, target: String)] = []
        if let swift = Shell.which("swift", path: path) {
            func toolchain(of url: URL) -> String {
                url.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                    .standardizedFileURL.path
            }
            let named = toolchain(of: URL(fileURLWithPath: swift))
            let real = toolchain(of: URL(fileURLWithPath: swift).resolvingSymlinksInPath())
            if !folders.contains(where: { real == $0 || real.hasPrefix($0 + "/") }) {
                // Only a real toolchain folder, never a home folder a wrapper script happens to sit in.
                guard FileManager.default.fileExists(atPath: real + "/usr/lib/swift"), real != "/",
                    !real.hasPrefix("/home/"),
                    real != NSHomeDirectory()
                else {
                    return .failure(
                        SandboxUnavailable(
                            "\(swift) is not in a Swift toolchain folder (<toolchain>/usr/bin/swift "
                                + "beside <toolchain>/usr/lib/swift), which the sandbox could show read-only"))
                }
                folders.append(real)
                if named != real { toolchainLinks.append((named, real)) }
            }
        }
        let sandbox = Sandbox(
            bubblewrap: bubblewrap, user: user, setpriv: setpriv, systemFolders: folders,
            systemLinks: links, toolchainLinks: toolchainLinks)
        // Containers often forbid the namespaces bubblewrap needs, and the toolchain must be reachable
        // as the sandbox's user: try both once.
        let environment = ["PATH": path ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let probe = sandbox.command(
            ["/bin/sh", "-c", Shell.which("swift", path: path) == nil ? "true" : "swift --version"],
            in: URL(fileURLWithPath: "/"), view: View())
        let result = try? Shell.capture(probe, in: URL(fileURLWithPath: "/"), timeout: 60, environment: environment)
        guard let result, result.status == 0 else {
            let said =
                result?.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").prefix(3)
                .joined(separator: " ") ?? ""
            return .failure(
                SandboxUnavailable(
                    "bubblewrap is installed but cannot make a sandbox here, or the toolchain does "
                        + "not run in it" + (said.isEmpty ? "" : " (\(said))")
                        + (user == nil
                            ? "; in a container, allow user namespaces"
                            : "; as root it needs to make mount and process namespaces (CAP_SYS_ADMIN; in Docker, --privileged)")
                ))
        }
        return .success(sandbox)
        #else
        return .failure(SandboxUnavailable("the grader's sandbox (bubblewrap) is Linux-only"))
        #endif
    }

    /// The command line that runs `arguments` in `directory` inside the sandbox.
    func command(_ arguments: [String], in directory: URL, view: View) -> [String] {
        var line = [bubblewrap]
        // As root, no user namespace: its root would be the machine's root to the kernel's process
        // count and to root's files. setpriv drops to `user` instead, after the mounts.
        line +=
            user == nil
            ? ["--unshare-all", "--cap-drop", "ALL"]
            : ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        line += ["--die-with-parent", "--new-session"]
        // bubblewrap makes the folders leading to a bound one (/opt for /opt/swift) readable by
        // root only: they are made first, so that the sandbox's user may pass through them.
        var made: Set<String> = ["/"]
        func bind(_ option: String, _ path: String) {
            var ancestors: [String] = []
            var parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            while !made.contains(parent) && parent != "/" {
                ancestors.insert(parent, at: 0)
                parent = URL(fileURLWithPath: parent).deletingLastPathComponent().path
            }
            for ancestor in ancestors { line += ["--perms", "0755", "--dir", ancestor] }
            made.formUnion(ancestors)
            line += [option, path, path]
            made.insert(path)
        }
        for folder in systemFolders { bind("--ro-bind", folder) }
        for link in systemLinks { line += ["--symlink", link.target, link.link] }
        for link in toolchainLinks {
            let parent = URL(fileURLWithPath: link.link).deletingLastPathComponent().path
            if !made.contains(parent) {
                line += ["--perms", "0755", "--dir", parent]
                made.insert(parent)
            }
            line += ["--symlink", link.target, link.link]
        }
        line += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
        made.formUnion(["/proc", "/dev", "/tmp"])
        for folder in view.readOnly { bind("--ro-bind", folder.path) }
        for folder in view.writable { bind("--bind", folder.path) }
        // Emptied: sources in the bound folders that the run does not need and may not read (the hidden
        // suites, the reference files of the stages graded on the reference).
        for folder in view.hidden { line += ["--tmpfs", folder.path] }
        line += ["--chdir", directory.path, "--"]
        if let setpriv, let user {
            line += [
                setpriv, "--reuid", String(user), "--regid", String(user), "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            ]
        }
        return line + arguments
    }

    /// Makes `folders` (and everything in them) the sandbox user's, so that its builds can write
    /// there; nothing to do when the grader is not root.
    func handOver(_ folders: [URL]) throws {
        guard let user else { return }
        for folder in folders {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let result = try Shell.capture(["chown", "-R", "\(user):\(user)", folder.path], in: folder)
            guard result.status == 0 else {
                throw KitError("could not give \(folder.path) to the sandbox's user: \(result.output)")
            }
        }
    }

    /// No sandbox (`--no-sandbox`): folders are made the same way, for the grader's own user.
    static let unconfined = Sandbox(bubblewrap: "", user: nil, setpriv: nil, systemFolders: [], systemLinks: [])

    /// Gives `folders` back to root after a build, so that the grader, as root, never writes into a
    /// folder the sandbox's user owns.
    func takeBack(_ folders: [URL]) throws {
        guard user != nil else { return }
        for folder in folders {
            let result = try Shell.capture(["chown", "-R", "0:0", folder.path], in: folder)
            guard result.status == 0 else {
                throw KitError("could not take back \(folder.path) from the sandbox's user: \(result.output)")
            }
        }
    }

    /// A new empty folder that the sandboxed process may write (its HOME, TMPDIR, the event stream).
    func makeScratch(in parent: URL) throws -> URL {
        let folder = parent.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let user, chown(folder.path, user, user) != 0 {
            throw KitError("could not give \(folder.path) to the sandbox's user: \(String(cString: strerror(errno)))")
        }
        return folder
    }

    /// Kills every process of the sandbox's user that is left (root only: the user is this job's
    /// alone), and waits until none is left, so that nothing of a run outlives it: not in the
    /// scratch folder the grader removes next, not in the next run's process count.
    func killLeftovers() {
        #if os(Linux)
        guard let user else { return }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            var found = false
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(name),
                    let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
                    line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().contains(where: {
                        UInt32($0) == user
                    })
                else { continue }
                found = true
                kill(pid, SIGKILL)
            }
            if !found { return }
            usleep(5_000)
        }
        #endif
    }

    /// A user ID from `first` on (every 64th) that is no user of this machine and that no other
    /// `kit grade` holds: an exclusive lock on a file, held until the process ends.
    private static func claimUser(from first: UInt32) -> UInt32? {
        for candidate in stride(from: first, to: first + 64 * 16, by: 64) {
            guard getpwuid(candidate) == nil else { continue }
            let path = "/tmp/neuralkit-sandbox-user-\(candidate).lock"
            let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { continue }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return candidate } // held until the process exits
            close(descriptor)
        }
        return nil
    }

    /// What `run.json` and the start of a run say about it.
    var description: String {
        "bubblewrap (\(bubblewrap))"
            + (user.map { ", as user \($0) (setpriv, inside)" } ?? ", as the grader's user in a user namespace")
    }
}

/// Why the grader cannot sandbox here.
struct SandboxUnavailable: Error, Sendable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
