import Foundation
import NeuralKit
import Solutions
import Testing

/// The numbers in the walkthroughs' prose and tables that no stage suite checks: each is computed
/// here with the reference (`Solutions`, never the student's code, so these pass on the stubs too)
/// and looked up in the doc. A doc that changes a number, or code that changes a result, fails here.
/// (docs/formulas.md's code blocks are checked by `FormulasDoc`; this checks its prose.)
@Suite("Docs · numbers in the walkthroughs")
struct DocsNumbers {
    // MARK: docs/03-initialization.md

    @Test("docs/03: the spread of one He network's activations after 10 ReLU layers")
    func initializationSpread() throws {
        // The setup of Stage 3's check: 200 inputs from N(0, 1) through 10 layers of 100 ReLU
        // units, He-normal weights, no biases; one network a seed, seeds 0..<100.
        var stds: [Double] = []
        for seed in 0..<100 {
            var generator = SeededGenerator(seed: UInt64(seed))
            var h = Tensor.normal(shape: [200, 100], standardDeviation: 1, using: &generator)
            for _ in 0..<10 {
                h = h.matmul(Solutions.heNormal(inputs: 100, outputs: 100, using: &generator)).map { Swift.max($0, 0) }
            }
            let mean = h.scalars.reduce(0, +) / Double(h.count)
            stds.append((h.scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(h.count)).squareRoot())
        }
        stds.sort()
        // The 1st and 99th percentiles, and the median, to one decimal.
        let (low, median, high) = (oneDecimal(stds[1]), oneDecimal((stds[49] + stds[50]) / 2), oneDecimal(stds[98]))
        expectDoc(
            "03-initialization.md",
            contains: "between about \(low) and \(high) (the 1st and 99th percentiles of 100 networks")
        expectDoc("03-initialization.md", contains: "median \(median)")
    }

    @Test("docs/03: after 10 ReLU layers He keeps the scale, N(0, 1) blows it up, 0.01 makes it vanish")
    func initializationTable() throws {
        // The walkthrough's table uses SeededGenerator(seed: 3), the same for everyone.
        func std(_ weights: (Int, Int, inout SeededGenerator) -> Tensor) -> Double {
            var generator = SeededGenerator(seed: 3)
            var h = Tensor.normal(shape: [200, 100], standardDeviation: 1, using: &generator)
            for _ in 0..<10 { h = h.matmul(weights(100, 100, &generator)).map { Swift.max($0, 0) } }
            let mean = h.scalars.reduce(0, +) / Double(h.count)
            return (h.scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(h.count)).squareRoot()
        }
        let he = std { Solutions.heNormal(inputs: $0, outputs: $1, using: &$2) }
        let unit = std { Tensor.normal(shape: [$0, $1], standardDeviation: 1, using: &$2) }
        let small = std { Tensor.normal(shape: [$0, $1], standardDeviation: 0.01, using: &$2) }
        let doc = Tolerance(absolute: 0, relative: 0.001)
        check(doc.accepts(he, 0.8207), "docs/03 says 0.8207 with He; the reference gives \(he)")
        check(doc.accepts(unit, 2.565e8), "docs/03 says 2.565e8 with N(0, 1); the reference gives \(unit)")
        check(doc.accepts(small, 2.565e-12), "docs/03 says 2.565e-12 with N(0, 0.01²); the reference gives \(small)")
    }

    // MARK: docs/04-two-layer-network.md

    @Test("docs/04: the worked example's intermediate numbers, from the reference layers")
    func twoLayerWorkedExample() throws {
        // x = [1, 2], 2 → 3 → 2, ∂L/∂logits = [1, −1] (the stage 4 suite checks the student's logits and gradients).
        let x = Tensor([[1, 2]])
        let g = Tensor([[1, -1]])
        let w1 = Tensor([[1, -1, 0.5], [0.5, 1, -1]])
        let b1 = Tensor([0, 0, 0.5])
        let w2 = Tensor([[0.5, -0.5], [1, 0], [-1, 1]])
        let b2 = Tensor([0, 0.5])
        let hidden = Solutions.Dense(weight: w1, bias: b1)
        let output = Solutions.Dense(weight: w2, bias: b2)
        let h = hidden.forward(x)
        expectExactly(h, Tensor([[2, 1, -1]]), "h")
        expectExactly(Solutions.relu(h), Tensor([[2, 1, 0]]), "a")
        _ = output.forward(Solutions.relu(h))
        let da = output.backward(g)
        expectExactly(da, Tensor([[1, 1, -2]]), "∂L/∂a")
        expectExactly(Solutions.reluBackward(da, input: h), Tensor([[1, 1, 0]]), "∂L/∂h")
        // Without ReLU the two layers are one: W = W₁W₂, b = b₁W₂ + b₂.
        let w = w1.matmul(w2)
        let b = b1.reshaped([1, 3]).matmul(w2) + b2
        expectExactly(w, Tensor([[-1, 0], [2.25, -1.25]]), "W₁W₂")
        expectExactly(b, Tensor([[-0.5, 1]]), "b₁W₂ + b₂")
        expectExactly(x.matmul(w) + b, Tensor([[3, -1.5]]), "xW + b")
        expectExactly(output.forward(h), Tensor([[3, -1.5]]), "the logits without ReLU")
    }

    // MARK: docs/10-convolutional-network.md

    @Test("docs/10: the vertical-edge kernel gives 30 at the edge, and flipped (true convolution) −30")
    func flippedKernel() throws {
        // The stage 10 suite checks the student's 30; this checks the walkthrough's claim about the flipped kernel.
        let x = Tensor(shape: [1, 1, 7, 7]) { $0 % 7 < 4 ? 10 : 0 }
        let w = Tensor(shape: [1, 1, 3, 3], scalars: [1, 0, -1, 1, 0, -1, 1, 0, -1])
        let flipped = Tensor(shape: w.shape, scalars: w.scalars.reversed())
        let row: [Double] = [0, 0, 30, 30, 0]
        let edge = Tensor(shape: [1, 1, 5, 5], scalars: Array((0..<5).map { _ in row }.joined()))
        expectExactly(
            Solutions.Conv2D(weight: w, bias: Tensor([0])).forward(x), edge, "the edge kernel on the 7×7 image")
        expectExactly(
            Solutions.Conv2D(weight: flipped, bias: Tensor([0])).forward(x), -edge,
            "the flipped kernel on the 7×7 image")
    }

    // MARK: docs/06-cross-entropy.md

    @Test("docs/06: −log p for p = 0.5 and 0.01, and for p = 0 after the floor")
    func crossEntropyExamples() throws {
        let targets = Tensor([[0, 1]])
        let half = Solutions.crossEntropy(Tensor([[0.5, 0.5]]), targets: targets)
        let small = Solutions.crossEntropy(Tensor([[0.99, 0.01]]), targets: targets)
        let zero = Solutions.crossEntropy(Tensor([[1, 0]]), targets: targets)
        expectDoc("06-cross-entropy.md", contains: "p(right class) = 0.5   → loss \(String(format: "%.2f", half))")
        expectDoc("06-cross-entropy.md", contains: "p(right class) = 0.01  → loss \(String(format: "%.1f", small))")
        expectDoc("06-cross-entropy.md", contains: "−log 10⁻¹² ≈ \(String(format: "%.1f", zero))")
        check(
            Solutions.probabilityFloor == 1e-12,
            "docs/06 says the floor is 1e-12; the reference uses \(Solutions.probabilityFloor)")
    }

    // MARK: docs/07-sgd.md

    @Test("docs/07: with momentum 0.9 the third step is 2.7 times the first, up to 10 times on a steady slope")
    func momentumSteps() throws {
        let w = Parameter("w", Tensor([1, -2]))
        let optimizer = Solutions.SGD(learningRate: 0.1, momentum: 0.9)
        var steps: [Double] = []
        for _ in 0..<200 {
            w.gradient = Tensor([0.5, 0.5])
            let before = w.value.scalars[0]
            optimizer.step([w])
            steps.append(w.value.scalars[0] - before)
        }
        let third = steps[2] / steps[0]
        let limit = steps[199] / steps[0]
        expectDoc("07-sgd.md", contains: "the third step is \(oneDecimal(third)) times the first")
        expectDoc("07-sgd.md", contains: "= \(Int(limit.rounded())) times longer")
    }

    @Test("docs/07: the learning-rate table is what `kit run 7 --reference` prints")
    func learningRateTable() throws {
        // runLearningRateDemo (Sources/kit-demos/Demos/ToyDemo.swift) with its default settings.
        let (train, _) = ToyDataset.spirals.trainTestSplit(count: 1000, seed: 0)
        for (rate, note) in [(0.01, "too low"), (1, "about right"), (10, "too high")] {
            var generator = SeededGenerator(seed: 100)
            let network = Solutions.TwoLayerNetwork(inputs: 2, hidden: 64, outputs: train.classCount, using: &generator)
            let optimizer = Solutions.SGD(learningRate: rate, momentum: 0)
            let losses = (0..<60).map { _ in
                Solutions.train(network, on: train, epochs: 1, batchSize: 32, optimizer: optimizer, using: &generator)
                    .first ?? .nan
            }
            let label = "\(String(format: "%g", rate)) (\(note))"
            let row = tableRow("07-sgd.md", startingWith: "| \(label) |")
            check(
                row.count == 2,
                "docs/07-sgd.md: no row '| \(label) | loss after epoch 1 | after epoch 60 |' in the learning-rate table"
            )
            guard row.count == 2, let first = losses.first, let last = losses.last else { continue }
            check(
                abs(row[0] - first) <= 1e-4 && abs(row[1] - last) <= 1e-4,
                "docs/07-sgd.md: η = \(label) says \(row), the reference gives \(fourDecimals(first)) and \(fourDecimals(last)) "
                    + "(regenerate with swift run kit run 7 --reference)")
        }
    }

    // MARK: docs/08-toy-classification.md

    @Test("docs/08: the spirals table is what `kit run 8 --reference` prints")
    func toyResultsTable() throws {
        // runToyDemo (Sources/kit-demos/Demos/ToyDemo.swift) on the spirals with its default settings.
        let (train, test) = ToyDataset.spirals.trainTestSplit(count: 1000, seed: 0)
        var generator = SeededGenerator(seed: 100)
        let network = Solutions.TwoLayerNetwork(inputs: 2, hidden: 64, outputs: train.classCount, using: &generator)
        let optimizer = Solutions.SGD(learningRate: 0.1, momentum: 0.9)
        let testTargets = try Solutions.oneHot(test.labels, classes: test.classCount)
        var rows: [Int: [Double]] = [:]
        for epoch in 1...150 {
            let trainLoss =
                Solutions.train(network, on: train, epochs: 1, batchSize: 32, optimizer: optimizer, using: &generator)
                .first ?? .nan
            let testLoss = Solutions.crossEntropy(Solutions.softmax(network.logits(test.inputs)), targets: testTargets)
            if epoch == 1 || epoch % 15 == 0 {
                let trainAccuracy = Solutions.accuracy(
                    predicted: Solutions.predict(network, train.inputs), labels: train.labels)
                let testAccuracy = Solutions.accuracy(
                    predicted: Solutions.predict(network, test.inputs), labels: test.labels)
                rows[epoch] = [trainLoss, testLoss, 100 * trainAccuracy, 100 * testAccuracy]
            }
        }
        let table = codeBlock(
            "08-toy-classification.md", after: "epoch   train loss   test loss   train acc   test acc")
        check(
            table.count >= 5,
            "docs/08-toy-classification.md: the results table (a code block starting with 'epoch   train loss') is missing"
        )
        for line in table {
            let numbers = line.split(separator: " ").compactMap { Double($0.replacingOccurrences(of: "%", with: "")) }
            guard numbers.count == 5, let expected = rows[Int(numbers[0])] else {
                Issue.record(
                    "docs/08-toy-classification.md: the table row '\(line)' is not an epoch that kit run 8 prints")
                continue
            }
            let close = zip(numbers.dropFirst(), expected).enumerated().allSatisfy { index, pair in
                abs(pair.0 - pair.1) <= (index < 2 ? 1e-4 : 0.051)
            }
            check(
                close,
                "docs/08-toy-classification.md: the row '\(line)' — the reference gives losses "
                    + "\(fourDecimals(expected[0])), \(fourDecimals(expected[1])) and accuracies "
                    + "\(oneDecimal(expected[2]))%, \(oneDecimal(expected[3]))% (regenerate with swift run kit run 8 --reference)"
            )
        }
    }

    // MARK: docs/09-mnist.md

    @Test("docs/09: the confusion matrix example is 66.7% accurate")
    func confusionAccuracy() throws {
        let matrix = Solutions.confusionMatrix(predicted: [0, 1, 1, 2, 0, 2], labels: [0, 0, 1, 2, 2, 2], classes: 3)
        let diagonal = (0..<3).map { matrix[$0][$0] }.reduce(0, +)
        let total = matrix.flatMap { $0 }.reduce(0, +)
        expectDoc(
            "09-mnist.md",
            contains: "\(diagonal) of the \(total) are on the diagonal: "
                + "\(oneDecimal(100 * Double(diagonal) / Double(total)))% accuracy")
    }

    // MARK: docs/formulas.md

    @Test("formulas.md: the ratios in its prose")
    func formulaRatios() throws {
        // A dense layer from a 200×200 image to 500 units, against 500 5×5 filters.
        let dense = Solutions.denseParameterCount(inputs: 200 * 200, outputs: 500)
        let convolution = Solutions.convolutionParameterCount(kernel: 5, inputChannels: 1, filters: 500)
        let times = (Double(dense) / Double(convolution) / 100).rounded() * 100
        expectDoc("formulas.md", contains: "about \(grouped(Int(times))) times fewer")

        // Three 3×3 layers against one 7×7, 64 channels in and out.
        let three = 3 * Solutions.convolutionParameterCount(kernel: 3, inputChannels: 64, filters: 64)
        let seven = Solutions.convolutionParameterCount(kernel: 7, inputChannels: 64, filters: 64)
        expectDoc("formulas.md", contains: "\(percent(three, of: seven)) of the parameters of the single layer")

        // LeNet-5 on 28×28: its dense layers' share of the parameters, its convolutions' share of the work.
        var generator = SeededGenerator(seed: 0)
        let total = Solutions.LeNet5(imageSize: 28, classes: 10, using: &generator).parameters.map(\.value.count)
            .reduce(0, +)
        let denseParameters =
            Solutions.denseParameterCount(inputs: 16 * 4 * 4, outputs: 120)
            + Solutions.denseParameterCount(inputs: 120, outputs: 84)
            + Solutions.denseParameterCount(inputs: 84, outputs: 10)
        let convolutionWork =
            Solutions.convolutionMultiplyAccumulates(
                kernel: 5, inputChannels: 1, filters: 6, outputHeight: 24, outputWidth: 24)
            + Solutions.convolutionMultiplyAccumulates(
                kernel: 5, inputChannels: 6, filters: 16, outputHeight: 8, outputWidth: 8)
        let work =
            convolutionWork + Solutions.denseMultiplyAccumulates(inputs: 256, outputs: 120)
            + Solutions.denseMultiplyAccumulates(inputs: 120, outputs: 84)
            + Solutions.denseMultiplyAccumulates(inputs: 84, outputs: 10)
        expectDoc(
            "formulas.md",
            contains: "The dense layers hold \(percent(denseParameters, of: total)) of the parameters "
                + "(`\(grouped(denseParameters))` of `\(grouped(total))`)")
        expectDoc(
            "formulas.md",
            contains: "the convolutions do \(percent(convolutionWork, of: work)) of the work "
                + "(`\(grouped(convolutionWork))` of `\(grouped(work))` multiply-accumulates)")
    }
}

// MARK: - Helpers

/// A doc's text with its line breaks as spaces (so that a phrase may wrap), or "" if it is missing.
/// Records a failure unless `actual` is `expected` (to rounding): a number of the walkthrough.
private func expectExactly(
    _ actual: Tensor, _ expected: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    if let difference = mismatch(actual, expected, name: name + " (walkthrough)") {
        Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
    }
}

/// The text of `docs/NAME`, or "" if it is missing (also for LectureNumbers).
func docText(_ name: String) -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    return (try? String(contentsOf: root.appendingPathComponent("docs/" + name), encoding: .utf8)) ?? ""
}

private func expectDoc(_ name: String, contains phrase: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let flowing = docText(name).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: " ")
    check(
        flowing.contains(phrase),
        "docs/\(name) should say '\(phrase)', as the reference computes: "
            + "correct the doc (or the number, if the code changed on purpose)", sourceLocation: sourceLocation)
}

/// The numbers of the markdown table row starting with `prefix`, after its first cell.
private func tableRow(_ name: String, startingWith prefix: String) -> [Double] {
    guard let line = docText(name).split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return [] }
    return line.split(separator: "|").dropFirst().compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
}

/// The lines of the fenced code block whose first line is `header`, after the header.
private func codeBlock(_ name: String, after header: String) -> [String] {
    let lines = docText(name).components(separatedBy: "\n")
    guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == header }) else { return [] }
    return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("```") })
}

private func oneDecimal(_ x: Double) -> String { String(format: "%.1f", x) }
private func fourDecimals(_ x: Double) -> String { String(format: "%.4f", x) }
private func percent(_ part: Int, of whole: Int) -> String { "\(Int((100 * Double(part) / Double(whole)).rounded()))%" }

/// 44426 → "44,426" (also for LayerDescriptionTests).
func grouped(_ n: Int) -> String {
    let digits = Array(String(n))
    return String(
        digits.enumerated().flatMap { index, digit in
            index > 0 && (digits.count - index) % 3 == 0 ? [",", digit] : [digit]
        })
}
