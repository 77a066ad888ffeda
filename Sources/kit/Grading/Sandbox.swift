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

    /// What one sandboxed process may see and change.
    struct View: Sendable {
        /// Folders it reads (the build products, the recording).
        var readOnly: [URL] = []
        /// Folders it may write (a build's package folder, the run's scratch folder).
        var writable: [URL] = []
    }

    /// The first user ID the grader's sandboxes run as when the grader is root; job k uses
    /// `firstUser + k`, so that parallel jobs never share a process count or a file.
    static let firstUser: UInt32 = 64_000

    /// The sandbox for grading job `job` on this machine, or why there is none; `path` is where
    /// to look for bubblewrap and setpriv (default: PATH).
    static func detect(job: Int = 0, path: String? = nil) -> Result<Sandbox, SandboxUnavailable> {
        #if os(Linux)
        guard let bubblewrap = Shell.which("bwrap", path: path) else {
            return .failure(SandboxUnavailable("bubblewrap (bwrap) is not installed; on Debian or Ubuntu: "
                + "apt-get install -y bubblewrap"))
        }
        var user: UInt32?
        var setpriv: String?
        if geteuid() == 0 {
            guard let found = Shell.which("setpriv", path: path) else {
                return .failure(SandboxUnavailable("the grader runs as root, and setpriv (util-linux), which drops to an "
                    + "unprivileged user for the sandbox, is not installed"))
            }
            setpriv = found
            user = firstUser + UInt32(job)
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
        // The toolchain, when it is not under /usr: <toolchain>/usr/bin/swift.
        if let swift = Shell.which("swift") {
            let toolchain = URL(fileURLWithPath: swift).resolvingSymlinksInPath()
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            if !folders.contains(where: { toolchain == $0 || toolchain.hasPrefix($0 + "/") }) && toolchain != "/" {
                folders.append(toolchain)
            }
        }
        let sandbox = Sandbox(bubblewrap: bubblewrap, user: user, setpriv: setpriv, systemFolders: folders,
                              systemLinks: links)
        // Containers often forbid the namespaces bubblewrap needs: try it once.
        let probe = sandbox.command(["/bin/true"], in: URL(fileURLWithPath: "/"), view: View())
        let result = try? Shell.capture(probe, in: URL(fileURLWithPath: "/"), timeout: 30)
        guard let result, result.status == 0 else {
            let said = result?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return .failure(SandboxUnavailable("bubblewrap is installed but cannot make a sandbox here"
                + (said.isEmpty ? "" : " (\(said))") + "; in a container, allow user namespaces"))
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
        line += user == nil ? ["--unshare-all", "--cap-drop", "ALL"]
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
        line += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
        made.formUnion(["/proc", "/dev", "/tmp"])
        for folder in view.readOnly { bind("--ro-bind", folder.path) }
        for folder in view.writable { bind("--bind", folder.path) }
        line += ["--chdir", directory.path, "--"]
        if let setpriv, let user {
            line += [setpriv, "--reuid", String(user), "--regid", String(user), "--clear-groups",
                     "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
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
            guard result.status == 0 else { throw KitError("could not give \(folder.path) to the sandbox's user: \(result.output)") }
        }
    }

    /// No sandbox (`--no-sandbox`): folders are made the same way, for the grader's own user.
    static let unconfined = Sandbox(bubblewrap: "", user: nil, setpriv: nil, systemFolders: [], systemLinks: [])

    /// A new empty folder that the sandboxed process may write (its HOME, TMPDIR, the event stream).
    func makeScratch(in parent: URL) throws -> URL {
        let folder = parent.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let user, chown(folder.path, user, user) != 0 {
            throw KitError("could not give \(folder.path) to the sandbox's user: \(String(cString: strerror(errno)))")
        }
        return folder
    }

    /// What `run.json` and the start of a run say about it.
    var description: String {
        "bubblewrap (\(bubblewrap))" + (user.map { ", as user \($0) (setpriv, inside)" } ?? ", as the grader's user in a user namespace")
    }
}

/// Why the grader cannot sandbox here.
struct SandboxUnavailable: Error, Sendable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
