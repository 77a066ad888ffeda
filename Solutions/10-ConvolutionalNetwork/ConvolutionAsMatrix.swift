import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — bonus: a convolution is a dense layer with constraints
//
// A convolution is linear in its input, so a matrix M computes it: flatten an image x (channel,
// then row, then column, the order Flatten uses) and M · x is the flattened output. M has a row
// for each output value and a column for each input value. Lectures 003 and 004 show its pattern:
// a row holds the kernel's weights in the columns of the patch its output reads and zeros
// everywhere else, and the next row holds the same weights, moved along by the stride. A dense
// layer with M as its weights is the convolution: a dense layer may learn any matrix, a
// convolution only the ones of this pattern, with far fewer numbers to learn.
//
// The transpose Mᵀ maps the other way, from the output's shape back to the input's: that is the
// transposed convolution. Lecture 004 uses it to upsample: where a stride-2 convolution halves the
// size, its transpose doubles it. It is also Conv2D's backward for the input: ∂L/∂x = Mᵀ · ∂L/∂y.
//
// Walkthrough: docs/10-convolutional-network.md · Check: swift test --filter Bonus10ConvolutionAsMatrix

/// The matrix `M` of a convolution without bias on `C × height × width` images: `M · x` is the
/// convolution of the flattened image `x`.
///
/// `weight` is `[K, C, kH, kW]`, as in `Conv2D`. `M` is `[K·H′·W′, C·height·width]`: row
/// `(k·H′ + i)·W′ + j` is output `(k, i, j)`, column `(c·height + r)·width + s` is input `(c, r, s)`,
/// and `M[(k, i, j), (c, i·S − P + u, j·S − P + v)] = w[k, c, u, v]` where that input is in the
/// image. Every other entry is 0. Throws when the kernel does not fit (as `convolutionOutputSize`).
public func convolutionMatrix(
    weight: Tensor, height: Int, width: Int, stride: Int = 1, padding: Int = 0
) throws -> Tensor {
    guard weight.rank == 4 else {
        throw KitError("a convolution's weight is [K, C, kH, kW], not \(weight.shape)")
    }
    let (filters, channels, kernelHeight, kernelWidth) = (
        weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3]
    )
    let outputHeight = try convolutionOutputSize(input: height, kernel: kernelHeight, stride: stride, padding: padding)
    let outputWidth = try convolutionOutputSize(input: width, kernel: kernelWidth, stride: stride, padding: padding)
    var matrix = Tensor(zeros: [filters * outputHeight * outputWidth, channels * height * width])
    for k in 0..<filters {
        for i in 0..<outputHeight {
            for j in 0..<outputWidth {
                let output = (k * outputHeight + i) * outputWidth + j
                for c in 0..<channels {
                    for u in 0..<kernelHeight {
                        let r = i * stride - padding + u
                        guard r >= 0 && r < height else { continue } // padding: no input there
                        for v in 0..<kernelWidth {
                            let s = j * stride - padding + v
                            guard s >= 0 && s < width else { continue }
                            matrix[output, (c * height + r) * width + s] = weight[k, c, u, v]
                        }
                    }
                }
            }
        }
    }
    return matrix
}

/// The transposed convolution of `input` `[N, K, H′, W′]`: `[N, C, height, width]`, each example
/// `Mᵀ · input`, with `M` the matrix of the convolution that maps `C × height × width` to `K × H′ × W′`.
///
/// Each input value adds its kernel, times itself, to the patch the convolution would have read.
/// Throws when the kernel does not fit, or when `input` is not that convolution's output shape.
public func transposedConvolution(
    _ input: Tensor, weight: Tensor, height: Int, width: Int, stride: Int = 1, padding: Int = 0
) throws -> Tensor {
    let matrix = try convolutionMatrix(weight: weight, height: height, width: width, stride: stride, padding: padding)
    guard input.rank == 4, input.shape[1] == weight.shape[0], input.count == input.shape[0] * matrix.shape[0] else {
        throw KitError(
            "the transposed convolution of weight \(weight.shape) back to \(height)×\(width) takes the output of "
                + "its convolution, [N, \(weight.shape[0]), H′, W′] with \(matrix.shape[0]) values an example, "
                + "not \(input.shape)")
    }
    let examples = input.shape[0]
    // A row times M is Mᵀ times that row as a column.
    return input.reshaped([examples, matrix.shape[0]]).matmul(matrix)
        .reshaped([examples, weight.shape[1], height, width])
}
