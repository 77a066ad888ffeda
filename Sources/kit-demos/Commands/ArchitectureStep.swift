import NeuralKit

/// One step of a `PublishedArchitecture`, described by its sizes: what it does to a shape
/// `[batch, channels, height, width]`, how many parameters it learns and its multiply-accumulates.
/// A step folds in the ReLU (and batch normalization) that follows it, so a table row is a layer as
/// the papers count them.
enum ArchitectureStep: Sendable {
    /// `filters` kernels of `kernel`×`kernel`, then a ReLU. With `batchNorm`, the convolution has no bias
    /// and the normalization learns a scale and a shift per channel.
    case convolution(filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0, batchNorm: Bool = false)
    case maxPool(window: Int, stride: Int, padding: Int = 0)
    /// Averages each channel down to `to`×`to` (PyTorch's adaptive average pooling; 1 is a global average).
    case averagePool(to: Int)
    case flatten
    /// A dense layer, then a ReLU unless it is the last.
    case dense(outputs: Int, relu: Bool = true)
    /// ResNet's bottleneck block: 1×1 convolution to `width` channels, 3×3 (with the stride), 1×1 to
    /// 4·`width`, each with batch normalization; a 1×1 projection (with its normalization) on the
    /// shortcut when the shape changes; a ReLU after the sum.
    case bottleneck(width: Int, stride: Int)

    /// The step's row for an input of `shape` (batch included), or why the input does not fit.
    func summary(for shape: [Int]) throws -> LayerSummary {
        let (batch, channels) = (shape[0], shape.count > 1 ? shape[1] : 0)
        let row = { (name: String, output: [Int], parameters: Int, macs: Int) in
            LayerSummary(
                name: name, inputShape: shape, outputShape: output, parameterCount: parameters,
                multiplyAccumulates: macs)
        }
        switch self {
        case .convolution(let filters, let kernel, let stride, let padding, let batchNorm):
            let output = try Self.convolved(shape, filters: filters, kernel: kernel, stride: stride, padding: padding)
            let name = Self.convolutionName(filters, kernel, stride, padding) + (batchNorm ? " + batch norm" : "")
            return row(
                name + " + ReLU", output,
                Self.convolutionParameters(kernel: kernel, channels: channels, filters: filters, batchNorm: batchNorm),
                Self.convolutionProducts(kernel: kernel, channels: channels, output: output))
        case .maxPool(let window, let stride, let padding):
            let output =
                try [batch, channels]
                + [2, 3].map { axis in
                    try windowPositions(
                        size: shape[axis], span: window, stride: stride, padding: padding, layer: "max pool")
                }
            let name = "max pool \(window)×\(window), stride \(stride)" + (padding == 0 ? "" : ", padding \(padding)")
            return row(name, output, 0, 0)
        case .averagePool(let size):
            return row("average pool to \(size)×\(size)", [batch, channels, size, size], 0, 0)
        case .flatten:
            return row("flatten", [batch, shape.dropFirst().reduce(1, *)], 0, 0)
        case .dense(let outputs, let relu):
            return row(
                "dense \(outputs)" + (relu ? " + ReLU" : ""), [batch, outputs],
                LayerFormulas.denseParameters(inputs: channels, outputs: outputs),
                LayerFormulas.denseProducts(inputs: channels, outputs: outputs))
        case .bottleneck(let width, let stride):
            return try Self.bottleneck(shape, width: width, stride: stride)
        }
    }

    /// `conv 3×3, 64 filters, padding 1`, as the kit's `Conv2D` describes itself.
    private static func convolutionName(_ filters: Int, _ kernel: Int, _ stride: Int, _ padding: Int) -> String {
        "conv \(kernel)×\(kernel), \(filters) filters" + (stride == 1 ? "" : ", stride \(stride)")
            + (padding == 0 ? "" : ", padding \(padding)")
    }

    /// (F·F·C + 1)·K; with batch normalization the bias is dropped, and the normalization's shift
    /// (which takes its place) and scale add two per filter: K more in all.
    private static func convolutionParameters(kernel: Int, channels: Int, filters: Int, batchNorm: Bool) -> Int {
        LayerFormulas.convolutionParameters(kernel: kernel, channels: channels, filters: filters)
            + (batchNorm ? filters : 0)
    }

    private static func convolutionProducts(kernel: Int, channels: Int, output: [Int]) -> Int {
        LayerFormulas.convolutionProducts(
            kernel: kernel, channels: channels, filters: output[1], height: output[2], width: output[3])
    }

    private static func convolved(_ shape: [Int], filters: Int, kernel: Int, stride: Int, padding: Int) throws
        -> [Int]
    {
        guard shape.count == 4 else {
            throw KitError("a convolution takes [batch, channels, height, width], not \(shape)")
        }
        let sizes = try [2, 3].map { axis in
            try windowPositions(
                size: shape[axis], span: kernel, stride: stride, padding: padding,
                layer: convolutionName(filters, kernel, stride, padding))
        }
        return [shape[0], filters] + sizes
    }

    private static func bottleneck(_ shape: [Int], width: Int, stride: Int) throws -> LayerSummary {
        // (filters, kernel, stride, padding) of the main path, each followed by batch normalization.
        var path = [(width, 1, 1, 0), (width, 3, stride, 1), (4 * width, 1, 1, 0)]
        let output = try path.reduce(shape) {
            try convolved($0, filters: $1.0, kernel: $1.1, stride: $1.2, padding: $1.3)
        }
        let projected = output != shape
        if projected { path.append((4 * width, 1, stride, 0)) }
        var (parameters, macs, input) = (0, 0, shape)
        for (index, (filters, kernel, stride, padding)) in path.enumerated() {
            // The projection reads the block's input, not the path's last output.
            if index == 3 { input = shape }
            let convolvedShape = try convolved(
                input, filters: filters, kernel: kernel, stride: stride, padding: padding)
            parameters += convolutionParameters(kernel: kernel, channels: input[1], filters: filters, batchNorm: true)
            macs += convolutionProducts(kernel: kernel, channels: input[1], output: convolvedShape)
            input = convolvedShape
        }
        let name =
            "bottleneck \(width), \(width), \(4 * width)" + (stride == 1 ? "" : ", stride \(stride)")
            + (projected ? " + projection" : "")
        return LayerSummary(
            name: name, inputShape: shape, outputShape: output, parameterCount: parameters, multiplyAccumulates: macs)
    }
}
