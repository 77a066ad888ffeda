import Exercises
import Foundation
import NeuralKit
import Solutions
import Testing

/// Stage 8: predictions, accuracy, and the training loop, up to a network that learns the spirals.
@Suite("Stage 8 · Toy classification")
struct Stage08ToyClassification {
    // MARK: Predictions and accuracy

    @Test("predict picks the class with the largest logit")
    func predictWorkedExample() throws {
        // docs/08-toy-classification.md
        let network = FixedLogits(Tensor([[0.1, 2.0, -1.0], [3.0, 0.5, 0.2], [-1.0, -2.0, -0.5]]))
        let predicted = try student(8) { Exercises.predict(network, Tensor(zeros: [3, 2])) }
        logComparison(
            "predict (the walkthrough's logits)", "\(predicted)", "[1, 0, 2]", passed: predicted == [1, 0, 2])
        check(
            predicted == [1, 0, 2],
            "predict gave \(predicted) for the logits [[0.1, 2, −1], [3, 0.5, 0.2], [−1, −2, −0.5]], "
                + "expected [1, 0, 2]: the class of a row is the column of its largest logit")
    }

    @Test("predict matches the reference on a model's logits", arguments: seeds)
    func predictMatchesReference(seed: UInt64) throws {
        let weight = randomTensor([4, 5], seed: seed &+ 800)
        let x = randomTensor([9, 4], seed: seed &+ 804)
        let predicted = try student(8) { Exercises.predict(FixedScores(weight), x) }
        let expected = try reference(weight, x) { Solutions.predict(FixedScores(weight), x) }
        check(
            predicted == expected,
            "predict gave \(predicted), expected \(expected): one class per example (row), "
                + "the column of its largest logit")
    }

    @Test("accuracy is the fraction of right predictions: 3 of 5 is 0.6")
    func accuracyWorkedExample() throws {
        // docs/08-toy-classification.md
        let (some, all) = try student(8) {
            (
                Exercises.accuracy(predicted: [0, 1, 2, 1, 0], labels: [0, 1, 1, 1, 2]),
                Exercises.accuracy(predicted: [2, 0, 1], labels: [2, 0, 1])
            )
        }
        expectClose(
            some, 0.6, "accuracy(predicted: [0, 1, 2, 1, 0], labels: [0, 1, 1, 1, 2])",
            hint: some == 60 ? "return a fraction in [0, 1], not a percentage" : "count the positions where they agree")
        expectClose(all, 1, "accuracy when every prediction is right")
    }

    @Test("accuracy matches the reference on random labels", arguments: seeds)
    func accuracyMatchesReference(seed: UInt64) throws {
        var generator = testGenerator(seed: seed &+ 810)
        let labels = (0..<40).map { _ in generator.nextInt(below: 4) }
        let predicted = labels.map { generator.nextUnit() < 0.7 ? $0 : generator.nextInt(below: 4) }
        let actual = try student(8) { Exercises.accuracy(predicted: predicted, labels: labels) }
        expectClose(
            actual, try reference(predicted, labels) { Solutions.accuracy(predicted: predicted, labels: labels) },
            "accuracy",
            hint: "the number of positions with predicted[i] == labels[i], divided by labels.count")
    }

    // MARK: The training loop

    @Test("every epoch trains on each example exactly once, with its own label")
    func trainSeesEveryExampleWithItsLabel() throws {
        let data = try indexedDataset(count: 10, classes: 3, seed: 820)
        let spy = SpyNetwork(classes: 3)
        var generator = testGenerator(seed: 821)
        let losses = try student(8) {
            Exercises.train(spy, on: data, epochs: 3, batchSize: 4, optimizer: OptimizerSpy(), using: &generator)
        }
        let epochs = spy.epochs(of: data.count)
        check(
            epochs.count == 3 && epochs.allSatisfy { $0.count == data.count },
            "train(epochs: 3) on 10 examples trained on \(spy.seen.count) examples in all (\(spy.batchSizes)), expected 3 × 10: "
                + "each epoch must go through all the mini-batches, the last, shorter one too")
        for (number, epoch) in epochs.enumerated() {
            let indices = epoch.map(\.index)
            check(
                indices.sorted() == Array(0..<data.count),
                "epoch \(number + 1) trained on the examples \(indices): each must appear exactly once")
            let mismatched = epoch.filter { $0.label != data.labels[$0.index] }
            check(
                mismatched.isEmpty,
                "epoch \(number + 1) paired example \(mismatched.first?.index ?? 0) with the label "
                    + "\(mismatched.first?.label ?? 0), but its label is \(data.labels[mismatched.first?.index ?? 0]): "
                    + "take the inputs and the labels of a batch with the SAME indices (`data.inputs.rows(batch)` and "
                    + "`batch.map { data.labels[$0] }`)")
        }
        check(
            spy.batchSizes.allSatisfy { $0 <= 4 },
            "train(batchSize: 4) trained on batches of \(spy.batchSizes): "
                + "use `miniBatches(count:batchSize:using:)`")
        check(
            Set(epochs.map { $0.map(\.index) }).count > 1,
            "every epoch went through the examples in the same order: call miniBatches once per epoch, with `generator`"
        )
        // With logits of 0, every example's loss is log 3, whatever the batch.
        check(
            losses.count == 3,
            "train(epochs: 3) returned \(losses.count) losses: return one (the epoch's mean) per epoch")
        for (number, loss) in losses.enumerated() {
            expectClose(
                loss, log(3), "the loss of epoch \(number + 1) with logits all 0",
                hint: "return the MEAN loss of the epoch's examples, not the sum of its batch losses")
        }
    }

    @Test("each epoch's loss weights every batch's loss by its size (the short last batch counts less)")
    func trainWeightsTheBatchLossesBySize() throws {
        // 10 examples in batches of 4, 4 and 2, each example with its own loss: the mean over the
        // examples is the same whatever the order, the plain mean of the 3 batch losses is not.
        let data = try indexedDataset(count: 10, classes: 3, seed: 870)
        let network = IndexedLogits(classes: 3, seed: 871)
        var generator = testGenerator(seed: 872)
        let losses = try student(8) {
            Exercises.train(network, on: data, epochs: 3, batchSize: 4, optimizer: OptimizerSpy(), using: &generator)
        }
        let batches = network.batches
        try #require(
            losses.count == 3 && batches.count == 9 && batches.allSatisfy { !$0.isEmpty },
            Comment(
                rawValue: "train(epochs: 3) of 10 examples in batches of 4 returned \(losses.count) losses and "
                    + "trained on batches of \(batches.map(\.count)), expected 3 losses and 3 epochs of batches of 4, 4 and 2 "
                    + "(see the check that every epoch trains on each example once)"))
        // Each example's own loss, from the reference: a batch's loss is the mean of its examples'.
        let exampleLosses = try reference(network.table, data.labels) { () -> [Double] in
            try (0..<data.count).map { i in
                Solutions.crossEntropy(
                    Solutions.softmax(network.table.rows([i])),
                    targets: try Solutions.oneHot([data.labels[i]], classes: 3))
            }
        }
        let expected = exampleLosses.reduce(0, +) / Double(exampleLosses.count)
        let batchLosses = batches.map { batch in batch.map { exampleLosses[$0] }.reduce(0, +) / Double(batch.count) }
        for (number, loss) in losses.enumerated() {
            let epoch = batchLosses[(3 * number)..<(3 * number + 3)]
            let unweighted = epoch.reduce(0, +) / Double(epoch.count)
            expectClose(
                loss, expected, "the loss of epoch \(number + 1), whose batches have 4, 4 and 2 examples",
                hint: Tolerance().accepts(loss, unweighted)
                    ? "that is the plain mean of the 3 batch losses, but the last batch has only 2 examples: weight "
                        + "each batch's loss by its size (total += loss · batch.count) and divide by data.count"
                    : "the epoch's loss is the mean over its examples: Σ (batch loss × batch size) / data.count")
        }
    }

    @Test("train shuffles with the generator passed in: the same seed gives the same order, another seed another")
    func trainIsReproducible() throws {
        let data = try indexedDataset(count: 12, classes: 3, seed: 830)
        let (first, second, third) = (SpyNetwork(classes: 3), SpyNetwork(classes: 3), SpyNetwork(classes: 3))
        var a = testGenerator(seed: 831)
        var b = testGenerator(seed: 831)
        var c = testGenerator(seed: 832)
        try student(8) {
            Exercises.train(first, on: data, epochs: 2, batchSize: 5, optimizer: OptimizerSpy(), using: &a)
            Exercises.train(second, on: data, epochs: 2, batchSize: 5, optimizer: OptimizerSpy(), using: &b)
            Exercises.train(third, on: data, epochs: 2, batchSize: 5, optimizer: OptimizerSpy(), using: &c)
        }
        check(
            first.seen.map(\.index) == second.seen.map(\.index),
            "two runs of train with generators of the same seed visited the examples in different orders: "
                + "shuffle only with the `generator` passed in")
        check(
            first.seen.map(\.index) != third.seen.map(\.index),
            "train visited the examples in the same order with generators of different seeds: "
                + "pass `&generator` on to miniBatches instead of making a SeededGenerator inside")
    }

    @Test("train with the whole set as one batch matches the reference, epoch by epoch", arguments: seeds)
    func fullBatchTrainMatchesReference(seed: UInt64) throws {
        // One batch of all the examples: the order inside it does not change the update,
        // so any correct shuffle gives the reference's numbers.
        let data = try indexedDataset(count: 30, classes: 3, seed: seed &+ 840)
        let table = randomTensor([30, 3], seed: seed &+ 860)
        let mine = ExampleTable(table)
        var a = testGenerator(seed: seed &+ 841)
        let myLosses = try student(8) {
            Exercises.train(mine, on: data, epochs: 4, batchSize: 30, optimizer: PlainStep(learningRate: 5), using: &a)
        }
        let (theirLosses, theirValues) = try reference(data, table) { () -> ([Double], [Tensor]) in
            let theirs = ExampleTable(table)
            var b = SeededGenerator(seed: 842)
            let losses = Solutions.train(
                theirs, on: data, epochs: 4, batchSize: 30, optimizer: PlainStep(learningRate: 5), using: &b)
            return (losses, theirs.parameters.map(\.value))
        }
        expectClose(
            Tensor(myLosses), Tensor(theirLosses), "the losses of 4 full-batch epochs",
            hint: "each epoch's loss is the mean cross-entropy of its batches, computed before each update")
        for (p, q) in zip(mine.parameters, theirValues) {
            expectClose(
                p.value, q, "the model's \(p.name) after 4 epochs",
                hint: "one trainStep per batch, with the batch's own one-hot labels and the optimizer passed in")
        }
    }

    // MARK: Learning the toy datasets

    /// The budget: 2 → 64 → classes, SGD η = 0.1 with momentum 0.9, batches of 32, 150 epochs on
    /// 800 points. The reference reaches 97.5–100% test accuracy on spirals over 100 seeds (moons: 99–100%).
    @Test("train reaches 95% test accuracy, and the loss falls", arguments: [ToyDataset.spirals, .moons])
    func trainLearnsTheToyDataset(dataset: ToyDataset) throws {
        var generator = testGenerator(seed: 850)
        let split = dataset.trainTestSplit(count: 1000, noise: dataset == .spirals ? 0.04 : nil, seed: generator.next())
        let (losses, testAccuracy) = try student(8) { () -> ([Double], Double) in
            let network = Exercises.TwoLayerNetwork(
                inputs: 2, hidden: 64, outputs: split.train.classCount, using: &generator)
            let losses = Exercises.train(
                network, on: split.train, epochs: 150, batchSize: 32,
                optimizer: Exercises.SGD(learningRate: 0.1, momentum: 0.9), using: &generator)
            return (
                losses,
                Exercises.accuracy(predicted: Exercises.predict(network, split.test.inputs), labels: split.test.labels)
            )
        }
        let name = dataset.rawValue
        logComparison(
            "test accuracy after 150 epochs on \(name)", "\(describe(100 * testAccuracy))%", "at least 95%",
            passed: testAccuracy >= 0.95)
        check(
            testAccuracy >= 0.95,
            "after 150 epochs on \(name), your network classifies \(describe(100 * testAccuracy))% "
                + "of the test points right; the reference reaches at least 97.5%. If the other stage 8 checks pass, "
                + "check stages 2–7 (swift test --filter Stage0) and that SGD subtracts η∇w")
        guard let first = losses.first, let last = losses.last else {
            Issue.record("train returned no losses: return the mean loss of each epoch")
            return
        }
        check(losses.count == 150, "train(epochs: 150) returned \(losses.count) losses, one per epoch expected")
        check(
            last < 0.3 * first,
            "the training loss on \(name) went from \(describe(first)) to \(describe(last)) "
                + "in 150 epochs; it should fall below 30% of where it started")
    }
}

// MARK: - Helpers

/// A classifier whose logits are fixed, whatever the input.
private final class FixedLogits: Classifier {
    let fixed: Tensor
    init(_ fixed: Tensor) { self.fixed = fixed }
    func logits(_ input: Tensor) -> Tensor { fixed }
    func backward(logitsGradient: Tensor) -> Tensor { Tensor(zeros: [fixed.rowCount, 2]) }
    var parameters: [Parameter] { [] }
}

/// A classifier that records what it is trained on. Its logits are 0, so the
/// gradient it receives, `(softmax(0) − y)/N = (1/k − y)/N`, is most negative
/// at each example's target class: that recovers the labels train paired with
/// the inputs. Input row `[i, …]` is example `i`.
private final class SpyNetwork: Classifier {
    let classes: Int
    private var lastInput: Tensor?
    /// Every example trained on, in order: its index (from the input) and the label (from the gradient).
    private(set) var seen: [(index: Int, label: Int)] = []
    private(set) var batchSizes: [Int] = []

    init(classes: Int) { self.classes = classes }

    func logits(_ input: Tensor) -> Tensor {
        lastInput = input
        return Tensor(zeros: [input.rowCount, classes])
    }

    func backward(logitsGradient: Tensor) -> Tensor {
        guard let input = lastInput else { return logitsGradient }
        let labels = (-logitsGradient).argmax(alongAxis: 1)
        for row in 0..<input.rowCount { seen.append((Int(input[row, 0].rounded()), labels[row])) }
        batchSizes.append(input.rowCount)
        return Tensor(zeros: input.shape)
    }

    var parameters: [Parameter] { [] }

    /// `seen` cut into consecutive epochs of `count` examples.
    func epochs(of count: Int) -> [[(index: Int, label: Int)]] {
        stride(from: 0, to: seen.count, by: max(count, 1)).map { Array(seen[$0..<min($0 + count, seen.count)]) }
    }
}

/// A classifier without parameters whose logits depend on the example (the index in its input's
/// first column), so that every example has its own loss. Records the batches it is trained on.
private final class IndexedLogits: Classifier {
    let table: Tensor
    private var lastInput: Tensor?
    private(set) var batches: [[Int]] = []

    init(classes: Int, seed: UInt64) { table = randomTensor([10, classes], seed: seed, scale: 2) }

    func logits(of indices: [Int]) -> Tensor { table.rows(indices) }

    func logits(_ input: Tensor) -> Tensor {
        lastInput = input
        return logits(of: (0..<input.rowCount).map { min(max(Int(input[$0, 0].rounded()), 0), table.rowCount - 1) })
    }

    func backward(logitsGradient: Tensor) -> Tensor {
        guard let input = lastInput else { return logitsGradient }
        batches.append((0..<input.rowCount).map { Int(input[$0, 0].rounded()) })
        return Tensor(zeros: input.shape)
    }

    var parameters: [Parameter] { [] }
}

/// `count` examples whose first feature is their index, with random labels.
private func indexedDataset(count: Int, classes: Int, seed: UInt64) throws -> Dataset {
    var generator = testGenerator(seed: seed)
    let inputs = Tensor(shape: [count, 2]) { $0 % 2 == 0 ? Double($0 / 2) : generator.nextUnit() }
    return try Dataset(
        inputs: inputs, labels: (0..<count).map { _ in generator.nextInt(below: classes) }, classCount: classes)
}

/// A seed for a dropout layer or a dataset, mixed with the grading salt.
private func saltedSeed(_ seed: UInt64) -> UInt64 {
    var generator = testGenerator(seed: seed)
    return generator.next()
}
