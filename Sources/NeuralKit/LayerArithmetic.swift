/// What one layer makes of one example, and what it costs: the size of its
/// output, the parameters it learns and the multiply-accumulates of its forward
/// pass. `kit shape` and `kit summary` print these numbers with their formulas;
/// docs/formulas.md derives them.
///
/// For an input `W` wide (the height works the same way), with `C` channels:
///
/// | Layer | Output size along one dimension | Parameters | Multiply-accumulates |
/// |---|---|---|---|
/// | convolution, `K` kernels `F×F×C`, stride `S`, padding `P`, dilation `D` | `⌊(W − F′ + 2P) / S⌋ + 1`, `F′ = D(F − 1) + 1` | `(F·F·C + 1)·K` | `H′·W′·K·F·F·C` |
/// | pooling, an `F×F` window, stride `S` | `⌊(W − F) / S⌋ + 1` | 0 | 0 |
/// | dense, `M` inputs → `N` outputs | `N` | `(M + 1)·N` | `M·N` |
///
/// `F′` is the span of a dilated kernel: `D − 1` gaps between its taps
/// (`F′ = F` without dilation). A multiply-accumulate is one product added to
/// a sum: each output of a convolution is a dot product of `F·F·C` terms, each
/// output of a dense layer one of `M` terms; adding the biases is not counted.
///
/// The output sizes are those of `ConvolutionGeometry`; where it has no answer,
/// these functions throw a `KitError` that says why (a kernel larger than the
/// padded input, a stride of 0, …).
public enum LayerArithmetic {
    /// The positions of a convolution's kernel along one dimension of the input:
    /// `⌊(W − F′ + 2P) / S⌋ + 1` with `F′ = D(F − 1) + 1`.
    ///
    /// Throws a `KitError` when the input, kernel, stride or dilation is below 1,
    /// the padding is negative, or the kernel's span is larger than the padded
    /// input `W + 2P`.
    public static func convolutionOutputSize(input: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                                             dilation: Int = 1) throws -> Int {
        try requireWindow(input: input, window: kernel, called: "kernel size", stride: stride)
        if padding < 0 { throw KitError("the padding must not be negative, got \(padding)") }
        if dilation < 1 { throw KitError("the dilation must be at least 1, got \(dilation) (1 means no gaps)") }
        // One dimension of an image is an image one pixel wide, under a kernel one pixel wide.
        if let geometry = ConvolutionGeometry(channels: 1, height: input, width: 1, kernelHeight: kernel, kernelWidth: 1,
                                              stride: stride, padding: padding, dilation: dilation) {
            return geometry.outputHeight
        }
        let span = dilation * (kernel - 1) + 1
        let kernelText = dilation == 1 ? "the kernel (\(kernel))" : "the dilated kernel (\(dilation)·(\(kernel) − 1) + 1 = \(span))"
        throw KitError("\(kernelText) is larger than the padded input (\(input) + 2·\(padding) = \(input + 2 * padding)): "
            + "no position fits; use a smaller kernel or more padding")
    }

    /// The positions of a pooling window along one dimension of the input:
    /// `⌊(W − F) / S⌋ + 1`, a convolution's count without padding or dilation.
    ///
    /// Throws a `KitError` when the input, window or stride is below 1, or the
    /// window is larger than the input.
    public static func poolingOutputSize(input: Int, window: Int, stride: Int) throws -> Int {
        try requireWindow(input: input, window: window, called: "window", stride: stride)
        if window > input { throw KitError("the window (\(window)) is larger than the input (\(input)): no position fits") }
        return try convolutionOutputSize(input: input, kernel: window, stride: stride)
    }

    /// The parameters of a convolution layer: `K` kernels of `F·F·C` weights and
    /// one bias each, `(F·F·C + 1)·K`.
    public static func convolutionParameterCount(kernel: Int, inputChannels: Int, filters: Int) -> Int {
        let weightsPerKernel = kernel * kernel * inputChannels
        return filters * weightsPerKernel + filters
    }

    /// The parameters of a dense layer: an `M × N` weight matrix and `N` biases, `(M + 1)·N`.
    public static func denseParameterCount(inputs: Int, outputs: Int) -> Int {
        outputs * inputs + outputs
    }

    /// The multiply-accumulates of a convolution on one example: `H′·W′·K`
    /// outputs, each a dot product of `F·F·C` terms.
    public static func convolutionMultiplyAccumulates(kernel: Int, inputChannels: Int, filters: Int,
                                                      outputHeight: Int, outputWidth: Int) -> Int {
        let outputs = outputHeight * outputWidth * filters
        let termsPerOutput = kernel * kernel * inputChannels
        return outputs * termsPerOutput
    }

    /// The multiply-accumulates of a dense layer on one example: `N` outputs,
    /// each a dot product of `M` terms, `M·N`.
    public static func denseMultiplyAccumulates(inputs: Int, outputs: Int) -> Int {
        outputs * inputs
    }

    /// The checks a kernel and a pooling window share, in the order they are
    /// reported: the input size, the window's size, the stride.
    private static func requireWindow(input: Int, window: Int, called name: String, stride: Int) throws {
        if input < 1 { throw KitError("the input size must be at least 1, got \(input)") }
        if window < 1 { throw KitError("the \(name) must be at least 1, got \(window)") }
        if stride < 1 { throw KitError("the stride must be at least 1, got \(stride): a window must move forward") }
    }
}
