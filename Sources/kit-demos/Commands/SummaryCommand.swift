import Exercises
import Foundation
import KitCommandLine
import NeuralKit

// `kit summary lenet|mlp|alexnet|vgg16|resnet50`: a model's per-layer table (output shape,
// activations, parameters, multiply-accumulates) with totals, like the lecture's LeNet table and
// Keras' `model.summary()`. For LeNet-5 and the MLP it builds the model (the reference's; the
// student's in the student edition) and walks its layers, each of which describes itself (given
// code in every edition), so the table is the real model's. The lectures' large networks are
// described by their sizes (`PublishedArchitecture`), without allocating their weights.

/// Runs `kit summary` with its arguments (`CommandDeclaration.summary`); prints to stdout and returns the exit status.
func runSummaryCommand(_ arguments: Arguments) -> Int32 {
    guard let model = arguments.positionals.first else {
        return CommandDeclaration.summary.reportUsageError("which model? \(summaryModels)")
    }
    let options = arguments.options
    do {
        switch model {
        case "lenet", "lenet5", "LeNet-5":
            let size = arguments.integer("image-size") ?? 28
            let classes = arguments.integer("classes") ?? 10
            // The table is the real model's, weights included: 256 keeps them under 60 MB.
            guard (16...256).contains(size), (1...10_000).contains(classes) else {
                throw UsageError(
                    "LeNet-5 needs --image-size from 16 (two 5×5 convolutions and two poolings) to 256, "
                        + "and --classes from 1 to 10000")
            }
            print("LeNet-5 on a 1×\(size)×\(size) image")
            let model = try SummaryModel.leNet5(imageSize: size, classes: classes)
            for line in try summaryTable(model.summary(for: [1, 1, size, size])) { print(line) }
        case "mlp":
            let words = (options["sizes"] ?? "784,100,10").split(separator: ",", omittingEmptySubsequences: false)
            let sizes = words.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard sizes.count == words.count, sizes.count >= 2, sizes.allSatisfy({ (1...100_000).contains($0) }) else {
                throw UsageError(
                    "--sizes must be at least two sizes from 1 to 100000 separated by commas, such as 784,100,10")
            }
            print("Multilayer perceptron \(sizes.map(String.init).joined(separator: " → "))")
            let model = SummaryModel.multilayerPerceptron(sizes: sizes)
            for line in try summaryTable(model.summary(for: [1, sizes[0]])) { print(line) }
        default:
            guard let architecture = PublishedArchitecture.all.first(where: { $0.name == model }) else {
                throw UsageError("unknown model '\(model)': use \(summaryModels)")
            }
            let size = arguments.integer("image-size") ?? 224
            let classes = arguments.integer("classes") ?? 1000
            // Only the formulas judge the size; the cap keeps the counts far from overflowing.
            guard (1...4096).contains(size), (1...100_000).contains(classes) else {
                throw UsageError("--image-size must be from 1 to 4096, and --classes from 1 to 100000")
            }
            let rows = try architecture.summary(size: size, classes: classes)
            print("\(architecture.title) on a 3×\(size)×\(size) image")
            print(
                "published: \(groupedDigits(architecture.publishedParameters)) parameters for 1000 classes "
                    + "(\(architecture.source))")
            for line in summaryTable(rows) { print(line) }
        }
        return ExitStatus.success
    } catch let error as UsageError {
        return CommandDeclaration.summary.reportUsageError("\(error)")
    } catch {
        FileHandle.standardError.write(Data("kit summary: \(error)\n".utf8))
        return ExitStatus.failure
    }
}

/// The models `kit summary` knows, for its messages.
private let summaryModels = "lenet, mlp, " + PublishedArchitecture.all.map(\.name).joined(separator: ", ")

/// The models `kit summary` describes: the reference's, or the student's in the student edition.
enum SummaryModel {
    // The reference's own layers, which describe themselves (not the fast versions `kit train`
    // runs, which only compute), or the student's code in the student edition (which has no reference).
    #if NEURALKIT_NO_REFERENCE
    private static func builtLeNet5(_ size: Int, _ classes: Int, _ generator: inout SeededGenerator) throws
        -> any Classifier
    {
        try TrainingCode.student.makeLeNet(size, classes, &generator)
    }

    private static func builtNetwork(_ sizes: [Int], _ generator: inout SeededGenerator) throws -> any Classifier {
        try TrainingCode.student.makeNetwork(sizes[0], sizes[1], sizes[2], &generator)
    }
    #else
    private static func builtLeNet5(_ size: Int, _ classes: Int, _ generator: inout SeededGenerator) throws
        -> any Classifier
    {
        TrainingCode.readableLeNet5(size, classes, &generator)
    }

    private static func builtNetwork(_ sizes: [Int], _ generator: inout SeededGenerator) throws -> any Classifier {
        TrainingCode.readableNetwork(sizes[0], sizes[1], sizes[2], &generator)
    }
    #endif

    /// LeNet-5 (stage 10). Until the student's `LeNet5.init` runs, the lectures' LeNet-5 made of
    /// the student's layers, whose initializers and descriptions are given code: conv 6@5×5, ReLU,
    /// max pool 2, conv 16@5×5, ReLU, max pool 2, flatten, dense 120, ReLU, dense 84, ReLU, dense `classes`.
    static func leNet5(imageSize: Int, classes: Int) throws -> any Layer {
        var generator = SeededGenerator(seed: 0)
        if let network = try? builtLeNet5(imageSize, classes, &generator) as? any Layer { return network }
        print("Your LeNet5.init (stage 10) does not run yet: this is the lectures' LeNet-5, built from your layers.")
        let features = Sequential(
            Conv2D(inputChannels: 1, filters: 6, kernel: 5, using: &generator), ReLU(), MaxPool2D(window: 2),
            Conv2D(inputChannels: 6, filters: 16, kernel: 5, using: &generator), ReLU(), MaxPool2D(window: 2), Flatten()
        )
        let flattened = try features.outputShape(for: [1, 1, imageSize, imageSize])[1]
        let classifier: [any Layer] = [
            Dense(inputs: flattened, outputs: 120), ReLU(), Dense(inputs: 120, outputs: 84),
            ReLU(), Dense(inputs: 84, outputs: classes),
        ]
        return Sequential(features.layers + classifier)
    }

    /// Dense layers from each size to the next with a ReLU between two of them: stage 4's
    /// `TwoLayerNetwork` for three sizes, once the student's runs; a `Sequential` of them otherwise.
    static func multilayerPerceptron(sizes: [Int]) -> any Layer {
        var generator = SeededGenerator(seed: 0)
        if sizes.count == 3,
            let network = try? builtNetwork(sizes, &generator) as? any Layer
        {
            return network
        }
        let dense = zip(sizes, sizes.dropFirst()).map { Dense(inputs: $0, outputs: $1) }
        return Sequential(
            dense.enumerated().flatMap { position, layer -> [any Layer] in
                position == 0 ? [layer] : [ReLU(), layer]
            })
    }
}

/// The table's lines: the input, one row per layer of a summary for a batch of one, and the totals.
func summaryTable(_ layers: [LayerSummary]) -> [String] {
    var rows: [[String]] = [["layer", "output", "activations", "parameters", "multiply-accumulates"]]
    var totals = (activations: 0, parameters: 0, macs: 0)
    let input = Array((layers.first?.inputShape ?? []).dropFirst())
    rows.append(["input", shapeText(input), groupedDigits(input.reduce(1, *)), "0", "0"])
    for layer in layers {
        let shape = Array(layer.outputShape.dropFirst())
        let activations = shape.reduce(1, *)
        totals.activations += activations
        totals.parameters += layer.parameterCount
        totals.macs += layer.multiplyAccumulates
        rows.append([
            layer.name, shapeText(shape), groupedDigits(activations), groupedDigits(layer.parameterCount),
            groupedDigits(layer.multiplyAccumulates),
        ])
    }
    rows.append([
        "total", "", groupedDigits(totals.activations), groupedDigits(totals.parameters), groupedDigits(totals.macs),
    ])
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
