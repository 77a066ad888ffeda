import CZlib

/// gzip through the system zlib: inflate for `.gz` data files, deflate for
/// writing them (tests, caches). Never hand-written: zlib is the reference.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func isCompressed<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1f && iterator.next() == 0x8b
    }

    /// `bytes` as a single-member gzip stream (`level` 0…9, or -1 for zlib's default).
    public static func compress(_ bytes: [UInt8], level: Int32 = -1) throws -> [UInt8] {
        // zlib keeps a pointer back to its z_stream: it must not move, so it lives on the heap.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw KitError("gzip: zlib could not start compressing (error \(status))") }
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))) + 32)
        let result: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = uInt(out.count)
                return deflate(stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw KitError("gzip: zlib could not compress (error \(result))") }
        output.removeLast(output.count - Int(stream.pointee.total_out))
        return output
    }

    /// Inflates a gzip file (one or more members, as gzip(1) writes them when
    /// files are concatenated).
    ///
    /// - `name`: the file's name, for error messages.
    /// - `limit`: the most bytes the caller accepts; more → error, so a
    ///   "zip bomb" cannot eat the memory.
    public static func decompress(_ bytes: [UInt8], name: String, limit: Int = 1 << 30) throws -> [UInt8] {
        let inflater = try Inflater(bytes, name: name)
        // One byte more than accepted, so that "too much" shows.
        try inflater.fill(upTo: limit + 1)
        guard inflater.finished, inflater.produced <= limit else {
            throw KitError("\(name): decompresses to more than \(limit) bytes")
        }
        return inflater.takeOutput()
    }
}

/// A streaming gzip inflater over an in-memory file: `fill(upTo:)` decompresses
/// until the output holds `upTo` bytes or the stream ends, so a reader can look
/// at a header before deciding how much it will accept.
final class Inflater {
    let name: String
    private let input: UnsafeMutableBufferPointer<UInt8>
    /// On the heap: zlib keeps a pointer back to it, so it must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    private(set) var output: [UInt8] = []
    /// Bytes of `output` that hold data (the rest is spare capacity).
    private(set) var produced = 0
    /// The last gzip member ended and nothing but padding follows.
    private(set) var finished = false

    init(_ bytes: [UInt8], name: String) throws {
        self.name = name
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        stream.pointee.next_in = input.baseAddress
        stream.pointee.avail_in = uInt(bytes.count)
        // windowBits 15 + 32: accept a gzip (or zlib) header, detected automatically.
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            // Every stored property is set, so deinit runs and frees the buffers.
            throw KitError("\(name): zlib could not start decompressing (error \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        input.deallocate()
        stream.deallocate()
    }

    /// Decompresses until `produced >= target` or the stream ends. Throws on
    /// corrupt or truncated data.
    func fill(upTo target: Int) throws {
        while produced < target && !finished {
            if output.count < target {
                // Grow geometrically, but never past what the caller accepts:
                // a header that promises a huge array costs nothing until the
                // data really arrives.
                let grown = min(target, max(output.count * 2, 1 << 16))
                output.append(contentsOf: repeatElement(0, count: grown - output.count))
            }
            let room = min(output.count, target) - produced
            let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_out = out.baseAddress! + produced
                stream.pointee.avail_out = uInt(room)
                return inflate(stream, Z_NO_FLUSH)
            }
            produced += room - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                try endOfMember()
            case Z_BUF_ERROR:
                // No progress possible: with output room left, the input ran out.
                if stream.pointee.avail_out > 0 { throw truncated() }
            case Z_NEED_DICT:
                throw KitError("\(name): corrupt gzip data (asks for a preset dictionary)")
            case Z_MEM_ERROR:
                throw KitError("\(name): out of memory while decompressing")
            default: // Z_DATA_ERROR, Z_STREAM_ERROR
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw KitError("\(name): corrupt gzip data (\(detail)); delete the file and download it again")
            }
            if status == Z_OK && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { throw truncated() }
        }
    }

    /// After a member's end: another member, zero padding, or garbage.
    private func endOfMember() throws {
        let rest = Int(stream.pointee.avail_in)
        guard rest > 0, let next = stream.pointee.next_in else {
            finished = true
            return
        }
        let remaining = UnsafeBufferPointer(start: next, count: rest)
        if Gzip.isCompressed(remaining) {
            inflateReset(stream)
        } else if remaining.allSatisfy({ $0 == 0 }) {
            finished = true
        } else {
            throw KitError("\(name): \(rest) unexpected bytes after the end of the gzip data (corrupt file)")
        }
    }

    private func truncated() -> KitError {
        KitError(
            "\(name): the gzip data ends early (the file is truncated: \(produced) bytes decompressed before it stopped); delete it and download it again"
        )
    }

    /// The decompressed bytes so far (leaves the inflater empty).
    func takeOutput() -> [UInt8] {
        var result = output
        output = []
        result.removeLast(result.count - produced)
        return result
    }
}
