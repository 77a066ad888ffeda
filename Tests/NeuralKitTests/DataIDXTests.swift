import Foundation
import NeuralKit
import Testing

/// A fresh folder under the system's temporary directory, removed when released.
final class DataTestFolder: @unchecked Sendable {
    let path: String

    init(_ name: String = "data") {
        path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("neuralkit-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) -> String {
        let target = file(name)
        try? FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
        return target
    }

    /// File names in the folder, hidden ones included, sorted.
    func contents(_ subfolder: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: file(subfolder))) ?? []).sorted()
    }
}

/// Deterministic bytes for small test arrays.
func dataTestBytes(_ count: Int, seed: UInt64, below bound: Int = 256) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in UInt8(generator.nextInt(below: bound)) }
}

/// An IDX header written by hand (not by `IDX.encode`), so the tests do not
/// only check the reader against its own writer.
func idxHeader(type: UInt8 = 0x08, _ dimensions: [UInt32]) -> [UInt8] {
    var header: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
    for size in dimensions {
        header += [UInt8(size >> 24), UInt8((size >> 16) & 255), UInt8((size >> 8) & 255), UInt8(size & 255)]
    }
    return header
}

/// The error `body` throws, as a message; nil (and a recorded issue) when it does not throw.
func dataErrorMessage<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    do {
        _ = try body()
        Issue.record("expected an error, but it succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as KitError {
        return error.message
    } catch let failure as DownloadFailure {
        return failure.description
    } catch {
        Issue.record("expected a KitError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("Data · IDX reader")
struct DataIDXTests {
    let pixels = dataTestBytes(5 * 3 * 4, seed: 1)

    @Test("reads a raw IDX file of images: dimensions and bytes")
    func readsRaw() throws {
        let folder = DataTestFolder()
        let path = folder.write(idxHeader([5, 3, 4]) + pixels, to: "images-idx3-ubyte")
        let array = try IDX.read(contentsOf: path)
        #expect(array.dimensions == [5, 3, 4])
        #expect(array.bytes == pixels)
    }

    @Test("reads a gzip-compressed IDX file, whatever its name")
    func readsGzip() throws {
        let folder = DataTestFolder()
        let compressed = try Gzip.compress(idxHeader([5, 3, 4]) + pixels)
        #expect(Array(compressed.prefix(2)) == [0x1f, 0x8b])
        for name in ["images-idx3-ubyte.gz", "no-extension"] {
            let array = try IDX.read(contentsOf: folder.write(compressed, to: name))
            #expect(array == IDXArray(dimensions: [5, 3, 4], bytes: pixels))
        }
    }

    @Test("reads a file compressed by gzip(1) when the tool is installed")
    func readsGzipTool() throws {
        let tool = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tool else { return } // zlib's own output is checked above
        let folder = DataTestFolder()
        let path = folder.write(idxHeader([60]) + pixels, to: "labels-idx1-ubyte")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-9", "-n", path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let array = try IDX.read(contentsOf: path + ".gz")
        #expect(array == IDXArray(dimensions: [60], bytes: pixels))
    }

    @Test("reads a multi-member gzip file (concatenated .gz parts), ignoring zero padding")
    func readsMultiMember() throws {
        let file = idxHeader([5, 3, 4]) + pixels
        for cut in [2, 16, 30] { // inside the header, at its end, in the data
            let parts = try Gzip.compress(Array(file[..<cut])) + Gzip.compress([]) + Gzip.compress(Array(file[cut...]))
            #expect(try IDX.parse(parts, name: "x.gz").bytes == pixels)
            #expect(try IDX.parse(parts + [0, 0, 0, 0], name: "x.gz").bytes == pixels)
        }
    }

    @Test("encode then parse gives the array back, raw and compressed, for 1 to 4 dimensions")
    func roundTrip() throws {
        for dimensions in [[60], [6, 10], [5, 3, 4], [1, 2, 3, 10], [0, 28, 28]] {
            let bytes = dataTestBytes(dimensions.reduce(1, *), seed: 7)
            let array = IDXArray(dimensions: dimensions, bytes: bytes)
            for compressed in [false, true] {
                #expect(try IDX.parse(IDX.encode(array, compressed: compressed), name: "round.idx") == array)
            }
        }
    }

    @Test("a missing file, a folder and an empty file are errors that name the file")
    func missingAndEmpty() throws {
        let folder = DataTestFolder()
        let missing = dataErrorMessage { try IDX.read(contentsOf: folder.file("t10k-labels-idx1-ubyte.gz")) }
        #expect(missing?.contains("t10k-labels-idx1-ubyte.gz: no such file") == true)
        let isFolder = dataErrorMessage { try IDX.read(contentsOf: folder.path) }
        #expect(isFolder?.contains("is a folder") == true)
        let empty = dataErrorMessage { try IDX.read(contentsOf: folder.write([], to: "empty-idx1-ubyte")) }
        #expect(empty?.contains("empty-idx1-ubyte: only 0 bytes") == true)
    }

    @Test("a file that is not IDX says so and shows its magic number")
    func notIDX() {
        let text = dataErrorMessage { try IDX.parse(Array("hello world, not IDX".utf8), name: "notes.txt") }
        #expect(text?.contains("notes.txt: not an IDX file (magic 0x68656c6c") == true)
        // A gzip file whose second magic byte is damaged is not recognized as gzip.
        let damaged = dataErrorMessage { try IDX.parse([0x1f, 0x8a, 0x08, 0x08, 1, 2, 3, 4], name: "t10k.gz") }
        #expect(
            damaged?.contains("t10k.gz: not an IDX file (magic 0x1f8a0808); it looks like a damaged gzip file") == true)
    }

    @Test("element types other than unsigned bytes are refused by name")
    func otherTypes() {
        for (type, words) in [
            (UInt8(0x0D), "32-bit float"), (0x0C, "32-bit integer"), (0x09, "signed byte"), (0x42, "unknown"),
        ] {
            let message = dataErrorMessage {
                try IDX.parse(idxHeader(type: type, [2]) + [0, 0, 0, 0, 0, 0, 0, 0], name: "f.idx")
            }
            let hex = String(type, radix: 16)
            #expect(
                message?.contains("f.idx: element type 0x\(hex.count == 1 ? "0" + hex : hex)") == true,
                "\(message ?? "")")
            #expect(message?.contains(words) == true)
            #expect(message?.contains("only unsigned bytes (0x08)") == true)
        }
    }

    @Test("zero dimensions, or a header cut short, are errors")
    func badHeaders() {
        let zero = dataErrorMessage { try IDX.parse([0, 0, 8, 0], name: "z.idx") }
        #expect(zero?.contains("z.idx: the header says the array has 0 dimensions") == true)
        let short = dataErrorMessage { try IDX.parse(Array(idxHeader([5, 3, 4]).prefix(10)), name: "s.idx") }
        #expect(
            short?.contains("s.idx: the header announces 3 dimensions (16 header bytes) but the file has only 10 bytes")
                == true)
        let shortGz = dataErrorMessage {
            try IDX.parse(try Gzip.compress(Array(idxHeader([5, 3, 4]).prefix(10))), name: "s.gz")
        }
        #expect(
            shortGz?.contains(
                "s.gz: the header announces 3 dimensions (16 header bytes) but the file decompresses to only 10 bytes")
                == true)
    }

    @Test("fewer data bytes than the header promises: counts what the file holds")
    func truncatedData() throws {
        let labels = dataTestBytes(9876, seed: 3, below: 10)
        let raw = idxHeader([10000]) + labels
        let expected = "t10k-labels-idx1-ubyte.gz: the header promises 10000 labels but the file holds 9876"
        let fromRaw = dataErrorMessage { try IDX.parse(raw, name: "t10k-labels-idx1-ubyte.gz", itemName: "labels") }
        #expect(fromRaw?.hasPrefix(expected) == true, "\(fromRaw ?? "")")
        let fromGz = dataErrorMessage {
            try IDX.parse(try Gzip.compress(raw), name: "t10k-labels-idx1-ubyte.gz", itemName: "labels")
        }
        #expect(fromGz?.hasPrefix(expected) == true, "\(fromGz ?? "")")
        let images = dataErrorMessage {
            try IDX.parse(idxHeader([5, 3, 4]) + pixels.prefix(50), name: "i.idx", itemName: "images")
        }
        #expect(
            images?.contains(
                "i.idx: the header promises 5 images of 3×4 but the file holds 4 and part of one more (50 of 60 data bytes): it is truncated"
            ) == true)
    }

    @Test("more data than the header promises is an error, raw or compressed")
    func extraData() throws {
        let raw = idxHeader([5, 3, 4]) + pixels + [1, 2]
        let fromRaw = dataErrorMessage { try IDX.parse(raw, name: "x.idx", itemName: "images") }
        #expect(
            fromRaw?.contains("x.idx: the header promises 5 images of 3×4 (60 data bytes) but the file holds 62 bytes")
                == true)
        let fromGz = dataErrorMessage { try IDX.parse(try Gzip.compress(raw), name: "x.gz", itemName: "images") }
        #expect(
            fromGz?.contains("x.gz: the header promises 5 images of 3×4 (60 data bytes) but the file holds more")
                == true)
    }

    @Test("a header promising more than the limit is refused before anything is allocated")
    func bombs() throws {
        // 4 × 2^32-1 × 2^32-1 overflows; 60000 × 100000 × 100000 exceeds 1 GiB.
        let overflow = dataErrorMessage { try IDX.parse(idxHeader([4, .max, .max]), name: "o.idx") }
        #expect(overflow?.contains("more than the 1073741824 bytes accepted") == true)
        let huge = dataErrorMessage {
            try IDX.parse(try Gzip.compress(idxHeader([60000, 100000, 100000])), name: "h.gz")
        }
        #expect(huge?.contains("h.gz: the header promises an array of 60000 × 100000 × 100000 bytes") == true)
        // With a 1 MB limit, a file promising 64 MB is refused from its header.
        let bomb = try Gzip.compress(idxHeader([1 << 26]) + [UInt8](repeating: 0, count: 1 << 20))
        let limited = dataErrorMessage { try IDX.parse(bomb, name: "bomb.gz", maximumBytes: 1 << 20) }
        #expect(
            limited?.contains(
                "bomb.gz: the header promises an array of 67108864 bytes, more than the 1048576 bytes accepted") == true
        )
        // A bomb behind a modest header: 16 MB of zeros (~16 kB compressed);
        // inflating stops one byte after the promised 1000.
        let lying = try Gzip.compress(idxHeader([1000]) + [UInt8](repeating: 0, count: 1 << 24))
        let extra = dataErrorMessage { try IDX.parse(lying, name: "lie.gz") }
        #expect(
            extra?.contains("lie.gz: the header promises 1000 items (1000 data bytes) but the file holds more") == true)
    }

    @Test("corrupt gzip data (CRC, bad block) and garbage after the stream are errors")
    func corruptGzip() throws {
        var compressed = try Gzip.compress(idxHeader([5, 3, 4]) + pixels)
        // The CRC-32 is in the last 8 bytes: flip one bit of it.
        compressed[compressed.count - 6] ^= 0x10
        let crc = dataErrorMessage { try IDX.parse(compressed, name: "c.gz") }
        #expect(crc?.contains("c.gz: corrupt gzip data (incorrect data check)") == true, "\(crc ?? "")")
        let good = try Gzip.compress(idxHeader([5, 3, 4]) + pixels)
        let garbage = dataErrorMessage { try IDX.parse(good + [0x42, 0x43], name: "g.gz") }
        #expect(garbage?.contains("g.gz: 2 unexpected bytes after the end of the gzip data") == true)
        let cut = dataErrorMessage { try IDX.parse(Array(good.dropLast(4)), name: "t.gz") }
        #expect(cut?.contains("t.gz: the gzip data ends early (the file is truncated") == true, "\(cut ?? "")")
    }

    @Test("Gzip.decompress inflates and respects its limit")
    func gzipHelper() throws {
        let data = dataTestBytes(100_000, seed: 9, below: 4)
        let compressed = try Gzip.compress(data, level: 9)
        #expect(compressed.count < data.count / 2)
        #expect(try Gzip.decompress(compressed, name: "d.gz") == data)
        let limited = dataErrorMessage { try Gzip.decompress(compressed, name: "d.gz", limit: 1000) }
        #expect(limited == "d.gz: decompresses to more than 1000 bytes")
        #expect(try Gzip.decompress(compressed, name: "d.gz", limit: data.count) == data)
        let justOver = dataErrorMessage { try Gzip.decompress(compressed, name: "d.gz", limit: data.count - 1) }
        #expect(justOver == "d.gz: decompresses to more than 99999 bytes")
    }
}

@Suite("Data · IDX fuzzing")
struct DataFuzzTests {
    /// Each variant either reads as an array whose bytes fit its dimensions, or
    /// throws a KitError naming the file; never a crash or another error.
    /// Returns whether it read.
    static func survives(_ file: [UInt8], _ name: String) -> Bool {
        do {
            let array = try IDX.parse(file, name: name)
            #expect(array.bytes.count == array.dimensions.reduce(1, *), "\(name): bytes do not fit the dimensions")
            return true
        } catch let error as KitError {
            #expect(error.message.contains(name), "the error does not name the file: \(error.message)")
            return false
        } catch {
            Issue.record("\(name): not a KitError: \(error)")
            return false
        }
    }

    @Test("thousands of truncated, bit-flipped and scrambled files: no crash, each reads or throws")
    func fuzz() throws {
        let data = dataTestBytes(6 * 5 * 4, seed: 11)
        let raw = idxHeader([6, 5, 4]) + data
        let compressed = try Gzip.compress(raw)
        var variants = 0
        var readBack = 0
        let start = Date()

        // Every truncation must be refused (a shorter file is never valid).
        for (file, name) in [(raw, "fuzz-raw"), (compressed, "fuzz.gz")] {
            for length in 0..<file.count {
                variants += 1
                #expect(!Self.survives(Array(file[..<length]), name), "\(name) cut to \(length) bytes was accepted")
            }
        }
        // Every single-bit flip.
        for (file, name) in [(raw, "fuzz-raw"), (compressed, "fuzz.gz")] {
            for bit in 0..<(file.count * 8) {
                var flipped = file
                flipped[bit / 8] ^= UInt8(1 << (bit % 8))
                variants += 1
                if Self.survives(flipped, name) { readBack += 1 }
            }
        }
        // Random damage: a few bytes replaced, a cut, bytes appended or inserted.
        var generator = SeededGenerator(seed: 2024)
        for round in 0..<3000 {
            let (source, name) = round % 2 == 0 ? (raw, "fuzz-raw") : (compressed, "fuzz.gz")
            var file = source
            for _ in 0...generator.nextInt(below: 4) {
                file[generator.nextInt(below: file.count)] = UInt8(generator.nextInt(below: 256))
            }
            switch generator.nextInt(below: 4) {
            case 0: file.removeLast(generator.nextInt(below: file.count))
            case 1: file += dataTestBytes(generator.nextInt(below: 20) + 1, seed: UInt64(round))
            case 2: file.insert(UInt8(generator.nextInt(below: 256)), at: generator.nextInt(below: file.count))
            default: break
            }
            variants += 1
            if Self.survives(file, name) { readBack += 1 }
        }
        // Pure noise, with and without a plausible header or gzip magic.
        for round in 0..<500 {
            let noise = dataTestBytes(generator.nextInt(below: 200), seed: UInt64(10_000 + round))
            for prefix in [[], [0, 0, 8, 3], [0x1f, 0x8b, 8, 0]] as [[UInt8]] {
                variants += 1
                _ = Self.survives(prefix + noise, "fuzz-noise")
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print(
            "IDX fuzz: \(variants) variants, \(readBack) read back (harmless flips), \(String(format: "%.2f", seconds)) s"
        )
        #expect(variants > 5000)
    }

    @Test("fuzzed files on disk go through read(contentsOf:) the same way")
    func fuzzFiles() throws {
        let folder = DataTestFolder("fuzz")
        let raw = idxHeader([10]) + dataTestBytes(10, seed: 5)
        let compressed = try Gzip.compress(raw)
        var generator = SeededGenerator(seed: 77)
        for round in 0..<120 {
            var file = round % 2 == 0 ? raw : compressed
            file[generator.nextInt(below: file.count)] ^= UInt8(1 << generator.nextInt(below: 8))
            if round % 3 == 0 { file.removeLast(generator.nextInt(below: file.count)) }
            let path = folder.write(file, to: "f\(round).gz")
            do {
                let array = try IDX.read(contentsOf: path)
                #expect(array.bytes.count == array.dimensions.reduce(1, *))
            } catch let error as KitError {
                #expect(error.message.contains("f\(round).gz"))
            }
        }
    }
}
