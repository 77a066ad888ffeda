import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 10, optional: a convolution is a dense layer whose matrix has zeros and repeated weights, and that
/// matrix's transpose is the transposed convolution, which upsamples (lectures 003 and 004).
@Suite("Stage 10 · Bonus: a convolution is a dense layer with constraints, its transpose upsamples")
struct Bonus10ConvolutionAsMatrix {
    /// A convolution of the checks: input `[N, C, H, W]`, kernels `[K, C, kH, kW]`, stride and padding.
    struct Configuration: Sendable, CustomTestStringConvertible {
        let input: [Int]
        let kernels: [Int]
        let stride: Int
        let padding: Int
        let seed: UInt64

        var testDescription: String { "input \(input), kernels \(kernels), stride \(stride), padding \(padding)" }
        /// `[N, K, H′, W′]`, with `H′ = ⌊(H + 2P − kH) / S⌋ + 1`, and so for `W′`.
        var outputShape: [Int] {
            [input[0], kernels[0]] + [2, 3].map { (input[$0] + 2 * padding - kernels[$0]) / stride + 1 }
        }
        var call: String {
            "convolutionMatrix(weight: \(kernels), height: \(input[2]), width: \(input[3]), stride: \(stride), "
                + "padding: \(padding))"
        }
    }

    /// A non-square input, a stride of 2, padding, and both.
    static let configurations = [
        Configuration(input: [2, 2, 5, 7], kernels: [3, 2, 3, 2], stride: 1, padding: 0, seed: 160),
        Configuration(input: [1, 1, 7, 6], kernels: [2, 1, 3, 3], stride: 2, padding: 0, seed: 161),
        Configuration(input: [2, 3, 4, 5], kernels: [2, 3, 3, 3], stride: 1, padding: 1, seed: 162),
        Configuration(input: [1, 2, 6, 5], kernels: [2, 2, 3, 2], stride: 2, padding: 1, seed: 163),
    ]

    @Test("a 2×2 kernel on a 3×3 image is a 4×9 matrix: each row the kernel's weights over its patch, zeros elsewhere")
    func twoByTwoKernelOnThreeByThreeImage() throws {
        let kernel = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
        let m = try student(10) { try Exercises.convolutionMatrix(weight: kernel, height: 3, width: 3) }
        let expected = Tensor([
            [1, 2, 0, 3, 4, 0, 0, 0, 0],
            [0, 1, 2, 0, 3, 4, 0, 0, 0],
            [0, 0, 0, 1, 2, 0, 3, 4, 0],
            [0, 0, 0, 0, 1, 2, 0, 3, 4],
        ])
        // The kernel turned by 180°, as the textbook definition of convolution has it.
        let flipped = Tensor([
            [4, 3, 0, 2, 1, 0, 0, 0, 0],
            [0, 4, 3, 0, 2, 1, 0, 0, 0],
            [0, 0, 0, 4, 3, 0, 2, 1, 0],
            [0, 0, 0, 0, 4, 3, 0, 2, 1],
        ])
        expectClose(
            m, expected, "convolutionMatrix of the kernel [[1, 2], [3, 4]] on a 3×3 image",
            likelyMistakes: [
                LikelyMistake(
                    flipped,
                    hint: "that is the kernel turned by 180°: Conv2D, like the lectures, multiplies w[u, v] with "
                        + "x[i·S − P + u, j·S − P + v], without flipping the kernel")
            ],
            otherwise: matrixHint(m, expected: expected)
                ?? "output (0, 0) reads inputs (0, 0), (0, 1), (1, 0), (1, 1), which are columns 0, 1, 3 and 4 of "
                + "the flattened image; the next output reads the same pattern one column to the right")
    }

    @Test(
        "stride 2 (lecture 004 downsamples so): the kernel [½, 1, ½] on seven inputs is 3 rows, each moved two columns along"
    )
    func strideTwoInOneDimension() throws {
        let kernel = Tensor(shape: [1, 1, 1, 3], scalars: [0.5, 1, 0.5])
        let m = try student(10) { try Exercises.convolutionMatrix(weight: kernel, height: 1, width: 7, stride: 2) }
        let expected = Tensor([
            [0.5, 1, 0.5, 0, 0, 0, 0],
            [0, 0, 0.5, 1, 0.5, 0, 0],
            [0, 0, 0, 0, 0.5, 1, 0.5],
        ])
        expectClose(
            m, expected, "convolutionMatrix of the kernel [½, 1, ½] on a 1×7 image with stride 2",
            hint: matrixHint(m, expected: expected)
                ?? "with stride 2, output j reads inputs 2j, 2j + 1 and 2j + 2: each row is the one above moved "
                + "two columns to the right")
    }

    @Test("a dense layer with your convolution matrix gives Conv2D's output", arguments: configurations)
    func denseLayerIsTheConvolution(_ configuration: Configuration) throws {
        let x = randomTensor(configuration.input, seed: configuration.seed)
        let w = randomTensor(configuration.kernels, seed: configuration.seed + 10)
        let b = randomTensor([configuration.kernels[0]], seed: configuration.seed + 20)
        let (stride, padding) = (configuration.stride, configuration.padding)
        let (height, width) = (configuration.input[2], configuration.input[3])
        let m = try student(10) {
            try Exercises.convolutionMatrix(weight: w, height: height, width: width, stride: stride, padding: padding)
        }
        let y = try reference(x, w, b, stride, padding) {
            Solutions.Conv2D(weight: w, bias: b, stride: stride, padding: padding).forward(x)
        }
        let (examples, outputs, inputs) = (y.shape[0], y.count / y.shape[0], x.count / x.shape[0])
        try #require(
            m.shape == [outputs, inputs],
            Comment(
                rawValue: "\(configuration.call) has shape \(m.shape), expected [\(outputs), \(inputs)]: a row for "
                    + "each output value (K·H′·W′ = \(y.shape.dropFirst().map(String.init).joined(separator: "·"))) "
                    + "and a column for each input value (C·H·W = "
                    + "\(x.shape.dropFirst().map(String.init).joined(separator: "·")))"))
        // The dense layer: each example's flattened image times Mᵀ, plus each filter's bias at all its positions.
        let positions = outputs / w.shape[0]
        let biases = Tensor(shape: [outputs]) { b[$0 / positions] }
        let dense = x.reshaped([examples, inputs]).matmul(m.transposed()) + biases
        expectClose(
            dense, y.reshaped([examples, outputs]),
            "a dense layer with weight Mᵀ = \(configuration.call)ᵀ, against Conv2D's output flattened",
            hint: "row (k·H′ + i)·W′ + j of M holds w[k, c, u, v] in column (c·H + r)·W + s for the input "
                + "(r, s) = (i·S − P + u, j·S − P + v) it reads; reads in the padding have no column")
    }

    @Test("the transposed convolution with [½, 1, ½] and stride 2 upsamples [1, 2, 3] to seven values")
    func transposedConvolutionUpsamples() throws {
        let kernel = Tensor(shape: [1, 1, 1, 3], scalars: [0.5, 1, 0.5])
        let z = Tensor(shape: [1, 1, 1, 3], scalars: [1, 2, 3])
        let up = try student(10) {
            try Exercises.transposedConvolution(z, weight: kernel, height: 1, width: 7, stride: 2)
        }
        expectClose(
            up, Tensor(shape: [1, 1, 1, 7], scalars: [0.5, 1, 1.5, 2, 2.5, 3, 1.5]),
            "transposedConvolution of [1, 2, 3] with the kernel [½, 1, ½], stride 2, back to width 7",
            hint: "each input adds its kernel, times itself, where the convolution read its patch: 1 adds "
                + "[0.5, 1, 0.5] at 0…2, 2 adds [1, 2, 1] at 2…4, 3 adds [1.5, 3, 1.5] at 4…6 (Mᵀ · z)")
    }

    @Test("the transposed convolution is Conv2D's backward: ∂L/∂x = Mᵀ · ∂L/∂y", arguments: configurations)
    func transposedConvolutionIsTheInputGradient(_ configuration: Configuration) throws {
        let x = randomTensor(configuration.input, seed: configuration.seed)
        let w = randomTensor(configuration.kernels, seed: configuration.seed + 10)
        let (stride, padding) = (configuration.stride, configuration.padding)
        let (height, width) = (configuration.input[2], configuration.input[3])
        let g = randomTensor(configuration.outputShape, seed: configuration.seed + 30)
        let dx = try reference(x, w, g, stride, padding) { () -> Tensor in
            let layer = Solutions.Conv2D(weight: w, bias: Tensor(zeros: [w.shape[0]]), stride: stride, padding: padding)
            _ = layer.forward(x)
            return layer.backward(g)
        }
        let up = try student(10) {
            try Exercises.transposedConvolution(
                g, weight: w, height: height, width: width, stride: stride, padding: padding)
        }
        expectClose(
            up, dx,
            "transposedConvolution(∂L/∂y \(g.shape), weight: \(w.shape), height: \(height), width: \(width), "
                + "stride: \(stride), padding: \(padding)), against Conv2D's ∂L/∂x",
            hint: "flatten each example of ∂L/∂y to a row and multiply by M (that is Mᵀ · ∂L/∂y), then reshape to "
                + "[N, C, height, width]")
    }

    @Test("a kernel larger than the padded image, or an input of the wrong shape, is a clear error")
    func badInputsThrow() throws {
        let kernel = randomTensor([2, 1, 3, 3], seed: 170)
        let (tooLarge, wrongShape) = try student(10) { () -> (Bool, Bool) in
            (
                throwsAnError { try Exercises.convolutionMatrix(weight: kernel, height: 2, width: 5) },
                // Conv2D with these kernels maps 1×4×4 to 2×2×2: 3 channels do not fit.
                throwsAnError {
                    try Exercises.transposedConvolution(
                        randomTensor([1, 3, 2, 2], seed: 171), weight: kernel, height: 4, width: 4)
                }
            )
        }
        check(
            tooLarge,
            "convolutionMatrix(weight: [2, 1, 3, 3], height: 2, width: 5) returned a matrix: a 3-row kernel does not "
                + "fit on 2 rows; throw (your convolutionOutputSize does) instead of returning a matrix")
        check(
            wrongShape,
            "transposedConvolution of an input [1, 3, 2, 2] with kernels [2, 1, 3, 3] returned a value: the "
                + "convolution makes 2 channels, not 3; throw a KitError that names both shapes")
    }
}

// MARK: - Helpers

/// Whether `body` throws.
private func throwsAnError<T>(_ body: () throws -> T) -> Bool {
    do {
        _ = try body()
        return false
    } catch {
        return true
    }
}

/// The likely mistake behind a wrong convolution matrix: rows and columns swapped.
private func matrixHint(_ m: Tensor, expected: Tensor) -> String? {
    guard m.shape != expected.shape else { return nil }
    if m.shape == expected.shape.reversed() {
        return "that is the transpose: M has a row for each output value and a column for each input value"
    }
    return "M is [K·H′·W′, C·H·W]: a row for each output value, a column for each input value"
}
