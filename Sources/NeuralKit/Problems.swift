import Foundation

/// Something wrong found while running code: a stub not filled in yet, or an
/// operation given tensors whose shapes do not fit.
///
/// Tensor operations never crash on bad shapes or indices. They record a
/// `Problem` and return a placeholder, so that one mistake in a student's
/// stage reads as a sentence instead of ending every test in the process.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A stub the student has not written yet.
        case notImplemented
        /// Shapes or indices that do not fit the operation.
        case invalidShape
    }

    public let kind: Kind
    /// The sentence shown to the student.
    public let message: String
    /// The file the problem comes from, relative to the kit (e.g.
    /// `Exercises/01-Activations/Activations.swift`), where known.
    public let file: String?
    /// The function named by a `notImplemented` problem.
    public let function: String?

    public var description: String { message }

    /// The stage number of `file` (`Exercises/04-TwoLayerNetwork/...` → 4), if any.
    public var stage: Int? {
        guard let file else { return nil }
        for component in file.split(separator: "/") {
            let digits = component.prefix(while: \.isNumber)
            if digits.count == 2, component.dropFirst(2).first == "-" { return Int(digits) }
        }
        return nil
    }
}

/// Collects the problems recorded while a piece of code runs.
///
/// Tests, the grader and the `kit` command run student code inside
/// `Problems.collect`; the log is task-local, so tests running in parallel
/// each see only their own problems.
public final class ProblemLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Problem] = []

    public init() {}

    public var problems: [Problem] { lock.withLock { recorded } }

    func record(_ problem: Problem) {
        lock.withLock {
            // One line a distinct problem: a stub called in a loop is one problem.
            if !recorded.contains(problem), recorded.count < 20 { recorded.append(problem) }
        }
    }
}

public enum Problems {
    @TaskLocal public static var log: ProblemLog?

    /// Runs `body`, returning its result and every problem it recorded.
    public static func collect<T>(_ body: () throws -> T) rethrows -> (result: T, problems: [Problem]) {
        let log = ProblemLog()
        let result = try $log.withValue(log) { try body() }
        return (result, log.problems)
    }

    /// Records a problem. Outside `collect` (a student's own program), a shape
    /// problem stops the program with its message, and a missing stub is
    /// printed once as a warning.
    public static func report(_ problem: Problem) {
        if let log {
            log.record(problem)
            return
        }
        switch problem.kind {
        case .invalidShape:
            fatalError(problem.message)
        case .notImplemented:
            warnOnce(problem.message)
        }
    }

    private static let warned = ProblemLog()
    private static func warnOnce(_ message: String) {
        let problem = Problem(kind: .notImplemented, message: message, file: nil, function: nil)
        guard !warned.problems.contains(problem) else { return }
        warned.record(problem)
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    /// Records an `invalidShape` problem.
    public static func invalidShape(_ message: String) {
        report(Problem(kind: .invalidShape, message: message, file: nil, function: nil))
    }
}

/// Marks a stub the student has not written yet and returns its placeholder.
///
/// A stub in `Exercises/` ends with `return notImplemented("softmax", placeholder: ...)`:
/// the checks then say "`softmax` is not implemented yet" instead of
/// comparing a placeholder's numbers, and nothing crashes.
public func notImplemented<T>(_ function: String, placeholder: T, file: StaticString = #filePath) -> T {
    let path = kitRelativePath("\(file)")
    Problems.report(
        Problem(
            kind: .notImplemented,
            message: "`\(function)` is not implemented yet (\(path))",
            file: path, function: function))
    return placeholder
}

/// `/home/me/NeuralKit/Exercises/01-Activations/Activations.swift` → `Exercises/01-Activations/Activations.swift`.
func kitRelativePath(_ path: String) -> String {
    for root in ["/Exercises/", "/Solutions/", "/Sources/", "/Tests/"] {
        if let range = path.range(of: root, options: .backwards) {
            return String(root.dropFirst()) + path[range.upperBound...]
        }
    }
    return path
}
