import Foundation

/// An array read from an IDX file: its dimensions (outermost first) and its
/// elements as unsigned bytes, row-major.
public struct IDXArray: Equatable, Sendable {
    public var dimensions: [Int]
    public var bytes: [UInt8]

    public init(dimensions: [Int], bytes: [UInt8]) {
        self.dimensions = dimensions
        self.bytes = bytes
    }
}

/// The IDX format of MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian
/// header — two zero bytes, an element-type byte, the number of dimensions,
/// then each dimension as a 32-bit integer — followed by the elements.
///
/// `read` accepts the file raw or gzip-compressed (detected by the magic bytes
/// `1f 8b`, not by the name) and checks everything: the magic number, the
/// element type (only unsigned bytes, 0x08), the dimensions, and that the data
/// is exactly as long as the dimensions say. Any problem is a `KitError` that
/// names the file and says what is wrong; never a crash, never garbage.
public enum IDX {
    /// Element types the IDX format defines; only `0x08` is supported.
    static let typeNames: [UInt8: String] = [
        0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "16-bit integer",
        0x0C: "32-bit integer", 0x0D: "32-bit float", 0x0E: "64-bit float",
    ]

    /// Reads the IDX file at `path` (raw or `.gz`).
    ///
    /// - `itemName`: what the outermost dimension counts ("images", "labels"),
    ///   for error messages.
    /// - `maximumBytes`: the largest array accepted (1 GiB by default), so a
    ///   corrupt header or a decompression bomb cannot exhaust memory.
    public static func read(
        contentsOf path: String, itemName: String = "items",
        maximumBytes: Int = 1 << 30
    ) throws -> IDXArray {
        let name = (path as NSString).lastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw KitError("\(name): no such file (looked for \(path))")
        }
        guard !isDirectory.boolValue else { throw KitError("\(path) is a folder, not an IDX file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw KitError("\(name): cannot read the file (\(error.localizedDescription))")
        }
        return try parse([UInt8](data), name: name, itemName: itemName, maximumBytes: maximumBytes)
    }

    /// Parses the bytes of an IDX file (raw or gzip); `name` is used in errors.
    public static func parse(
        _ file: [UInt8], name: String, itemName: String = "items",
        maximumBytes: Int = 1 << 30
    ) throws -> IDXArray {
        if Gzip.isCompressed(file) {
            return try parseCompressed(file, name: name, itemName: itemName, maximumBytes: maximumBytes)
        }
        let header = try Header(file, name: name, maximumBytes: maximumBytes, compressed: false)
        let data = file.count - header.size
        guard data == header.dataSize else {
            throw header.lengthError(itemName: itemName, holds: data)
        }
        return IDXArray(dimensions: header.dimensions, bytes: Array(file[header.size...]))
    }

    private static func parseCompressed(
        _ file: [UInt8], name: String, itemName: String,
        maximumBytes: Int
    ) throws -> IDXArray {
        let inflater = try Inflater(file, name: name)
        // The header first (4 bytes, then 4 a dimension), to learn how much data to accept.
        try inflater.fill(upTo: 4)
        var prefix = Array(inflater.output.prefix(inflater.produced))
        try Header.checkMagic(prefix, name: name, compressed: true)
        let headerSize = 4 + 4 * Int(prefix[3])
        try inflater.fill(upTo: headerSize)
        prefix = Array(inflater.output.prefix(inflater.produced))
        let header = try Header(prefix, name: name, maximumBytes: maximumBytes, compressed: true)
        // One byte more than promised, so that extra data shows.
        try inflater.fill(upTo: header.size + header.dataSize + 1)
        let data = inflater.produced - header.size
        guard data == header.dataSize else {
            throw header.lengthError(itemName: itemName, holds: data, orMore: !inflater.finished)
        }
        guard inflater.finished else {
            throw KitError(
                "\(name): the gzip data does not end after the \(header.dataSize) bytes the header promises (corrupt file)"
            )
        }
        var bytes = inflater.takeOutput()
        bytes.removeFirst(header.size)
        return IDXArray(dimensions: header.dimensions, bytes: bytes)
    }

    /// Writes `array` as an IDX file of unsigned bytes, gzip-compressed if `compressed`.
    public static func write(_ array: IDXArray, to path: String, compressed: Bool = false) throws {
        try Data(encode(array, compressed: compressed)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The bytes of an IDX file holding `array` (unsigned bytes).
    public static func encode(_ array: IDXArray, compressed: Bool = false) throws -> [UInt8] {
        guard !array.dimensions.isEmpty, array.dimensions.count < 256,
            array.dimensions.allSatisfy({ $0 >= 0 && $0 <= Int(UInt32.max) }),
            array.dimensions.reduce(1, *) == array.bytes.count
        else {
            throw KitError("IDX.encode: dimensions \(array.dimensions) do not fit \(array.bytes.count) bytes")
        }
        var file: [UInt8] = [0, 0, 0x08, UInt8(array.dimensions.count)]
        for size in array.dimensions {
            withUnsafeBytes(of: UInt32(size).bigEndian) { file.append(contentsOf: $0) }
        }
        file.append(contentsOf: array.bytes)
        return compressed ? try Gzip.compress(file) : file
    }

    /// A checked IDX header.
    struct Header {
        let name: String
        let dimensions: [Int]
        /// Header bytes: 4 + 4 a dimension.
        let size: Int
        /// Data bytes the dimensions promise.
        let dataSize: Int

        static func checkMagic(_ bytes: [UInt8], name: String, compressed: Bool) throws {
            guard bytes.count >= 4 else {
                throw KitError(
                    "\(name): only \(bytes.count) bytes\(compressed ? " once decompressed" : ""), too short for an IDX header (the file is truncated or empty)"
                )
            }
            let magic = bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let hexMagic = "0x" + String(magic, radix: 16).leftPadded(to: 8)
            guard bytes[0] == 0, bytes[1] == 0 else {
                if !compressed && bytes[0] == 0x1f {
                    throw KitError(
                        "\(name): not an IDX file (magic \(hexMagic)); it looks like a damaged gzip file — delete it and download it again"
                    )
                }
                throw KitError(
                    "\(name): not an IDX file (magic \(hexMagic); an IDX file starts with 0x0000 then its type and rank, e.g. 0x00000803 for images)"
                )
            }
            guard bytes[2] == 0x08 else {
                let type = typeNames[bytes[2]].map { "\($0) elements" } ?? "an unknown element type"
                throw KitError(
                    "\(name): element type 0x\(String(bytes[2], radix: 16).leftPadded(to: 2)) (\(type)) is not supported: only unsigned bytes (0x08), as in MNIST (magic \(hexMagic))"
                )
            }
            guard bytes[3] > 0 else {
                throw KitError(
                    "\(name): the header says the array has 0 dimensions (magic \(hexMagic)); an IDX array has at least one"
                )
            }
        }

        init(_ bytes: [UInt8], name: String, maximumBytes: Int, compressed: Bool) throws {
            try Header.checkMagic(bytes, name: name, compressed: compressed)
            let rank = Int(bytes[3])
            size = 4 + 4 * rank
            guard bytes.count >= size else {
                throw KitError(
                    "\(name): the header announces \(rank) dimensions (\(size) header bytes) but the file\(compressed ? " decompresses to" : " has") only \(bytes.count) bytes (truncated)"
                )
            }
            var dimensions: [Int] = []
            for d in 0..<rank {
                dimensions.append(bytes[4 + 4 * d..<8 + 4 * d].reduce(0) { $0 << 8 | Int($1) })
            }
            var total = 1
            for size in dimensions {
                let (product, overflow) = total.multipliedReportingOverflow(by: size)
                guard !overflow, product <= maximumBytes else {
                    throw KitError(
                        "\(name): the header promises an array of \(dimensions.map(String.init).joined(separator: " × ")) bytes, more than the \(maximumBytes) bytes accepted (corrupt header?)"
                    )
                }
                total = product
            }
            self.name = name
            self.dimensions = dimensions
            self.dataSize = total
        }

        /// "the header promises 10000 labels but the file holds 9876".
        func lengthError(itemName: String, holds data: Int, orMore: Bool = false) -> KitError {
            let itemSize = dimensions.dropFirst().reduce(1, *)
            let shape = dimensions.dropFirst().map(String.init).joined(separator: "×")
            let promised = "\(dimensions[0]) \(itemName)" + (shape.isEmpty ? "" : " of \(shape)")
            if data < dataSize {
                let whole = itemSize > 0 ? data / itemSize : 0
                let partial = itemSize > 0 && data % itemSize != 0 ? " and part of one more" : ""
                return KitError(
                    "\(name): the header promises \(promised) but the file holds \(whole)\(partial) (\(data) of \(dataSize) data bytes): it is truncated; delete it and download it again"
                )
            }
            return KitError(
                "\(name): the header promises \(promised) (\(dataSize) data bytes) but the file holds \(orMore ? "more" : "\(data) bytes"): extra data after the array (corrupt file, or a header that does not match)"
            )
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
