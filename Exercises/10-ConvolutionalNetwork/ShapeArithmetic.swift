import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — shape arithmetic
//
// Before writing a layer, know what comes out of it: the output size of a
// convolution or a pooling window sliding over the input, the number of
// parameters it learns, the multiply-accumulates it costs, and how much of
// the image one output value sees (its receptive field).
// Impossible combinations throw a `KitError` that says what is wrong.
//
// Walkthrough: docs/10-convolutional-network.md, docs/formulas.md · Check: swift test --filter Stage10
// Replace each `return notImplemented(...)` with your code.

/// The output size of a convolution along one dimension (height or width):
/// `⌊(W − F′ + 2P) / S⌋ + 1`, where `F′ = D(F − 1) + 1` is the kernel's span
/// with dilation `D` (`F′ = F` without dilation).
///
/// Throws a `KitError` when the input, kernel, stride or dilation is below 1,
/// the padding is negative, or the kernel's span is larger than the padded
/// input `W + 2P` (no position fits).
public func convolutionOutputSize(
    input: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
    dilation: Int = 1
) throws -> Int {
    // TODO: check the arguments first (`throw KitError("...")` with a sentence that says what is wrong);
    // then the formula. Integer division `/` of non-negative Ints is already the floor.
    return notImplemented("convolutionOutputSize", placeholder: 0)
}

/// The output size of a pooling window along one dimension: `⌊(W − F) / S⌋ + 1`.
///
/// Throws a `KitError` when the input, window or stride is below 1, or the
/// window is larger than the input.
public func poolingOutputSize(input: Int, window: Int, stride: Int) throws -> Int {
    // TODO: a pooling window is a convolution's kernel without padding.
    return notImplemented("poolingOutputSize", placeholder: 0)
}

/// The parameters of a convolution with `filters` kernels of `kernel × kernel × inputChannels`,
/// each with one bias: `(F·F·C + 1)·K`.
public func convolutionParameterCount(kernel: Int, inputChannels: Int, filters: Int) -> Int {
    // TODO: one kernel has F·F·C weights and one bias; there are K kernels.
    return notImplemented("convolutionParameterCount", placeholder: 0)
}

/// The parameters of a dense layer from `inputs` to `outputs` units: `(M + 1)·N`
/// (an `M × N` weight matrix and `N` biases).
public func denseParameterCount(inputs: Int, outputs: Int) -> Int {
    return notImplemented("denseParameterCount", placeholder: 0)
}

/// The multiply-accumulates of a convolution for one example: each of the
/// `outputHeight · outputWidth · filters` outputs is a dot product of length `F·F·C`.
/// (Bias additions are not counted.)
public func convolutionMultiplyAccumulates(
    kernel: Int, inputChannels: Int, filters: Int,
    outputHeight: Int, outputWidth: Int
) -> Int {
    return notImplemented("convolutionMultiplyAccumulates", placeholder: 0)
}

/// The multiply-accumulates of a dense layer for one example: `M · N`.
public func denseMultiplyAccumulates(inputs: Int, outputs: Int) -> Int {
    return notImplemented("denseMultiplyAccumulates", placeholder: 0)
}

/// The receptive field of the last layer of a stack: how many input pixels
/// (along one dimension) one of its outputs depends on.
///
/// Layer `l` with kernel `Fₗ`, stride `Sₗ` and dilation `Dₗ` adds
/// `(Fₗ′ − 1) · S₁ · … · Sₗ₋₁` with `Fₗ′ = Dₗ(Fₗ − 1) + 1`, starting from 1.
/// A pooling layer counts like a convolution with its window as kernel.
/// `dilations` may be empty (all 1). Throws a `KitError` when the arrays'
/// lengths differ or a value is below 1.
public func receptiveField(kernels: [Int], strides: [Int], dilations: [Int] = []) throws -> Int {
    // TODO: walk the layers in order, keeping the field so far (starts at 1) and the product
    // of the strides before this layer (the "jump" between neighbouring outputs, in input pixels).
    return notImplemented("receptiveField", placeholder: 0)
}
