import Exercises
import NeuralKit
import Testing

/// The lectures' own worked examples of convolution and pooling, with the lectures' numbers (lectures
/// 000 to 004, numbered as the course's lecture files are), computed by the student's layers.
/// docs/10-convolutional-network.md shows each one; DocsTests' `LectureNumbers` checks the doc's copy.
@Suite("Stage 10 · The lectures' worked examples")
struct Stage10LectureExamples {
    /// Lecture 001's 6×6 input, used by its convolution example and its quiz.
    static let lectureImage = image([
        [3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
        [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9],
    ])
    /// Lecture 001's vertical-edge kernel: the left column minus the right one.
    static let verticalEdge = image([[1, 0, -1], [1, 0, -1], [1, 0, -1]])

    // MARK: Convolution

    @Test("Conv2D gives lecture 001's 4×4 output for its 6×6 image and vertical-edge kernel")
    func lectureImageWithVerticalEdgeKernel() throws {
        try expectConvolution(
            Self.lectureImage, Self.verticalEdge,
            gives: [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7], [-3, -2, -3, -16]],
            "lecture 001's 6×6 image convolved with the kernel rows 1 0 −1")
    }

    @Test("Conv2D answers lecture 001's quiz: its 6×6 image with a 3×3 kernel of ones")
    func lectureQuizWithKernelOfOnes() throws {
        try expectConvolution(
            Self.lectureImage, image(Array(repeating: [1, 1, 1], count: 3)),
            gives: [[29, 39, 38, 35], [29, 41, 39, 38], [22, 28, 28, 41], [22, 25, 30, 46]],
            "lecture 001's 6×6 image convolved with a 3×3 kernel of ones (each output is its patch's sum)")
    }

    @Test("Conv2D finds lecture 001's vertical edge: every row 0 30 30 0")
    func lectureVerticalEdge() throws {
        try expectConvolution(
            image(Array(repeating: [10, 10, 10, 0, 0, 0], count: 6)), Self.verticalEdge,
            gives: Array(repeating: [0, 30, 30, 0], count: 4),
            "lecture 001's vertical edge (columns 10 10 10 0 0 0) convolved with the kernel rows 1 0 −1")
    }

    @Test("Conv2D finds lecture 001's horizontal edge: rows 0, 30 10 −10 −30, 30 10 −10 −30, 0")
    func lectureHorizontalEdge() throws {
        let top: [Double] = [10, 10, 10, 0, 0, 0]
        let bottom: [Double] = [0, 0, 0, 10, 10, 10]
        try expectConvolution(
            image([top, top, top, bottom, bottom, bottom]), image([[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),
            gives: [[0, 0, 0, 0], [30, 10, -10, -30], [30, 10, -10, -30], [0, 0, 0, 0]],
            "lecture 001's horizontal edge convolved with the kernel rows 1 1 1 / 0 0 0 / −1 −1 −1")
    }

    @Test("Conv2D on lecture 002's 1-D example: [1, 5, 3, 7, 5, 9, 7, 14] with [1/3, 1/3, 1/3]")
    func lectureOneDimensionalExample() throws {
        // A 1-D signal is an image one row high; the lecture works out the first two outputs, 3 and 5.
        try expectConvolution(
            image([[1, 5, 3, 7, 5, 9, 7, 14]]), image([[1.0 / 3, 1.0 / 3, 1.0 / 3]]),
            gives: [[3, 5, 5, 7, 7, 10]],
            "lecture 002's x = [1, 5, 3, 7, 5, 9, 7, 14] convolved with y = [1/3, 1/3, 1/3] (a moving average)")
    }

    @Test("Conv2D computes lecture 000's 300, 300 and 100 with the kernel rows 1 2 1, 0 0 0, −1 −2 −1")
    func lectureHundredsExample() throws {
        // Lecture 000's three 3×3 patches of an image of 100s and 0s, as a batch of three: one output each.
        let patches = Tensor(
            shape: [3, 1, 3, 3],
            scalars: [
                100, 100, 100, 100, 100, 100, 100, 0, 0,
                100, 100, 100, 100, 100, 100, 0, 0, 100,
                100, 100, 100, 100, 100, 100, 0, 100, 100,
            ])
        let kernel = image([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])
        let y = try student(10) { Exercises.Conv2D(weight: kernel, bias: Tensor([0])).forward(patches) }
        let expected = Tensor(shape: [3, 1, 1, 1], scalars: [300, 300, 100])
        expectClose(
            y, expected, "lecture 000's three patches convolved with the kernel rows 1 2 1 / 0 0 0 / −1 −2 −1",
            hint: convolutionHint(y, expected: expected, imageSide: 3, kernelSide: 3)
                ?? "each example of the batch is convolved on its own; the first is 100·1 + 100·2 + 100·1 + "
                + "100·0 + 100·0 + 100·0 + 100·(−1) + 0·(−2) + 0·(−1) = 300")
    }

    // MARK: Pooling

    @Test("MaxPool2D on lecture 002's 4×4 example gives 2 5 / 1 3")
    func lectureMaxPooling() throws {
        let x = image([[0, 0, 5, 1], [0, 2, 4, 0], [1, 0, 1, 0], [0, 0, 0, 3]])
        let y = try student(10) { Exercises.MaxPool2D(window: 2, stride: 2).forward(x) }
        expectClose(
            y, image([[2, 5], [1, 3]]), "max pooling (window 2, stride 2) of lecture 002's 4×4 example",
            hint: "each output is the largest of its 2×2 window; the windows do not overlap")
    }

    @Test("AvgPool2D on lecture 002's 4×4 example gives 3.75 1.25 / 4 2")
    func lectureAveragePooling() throws {
        let x = image([[1, 3, 2, 1], [2, 9, 1, 1], [1, 4, 2, 3], [5, 6, 1, 2]])
        let y = try student(10) { Exercises.AvgPool2D(window: 2, stride: 2).forward(x) }
        expectClose(
            y, image([[3.75, 1.25], [4, 2]]), "average pooling (window 2, stride 2) of lecture 002's 4×4 example",
            hint: "each output is the mean of its 2×2 window: (1 + 3 + 2 + 9) / 4 = 3.75 for the first")
    }

    @Test("MaxPool2D sends lecture 002's gradients back to where its maxima 55, 41, 90 and 95 were")
    func lectureMaxPoolingGradient() throws {
        let x = image([[0, 55, 0, 0], [20, 0, 41, 33], [0, 90, 0, 0], [0, 57, 0, 95]])
        let g = image([[1, 2], [3, 4]])
        let pool = Exercises.MaxPool2D(window: 2, stride: 2)
        let y = try student(10) { pool.forward(x) }
        expectClose(
            y, image([[55, 41], [90, 95]]), "max pooling of lecture 002's gradient example",
            hint: "each output is the largest of its 2×2 window")
        try #require(y.shape == [1, 1, 2, 2], "fix the forward pass first: its backward reads what forward kept")
        let dx = try student(10) { pool.backward(g) }
        expectClose(
            dx, image([[0, 1, 0, 0], [0, 0, 2, 0], [0, 3, 0, 0], [0, 0, 0, 4]]),
            "MaxPool2D.backward of the gradients [[1, 2], [3, 4]] on lecture 002's example",
            hint: "each gradient goes to where its window's maximum was (55, 41, 90, 95), every other input gets 0")
    }

    @Test("lecture 001's quiz: pooling has no parameters, yet the gradient goes through it to the convolution")
    func poolingPassesTheGradient() throws {
        // Lecture 001 asks whether pooling, having no parameters, leaves the gradient alone: false.
        // Its 6×6 image through the vertical-edge kernel gives the 4×4 map above; pooled, [[−2, 8], [0, −3]],
        // the maxima at (1, 1), (0, 3), (2, 0) and (3, 2). With ∂L/∂y = 1 for the four, ∂L/∂w is the sum
        // of the four 3×3 patches of the image under them, and ∂L/∂b = 4.
        let conv = Exercises.Conv2D(weight: Self.verticalEdge, bias: Tensor([0]))
        let pool = Exercises.MaxPool2D(window: 2, stride: 2)
        let network = Sequential(conv, pool)
        let y = try student(10) { network.forward(Self.lectureImage) }
        try #require(
            y.shape == [1, 1, 2, 2],
            Comment(
                rawValue: "the convolution and the pooling of lecture 001's 6×6 image have shape \(y.shape), "
                    + "expected [1, 1, 2, 2]: fix the convolution's and the pooling's own checks first"))
        check(
            pool.parameters.isEmpty,
            "MaxPool2D has \(pool.parameters.count) parameters: pooling has none to learn (lecture 001)")
        expectClose(
            y, image([[-2, 8], [0, -3]]), "max pooling of lecture 001's 4×4 convolution output",
            hint: "the convolution gives lecture 001's 4×4 map (its own check above), and pooling keeps each 2×2 "
                + "window's largest value")
        let (dw, db) = try student(10) { () -> (Tensor, Tensor) in
            _ = network.backward(image([[1, 1], [1, 1]]))
            return (conv.weight.gradient, conv.bias.gradient)
        }
        let hint =
            dw.scalars.allSatisfy { $0 == 0 }
            ? "the convolution got no gradient: pooling has no parameters, but its backward must hand ∂L/∂y "
                + "on to the inputs that were the maxima, or nothing before it learns"
            : "the pooling sends each gradient to its window's maximum, and the convolution's ∂L/∂w[u, v] "
                + "sums g · x[i + u, j + v] over those positions"
        expectClose(
            dw, image([[12, 23, 22], [17, 12, 11], [15, 8, 8]]),
            "the convolution's ∂L/∂w after the pooling's backward", hint: hint)
        expectClose(db, Tensor([4]), "the convolution's ∂L/∂b after the pooling's backward", hint: hint)
    }
}

// MARK: - Helpers

/// A one-example, one-channel image `[1, 1, H, W]` (or kernel) from its rows.
private func image(_ rows: [[Double]]) -> Tensor {
    Tensor(shape: [1, 1, rows.count, rows.first?.count ?? 0], scalars: Array(rows.joined()))
}

/// Checks that the student's `Conv2D` (stride 1, no padding, bias 0) turns `x` and `w` into `rows`.
private func expectConvolution(
    _ x: Tensor, _ w: Tensor, gives rows: [[Double]], _ name: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let y = try student(10) { Exercises.Conv2D(weight: w, bias: Tensor([0])).forward(x) }
    let expected = image(rows)
    expectClose(
        y, expected, name,
        hint: convolutionHint(y, expected: expected, imageSide: x.shape[3], kernelSide: w.shape[3])
            ?? "y[i, j] = Σ over u, v of w[u, v] · x[i + u, j + v]: work out y[0, 0] by hand",
        sourceLocation: sourceLocation)
}

/// The likely mistake behind a wrong convolution of these examples, whose kernels turned by 180° are
/// either themselves or their negatives (so a flipped kernel turns every sign, or changes nothing).
private func convolutionHint(_ y: Tensor, expected: Tensor, imageSide: Int, kernelSide: Int) -> String? {
    if y.shape != expected.shape {
        return "without padding and with stride 1, a width of \(imageSide) and a kernel of \(kernelSide) "
            + "give \(imageSide) − \(kernelSide) + 1 = \(imageSide - kernelSide + 1) outputs a row"
    }
    if mismatch(y, expected * -1) == nil {
        return "every sign is turned: the kernel was flipped (true convolution); as in the lectures, lay the "
            + "kernel on the image as it is (cross-correlation)"
    }
    return nil
}
