import NeuralKit
import Testing

/// A wrong answer students are likely to give, and what to tell the student who gave it. The stage
/// suites compare an answer with the expected value and, when it is off and matches one of these,
/// name the mistake instead of a generic hint: "that is X·W without the bias: add b to every row".
struct LikelyMistake<Answer> {
    /// What the mistake produces on the check's inputs.
    let answer: Answer
    /// What to do about it, a sentence fragment ("that is the mean over the batch: …").
    let hint: String

    init(_ answer: Answer, hint: String) {
        (self.answer, self.hint) = (answer, hint)
    }
}

extension LikelyMistake where Answer == Tensor {
    /// The mistake that `make` computes on the check's inputs, or nil when its shapes do not fit
    /// them (its shape problems are dropped: such a mistake cannot be the student's here).
    init?(_ hint: String, _ make: () -> Tensor) {
        let (answer, problems) = Problems.collect(make)
        guard problems.isEmpty else { return nil }
        self.init(answer, hint: hint)
    }
}

/// Mistakes computed with the reference are recorded like any reference value (the answer, then the hint).
extension LikelyMistake: ReferenceInput, Recordable where Answer: Recordable {
    var record: Record { .list([answer.record, hint.record]) }

    init(record: Record) throws {
        guard case .list(let items) = record, items.count == 2 else {
            throw RecordError.wrongKind(record, expected: "a likely mistake")
        }
        try self.init(Answer(record: items[0]), hint: String(record: items[1]))
    }
}

extension Sequence {
    /// The hint of the first mistake whose answer `matches` says `actual` is, or nil.
    func hint<Answer>(for actual: Answer, matching matches: (_ actual: Answer, _ answer: Answer) -> Bool) -> String?
    where Element == LikelyMistake<Answer> {
        first { matches(actual, $0.answer) }?.hint
    }

    /// The hint of the first mistake whose answer `actual` equals within `tolerance`, leaving out any that
    /// gives the `expected` value too (on some inputs a mistake makes no difference), or nil.
    func hint(for actual: Tensor, expected: Tensor? = nil, tolerance: Tolerance = .gradient) -> String?
    where Element == LikelyMistake<Tensor> {
        hint(for: actual) { actual, answer in
            mismatch(actual, answer, tolerance: tolerance) == nil
                && expected.map { mismatch($0, answer, tolerance: tolerance) != nil } ?? true
        }
    }
}

/// `expectClose`, with the hint of the first likely mistake that `actual` matches, or else `otherwise`.
/// A recognised mistake of the wrong shape gets its own hint only, without the generic guess ("is a
/// transpose swapped?") that `mismatch` adds to a shape difference.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, _ name: String, tolerance: Tolerance = Tolerance(),
    likelyMistakes: [LikelyMistake<Tensor>], otherwise: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let compared = mismatch(actual, expected, tolerance: tolerance, name: name)
    logComparison(name, ComparedValue.describe(actual), ComparedValue.describe(expected), passed: compared == nil)
    guard var difference = compared else { return }
    let recognised = likelyMistakes.hint(for: actual, expected: expected)
    if recognised != nil, actual.shape != expected.shape {
        difference = "\(name) has shape \(actual.shape), expected \(expected.shape)"
    }
    recordIssue(difference + sentence(recognised ?? otherwise, after: difference), sourceLocation: sourceLocation)
}
