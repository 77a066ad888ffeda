import NeuralKit
import Testing

// Helpers shared by the core's own tests.

/// Runs `body` inside `Problems.collect` (so a bad shape is recorded instead of
/// stopping the process) and returns its result and the recorded messages.
func recordingProblems<T>(_ body: () throws -> T) rethrows -> (result: T, messages: [String]) {
    let (result, problems) = try Problems.collect(body)
    return (result, problems.map(\.message))
}

/// Runs `body` and records a test failure if it recorded any problem.
func withoutProblems<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) rethrows -> T {
    let (result, problems) = try Problems.collect(body)
    #expect(problems.isEmpty, "unexpected problems: \(problems)", sourceLocation: sourceLocation)
    return result
}

/// Whether every scalar of `a` is within `tolerance` of `b`, with equal shapes.
func isClose(_ a: Tensor, _ b: Tensor, tolerance: Double = 1e-12) -> Bool {
    a.shape == b.shape && Swift.zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

/// The distance in units in the last place between two finite doubles of the same sign.
func ulpDistance(_ a: Double, _ b: Double) -> UInt64 {
    if a == b { return 0 }
    if a.sign != b.sign { return ulpDistance(a, 0) + ulpDistance(0, b) }
    let x = a.magnitude.bitPattern
    let y = b.magnitude.bitPattern
    return x > y ? x - y : y - x
}

/// `[d0, d1, d2]` with scalar `i` (row-major) equal to `i + 1`, easy to follow by hand.
func counting(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape) { Double($0 + 1) }
}
