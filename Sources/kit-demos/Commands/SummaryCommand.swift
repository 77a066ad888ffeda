import NeuralKit
import Solutions

// `kit summary lenet|mlp`: a model's per-layer table (output shape,
// activations, parameters, multiply-accumulates) with totals, like the
// lecture's LeNet table and Keras' `model.summary()`. The numbers come from
// the reference's shape arithmetic (Solutions/10-ConvolutionalNetwork/ShapeArithmetic.swift).

/// Runs `kit summary` with the arguments after `summary`; prints to stdout and returns the exit status.
func runSummaryCommand(_ arguments: [String]) -> Int32 {
    let usage = """
        usage: kit summary lenet [--image-size 28] [--classes 10]
               kit summary mlp [--sizes 784,100,10]
        """
    guard let model = arguments.first else { print(usage); return 1 }
    var options: [String: String] = [:]
    var i = 1
    while i + 1 < arguments.count, arguments[i].hasPrefix("--") {
        options[String(arguments[i].dropFirst(2))] = arguments[i + 1]
        i += 2
    }
    guard i == arguments.count else { print("error: unexpected '\(arguments[i...].joined(separator: " "))'\n\(usage)"); return 1 }
    var generator = SeededGenerator(seed: 0)
    do {
        switch model {
        case "lenet", "lenet5", "LeNet-5":
            let size = Int(options["image-size"] ?? "28") ?? -1, classes = Int(options["classes"] ?? "10") ?? -1
            guard size >= 16, classes >= 1 else {
                throw KitError("LeNet-5 needs --image-size of at least 16 (two 5×5 convolutions and two poolings) and --classes of at least 1")
            }
            let network = Solutions.LeNet5(imageSize: size, classes: classes, using: &generator)
            print("LeNet-5 on a 1×\(size)×\(size) image")
            for line in try summaryTable(network.body.layers, input: [1, size, size]) { print(line) }
        case "mlp":
            let sizes = (options["sizes"] ?? "784,100,10").split(separator: ",").compactMap { Int($0) }
            guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }) else {
                throw KitError("--sizes must be at least two positive sizes separated by commas, such as 784,100,10")
            }
            let network = Solutions.MultilayerNetwork(sizes: sizes, using: &generator)
            print("Multilayer perceptron \(sizes.map(String.init).joined(separator: " → "))")
            for line in try summaryTable(network.body.layers, input: [sizes[0]]) { print(line) }
        default:
            throw KitError("unknown model '\(model)': use lenet or mlp")
        }
        return 0
    } catch {
        print("error: \(error)\n\(usage)")
        return 1
    }
}

/// The table's lines: one row per layer from the shape of one example (without the batch).
func summaryTable(_ layers: [any Layer], input: [Int]) throws -> [String] {
    var rows: [[String]] = [["layer", "output", "activations", "parameters", "multiply-accumulates"]]
    var shape = input
    var totals = (activations: 0, parameters: 0, macs: 0)
    rows.append(["input", shapeText(shape), groupedDigits(shape.reduce(1, *)), "0", "0"])
    for layer in layers {
        let name: String
        var parameters = 0, macs = 0
        switch layer {
        case let conv as Solutions.Conv2D:
            let ws = conv.weight.value.shape
            guard shape.count == 3, ws.count == 4, ws[1] == shape[0], ws[2] == ws[3] else {
                throw KitError("a convolution with kernels \(ws) does not fit an input of shape \(shapeText(shape))")
            }
            let h = try Solutions.convolutionOutputSize(input: shape[1], kernel: ws[2], stride: conv.stride, padding: conv.padding, dilation: conv.dilation)
            let w = try Solutions.convolutionOutputSize(input: shape[2], kernel: ws[3], stride: conv.stride, padding: conv.padding, dilation: conv.dilation)
            name = "conv \(ws[2])×\(ws[3]), \(ws[0]) filters" + (conv.stride == 1 ? "" : ", stride \(conv.stride)")
                + (conv.padding == 0 ? "" : ", padding \(conv.padding)")
            parameters = Solutions.convolutionParameterCount(kernel: ws[2], inputChannels: shape[0], filters: ws[0])
            macs = Solutions.convolutionMultiplyAccumulates(kernel: ws[2], inputChannels: shape[0], filters: ws[0], outputHeight: h, outputWidth: w)
            shape = [ws[0], h, w]
        case let pool as Solutions.MaxPool2D:
            guard shape.count == 3 else { throw KitError("max pooling needs channels×height×width, got \(shapeText(shape))") }
            name = "max pool \(pool.window)×\(pool.window), stride \(pool.stride)"
            shape = [shape[0], try Solutions.poolingOutputSize(input: shape[1], window: pool.window, stride: pool.stride),
                     try Solutions.poolingOutputSize(input: shape[2], window: pool.window, stride: pool.stride)]
        case let pool as Solutions.AvgPool2D:
            guard shape.count == 3 else { throw KitError("average pooling needs channels×height×width, got \(shapeText(shape))") }
            name = "avg pool \(pool.window)×\(pool.window), stride \(pool.stride)"
            shape = [shape[0], try Solutions.poolingOutputSize(input: shape[1], window: pool.window, stride: pool.stride),
                     try Solutions.poolingOutputSize(input: shape[2], window: pool.window, stride: pool.stride)]
        case is Solutions.Flatten:
            name = "flatten"
            shape = [shape.reduce(1, *)]
        case let dense as Solutions.Dense:
            let ws = dense.weight.value.shape
            guard shape.count == 1, ws.count == 2, ws[0] == shape[0] else {
                throw KitError("a dense layer with weight \(ws) does not fit an input of shape \(shapeText(shape))")
            }
            name = "dense \(ws[1])"
            parameters = Solutions.denseParameterCount(inputs: ws[0], outputs: ws[1])
            macs = Solutions.denseMultiplyAccumulates(inputs: ws[0], outputs: ws[1])
            shape = [ws[1]]
        case is Solutions.ReLU:
            name = "relu"
        default:
            name = "\(type(of: layer))".lowercased()
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
