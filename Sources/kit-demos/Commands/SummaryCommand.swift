import KitCommandLine
import NeuralKit

// `kit summary lenet|mlp`: a model's per-layer table (output shape,
// activations, parameters, multiply-accumulates) with totals, like the
// lecture's LeNet table and Keras' `model.summary()`. The table comes from a
// description of the architecture (each layer's kind and sizes) and the
// lectures' formulas (`LayerFormulas`); no network is built, so it works before
// stage 10 is written, and in the student edition.

/// Runs `kit summary` with its arguments (`CommandDeclaration.summary`); prints to stdout and returns the exit status.
func runSummaryCommand(_ arguments: Arguments) -> Int32 {
    let usage = CommandDeclaration.summary.help
    guard let model = arguments.positionals.first else { print(usage); return ExitStatus.usage }
    let options = arguments.options
    do {
        switch model {
        case "lenet", "lenet5", "LeNet-5":
            let size = Int(options["image-size"] ?? "28") ?? -1, classes = Int(options["classes"] ?? "10") ?? -1
            guard size >= 16, classes >= 1 else {
                throw KitError("LeNet-5 needs --image-size of at least 16 (two 5×5 convolutions and two poolings) and --classes of at least 1")
            }
            print("LeNet-5 on a 1×\(size)×\(size) image")
            for line in try summaryTable(ModelLayer.leNet5(classes: classes), input: [1, size, size]) { print(line) }
        case "mlp":
            let sizes = (options["sizes"] ?? "784,100,10").split(separator: ",").compactMap { Int($0) }
            guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }) else {
                throw KitError("--sizes must be at least two positive sizes separated by commas, such as 784,100,10")
            }
            print("Multilayer perceptron \(sizes.map(String.init).joined(separator: " → "))")
            for line in try summaryTable(ModelLayer.multilayerPerceptron(sizes: sizes), input: [sizes[0]]) { print(line) }
        default:
            throw UsageError("unknown model '\(model)': use lenet or mlp")
        }
        return ExitStatus.success
    } catch {
        print("error: \(error)\n\(usage)")
        return error is UsageError ? ExitStatus.usage : ExitStatus.failure
    }
}

/// One layer of a model as the lecture's tables describe it: its kind and its
/// sizes. The input's size comes from the layer before.
enum ModelLayer {
    case convolution(filters: Int, kernel: Int)
    /// A max pooling window moving by its own size.
    case maxPool(window: Int)
    case flatten
    case dense(outputs: Int)
    case relu

    /// LeNet-5 (stage 10): conv 6@5×5, ReLU, max pool 2, conv 16@5×5, ReLU, max pool 2,
    /// flatten, dense 120, ReLU, dense 84, ReLU, dense `classes`.
    static func leNet5(classes: Int) -> [ModelLayer] {
        [.convolution(filters: 6, kernel: 5), .relu, .maxPool(window: 2),
         .convolution(filters: 16, kernel: 5), .relu, .maxPool(window: 2),
         .flatten, .dense(outputs: 120), .relu, .dense(outputs: 84), .relu, .dense(outputs: classes)]
    }

    /// The multilayer perceptron of `sizes` (stage 4's network when there are three): dense
    /// layers from each size to the next, with a ReLU between two of them.
    static func multilayerPerceptron(sizes: [Int]) -> [ModelLayer] {
        sizes.dropFirst().enumerated().flatMap { position, units in
            position == 0 ? [ModelLayer.dense(outputs: units)] : [.relu, .dense(outputs: units)]
        }
    }
}

/// The table's lines: one row per layer from the shape of one example (without the batch).
func summaryTable(_ layers: [ModelLayer], input: [Int]) throws -> [String] {
    var rows: [[String]] = [["layer", "output", "activations", "parameters", "multiply-accumulates"]]
    var shape = input
    var totals = (activations: 0, parameters: 0, macs: 0)
    rows.append(["input", shapeText(shape), groupedDigits(shape.reduce(1, *)), "0", "0"])
    for layer in layers {
        let name: String
        var parameters = 0, macs = 0
        switch layer {
        case let .convolution(filters, kernel):
            guard shape.count == 3 else { throw KitError("a convolution needs channels×height×width, got \(shapeText(shape))") }
            let height = try LayerFormulas.convolution(size: shape[1], kernel: kernel, stride: 1, padding: 0, dilation: 1)
            let width = try LayerFormulas.convolution(size: shape[2], kernel: kernel, stride: 1, padding: 0, dilation: 1)
            name = "conv \(kernel)×\(kernel), \(filters) filters"
            parameters = LayerFormulas.convolutionParameters(kernel: kernel, channels: shape[0], filters: filters)
            macs = LayerFormulas.convolutionProducts(kernel: kernel, channels: shape[0], filters: filters, height: height, width: width)
            shape = [filters, height, width]
        case let .maxPool(window):
            guard shape.count == 3 else { throw KitError("max pooling needs channels×height×width, got \(shapeText(shape))") }
            name = "max pool \(window)×\(window), stride \(window)"
            shape = [shape[0], try LayerFormulas.pooling(size: shape[1], window: window, stride: window),
                     try LayerFormulas.pooling(size: shape[2], window: window, stride: window)]
        case .flatten:
            name = "flatten"
            shape = [shape.reduce(1, *)]
        case let .dense(outputs):
            guard shape.count == 1 else { throw KitError("a dense layer needs a flat input, got \(shapeText(shape)): flatten it first") }
            name = "dense \(outputs)"
            parameters = LayerFormulas.denseParameters(inputs: shape[0], outputs: outputs)
            macs = LayerFormulas.denseProducts(inputs: shape[0], outputs: outputs)
            shape = [outputs]
        case .relu:
            name = "relu"
        }
        let activations = shape.reduce(1, *)
        totals.activations += activations
        totals.parameters += parameters
        totals.macs += macs
        rows.append([name, shapeText(shape), groupedDigits(activations), groupedDigits(parameters), groupedDigits(macs)])
    }
    rows.append(["total", "", groupedDigits(totals.activations), groupedDigits(totals.parameters), groupedDigits(totals.macs)])
    // Names and shapes left-aligned, numbers right-aligned.
    let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, text in
            let pad = String(repeating: " ", count: widths[column] - text.count)
            return column < 2 ? text + pad : pad + text
        }.joined(separator: "   ").trimmingTrailingSpaces()
    }
}

/// `[6, 24, 24]` → `6×24×24`.
private func shapeText(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "×") }

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
