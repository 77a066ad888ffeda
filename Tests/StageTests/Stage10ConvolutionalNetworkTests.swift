import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 10: shape arithmetic, Conv2D, pooling, flatten and LeNet-5.
@Suite("Stage 10 · Convolutional network")
struct Stage10ConvolutionalNetwork {
    // MARK: Shape arithmetic

    /// `(input, kernel, stride, padding, dilation) → output`; every case appears in docs/formulas.md
    /// or docs/10-convolutional-network.md.
    static let convolutionSizes: [(Int, Int, Int, Int, Int, Int)] = [
        (7, 3, 1, 0, 1, 5), (32, 5, 1, 0, 1, 28), (28, 5, 1, 0, 1, 24), (12, 5, 1, 0, 1, 8),
        (7, 3, 2, 0, 1, 3), (7, 3, 1, 1, 1, 7), (10, 3, 2, 0, 1, 4), (5, 2, 2, 1, 1, 3),
        (3, 3, 2, 2, 1, 3), (5, 3, 2, 1, 1, 3), (5, 5, 1, 0, 1, 1), (3, 5, 1, 1, 1, 1),
        (7, 3, 1, 0, 2, 3), (10, 3, 1, 0, 2, 6),
    ]

    @Test("convolutionOutputSize is ⌊(W − F′ + 2P) / S⌋ + 1 on the docs' examples")
    func convolutionOutputSizes() throws {
        for (w, f, s, p, d, expected) in Self.convolutionSizes {
            let actual = try student(10) {
                try Exercises.convolutionOutputSize(input: w, kernel: f, stride: s, padding: p, dilation: d)
            }
            let span = d * (f - 1) + 1
            var hint = ""
            if actual == (w - span + 2 * p + s - 1) / s + 1 {
                hint =
                    ": (\(w) − \(span) + 2·\(p)) / \(s) is not whole here; the size is its floor plus 1 (Int division floors)"
            } else if actual == (w - span + 2 * p) / s {
                hint = ": add 1 for the first position: ⌊(W − F′ + 2P) / S⌋ + 1"
            } else if actual == (w - f + 2 * p) / s + 1, d != 1 {
                hint = ": with dilation \(d) the kernel spans D(F − 1) + 1 = \(span) pixels, not \(f)"
            } else if actual == (w - span + p) / s + 1 {
                hint = ": the padding P goes on both sides, so the padded input is W + 2P"
            }
            check(
                actual == expected,
                "convolutionOutputSize(input: \(w), kernel: \(f), stride: \(s), padding: \(p), "
                    + "dilation: \(d)) is \(actual), expected \(expected)\(hint)")
        }
    }

    @Test("convolutionOutputSize throws for a kernel that does not fit or a stride below 1")
    func convolutionOutputSizeThrows() throws {
        // (input, kernel, stride, padding, dilation, why)
        let cases: [(Int, Int, Int, Int, Int, String)] = [
            (5, 7, 1, 0, 1, "the kernel 7 is larger than the input 5"),
            (3, 7, 1, 1, 1, "the kernel 7 is larger than the padded input 3 + 2·1 = 5"),
            (5, 3, 1, 0, 3, "the dilated kernel spans 3·(3 − 1) + 1 = 7 > 5"),
            (5, 3, 0, 0, 1, "a stride of 0 never moves"),
            (5, 3, 1, -1, 1, "padding cannot be negative"),
        ]
        for (w, f, s, p, d, why) in cases {
            let outcome = try student(10) {
                Result { try Exercises.convolutionOutputSize(input: w, kernel: f, stride: s, padding: p, dilation: d) }
            }
            if case .success(let size) = outcome {
                Issue.record(
                    Comment(
                        rawValue: "convolutionOutputSize(input: \(w), kernel: \(f), stride: \(s), padding: \(p), "
                            + "dilation: \(d)) returned \(size); it must throw a KitError: \(why)"))
            }
        }
    }

    @Test("poolingOutputSize is ⌊(W − F) / S⌋ + 1 and throws for a window larger than the input")
    func poolingOutputSizes() throws {
        for (w, f, s, expected) in [
            (32, 2, 2, 16), (24, 2, 2, 12), (8, 2, 2, 4), (4, 2, 2, 2), (7, 3, 2, 3), (5, 2, 2, 2), (6, 3, 1, 4),
        ] {
            let actual = try student(10) { try Exercises.poolingOutputSize(input: w, window: f, stride: s) }
            check(
                actual == expected,
                "poolingOutputSize(input: \(w), window: \(f), stride: \(s)) is \(actual), expected \(expected)"
                    + (actual == (w - f + s - 1) / s + 1 ? ": the size is the floor of (W − F) / S, plus 1" : ""))
        }
        for (w, f, s, why) in [
            (3, 4, 1, "the window 4 is larger than the input 3"), (6, 2, 0, "a stride of 0 never moves"),
        ] {
            let outcome = try student(10) { Result { try Exercises.poolingOutputSize(input: w, window: f, stride: s) } }
            if case .success(let size) = outcome {
                Issue.record(
                    Comment(
                        rawValue: "poolingOutputSize(input: \(w), window: \(f), stride: \(s)) returned \(size); "
                            + "it must throw a KitError: \(why)"))
            }
        }
    }

    @Test("parameter counts (F·F·C + 1)·K and (M + 1)·N match the lectures' numbers")
    func parameterCounts() throws {
        for (f, c, k, expected) in [
            (5, 1, 6, 156), (5, 6, 16, 2_416), (3, 3, 1, 28), (3, 3, 5, 140), (3, 5, 10, 460), (1, 64, 32, 2_080),
        ] {
            let actual = try student(10) {
                Exercises.convolutionParameterCount(kernel: f, inputChannels: c, filters: k)
            }
            let hint =
                actual == f * f * c * k
                ? ": add one bias per filter"
                : actual == f * f * k + k ? ": each kernel is F×F×C, as deep as the input" : ""
            check(
                actual == expected,
                "convolutionParameterCount(kernel: \(f), inputChannels: \(c), filters: \(k)) is \(actual), "
                    + "expected \(expected)\(hint)")
        }
        for (m, n, expected) in [(256, 120, 30_840), (120, 84, 10_164), (84, 10, 850), (40_000, 500, 20_000_500)] {
            let actual = try student(10) { Exercises.denseParameterCount(inputs: m, outputs: n) }
            check(
                actual == expected,
                "denseParameterCount(inputs: \(m), outputs: \(n)) is \(actual), expected \(expected)"
                    + (actual == m * n
                        ? ": add one bias per output unit"
                        : actual == m * (n + 1) ? ": one bias per output, not per input" : ""))
        }
    }

    @Test("multiply-accumulate counts of LeNet-5's layers")
    func multiplyAccumulates() throws {
        for (f, c, k, h, w, expected) in [(5, 1, 6, 24, 24, 86_400), (5, 6, 16, 8, 8, 153_600), (3, 3, 2, 3, 4, 648)] {
            let actual = try student(10) {
                Exercises.convolutionMultiplyAccumulates(
                    kernel: f, inputChannels: c, filters: k, outputHeight: h, outputWidth: w)
            }
            check(
                actual == expected,
                "convolutionMultiplyAccumulates(kernel: \(f), inputChannels: \(c), filters: \(k), "
                    + "outputHeight: \(h), outputWidth: \(w)) is \(actual), expected \(expected): every one of the H′·W′·K outputs "
                    + "is a dot product of F·F·C terms")
        }
        for (m, n, expected) in [(256, 120, 30_720), (784, 100, 78_400)] {
            let actual = try student(10) { Exercises.denseMultiplyAccumulates(inputs: m, outputs: n) }
            check(
                actual == expected,
                "denseMultiplyAccumulates(inputs: \(m), outputs: \(n)) is \(actual), expected \(expected)")
        }
    }

    @Test("receptive field of stacked layers: three 3×3 see 7×7, LeNet-5's conv part sees 16×16")
    func receptiveFields() throws {
        // (kernels, strides, dilations, expected); docs/formulas.md
        let cases: [([Int], [Int], [Int], Int)] = [
            ([3, 3, 3], [1, 1, 1], [], 7), ([7], [1], [], 7), ([3, 3], [1, 1], [], 5),
            ([5, 2, 5, 2], [1, 2, 1, 2], [], 16), ([3, 2, 3], [1, 2, 1], [], 8),
            ([3], [1], [2], 5), ([3, 3], [1, 1], [1, 2], 7),
        ]
        for (kernels, strides, dilations, expected) in cases {
            let actual = try student(10) {
                try Exercises.receptiveField(kernels: kernels, strides: strides, dilations: dilations)
            }
            let noStrides =
                1
                + zip(kernels, dilations.isEmpty ? kernels.map { _ in 1 } : dilations).map { ($0 - 1) * $1 }.reduce(
                    0, +)
            check(
                actual == expected,
                "receptiveField(kernels: \(kernels), strides: \(strides), dilations: \(dilations)) is "
                    + "\(actual), expected \(expected)"
                    + (actual == noStrides && expected != noStrides
                        ? ": after a stride-S layer, one step of the next layer moves S input pixels: multiply (F − 1) by the product of the earlier strides"
                        : ""))
        }
        let outcome = try student(10) { Result { try Exercises.receptiveField(kernels: [3, 3], strides: [1]) } }
        if case .success(let field) = outcome {
            Issue.record(
                Comment(
                    rawValue: "receptiveField(kernels: [3, 3], strides: [1]) returned \(field); "
                        + "it must throw a KitError: there must be one stride per kernel"))
        }
    }

    // MARK: Conv2D

    @Test(
        "Conv2D forward matches the reference (non-square input and kernel, stride, padding, batch)",
        arguments: ConvolutionCase.cases)
    func convolutionForward(case c: ConvolutionCase) throws {
        for seed in seeds {
            let (x, w, b, _) = c.tensors(seed: seed)
            let actual = try student(10) {
                Exercises.Conv2D(weight: w, bias: b, stride: c.stride, padding: c.padding).forward(x)
            }
            let (expected, flipped, unbiased) = try reference(x, w, b, c) { () -> (Tensor, Tensor, Tensor) in
                (
                    Solutions.Conv2D(weight: w, bias: b, stride: c.stride, padding: c.padding).forward(x),
                    Solutions.Conv2D(weight: c.flipped(w), bias: b, stride: c.stride, padding: c.padding).forward(x),
                    Solutions.Conv2D(weight: w, bias: b * 0, stride: c.stride, padding: c.padding).forward(x)
                )
            }
            expectClose(
                actual, expected, "Conv2D(\(c)).forward(x)",
                hint: c.forwardHint(actual, expected: expected, flipped: flipped, unbiased: unbiased))
        }
    }

    @Test("Conv2D on the walkthrough's 7×7 image with a 3×3 vertical-edge kernel")
    func convolutionWorkedExample() throws {
        // docs/10-convolutional-network.md: columns 0–3 are 10, columns 4–6 are 0.
        let x = Tensor(shape: [1, 1, 7, 7]) { $0 % 7 < 4 ? 10 : 0 }
        let w = Tensor(shape: [1, 1, 3, 3], scalars: [1, 0, -1, 1, 0, -1, 1, 0, -1])
        let row: [Double] = [0, 0, 30, 30, 0]
        let (plain, strided, padded) = try student(10) { () -> (Tensor, Tensor, Tensor) in
            (
                Exercises.Conv2D(weight: w, bias: Tensor([0])).forward(x),
                Exercises.Conv2D(weight: w, bias: Tensor([0]), stride: 2).forward(x),
                Exercises.Conv2D(weight: w, bias: Tensor([1]), padding: 1).forward(x)
            )
        }
        // The kernel turned by 180° (true convolution); for this kernel that is −w.
        let flipped = Tensor(shape: w.shape, scalars: w.scalars.reversed())
        let (flippedPlain, flippedStrided, flippedPadded) = try reference(x, flipped) {
            () -> (Tensor, Tensor, Tensor) in
            (
                Solutions.Conv2D(weight: flipped, bias: Tensor([0])).forward(x),
                Solutions.Conv2D(weight: flipped, bias: Tensor([0]), stride: 2).forward(x),
                Solutions.Conv2D(weight: flipped, bias: Tensor([1]), padding: 1).forward(x)
            )
        }
        /// The flipped-kernel hint only when the output is the flipped kernel's; the size rule for a wrong shape.
        func hint(
            _ actual: Tensor, _ expected: Tensor, flippedResult: Tensor, stride: Int, padding: Int,
            otherwise: String
        ) -> String {
            if actual.shape != expected.shape {
                let side = (7 - 3 + 2 * padding) / stride + 1
                return
                    "the output is ⌊(W − F + 2P) / S⌋ + 1 = ⌊(7 − 3 + 2·\(padding)) / \(stride)⌋ + 1 = \(side) per side, "
                    + "so [1, 1, \(side), \(side)] here"
            }
            if mismatch(actual, flippedResult) == nil {
                return
                    "the kernel must not be flipped: y[i, j] = Σ w[u, v] · x[i·S − P + u, j·S − P + v] (cross-correlation); "
                    + "a flipped kernel gives −30 instead of 30"
            }
            return otherwise
        }
        let expectedPlain = Tensor(shape: [1, 1, 5, 5], scalars: Array((0..<5).map { _ in row }.joined()))
        expectClose(
            plain, expectedPlain, "the 7×7 image convolved with the 3×3 edge kernel",
            hint: hint(
                plain, expectedPlain, flippedResult: flippedPlain, stride: 1, padding: 0,
                otherwise: "y[i, j] = Σ over u, v of w[u, v] · x[i + u, j + v]; work out y[0, 2] = 30 by hand"))
        let expectedStrided = Tensor(shape: [1, 1, 3, 3], scalars: Array((0..<3).map { _ in [0, 30, 0] }.joined()))
        expectClose(
            strided, expectedStrided, "the same with stride 2",
            hint: hint(
                strided, expectedStrided, flippedResult: flippedStrided, stride: 2, padding: 0,
                otherwise: "with stride 2, output (i, j) reads the patch at (2i, 2j)"))
        let paddedRow: [Double] = [-30, 0, 0, 30, 30, 0, 0]
        let edgeRow: [Double] = [-20, 0, 0, 20, 20, 0, 0] // first and last rows: one row of each patch is padding
        let expectedPadded =
            Tensor(shape: [1, 1, 7, 7], scalars: edgeRow + Array((0..<5).map { _ in paddedRow }.joined()) + edgeRow) + 1
        expectClose(
            padded, expectedPadded, "the same with padding 1 and bias 1",
            hint: hint(
                padded, expectedPadded, flippedResult: flippedPadded, stride: 1, padding: 1,
                otherwise: "padding 1 adds a border of zeros on all four sides; the bias is added at every position"))
    }

    @Test("Conv2D backward: ∂L/∂x matches finite differences", arguments: ConvolutionCase.cases)
    func convolutionInputGradient(case c: ConvolutionCase) throws {
        let (x, w, b, g) = c.tensors(seed: seeds[0] + 10)
        let layer = Exercises.Conv2D(weight: w, bias: b, stride: c.stride, padding: c.padding)
        try forwardFirst(layer, x, expectedShape: c.outputShape, name: "Conv2D(\(c))")
        let dx = try student(10) { layer.backward(g) }
        let numeric = try reference(x, w, b, g, c) {
            numericalGradient(at: x) {
                weightedSum(Solutions.Conv2D(weight: w, bias: b, stride: c.stride, padding: c.padding).forward($0), g)
            }
        }
        expectClose(
            dx, numeric, "Conv2D(\(c)).backward's ∂L/∂x", tolerance: .gradient,
            hint: "g[n, k, i, j] goes back to x[n, c, i·S − P + u, j·S − P + v] times w[k, c, u, v], with the same "
                + "stride S and padding P as forward; inputs in the padding get nothing")
    }

    @Test("Conv2D backward: ∂L/∂w and ∂L/∂b match finite differences", arguments: ConvolutionCase.cases)
    func convolutionParameterGradients(case c: ConvolutionCase) throws {
        let (x, w, b, g) = c.tensors(seed: seeds[1] + 10)
        let layer = Exercises.Conv2D(weight: w, bias: b, stride: c.stride, padding: c.padding)
        try forwardFirst(layer, x, expectedShape: c.outputShape, name: "Conv2D(\(c))")
        let (dw, db) = try student(10) { () -> (Tensor, Tensor) in
            _ = layer.backward(g)
            return (layer.weight.gradient, layer.bias.gradient)
        }
        let (numericW, numericB) = try reference(x, w, b, g, c) { () -> (Tensor, Tensor) in
            (
                numericalGradient(at: w) {
                    weightedSum(
                        Solutions.Conv2D(weight: $0, bias: b, stride: c.stride, padding: c.padding).forward(x), g)
                },
                numericalGradient(at: b) {
                    weightedSum(
                        Solutions.Conv2D(weight: w, bias: $0, stride: c.stride, padding: c.padding).forward(x), g)
                }
            )
        }
        expectClose(
            dw, numericW, "Conv2D(\(c)).weight.gradient", tolerance: .gradient,
            hint: "∂L/∂w[k, c, u, v] = Σ over n, i, j of g[n, k, i, j] · x[n, c, i·S − P + u, j·S − P + v]: "
                + "every example and every position adds to it")
        var biasHint = "∂L/∂b[k] is the sum of g[n, k, i, j] over the batch n and every position (i, j)"
        let perExample = g.rows([0]).sum(alongAxis: 0).sum(alongAxis: 1).sum(alongAxis: 1)
        if db.shape == numericB.shape, mismatch(db, perExample, tolerance: .gradient) == nil {
            biasHint += ": yours sums only the first example"
        } else if db.shape == numericB.shape,
            mismatch(db * Double(c.outputPositions), numericB, tolerance: .gradient) == nil
                || mismatch(db * Double(c.outputPositions * c.batch), numericB, tolerance: .gradient) == nil
        {
            biasHint += ": a sum, not a mean"
        }
        expectClose(db, numericB, "Conv2D(\(c)).bias.gradient", tolerance: .gradient, hint: biasHint)
    }

    @Test("Conv2D backwardSkippingInput fills the same ∂L/∂w and ∂L/∂b as backward", arguments: ConvolutionCase.cases)
    func convolutionSkippingTheInputGradient(case c: ConvolutionCase) throws {
        let (x, w, b, g) = c.tensors(seed: seeds[2] + 10)
        let layer = Exercises.Conv2D(weight: w, bias: b, stride: c.stride, padding: c.padding)
        try forwardFirst(layer, x, expectedShape: c.outputShape, name: "Conv2D(\(c))")
        let (dw, db) = try student(10) { () -> (Tensor, Tensor) in
            layer.backwardSkippingInput(g)
            return (layer.weight.gradient, layer.bias.gradient)
        }
        let (expectedW, expectedB) = try reference(x, w, b, g, c) { () -> (Tensor, Tensor) in
            let model = Solutions.Conv2D(weight: w, bias: b, stride: c.stride, padding: c.padding)
            _ = model.forward(x)
            _ = model.backward(g)
            return (model.weight.gradient, model.bias.gradient)
        }
        let hint =
            "training calls it for the first layer (its input, the image, needs no gradient): it must fill the "
            + "parameters' gradients exactly as backward does. Without a backwardSkippingInput of your own, Layer's runs backward"
        expectClose(
            dw, expectedW, "Conv2D(\(c)).weight.gradient after backwardSkippingInput", tolerance: .gradient, hint: hint)
        expectClose(
            db, expectedB, "Conv2D(\(c)).bias.gradient after backwardSkippingInput", tolerance: .gradient, hint: hint)
    }

    // MARK: Pooling

    @Test("MaxPool2D forward matches the reference", arguments: PoolingCase.cases)
    func maxPoolForward(case c: PoolingCase) throws {
        for seed in seeds {
            let x = randomTensor(c.inputShape, seed: seed + 20)
            let actual = try student(10) { Exercises.MaxPool2D(window: c.window, stride: c.stride).forward(x) }
            expectClose(
                actual, try reference(x, c) { Solutions.MaxPool2D(window: c.window, stride: c.stride).forward(x) },
                "MaxPool2D(\(c)).forward(x)", tolerance: .tight,
                hint:
                    "output (i, j) is the largest of x[i·S + u, j·S + v] for u, v in 0..<F; the size is ⌊(H − F) / S⌋ + 1"
            )
        }
    }

    @Test("MaxPool2D on the walkthrough's 4×4 example, forward and backward")
    func maxPoolWorkedExample() throws {
        // docs/10-convolutional-network.md
        let x = Tensor(shape: [1, 1, 4, 4], scalars: [1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4])
        let g = Tensor(shape: [1, 1, 2, 2], scalars: [0.1, 0.2, 0.3, 0.4])
        let pool = Exercises.MaxPool2D(window: 2, stride: 2)
        let y = try student(10) { pool.forward(x) }
        try #require(
            y.shape == [1, 1, 2, 2],
            "MaxPool2D(window: 2, stride: 2) of a [1, 1, 4, 4] input has shape \(y.shape), expected [1, 1, 2, 2]")
        let dx = try student(10) { pool.backward(g) }
        expectClose(y, Tensor(shape: [1, 1, 2, 2], scalars: [6, 8, 3, 4]), "max pooling of the 4×4 example")
        expectClose(
            dx, Tensor(shape: [1, 1, 4, 4], scalars: [0, 0, 0, 0, 0, 0.1, 0, 0.2, 0.3, 0, 0, 0, 0, 0, 0, 0.4]),
            "MaxPool2D.backward on the 4×4 example", hint: spreadHint(dx))
    }

    @Test("MaxPool2D backward sends each gradient only to its window's maximum", arguments: PoolingCase.cases)
    func maxPoolBackward(case c: PoolingCase) throws {
        let x = randomTensor(c.inputShape, seed: 31)
        let y = try reference(x, c) { Solutions.MaxPool2D(window: c.window, stride: c.stride).forward(x) }
        let g = randomTensor(y.shape, seed: 32)
        let pool = Exercises.MaxPool2D(window: c.window, stride: c.stride)
        try forwardFirst(pool, x, expectedShape: y.shape, name: "MaxPool2D(\(c))")
        let dx = try student(10) { pool.backward(g) }
        let numeric = try reference(x, g, c) {
            numericalGradient(at: x) {
                weightedSum(Solutions.MaxPool2D(window: c.window, stride: c.stride).forward($0), g)
            }
        }
        expectClose(
            dx, numeric, "MaxPool2D(\(c)).backward", tolerance: .gradient,
            hint: spreadHint(dx) + (c.window > c.stride ? "; windows overlap here: add (+=), do not overwrite" : ""))
    }

    @Test("MaxPool2D gives a tied window's whole gradient to one of its maxima")
    func maxPoolTies() throws {
        // docs/10-convolutional-network.md: windows [[5, 5], [2, 5]] and [[1, 7], [7, 7]], gradients 1 and 2.
        // Any one maximum may take the gradient (each choice is a valid subgradient); the reference
        // takes the first in row-major order. Spreading it over the maxima is wrong.
        let x = Tensor(shape: [1, 1, 2, 4], scalars: [5, 5, 1, 7, 2, 5, 7, 7])
        let g = Tensor(shape: [1, 1, 1, 2], scalars: [1, 2])
        let pool = Exercises.MaxPool2D(window: 2, stride: 2)
        try forwardFirst(pool, x, expectedShape: [1, 1, 1, 2], name: "MaxPool2D(window: 2, stride: 2)")
        let dx = try student(10) { pool.backward(g) }
        try #require(
            dx.shape == x.shape,
            Comment(
                rawValue: "MaxPool2D.backward with ties has shape \(dx.shape), expected "
                    + "the input's shape \(x.shape)"))
        // (flat offsets of the window, of its maxima, its gradient)
        let windows: [(cells: [Int], maxima: [Int], gradient: Double)] = [
            ([0, 1, 4, 5], [0, 1, 5], 1), ([2, 3, 6, 7], [3, 6, 7], 2),
        ]
        let values = dx.scalars
        for (number, window) in windows.enumerated() {
            let name =
                number == 0 ? "the window [[5, 5], [2, 5]] (gradient 1)" : "the window [[1, 7], [7, 7]] (gradient 2)"
            let got =
                "[" + window.cells.map { values[$0] == 0 ? "0" : describe(values[$0]) }.joined(separator: ", ") + "]"
            let receivers = window.maxima.filter { values[$0] != 0 }
            let others = window.cells.filter { !window.maxima.contains($0) && values[$0] != 0 }
            let whole = receivers.count == 1 && Tolerance().accepts(values[receivers[0]], window.gradient)
            logComparison(
                "∂L/∂x over " + name, got, "the whole \(describe(window.gradient)) at one maximum, 0 elsewhere",
                passed: whole && others.isEmpty)
            guard !whole || !others.isEmpty else { continue }
            let why: String
            if receivers.count > 1 {
                why =
                    "the gradient is spread over \(receivers.count) of the tied maxima: give the whole of it to ONE of them "
                    + "(e.g. the first met scanning the window row by row: replace the best only when a value is strictly larger)"
            } else if !others.isEmpty {
                why =
                    "an input that is not a maximum of the window got some of the gradient: only the maximum's position gets it"
            } else {
                why = "one of the tied maxima must get the whole gradient \(describe(window.gradient))"
            }
            Issue.record(
                Comment(
                    rawValue: "MaxPool2D.backward with ties: \(name) gives its inputs (row by row) "
                        + "\(got), expected \(describe(window.gradient)) at one of the maxima and 0 elsewhere: \(why)"))
        }
    }

    @Test("AvgPool2D forward matches the reference", arguments: PoolingCase.cases)
    func avgPoolForward(case c: PoolingCase) throws {
        for seed in seeds {
            let x = randomTensor(c.inputShape, seed: seed + 40)
            let actual = try student(10) { Exercises.AvgPool2D(window: c.window, stride: c.stride).forward(x) }
            expectClose(
                actual, try reference(x, c) { Solutions.AvgPool2D(window: c.window, stride: c.stride).forward(x) },
                "AvgPool2D(\(c)).forward(x)", hint: "output (i, j) is the mean of the F·F values x[i·S + u, j·S + v]")
        }
    }

    @Test("AvgPool2D backward shares each gradient equally over its window", arguments: PoolingCase.cases)
    func avgPoolBackward(case c: PoolingCase) throws {
        let x = randomTensor(c.inputShape, seed: 41)
        let y = try reference(x, c) { Solutions.AvgPool2D(window: c.window, stride: c.stride).forward(x) }
        let g = randomTensor(y.shape, seed: 42)
        let pool = Exercises.AvgPool2D(window: c.window, stride: c.stride)
        try forwardFirst(pool, x, expectedShape: y.shape, name: "AvgPool2D(\(c))")
        let dx = try student(10) { pool.backward(g) }
        let numeric = try reference(x, g, c) {
            numericalGradient(at: x) {
                weightedSum(Solutions.AvgPool2D(window: c.window, stride: c.stride).forward($0), g)
            }
        }
        expectClose(
            dx, numeric, "AvgPool2D(\(c)).backward", tolerance: .gradient,
            hint: "every input of the window gets g / (F·F)"
                + (c.window > c.stride ? "; windows overlap here: add (+=)" : ""))
    }

    // MARK: Flatten

    @Test("Flatten orders each example's values channel, then row, then column")
    func flattenOrder() throws {
        // docs/10-convolutional-network.md: x[0, c, h, w] = 100c + 10h + w, shape [1, 2, 2, 3].
        let x = Tensor(shape: [1, 2, 2, 3], scalars: [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112])
        let y = try student(10) { Exercises.Flatten().forward(x) }
        expectClose(
            y, Tensor([[0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]]),
            "Flatten of the walkthrough's [1, 2, 2, 3]",
            tolerance: .tight, hint: flattenHint)
    }

    @Test("Flatten matches the reference and its backward undoes it", arguments: seeds)
    func flattenForwardBackward(seed: UInt64) throws {
        let x = randomTensor([3, 2, 4, 5], seed: seed + 50)
        let g = randomTensor([3, 40], seed: seed + 51)
        let (y, dx) = try student(10) { () -> (Tensor, Tensor) in
            let flatten = Exercises.Flatten()
            return (flatten.forward(x), flatten.backward(g))
        }
        expectClose(
            y, try reference(x) { Solutions.Flatten().forward(x) }, "Flatten().forward(x)", tolerance: .tight,
            hint: flattenHint)
        let numeric = try reference(x, g) {
            numericalGradient(at: x) { weightedSum(Solutions.Flatten().forward($0), g) }
        }
        expectClose(
            dx, numeric, "Flatten.backward", tolerance: .gradient,
            hint: "backward must put the values back in the same order forward read them ([N, C, H, W])")
    }

    // MARK: LeNet-5

    static let leNetParameterShapes = [
        [6, 1, 5, 5], [6], [16, 6, 5, 5], [16], [256, 120], [120], [120, 84], [84], [84, 10], [10],
    ]

    @Test("LeNet-5 has lecture 001's parameters, layer by layer: 44,426")
    func leNetParameters() throws {
        let shapes = try student(10) { () -> [[Int]] in
            var generator = testGenerator(seed: 60)
            return Exercises.LeNet5(using: &generator).parameters.map(\.value.shape)
        }
        let total = shapes.map { $0.reduce(1, *) }.reduce(0, +)
        logComparison(
            "parameter shapes", "\(shapes)", "\(Self.leNetParameterShapes)", passed: shapes == Self.leNetParameterShapes
        )
        logComparison("parameters in all", "\(total)", "44426", passed: total == 44_426)
        check(
            shapes == Self.leNetParameterShapes,
            "LeNet5's parameters have shapes \(shapes), expected \(Self.leNetParameterShapes) "
                + "(conv 6×1×5×5 and 6 biases, conv 16×6×5×5 and 16, dense 256→120, 120→84, 84→10, each with its biases)"
        )
        check(total == 44_426, "LeNet5 has \(total) parameters; lecture 001's table adds up to 44,426")
    }

    @Test("LeNet-5's layers give lecture 001's shapes on a batch of 28×28 images")
    func leNetShapes() throws {
        let x = randomTensor([2, 1, 28, 28], seed: 61)
        let shapes = try student(10) { () -> [[Int]] in
            var generator = testGenerator(seed: 62)
            let network = Exercises.LeNet5(using: &generator)
            var value = x
            var shapes: [[Int]] = []
            for layer in network.body.layers {
                value = layer.forward(value)
                if shapes.last != value.shape { shapes.append(value.shape) }
            }
            return shapes
        }
        let expected = [
            [2, 6, 24, 24], [2, 6, 12, 12], [2, 16, 8, 8], [2, 16, 4, 4], [2, 256], [2, 120], [2, 84], [2, 10],
        ]
        logComparison("the shapes after each layer", "\(shapes)", "\(expected)", passed: shapes == expected)
        check(
            shapes == expected,
            "LeNet5's layers give the shapes \(shapes), expected \(expected): "
                + "conv 5×5 → pool 2 → conv 5×5 → pool 2 → flatten → dense 120 → dense 84 → dense 10")
    }

    @Test("LeNet-5 computes the reference's logits with the same weights", arguments: seeds)
    func leNetForward(seed: UInt64) throws {
        let x = randomTensor([3, 1, 16, 16], seed: seed + 70)
        let weights = try LeNetWeights(imageSize: 16, classes: 4, seed: seed + 72)
        let logits = try student(10) { try weights.studentNetwork(seed: seed + 71).logits(x) }
        expectClose(
            logits, try reference(weights, x) { weights.referenceNetwork().logits(x) },
            "LeNet5(imageSize: 16, classes: 4).logits(x)",
            hint: "the layers in order: conv 5×5 (6) → ReLU → max pool 2 → conv 5×5 (16) → ReLU → max pool 2 → flatten "
                + "→ dense 120 → ReLU → dense 84 → ReLU → dense; no softmax at the end")
    }

    @Test("LeNet-5's backward matches finite differences, end to end")
    func leNetBackward() throws {
        let x = randomTensor([2, 1, 16, 16], seed: 80)
        let g = randomTensor([2, 3], seed: 81)
        let weights = try LeNetWeights(imageSize: 16, classes: 3, seed: 84)
        let (mine, dx) = try student(10) { () -> (Exercises.LeNet5, Tensor) in
            let network = try weights.studentNetwork(seed: 82)
            _ = network.logits(x)
            return (network, network.backward(logitsGradient: g))
        }
        // ∂L/∂x at 6 sampled pixels, then every parameter's gradient at 3 sampled entries.
        var sampler = testGenerator(seed: 83)
        let pixels = (0..<6).map { _ in sampler.nextInt(below: x.count) }
        let entries = weights.values.map { value in (0..<3).map { _ in sampler.nextInt(below: value.count) } }
        let (numericX, numericParameters) = try reference(weights, x, g, pixels, entries) {
            () -> ([Double], [[Double]]) in
            let twin = weights.referenceNetwork()
            let numericX = pixels.map { centralDifference(of: { twin.logits($0) }, at: x, index: $0, weights: g) }
            let numericParameters = zip(twin.parameters, entries).map { parameter, indices in
                indices.map { i in
                    let original = parameter.value
                    defer { parameter.value = original }
                    return centralDifference(
                        of: {
                            parameter.value = $0
                            return twin.logits(x)
                        }, at: original, index: i, weights: g)
                }
            }
            return (numericX, numericParameters)
        }
        try #require(dx.shape == x.shape, "LeNet5.backward(logitsGradient:) has shape \(dx.shape), expected \(x.shape)")
        let hint =
            "run every layer's backward, last layer first, each on the gradient the next one returned; "
            + "if a layer's own check fails, fix that first"
        for (i, numeric) in zip(pixels, numericX) {
            expectClose(
                dx.scalars[i], numeric, "LeNet5's ∂L/∂x at \(flatIndex(i, x.shape))", tolerance: .gradient, hint: hint)
        }
        let names = [
            "conv₁ weight", "conv₁ bias", "conv₂ weight", "conv₂ bias", "dense₁ weight", "dense₁ bias",
            "dense₂ weight", "dense₂ bias", "dense₃ weight", "dense₃ bias",
        ]
        for (index, (parameter, (indices, numerics))) in zip(mine.parameters, zip(entries, numericParameters))
            .enumerated()
        {
            for (i, numeric) in zip(indices, numerics) {
                expectClose(
                    parameter.gradient.scalars[i], numeric,
                    "LeNet5's \(names[index]) gradient at \(flatIndex(i, parameter.value.shape))", tolerance: .gradient,
                    hint: hint)
            }
        }
    }
}

// MARK: - Helpers

/// A convolution configuration for the checks: non-square inputs and kernels, batch > 1.
struct ConvolutionCase: CustomTestStringConvertible, CustomStringConvertible, Sendable, ReferenceInput {
    let input: [Int], weight: [Int], stride: Int, padding: Int

    var record: Record { description.record }

    static let cases = [
        // H′ = ⌊(7 − 3 + 2)/2⌋ + 1 = 4, W′ = ⌊(5 − 2 + 2)/2⌋ + 1 = 3 (a floor of 2.5).
        ConvolutionCase(input: [2, 3, 7, 5], weight: [4, 3, 3, 2], stride: 2, padding: 1),
        ConvolutionCase(input: [2, 2, 6, 5], weight: [3, 2, 2, 3], stride: 1, padding: 2),
        ConvolutionCase(input: [3, 1, 5, 6], weight: [2, 1, 3, 3], stride: 1, padding: 0),
    ]

    var batch: Int { input[0] }
    var outputHeight: Int { (input[2] - weight[2] + 2 * padding) / stride + 1 }
    var outputWidth: Int { (input[3] - weight[3] + 2 * padding) / stride + 1 }
    var outputPositions: Int { outputHeight * outputWidth }
    var outputShape: [Int] { [input[0], weight[0], outputHeight, outputWidth] }

    var description: String { "input \(input), weight \(weight), stride \(stride), padding \(padding)" }
    var testDescription: String { description }

    func tensors(seed: UInt64) -> (x: Tensor, w: Tensor, b: Tensor, g: Tensor) {
        (
            randomTensor(input, seed: seed), randomTensor(weight, seed: seed + 1),
            randomTensor([weight[0]], seed: seed + 2),
            randomTensor(outputShape, seed: seed + 3)
        )
    }

    /// The kernel turned by 180° in its two spatial dimensions (true convolution's kernel).
    func flipped(_ w: Tensor) -> Tensor {
        Tensor(shape: w.shape) { flat in
            let (outer, v) = flat.quotientAndRemainder(dividingBy: weight[3])
            let (planeIndex, u) = outer.quotientAndRemainder(dividingBy: weight[2])
            return w.scalars[(planeIndex * weight[2] + weight[2] - 1 - u) * weight[3] + weight[3] - 1 - v]
        }
    }

    /// What a wrong forward pass most likely did, given the reference's output with the kernel
    /// flipped and without the bias.
    func forwardHint(_ actual: Tensor, expected: Tensor, flipped convolved: Tensor, unbiased: Tensor) -> String {
        if actual.shape != expected.shape {
            return
                "the output is [N, K, H′, W′] with H′ = ⌊(H − kH + 2P)/S⌋ + 1 = ⌊(\(input[2]) − \(weight[2]) + 2·\(padding))/\(stride)⌋ + 1 "
                + "= \(outputHeight) and W′ = ⌊(\(input[3]) − \(weight[3]) + 2·\(padding))/\(stride)⌋ + 1 = \(outputWidth): "
                + "padding goes on both sides, and the division is floored"
        }
        let mistakes = [
            LikelyMistake(
                convolved,
                hint: "this is the kernel flipped (true convolution); here, as in the lectures, a "
                    + "convolution layer computes the cross-correlation y[i, j] = Σ w[u, v] · x[i·S − P + u, j·S − P + v], "
                    + "without flipping"),
            LikelyMistake(unbiased, hint: "add the filter's bias b[k] to every output of filter k"),
        ]
        return mistakes.hint(for: actual, tolerance: Tolerance())
            ?? "y[n, k, i, j] = b[k] + Σ over c, u, v of w[k, c, u, v] · x[n, c, i·S − P + u, j·S − P + v], where x is 0 outside the image"
    }
}

/// A pooling configuration: non-overlapping and overlapping windows, non-square inputs.
struct PoolingCase: CustomTestStringConvertible, CustomStringConvertible, Sendable, ReferenceInput {
    let inputShape: [Int], window: Int, stride: Int

    var record: Record { testDescription.record }

    static let cases = [
        PoolingCase(inputShape: [2, 3, 6, 5], window: 2, stride: 2), // 3×2: the last column is dropped (floor)
        PoolingCase(inputShape: [2, 2, 7, 6], window: 3, stride: 2), // 3×2, overlapping windows
    ]

    var testDescription: String { "input \(inputShape), window \(window), stride \(stride)" }
    var description: String { "window: \(window), stride: \(stride)" }
}

/// Runs a layer's forward pass, and stops the check when it fails or gives the wrong shape:
/// its backward would then run on a cache that does not fit.
private func forwardFirst(
    _ layer: any Layer, _ x: Tensor, expectedShape: [Int], name: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let y = try student(10) { layer.forward(x) }
    try #require(
        y.shape == expectedShape,
        Comment(
            rawValue: "\(name).forward gives shape \(y.shape), expected \(expectedShape): "
                + "fix the forward pass first (its check says more)"), sourceLocation: sourceLocation)
}

private let flattenHint =
    "y[n, (c·H + h)·W + w] = x[n, c, h, w]: channel first, then row, then column, "
    + "the order the scalars already have in memory (a reshape, no transpose)"

/// A hint for a max-pool backward that is off: spreading over the window is the usual mistake.
private func spreadHint(_ dx: Tensor) -> String {
    let nonZero = dx.scalars.filter { $0 != 0 }.count
    return "each output's gradient goes only to the input that was the maximum of its window; the others get 0"
        + (nonZero > dx.count / 2
            ? " (yours gives a gradient to \(nonZero) of \(dx.count) inputs: is it spread over the window?)" : "")
}

/// `[i, j, …]` for a flat index.
private func flatIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
    var rest = flat
    var indices = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        indices[d] = rest % shape[d]
        rest /= shape[d]
    }
    return indices
}

/// `∂/∂tᵢ Σ f(t) ⊙ weights` at `t = value`, by central differences.
private func centralDifference(
    of f: (Tensor) -> Tensor, at value: Tensor, index i: Int, weights: Tensor, step h: Double = 1e-5
) -> Double {
    var plus = value
    var minus = value
    plus.withUnsafeMutableScalars { $0[i] += h }
    minus.withUnsafeMutableScalars { $0[i] -= h }
    return (weightedSum(f(plus), weights) - weightedSum(f(minus), weights)) / (2 * h)
}

/// Random weights for a LeNet-5 of `imageSize` and `classes`, in the order of its `parameters`, with
/// the shapes of the reference's: the student's network and the reference's compute with these.
private struct LeNetWeights: ReferenceInput {
    let imageSize: Int, classes: Int
    let values: [Tensor]

    init(imageSize: Int, classes: Int, seed: UInt64) throws {
        (self.imageSize, self.classes) = (imageSize, classes)
        let shapes = try reference(imageSize, classes) { () -> [[Int]] in
            var generator = SeededGenerator(seed: 0)
            return Solutions.LeNet5(imageSize: imageSize, classes: classes, using: &generator).parameters.map(
                \.value.shape)
        }
        // He-like scales, so that the signal neither vanishes nor explodes through the layers.
        values = shapes.enumerated().map { index, shape in
            let fanIn = shape.count == 4 ? shape[1] * shape[2] * shape[3] : shape.count == 2 ? shape[0] : 10
            return randomTensor(shape, seed: seed &+ UInt64(index), scale: (2 / Double(fanIn)).squareRoot())
        }
    }

    var record: Record { .list([imageSize.record, classes.record, values.record]) }

    /// The student's LeNet5(imageSize:classes:using:) with these weights in place of its own
    /// (after checking that it has parameters of the right shapes). Call it inside `student(10)`.
    func studentNetwork(seed: UInt64) throws -> Exercises.LeNet5 {
        var generator = testGenerator(seed: seed)
        let network = Exercises.LeNet5(imageSize: imageSize, classes: classes, using: &generator)
        let shapes = network.parameters.map(\.value.shape)
        // A stub (or an earlier stage's) has its own message: `student(10)` reports it.
        guard shapes == values.map(\.shape) || !(Problems.log?.problems ?? []).isEmpty else {
            throw KitError(
                "LeNet5(imageSize: \(imageSize), classes: \(classes)) has parameters of shapes \(shapes), "
                    + "expected \(values.map(\.shape))")
        }
        for (parameter, value) in zip(network.parameters, values) { parameter.value = value }
        return network
    }

    /// The reference LeNet-5 with these weights (call it inside `reference`).
    func referenceNetwork() -> Solutions.LeNet5 {
        var generator = SeededGenerator(seed: 0)
        let network = Solutions.LeNet5(imageSize: imageSize, classes: classes, using: &generator)
        for (parameter, value) in zip(network.parameters, values) { parameter.value = value }
        return network
    }
}
