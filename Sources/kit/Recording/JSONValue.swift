import Foundation

/// Any JSON value, decoded and encoded again as it was: what the kit passes on without knowing
/// its shape (the recorded values of the reference, fields of a recording's manifest that this
/// version of kit does not know). Integers stay integers; other numbers are `Double`s, which
/// JSONEncoder writes back in the shortest form that reads as the same number.
enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The members of an object, or nil.
    var object: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }

    /// The text of a string, or nil.
    var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// An integer's value, or nil.
    var integer: Int? {
        if case .integer(let value) = self { Int(exactly: value) } else { nil }
    }

    /// A number's value, integer or not (never a boolean's), or nil.
    var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The items of a list, or nil.
    var array: [JSONValue]? {
        if case .array(let items) = self { items } else { nil }
    }

    /// The items of a list, each read by `item` (`\.string`, `\.integer`, …), or nil if this is not a
    /// list or an item does not read.
    func list<Item>(of item: (JSONValue) -> Item?) -> [Item]? {
        guard let items = array else { return nil }
        let read = items.compactMap(item)
        return read.count == items.count ? read : nil
    }
}
