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
// This reference computes the layer as one matrix product per batch
// ("im2col"): every patch becomes a column, so the convolution is
// `W (K × CFF) · columns (CFF × positions)`, which `Tensor.matmul` runs fast.

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
    /// The spacing between the kernel's taps (1: no gaps). Bonus.
    public let dilation: Int
    /// The input of the last forward pass, `[batch, inputChannels, height, width]`.
    public private(set) var input: Tensor?
    /// The patches of the last forward pass, `[C·kH·kW, batch·outH·outW]`.
    private var columns: Tensor?

    /// A layer with the given kernels `[filters, inputChannels, kH, kW]` and biases `[filters]`.
    public init(weight: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.weight = Parameter("weight", weight)
        self.bias = Parameter("bias", bias)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    /// A layer with He-normal kernels, `N(0, 2 / (C·F·F))`, and zero biases.
    public convenience init(inputChannels: Int, filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, using generator: inout SeededGenerator) {
        let fanIn = Double(max(inputChannels * kernel * kernel, 1))
        let weight = Tensor.normal(shape: [filters, inputChannels, kernel, kernel],
                                   standardDeviation: (2 / fanIn).squareRoot(), using: &generator)
        self.init(weight: weight, bias: Tensor(zeros: [filters]), stride: stride, padding: padding, dilation: dilation)
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// `[N, C, H, W] → [N, K, H′, W′]` with `H′ = ⌊(H − D(kH − 1) − 1 + 2P) / S⌋ + 1`, and so for `W′`.
    public func forward(_ input: Tensor) -> Tensor {
        guard let g = geometry(input.shape) else { return Tensor(zeros: [input.shape.first ?? 0, weight.value.shape.first ?? 0, 1, 1]) }
        self.input = input
        let cols = im2col(input, g)
        columns = cols
        let product = weight.value.reshaped([g.k, g.rows]).matmul(cols)      // [K, N·H′·W′]
        let positions = g.outH * g.outW
        var out = [Double](repeating: 0, count: g.n * g.k * positions)
        product.withUnsafeScalars { p in
            bias.value.withUnsafeScalars { b in
                out.withUnsafeMutableBufferPointer { y in
                    for k in 0..<g.k {
                        for n in 0..<g.n {
                            let from = (k * g.n + n) * positions, to = (n * g.k + k) * positions
                            for q in 0..<positions { y[to + q] = p[from + q] + b[k] }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [g.n, g.k, g.outH, g.outW], scalars: out)
    }

    /// From `∂L/∂y` `[N, K, H′, W′]`: `∂L/∂w` (every position and example adds
    /// its patch times its gradient), `∂L/∂b` (the sum over examples and
    /// positions), and returns `∂L/∂x` (each output's gradient goes back to
    /// the patch it came from, times the kernel).
    public func backward(_ outputGradient: Tensor) -> Tensor {
        let x = input ?? Tensor(zeros: [outputGradient.shape.first ?? 0, weight.value.shape.count > 1 ? weight.value.shape[1] : 0, 1, 1])
        guard let g = geometry(x.shape), let cols = columns else { return Tensor(zeros: x.shape) }
        guard outputGradient.shape == [g.n, g.k, g.outH, g.outW] else {
            Problems.invalidShape("Conv2D.backward: the output gradient has shape \(outputGradient.shape), "
                + "expected \([g.n, g.k, g.outH, g.outW]) (the shape of the forward pass's output)")
            return Tensor(zeros: x.shape)
        }
        // ∂L/∂y as a [K, N·H′·W′] matrix, in the order of the columns.
        let positions = g.outH * g.outW
        var dy = [Double](repeating: 0, count: g.k * g.n * positions)
        var db = [Double](repeating: 0, count: g.k)
        outputGradient.withUnsafeScalars { src in
            dy.withUnsafeMutableBufferPointer { d in
                for n in 0..<g.n {
                    for k in 0..<g.k {
                        let from = (n * g.k + k) * positions, to = (k * g.n + n) * positions
                        var total = 0.0
                        for q in 0..<positions { d[to + q] = src[from + q]; total += src[from + q] }
                        db[k] += total
                    }
                }
            }
        }
        let dyMatrix = Tensor(shape: [g.k, g.n * positions], scalars: dy)
        weight.gradient = dyMatrix.matmul(cols.transposed()).reshaped(weight.value.shape)
        bias.gradient = Tensor(shape: [g.k], scalars: db)
        let dcols = weight.value.reshaped([g.k, g.rows]).transposed().matmul(dyMatrix)
        return col2im(dcols, g)
    }

    // MARK: - im2col

    private struct Geometry {
        let n, c, h, w, k, kh, kw, outH, outW: Int
        var rows: Int { c * kh * kw }
    }

    private func geometry(_ shape: [Int]) -> Geometry? {
        let ws = weight.value.shape
        guard ws.count == 4 else {
            Problems.invalidShape("Conv2D: the weight must have shape [filters, inputChannels, kH, kW], got \(ws)")
            return nil
        }
        guard shape.count == 4 else {
            Problems.invalidShape("Conv2D: the input must have shape [batch, channels, height, width], got \(shape)")
            return nil
        }
        guard shape[1] == ws[1] else {
            Problems.invalidShape("Conv2D: the input has \(shape[1]) channels (shape \(shape)) but the kernels "
                + "have depth \(ws[1]) (weight \(ws)): the kernel depth must equal the input channels")
            return nil
        }
        do {
            let outH = try convolutionOutputSize(input: shape[2], kernel: ws[2], stride: stride, padding: padding, dilation: dilation)
            let outW = try convolutionOutputSize(input: shape[3], kernel: ws[3], stride: stride, padding: padding, dilation: dilation)
            return Geometry(n: shape[0], c: shape[1], h: shape[2], w: shape[3], k: ws[0], kh: ws[2], kw: ws[3],
                            outH: outH, outW: outW)
        } catch {
            Problems.invalidShape("Conv2D on input \(shape) with weight \(ws): \(error)")
            return nil
        }
    }

    /// Row `(c·kH + u)·kW + v`, column `(n·H′ + i)·W′ + j` holds `x[n, c, i·S − P + u·D, j·S − P + v·D]` (0 outside).
    private func im2col(_ x: Tensor, _ g: Geometry) -> Tensor {
        let columnCount = g.n * g.outH * g.outW
        var cols = [Double](repeating: 0, count: g.rows * columnCount)
        let (s, p, d) = (stride, padding, dilation)
        x.withUnsafeScalars { src in
            cols.withUnsafeMutableBufferPointer { dst in
                for c in 0..<g.c {
                    for u in 0..<g.kh {
                        for v in 0..<g.kw {
                            let row = ((c * g.kh + u) * g.kw + v) * columnCount
                            for n in 0..<g.n {
                                let plane = (n * g.c + c) * g.h * g.w
                                for i in 0..<g.outH {
                                    let y = i * s - p + u * d
                                    guard y >= 0, y < g.h else { continue }
                                    let to = row + (n * g.outH + i) * g.outW
                                    let from = plane + y * g.w
                                    for j in 0..<g.outW {
                                        let xx = j * s - p + v * d
                                        if xx >= 0, xx < g.w { dst[to + j] = src[from + xx] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [g.rows, columnCount], scalars: cols)
    }

    /// The adjoint of `im2col`: adds each column entry back to the input pixel it was read from.
    private func col2im(_ cols: Tensor, _ g: Geometry) -> Tensor {
        let columnCount = g.n * g.outH * g.outW
        var dx = [Double](repeating: 0, count: g.n * g.c * g.h * g.w)
        let (s, p, d) = (stride, padding, dilation)
        cols.withUnsafeScalars { src in
            dx.withUnsafeMutableBufferPointer { dst in
                for c in 0..<g.c {
                    for u in 0..<g.kh {
                        for v in 0..<g.kw {
                            let row = ((c * g.kh + u) * g.kw + v) * columnCount
                            for n in 0..<g.n {
                                let plane = (n * g.c + c) * g.h * g.w
                                for i in 0..<g.outH {
                                    let y = i * s - p + u * d
                                    guard y >= 0, y < g.h else { continue }
                                    let from = row + (n * g.outH + i) * g.outW
                                    let to = plane + y * g.w
                                    for j in 0..<g.outW {
                                        let xx = j * s - p + v * d
                                        if xx >= 0, xx < g.w { dst[to + xx] += src[from + j] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [g.n, g.c, g.h, g.w], scalars: dx)
    }
}
