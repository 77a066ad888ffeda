import Foundation

/// Why one mirror did not give one file.
public struct MirrorFailure: Error, Sendable, Equatable {
    /// Whose problem it is, which decides the advice.
    public enum Kind: Sendable, Equatable {
        /// No answer at all (DNS, connection refused, timeout): the network or a proxy.
        case unreachable
        /// The server answered, but with an HTTP error or a file that is not the published one: that mirror.
        case refused
        /// This machine (a folder that is not writable, a URL that is not http(s)).
        case local
    }

    public var file: String
    public var url: String
    public var reason: String
    public var kind: Kind

    public init(file: String, url: String, reason: String, kind: Kind) {
        self.file = file
        self.url = url
        self.reason = reason
        self.kind = kind
    }
}

/// The files a download could not fetch from any mirror, with each mirror's failure.
public struct DownloadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var failures: [MirrorFailure]
    /// Where the files were to go, and the mirrors tried: for the advice to download them by hand.
    public var folder: String
    public var mirrors: [String]

    public init(failures: [MirrorFailure], folder: String, mirrors: [String]) {
        self.failures = failures
        self.folder = folder
        self.mirrors = mirrors
    }

    /// Each failure, then the advice: for a caller that did not show the `mirrorFailed` events.
    public var description: String {
        var lines: [String] = []
        for file in files {
            lines.append("could not download \(file) from any mirror:")
            lines += failures.filter { $0.file == file }.map { "  \($0.url): \($0.reason)" }
        }
        return (lines + [advice]).joined(separator: "\n")
    }

    /// The files that failed and the advice, without the failures: for a caller that showed each as it came.
    public var summary: String {
        "could not download \(files.joined(separator: ", ")) from any mirror (each mirror's answer is above).\n"
            + advice
    }

    /// The failed files, in order, each once.
    public var files: [String] {
        failures.map(\.file).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// What to do, by whose problem each failure was: the network's, a mirror's, or this machine's.
    public var advice: String {
        func hosts(_ kind: MirrorFailure.Kind) -> [String] {
            failures.filter { $0.kind == kind }.map { DownloadFailure.host(of: $0.url) }
                .reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        }
        var lines: [String] = []
        let unreachable = hosts(.unreachable)
        if !unreachable.isEmpty {
            lines.append(
                "Could not reach \(unreachable.joined(separator: ", ")): check the network connection (or a proxy: "
                    + "http_proxy / https_proxy) and run the command again.")
        }
        let refused = hosts(.refused)
        if !refused.isEmpty {
            lines.append(
                "\(refused.joined(separator: ", ")) answered but did not give the published file: "
                    + "\(refused.count == 1 ? "that mirror is" : "those mirrors are") broken, not your network.")
        }
        lines.append(
            "Nothing was written under those names. Run the command again to try the mirrors once more, "
                + "or download the files yourself from \(mirrors.joined(separator: " or ")) into \(folder) "
                + "— any copy whose content is the standard IDX data loads.")
        return lines.joined(separator: "\n")
    }

    /// "yann.lecun.com", or "127.0.0.1:8080": what the advice names a mirror by.
    static func host(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        return components.port.map { "\(host):\($0)" } ?? host
    }
}
