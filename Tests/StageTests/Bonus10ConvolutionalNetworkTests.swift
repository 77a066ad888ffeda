import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 10, optional: dilation, strided and 1×1 convolutions, a residual block, more activation layers.
@Suite("Stage 10 · Bonus: dilation, 1×1 and strided convolutions, residual block, activation layers")
struct Bonus10ConvolutionalNetwork {
    @Test("a dilated Conv2D matches the reference, forward and backward")
    func dilation() throws {
        let x = randomTensor([2, 2, 9, 8], seed: 90)
        let w = randomTensor([3, 2, 3, 2], seed: 91)
        let b = randomTensor([3], seed: 92)
        let g = randomTensor([2, 3, 5, 6], seed: 93) // ⌊(9 − 5 + 0)/1⌋ + 1 = 5, ⌊(8 − 3 + 0)/1⌋ + 1 = 6 with D = 2
        let (y, dx, dw) = try student(10) { () -> (Tensor, Tensor, Tensor) in
            let layer = Exercises.Conv2D(weight: w, bias: b, dilation: 2)
            let y = layer.forward(x)
            return (y, layer.backward(g), layer.weight.gradient)
        }
        expectClose(
            y, try reference(x, w, b) { Solutions.Conv2D(weight: w, bias: b, dilation: 2).forward(x) },
            "Conv2D(dilation: 2).forward",
            hint: "with dilation D, tap (u, v) reads x[i·S − P + u·D, j·S − P + v·D]")
        let (numericX, numericW) = try reference(x, w, b, g) { () -> (Tensor, Tensor) in
            (
                numericalGradient(at: x) {
                    weightedSum(Solutions.Conv2D(weight: w, bias: b, dilation: 2).forward($0), g)
                },
                numericalGradient(at: w) {
                    weightedSum(Solutions.Conv2D(weight: $0, bias: b, dilation: 2).forward(x), g)
                }
            )
        }
        expectClose(dx, numericX, "Conv2D(dilation: 2)'s ∂L/∂x", tolerance: .gradient)
        expectClose(dw, numericW, "Conv2D(dilation: 2)'s ∂L/∂w", tolerance: .gradient)
    }

    @Test("a 1×1 convolution is a dense layer applied to every pixel's channels")
    func oneByOne() throws {
        let x = randomTensor([2, 5, 3, 4], seed: 94)
        let w = randomTensor([3, 5, 1, 1], seed: 95)
        let b = randomTensor([3], seed: 96)
        let y = try student(10) { Exercises.Conv2D(weight: w, bias: b).forward(x) }
        // The same map as a matrix product: pixels as rows, channels as columns.
        let pixels = Tensor(shape: [2, 3, 4, 5]) { flat in
            let (n, rest) = flat.quotientAndRemainder(dividingBy: 60)
            let (p, c) = rest.quotientAndRemainder(dividingBy: 5)
            return x.scalars[(n * 5 + c) * 12 + p]
        }.reshaped([24, 5])
        let dense = pixels.matmul(w.reshaped([3, 5]).transposed()) + b // [24, 3]
        let expected = Tensor(shape: [2, 3, 3, 4]) { flat in
            let (n, rest) = flat.quotientAndRemainder(dividingBy: 36)
            let (k, p) = rest.quotientAndRemainder(dividingBy: 12)
            return dense.scalars[(n * 12 + p) * 3 + k]
        }
        expectClose(y, expected, "a 1×1 Conv2D", hint: "a 1×1 kernel mixes the channels of each pixel and nothing else")
    }

    @Test("a stride-2 convolution halves the size, like pooling, and learns how")
    func stridedInsteadOfPooling() throws {
        let x = randomTensor([2, 3, 8, 6], seed: 97)
        let w = randomTensor([3, 3, 2, 2], seed: 98)
        let b = randomTensor([3], seed: 99)
        let g = randomTensor([2, 3, 4, 3], seed: 100)
        let (y, dx) = try student(10) { () -> (Tensor, Tensor) in
            let layer = Exercises.Conv2D(weight: w, bias: b, stride: 2)
            return (layer.forward(x), layer.backward(g))
        }
        check(
            y.shape == [2, 3, 4, 3],
            "a 2×2 convolution with stride 2 on 8×6 gives \(y.shape), expected [2, 3, 4, 3], "
                + "the shape MaxPool2D(window: 2) gives")
        let numeric = try reference(x, w, b, g) {
            numericalGradient(at: x) { weightedSum(Solutions.Conv2D(weight: w, bias: b, stride: 2).forward($0), g) }
        }
        expectClose(dx, numeric, "Conv2D(stride: 2)'s ∂L/∂x", tolerance: .gradient)
    }

    @Test("ResidualBlock matches the reference and finite differences", arguments: seeds)
    func residualBlock(seed: UInt64) throws {
        let x = randomTensor([2, 2, 5, 4], seed: seed + 110)
        let g = randomTensor([2, 2, 5, 4], seed: seed + 111)
        var generator = testGenerator(seed: seed + 112)
        let first = Tensor.normal(shape: [2, 2, 3, 3], standardDeviation: 0.5, using: &generator)
        let second = Tensor.normal(shape: [2, 2, 3, 3], standardDeviation: 0.5, using: &generator)
        let (b1, b2) = (randomTensor([2], seed: seed + 113), randomTensor([2], seed: seed + 114))
        let (y, dx) = try student(10) { () -> (Tensor, Tensor) in
            let block = Exercises.ResidualBlock(
                first: Exercises.Conv2D(weight: first, bias: b1, padding: 1),
                second: Exercises.Conv2D(weight: second, bias: b2, padding: 1))
            return (block.forward(x), block.backward(g))
        }
        func referenceBlock() -> Solutions.ResidualBlock {
            Solutions.ResidualBlock(
                first: Solutions.Conv2D(weight: first, bias: b1, padding: 1),
                second: Solutions.Conv2D(weight: second, bias: b2, padding: 1))
        }
        let weights = [first, b1, second, b2]
        expectClose(
            y, try reference(x, weights) { referenceBlock().forward(x) }, "ResidualBlock.forward",
            hint: "y = relu(x + conv₂(relu(conv₁(x))))")
        let numeric = try reference(x, g, weights) {
            numericalGradient(at: x) { weightedSum(referenceBlock().forward($0), g) }
        }
        expectClose(
            dx, numeric, "ResidualBlock.backward", tolerance: .gradient,
            hint: "∂L/∂x is the shortcut's gradient plus the gradient through the two convolutions")
    }

    @Test("Sigmoid and Tanh layers work on images, forward and backward")
    func activationLayers() throws {
        let x = randomTensor([2, 3, 4, 5], seed: 120)
        let g = randomTensor([2, 3, 4, 5], seed: 121)
        let (s, ds, t, dt) = try student(10) { () -> (Tensor, Tensor, Tensor, Tensor) in
            let sigmoid = Exercises.Sigmoid()
            let tanh = Exercises.Tanh()
            return (sigmoid.forward(x), sigmoid.backward(g), tanh.forward(x), tanh.backward(g))
        }
        expectClose(s, try reference(x) { Solutions.sigmoid(x) }, "Sigmoid layer forward")
        expectClose(t, try reference(x) { Solutions.tanh(x) }, "Tanh layer forward")
        expectClose(
            ds, try reference(x, g) { numericalGradient(at: x) { weightedSum(Solutions.sigmoid($0), g) } },
            "Sigmoid layer backward", tolerance: .gradient)
        expectClose(
            dt, try reference(x, g) { numericalGradient(at: x) { weightedSum(Solutions.tanh($0), g) } },
            "Tanh layer backward", tolerance: .gradient)
    }
}
