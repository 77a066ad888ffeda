import Exercises
import Foundation
import KitCommandLine
import NeuralKit

/// The demos of `kit run N`: small, meaningful output from the student's own code.
/// Every piece of student code runs inside `Problems.collect`, so a stub prints
/// "not implemented yet" instead of numbers, and a shape mistake a sentence.
enum StageDemos {
    /// `kit run N`: the demo of stage N, with `--dataset`, `--reference` and `--output`.
    static func run(_ arguments: Arguments) -> Int32 {
        guard let first = arguments.positionals.first, let number = Int(first), let stage = Course.stage(number) else {
            return CommandDeclaration.run.reportUsageError("which stage? Give its number, such as `kit run 3`")
        }
        let reference = arguments.flag("reference")
        if reference, !StudentEdition.hasReference {
            let message = StudentEdition.noReference(instead: "Leave out --reference to run the demo on your code.")
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            return ExitStatus.failure
        }
        print(stage.heading + " · demo: " + stage.demo)
        print("")
        if [1, 2, 5, 6, 10].contains(stage.number) {
            print("Beside your values: the worked examples' numbers from \(stage.walkthroughPath).")
            print("")
        }
        switch stage.number {
        case 1: activations()
        case 2: denseLayer()
        case 3: initialization()
        case 4: twoLayerNetwork()
        case 5: oneHotEncoding()
        case 6: crossEntropyDemo()
        case 7:
            // With --reference only the reference's learning-rate chart: the moons demo runs the student's SGD.
            if !reference {
                sgd()
                print("")
            }
            let outputDirectory = arguments.string("output") ?? "runs/07-learning-rates"
            do {
                try runLearningRateDemo(student: !reference, outputDirectory: outputDirectory)
                if !reference {
                    print("")
                    try optimizerComparison(outputDirectory: outputDirectory)
                }
            } catch {
                print("The demo stopped: \(error)")
                return 1
            }
        case 8:
            let dataset = arguments.string("dataset").flatMap(ToyDataset.init(rawValue:)) ?? .spirals
            let outputDirectory = arguments.string("output") ?? "runs/08-\(dataset.rawValue)"
            var stopped = false
            do {
                try runToyDemo(dataset: dataset, student: !reference, outputDirectory: outputDirectory)
            } catch {
                print("The demo stopped: \(error)")
                stopped = true
            }
            // The bonuses run even when the spirals stopped: each says what it still needs.
            toyBonuses(student: !reference, outputDirectory: outputDirectory)
            if stopped { return 1 }
        case 9:
            mnist(from: arguments.dataDirectory)
            augmentation(from: arguments.dataDirectory, to: arguments.string("output") ?? "runs/09-augmentation")
        case 10:
            convolutionalNetwork(
                student: !reference, outputDirectory: arguments.string("output") ?? "runs/10-convolutional-network")
        default:
            print("The demo of stage \(stage.number) is written with the stage: coming soon.")
        }
        return 0
    }

    // MARK: Stages

    static func activations() {
        let softmax123 = [0.0900, 0.2447, 0.6652]
        show("softmax([1, 2, 3])", attempt { Exercises.softmax(Tensor([[1, 2, 3]])) }, expected: [softmax123])
        show(
            "softmax([1000, 1001, 1002])  (finite if you subtract the row's maximum)",
            attempt { Exercises.softmax(Tensor([[1000, 1001, 1002]])) }, expected: [softmax123])
        show(
            "softmax([[1, 2, 3], [1, 1, 1]])  (row by row)",
            attempt { Exercises.softmax(Tensor([[1, 2, 3], [1, 1, 1]])) },
            expected: [softmax123, [0.3333, 0.3333, 0.3333]])
        show(
            "relu([-2, -0.5, 0, 0.5, 3])", attempt { Exercises.relu(Tensor([[-2, -0.5, 0, 0.5, 3]])) },
            expected: [[0, 0, 0, 0.5, 3]])
    }

    static func denseLayer() {
        // The walkthrough's worked example.
        let layer = Exercises.Dense(weight: Tensor([[1, -1], [0, 2], [-1, 1]]), bias: Tensor([0.5, -1]))
        let x = Tensor([[1, 2, 3], [-1, 0, 2]])
        let g = Tensor([[1, 0], [0.5, -1]])
        print("X = [[1, 2, 3], [-1, 0, 2]], W = [[1, -1], [0, 2], [-1, 1]], b = [0.5, -1]")
        guard let y = show("Y = XW + b", attempt { layer.forward(x) }, expected: [[-1.5, 5], [-2.5, 2]]) else {
            return
        }
        guard
            let dx = show(
                "∂L/∂X = G Wᵀ for G = ∂L/∂Y = [[1, 0], [0.5, -1]]", attempt { layer.backward(g) },
                expected: [[1, 0, -1], [1.5, -2, -1.5]])
        else { return }
        show("∂L/∂W = XᵀG", layer.weight.gradient, expected: [[0.5, 1], [2, 0], [4, -2]])
        show("∂L/∂b = G summed over the batch", layer.bias.gradient, expected: [[1.5, -1]])
        print(
            "shapes: X \(x.shape) → Y \(y.shape); ∂L/∂X \(dx.shape), ∂L/∂W \(layer.weight.gradient.shape), ∂L/∂b \(layer.bias.gradient.shape)"
        )
    }

    static func initialization() {
        var generator = SeededGenerator(seed: 3)
        if let w = attempt({ Exercises.heNormal(inputs: 784, outputs: 256, using: &generator) }) {
            print(
                "He normal 784 → 256: standard deviation \(format(standardDeviation(w))), expected √(2/784) = \(format((2.0 / 784).squareRoot()))"
            )
        }
        if let w = attempt({ Exercises.xavierUniform(inputs: 784, outputs: 256, using: &generator) }) {
            let limit = (6.0 / 1040).squareRoot()
            print(
                "Xavier uniform 784 → 256: values in [\(format(w.scalars.min() ?? 0)), \(format(w.scalars.max() ?? 0))], "
                    + "limit √(6/1040) = \(format(limit))")
        }
        print("")
        print("The spread of a signal through 10 ReLU layers of 256 units:")
        var data = SeededGenerator(seed: 4)
        let input = Tensor.normal(shape: [64, 256], standardDeviation: 1, using: &data)
        for (name, scale) in [("He normal", nil), ("N(0, 0.01²), too small", 0.01 as Double?)] {
            var x = input
            var spreads: [String] = []
            for _ in 0..<10 {
                let w: Tensor?
                if let scale {
                    w = Tensor.normal(shape: [256, 256], standardDeviation: scale, using: &data)
                } else {
                    w = attempt(quiet: true) { Exercises.heNormal(inputs: 256, outputs: 256, using: &data) }
                }
                guard let w else {
                    spreads = ["(heNormal is not implemented yet)"]
                    break
                }
                x = x.matmul(w).map { max($0, 0) }
                spreads.append(format(standardDeviation(x), digits: 3))
            }
            print("  \(pad(name, 24)) \(spreads.joined(separator: "  "))")
        }
    }

    static func twoLayerNetwork() {
        var generator = SeededGenerator(seed: 4)
        guard let network = attempt({ Exercises.TwoLayerNetwork(inputs: 2, hidden: 8, outputs: 3, using: &generator) })
        else { return }
        let x = Tensor([[0, 0], [1, 0], [0, 1], [-1, -1]])
        print("An untrained 2 → 8 → 3 network on four points:")
        guard let p = show("class probabilities (each row sums to 1)", attempt { network.forward(x) }) else { return }
        print("row sums: " + p.sum(alongAxis: 1).scalars.map { format($0) }.joined(separator: ", "))
        print("parameters: \(network.parameterCount) (2·8 + 8 + 8·3 + 3 = 51)")
    }

    static func oneHotEncoding() {
        // The walkthrough's worked example.
        guard
            let encoded = show(
                "oneHot([2, 0, 3], classes: 4)", attempt { try? Exercises.oneHot([2, 0, 3], classes: 4) } ?? nil,
                expected: [[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]])
        else {
            return
        }
        if let back = attempt({ Exercises.classIndices(encoded) }) {
            print(
                "classIndices(oneHot([2, 0, 3], classes: 4)) = \(back)   "
                    + (back == [2, 0, 3] ? "✓" : "✗ not [2, 0, 3]"))
        }
        let p = Tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.25, 0.15, 0.6], [0.3, 0.4, 0.3]])
        if let classes = attempt({ Exercises.classIndices(p) }) {
            print(
                "classIndices(p of the walkthrough) = \(classes)   " + (classes == [1, 0, 2, 1] ? "✓" : "✗")
                    + " walkthrough: [1, 0, 2, 1]")
        }
        let outcome = attempt { Result { try Exercises.oneHot([3], classes: 3) } }
        switch outcome {
        case .failure(let error)?: print("oneHot([3], classes: 3) throws: \(error)")
        case .success?: print("oneHot([3], classes: 3) should throw: 3 is not a class in 0..<3")
        case nil: break
        }
    }

    static func crossEntropyDemo() {
        let y = Tensor([[0, 1, 0]])
        for (name, p) in [
            ("confident and right", Tensor([[0.05, 0.9, 0.05]])), ("unsure", Tensor([[0.3, 0.4, 0.3]])),
            ("confident and wrong", Tensor([[0.9, 0.05, 0.05]])),
        ] {
            if let loss = attempt({ Exercises.crossEntropy(p, targets: y) }) {
                print(
                    "\(pad(name + ":", 21)) p = \(row(p)), right class 1: loss \(format(loss)) = −log \(format(p[0, 1]))"
                )
            }
        }
        print("")
        // The walkthrough's worked example: two examples, right classes 0 and 2, and z = log p.
        let p = Tensor([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]])
        let targets = Tensor([[1, 0, 0], [0, 0, 1]])
        print("p = [[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]], right classes 0 and 2:")
        show(
            "L = mean of −log p[right class]", attempt { Exercises.crossEntropy(p, targets: targets) },
            expected: 0.636483)
        show(
            "∂L/∂z = (softmax(z) − y)/N for z = log p",
            attempt { Exercises.softmaxCrossEntropyBackward(logits: p.map { log($0) }, targets: targets) },
            expected: [[-0.15, 0.1, 0.05], [0.05, 0.25, -0.3]])
    }

    /// Stage 10's demo: the student's layers on the lectures' examples, LeNet-5, the bonuses, and two
    /// pictures; the transfer-learning bonus runs the reference's code instead with `student: false`.
    static func convolutionalNetwork(student: Bool, outputDirectory: String) {
        lectureConvolutions()
        print("")
        lecturePooling()
        print("")
        leNet5()
        print("")
        convolutionAsMatrix()
        print("")
        do {
            try writeEquivariancePicture(to: outputDirectory + "/equivariance.svg")
        } catch {
            print("The picture was not written: \(error)")
        }
        print("")
        do {
            try transferLearning(student: student, to: outputDirectory + "/transfer-learning.svg")
        } catch {
            print("The transfer-learning demo stopped: \(error)")
        }
    }

    /// Lecture 001's convolutions, by the student's `Conv2D` (stride 1, no padding, bias 0).
    static func lectureConvolutions() {
        let image = matrix([
            [3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
            [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9],
        ])
        let verticalEdge = matrix([[1, 0, -1], [1, 0, -1], [1, 0, -1]])
        func convolved(_ x: Tensor, _ kernel: Tensor) -> Tensor? {
            attempt { rows(Exercises.Conv2D(weight: kernel, bias: Tensor([0])).forward(x)) }
        }
        print("Lecture 001's convolutions, by your Conv2D (stride 1, no padding):")
        show("lecture 001's 6×6 image x", rows(image))
        show("the vertical-edge kernel w (lecture 001)", rows(verticalEdge))
        show(
            "x convolved with w: 6 − 3 + 1 = 4 outputs a side (lecture 001)", convolved(image, verticalEdge),
            expected: [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7], [-3, -2, -3, -16]])
        show(
            "lecture 001's vertical edge, columns 10 10 10 0 0 0, convolved with w",
            convolved(matrix(Array(repeating: [10, 10, 10, 0, 0, 0], count: 6)), verticalEdge),
            expected: Array(repeating: [0, 30, 30, 0], count: 4))
        let (top, bottom): ([Double], [Double]) = ([10, 10, 10, 0, 0, 0], [0, 0, 0, 10, 10, 10])
        show(
            "lecture 001's horizontal edge (rows 10 10 10 0 0 0, then 0 0 0 10 10 10) with the kernel rows "
                + "1 1 1 / 0 0 0 / −1 −1 −1",
            convolved(
                matrix([top, top, top, bottom, bottom, bottom]), matrix([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])),
            expected: [[0, 0, 0, 0], [30, 10, -10, -30], [30, 10, -10, -30], [0, 0, 0, 0]])
    }

    /// Lecture 002's pooling examples, by the student's `MaxPool2D` and `AvgPool2D` (window 2, stride 2).
    static func lecturePooling() {
        print("Lecture 002's pooling examples, by your pooling layers (2×2 windows, stride 2):")
        let examples: [(String, any Layer, [[Double]], [[Double]])] = [
            (
                "max pooling of 0 0 5 1 / 0 2 4 0 / 1 0 1 0 / 0 0 0 3 (lecture 002)", Exercises.MaxPool2D(window: 2),
                [[0, 0, 5, 1], [0, 2, 4, 0], [1, 0, 1, 0], [0, 0, 0, 3]], [[2, 5], [1, 3]]
            ),
            (
                "average pooling of 1 3 2 1 / 2 9 1 1 / 1 4 2 3 / 5 6 1 2 (lecture 002)",
                Exercises.AvgPool2D(window: 2),
                [[1, 3, 2, 1], [2, 9, 1, 1], [1, 4, 2, 3], [5, 6, 1, 2]], [[3.75, 1.25], [4, 2]]
            ),
        ]
        for (label, layer, x, expected) in examples {
            show(label, attempt { rows(layer.forward(matrix(x))) }, expected: expected)
        }
        let pool = Exercises.MaxPool2D(window: 2)
        let x = matrix([[0, 55, 0, 0], [20, 0, 41, 33], [0, 90, 0, 0], [0, 57, 0, 95]])
        show(
            "max pooling of lecture 002's gradient example 0 55 0 0 / 20 0 41 33 / 0 90 0 0 / 0 57 0 95",
            attempt { rows(pool.forward(x)) }, expected: [[55, 41], [90, 95]])
        show(
            "its backward of the gradients 1 2 / 3 4: each goes to where its window's maximum was (lecture 002)",
            attempt { rows(pool.backward(matrix([[1, 2], [3, 4]]))) },
            expected: [[0, 1, 0, 0], [0, 0, 2, 0], [0, 3, 0, 0], [0, 0, 0, 4]])
    }

    static func leNet5() {
        var generator = SeededGenerator(seed: 10)
        guard let network = attempt({ Exercises.LeNet5(using: &generator) }) else { return }
        var x = Tensor.uniform(shape: [2, 1, 28, 28], low: 0, high: 1, using: &generator)
        print("Your LeNet-5 on a batch of two random 28×28 images, layer by layer:")
        for layer in network.body.layers {
            guard let y = attempt({ layer.forward(x) }) else { return }
            let parameters = layer.parameters.reduce(0) { $0 + $1.value.count }
            print(
                "  \(pad(String(describing: type(of: layer)), 10)) → \(pad("\(y.shape)", 16)) \(parameters) parameters")
            x = y
        }
        let count = network.parameters.reduce(0) { $0 + $1.value.count }
        print(
            "Parameters in all: \(count)   " + (count == 44426 ? "✓" : "✗")
                + " walkthrough (lecture 001's table): 44426")
        print("The reference's table with multiply-accumulates: swift run kit summary lenet")
    }

    /// The bonus: a stride-2 convolution (lecture 004 downsamples so) as a matrix, and its transpose upsampling.
    static func convolutionAsMatrix() {
        let kernel = matrix([[0.5, 1, 0.5]])
        print(
            "Bonus: a convolution is a dense layer with constraints; its transpose upsamples (lecture 004; the numbers are the walkthrough's):"
        )
        show(
            "convolutionMatrix of the kernel [½, 1, ½], stride 2, on 7 inputs",
            attempt { try Exercises.convolutionMatrix(weight: kernel, height: 1, width: 7, stride: 2) },
            expected: [[0.5, 1, 0.5, 0, 0, 0, 0], [0, 0, 0.5, 1, 0.5, 0, 0], [0, 0, 0, 0, 0.5, 1, 0.5]])
        show(
            "transposedConvolution of [1, 2, 3] with it: 3 values up to 7",
            attempt {
                rows(
                    try Exercises.transposedConvolution(
                        matrix([[1, 2, 3]]), weight: kernel, height: 1, width: 7, stride: 2))
            }, expected: [[0.5, 1, 1.5, 2, 2.5, 3, 1.5]])
    }

    /// A one-example, one-channel image `[1, 1, H, W]` from its rows.
    static func matrix(_ rows: [[Double]]) -> Tensor {
        Tensor(shape: [1, 1, rows.count, rows.first?.count ?? 0], scalars: Array(rows.joined()))
    }

    /// The `[H, W]` matrix of a one-example, one-channel image `[1, 1, H, W]`.
    static func rows(_ image: Tensor) -> Tensor {
        image.reshaped(Array(image.shape.suffix(2)))
    }

    static func sgd() {
        let data = ToyDataset.moons.generate(count: 400, seed: 7)
        var generator = SeededGenerator(seed: 7)
        guard let network = attempt({ Exercises.TwoLayerNetwork(inputs: 2, hidden: 16, outputs: 2, using: &generator) })
        else { return }
        let optimizer = Exercises.SGD(learningRate: 0.05, momentum: 0.9)
        print(
            "A 2 → 16 → 2 network learns two half moons (\(data.count) points), SGD with momentum 0.9, batches of 32:")
        var first: Double?
        for epoch in 1...12 {
            let loss = attempt { () -> Double in
                var total = 0.0
                for batch in Exercises.miniBatches(count: data.count, batchSize: 32, using: &generator) {
                    let targets =
                        (try? Exercises.oneHot(batch.map { data.labels[$0] }, classes: 2))
                        ?? Tensor(zeros: [batch.count, 2])
                    total +=
                        Exercises.trainStep(
                            network, inputs: data.inputs.rows(batch), targets: targets, optimizer: optimizer)
                        * Double(batch.count)
                }
                return total / Double(data.count)
            }
            guard let loss else { return }
            if first == nil { first = loss }
            let bar = String(repeating: "▇", count: max(0, min(40, Int(40 * loss / max(first ?? 1, 1e-9)))))
            print("  epoch \(pad(String(epoch), 2))  loss \(format(loss))  \(bar)")
        }
        if let logits = attempt({ network.logits(data.inputs) }) {
            let right = zip(logits.argmax(alongAxis: 1), data.labels).filter { $0 == $1 }.count
            print("Training accuracy after 12 epochs: \(right)/\(data.count)")
        }
    }

    /// Your optimizers on the spirals, with docs/07-sgd.md's settings (its table comes from the reference):
    /// one chart of their training losses, `optimizers.svg`. Bonus optimizers not written yet are left out.
    static func optimizerComparison(outputDirectory: String) throws {
        let (train, _) = ToyDataset.spirals.trainTestSplit(count: 1000, seed: 0)
        let optimizers: [(String, () -> any Optimizer)] = [
            ("SGD, η = 0.1", { Exercises.SGD(learningRate: 0.1) }),
            ("momentum 0.9, η = 0.1", { Exercises.SGD(learningRate: 0.1, momentum: 0.9) }),
            ("AdaGrad, η = 0.1", { Exercises.AdaGrad(learningRate: 0.1) }),
            ("RMSProp, η = 0.01", { Exercises.RMSProp(learningRate: 0.01) }),
            ("Adam, η = 0.01", { Exercises.Adam(learningRate: 0.01) }),
        ]
        print("Your optimizers on the spirals, 60 epochs, the same initial weights and batches (docs/07-sgd.md):")
        var chart = LineChart(
            title: "Spirals: training loss of five optimizers", xLabel: "epoch", yLabel: "loss (epoch mean)",
            wholeXTicks: true)
        for (name, makeOptimizer) in optimizers {
            var generator = SeededGenerator(seed: 100)
            let losses = attempt { () -> [Double] in
                let network = Exercises.TwoLayerNetwork(inputs: 2, hidden: 64, outputs: 2, using: &generator)
                let optimizer = makeOptimizer()
                return (0..<60).map { _ in
                    Exercises.train(
                        network, on: train, epochs: 1, batchSize: 32, optimizer: optimizer, using: &generator
                    )
                    .first ?? .nan
                }
            }
            guard let losses, let first = losses.first, let last = losses.last else { continue }
            print("  \(pad(name, 22))  loss after epoch 1: \(format(first)), after epoch 60: \(format(last))")
            chart.add(name, losses)
        }
        let path = outputDirectory + "/optimizers.svg"
        try chart.write(to: path)
        print("wrote \(path)")
    }

    // MARK: Helpers

    /// Problems already printed: a stub used by several lines is reported once.
    nonisolated(unsafe) static var reported: Set<String> = []

    /// Runs student code; prints its problems and returns nil if it recorded any.
    static func attempt<T>(quiet: Bool = false, _ body: () throws -> T) -> T? {
        do {
            let (result, problems) = try Problems.collect(body)
            guard problems.isEmpty else {
                if !quiet {
                    for problem in problems.prefix(3) where !reported.contains(problem.message) {
                        reported.insert(problem.message)
                        print("  " + problem.message)
                    }
                }
                return nil
            }
            return result
        } catch {
            if !quiet { print("  error: \(error)") }
            return nil
        }
    }

    @discardableResult
    static func show(_ label: String, _ tensor: Tensor?) -> Tensor? {
        guard let tensor else { return nil }
        if tensor.rank == 2 {
            print("\(label) =")
            for index in 0..<tensor.rowCount { print("  " + row(tensor.row(index))) }
        } else {
            print("\(label) = \(row(tensor))")
        }
        return tensor
    }

    static func row(_ tensor: Tensor) -> String {
        "[" + tensor.scalars.map { format($0) }.joined(separator: ", ") + "]"
    }

    /// A fraction as a percentage with one decimal, "97.5%", or "–" when there is none.
    static func percent(_ fraction: Double) -> String {
        fraction.isFinite ? String(format: "%.1f%%", 100 * fraction) : "–"
    }

    static func format(_ value: Double, digits: Int = 4) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "\(value)"
    }

    static func standardDeviation(_ tensor: Tensor) -> Double {
        let mean = tensor.scalars.reduce(0, +) / Double(max(tensor.count, 1))
        return (tensor.scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(tensor.count, 1))).squareRoot()
    }
}
