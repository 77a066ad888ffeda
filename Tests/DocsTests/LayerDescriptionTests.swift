import Foundation
import NeuralKit
import Solutions
import Testing

/// The course's layers describe themselves (output shape, parameters,
/// multiply-accumulates, name) and carry their training mode: `kit summary`
/// and `setTraining(_:)` rely on both, for the reference and for the stubs
/// (the code is given, the same in both).
@Suite("Layers · descriptions and training mode")
struct LayerDescriptionTests {
    /// Each course layer with a random batch it takes: batch 3, images not square.
    static func layersWithInputs() -> [(any Layer, Tensor)] {
        var generator = SeededGenerator(seed: 14)
        func batch(_ shape: [Int]) -> Tensor { Tensor.normal(shape: shape, standardDeviation: 1, using: &generator) }
        let image = [3, 2, 9, 7]
        return [
            (Dense(inputs: 5, outputs: 4, initialization: .heNormal, using: &generator), batch([3, 5])),
            (Conv2D(inputChannels: 2, filters: 3, kernel: 3, using: &generator), batch(image)),
            (Conv2D(inputChannels: 2, filters: 3, kernel: 3, stride: 2, padding: 1, using: &generator), batch(image)),
            (
                Conv2D(inputChannels: 2, filters: 4, kernel: 2, stride: 1, padding: 2, dilation: 2, using: &generator),
                batch(image)
            ),
            (Conv2D(weight: batch([3, 2, 3, 2]), bias: batch([3]), stride: 2), batch(image)),
            (MaxPool2D(window: 2), batch(image)),
            (MaxPool2D(window: 3, stride: 1), batch(image)),
            (AvgPool2D(window: 2, stride: 3), batch(image)),
            (Flatten(), batch(image)),
            (ReLU(), batch(image)), (Sigmoid(), batch(image)), (Tanh(), batch(image)),
            (Dropout(rate: 0.5, seed: 1), batch(image)),
            (ResidualBlock(channels: 2, using: &generator), batch(image)),
            (TwoLayerNetwork(inputs: 5, hidden: 6, outputs: 4, using: &generator), batch([3, 5])),
            (MultilayerNetwork(sizes: [5, 7, 6, 4], using: &generator), batch([3, 5])),
            (LeNet5(imageSize: 16, classes: 10, using: &generator), batch([3, 1, 16, 16])),
            (
                LeNet5(
                    body: Sequential(
                        Conv2D(inputChannels: 2, filters: 3, kernel: 3, using: &generator), ReLU(),
                        MaxPool2D(window: 2), Flatten(), Dense(inputs: 3 * 3 * 2, outputs: 5))),
                batch(image)
            ),
        ]
    }

    @Test("every layer's outputShape is the shape its forward returns, on a batch of 3 non-square images")
    func outputShapeIsForwardsShape() throws {
        for (layer, input) in Self.layersWithInputs() {
            let (output, problems) = Problems.collect { layer.forward(input) }
            #expect(problems.isEmpty, "\(layer) on \(input.shape): \(problems.map(\.message))")
            #expect(try layer.outputShape(for: input.shape) == output.shape, "\(layer) on \(input.shape)")
        }
    }

    @Test("parameters and multiply-accumulates agree with stage 10's formulas, per example times the batch")
    func countsAgreeWithTheFormulas() throws {
        var generator = SeededGenerator(seed: 1)
        let conv = Conv2D(inputChannels: 3, filters: 8, kernel: 5, stride: 2, padding: 1, using: &generator)
        let (h, w) = (
            try convolutionOutputSize(input: 17, kernel: 5, stride: 2, padding: 1),
            try convolutionOutputSize(input: 12, kernel: 5, stride: 2, padding: 1)
        )
        #expect(conv.parameterCount == convolutionParameterCount(kernel: 5, inputChannels: 3, filters: 8))
        #expect(
            try conv.multiplyAccumulates(for: [4, 3, 17, 12])
                == 4
                * convolutionMultiplyAccumulates(
                    kernel: 5, inputChannels: 3, filters: 8, outputHeight: h, outputWidth: w))
        let dense = Dense(inputs: 30, outputs: 7)
        #expect(dense.parameterCount == denseParameterCount(inputs: 30, outputs: 7))
        #expect(try dense.multiplyAccumulates(for: [4, 30]) == 4 * denseMultiplyAccumulates(inputs: 30, outputs: 7))
        #expect(try MaxPool2D(window: 2).multiplyAccumulates(for: [4, 3, 8, 8]) == 0)
    }

    @Test("descriptions name the layer's sizes, and the options that are not the defaults")
    func descriptions() {
        var generator = SeededGenerator(seed: 4)
        #expect(Conv2D(inputChannels: 1, filters: 6, kernel: 5, using: &generator).description == "conv 5×5, 6 filters")
        #expect(
            Conv2D(inputChannels: 3, filters: 8, kernel: 3, stride: 2, padding: 1, dilation: 2, using: &generator)
                .description == "conv 3×3, 8 filters, stride 2, padding 1, dilation 2")
        #expect(MaxPool2D(window: 3, stride: 1).description == "max pool 3×3, stride 1")
        #expect(AvgPool2D(window: 2).description == "average pool 2×2, stride 2")
        #expect(Dense(inputs: 84, outputs: 10).description == "dense 10")
        #expect(Dropout(rate: 0.25).description == "dropout 0.25")
        #expect(ReLU().description == "relu" && Flatten().description == "flatten")
    }

    @Test("an input a layer cannot take throws a KitError that says why, instead of crashing")
    func impossibleInputsThrow() {
        var generator = SeededGenerator(seed: 2)
        let conv = Conv2D(inputChannels: 1, filters: 2, kernel: 5, padding: 1, using: &generator)
        #expect(throws: KitError.self) { try conv.outputShape(for: [1, 1, 2, 9]) } // 5 > 2 + 2·1
        #expect(throws: KitError.self) { try conv.outputShape(for: [1, 3, 9, 9]) } // 3 channels, not 1
        #expect(throws: KitError.self) { try MaxPool2D(window: 3).outputShape(for: [1, 1, 2, 8]) }
        #expect(throws: KitError.self) { try Dense(inputs: 4, outputs: 2).outputShape(for: [1, 2, 2]) }
        #expect(throws: KitError.self) { try Flatten().outputShape(for: []) }
        let block = ResidualBlock(
            first: Conv2D(inputChannels: 2, filters: 3, kernel: 3, padding: 1, using: &generator),
            second: Conv2D(inputChannels: 3, filters: 3, kernel: 3, padding: 1, using: &generator))
        #expect(throws: KitError.self) { try block.outputShape(for: [1, 2, 6, 6]) } // 3 channels cannot add to 2
        do {
            _ = try LeNet5(imageSize: 28, classes: 10, using: &generator).summary(for: [1, 1, 8, 8])
            Issue.record("LeNet-5 on an 8×8 image should throw")
        } catch {
            #expect("\(error)".contains("fits nowhere"), "\(error)")
        }
    }

    @Test("setTraining reaches a Dropout two containers deep, and Dropout honours it")
    func trainingModeReachesNestedDropout() throws {
        let dropout = Dropout(rate: 0.5, seed: 3)
        let model = LeNet5(body: Sequential(Flatten(), Sequential(ReLU(), dropout)))
        let input = Tensor(ones: [2, 1, 5, 5])
        model.setTraining(false)
        #expect(!dropout.isTraining)
        #expect(model.forward(input) == input.flattenedBatch())
        model.setTraining(true)
        #expect(dropout.isTraining)
        #expect(model.forward(input).scalars.contains(0))
        #expect(model.evaluating { model.forward(input) } == input.flattenedBatch() && dropout.isTraining)
    }

    @Test("LeNet-5's summary is the table of docs/formulas.md, row by row: 44,426 parameters")
    func leNetSummaryMatchesTheDocs() throws {
        var generator = SeededGenerator(seed: 0)
        let leNet = LeNet5(imageSize: 28, classes: 10, using: &generator)
        let rows = try leNet.summary(for: [1, 1, 28, 28])
        #expect(rows.reduce(0) { $0 + $1.parameterCount } == 44_426 && leNet.parameterCount == 44_426)
        #expect(rows.reduce(0) { $0 + $1.multiplyAccumulates } == 281_640)
        #expect(rows.reduce(0) { $0 + $1.outputShape.reduce(1, *) } == 10_754)
        let table = Self.docsLeNetTable()
        #expect(table.count == rows.count, "formulas.md's LeNet-5 table has \(table.count) layer rows")
        for (cells, row) in zip(table, rows) {
            let actual = [
                row.name, row.outputShape.dropFirst().map(String.init).joined(separator: "×"),
                grouped(row.outputShape.reduce(1, *)), grouped(row.parameterCount),
                grouped(row.multiplyAccumulates),
            ]
            #expect(cells == actual)
        }
    }

    @Test("docs/10's LeNet-5 on 32×32 images has the 61,706 parameters it states")
    func leNetOn32By32MatchesTheDocs() throws {
        var generator = SeededGenerator(seed: 0)
        #expect(LeNet5(imageSize: 32, classes: 10, using: &generator).parameterCount == 61_706)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(
            contentsOf: root.appendingPathComponent("docs/10-convolutional-network.md"), encoding: .utf8)
        let flowing = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        #expect(flowing.contains("`--image-size 32` gives 61,706 parameters"))
    }

    /// The layer rows of formulas.md's LeNet-5 table (without `input` and `total`), cell by cell.
    static func docsLeNetTable() -> [[String]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = (try? String(contentsOf: root.appendingPathComponent("docs/formulas.md"), encoding: .utf8)) ?? ""
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("layer ") && $0.contains("multiply-accumulates") })
        else { return [] }
        return lines[(start + 2)...].prefix { !$0.hasPrefix("total") && !$0.hasPrefix("```") }.map { line in
            line.components(separatedBy: "   ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }
}
