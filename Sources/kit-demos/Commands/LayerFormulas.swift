import NeuralKit

/// The lectures' formulas for one layer (docs/formulas.md), which `kit shape` prints with their
/// numbers, and with a reason for each impossible combination: a calculator, the same in both
/// editions. (`kit summary` asks the layers themselves, whose given code uses the core's
/// `windowPositions`, as these do; for the lectures' large networks, `ArchitectureStep` uses these.)
enum LayerFormulas {
    /// The output size along one dimension of a convolution, ⌊(W − F′ + 2P) / S⌋ + 1 with
    /// F′ = D(F − 1) + 1, or why there is none.
    static func convolution(size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) throws -> Int {
        let reasons = [
            (size < 1, "an input of \(size) pixels has nothing to slide over"),
            (kernel < 1, "a kernel of \(kernel) pixels covers nothing"),
            (stride < 1, "a stride of \(stride) never moves the kernel forward"),
            (padding < 0, "a padding of \(padding) is negative"),
            (dilation < 1, "a dilation of \(dilation) is below 1 (1 means taps side by side)"),
        ]
        if let reason = reasons.first(where: \.0)?.1 { throw KitError(reason) }
        let span = 1 + (kernel - 1) * dilation
        let room = size + 2 * padding
        if span > room {
            throw KitError(
                "the kernel spans \(span) pixels but the padded input has \(room) (\(size) + 2·\(padding)): "
                    + "it fits nowhere; use a smaller kernel, less dilation or more padding")
        }
        return try windowPositions(size: size, span: span, stride: stride, padding: padding, layer: "the convolution")
    }

    /// The output size along one dimension of a pooling window: ⌊(W − F) / S⌋ + 1, or why there is none.
    static func pooling(size: Int, window: Int, stride: Int) throws -> Int {
        if window > size, size >= 1 {
            throw KitError("the window spans \(window) pixels but the input has \(size): it fits nowhere")
        }
        return try convolution(size: size, kernel: window, stride: stride, padding: 0, dilation: 1)
    }

    /// Weights and biases of `filters` kernels of F×F×C: (F·F·C + 1)·K.
    static func convolutionParameters(kernel: Int, channels: Int, filters: Int) -> Int {
        let perFilter = kernel * kernel * channels + 1
        return perFilter * filters
    }

    /// Weights and biases of a dense layer M → N: (M + 1)·N.
    static func denseParameters(inputs: Int, outputs: Int) -> Int { outputs * (inputs + 1) }

    /// Multiply-accumulates of a convolution on one example: H′·W′·K outputs of F·F·C products each.
    static func convolutionProducts(kernel: Int, channels: Int, filters: Int, height: Int, width: Int) -> Int {
        let outputs = height * width * filters
        return outputs * (kernel * kernel * channels)
    }

    /// Multiply-accumulates of a dense layer on one example: M·N.
    static func denseProducts(inputs: Int, outputs: Int) -> Int { outputs * inputs }
}
