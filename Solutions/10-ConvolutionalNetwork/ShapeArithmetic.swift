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
    guard input >= 1 else { throw KitError("the input size must be at least 1, got \(input)") }
    guard kernel >= 1 else { throw KitError("the kernel size must be at least 1, got \(kernel)") }
    guard stride >= 1 else {
        throw KitError("the stride must be at least 1, got \(stride): a window must move forward")
    }
    guard padding >= 0 else { throw KitError("the padding must not be negative, got \(padding)") }
    guard dilation >= 1 else { throw KitError("the dilation must be at least 1, got \(dilation) (1 means no gaps)") }
    let span = dilation * (kernel - 1) + 1
    let padded = input + 2 * padding
    guard span <= padded else {
        let kernelText =
            dilation == 1 ? "the kernel (\(kernel))" : "the dilated kernel (\(dilation)·(\(kernel) − 1) + 1 = \(span))"
        throw KitError(
            "\(kernelText) is larger than the padded input (\(input) + 2·\(padding) = \(padded)): "
                + "no position fits; use a smaller kernel or more padding")
    }
    return (padded - span) / stride + 1
}

/// The output size of a pooling window along one dimension: `⌊(W − F) / S⌋ + 1`.
///
/// Throws a `KitError` when the input, window or stride is below 1, or the
/// window is larger than the input.
public func poolingOutputSize(input: Int, window: Int, stride: Int) throws -> Int {
    guard input >= 1 else { throw KitError("the input size must be at least 1, got \(input)") }
    guard window >= 1 else { throw KitError("the window must be at least 1, got \(window)") }
    guard stride >= 1 else {
        throw KitError("the stride must be at least 1, got \(stride): a window must move forward")
    }
    guard window <= input else {
        throw KitError("the window (\(window)) is larger than the input (\(input)): no position fits")
    }
    return (input - window) / stride + 1
}

/// The parameters of a convolution with `filters` kernels of `kernel × kernel × inputChannels`,
/// each with one bias: `(F·F·C + 1)·K`.
public func convolutionParameterCount(kernel: Int, inputChannels: Int, filters: Int) -> Int {
    (kernel * kernel * inputChannels + 1) * filters
}

/// The parameters of a dense layer from `inputs` to `outputs` units: `(M + 1)·N`
/// (an `M × N` weight matrix and `N` biases).
public func denseParameterCount(inputs: Int, outputs: Int) -> Int {
    (inputs + 1) * outputs
}

/// The multiply-accumulates of a convolution for one example: each of the
/// `outputHeight · outputWidth · filters` outputs is a dot product of length `F·F·C`.
/// (Bias additions are not counted.)
public func convolutionMultiplyAccumulates(
    kernel: Int, inputChannels: Int, filters: Int,
    outputHeight: Int, outputWidth: Int
) -> Int {
    outputHeight * outputWidth * filters * kernel * kernel * inputChannels
}

/// The multiply-accumulates of a dense layer for one example: `M · N`.
public func denseMultiplyAccumulates(inputs: Int, outputs: Int) -> Int {
    inputs * outputs
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
    guard kernels.count == strides.count else {
        throw KitError("\(kernels.count) kernels but \(strides.count) strides: give one stride per layer")
    }
    let dilations = dilations.isEmpty ? Array(repeating: 1, count: kernels.count) : dilations
    guard dilations.count == kernels.count else {
        throw KitError(
            "\(kernels.count) kernels but \(dilations.count) dilations: give one dilation per layer, or none")
    }
    var field = 1
    var jump = 1
    for (layer, (kernel, (stride, dilation))) in zip(kernels, zip(strides, dilations)).enumerated() {
        guard kernel >= 1, stride >= 1, dilation >= 1 else {
            throw KitError(
                "layer \(layer) has kernel \(kernel), stride \(stride), dilation \(dilation): each must be at least 1")
        }
        field += dilation * (kernel - 1) * jump
        jump *= stride
    }
    return field
}
