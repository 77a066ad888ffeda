import Foundation
import NeuralKit

/// A reference value as a recording stores it: tensors, numbers, labels, text,
/// lists of them, nothing, or the error the reference threw.
///
/// Numbers are stored as their IEEE 754 bits, so that a replayed value is the
/// same `Double` the reference computed, NaN and infinities included.
indirect enum Record: Equatable, Sendable {
    case tensor(shape: [Int], scalars: [Double])
    case number(Double)
    case integer(Int)
    case text(String)
    case flag(Bool)
    case list([Record])
    case absent
    /// The reference threw: replay throws an error with the same description.
    case error(String)
}

/// A value a reference value depends on: the door names a recorded value by
/// the fingerprint of these.
protocol ReferenceInput {
    var record: Record { get }
}

/// A value the door records and replays.
protocol Recordable: ReferenceInput {
    /// Rebuilds the value; throws `RecordError.wrongKind` when the record holds something else.
    init(record: Record) throws
}

/// A record that does not hold the value asked for: a recording made by other checks.
struct RecordError: Error, CustomStringConvertible {
    let description: String

    static func wrongKind(_ record: Record, expected: String) -> RecordError {
        RecordError(description: "the recording holds \(record.kind) where the check expects \(expected)")
    }
}

/// An error the reference threw when the recording was made, thrown again on replay.
struct RecordedError: Error, CustomStringConvertible {
    let description: String
}

extension Record {
    /// What the record holds, for messages.
    var kind: String {
        switch self {
        case .tensor(let shape, _): "a tensor of shape \(shape)"
        case .number: "a number"
        case .integer: "an integer"
        case .text: "text"
        case .flag: "a true/false value"
        case .list(let items): "a list of \(items.count)"
        case .absent: "nothing"
        case .error: "an error"
        }
    }

    /// A stable digest of the record (SHA-256, first 16 hex digits): the same
    /// value gives the same fingerprint in every process and on every machine.
    var fingerprint: String {
        var hash = SHA256()
        feed(into: &hash)
        return String(hash.finalize().hexString.prefix(16))
    }

    private func feed(into hash: inout SHA256) {
        func word(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { hash.update($0) } }
        func text(_ value: String) {
            word(UInt64(value.utf8.count))
            hash.update(Array(value.utf8))
        }
        switch self {
        case .tensor(let shape, let scalars):
            word(1)
            word(UInt64(shape.count))
            for dimension in shape { word(UInt64(bitPattern: Int64(dimension))) }
            scalars.withUnsafeBytes { hash.update($0) }
        case .number(let value):
            word(2)
            word(value.bitPattern)
        case .integer(let value):
            word(3)
            word(UInt64(bitPattern: Int64(value)))
        case .text(let value):
            word(4)
            text(value)
        case .flag(let value):
            word(5)
            word(value ? 1 : 0)
        case .list(let items):
            word(6)
            word(UInt64(items.count))
            for item in items { item.feed(into: &hash) }
        case .absent: word(7)
        case .error(let message):
            word(8)
            text(message)
        }
    }
}

// MARK: - JSON

/// In JSON: a tensor is `{"shape": [...], "f64": "<base64>"}` (little-endian
/// doubles), a number `{"f64": "<base64>"}`, an error `{"error": "..."}`;
/// integers, text, true/false, lists and nothing are JSON's own.
extension Record: Codable {
    private enum Key: String, CodingKey { case shape, f64, error }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            if let message = try keyed.decodeIfPresent(String.self, forKey: .error) {
                self = .error(message)
                return
            }
            let scalars = try Record.doubles(
                base64: keyed.decode(String.self, forKey: .f64), codingPath: decoder.codingPath)
            if let shape = try keyed.decodeIfPresent([Int].self, forKey: .shape) {
                guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: decoder.codingPath,
                            debugDescription: "a tensor of shape \(shape) with \(scalars.count) values"))
                }
                self = .tensor(shape: shape, scalars: scalars)
            } else {
                guard scalars.count == 1 else {
                    throw DecodingError.dataCorrupted(
                        .init(codingPath: decoder.codingPath, debugDescription: "a number of \(scalars.count) values"))
                }
                self = .number(scalars[0])
            }
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [Record] = []
            while !list.isAtEnd { items.append(try list.decode(Record.self)) }
            self = .list(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .absent
        } else if let flag = try? single.decode(Bool.self) {
            self = .flag(flag)
        } else if let integer = try? single.decode(Int.self) {
            self = .integer(integer)
        } else {
            self = .text(try single.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .tensor(let shape, let scalars):
            var keyed = encoder.container(keyedBy: Key.self)
            try keyed.encode(shape, forKey: .shape)
            try keyed.encode(Record.base64(scalars), forKey: .f64)
        case .number(let value):
            var keyed = encoder.container(keyedBy: Key.self)
            try keyed.encode(Record.base64([value]), forKey: .f64)
        case .error(let message):
            var keyed = encoder.container(keyedBy: Key.self)
            try keyed.encode(message, forKey: .error)
        case .list(let items):
            var list = encoder.unkeyedContainer()
            for item in items { try list.encode(item) }
        case .integer(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .text(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .flag(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .absent:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        }
    }

    private static func base64(_ values: [Double]) -> String {
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    private static func doubles(base64 text: String, codingPath: [any CodingKey]) throws -> [Double] {
        guard let data = Data(base64Encoded: text), data.count % 8 == 0 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "not base64 of 8-byte numbers"))
        }
        return stride(from: 0, to: data.count, by: 8).map { offset in
            var bits: UInt64 = 0
            for (shift, byte) in data[data.startIndex + offset..<data.startIndex + offset + 8].enumerated() {
                bits |= UInt64(byte) << (8 * UInt64(shift))
            }
            return Double(bitPattern: bits)
        }
    }
}

// MARK: - What can be recorded

extension Tensor: Recordable {
    var record: Record { .tensor(shape: shape, scalars: scalars) }

    init(record: Record) throws {
        guard case .tensor(let shape, let scalars) = record else {
            throw RecordError.wrongKind(record, expected: "a tensor")
        }
        self.init(shape: shape, scalars: scalars)
    }
}

extension Double: Recordable {
    var record: Record { .number(self) }

    init(record: Record) throws {
        guard case .number(let value) = record else { throw RecordError.wrongKind(record, expected: "a number") }
        self = value
    }
}

extension Int: Recordable {
    var record: Record { .integer(self) }

    init(record: Record) throws {
        guard case .integer(let value) = record else { throw RecordError.wrongKind(record, expected: "an integer") }
        self = value
    }
}

extension UInt64: ReferenceInput {
    var record: Record { .integer(Int(truncatingIfNeeded: self)) }
}

extension Bool: Recordable {
    var record: Record { .flag(self) }

    init(record: Record) throws {
        guard case .flag(let value) = record else { throw RecordError.wrongKind(record, expected: "true or false") }
        self = value
    }
}

extension String: Recordable {
    var record: Record { .text(self) }

    init(record: Record) throws {
        guard case .text(let value) = record else { throw RecordError.wrongKind(record, expected: "text") }
        self = value
    }
}

extension Array: ReferenceInput where Element: ReferenceInput {
    var record: Record { .list(map(\.record)) }
}

extension Array: Recordable where Element: Recordable {
    init(record: Record) throws {
        guard case .list(let items) = record else { throw RecordError.wrongKind(record, expected: "a list") }
        self = try items.map(Element.init(record:))
    }
}

extension Optional: ReferenceInput where Wrapped: ReferenceInput {
    var record: Record { map(\.record) ?? .absent }
}

extension Optional: Recordable where Wrapped: Recordable {
    init(record: Record) throws {
        self = record == .absent ? nil : try Wrapped(record: record)
    }
}

extension Dataset: Recordable {
    var record: Record { .list([inputs.record, labels.record, classCount.record]) }

    init(record: Record) throws {
        guard case .list(let items) = record, items.count == 3 else {
            throw RecordError.wrongKind(record, expected: "a dataset (inputs, labels, classes)")
        }
        try self.init(
            inputs: Tensor(record: items[0]), labels: [Int](record: items[1]), classCount: Int(record: items[2]))
    }
}

extension ImageDataset: ReferenceInput {
    var record: Record {
        .list([.tensor(shape: [count, height, width], scalars: pixels.map(Double.init)), labels.record])
    }
}
