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
        // TODO: save `inputShape`; H′, W′ from your `poolingOutputSize` (it throws: `let h =
        // (try? poolingOutputSize(…)) ?? 0`; a forced `try` would stop every check). For each (n, c, i, j), scan
        // the window at rows i·S ..< i·S + F, columns j·S ..< j·S + F; keep the largest value and
        // append its flat index (((n·C + c)·H + row)·W + column) to `maxPositions`.
        return notImplemented("MaxPool2D.forward", placeholder: input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: start from zeros of `inputShape`; add (+=, windows may overlap) each output's
        // gradient at its `maxPositions` entry. Nothing goes to the other positions of the window.
        return notImplemented("MaxPool2D.backward", placeholder: outputGradient)
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
        // TODO: the same loops as max pooling, with the mean of the window instead of its maximum.
        return notImplemented("AvgPool2D.forward", placeholder: input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: every input of an output's window receives that output's gradient / (F·F) (+=).
        return notImplemented("AvgPool2D.backward", placeholder: outputGradient)
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
