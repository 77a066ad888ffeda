import Exercises
import Foundation
import NeuralKit
import Solutions
import Testing

/// Stage 9: preprocessing images, the training loop with progress, the confusion matrix, classifying one image.
///
/// Runs without MNIST on disk: the images it trains on are generated, written
/// as IDX files to a temporary folder and read back through the kit's reader.
/// The checks on real MNIST run only when a data directory has it.
@Suite("Stage 9 · MNIST")
struct Stage09MNIST {
    // MARK: preprocess

    @Test("preprocess flattens the walkthrough's two 2×3 images row by row and divides by 255")
    func preprocessWorkedExample() throws {
        // docs/09-mnist.md, "Worked example".
        let pixels = Tensor(
            shape: [2, 2, 3],
            scalars: [
                0, 51, 255, 102, 0, 204,
                255, 255, 0, 0, 0, 153,
            ])
        let actual = try student(9) { Exercises.preprocess(pixels) }
        let expected = Tensor([[0, 0.2, 1, 0.4, 0, 0.8], [1, 1, 0, 0, 0, 0.6]])
        expectClose(
            actual, expected, "preprocess of the walkthrough's images",
            hint: preprocessHint(actual, pixels: pixels))
    }

    @Test("preprocess matches the reference on non-square images of different brightness", arguments: seeds)
    func preprocessMatchesReference(seed: UInt64) throws {
        // 5 images of 4×7; image i has its brightest pixel near 60 + 45·i, so that
        // dividing by each image's own maximum is not the same as dividing by 255.
        var generator = testGenerator(seed: seed)
        let pixels = Tensor(shape: [5, 4, 7]) { i in Double(generator.nextInt(below: 61 + 45 * (i / 28))) }
        let actual = try student(9) { Exercises.preprocess(pixels) }
        let expected = try reference(pixels) { Solutions.preprocess(pixels) }
        expectClose(
            actual, expected, "preprocess of 5 images of 4×7 pixels", tolerance: .tight,
            hint: preprocessHint(actual, pixels: pixels))
    }

    @Test("images written as IDX files and read back become the reference's dataset")
    func idxRoundTripThroughPreprocess() throws {
        let images = try Self.generated.get().test
        let actual = try student(9) { try Exercises.dataset(from: images) }
        let expected = try reference(images) { try Solutions.dataset(from: images) }
        try #require(
            actual.inputs.shape == [images.count, 784],
            Comment(
                rawValue:
                    "dataset(from:) of \(images.count) images of 28×28 has inputs of shape \(actual.inputs.shape), expected "
                    + "[\(images.count), 784]: preprocess must give one row of height × width values per image"))
        expectClose(
            actual.inputs, expected.inputs, "the inputs of \(images.count) generated images read from IDX files",
            tolerance: .tight, hint: preprocessHint(actual.inputs, pixels: images.pixelTensor()))
        check(actual.labels == images.labels, "dataset(from:) changed the labels: they must stay those of the images")
    }

    // MARK: trainEpoch

    // The student's trainEpoch shuffles with the student's miniBatches (stage 7), and any correct
    // shuffle is accepted there (docs/07 does not compare the exact order). So these checks train a
    // model whose result does not depend on the order of the batches (`ExampleTable`: each example
    // moves its own row of logits), and build what trainEpoch must report on the student's own
    // batches from each example's reference values.

    @Test("trainEpoch matches the reference: parameters, mean loss and accuracy after one epoch", arguments: seeds)
    func trainEpochMatchesReference(seed: UInt64) throws {
        let setup = EpochSetup(seed: seed)
        let model = setup.model()
        var studentGenerator = setup.shuffling
        let actual = try student(9) {
            Exercises.trainEpoch(
                model, on: setup.data, batchSize: EpochSetup.batchSize,
                optimizer: setup.optimizer(), using: &studentGenerator)
        }
        let (batches, generatorAfter) = try setup.studentBatches()
        let expected = try setup.expectedEpoch(on: batches)
        let sizes = batches.map { String($0.count) }.joined(separator: " + ")
        check(
            actual.examples == expected.examples,
            "trainEpoch trained on \(actual.examples) examples, expected all "
                + "\(expected.examples): every example once per epoch, the last batch keeps the rest (\(expected.examples) = \(sizes))"
        )
        let batchLosses = expected.progress.map(\.loss)
        let unweighted = batchLosses.reduce(0, +) / Double(max(batchLosses.count, 1))
        let lastSize = batches.last?.count ?? 0
        expectClose(
            actual.loss, expected.loss, "the epoch's mean loss",
            hint: Tolerance().accepts(actual.loss, unweighted)
                ? "that is the plain mean of the \(batches.count) batch losses; the last batch has only \(lastSize) "
                    + "examples, so weight each batch's loss by its size (total += loss · batch.count) and divide by the examples"
                : "the mean loss is Σ (batch loss × batch size) / examples, with each batch's loss "
                    + "crossEntropy(softmax(logits), targets:) before the update")
        expectClose(
            actual.accuracy, expected.accuracy, "the epoch's accuracy",
            hint: "count the right answers from the logits of each batch's forward pass (classIndices(logits) "
                + "against the batch's labels, before optimizer.step), and divide by the examples")
        expectClose(
            model.table.value, expected.table, "the model's parameter after one epoch",
            hint: "train on the batches of miniBatches(count: data.count, batchSize:, using: &generator) in their "
                + "order, with one backward(logitsGradient: softmaxCrossEntropyBackward(...)) and one "
                + "optimizer.step(network.parameters) per batch")
        check(
            studentGenerator == generatorAfter,
            "after trainEpoch the generator is not where your miniBatches leaves it: "
                + "draw the epoch's order once, with miniBatches(count:batchSize:using: &generator), and nothing else")
    }

    @Test("trainEpoch calls afterBatch once per batch with the progress so far")
    func trainEpochReportsProgress() throws {
        let setup = EpochSetup(seed: 4)
        var studentGenerator = setup.shuffling
        var reports: [Exercises.BatchProgress] = []
        _ = try student(9) {
            Exercises.trainEpoch(
                setup.model(), on: setup.data, batchSize: EpochSetup.batchSize,
                optimizer: setup.optimizer(), using: &studentGenerator
            ) {
                reports.append($0)
                return true
            }
        }
        let (batches, _) = try setup.studentBatches()
        let expected = try setup.expectedEpoch(on: batches).progress
        try #require(
            reports.count == expected.count,
            Comment(
                rawValue: "afterBatch was called \(reports.count) times for "
                    + "\(expected.count) batches: call it once after each batch's update"))
        for (mine, theirs) in zip(reports, expected) {
            let at = "batch \(theirs.batch)"
            check(
                mine.batch == theirs.batch && mine.batchCount == theirs.batchCount,
                "\(at): progress says batch \(mine.batch) of \(mine.batchCount), expected \(theirs.batch) of "
                    + "\(theirs.batchCount) (batches count from 1)")
            check(
                mine.examples == theirs.examples,
                "\(at): progress counts \(mine.examples) examples, expected "
                    + "\(theirs.examples): the examples trained on so far, this batch included")
            expectClose(mine.loss, theirs.loss, "\(at): the batch's loss")
            expectClose(
                mine.meanLoss, theirs.meanLoss, "\(at): the mean loss so far",
                hint: "the running mean weights each batch by its size: total loss / examples so far")
            expectClose(
                mine.accuracy, theirs.accuracy, "\(at): the accuracy so far",
                hint: "right answers so far / examples so far")
        }
    }

    @Test("trainEpoch stops after the batch where afterBatch returns false")
    func trainEpochStops() throws {
        let setup = EpochSetup(seed: 5)
        let model = setup.model()
        var studentGenerator = setup.shuffling
        var calls = 0
        let actual = try student(9) {
            Exercises.trainEpoch(
                model, on: setup.data, batchSize: EpochSetup.batchSize,
                optimizer: setup.optimizer(), using: &studentGenerator
            ) { progress in
                calls += 1
                return progress.batch < 2
            }
        }
        let (batches, _) = try setup.studentBatches()
        let expected = try setup.expectedEpoch(on: Array(batches.prefix(2)), of: batches.count)
        try #require(
            calls == 2,
            Comment(
                rawValue: "afterBatch was called \(calls) times although it returned false "
                    + "after batch 2: stop the loop (break) as soon as it returns false"))
        check(
            actual.examples == expected.examples,
            "trainEpoch stopped after batch 2 reports \(actual.examples) "
                + "examples, expected \(expected.examples): the statistics cover only the batches trained on")
        let overAll = expected.loss * Double(expected.examples) / Double(setup.data.count)
        expectClose(
            actual.loss, expected.loss, "the mean loss of the 2 batches trained on",
            hint: Tolerance().accepts(actual.loss, overAll)
                ? "divide by the examples trained on (\(expected.examples)), not by data.count (\(setup.data.count))"
                : "the mean loss is Σ (batch loss × batch size) / examples trained on, over the 2 batches trained on")
        expectClose(
            model.table.value, expected.table, "the model's parameter after stopping at batch 2",
            hint: "the update of batch 2 happens before afterBatch is asked, none after it")
    }

    @Test("trainEpoch learns generated digits: the loss falls and the accuracy is well above chance")
    func trainEpochLearns() throws {
        // 300 generated 28×28 images of 10 classes, read back from IDX files; your 784 → 32 → 10 network
        // and SGD with momentum (stages 4 and 7).
        let (train, test) = try (Self.generated.get().train.flattened(), Self.generated.get().test.flattened())
        var initializer = testGenerator(seed: 90)
        let (model, optimizer) = try student(9) {
            (
                Exercises.TwoLayerNetwork(inputs: 784, hidden: 32, outputs: 10, using: &initializer),
                Exercises.SGD(learningRate: 0.05, momentum: 0.9)
            )
        }
        var shuffling = testGenerator(seed: 91)
        var epochs: [EpochStatisticsValues] = []
        for _ in 0..<5 {
            let statistics = try student(9) {
                Exercises.trainEpoch(model, on: train, batchSize: 20, optimizer: optimizer, using: &shuffling)
            }
            epochs.append(EpochStatisticsValues(loss: statistics.loss, accuracy: statistics.accuracy))
        }
        let losses = epochs.map { String(format: "%.3f", $0.loss) }.joined(separator: ", ")
        try #require(
            epochs.allSatisfy { $0.loss.isFinite },
            Comment(
                rawValue: "the loss became \(losses): look for "
                    + "log(0) or a gradient that is too large"))
        check(
            epochs[4].loss < 0.5 * epochs[0].loss,
            "the mean loss of 5 epochs is \(losses): it should fall to less "
                + "than half of the first epoch's. Is optimizer.step called after backward, on network.parameters?")
        let accuracy = try student(9) { fractionRight(model, test) }
        check(
            accuracy > 0.6,
            "after 5 epochs the network classifies \(Int((accuracy * 100).rounded()))% of 100 new "
                + "generated images right; chance is 10% and a right trainEpoch reaches well over 60%. Does trainEpoch train "
                + "on every batch (losses \(losses))? If the checks of stages 4 and 7 fail, fix those first.")
    }

    // MARK: Confusion matrix

    @Test("confusionMatrix of the walkthrough's six predictions")
    func confusionWorkedExample() throws {
        // docs/09-mnist.md: labels [0, 0, 1, 2, 2, 2], predictions [0, 1, 1, 2, 0, 2].
        let actual = try student(9) {
            Exercises.confusionMatrix(predicted: [0, 1, 1, 2, 0, 2], labels: [0, 0, 1, 2, 2, 2], classes: 3)
        }
        let expected = [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
        logComparison(
            "confusionMatrix (the walkthrough's six predictions)", "\(actual)", "\(expected)",
            passed: actual == expected)
        check(
            actual == expected,
            "confusionMatrix of the walkthrough's example is \(actual), expected \(expected)"
                + confusionHint(actual, expected))
    }

    @Test("confusionMatrix matches the reference on random predictions", arguments: seeds)
    func confusionMatchesReference(seed: UInt64) throws {
        var generator = testGenerator(seed: seed + 60)
        let labels = (0..<40).map { _ in generator.nextInt(below: 4) }
        // Right about half the time, so that the diagonal stands out.
        let predicted = labels.map { generator.nextInt(below: 2) == 0 ? $0 : generator.nextInt(below: 4) }
        let actual = try student(9) { Exercises.confusionMatrix(predicted: predicted, labels: labels, classes: 4) }
        let expected = try reference(predicted, labels) {
            Solutions.confusionMatrix(predicted: predicted, labels: labels, classes: 4)
        }
        check(
            actual == expected,
            "confusionMatrix of 40 random predictions of 4 classes is \(actual), expected "
                + "\(expected)" + confusionHint(actual, expected))
    }

    // MARK: classify

    @Test("classify gives the reference's class and probabilities for one raw image", arguments: seeds)
    func classifyMatchesReference(seed: UInt64) throws {
        // Images of 5×6 raw pixels and scores x·W of 4 classes.
        let weight = randomTensor([30, 4], seed: seed + 70)
        var generator = testGenerator(seed: seed + 80)
        for _ in 0..<3 {
            let image = Tensor(shape: [5, 6]) { _ in Double(generator.nextInt(below: 256)) }
            let actual = try student(9) { Exercises.classify(image, with: FixedScores(weight)) }
            let (label, probabilities, unscaled) = try reference(weight, image) { () -> (Int, [Double], Tensor) in
                let model = FixedScores(weight)
                let expected = Solutions.classify(image, with: model)
                return (
                    expected.label, expected.probabilities,
                    Solutions.softmax(model.logits(image.reshaped([1, image.count])))
                )
            }
            try #require(
                actual.probabilities.count == 4,
                Comment(
                    rawValue: "classify returned \(actual.probabilities.count) "
                        + "probabilities for a network of 4 classes: return one per class, the row of softmax(logits)"))
            expectClose(
                Tensor(actual.probabilities), Tensor(probabilities), "classify's probabilities",
                hint: classifyHint(actual.probabilities, unscaled: unscaled))
            check(
                actual.label == label,
                "classify's label is \(actual.label), expected \(label): "
                    + "the label is the class with the largest probability")
        }
    }

    // MARK: Real MNIST (only with a data directory)

    @Test(
        "on real MNIST (when a data directory has it): preprocess, then 3 epochs on 2,000 digits learn them",
        .enabled(if: RealMNIST.images != nil, Comment(rawValue: RealMNIST.skipMessage)))
    func realMNIST() throws {
        let all = try #require(RealMNIST.images)
        let train = all.subset(0..<2000)
        let test = all.subset(2000..<3000)
        let actual = try student(9) { try Exercises.dataset(from: train) }
        let expected = train.flattened()
        expectClose(
            actual.inputs, expected.inputs, "the first 2,000 MNIST test images after preprocess", tolerance: .tight,
            hint: preprocessHint(actual.inputs, pixels: train.pixelTensor()))
        var initializer = testGenerator(seed: 95)
        let (model, optimizer) = try student(9) {
            (
                Exercises.TwoLayerNetwork(inputs: 784, hidden: 64, outputs: 10, using: &initializer),
                Exercises.SGD(learningRate: 0.02, momentum: 0.9)
            )
        }
        var shuffling = testGenerator(seed: 96)
        var statistics: [Exercises.EpochStatistics] = []
        for _ in 0..<3 {
            statistics.append(
                try student(9) {
                    Exercises.trainEpoch(model, on: expected, batchSize: 32, optimizer: optimizer, using: &shuffling)
                })
        }
        let accuracy = try student(9) { fractionRight(model, test.flattened()) }
        let losses = statistics.map { String(format: "%.3f", $0.loss) }.joined(separator: ", ")
        check(
            accuracy > 0.8,
            "after 3 epochs on 2,000 MNIST images (training losses \(losses)) the network "
                + "classifies \(String(format: "%.1f", accuracy * 100))% of 1,000 others right; with right stages 4, 7 and 9 it reaches 85–89%"
        )
    }

    // MARK: Data

    /// 300 generated training images and 100 test images, written as IDX files and read back.
    static let generated: Result<GeneratedImages, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "neuralkit-stage09-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func roundTrip(_ name: String, count: Int, seed: UInt64, compressed: Bool) throws -> ImageDataset {
            let (pixels, labels) = generatedDigits(count: count, seed: seed)
            let images = folder.appendingPathComponent("\(name)-images-idx3-ubyte" + (compressed ? ".gz" : "")).path
            let labelsPath = folder.appendingPathComponent("\(name)-labels-idx1-ubyte" + (compressed ? ".gz" : "")).path
            try IDX.write(IDXArray(dimensions: [count, 28, 28], bytes: pixels), to: images, compressed: compressed)
            try IDX.write(
                IDXArray(dimensions: [count], bytes: labels.map(UInt8.init)), to: labelsPath, compressed: compressed)
            return try ImageDataset.load(
                images: images, labels: labelsPath, classNames: (0..<10).map(String.init),
                title: "generated digits (\(name))")
        }
        return GeneratedImages(
            train: try roundTrip("train", count: 300, seed: 1, compressed: true),
            test: try roundTrip("t10k", count: 100, seed: 2, compressed: false))
    }
}

/// The generated images of the suite, read back from IDX files.
struct GeneratedImages: Sendable {
    let train: ImageDataset
    let test: ImageDataset
}

/// Generated "digits": class k is a bar 3 pixels thick — classes 0–4 horizontal at
/// rows 3, 8, …, 23, classes 5–9 vertical at the same columns — shifted by up to
/// 2 pixels, of random brightness, with speckles of noise. Seeded (with the grading salt).
private func generatedDigits(count: Int, seed: UInt64) -> (pixels: [UInt8], labels: [Int]) {
    var generator = testGenerator(seed: 1000 + seed)
    var pixels = [UInt8](repeating: 0, count: count * 784)
    var labels: [Int] = []
    for image in 0..<count {
        let label = generator.nextInt(below: 10)
        labels.append(label)
        let position = 3 + 5 * (label % 5) + generator.nextInt(below: 5) - 2
        let brightness = 150 + generator.nextInt(below: 106)
        let (start, end) = (2 + generator.nextInt(below: 6), 20 + generator.nextInt(below: 7))
        for along in start..<end {
            for across in position..<(position + 3) where (0..<28).contains(across) {
                let (row, column) = label < 5 ? (across, along) : (along, across)
                pixels[image * 784 + row * 28 + column] = UInt8(brightness)
            }
        }
        for _ in 0..<30 {
            pixels[image * 784 + generator.nextInt(below: 784)] = UInt8(generator.nextInt(below: 256))
        }
    }
    return (pixels, labels)
}

/// MNIST's test split, when the data directory (`NEURALKIT_DATA` or ./data) has it.
private enum RealMNIST {
    static let images: ImageDataset? = try? ImageDataset.load("mnist", split: .test)
    static let skipMessage =
        "no MNIST in the data directory \(DataDirectory.resolve().path). "
        + "Run `swift run kit data mnist` or set NEURALKIT_DATA=DIR to check your code on real digits too."
}

/// 50 examples of 3 classes, each a row [i, noise]; an `ExampleTable` model with random logits;
/// a plain gradient step; batches of 16.
private struct EpochSetup {
    static let batchSize = 16, classes = 3, learningRate = 0.5
    let data: Dataset
    let table: Tensor
    let shuffling: SeededGenerator

    init(seed: UInt64) {
        var generator = testGenerator(seed: seed + 40)
        let labels = (0..<50).map { _ in generator.nextInt(below: Self.classes) }
        let inputs = Tensor(shape: [50, 2]) { $0 % 2 == 0 ? Double($0 / 2) : generator.nextUnit() }
        data =
            (try? Dataset(inputs: inputs, labels: labels, classCount: Self.classes))
            ?? ToyDataset.blobs.generate(count: 50)
        table = randomTensor([50, Self.classes], seed: seed + 41, scale: 1.5)
        shuffling = testGenerator(seed: seed + 42)
    }

    func model() -> ExampleTable { ExampleTable(table) }

    func optimizer() -> PlainStep { PlainStep(learningRate: Self.learningRate) }

    /// The batches the student's `miniBatches` (stage 7) draws from `shuffling`, and the generator
    /// after it. Any correct shuffle is fine; batches that are not a split of `0..<count` fail here.
    func studentBatches() throws -> (batches: [[Int]], generatorAfter: SeededGenerator) {
        var generator = shuffling
        let batches = try student(9) {
            Exercises.miniBatches(count: data.count, batchSize: Self.batchSize, using: &generator)
        }
        try #require(
            batches.flatMap { $0 }.sorted() == Array(0..<data.count) && batches.allSatisfy { !$0.isEmpty }
                && batches.dropLast().allSatisfy { $0.count == Self.batchSize },
            Comment(
                rawValue: "miniBatches(count: \(data.count), batchSize: \(Self.batchSize)) of stage 7 gave batches "
                    + "of sizes \(batches.map(\.count)): trainEpoch is checked on your own batches, so fix stage 7 first "
                    + "(swift test --filter Stage07)"))
        return (batches, generator)
    }

    /// What trainEpoch must report and leave in the table after training on `batches` (the first
    /// batches of an epoch of `batchCount`), from each example's reference values: a batch's loss is
    /// the mean of its examples' losses, and example i's row moves by −η · ∂L/∂logitsᵢ / batch size.
    func expectedEpoch(on batches: [[Int]], of batchCount: Int? = nil) throws -> ExpectedEpoch {
        let (losses, right, gradients) = try reference(table, data.labels) { () -> ([Double], [Bool], [Tensor]) in
            var result: ([Double], [Bool], [Tensor]) = ([], [], [])
            for i in 0..<data.count {
                let logits = table.rows([i])
                let targets = try Solutions.oneHot([data.labels[i]], classes: Self.classes)
                result.0.append(Solutions.crossEntropy(Solutions.softmax(logits), targets: targets))
                result.1.append(Solutions.classIndices(logits) == [data.labels[i]])
                result.2.append(Solutions.softmaxCrossEntropyBackward(logits: logits, targets: targets))
            }
            return result
        }
        var epoch = ExpectedEpoch(table: table)
        var (total, correct) = (0.0, 0)
        var rows = table.scalars
        for (offset, batch) in batches.enumerated() {
            let batchLoss = batch.map { losses[$0] }.reduce(0, +) / Double(batch.count)
            total += batchLoss * Double(batch.count)
            correct += batch.filter { right[$0] }.count
            epoch.examples += batch.count
            for i in batch {
                for (k, g) in gradients[i].scalars.enumerated() {
                    rows[i * Self.classes + k] -= Self.learningRate * g / Double(batch.count)
                }
            }
            epoch.progress.append(
                ExpectedProgress(
                    batch: offset + 1, batchCount: batchCount ?? batches.count,
                    examples: epoch.examples, loss: batchLoss,
                    meanLoss: total / Double(epoch.examples),
                    accuracy: Double(correct) / Double(epoch.examples)))
        }
        epoch.loss = total / Double(max(epoch.examples, 1))
        epoch.accuracy = Double(correct) / Double(max(epoch.examples, 1))
        epoch.table = Tensor(shape: table.shape, scalars: rows)
        return epoch
    }
}

/// What one epoch of trainEpoch must give.
private struct ExpectedEpoch {
    var table: Tensor
    var progress: [ExpectedProgress] = []
    var examples = 0
    var loss = 0.0
    var accuracy = 0.0
}

/// What afterBatch must be told after one batch.
private struct ExpectedProgress {
    let batch, batchCount, examples: Int
    let loss, meanLoss, accuracy: Double
}

/// The fraction of `data` that `model`'s largest logit classifies right.
private func fractionRight(_ model: any Classifier, _ data: Dataset) -> Double {
    let predicted = model.logits(data.inputs).argmax(alongAxis: 1)
    return Double(zip(predicted, data.labels).filter { $0 == $1 }.count) / Double(max(data.count, 1))
}

private struct EpochStatisticsValues {
    let loss: Double
    let accuracy: Double
}

/// Names the typical preprocessing mistake behind `actual`.
private func preprocessHint(_ actual: Tensor, pixels: Tensor) -> String? {
    let rows = pixels.shape.first ?? 0
    let width = rows > 0 ? pixels.count / rows : 0
    guard actual.shape == [rows, width] else {
        if actual.shape == pixels.shape {
            return "flatten each image into one row: [count, height, width] → [count, height × width]"
        }
        return "the result needs one row per image and height × width columns"
    }
    let flat = pixels.flattenedBatch()
    var mistakes = [
        LikelyMistake(flat, hint: "the pixels are not scaled: divide them by 255 so that they lie in [0, 1]"),
        LikelyMistake(
            flat / 256, hint: "divide by 255, the largest byte, not 256: a white pixel must become exactly 1"),
    ]
    if pixels.rank == 3, pixels.shape[1] != pixels.shape[2] {
        let columnsFirst = Tensor(shape: flat.shape) { i in
            let (image, k) = (i / width, i % width)
            let (h, w) = (pixels.shape[1], pixels.shape[2])
            return pixels.scalars[image * width + (k % h) * w + k / h] / 255
        }
        mistakes.append(
            LikelyMistake(
                columnsFirst,
                hint: "the images are flattened column by column: keep the "
                    + "row-major order, row after row"))
    }
    let maxima = flat.max(alongAxis: 1, keepingDimension: true)
    mistakes.append(
        LikelyMistake(
            flat / max(maxima, 1),
            hint: "each image is divided by its own brightest pixel: "
                + "divide every pixel by 255, so that the same grey means the same number in every image"))
    return mistakes.hint(for: actual, tolerance: .tight)
}

/// Names a swapped or otherwise wrong confusion matrix.
private func confusionHint(_ actual: [[Int]], _ expected: [[Int]]) -> String {
    let transposed = expected.indices.map { i in expected.indices.map { j in expected[j][i] } }
    if actual == transposed, actual != expected {
        return
            ": rows and columns are swapped. Row t counts the examples whose TRUE class is t, column p those predicted as p: matrix[label][prediction] += 1"
    }
    if actual.count != expected.count || actual.contains(where: { $0.count != expected.count }) {
        return ": it must have classes × classes entries"
    }
    let total = actual.joined().reduce(0, +)
    let expectedTotal = expected.joined().reduce(0, +)
    if total != expectedTotal {
        return ": the counts add up to \(total), but every one of the \(expectedTotal) examples counts exactly once"
    }
    return ""
}

/// Names the typical mistake behind wrong probabilities from `classify`: `unscaled` is what the
/// reference's softmax gives on the raw pixels, without preprocessing.
private func classifyHint(_ actual: [Double], unscaled: Tensor) -> String? {
    let sum = actual.reduce(0, +)
    if Swift.abs(sum - 1) > 1e-6 {
        return
            "the probabilities add up to \(String(format: "%.4f", sum)), not 1: return softmax of the logits, not the logits"
    }
    if mismatch(Tensor(actual), Tensor(unscaled.scalars)) == nil {
        return "the pixels were not preprocessed: divide them by 255 as in training (call your preprocess), or the "
            + "network sees inputs 255 times larger than the ones it learned from"
    }
    return "make a batch of one image ([1, height, width]), preprocess it, then softmax(network.logits(...))"
}
