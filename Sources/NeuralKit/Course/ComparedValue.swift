import Foundation

/// One comparison a check made: the student's value beside the expected one, for the notebook's output cells.
///
/// The stage suites' `expectClose` logs each comparison when `NEURALKIT_COMPARED_VALUES` names a file
/// (`kit check`, `kit watch` and `kit notebook` set it; the grader does not), one JSON object a line; the kit
/// reads them back by the check's display name. The values are the student's own process's, so this
/// carries nothing of the reference that the check did not already show in its message.
public struct ComparedValue: Codable, Sendable, Equatable {
    /// The display name of the check that compared: "softmax of [1, 2, 3], step by step".
    public var check: String
    /// What was compared: "softmax([1, 2, 3])".
    public var name: String
    /// The student's value and the expected one, formatted by `describe(_:)`.
    public var yours: String
    public var expected: String
    public var passed: Bool

    public init(check: String, name: String, yours: String, expected: String, passed: Bool) {
        self.check = check
        self.name = name
        self.yours = yours
        self.expected = expected
        self.passed = passed
    }

    /// The environment variable that names the file the comparisons are appended to.
    public static let environmentVariable = "NEURALKIT_COMPARED_VALUES"

    private static let file: FileHandle? = {
        guard let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty else { return nil }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
        return handle
    }()
    private static let lock = NSLock()

    /// Whether comparisons are logged in this process.
    public static var isLogging: Bool { file != nil }

    /// Appends this comparison to the file the environment names, if any (checks run in parallel).
    public func log() {
        guard let file = Self.file, var line = try? JSONEncoder().encode(self) else { return }
        line.append(UInt8(ascii: "\n"))
        Self.lock.lock()
        defer { Self.lock.unlock() }
        try? file.write(contentsOf: line)
    }

    /// The comparisons in a file written by `log()`; a line cut short by a crash is skipped.
    public static func read(from url: URL) -> [ComparedValue] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? decoder.decode(ComparedValue.self, from: Data($0.utf8)) }
    }

    /// A tensor as a reader would write it: `[0.09, 0.2447, 0.6652]`, a matrix's rows on lines of their own,
    /// an image batch with dimensions of size 1 (`[1, 1, 4, 4]`) as its matrix under its shape; a large one as its shape and
    /// first values.
    public static func describe(_ tensor: Tensor) -> String {
        let shape = tensor.shape
        let values = tensor.scalars
        // An image batch's dimensions of size 1 (one example, one channel) say nothing about the values' layout.
        var squeezed = shape.count > 2 ? shape.filter { $0 != 1 } : shape
        if squeezed.isEmpty { squeezed = [values.count] }
        guard values.count <= 36, squeezed.count <= 2 else {
            let first = values.prefix(6).map(NeuralKit.describe).joined(separator: ", ")
            return "shape \(shape), first values [\(first)\(values.count > 6 ? ", …" : "")]"
        }
        func row(_ slice: ArraySlice<Double>) -> String {
            "[" + slice.map(NeuralKit.describe).joined(separator: ", ") + "]"
        }
        let heading = squeezed.count < shape.count ? "shape \(shape):\n" : ""
        guard squeezed.count == 2 else { return heading + row(values[...]) }
        let columns = squeezed[1]
        let rows = (0..<squeezed[0]).map { row(values[($0 * columns)..<(($0 + 1) * columns)]) }
        return heading + (rows.count == 1 ? "[" + rows[0] + "]" : "[" + rows.joined(separator: ",\n ") + "]")
    }
}
