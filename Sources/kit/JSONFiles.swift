import Foundation
import NeuralKit

/// Reading the JSON files the kit is given (rubrics, expected scores, fixture descriptions,
/// recordings) into `Decodable` types, with errors that say where the file is wrong.
enum JSONFiles {
    /// `data` decoded as `T`; a file that does not fit is a `KitError` naming `name`, the place
    /// ("at submissions.ada.total") and what was wrong, and ending with `format`.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, name: String, format: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw KitError("\(name): \(describe(error)) (\(format))")
        } catch {
            throw KitError("\(name) is not JSON: \(error.localizedDescription) (\(format))")
        }
    }

    /// "at stages.2.points: expected a number", "not JSON", "at submissions.ada: \"stages\" is missing".
    static func describe(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            path.isEmpty
                ? "" : "at " + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + ": "
        }
        switch error {
        case .typeMismatch(let type, let context):
            return place(context.codingPath) + "expected \(name(of: type))"
        case .valueNotFound(let type, let context):
            return place(context.codingPath) + "expected \(name(of: type)), found null"
        case .keyNotFound(let key, let context):
            return place(context.codingPath) + "\"\(key.stringValue)\" is missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : place(context.codingPath) + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type, is UInt64.Type: return "a number"
        case is String.Type: return "text"
        case is Bool.Type: return "true or false"
        default:
            let text = "\(type)"
            return text.hasPrefix("Array") ? "a list" : text.hasPrefix("Dictionary") ? "an object" : text
        }
    }
}
