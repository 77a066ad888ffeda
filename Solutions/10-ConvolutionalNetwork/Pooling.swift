import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — pooling
//
// Pooling shrinks each channel on its own: a window slides over the image
// and keeps one number, the largest (max pooling) or the mean (average
// pooling). It has no parameters. Max pooling's gradient goes only to the
// value that won; average pooling shares it equally over the window.
//
// Walkthrough: docs/10-convolutional-network.md · Check: swift test --filter Stage10

/// Max pooling over `window × window` patches, moved by `stride`, on every channel:
/// `[N, C, H, W] → [N, C, H′, W′]` with `H′ = ⌊(H − F) / S⌋ + 1`.
///
/// Backward sends each output's gradient to the one input that held the
/// maximum of its window. Ties: the whole gradient goes to ONE of the tied
/// maxima, whichever you pick (the reference picks the first in row-major
/// order: top row first, left to right); never split it between them.
public final class MaxPool2D: Layer {
    public let window: Int
    public let stride: Int
    /// The shape of the input of the last forward pass.
    public private(set) var inputShape: [Int]?
    /// For each output value (row-major), the flat row-major index into the
    /// input of the value that was the maximum of its window.
    public private(set) var maxPositions: [Int] = []

    /// A pooling layer; the stride defaults to the window (windows that touch, without overlap). (Given.)
    public init(window: Int, stride: Int? = nil) {
        self.window = window
        self.stride = stride ?? window
    }

    public func forward(_ input: Tensor) -> Tensor {
        inputShape = input.shape
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let outputHeight = (try? poolingOutputSize(input: height, window: window, stride: stride)) ?? 0
        let outputWidth = (try? poolingOutputSize(input: width, window: window, stride: stride)) ?? 0
        var output = Tensor(zeros: [batch, channels, outputHeight, outputWidth])
        maxPositions = []
        for n in 0..<batch {
            for c in 0..<channels {
                for i in 0..<outputHeight {
                    for j in 0..<outputWidth {
                        // Start from the window's first value, so that the gradient stays in the window
                        // even when every value is -∞.
                        var largest = input[n, c, i * stride, j * stride]
                        var position = ((n * channels + c) * height + i * stride) * width + j * stride
                        for row in (i * stride)..<(i * stride + window) {
                            for column in (j * stride)..<(j * stride + window) {
                                // `>`, not `>=`: on a tie the first maximum keeps the gradient.
                                guard input[n, c, row, column] > largest else { continue }
                                largest = input[n, c, row, column]
                                position = ((n * channels + c) * height + row) * width + column
                            }
                        }
                        output[n, c, i, j] = largest
                        maxPositions.append(position)
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let shape = inputShape ?? [0, 0, 0, 0]
        var dx = [Double](repeating: 0, count: shape.reduce(1, *))
        for (g, position) in zip(outputGradient.scalars, maxPositions) {
            dx[position] += g
        }
        return Tensor(shape: shape, scalars: dx)
    }
}

/// Average pooling over `window × window` patches, moved by `stride`:
/// each output is the mean of its window, and backward gives every input in
/// the window `1 / (F·F)` of the output's gradient.
public final class AvgPool2D: Layer {
    public let window: Int
    public let stride: Int
    /// The shape of the input of the last forward pass.
    public private(set) var inputShape: [Int]?

    /// A pooling layer; the stride defaults to the window. (Given.)
    public init(window: Int, stride: Int? = nil) {
        self.window = window
        self.stride = stride ?? window
    }

    public func forward(_ input: Tensor) -> Tensor {
        inputShape = input.shape
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let outputHeight = (try? poolingOutputSize(input: height, window: window, stride: stride)) ?? 0
        let outputWidth = (try? poolingOutputSize(input: width, window: window, stride: stride)) ?? 0
        var output = Tensor(zeros: [batch, channels, outputHeight, outputWidth])
        for n in 0..<batch {
            for c in 0..<channels {
                for i in 0..<outputHeight {
                    for j in 0..<outputWidth {
                        var total = 0.0
                        for row in (i * stride)..<(i * stride + window) {
                            for column in (j * stride)..<(j * stride + window) {
                                total += input[n, c, row, column]
                            }
                        }
                        output[n, c, i, j] = total / Double(window * window)
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let shape = inputShape ?? [0, 0, 0, 0]
        let (batch, channels) = (shape[0], shape[1])
        let (outputHeight, outputWidth) = (outputGradient.shape[2], outputGradient.shape[3])
        var dx = Tensor(zeros: shape)
        for n in 0..<batch {
            for c in 0..<channels {
                for i in 0..<outputHeight {
                    for j in 0..<outputWidth {
                        let share = outputGradient[n, c, i, j] / Double(window * window)
                        for row in (i * stride)..<(i * stride + window) {
                            for column in (j * stride)..<(j * stride + window) {
                                dx[n, c, row, column] += share
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}

// MARK: - Description (given)

extension MaxPool2D {
    /// `[N, C, H, W] → [N, C, H′, W′]`, or why the input does not fit. (Given.)
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        try pooledShape(inputShape, window: window, stride: stride, layer: description)
    }

    /// `max pool 2×2, stride 2`. (Given.)
    public var description: String { "max pool \(window)×\(window), stride \(stride)" }
}

extension AvgPool2D {
    /// `[N, C, H, W] → [N, C, H′, W′]`, or why the input does not fit. (Given.)
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        try pooledShape(inputShape, window: window, stride: stride, layer: description)
    }

    /// `average pool 2×2, stride 2`. (Given.)
    public var description: String { "average pool \(window)×\(window), stride \(stride)" }
}

/// The shape after a pooling window slides over each channel. (Given.)
private func pooledShape(_ inputShape: [Int], window: Int, stride: Int, layer: String) throws -> [Int] {
    guard inputShape.count == 4 else {
        throw KitError("\(layer) takes [batch, channels, height, width], not \(inputShape)")
    }
    let height = try windowPositions(size: inputShape[2], span: window, stride: stride, layer: layer)
    let width = try windowPositions(size: inputShape[3], span: window, stride: stride, layer: layer)
    return [inputShape[0], inputShape[1], height, width]
}
