import Foundation
import NeuralKit
import Solutions
import Testing

/// The lectures' worked examples as docs/10-convolutional-network.md shows them, computed with the
/// reference: each of the doc's rows must be there, in order, after the example's first words. (The
/// stage 10 suite `Stage10LectureExamples` checks the student's layers on the same numbers.)
@Suite("Docs · the lectures' worked examples in docs/10")
struct LectureNumbers {
    /// Lecture 001's 6×6 input.
    static let lectureImage: [[Double]] = [
        [3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
        [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9],
    ]
    static let verticalEdge: [[Double]] = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]

    @Test("docs/10: lecture 000's three patches give 300, 300 and 100")
    func lectureZeroPatches() {
        let patches: [[[Double]]] = [
            [[100, 100, 100], [100, 100, 100], [100, 0, 0]],
            [[100, 100, 100], [100, 100, 100], [0, 0, 100]],
            [[100, 100, 100], [100, 100, 100], [0, 100, 100]],
        ]
        let outputs = patches.map { convolve($0, [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]) }
        let anchor = "**Lecture 000, one output at a time.**"
        // The patches stand side by side: row r of the block is row r of each patch.
        expectRows((0..<3).map { r in patches.flatMap { $0[r] } }, after: anchor)
        expectRows([outputs.flatMap { $0.joined() }], after: anchor)
    }

    @Test("docs/10: lecture 001's 6×6 image, its quiz with a kernel of ones, and its two edges")
    func lectureOneConvolutions() {
        let anchor = "**Lecture 001, a 6×6 image.**"
        expectRows(Self.lectureImage, after: anchor)
        expectRows(convolve(Self.lectureImage, Self.verticalEdge), after: anchor)
        expectRows(convolve(Self.lectureImage, Array(repeating: [1, 1, 1], count: 3)), after: "asks, as a quiz,")
        let vertical = Array(repeating: [10.0, 10, 10, 0, 0, 0], count: 6)
        expectRows(convolve(vertical, Self.verticalEdge), after: "Lecture 001's two edge examples.")
        let horizontal =
            Array(repeating: [10.0, 10, 10, 0, 0, 0], count: 3) + Array(repeating: [0, 0, 0, 10, 10, 10], count: 3)
        expectRows(horizontal, after: "A horizontal edge whose")
        expectRows(convolve(horizontal, [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]), after: "A horizontal edge whose")
    }

    @Test("docs/10: lecture 002's 1-D example gives 3 5 5 7 7 10")
    func lectureTwoOneDimensional() {
        let x: [[Double]] = [[1, 5, 3, 7, 5, 9, 7, 14]]
        let anchor = "**Lecture 002, in one dimension.**"
        expectRows(x, after: anchor)
        expectRows(convolve(x, [[1.0 / 3, 1.0 / 3, 1.0 / 3]]), after: anchor)
    }

    @Test("docs/10: lecture 002's max and average pooling, and where max pooling sends the gradient")
    func lectureTwoPooling() {
        let maxInput: [[Double]] = [[0, 0, 5, 1], [0, 2, 4, 0], [1, 0, 1, 0], [0, 0, 0, 3]]
        let averageInput: [[Double]] = [[1, 3, 2, 1], [2, 9, 1, 1], [1, 4, 2, 3], [5, 6, 1, 2]]
        let anchor = "Lecture 002 pools two 4×4 examples"
        for (x, pool) in [
            (maxInput, Solutions.MaxPool2D(window: 2) as any Layer), (averageInput, Solutions.AvgPool2D(window: 2)),
        ] {
            expectRows(x, after: anchor)
            expectRows(rows(pool.forward(tensor(x))), after: anchor)
        }
        let x: [[Double]] = [[0, 55, 0, 0], [20, 0, 41, 33], [0, 90, 0, 0], [0, 57, 0, 95]]
        let pool = Solutions.MaxPool2D(window: 2)
        let y = pool.forward(tensor(x))
        let g: [[Double]] = [[1, 2], [3, 4]]
        expectRows(x, after: "Its gradient example:")
        expectRows(rows(y), after: "Its gradient example:")
        expectRows(rows(pool.backward(tensor(g))), after: "Its gradient example:")
    }

    @Test("docs/10: lecture 001's quiz, the convolution's gradient through max pooling")
    func lectureOneQuizGradient() {
        let conv = Solutions.Conv2D(weight: tensor(Self.verticalEdge), bias: Tensor([0]))
        let network = Sequential(conv, Solutions.MaxPool2D(window: 2))
        let y = network.forward(tensor(Self.lectureImage))
        _ = network.backward(Tensor(shape: y.shape, scalars: [1, 1, 1, 1]))
        let anchor = "Lecture 001's quiz asks whether pooling"
        let pooled = rows(y).map { "[" + $0.map(docNumber).joined(separator: ", ") + "]" }.joined(separator: ", ")
        check(
            docText(walkthrough).contains("`[\(pooled)]`"),
            "docs/\(walkthrough) should give the pooled map as `[\(pooled)]`, as the reference computes")
        expectRows(rows(conv.weight.gradient), after: anchor)
        expectRows([conv.bias.gradient.scalars], after: "∂L/∂b:")
    }
}

// MARK: - Helpers

private let walkthrough = "10-convolutional-network.md"

/// A `[1, 1, H, W]` tensor from its rows.
func tensor(_ rows: [[Double]]) -> Tensor {
    Tensor(shape: [1, 1, rows.count, rows.first?.count ?? 0], scalars: Array(rows.joined()))
}

/// The rows of a tensor's last two dimensions, one after another.
func rows(_ t: Tensor) -> [[Double]] {
    let width = t.shape.last ?? 1
    return stride(from: 0, to: t.count, by: width).map { Array(t.scalars[$0..<$0 + width]) }
}

/// The reference's convolution (stride 1, no padding, bias 0) of one image with one kernel.
func convolve(_ x: [[Double]], _ w: [[Double]]) -> [[Double]] {
    rows(Solutions.Conv2D(weight: tensor(w), bias: Tensor([0])).forward(tensor(x)))
}

/// How the doc writes a number: a whole number without a point, a negative one with "−".
private func docNumber(_ x: Double) -> String {
    let rounded = (x * 1e6).rounded() / 1e6
    let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    return text.replacingOccurrences(of: "-", with: "−")
}

/// Records a failure unless the walkthrough holds each row, its numbers separated by spaces, in this
/// order after `anchor` (the doc's spaces and line breaks count as one space).
func expectRows(_ rows: [[Double]], after anchor: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let flowing = " " + docText(walkthrough).split(whereSeparator: \.isWhitespace).joined(separator: " ") + " "
    let start = anchor.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    guard var rest = flowing.range(of: start).map({ flowing[$0.upperBound...] }) else {
        Issue.record(
            Comment(rawValue: "docs/\(walkthrough) no longer says '\(anchor)'"), sourceLocation: sourceLocation)
        return
    }
    for row in rows {
        let phrase = " " + row.map(docNumber).joined(separator: " ") + " "
        guard let found = rest.range(of: phrase) else {
            Issue.record(
                Comment(
                    rawValue: "docs/\(walkthrough) should show the row '\(phrase.dropFirst().dropLast())' after "
                        + "'\(anchor)', as the reference computes: correct the doc"), sourceLocation: sourceLocation)
            return
        }
        rest = rest[rest.index(before: found.upperBound)...] // the space after the row starts the next one
    }
}
