import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — Conv2D
//
// A convolution layer slides `filters` small kernels over the image. At each
// position, each kernel takes the dot product with the patch under it (all
// input channels at once) and adds its bias: one output value per kernel and
// position. The same few weights are used everywhere in the image.
// "Convolution" here is cross-correlation, as in the lectures and every
// framework: the kernel is not flipped.
//
// Tensors are `[batch, channels, height, width]`; weights are
// `[filters, inputChannels, kernelHeight, kernelWidth]`.
//
// Walkthrough: docs/10-convolutional-network.md · Check: swift test --filter Stage10
// Plain nested loops are fine here: the checks use small shapes.

/// A 2-D convolution (cross-correlation) with stride, zero padding, dilation and bias:
///
///     y[n, k, i, j] = b[k] + Σ_c Σ_u Σ_v w[k, c, u, v] · x[n, c, i·S − P + u·D, j·S − P + v·D]
///
/// where `x` is 0 outside the image (zero padding of `P` on every side).
public final class Conv2D: Layer {
    /// The kernels, shape `[filters, inputChannels, kernelHeight, kernelWidth]`.
    public let weight: Parameter
    /// One bias per filter, shape `[filters]`.
    public let bias: Parameter
    /// The step between two positions of the kernel, in both directions.
    public let stride: Int
    /// The zeros added on each side (top, bottom, left and right).
    public let padding: Int
    /// The spacing between the kernel's taps (1: no gaps). Bonus: the main checks use 1.
    public let dilation: Int
    /// The input of the last forward pass, `[batch, inputChannels, height, width]`.
    public private(set) var input: Tensor?

    /// A layer with the given kernels `[filters, inputChannels, kH, kW]` and biases `[filters]`.
    /// (Given.)
    public init(weight: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.weight = Parameter("weight", weight)
        self.bias = Parameter("bias", bias)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    /// A layer with He-normal kernels, `N(0, 2 / (C·F·F))`, and zero biases. (Given.)
    public convenience init(
        inputChannels: Int, filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, using generator: inout SeededGenerator
    ) {
        let fanIn = Double(max(inputChannels * kernel * kernel, 1))
        let weight = Tensor.normal(
            shape: [filters, inputChannels, kernel, kernel],
            standardDeviation: (2 / fanIn).squareRoot(), using: &generator)
        self.init(weight: weight, bias: Tensor(zeros: [filters]), stride: stride, padding: padding, dilation: dilation)
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// `[N, C, H, W] → [N, K, H′, W′]` with `H′ = ⌊(H − D(kH − 1) − 1 + 2P) / S⌋ + 1`, and so for `W′`.
    public func forward(_ input: Tensor) -> Tensor {
        // TODO: cache the input (`self.input = input`). Take K, kH, kW from `weight.value.shape`,
        // H′ and W′ from your `convolutionOutputSize` (it throws, and forward does not:
        // `let h = (try? convolutionOutputSize(…)) ?? 0`; a forced `try` would stop every check). Then loop over n, k, i, j,
        // and inside over c, u, v: read x at row i·S − P + u·D and column j·S − P + v·D, skipping
        // reads outside the image (they are the zero padding). Start each sum at b[k].
        return notImplemented("Conv2D.forward", placeholder: input)
    }

    /// From `∂L/∂y` `[N, K, H′, W′]`: `∂L/∂w` (every position and example adds
    /// its patch times its gradient), `∂L/∂b` (the sum over examples and
    /// positions), and returns `∂L/∂x` (each output's gradient goes back to
    /// the patch it came from, times the kernel).
    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: the same loops as forward. Where forward did `y += w · x` (one output, one weight,
        // one input), backward does `dw += g · x` and `dx += g · w` with g = ∂L/∂y at that output;
        // `db[k] += g` once per output position. Set `weight.gradient`, `bias.gradient`, return dx.
        return notImplemented("Conv2D.backward", placeholder: input ?? outputGradient)
    }
}

// MARK: - Description (given)

extension Conv2D {
    /// `[N, C, H, W] → [N, K, H′, W′]`, or why the input does not fit. (Given.)
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let kernels = weight.value.shape // [K, C, kH, kW]
        guard kernels.count == 4, inputShape.count == 4, inputShape[1] == kernels[1] else {
            throw KitError(
                "\(description) takes [batch, \(kernels.dropFirst().first ?? 0) channels, height, width], "
                    + "not \(inputShape)")
        }
        let height = try windowPositions(
            size: inputShape[2], span: dilation * (kernels[2] - 1) + 1, stride: stride,
            padding: padding, layer: description)
        let width = try windowPositions(
            size: inputShape[3], span: dilation * (kernels[3] - 1) + 1, stride: stride,
            padding: padding, layer: description)
        return [inputShape[0], kernels[0], height, width]
    }

    /// Each output value is the dot product of one kernel, C·kH·kW products, with a patch. (Given.)
    public func multiplyAccumulates(for inputShape: [Int]) throws -> Int {
        let outputs = try outputShape(for: inputShape).reduce(1, *)
        return outputs * weight.value.shape.dropFirst().reduce(1, *)
    }

    /// `conv 5×5, 6 filters`, with the stride, padding and dilation when they are not 1, 0 and 1. (Given.)
    public var description: String {
        let kernel = weight.value.shape.dropFirst(2).map(String.init).joined(separator: "×")
        let options = [("stride", stride, 1), ("padding", padding, 0), ("dilation", dilation, 1)]
            .filter { $0.1 != $0.2 }.map { ", \($0.0) \($0.1)" }
        return "conv \(kernel), \(weight.value.shape.first ?? 0) filters" + options.joined()
    }
}
