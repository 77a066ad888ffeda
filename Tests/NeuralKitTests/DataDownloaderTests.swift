import Foundation
import NeuralKit
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 (an ephemeral port), for testing
/// the downloader without a network. Serves a route table; one connection at
/// a time, each answered then closed. Every wait is bounded.
final class LocalHTTPServer: @unchecked Sendable {
    enum Response {
        case ok([UInt8])
        /// Announces `claimed` bytes but sends only `body`, then hangs up.
        case hangUp([UInt8], claimed: Int)
        case status(Int)
    }

    let port: UInt16
    private let listener: Int32
    private let routes: [String: Response]
    private let lock = NSLock()
    private var served: [String] = []
    private var running = true
    private let stopped = DispatchSemaphore(value: 0)

    /// Paths requested so far.
    var requests: [String] {
        lock.lock()
        defer { lock.unlock() }
        return served
    }

    init(routes: [String: Response]) throws {
        self.routes = routes
        let (socket, port) = try LocalHTTPServer.listen()
        listener = socket
        self.port = port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    func url(_ folder: String) -> String { "http://127.0.0.1:\(port)/\(folder)/" }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
        _ = stopped.wait(timeout: .now() + 5)
        close(listener)
    }

    /// A port where nothing listens (bound, then closed): connections are refused.
    static func closedPort() throws -> UInt16 {
        let (socket, port) = try listen()
        close(socket)
        return port
    }

    private static func listen() throws -> (Int32, UInt16) {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw KitError("socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        #if !os(Linux)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, posixListen(fd, 16) == 0 else {
            close(fd)
            throw KitError("bind/listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    private func serve() {
        defer { stopped.signal() }
        while true {
            lock.lock()
            let go = running
            lock.unlock()
            guard go else { return }
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        #if !os(Linux)
        var yes: Int32 = 1
        setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 16_384 {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            request += buffer[..<count]
            if request.count >= 4, String(decoding: request, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        let line = String(decoding: request, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = line.split(separator: " ")
        let path = parts.count >= 2 ? String(parts[1]) : "/"
        lock.lock()
        served.append(path)
        lock.unlock()
        switch routes[path] ?? .status(404) {
        case .ok(let body):
            send(client, header(200, length: body.count) + body)
        case .hangUp(let body, let claimed):
            send(client, header(200, length: claimed) + body)
        case .status(let code):
            let body = Array("no such file\n".utf8)
            send(client, header(code, length: body.count) + body)
        }
    }

    private func header(_ code: Int, length: Int) -> [UInt8] {
        let reason = code == 200 ? "OK" : code == 404 ? "Not Found" : "Error"
        return Array(
            "HTTP/1.1 \(code) \(reason)\r\nContent-Type: application/octet-stream\r\nContent-Length: \(length)\r\nConnection: close\r\n\r\n"
                .utf8)
    }

    private func send(_ client: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            #if os(Linux)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let count = bytes[sent...].withUnsafeBytes { posixSend(client, $0.baseAddress, $0.count, flags) }
            guard count > 0 else { return }
            sent += count
        }
    }
}

// `listen` and `send` are shadowed by the server's own methods.
private func posixListen(_ fd: Int32, _ backlog: Int32) -> Int32 { listen(fd, backlog) }
private func posixSend(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(fd, bytes, count, flags)
}

/// Collects download events (they arrive on URLSession's queue).
final class DataEventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [DownloadEvent] = []
    var events: [DownloadEvent] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    func record(_ event: DownloadEvent) {
        lock.lock()
        stored.append(event)
        lock.unlock()
    }
}

@Suite("Data · downloader against a local HTTP server")
struct DataDownloaderTests {
    let images =
        (try? IDX.encode(
            IDXArray(dimensions: [60, 28, 28], bytes: dataTestBytes(60 * 784, seed: 31)), compressed: true)) ?? []
    let labels =
        (try? IDX.encode(IDXArray(dimensions: [60], bytes: dataTestBytes(60, seed: 32, below: 10)), compressed: true))
        ?? []

    /// The published files: one with a size, MD5 and SHA-256; one with an MD5 only.
    var files: [RemoteFile] {
        [
            RemoteFile(
                name: "tiny-images-idx3-ubyte.gz", byteCount: images.count, md5: MD5.hex(images),
                sha256: SHA256.hex(images)),
            RemoteFile(name: "tiny-labels-idx1-ubyte.gz", md5: MD5.hex(labels)),
        ]
    }

    func server() throws -> LocalHTTPServer {
        var corrupt = images
        corrupt[corrupt.count / 2] ^= 0x01
        var corruptLabels = labels
        corruptLabels[20] ^= 0x80
        return try LocalHTTPServer(routes: [
            "/good/tiny-images-idx3-ubyte.gz": .ok(images),
            "/good/tiny-labels-idx1-ubyte.gz": .ok(labels),
            "/corrupt/tiny-images-idx3-ubyte.gz": .ok(corrupt),
            "/corrupt/tiny-labels-idx1-ubyte.gz": .ok(corruptLabels),
            "/short/tiny-images-idx3-ubyte.gz": .ok(Array(images.prefix(1000))),
            "/short/tiny-labels-idx1-ubyte.gz": .ok(Array(labels.prefix(10))),
            "/hangup/tiny-images-idx3-ubyte.gz": .hangUp(Array(images.prefix(5000)), claimed: images.count),
            "/hangup/tiny-labels-idx1-ubyte.gz": .hangUp(Array(labels.prefix(10)), claimed: labels.count),
        ])
    }

    let downloader = Downloader(idleTimeout: 10, transferTimeout: 20)

    @Test("falls back past a 404 and a refused connection; the second run downloads nothing")
    func fallbackAndNoOp() throws {
        let server = try server()
        defer { server.stop() }
        let folder = DataTestFolder("download")
        let log = DataEventLog()
        let mirrors = [
            server.url("missing"), "http://127.0.0.1:\(try LocalHTTPServer.closedPort())/", server.url("good"),
        ]
        let report = try downloader.download(files, into: folder.path, mirrors: mirrors, progress: log.record)
        #expect(report.downloaded == files.map(\.name) && report.alreadyPresent.isEmpty)
        #expect(folder.contents() == files.map(\.name).sorted(), "only the two files, no temporary left")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file(files[0].name))) == Data(images))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file(files[1].name))) == Data(labels))
        let failures = log.events.compactMap { event -> String? in
            if case .mirrorFailed(_, _, let reason) = event { return reason } else { return nil }
        }
        #expect(failures.count == 4)
        #expect(failures.filter { $0.hasPrefix("HTTP 404") }.count == 2, "\(failures)")
        #expect(failures.filter { $0.hasPrefix("transfer failed after 0 bytes") }.count == 2, "\(failures)")
        let received = log.events.compactMap { event -> Int64? in
            if case .received(let file, let bytes, _) = event, file == files[0].name {
                return bytes
            } else {
                return nil
            }
        }
        #expect(
            received.last == Int64(images.count) && received == received.sorted(), "progress grows to the full size")
        #expect(log.events.contains(.finished(file: files[0].name, bytes: Int64(images.count))))

        let requestsBefore = server.requests.count
        let second = try downloader.download(files, into: folder.path, mirrors: mirrors)
        #expect(second.downloaded.isEmpty && second.alreadyPresent == files.map(\.name))
        #expect(server.requests.count == requestsBefore, "a second run must not download again")
    }

    @Test("a corrupt download leaves no file and reports the checksum mismatch")
    func corrupt() throws {
        let server = try server()
        defer { server.stop() }
        let folder = DataTestFolder("download")
        let message =
            dataErrorMessage { try downloader.download(files, into: folder.path, mirrors: [server.url("corrupt")]) }
            ?? ""
        #expect(message.contains("could not download tiny-images-idx3-ubyte.gz from any mirror"))
        #expect(message.contains("checksum mismatch: MD5 "))
        #expect(message.contains("the published MD5 is \(MD5.hex(images))"))
        #expect(message.contains("could not download tiny-labels-idx1-ubyte.gz from any mirror"))
        #expect(message.contains("Nothing was written under those names"))
        #expect(folder.contents().isEmpty, "left behind: \(folder.contents())")
    }

    @Test("a shorter file than published leaves no file: size or checksum mismatch")
    func short() throws {
        let server = try server()
        defer { server.stop() }
        let folder = DataTestFolder("download")
        let message =
            dataErrorMessage { try downloader.download(files, into: folder.path, mirrors: [server.url("short")]) } ?? ""
        #expect(message.contains("the size is 1000 bytes, the published size is \(images.count)"))
        #expect(message.contains("checksum mismatch: MD5"))
        #expect(folder.contents().isEmpty, "left behind: \(folder.contents())")
    }

    @Test("a connection that hangs up mid-file leaves no file")
    func hangUp() throws {
        let server = try server()
        defer { server.stop() }
        let folder = DataTestFolder("download")
        let message =
            dataErrorMessage { try downloader.download(files, into: folder.path, mirrors: [server.url("hangup")]) }
            ?? ""
        #expect(message.contains("tiny-images-idx3-ubyte.gz"))
        #expect(message.contains("transfer failed after") || message.contains("truncated download"), "\(message)")
        #expect(folder.contents().isEmpty, "left behind: \(folder.contents())")
    }

    @Test("a corrupt mirror then a good one: the good copy is kept")
    func corruptThenGood() throws {
        let server = try server()
        defer { server.stop() }
        let folder = DataTestFolder("download")
        let report = try downloader.download(
            files, into: folder.path, mirrors: [server.url("corrupt"), server.url("hangup"), server.url("good")])
        #expect(report.downloaded.count == 2)
        #expect(try MD5.hex(ofFileAt: folder.file(files[0].name)) == MD5.hex(images))
        #expect(folder.contents() == files.map(\.name).sorted())
    }

    @Test("a present file that fails its checksum is replaced; a failed replacement leaves it untouched")
    func replacesMismatch() throws {
        let server = try server()
        defer { server.stop() }
        let folder = DataTestFolder("download")
        let stale: [UInt8] = Array("stale".utf8)
        folder.write(stale, to: files[1].name)
        let log = DataEventLog()
        #expect(throws: DownloadFailure.self) {
            try downloader.fetch(files[1], into: folder.path, mirrors: [server.url("missing")], progress: log.record)
        }
        #expect(log.events.first == .replacingMismatch(file: files[1].name))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file(files[1].name))) == Data(stale))
        #expect(try downloader.fetch(files[1], into: folder.path, mirrors: [server.url("good")]))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file(files[1].name))) == Data(labels))
        #expect(folder.contents() == [files[1].name])
    }

    @Test("an unreachable mirror is blamed on the network, a mirror that answers 404 on itself, each failure said once")
    func failureAdvice() throws {
        let server = try server()
        defer { server.stop() }
        let folder = DataTestFolder("advice")
        let closed = try LocalHTTPServer.closedPort()
        let mirrors = [server.url("missing"), "http://127.0.0.1:\(closed)/"]
        let failure = try #require(
            throwing(DownloadFailure.self) { try downloader.download(files, into: folder.path, mirrors: mirrors) })
        #expect(failure.failures.map(\.kind) == [.refused, .unreachable, .refused, .unreachable])
        let full = failure.description
        for mirror in mirrors {
            for file in files { #expect(full.components(separatedBy: mirror + file.name + ": ").count == 2, "\(full)") }
        }
        #expect(full.contains("Could not reach 127.0.0.1:\(closed): check the network connection"))
        #expect(full.contains("127.0.0.1:\(server.port) answered but did not give the published file: that mirror is"))

        // kit data printed each mirror's failure as it came: its error only sums up and advises.
        let message =
            dataErrorMessage {
                try fetchDatasets(["mnist"], into: DataDirectory(path: folder.path), mirrors: mirrors) { _ in }
            } ?? ""
        #expect(!message.contains("HTTP 404") && !message.contains(mirrors[0] + "train"), "\(message)")
        #expect(message.contains("from any mirror (each mirror's answer is above)"))
        #expect(message.contains("Could not reach 127.0.0.1:\(closed)"))

        // Only a mirror that answered: the network is not blamed.
        let refusedOnly = DownloadFailure(
            failures: [
                MirrorFailure(file: "a.gz", url: "https://example.org/a.gz", reason: "HTTP 404", kind: .refused)
            ],
            folder: "data/mnist", mirrors: ["https://example.org/", "https://example.com/"])
        #expect(!refusedOnly.advice.contains("network connection"), "\(refusedOnly.advice)")
        #expect(refusedOnly.advice.contains("example.org answered but did not give the published file"))
        #expect(refusedOnly.advice.contains("from https://example.org/ or https://example.com/ into data/mnist"))
    }

    /// The error of `body` when it is an `E`, else nil (and an issue).
    func throwing<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
        do {
            try body()
        } catch let error as E {
            return error
        } catch {
            Issue.record("expected \(E.self), got \(error)")
            return nil
        }
        Issue.record("expected \(E.self), but it succeeded")
        return nil
    }

    @Test("Downloader.verify names the property that differs")
    func verify() throws {
        let folder = DataTestFolder("verify")
        let path = folder.write(images, to: "x.gz")
        try Downloader.verify(fileAt: path, against: files[0])
        var wrongSHA = files[0]
        wrongSHA.sha256 = String(repeating: "0", count: 64)
        let message = dataErrorMessage { try Downloader.verify(fileAt: path, against: wrongSHA) }
        #expect(
            message == "checksum mismatch: SHA-256 \(SHA256.hex(images)), the published SHA-256 is \(wrongSHA.sha256!)")
    }

    // End to end with the catalog's real checksums: serve the shared MNIST test
    // files (the train files are not available here, so they 404).
    @Test(
        "kit data mnist --data-dir DIR --mirror URL: verified test files, then a loadable split",
        .enabled(if: DataTestPaths.sharedDatasets != nil))
    func command() throws {
        let shared = try #require(DataTestPaths.sharedDatasets)
        var routes: [String: LocalHTTPServer.Response] = [:]
        for name in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(shared)/mnist-t10k/\(name)")))
            routes["/mnist/\(name)"] = .ok(bytes)
        }
        let server = try LocalHTTPServer(routes: routes)
        defer { server.stop() }
        let folder = DataTestFolder("command")
        var lines: [String] = []
        let message =
            dataErrorMessage {
                try fetchDatasets(["mnist"], into: DataDirectory(path: folder.path), mirrors: [server.url("mnist")]) {
                    lines.append($0)
                }
            } ?? ""
        #expect(
            message.hasPrefix(
                "could not download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz from any mirror"),
            "\(message)")
        #expect(message.contains("127.0.0.1:\(server.port) answered but did not give the published file"))
        #expect(folder.contents("mnist") == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"])
        #expect(lines.first == "MNIST handwritten digits → \(folder.path)/mnist")
        let images = try ImageDataset.load("mnist", split: .test, from: DataDirectory(path: folder.path))
        #expect(images.count == 10_000 && images.labels[0] == 7)

        // Without a data directory option, NEURALKIT_DATA decides; listing shows what is there.
        let listing = dataStatus(in: DataDirectory.resolve(environment: ["NEURALKIT_DATA": folder.path]))
        #expect(listing.contains("Data directory: \(folder.path) (NEURALKIT_DATA)"))
        #expect(listing.contains("mnist          train missing, test present"))
    }

    @Test("kit data refuses an unknown dataset and names the known ones")
    func commandErrors() {
        let dataset = dataErrorMessage {
            try fetchDatasets(["imagenet"], into: DataDirectory(path: "/nonexistent")) { _ in }
        }
        #expect(dataset == "unknown dataset \"imagenet\": try one of mnist, fashion-mnist")
    }
}

@Suite("Data · progress bar")
struct DataProgressBarTests {
    @Test("a download bar shows the fraction, sizes, speed and time left")
    func bytesBar() {
        let bar = ProgressBar(label: "train-images-idx3-ubyte.gz", total: 9_900_000)
        #expect(
            bar.render(completed: 4_455_000, elapsed: 3.7125)
                == "train-images-idx3-ubyte.gz [██████████▊░░░░░░░░░░░░░] 45% 4.5/9.9 MB 1.2 MB/s ETA 5s")
        #expect(
            bar.render(completed: 9_900_000, elapsed: 2)
                == "train-images-idx3-ubyte.gz [████████████████████████] 100% 9.9/9.9 MB 5.0 MB/s in 2.0s")
        #expect(
            bar.render(completed: 0, elapsed: 0)
                == "train-images-idx3-ubyte.gz [░░░░░░░░░░░░░░░░░░░░░░░░] 0% 0.0/9.9 MB")
    }

    @Test("a training bar counts items; an unknown total shows no bar; ASCII works")
    func itemsBar() {
        let bar = ProgressBar(label: "epoch 1", total: 10, unit: .items("batches"), width: 10, ascii: true)
        #expect(bar.render(completed: 8, elapsed: 2) == "epoch 1 [########--] 80% 8/10 batches 4.0 batches/s ETA 1s")
        let open = ProgressBar(total: nil)
        #expect(open.render(completed: 1500, elapsed: 1) == "1.5 kB 1.5 kB/s")
        #expect(
            ProgressBar.duration(65) == "1m05s" && ProgressBar.duration(3725) == "1h02m"
                && ProgressBar.duration(0.2) == "1s")
        #expect(ProgressBar.byteString(28_881) == "28.9 kB" && ProgressBar.byteString(512) == "512 B")
    }

    @Test("the printer writes one line a quarter in a log, and redraws in place on a terminal")
    func printer() {
        final class Sink: @unchecked Sendable {
            let lock = NSLock()
            var text: [String] = []
            func write(_ s: String) {
                lock.lock()
                text.append(s)
                lock.unlock()
            }
        }
        let log = Sink()
        let printer = ProgressPrinter(
            ProgressBar(label: "f", total: 100, unit: .items("x")), isTerminal: false, write: log.write)
        for done in 0...100 { printer.update(completed: Int64(done)) }
        printer.finish(completed: 100)
        #expect(log.text.count == 5 && log.text.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") })
        #expect(log.text.last?.hasPrefix("f [████████████████████████] 100% 100/100 x") == true)

        let terminal = Sink()
        let live = ProgressPrinter(ProgressBar(label: "f", total: 100), isTerminal: true, write: terminal.write)
        for done in 0...100 { live.update(completed: Int64(done)) }
        live.finish(completed: 100, message: "✓")
        #expect(terminal.text.count >= 2 && terminal.text.count < 10, "redraws are throttled")
        #expect(terminal.text.allSatisfy { $0.hasPrefix("\r") })
        #expect(terminal.text.last?.hasSuffix("✓\u{1B}[K\n") == true)
    }
}
