import Exercises
import Foundation
import NeuralKit
import Testing

/// Stage 10 bonus: transfer learning (lecture 001) — replace LeNet-5's head, freeze the other layers,
/// and fine-tune on a new task: generated letters, after generated digits (StrokeGlyphs).
@Suite("Stage 10 · Bonus: transfer learning")
struct Bonus10TransferLearning {
    static let imageSize = 16
    /// LeNet-5's body: conv, ReLU, pool, conv, ReLU, pool, flatten, dense 120, ReLU, dense 84, ReLU, dense.
    static let layerCount = 12

    /// A LeNet-5 for 16×16 images and 10 classes, with random weights.
    static func network(seed: UInt64) throws -> Exercises.LeNet5 {
        var initializer = testGenerator(seed: seed)
        return try student(10) { Exercises.LeNet5(imageSize: imageSize, classes: 10, using: &initializer) }
    }

    @Test("replacingHead gives a new output layer for the new classes and keeps every other layer")
    func replacingHeadKeepsTheFeatures() throws {
        let old = try Self.network(seed: 161)
        var generator = testGenerator(seed: 162)
        let new = try student(10) { Exercises.replacingHead(of: old, classes: 6, using: &generator) }
        let (oldLayers, newLayers) = (old.body.layers, new.body.layers)
        try #require(
            newLayers.count == Self.layerCount,
            Comment(
                rawValue:
                    "the new network has \(newLayers.count) layers, expected LeNet-5's \(Self.layerCount): replace the last "
                    + "layer, do not add one or drop more"))
        guard let head = newLayers.last as? Exercises.Dense else {
            Issue.record("the new network's last layer is \(newLayers[11]), expected a Dense layer")
            return
        }
        check(
            head.weight.value.shape == [84, 6] && head.bias.value.shape == [6],
            "the new head's weight is \(head.weight.value.shape) and its bias \(head.bias.value.shape), expected [84, 6] "
                + "and [6]: as many inputs as the old head (84), one output per new class")
        check(
            !old.parameters.contains { $0 === head.weight },
            "the new head is the old head's weight: make a new Dense layer for the new classes")
        let kept = zip(oldLayers.dropLast().flatMap(\.parameters), newLayers.dropLast().flatMap(\.parameters))
        check(
            kept.allSatisfy { $0.value == $1.value } && newLayers.dropLast().flatMap(\.parameters).count == 8,
            "the layers before the head must keep the trained network's values: only the last layer is new")
        let x = randomTensor([3, 1, Self.imageSize, Self.imageSize], seed: 163)
        let logits = try student(10) { new.logits(x) }
        check(
            logits.shape == [3, 6], "the new network's logits for 3 images have shape \(logits.shape), expected [3, 6]")
    }

    @Test("FineTuning.parameters lists the parameters of the layers after the frozen ones, and only those")
    func fineTuningListsTheTrainableParameters() throws {
        let network = try Self.network(seed: 164)
        for frozen in [11, 9, 7, 3, 0] {
            let listed = try student(10) { Exercises.FineTuning(network, frozenLayers: frozen).parameters }
            let expected = network.body.layers.dropFirst(frozen).flatMap(\.parameters)
            let (listedIDs, expectedIDs) = (
                Set(listed.map(ObjectIdentifier.init)), Set(expected.map(ObjectIdentifier.init))
            )
            check(
                listedIDs == expectedIDs && listed.count == expected.count,
                "FineTuning(network, frozenLayers: \(frozen)).parameters lists \(listed.count) parameters "
                    + "(\(listedIDs.subtracting(expectedIDs).count) of them frozen), expected the \(expected.count) "
                    + "of network.body.layers after the first \(frozen)"
                    + (listed.count == network.parameters.count && frozen > 0
                        ? ": it lists every parameter, so nothing is frozen" : ""))
        }
    }

    @Test("a training step with your SGD leaves the frozen layers untouched and moves the head")
    func trainStepLeavesFrozenParametersUntouched() throws {
        let network = try Self.network(seed: 165)
        let data = glyphImages(.digits, count: 8, size: Self.imageSize, seed: 166)
        let before = network.parameters.map(\.value)
        let targets = try student(10) { try Exercises.oneHot(data.labels, classes: 10) }
        _ = try student(10) {
            let model = Exercises.FineTuning(network, frozenLayers: 9)
            return Exercises.trainStep(
                model, inputs: data.inputs, targets: targets, optimizer: Exercises.SGD(learningRate: 0.1))
        }
        let after = network.parameters.map(\.value)
        // LeNet-5's first 9 layers hold 6 parameters (2 convolutions, dense 120), the last 3 hold 4.
        let moved = zip(before, after).map { $0 != $1 }
        check(
            !moved.prefix(6).contains(true),
            "after a training step of FineTuning(network, frozenLayers: 9), \(moved.prefix(6).filter { $0 }.count) "
                + "of the 6 parameters of the frozen layers changed: list only the trainable layers' parameters")
        check(
            moved.suffix(4).allSatisfy { $0 },
            "after a training step of FineTuning(network, frozenLayers: 9), only "
                + "\(moved.suffix(4).filter { $0 }.count) of the 4 parameters of the last two dense layers changed")
    }

    /// How many draws of letters the comparison averages over: one draw of 24 letters is noisy (over 25 salts,
    /// fine-tuning won by 1 to 58 points), the mean of four still won by only 9 points once in 25; pre-training,
    /// the costly part, is done once.
    static let letterDraws = 8

    /// Mean held-out accuracies on 120 generated letters after 3 epochs on 24 others (4 a class), over
    /// `letterDraws` draws: LeNet-5 pre-trained on generated digits (as `Stage10LeNetLearns` trains it) with a new
    /// head, its convolutional part frozen (the first 7 layers: the features) and its dense layers fine-tuned, and
    /// LeNet-5 trained from scratch, both with your SGD at learning rate 0.05 and momentum 0.9. Each draw starts
    /// from the same pre-trained weights.
    static func transfer(seed: UInt64) throws -> (fineTuned: Double, scratch: Double) {
        let pretrained = try Stage10LeNetLearns.trainedLeNet(seed: seed).network
        let pretrainedValues = pretrained.parameters.map(\.value)
        var (fineTunedTotal, scratchTotal) = (0.0, 0.0)
        for draw in 0..<UInt64(letterDraws) {
            for (parameter, value) in zip(pretrained.parameters, pretrainedValues) { parameter.value = value }
            let letters = glyphImages(.letters, count: 24, size: imageSize, seed: seed + 10 * draw + 1)
            let newLetters = glyphImages(.letters, count: 120, size: imageSize, seed: seed + 10 * draw + 2)
            var generator = testGenerator(seed: seed + 10 * draw + 3)
            let (fineTuned, scratch, fineTuning, fromScratch) = try student(10) {
                (
                    Exercises.FineTuning(
                        Exercises.replacingHead(of: pretrained, classes: 6, using: &generator), frozenLayers: 7),
                    Exercises.LeNet5(imageSize: imageSize, classes: 6, using: &generator),
                    Exercises.SGD(learningRate: 0.05, momentum: 0.9),
                    Exercises.SGD(learningRate: 0.05, momentum: 0.9)
                )
            }
            var shuffling = generator
            _ = try trainWithStudentCode(
                fineTuned, on: letters, epochs: 3, batchSize: 5, optimizer: fineTuning, shuffling: &generator)
            _ = try trainWithStudentCode(
                scratch, on: letters, epochs: 3, batchSize: 5, optimizer: fromScratch, shuffling: &shuffling)
            fineTunedTotal += try fractionClassifiedRight(fineTuned, newLetters)
            scratchTotal += try fractionClassifiedRight(scratch, newLetters)
        }
        return (fineTunedTotal / Double(letterDraws), scratchTotal / Double(letterDraws))
    }

    @Test("after pre-training on digits, fine-tuning the dense layers on 24 letters beats training from scratch")
    func fineTuningBeatsScratch() throws {
        let (fineTuned, scratch) = try Self.transfer(seed: 167)
        let percent = { (fraction: Double) in "\(Int((fraction * 100).rounded()))%" }
        let won = fineTuned > scratch + 0.05
        logComparison(
            "right on new letters, fine-tuned vs from scratch (mean of \(Self.letterDraws) draws)",
            "\(percent(fineTuned)) vs \(percent(scratch))", "fine-tuned ahead by more than 5 points", passed: won)
        check(
            won,
            "on 120 new letters (the mean of \(Self.letterDraws) draws), LeNet-5 pre-trained on digits, with a new "
                + "head and its dense layers fine-tuned on 24 letters, gets \(percent(fineTuned)) right, and LeNet-5 "
                + "trained from scratch on them \(percent(scratch)): the pre-trained features should win by more than "
                + "5 points. Does replacingHead keep the trained layers, and does FineTuning list the parameters of "
                + "the layers after the frozen ones?"
        )
    }
}
