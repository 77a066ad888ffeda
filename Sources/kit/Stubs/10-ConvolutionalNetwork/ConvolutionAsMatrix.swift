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
    // TODO: take K, C, kH and kW from `weight.shape` (throw a KitError if it is not 4 numbers), and
    // H′ and W′ from `try convolutionOutputSize(…)`. Start from zeros [K·H′·W′, C·height·width]; for
    // each output (k, i, j) and each tap (c, u, v), put w[k, c, u, v] in the column of the input
    // the tap reads, skipping reads outside the image (the padding: there is no input to weigh).
    return notImplemented("convolutionMatrix", placeholder: Tensor(zeros: [0, 0]))
}

/// The transposed convolution of `input` `[N, K, H′, W′]`: `[N, C, height, width]`, each example
/// `Mᵀ · input`, with `M` the matrix of the convolution that maps `C × height × width` to `K × H′ × W′`.
///
/// Each input value adds its kernel, times itself, to the patch the convolution would have read.
/// Throws when the kernel does not fit, or when `input` is not that convolution's output shape.
public func transposedConvolution(
    _ input: Tensor, weight: Tensor, height: Int, width: Int, stride: Int = 1, padding: Int = 0
) throws -> Tensor {
    // TODO: M = try convolutionMatrix(…). Check that `input` is [N, K, H′, W′] with K·H′·W′ = M's
    // row count (throw a KitError naming both shapes if not). Flatten each example to a row and
    // multiply by M (a row times M is Mᵀ times that column), then reshape to [N, C, height, width].
    return notImplemented("transposedConvolution", placeholder: Tensor(zeros: [0, 0, 0, 0]))
}
