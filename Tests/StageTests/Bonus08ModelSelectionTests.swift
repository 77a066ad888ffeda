import Exercises
import NeuralKit
import Testing

/// Stage 8, optional: model selection with a validation split, keeping the best epoch's weights
/// (lectures 002 and 004).
@Suite("Stage 8 · Bonus: model selection")
struct Bonus08ModelSelection {
    // MARK: The validation split

    @Test(
        "the validation and training splits are disjoint, cover every example with its label, and have the right sizes",
        arguments: [(count: 50, fraction: 0.2), (count: 7, fraction: 0.5), (count: 12, fraction: 0)])
    func validationSplitPartitionsTheExamples(count: Int, fraction: Double) throws {
        let data = try numberedDataset(count: count)
        var generator = testGenerator(seed: 860)
        let (train, validation) = try student(8) {
            Exercises.validationSplit(data, fraction: fraction, using: &generator)
        }
        let (trainIndices, validationIndices) = (numbers(of: train), numbers(of: validation))
        let exact = Double(count) * fraction
        let sizes = Int(exact.rounded(.down))...Int(exact.rounded(.up))
        check(
            sizes.contains(validationIndices.count),
            "validationSplit(fraction: \(describe(fraction))) of \(count) examples gave \(validationIndices.count) "
                + "validation examples, expected \(describe(exact)) rounded (\(sizes.lowerBound)"
                + (sizes.count > 1 ? " or \(sizes.upperBound))" : ")")
                + (validationIndices.count == count - sizes.lowerBound ? ": the two sets are swapped" : ""))
        check(
            Set(trainIndices).isDisjoint(with: validationIndices),
            "examples \(Set(trainIndices).intersection(validationIndices).sorted()) are in both sets: "
                + "a validation example must never be trained on")
        check(
            (trainIndices + validationIndices).sorted() == Array(0..<count),
            "the two sets hold examples \((trainIndices + validationIndices).sorted()), expected each of "
                + "0..<\(count) exactly once: cut ONE random order of all the examples in two")
        for set in [train, validation] {
            let wrong = zip(numbers(of: set), set.labels).first { $0.1 != label(of: $0.0) }
            check(
                wrong == nil,
                "example \(wrong?.0 ?? 0) came with the label \(wrong?.1 ?? 0), but its label is "
                    + "\(label(of: wrong?.0 ?? 0)): take the inputs and the labels with the same indices "
                    + "(`data.subset(indices)`)")
        }
    }

    @Test("the validation split is drawn with the generator passed in: a random draw, the same for the same seed")
    func validationSplitIsRandomAndReproducible() throws {
        let data = try numberedDataset(count: 100)
        let draws = try [861, 861, 862].map { (seed: UInt64) -> [Int] in
            var generator = testGenerator(seed: seed)
            return try student(8) {
                numbers(of: Exercises.validationSplit(data, fraction: 0.2, using: &generator).validation).sorted()
            }
        }
        check(
            draws[0] == draws[1],
            "two generators with the same seed gave different validation sets: draw them only from `generator`")
        check(
            draws[0] != draws[2],
            "generators of different seeds gave the same validation set \(draws[0]): draw it from `generator`")
        check(
            draws[0] != Array(0..<20) && draws[0] != Array(80..<100),
            "the validation set is the \(draws[0] == Array(0..<20) ? "first" : "last") 20 examples: "
                + "data is often sorted (by class, by date), so draw the validation examples at random")
    }

    // MARK: Keeping the best epoch

    /// A network whose weight an optimizer sets epoch by epoch, so that the validation accuracy is
    /// 0.3, 0.8, 0.5, 0.2: the last epoch is the worst, the second the best.
    @Test("trainKeepingBest returns the best validation epoch and leaves the network holding its weights")
    func trainKeepingBestRestoresTheBestEpoch() throws {
        let network = ThresholdNetwork()
        let data = try Dataset(
            inputs: Tensor(shape: [10, 1]) { Double($0) }, labels: Array(repeating: 1, count: 10),
            classCount: 2)
        let optimizer = ScriptedOptimizer(values: [2.5, 7.5, 4.5, 1.5])
        var generator = testGenerator(seed: 863)
        let result = try student(8) {
            Exercises.trainKeepingBest(
                network, on: data, validation: data, epochs: 4, batchSize: 10, optimizer: optimizer,
                using: &generator)
        }
        let message =
            "with one batch per epoch, 4 epochs took \(optimizer.steps) optimizer steps, expected 4: train one "
            + "epoch at a time, for `epochs` epochs"
        try #require(optimizer.steps == 4, Comment(rawValue: message))
        expectClose(
            Tensor(result.accuracies), Tensor([0.3, 0.8, 0.5, 0.2]), "the validation accuracy of each epoch",
            hint: "after each epoch's training, the accuracy of `predict(network, validation.inputs)` against "
                + "`validation.labels`")
        check(
            result.bestEpoch == 2,
            "trainKeepingBest returned best epoch \(result.bestEpoch); the validation accuracies 0.3, 0.8, 0.5, 0.2 "
                + "make it epoch 2"
                + (result.bestEpoch == 1 ? ": epochs count from 1, not from 0" : "")
                + (result.bestEpoch == 4 ? ": that is the last epoch, not the best" : ""))
        expectClose(result.bestAccuracy, 0.8, "the best validation accuracy")
        expectClose(
            network.threshold.value, Tensor([7.5]), "the network's weight after trainKeepingBest",
            hint: network.threshold.value == Tensor([1.5])
                ? "the network holds the LAST epoch's weights: copy every `parameter.value` when an epoch beats "
                    + "the best (a copy of the Parameter objects is no copy: training changes them), and put "
                    + "the copies back into the parameters at the end"
                : "it must hold the weights of the best epoch, 2")
    }

    @Test("after trainKeepingBest on the moons, the network's validation accuracy is the best of all epochs")
    func trainKeepingBestOnTheMoons() throws {
        let run = try moonsRun(seed: 864)
        guard let best = run.result.accuracies.max() else {
            Issue.record("trainKeepingBest returned no accuracies: return the validation accuracy of each epoch")
            return
        }
        check(
            run.result.accuracies.count == 25,
            "trainKeepingBest(epochs: 25) returned \(run.result.accuracies.count) accuracies, one per epoch expected")
        check(
            run.result.accuracies.indices.contains(run.result.bestEpoch - 1)
                && run.result.accuracies[run.result.bestEpoch - 1] == best,
            "the best epoch is \(run.result.bestEpoch), but the accuracies \(run.result.accuracies.listed) "
                + "peak at \(describe(best)): return an epoch (counted from 1) with the highest validation accuracy")
        expectClose(run.result.bestAccuracy, best, "the best validation accuracy returned")
        expectClose(
            run.finalAccuracy, best, "the network's validation accuracy after trainKeepingBest",
            hint: "put the best epoch's weights back into the network at the end")
    }

    @Test("trainKeepingBest is reproducible: the same seed gives the same epochs, best epoch and weights")
    func trainKeepingBestIsReproducible() throws {
        let (first, second) = (try moonsRun(seed: 865), try moonsRun(seed: 865))
        check(
            first.result.accuracies == second.result.accuracies && first.result.bestEpoch == second.result.bestEpoch,
            "two runs with the same seed gave the validation accuracies \(first.result.accuracies.listed) "
                + "and \(second.result.accuracies.listed): draw every random thing from `generator`")
        check(first.weights == second.weights, "two runs with the same seed ended with different weights")
    }
}

// MARK: - Helpers

/// `count` examples numbered by their first feature, each labelled `label(of: number)`.
private func numberedDataset(count: Int) throws -> Dataset {
    try Dataset(
        inputs: Tensor(shape: [count, 2]) { $0 % 2 == 0 ? Double($0 / 2) : 0.5 },
        labels: (0..<count).map(label(of:)), classCount: 3)
}

private func label(of number: Int) -> Int { number * 7 % 3 }

extension [Double] {
    /// "0.75, 0.9, 1", for messages.
    fileprivate var listed: String { map { describe($0) }.joined(separator: ", ") }
}

/// The numbers of a numbered dataset's examples, in order.
private func numbers(of data: Dataset) -> [Int] {
    (0..<data.inputs.rowCount).map { Int(data.inputs[$0, 0].rounded()) }
}

/// The outcome of 25 epochs of trainKeepingBest on 300 moons points (a fifth held out), with a
/// learning rate large enough that the validation accuracy goes up and down.
private func moonsRun(seed: UInt64) throws -> (
    result: (bestEpoch: Int, bestAccuracy: Double, accuracies: [Double]), finalAccuracy: Double, weights: [Tensor]
) {
    var generator = testGenerator(seed: seed)
    let split = ToyDataset.moons.generate(count: 300, seed: generator.next()).split(
        testFraction: 0.2, using: &generator)
    return try student(8) {
        let network = Exercises.TwoLayerNetwork(inputs: 2, hidden: 16, outputs: 2, using: &generator)
        let result = Exercises.trainKeepingBest(
            network, on: split.train, validation: split.test, epochs: 25, batchSize: 16,
            optimizer: Exercises.SGD(learningRate: 0.5, momentum: 0.9), using: &generator)
        let finalAccuracy = Exercises.accuracy(
            predicted: Exercises.predict(network, split.test.inputs), labels: split.test.labels)
        return (result, finalAccuracy, network.parameters.map(\.value))
    }
}

/// Logits [x − t, 0] for input x: class 1 (the label of every example in the check) exactly when x < t.
private final class ThresholdNetwork: Classifier {
    let threshold = Parameter("threshold", Tensor([0]))

    func logits(_ input: Tensor) -> Tensor {
        let t = threshold.value.scalars.first ?? 0
        return Tensor(shape: [input.rowCount, 2]) { $0 % 2 == 0 ? input[$0 / 2, 0] - t : 0 }
    }

    func backward(logitsGradient: Tensor) -> Tensor { Tensor(zeros: [logitsGradient.rowCount, 1]) }

    var parameters: [Parameter] { [threshold] }
}

/// An optimizer that sets every parameter to the next of `values` at each step, whatever the gradient.
private final class ScriptedOptimizer: Optimizer {
    let values: [Double]
    private(set) var steps = 0

    init(values: [Double]) { self.values = values }

    func step(_ parameters: [Parameter]) {
        let value = values[min(steps, values.count - 1)]
        for parameter in parameters { parameter.value = Tensor(shape: parameter.value.shape) { _ in value } }
        steps += 1
    }
}
