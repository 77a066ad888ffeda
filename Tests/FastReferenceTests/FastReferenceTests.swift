import FastReference
import NeuralKit
import Solutions
import Testing

/// The fast versions `kit train` and `kit bench` run (Sources/FastReference) give the values of the
/// reference they stand in for (Solutions/), forward and backward: within rounding where they sum in
/// another order (im2col and blocked products against the reference's loops), exactly where they do not.
@Suite("FastReference · the fast versions give the reference's values")
struct FastReferenceTests {
    /// A convolution: batch > 1, non-square images and kernels, strides that floor, padding, dilation.
    struct ConvolutionCase: CustomTestStringConvertible, Sendable {
        let input: [Int], weight: [Int], stride: Int, padding: Int, dilation: Int
        var testDescription: String {
            "input \(input), weight \(weight), stride \(stride), padding \(padding), dilation \(dilation)"
        }
    }

    static let convolutions = [
        ConvolutionCase(input: [3, 2, 9, 7], weight: [4, 2, 3, 2], stride: 2, padding: 1, dilation: 1),
        ConvolutionCase(input: [2, 3, 6, 11], weight: [5, 3, 3, 3], stride: 1, padding: 2, dilation: 1),
        ConvolutionCase(input: [4, 1, 13, 10], weight: [2, 1, 3, 3], stride: 3, padding: 0, dilation: 2),
        // LeNet-5's second convolution:
        ConvolutionCase(input: [2, 6, 12, 12], weight: [16, 6, 5, 5], stride: 1, padding: 0, dilation: 1),
        ConvolutionCase(input: [1, 1, 5, 5], weight: [1, 1, 5, 5], stride: 1, padding: 0, dilation: 1), // one position
    ]

    @Test("Conv2D: the reference's output, ∂L/∂x, ∂L/∂w and ∂L/∂b", arguments: convolutions)
    func convolution(_ c: ConvolutionCase) throws {
        var generator = SeededGenerator(seed: 10)
        let x = random(c.input, &generator)
        let reference = Solutions.Conv2D(
            weight: random(c.weight, &generator), bias: random([c.weight[0]], &generator),
            stride: c.stride, padding: c.padding, dilation: c.dilation)
        let fast = fastVersion(of: reference)
        try #require(fast is FastReference.Conv2D)
        let y = reference.forward(x)
        expectClose(fast.forward(x), y, "output")
        let g = random(y.shape, &generator)
        expectClose(fast.backward(g), reference.backward(g), "∂L/∂x")
        expectSameGradients(fast.parameters, reference.parameters, "after backward")
        fast.backwardSkippingInput(g.map { 2 * $0 })
        _ = reference.backward(g.map { 2 * $0 })
        expectSameGradients(fast.parameters, reference.parameters, "after backwardSkippingInput")
    }

    /// Pooling: windows that tile, that leave a floored remainder, that overlap; non-square images.
    static let poolings: [(shape: [Int], window: Int, stride: Int)] = [
        ([2, 3, 8, 6], 2, 2), ([3, 2, 7, 9], 2, 2), ([2, 2, 9, 7], 3, 2), ([1, 4, 5, 6], 2, 1),
    ]

    @Test("MaxPool2D: the reference's output, maxima and ∂L/∂x, ties included", arguments: 0..<poolings.count)
    func maxPooling(_ index: Int) throws {
        let (shape, window, stride) = Self.poolings[index]
        var generator = SeededGenerator(seed: 20 + UInt64(index))
        // Values in {−2, …, 2}: most windows have tied maxima, which both must give the same one.
        let x = random(shape, &generator).map { ($0 * 1.5).rounded() }
        let reference = Solutions.MaxPool2D(window: window, stride: stride)
        let fast = fastVersion(of: reference)
        let fastPooling = try #require(fast as? FastReference.MaxPool2D)
        let y = reference.forward(x)
        #expect(fast.forward(x) == y)
        #expect(fastPooling.maxPositions == reference.maxPositions)
        let g = random(y.shape, &generator)
        #expect(fast.backward(g) == reference.backward(g))
    }

    @Test("Dense: the reference's output, ∂L/∂x, ∂L/∂W and ∂L/∂b", arguments: [(5, 7, 3), (1, 4, 9), (33, 17, 10)])
    func dense(_ sizes: (batch: Int, inputs: Int, outputs: Int)) throws {
        var generator = SeededGenerator(seed: 30)
        let x = random([sizes.batch, sizes.inputs], &generator)
        let reference = Solutions.Dense(
            weight: random([sizes.inputs, sizes.outputs], &generator),
            bias: random([sizes.outputs], &generator))
        let fast = fastVersion(of: reference)
        try #require(fast is FastReference.Dense)
        expectClose(fast.forward(x), reference.forward(x), "output")
        let g = random([sizes.batch, sizes.outputs], &generator)
        expectClose(fast.backward(g), reference.backward(g), "∂L/∂x")
        expectSameGradients(fast.parameters, reference.parameters, "after backward")
        fast.backwardSkippingInput(g.map { -$0 })
        _ = reference.backward(g.map { -$0 })
        expectSameGradients(fast.parameters, reference.parameters, "after backwardSkippingInput")
    }

    @Test(
        "SGD: the reference's steps, with and without momentum and weight decay",
        arguments: [(0.0, 0.0), (0.9, 0.0), (0.5, 0.01)])
    func sgd(_ settings: (momentum: Double, weightDecay: Double)) {
        var generator = SeededGenerator(seed: 40)
        let shapes = [[130, 70], [70], [3, 1, 2, 2]] // one large enough to be shared out between the cores
        let start = shapes.map { random($0, &generator) }
        let steps = (0..<3).map { _ in shapes.map { random($0, &generator) } }
        func train(_ optimizer: any Optimizer) -> [Tensor] {
            let parameters = start.map { Parameter("p", $0) }
            for gradients in steps {
                for (parameter, gradient) in zip(parameters, gradients) { parameter.gradient = gradient }
                optimizer.step(parameters)
            }
            return parameters.map(\.value)
        }
        let expected = train(
            Solutions.SGD(learningRate: 0.1, momentum: settings.momentum, weightDecay: settings.weightDecay))
        let actual = train(
            FastReference.SGD(
                learningRate: 0.1, momentum: settings.momentum,
                weightDecay: settings.weightDecay))
        for (a, e) in zip(actual, expected) { expectClose(a, e, "parameter after 3 steps") }
    }

    @Test("the two-layer network and LeNet-5 that kit train builds: the reference's weights, logits and gradients")
    func networks() throws {
        var generator = SeededGenerator(seed: 50)
        let mlp = Solutions.TwoLayerNetwork(inputs: 12, hidden: 9, outputs: 4, using: &generator)
        let lenet = Solutions.LeNet5(imageSize: 16, classes: 3, using: &generator)
        let cases: [(any Classifier, Sequential, Tensor)] = [
            (mlp, fastVersion(of: mlp), random([6, 12], &generator)),
            (lenet, fastVersion(of: lenet), random([3, 1, 16, 16], &generator)),
        ]
        for (reference, fast, x) in cases {
            #expect(
                fast.layers.filter { $0 is FastReference.Dense }.count == 2 + (reference is Solutions.LeNet5 ? 1 : 0))
            #expect(zip(fast.parameters, reference.parameters).allSatisfy { $0.value == $1.value })
            let logits = reference.logits(x)
            expectClose(fast.logits(x), logits, "logits")
            let g = random(logits.shape, &generator)
            reference.backward(logitsGradient: g)
            fast.backwardSkippingInput(logitsGradient: g)
            expectSameGradients(fast.parameters, reference.parameters, "after training's backward")
        }
    }

    @Test("an epoch of training LeNet-5 with the fast versions: the reference's loss, accuracy and weights")
    func trainingEpoch() throws {
        var generator = SeededGenerator(seed: 60)
        let data = try Dataset(
            inputs: random([24, 1, 16, 16], &generator),
            labels: (0..<24).map { _ in generator.nextInt(below: 3) }, classCount: 3)
        let reference = Solutions.LeNet5(imageSize: 16, classes: 3, using: &generator)
        let fast = fastVersion(of: reference)
        var order = generator
        let expected = Solutions.trainEpoch(
            reference, on: data, batchSize: 5,
            optimizer: Solutions.SGD(learningRate: 0.05, momentum: 0.9), using: &generator)
        let actual = Solutions.trainEpoch(
            fast, on: data, batchSize: 5,
            optimizer: FastReference.SGD(learningRate: 0.05, momentum: 0.9), using: &order)
        #expect(Tolerance.tight.accepts(actual.loss, expected.loss), "loss \(actual.loss), expected \(expected.loss)")
        #expect(actual.accuracy == expected.accuracy)
        for (a, e) in zip(fast.parameters, reference.parameters) {
            expectClose(a.value, e.value, "weights after the epoch")
        }
    }
}

private func random(_ shape: [Int], _ generator: inout SeededGenerator) -> Tensor {
    Tensor.normal(shape: shape, standardDeviation: 1, using: &generator)
}

/// The reference sums in another order than im2col and the blocked products: equal up to rounding.
private func expectClose(
    _ actual: Tensor, _ expected: Tensor, _ name: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let problem = mismatch(actual, expected, tolerance: .tight, name: name)
    #expect(problem == nil, Comment(rawValue: problem ?? ""), sourceLocation: sourceLocation)
}

private func expectSameGradients(
    _ fast: [Parameter], _ reference: [Parameter], _ when: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(fast.count == reference.count && !fast.isEmpty, sourceLocation: sourceLocation)
    for (a, e) in zip(fast, reference) {
        expectClose(a.gradient, e.gradient, "\(a.name) gradient \(when)", sourceLocation: sourceLocation)
    }
}
