import Exercises
import NeuralKit
import Solutions
import Testing

// A hidden suite, as an instructor writes one: the grader adds this folder to
// the grading copy only (kit grade --hidden-tests DIR). Suites are named
// StageNN… so that their checks count for stage NN; they use the same helpers
// as the public suites (student, reference, expectClose, randomTensor, …).
// `reference(inputs…) { }` names every value its answer depends on: the grader
// records the reference's answers once per run and replays them.
@Suite("Stage 5 · Hidden checks")
struct Stage05Hidden {
    @Test("oneHot of one label per class gives the identity")
    func identity() throws {
        let labels = [0, 1, 2, 3, 4]
        let actual = try student(5) { try Exercises.oneHot(labels, classes: 5) }
        expectClose(
            actual, try reference(labels) { try Solutions.oneHot(labels, classes: 5) },
            "oneHot([0, 1, 2, 3, 4], classes: 5)",
            tolerance: .tight)
    }

    @Test("oneHot of an empty list of labels has no rows")
    func empty() throws {
        let actual = try student(5) { try Exercises.oneHot([], classes: 3) }
        check(actual.shape == [0, 3], "oneHot([], classes: 3) has shape \(actual.shape), expected [0, 3]")
    }
}
