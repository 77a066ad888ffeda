import Foundation
import NeuralKit
import Testing

/// Runs the student's code for a check of `stage`, and turns a stub that is
/// not written yet, or a shape that does not fit, into one clear failure
/// instead of a comparison of placeholder numbers.
func student<T>(_ stage: Int, _ body: () throws -> T) throws -> T {
    let (result, problems) = try Problems.collect(body)
    if let problem = problems.first { throw StudentProblem(stage: stage, problem: problem) }
    return result
}

/// A problem in the student's code, worded for the student.
struct StudentProblem: Error, CustomStringConvertible {
    let stage: Int
    let problem: Problem

    var description: String {
        switch problem.kind {
        case .notImplemented:
            if let earlier = problem.stage, earlier < stage {
                return "Stage \(stage) builds on stage \(earlier): \(problem.message). Finish stage \(earlier) first "
                    + "(swift test --filter Stage\(twoDigits(earlier)))."
            }
            return
                "\(problem.message). Open the file, replace the placeholder with your code, and run the checks again."
        case .invalidShape:
            return "Your code hit a shape problem: \(problem.message)" + (problem.message.hasSuffix("?") ? "" : ".")
        }
    }
}

func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// Records a failure when `actual` and `expected` differ beyond `tolerance`,
/// with the explanation from `mismatch` and an optional hint.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, _ name: String, tolerance: Tolerance = Tolerance(),
    hint: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    let difference = mismatch(actual, expected, tolerance: tolerance, name: name)
    logComparison(name, ComparedValue.describe(actual), ComparedValue.describe(expected), passed: difference == nil)
    guard let difference else { return }
    recordIssue(difference + sentence(hint, after: difference), sourceLocation: sourceLocation)
}

/// Logs a comparison for the notebook's output cells, when the kit asks for them (`ComparedValue`).
func logComparison(
    _ name: String, _ yours: @autoclosure () -> String, _ expected: @autoclosure () -> String, passed: Bool
) {
    guard ComparedValue.isLogging else { return }
    let check = Test.current.map { $0.displayName ?? $0.name } ?? "outside a check"
    ComparedValue(check: check, name: name, yours: yours(), expected: expected(), passed: passed).log()
}

/// ". Hint text", capitalized, or "" without a hint; after a `message` that ends its own sentence
/// ("…, or is a transpose swapped?"), " Hint text".
func sentence(_ hint: String?, after message: String) -> String {
    guard let hint, let first = hint.first else { return "" }
    let separator = message.hasSuffix("?") || message.hasSuffix(".") ? " " : ". "
    return separator + first.uppercased() + hint.dropFirst()
}

/// Records a failure when two numbers differ beyond `tolerance`.
func expectClose(
    _ actual: Double, _ expected: Double, _ name: String, tolerance: Tolerance = Tolerance(),
    hint: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    let difference = mismatch(actual, expected, tolerance: tolerance, name: name)
    logComparison(name, NeuralKit.describe(actual), NeuralKit.describe(expected), passed: difference == nil)
    guard let difference else { return }
    recordIssue(difference + sentence(hint, after: difference), sourceLocation: sourceLocation)
}

/// Records `message` as a failure unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
    if !condition { recordIssue(message(), sourceLocation: sourceLocation) }
}

/// The part of a check that the expectations in `body` are about: a check with parts (∂L/∂W,
/// ∂L/∂b, ∂L/∂X) earns partial credit in the grader's rubric for the parts with no issue. Each
/// issue recorded inside ends with the mark "(part NAME)", which the grader reads.
func part<Result>(_ name: String, _ body: () throws -> Result) rethrows -> Result {
    try CheckPart.$current.withValue(name, operation: body)
}

enum CheckPart {
    @TaskLocal static var current: String?
}

/// Records a failure, marked with the part of the check being checked, if any (`part(_:_:)`).
func recordIssue(_ message: String, sourceLocation: SourceLocation) {
    let marked = CheckPart.current.map { message + "\n(part \($0))" } ?? message
    Issue.record(Comment(rawValue: marked), sourceLocation: sourceLocation)
}

/// Seeds for checks on random inputs: several, so that a lucky input does not pass a wrong answer.
let seeds: [UInt64] = [1, 2, 3]

/// Mixed into every seed of the checks. The grader sets `NEURALKIT_GRADING_SALT`
/// to a secret per grading run, so that outputs copied from a public run do not pass.
let gradingSalt: UInt64 =
    ProcessInfo.processInfo.environment["NEURALKIT_GRADING_SALT"].flatMap { $0.isEmpty ? nil : $0 }
    .map { $0.utf8.reduce(14_695_981_039_346_656_037 as UInt64) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 } } ?? 0

/// The generator for a check's random inputs: `seed` mixed with the grading salt.
func testGenerator(seed: UInt64) -> SeededGenerator {
    SeededGenerator(seed: seed ^ gradingSalt)
}

/// Values from N(0, scale²), seeded (through `testGenerator`).
func randomTensor(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor {
    var generator = testGenerator(seed: seed)
    return Tensor.normal(shape: shape, standardDeviation: scale, using: &generator)
}
