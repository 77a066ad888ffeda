import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the downloader is doing, for a progress display.
public enum DownloadEvent: Sendable, Equatable {
    /// The file is there and its checksums match: nothing to do.
    case alreadyPresent(file: String)
    /// The file is there but does not match the published checksums: it will be replaced.
    case replacingMismatch(file: String)
    /// A transfer starts; `expectedBytes` from the catalog or the server, when known.
    case started(file: String, url: String, expectedBytes: Int64?)
    case received(file: String, bytes: Int64, expectedBytes: Int64?)
    /// Downloaded, verified and in place.
    case finished(file: String, bytes: Int64)
    /// This mirror failed (the next one is tried).
    case mirrorFailed(file: String, url: String, reason: String)
}

/// What `download` did.
public struct DownloadReport: Sendable, Equatable {
    public var folder: String
    /// Files fetched (and verified) this time.
    public var downloaded: [String] = []
    /// Files that were already there and verified.
    public var alreadyPresent: [String] = []
}

/// Fetches a dataset's files from its mirrors, over HTTP(S) with URLSession
/// (FoundationNetworking on Linux: it speaks HTTPS, which every public
/// mirror needs, and follows redirects).
///
/// For each file: if it is present and matches the published checksums,
/// nothing happens. Otherwise the mirrors are tried in order; the bytes go to
/// a hidden temporary file in the destination folder while MD5 and SHA-256 are
/// computed; only a complete download whose size and checksums match is
/// renamed into place (an atomic `rename`), so a failed, truncated or corrupt
/// download never leaves a half file under the real name.
public struct Downloader: Sendable {
    /// Seconds without data before a transfer is abandoned.
    public var idleTimeout: TimeInterval
    /// Seconds a whole transfer may take.
    public var transferTimeout: TimeInterval

    public init(idleTimeout: TimeInterval = 30, transferTimeout: TimeInterval = 3600) {
        self.idleTimeout = idleTimeout
        self.transferTimeout = transferTimeout
    }

    /// Downloads every file of `dataset` into `folder` (created if needed).
    ///
    /// - `mirrors`: base URLs to use instead of the catalog's (tests, local mirrors).
    /// - `progress`: called with each event, from a background queue.
    /// Throws a `DownloadFailure` when some file could not be fetched and verified from any mirror;
    /// files that did succeed stay in place.
    public func download(
        _ dataset: DatasetDescription, into folder: String, mirrors: [String]? = nil,
        progress: @escaping @Sendable (DownloadEvent) -> Void = { _ in }
    ) throws -> DownloadReport {
        try download(dataset.files, into: folder, mirrors: mirrors ?? dataset.mirrors, progress: progress)
    }

    /// Downloads `files` from `mirrors` into `folder`.
    public func download(
        _ files: [RemoteFile], into folder: String, mirrors: [String],
        progress: @escaping @Sendable (DownloadEvent) -> Void = { _ in }
    ) throws -> DownloadReport {
        guard !mirrors.isEmpty else { throw KitError("no mirror to download from") }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw KitError("cannot create the folder \(folder): \(error.localizedDescription)")
        }
        var report = DownloadReport(folder: folder)
        var failures: [MirrorFailure] = []
        for file in files {
            do {
                if try fetch(file, into: folder, mirrors: mirrors, progress: progress) {
                    report.downloaded.append(file.name)
                } else {
                    report.alreadyPresent.append(file.name)
                }
            } catch let failure as DownloadFailure {
                failures += failure.failures
            }
        }
        guard failures.isEmpty else { throw DownloadFailure(failures: failures, folder: folder, mirrors: mirrors) }
        return report
    }

    /// Makes sure `file` is in `folder`, verified. Returns true when it was
    /// downloaded, false when it was already there. Throws a `DownloadFailure`.
    @discardableResult
    public func fetch(
        _ file: RemoteFile, into folder: String, mirrors: [String],
        progress: @escaping @Sendable (DownloadEvent) -> Void = { _ in }
    ) throws -> Bool {
        let destination = (folder as NSString).appendingPathComponent(file.name)
        if FileManager.default.fileExists(atPath: destination) {
            if (try? Downloader.verify(fileAt: destination, against: file)) != nil {
                progress(.alreadyPresent(file: file.name))
                return false
            }
            progress(.replacingMismatch(file: file.name))
        }
        var failures: [MirrorFailure] = []
        for mirror in mirrors {
            let url = mirror.hasSuffix("/") ? mirror + file.name : mirror + "/" + file.name
            do {
                try transfer(url: url, file: file, to: destination, progress: progress)
                return true
            } catch let failure as MirrorFailure {
                failures.append(failure)
                progress(.mirrorFailed(file: file.name, url: url, reason: failure.reason))
            }
        }
        throw DownloadFailure(failures: failures, folder: folder, mirrors: mirrors)
    }

    /// Checks the file at `path` against the size and checksums of `file`;
    /// throws a message saying which one differs.
    public static func verify(fileAt path: String, against file: RemoteFile) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1
        var md5 = MD5()
        var sha256 = SHA256()
        guard let handle = FileHandle(forReadingAtPath: path) else { throw KitError("\(path): cannot open it") }
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { bytes in
                if file.md5 != nil { md5.update(bytes) }
                if file.sha256 != nil { sha256.update(bytes) }
            }
        }
        if let problem = mismatch(of: file, size: size, md5: md5, sha256: sha256) { throw KitError(problem) }
    }

    /// Which published property `file` does not match, or nil.
    static func mismatch(of file: RemoteFile, size: Int64, md5: MD5, sha256: SHA256) -> String? {
        if let expected = file.byteCount, Int64(expected) != size {
            return "the size is \(size) bytes, the published size is \(expected)"
        }
        if let expected = file.md5?.lowercased() {
            let actual = md5.finalize().hexString
            if actual != expected { return "checksum mismatch: MD5 \(actual), the published MD5 is \(expected)" }
        }
        if let expected = file.sha256?.lowercased() {
            let actual = sha256.finalize().hexString
            if actual != expected {
                return "checksum mismatch: SHA-256 \(actual), the published SHA-256 is \(expected)"
            }
        }
        return nil
    }

    /// One attempt from one URL: stream into a temporary file, verify, rename. Throws a `MirrorFailure`.
    func transfer(
        url: String, file: RemoteFile, to destination: String,
        progress: @escaping @Sendable (DownloadEvent) -> Void
    ) throws {
        func failure(_ reason: String, _ kind: MirrorFailure.Kind) -> MirrorFailure {
            MirrorFailure(file: file.name, url: url, reason: reason, kind: kind)
        }
        guard let address = URL(string: url), let scheme = address.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else {
            throw failure("not an http(s) URL", .local)
        }
        let folder = (destination as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(
            ".\(file.name).download-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw failure("cannot write in \(folder) (is it writable?)", .local)
        }
        var keep = false
        defer {
            try? handle.close()
            if !keep { try? FileManager.default.removeItem(atPath: temporary) }
        }

        let receiver = Receiver(file: file, url: url, handle: handle, progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.timeoutIntervalForResource = transferTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: receiver, delegateQueue: queue)
        progress(.started(file: file.name, url: url, expectedBytes: file.byteCount.map(Int64.init)))
        session.dataTask(with: address).resume()
        receiver.done.wait()
        session.finishTasksAndInvalidate()

        let outcome = receiver.outcome()
        // Without any answer from the server, the network (or a proxy) is to blame; after one, the mirror.
        if let problem = outcome.problem { throw failure(problem, outcome.answered ? .refused : .unreachable) }
        do {
            try handle.synchronize()
        } catch {
            throw failure("cannot write the file: \(error.localizedDescription)", .local)
        }
        if let problem = Downloader.mismatch(of: file, size: outcome.received, md5: outcome.md5, sha256: outcome.sha256)
        {
            throw failure(problem + " (corrupt or incomplete download)", .refused)
        }
        guard rename(temporary, destination) == 0 else {
            throw failure(
                "cannot move the download into place as \(destination): \(String(cString: strerror(errno)))", .local)
        }
        keep = true
        progress(.finished(file: file.name, bytes: outcome.received))
    }
}

/// The URLSession delegate of one transfer: writes the body to the temporary
/// file and hashes it as it arrives.
private final class Receiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let file: RemoteFile
    let url: String
    let handle: FileHandle
    let progress: @Sendable (DownloadEvent) -> Void
    let done = DispatchSemaphore(value: 0)
    // Touched only on the session's serial delegate queue, read after `done`.
    private var md5 = MD5()
    private var sha256 = SHA256()
    private var received: Int64 = 0
    private var expected: Int64?
    private var problem: String?
    /// Whether the server sent a response (a status line), whatever it was.
    private var answered = false

    init(file: RemoteFile, url: String, handle: FileHandle, progress: @escaping @Sendable (DownloadEvent) -> Void) {
        self.file = file
        self.url = url
        self.handle = handle
        self.progress = progress
        expected = file.byteCount.map(Int64.init)
    }

    func outcome() -> (problem: String?, answered: Bool, received: Int64, md5: MD5, sha256: SHA256) {
        (problem, answered, received, md5, sha256)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        guard checkStatus(response) else {
            completionHandler(.cancel)
            return
        }
        if response.expectedContentLength >= 0 { expected = response.expectedContentLength }
        completionHandler(.allow)
    }

    /// A non-2xx status as a problem (also checked here, not only in the
    /// response callback, so that no error page is ever taken for the file).
    private func checkStatus(_ response: URLResponse?) -> Bool {
        if response != nil { answered = true }
        guard let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) else { return true }
        if problem == nil {
            problem = "HTTP \(http.statusCode) \(HTTPURLResponse.localizedString(forStatusCode: http.statusCode))"
        }
        return false
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard problem == nil else { return }
        guard checkStatus(dataTask.response) else {
            dataTask.cancel()
            return
        }
        do {
            try handle.write(contentsOf: data)
        } catch {
            problem = "cannot write the file: \(error.localizedDescription)"
            dataTask.cancel()
            return
        }
        data.withUnsafeBytes { bytes in
            if file.md5 != nil { md5.update(bytes) }
            if file.sha256 != nil { sha256.update(bytes) }
        }
        received += Int64(data.count)
        progress(.received(file: file.name, bytes: received, expectedBytes: expected))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if problem == nil, checkStatus(task.response) {
            if let error {
                problem = "transfer failed after \(received) bytes: \(error.localizedDescription)"
            } else if let expected, received < expected {
                problem = "the connection closed after \(received) of \(expected) bytes (truncated download)"
            }
        }
        done.signal()
    }
}

/// Downloads `dataset` into `folder` (see `Downloader`).
@discardableResult
public func download(
    dataset: DatasetDescription, into folder: String, mirrors: [String]? = nil,
    progress: @escaping @Sendable (DownloadEvent) -> Void = { _ in }
) throws -> DownloadReport {
    try Downloader().download(dataset, into: folder, mirrors: mirrors, progress: progress)
}
