import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 5: labels to one-hot rows, and back.
@Suite("Stage 5 · One-hot encoding")
struct Stage05OneHotEncoding {
    @Test("oneHot matches the reference on random labels", arguments: seeds)
    func oneHotMatchesReference(seed: UInt64) throws {
        // 7 labels, 4 classes: a swapped shape shows as [4, 7].
        let labels = randomLabels(count: 7, classes: 4, seed: seed)
        let actual = try student(5) { try Exercises.oneHot(labels, classes: 4) }
        expectClose(
            actual, try reference(labels) { try Solutions.oneHot(labels, classes: 4) }, "oneHot(\(labels), classes: 4)",
            tolerance: .tight, hint: actual.shape == [7, 4] ? "row i must have a single 1, in column labels[i]" : nil)
    }

    @Test("oneHot of the walkthrough's labels [2, 0, 3] with 4 classes")
    func oneHotWorkedExample() throws {
        // docs/05-one-hot-encoding.md
        let actual = try student(5) { try Exercises.oneHot([2, 0, 3], classes: 4) }
        expectClose(
            actual, Tensor([[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]]), "oneHot([2, 0, 3], classes: 4)",
            tolerance: .tight)
    }

    @Test("classIndices undoes oneHot", arguments: seeds)
    func roundTrip(seed: UInt64) throws {
        let labels = randomLabels(count: 9, classes: 5, seed: seed + 10)
        let decoded = try student(5) { Exercises.classIndices(try Exercises.oneHot(labels, classes: 5)) }
        expectLabels(decoded, labels, "classIndices(oneHot(\(labels), classes: 5))")
    }

    @Test("classIndices picks the most probable class of each row", arguments: seeds)
    func classIndicesOfProbabilities(seed: UInt64) throws {
        // 6 examples, 4 classes: an argmax over columns gives 4 values instead of 6.
        let z = randomTensor([6, 4], seed: seed + 20, scale: 2)
        let p = try reference(z) { Solutions.softmax(z) }
        let actual = try student(5) { Exercises.classIndices(p) }
        expectLabels(actual, try reference(p) { Solutions.classIndices(p) }, "classIndices(probabilities)")
    }

    @Test("classIndices of the walkthrough's probabilities")
    func classIndicesWorkedExample() throws {
        // docs/05-one-hot-encoding.md
        let p = Tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.25, 0.15, 0.6], [0.3, 0.4, 0.3]])
        expectLabels(
            try student(5) { Exercises.classIndices(p) }, [1, 0, 2, 1],
            "classIndices of the walkthrough's probabilities")
    }

    @Test("oneHot of no labels is an empty [0, classes] matrix")
    func emptyLabels() throws {
        let actual = try student(5) { try Exercises.oneHot([], classes: 4) }
        check(
            actual.shape == [0, 4],
            "oneHot([], classes: 4) has shape \(actual.shape), expected [0, 4]: "
                + "an empty batch still has one column per class")
    }

    @Test("oneHot throws for a negative label")
    func throwsForNegativeLabel() throws {
        try expectThrows(
            labels: [0, 2, -1, 1], classes: 3, badValue: -1,
            why: "label -1 is not a class in 0..<3", example: labelExample)
    }

    @Test("oneHot throws for a label equal to the number of classes")
    func throwsForLabelEqualToClasses() throws {
        // Classes are 0..<4: label 4 is one past the end. "4" is in "0..<4" too, so the
        // error's naming of the bad label is checked with label 6 instead.
        try expectThrows(
            labels: [1, 0, 4, 2], classes: 4, badValue: nil,
            why: "label 4 is not a class in 0..<4 (the classes start at 0)", example: labelExample)
        try expectThrows(
            labels: [1, 0, 6, 2], classes: 4, badValue: 6,
            why: "label 6 is not a class in 0..<4", example: labelExample)
    }

    @Test("oneHot throws for 0 classes")
    func throwsForZeroClasses() throws {
        // Only that it throws: any error text names a "0" somewhere.
        try expectThrows(
            labels: [0, 0], classes: 0, badValue: nil,
            why: "there must be at least one class", example: classesExample)
    }

    @Test("oneHot throws for a negative number of classes")
    func throwsForNegativeClasses() throws {
        try expectThrows(
            labels: [0, 1], classes: -3, badValue: -3,
            why: "the number of classes must be positive", example: classesExample)
    }
}

private let labelExample = #"KitError("label \(label) is not a class in 0..<\(classes)")"#
private let classesExample = #"KitError("the number of classes must be positive, got \(classes)")"#

/// Seeded labels in `0..<classes`.
private func randomLabels(count: Int, classes: Int, seed: UInt64) -> [Int] {
    var generator = testGenerator(seed: seed)
    return (0..<count).map { _ in generator.nextInt(below: classes) }
}

/// Compares two label lists, explaining a wrong count (an argmax over the wrong axis).
private func expectLabels(
    _ actual: [Int], _ expected: [Int], _ name: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    logComparison(name, "\(actual)", "\(expected)", passed: actual == expected)
    guard actual.count == expected.count else {
        Issue.record(
            Comment(
                rawValue: "\(name) gave \(actual.count) classes for \(expected.count) rows: "
                    + "take the largest value of each row (along axis 1), not of each column"),
            sourceLocation: sourceLocation)
        return
    }
    if let i = actual.indices.first(where: { actual[$0] != expected[$0] }) {
        Issue.record(
            Comment(
                rawValue: "\(name) is \(actual), expected \(expected): row \(i) gave class \(actual[i]), "
                    + "expected \(expected[i]) (the column of the row's largest value)"), sourceLocation: sourceLocation
        )
    }
}

/// Checks that the student's `oneHot(labels, classes:)` throws, and, given a `badValue`, that the
/// error's text mentions it (loosely: any wording that contains it).
private func expectThrows(
    labels: [Int], classes: Int, badValue: Int?, why: String, example: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let call = "oneHot(\(labels), classes: \(classes))"
    let outcome: Result<Tensor, any Error>
    do {
        outcome = try student(5) { Result { try Exercises.oneHot(labels, classes: classes) } }
    } catch let failure as StudentProblem where failure.problem.kind == .invalidShape {
        Issue.record(
            Comment(
                rawValue: "\(call) must throw an error, because \(why); instead it went on and hit a "
                    + "shape problem: \(failure.problem.message). Check the input first and `throw \(example)`"),
            sourceLocation: sourceLocation)
        return
    }
    let expected = "throws: " + why
    switch outcome {
    case .success(let encoded):
        logComparison(call, "returns a tensor of shape \(encoded.shape)", expected, passed: false)
        Issue.record(
            Comment(
                rawValue: "\(call) returned a tensor of shape \(encoded.shape); it must throw an error, "
                    + "because \(why). Check the input first and `throw \(example)`"), sourceLocation: sourceLocation)
    case .failure(let error):
        let text = "\(error)"
        logComparison(call, "throws: " + text, expected, passed: badValue.map { text.contains("\($0)") } ?? true)
        guard let badValue else { return }
        check(
            text.contains("\(badValue)"),
            "\(call) threw, good, but its error reads \"\(text)\": say which value is wrong (\(badValue)), "
                + "e.g. `throw \(example)`", sourceLocation: sourceLocation)
    }
}
