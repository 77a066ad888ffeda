import NeuralKit
import Solutions

// The convolution `kit train` and `kit bench` train LeNet-5 with: the reference `Conv2D`
// (stage 10, plain loops) computed as one matrix product per image ("im2col"). Every patch of the
// image becomes a column, so the convolution is `W (K × C·kH·kW) · columns (C·kH·kW × H′·W′)`,
// already in the output's `[K, H′, W′]` order. The images of a batch are independent, so they are
// shared out over the cores (`Parallel.forEachChunk`), and each worker keeps its patch matrix in
// cache. The core does the data movement (`ConvolutionGeometry.im2col`/`col2im`) and the products
// (`MatrixKernels`) on raw buffers: the arithmetic of `Tensor.matmul` (for sums of fewer than 512
// terms, as LeNet-5's are), without a `Tensor` per image. The reference's values within rounding
// (FastReferenceTests).
//
// Tensors are `[batch, channels, height, width]`; weights are
// `[filters, inputChannels, kernelHeight, kernelWidth]`.

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
    /// The spacing between the kernel's taps (1: no gaps).
    public let dilation: Int
    /// The input of the last forward pass, `[batch, inputChannels, height, width]`.
    public private(set) var input: Tensor?

    /// A layer with the given kernels `[filters, inputChannels, kH, kW]` and biases `[filters]`.
    public init(weight: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.weight = Parameter("weight", weight)
        self.bias = Parameter("bias", bias)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// `[N, C, H, W] → [N, K, H′, W′]` with `H′ = ⌊(H − D(kH − 1) − 1 + 2P) / S⌋ + 1`, and so for `W′`.
    public func forward(_ input: Tensor) -> Tensor {
        guard let (n, k, g) = geometry(input.shape) else {
            return Tensor(zeros: [input.shape.first ?? 0, weight.value.shape.first ?? 0, 1, 1])
        }
        self.input = input
        let (rows, positions) = (g.patchSize, g.positions)
        // No images, filters or channels: nothing to multiply (and buffers without an address).
        guard n * k > 0, input.count > 0 else {
            return Tensor(zeros: [n, k, g.outputHeight, g.outputWidth]) + bias.value.reshaped([k, 1, 1])
        }
        // Every output is written below: no need to fill the array with zeros first.
        let out = [Double](unsafeUninitializedCapacity: n * k * positions) { y, initialized in
            input.withUnsafeScalars { x in
                weight.value.withUnsafeScalars { w in
                    bias.value.withUnsafeScalars { b in
                        Parallel.forEachChunk(n) { images in
                            let columns = UnsafeMutablePointer<Double>.allocate(capacity: max(rows * positions, 1))
                            defer { columns.deallocate() }
                            for image in images {
                                // y[image] = W · columns + b, a [K, H′·W′] matrix.
                                let output = y.baseAddress! + image * k * positions
                                g.im2col(x.baseAddress! + image * g.imageSize, into: columns)
                                MatrixKernels.multiply(
                                    w.baseAddress!, columns, into: output, m: k, k: rows, n: positions)
                                for filter in 0..<k {
                                    let row = output + filter * positions
                                    for q in 0..<positions { row[q] += b[filter] }
                                }
                            }
                        }
                    }
                }
            }
            initialized = n * k * positions
        }
        return Tensor(shape: [n, k, g.outputHeight, g.outputWidth], scalars: out)
    }

    /// From `∂L/∂y` `[N, K, H′, W′]`: `∂L/∂w` (every position and example adds
    /// its patch times its gradient), `∂L/∂b` (the sum over examples and
    /// positions), and returns `∂L/∂x` (each output's gradient goes back to
    /// the patch it came from, times the kernel).
    ///
    /// Per image, with `G` its `[K, H′·W′]` gradient: `∂L/∂w += G · columnsᵀ`
    /// and `∂L/∂columns = Wᵀ · G`, which `col2im` adds back onto the pixels.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        backward(outputGradient, findingInputGradient: true)
    }

    /// `∂L/∂w` and `∂L/∂b` only: a first layer's input is the image, which needs no gradient.
    public func backwardSkippingInput(_ outputGradient: Tensor) {
        _ = backward(outputGradient, findingInputGradient: false)
    }

    private func backward(_ outputGradient: Tensor, findingInputGradient: Bool) -> Tensor {
        let x =
            input
            ?? Tensor(zeros: [
                outputGradient.shape.first ?? 0, weight.value.shape.count > 1 ? weight.value.shape[1] : 0, 1, 1,
            ])
        guard let (n, k, g) = geometry(x.shape) else { return Tensor(zeros: x.shape) }
        guard outputGradient.shape == [n, k, g.outputHeight, g.outputWidth] else {
            Problems.invalidShape(
                "Conv2D.backward: the output gradient has shape \(outputGradient.shape), "
                    + "expected \([n, k, g.outputHeight, g.outputWidth]) (the shape of the forward pass's output)")
            return Tensor(zeros: x.shape)
        }
        let (rows, positions) = (g.patchSize, g.positions)
        guard n * k > 0, x.count > 0 else {
            weight.gradient = Tensor(zeros: weight.value.shape)
            bias.gradient =
                n > 0 ? outputGradient.sum(alongAxis: 3).sum(alongAxis: 2).sum(alongAxis: 0) : Tensor(zeros: [k])
            return Tensor(zeros: x.shape)
        }
        let weightT = weight.value.reshaped([k, rows]).transposed() // [C·kH·kW, K]
        var dx = [Double](repeating: 0, count: findingInputGradient ? x.count : 0)
        // ∂L/∂w summed over groups of `groupSize` images (image by image, in
        // order), then the groups added in order: the same bits on any number of cores.
        let groupSize = 8
        let groups = (n + groupSize - 1) / groupSize
        var dwGroups = [Double](repeating: 0, count: max(groups, 1) * k * rows)
        var dbImages = [Double](repeating: 0, count: max(n, 1) * k)
        x.withUnsafeScalars { xs in
            outputGradient.withUnsafeScalars { dy in
                weightT.withUnsafeScalars { wt in
                    dx.withUnsafeMutableBufferPointer { dxs in
                        dwGroups.withUnsafeMutableBufferPointer { dw in
                            dbImages.withUnsafeMutableBufferPointer { db in
                                Parallel.forEachChunk(groups) { chunk in
                                    let columns = UnsafeMutablePointer<Double>.allocate(
                                        capacity: max(rows * positions, 1))
                                    defer { columns.deallocate() }
                                    for group in chunk {
                                        for image in (group * groupSize)..<min((group + 1) * groupSize, n) {
                                            let gradient = dy.baseAddress! + image * k * positions // [K, H′·W′]
                                            g.im2col(xs.baseAddress! + image * g.imageSize, into: columns)
                                            MatrixKernels.multiplyTransposingOther(
                                                gradient, columns, into: dw.baseAddress! + group * k * rows,
                                                m: k, k: positions, n: rows, accumulating: true)
                                            for filter in 0..<k {
                                                var total = 0.0
                                                for q in 0..<positions { total += gradient[filter * positions + q] }
                                                db[image * k + filter] = total
                                            }
                                            guard findingInputGradient else { continue }
                                            // ∂L/∂columns = Wᵀ G, reusing the patch buffer.
                                            MatrixKernels.multiply(
                                                wt.baseAddress!, gradient, into: columns,
                                                m: rows, k: k, n: positions)
                                            g.col2im(columns, addingInto: dxs.baseAddress! + image * g.imageSize)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var dw = [Double](repeating: 0, count: k * rows)
        var db = [Double](repeating: 0, count: k)
        for group in 0..<groups {
            for e in 0..<(k * rows) { dw[e] += dwGroups[group * k * rows + e] }
        }
        for image in 0..<n {
            for filter in 0..<k { db[filter] += dbImages[image * k + filter] }
        }
        weight.gradient = Tensor(shape: weight.value.shape, scalars: dw)
        bias.gradient = Tensor(shape: [k], scalars: db)
        return findingInputGradient ? Tensor(shape: x.shape, scalars: dx) : Tensor(zeros: [0])
    }

    // MARK: - Shapes

    /// `(N, K, geometry of one image)`, or nil with a recorded problem.
    private func geometry(_ shape: [Int]) -> (Int, Int, ConvolutionGeometry)? {
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
            Problems.invalidShape(
                "Conv2D: the input has \(shape[1]) channels (shape \(shape)) but the kernels "
                    + "have depth \(ws[1]) (weight \(ws)): the kernel depth must equal the input channels")
            return nil
        }
        guard bias.value.count == ws[0] else {
            Problems.invalidShape(
                "Conv2D: the bias has shape \(bias.value.shape), expected [\(ws[0])] (one per filter)")
            return nil
        }
        do {
            // Checks the sizes and explains what does not fit.
            _ = try convolutionOutputSize(
                input: shape[2], kernel: ws[2], stride: stride, padding: padding, dilation: dilation)
            _ = try convolutionOutputSize(
                input: shape[3], kernel: ws[3], stride: stride, padding: padding, dilation: dilation)
        } catch {
            Problems.invalidShape("Conv2D on input \(shape) with weight \(ws): \(error)")
            return nil
        }
        guard
            let g = ConvolutionGeometry(
                channels: shape[1], height: shape[2], width: shape[3],
                kernelHeight: ws[2], kernelWidth: ws[3],
                stride: stride, padding: padding, dilation: dilation)
        else {
            Problems.invalidShape("Conv2D on input \(shape) with weight \(ws): the sizes do not fit")
            return nil
        }
        return (shape[0], ws[0], g)
    }
}
