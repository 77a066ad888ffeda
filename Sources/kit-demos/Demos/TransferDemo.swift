import Exercises
import Foundation
import KitCommandLine
import NeuralKit

#if !NEURALKIT_NO_REFERENCE
import Solutions
#endif

// `kit run 10`'s transfer-learning bonus (lecture 001): LeNet-5 pre-trained on generated digits, with a
// new head and its convolutions frozen, against LeNet-5 from scratch, both trained on a few generated
// letters; a table and `transfer-learning.svg` of their accuracy on held-out letters after each epoch.

/// The transfer demo's settings: those of the bonus check (Tests/StageTests/Bonus10TransferLearningTests.swift
/// and Stage10LeNetLearnsTests.swift), with two more epochs on the letters so that the curves show where
/// training from scratch is going, and half the check's draws of letters so that it stays a few seconds.
struct TransferDemoSettings {
    /// Side of the generated images: the smallest LeNet-5 takes.
    var imageSize = 16
    /// Pre-training: generated digits, epochs, SGD's learning rate, and new digits to test it on.
    var digits = 600, pretrainingEpochs = 2, pretrainingRate = 0.01, heldOutDigits = 200
    /// The new task: few letters to train on (4 a class), many new ones to test on.
    var letters = 24, heldOutLetters = 60
    /// Training on the letters, the same for both networks.
    var epochs = 4, batchSize = 5, learningRate = 0.05, momentum = 0.9
    /// LeNet-5's layers kept as they are: conv, ReLU, pool, twice, and flatten (the features).
    var frozenLayers = 7
    /// Draws of letters whose accuracies are averaged: one draw of 24 letters is noisy.
    var draws = 4
    var seed: UInt64 = 10
}

/// The stage 7–10 code the transfer demo calls, of one module (the student's or the reference), behind
/// one face: the two modules' `LeNet5` are different types, so networks travel as `any Classifier`.
private struct TransferCode {
    let leNet: (_ imageSize: Int, _ classes: Int, _ generator: inout SeededGenerator) -> any Classifier
    /// `pretrained` with a new head for `classes`, its first `frozenLayers` layers frozen; nil if it is
    /// not this module's LeNet-5.
    let transferred:
        (_ pretrained: any Classifier, _ classes: Int, _ frozenLayers: Int, _ generator: inout SeededGenerator) ->
            (any Classifier)?
    let sgd: (_ learningRate: Double, _ momentum: Double) -> any Optimizer
    /// One epoch of stage 8's `train`; its mean loss.
    let epoch: (any Classifier, Dataset, _ batchSize: Int, any Optimizer, inout SeededGenerator) -> Double
    /// The fraction of `data` that `predict` classifies right.
    let accuracy: (any Classifier, _ data: Dataset) -> Double

    static var student: TransferCode {
        TransferCode(
            leNet: { Exercises.LeNet5(imageSize: $0, classes: $1, using: &$2) },
            transferred: { pretrained, classes, frozen, generator in
                guard let leNet = pretrained as? Exercises.LeNet5 else { return nil }
                let headed = Exercises.replacingHead(of: leNet, classes: classes, using: &generator)
                return Exercises.FineTuning(headed, frozenLayers: frozen)
            },
            sgd: { Exercises.SGD(learningRate: $0, momentum: $1) },
            epoch: { network, data, batchSize, optimizer, generator in
                Exercises.train(
                    network, on: data, epochs: 1, batchSize: batchSize, optimizer: optimizer, using: &generator
                ).first ?? .nan
            },
            accuracy: { network, data in
                Exercises.accuracy(predicted: Exercises.predict(network, data.inputs), labels: data.labels)
            })
    }

    #if NEURALKIT_NO_REFERENCE
    /// The reference solutions: not in the student edition.
    static var reference: TransferCode {
        get throws { throw StudentEdition.noReference(instead: "Leave out --reference to run your code.") }
    }
    #else
    static var reference: TransferCode {
        get throws {
            TransferCode(
                leNet: { Solutions.LeNet5(imageSize: $0, classes: $1, using: &$2) },
                transferred: { pretrained, classes, frozen, generator in
                    guard let leNet = pretrained as? Solutions.LeNet5 else { return nil }
                    let headed = Solutions.replacingHead(of: leNet, classes: classes, using: &generator)
                    return Solutions.FineTuning(headed, frozenLayers: frozen)
                },
                sgd: { Solutions.SGD(learningRate: $0, momentum: $1) },
                epoch: { network, data, batchSize, optimizer, generator in
                    Solutions.train(
                        network, on: data, epochs: 1, batchSize: batchSize, optimizer: optimizer, using: &generator
                    ).first ?? .nan
                },
                accuracy: { network, data in
                    Solutions.accuracy(predicted: Solutions.predict(network, data.inputs), labels: data.labels)
                })
        }
    }
    #endif
}

extension StageDemos {
    /// Pre-trains LeNet-5 on generated digits, then trains it (new head, convolutions frozen) and a fresh
    /// LeNet-5 on a few generated letters; prints their accuracy on held-out letters after each epoch and
    /// writes the chart to `path`. Student code that is not written yet prints its line and ends the demo.
    static func transferLearning(student: Bool, to path: String, settings: TransferDemoSettings = .init()) throws {
        let code = student ? TransferCode.student : try TransferCode.reference
        let s = settings
        let whose = student ? "your" : "the reference's"
        print(
            "Bonus: transfer learning (lecture 001), \(whose) LeNet-5 on generated \(s.imageSize)×\(s.imageSize) "
                + "glyphs (StrokeGlyphs):")
        let digits = glyphs(.digits, count: s.digits, size: s.imageSize, seed: s.seed)
        let newDigits = glyphs(.digits, count: s.heldOutDigits, size: s.imageSize, seed: s.seed + 1)
        var generator = SeededGenerator(seed: s.seed + 2)
        guard let pretrained = attempt({ code.leNet(s.imageSize, digits.classCount, &generator) }) else {
            print("  (no transfer demo until your LeNet-5 runs)")
            return
        }
        let digitOptimizer = code.sgd(s.pretrainingRate, s.momentum)
        var pretrainingLosses: [Double] = []
        for _ in 0..<s.pretrainingEpochs {
            guard let loss = attempt({ code.epoch(pretrained, digits, s.batchSize, digitOptimizer, &generator) })
            else {
                print("  (no transfer demo until your LeNet-5 trains)")
                return
            }
            pretrainingLosses.append(loss)
        }
        let digitAccuracy = attempt { code.accuracy(pretrained, newDigits) } ?? .nan
        print(
            "  pre-trained on \(s.digits) digits, \(s.pretrainingEpochs) epochs (SGD η = \(s.pretrainingRate), "
                + "momentum \(s.momentum)): mean loss \(pretrainingLosses.map { format($0, digits: 3) }.joined(separator: " → ")), "
                + "\(percent(digitAccuracy)) of \(s.heldOutDigits) new digits right")
        // Each draw of letters starts from the same pre-trained values: fine-tuning moves the dense layers.
        let pretrainedValues = pretrained.parameters.map(\.value)
        let letterClasses = StrokeGlyphs.letters.classNames.count
        var fineTunedSums = [Double](repeating: 0, count: s.epochs + 1)
        var scratchSums = fineTunedSums
        var transferWorks = true
        for draw in 0..<UInt64(s.draws) {
            for (parameter, value) in zip(pretrained.parameters, pretrainedValues) { parameter.value = value }
            let seed = s.seed + 10 * (draw + 1)
            let letters = glyphs(.letters, count: s.letters, size: s.imageSize, seed: seed)
            let newLetters = glyphs(.letters, count: s.heldOutLetters, size: s.imageSize, seed: seed + 1)
            // Separate generators: the network from scratch is the same whether or not transfer runs.
            var (headGenerator, scratchGenerator) = (SeededGenerator(seed: seed + 2), SeededGenerator(seed: seed + 3))
            var fineTuned: (any Classifier)?
            if transferWorks {
                fineTuned =
                    attempt { code.transferred(pretrained, letterClasses, s.frozenLayers, &headGenerator) } ?? nil
                if fineTuned == nil { transferWorks = false }
            }
            guard let scratch = attempt({ code.leNet(s.imageSize, letterClasses, &scratchGenerator) }) else { return }
            for (network, isFineTuned) in [(fineTuned, true), (scratch, false)] {
                guard let network else { continue }
                // Both networks see the letters in the same order.
                var shuffling = SeededGenerator(seed: seed + 4)
                let accuracies = attempt { () -> [Double] in
                    let optimizer = code.sgd(s.learningRate, s.momentum)
                    var measured = [code.accuracy(network, newLetters)]
                    for _ in 0..<s.epochs {
                        _ = code.epoch(network, letters, s.batchSize, optimizer, &shuffling)
                        measured.append(code.accuracy(network, newLetters))
                    }
                    return measured
                }
                guard let accuracies else {
                    if isFineTuned {
                        transferWorks = false
                        continue
                    }
                    print("  (no transfer demo until your LeNet-5 learns the letters)")
                    return
                }
                for (epoch, accuracy) in accuracies.enumerated() {
                    if isFineTuned { fineTunedSums[epoch] += accuracy } else { scratchSums[epoch] += accuracy }
                }
            }
        }
        if !transferWorks { print("  (only LeNet-5 from scratch until replacingHead and FineTuning run)") }
        let fineTuned = transferWorks ? fineTunedSums.map { 100 * $0 / Double(s.draws) } : nil
        let scratch = scratchSums.map { 100 * $0 / Double(s.draws) }
        print(
            "  then \(s.letters) letters (\(StrokeGlyphs.letters.classNames.joined(separator: ", ")), "
                + "\(s.letters / letterClasses) a class), batches of \(s.batchSize), SGD η = \(s.learningRate), "
                + "momentum \(s.momentum); right on \(s.heldOutLetters) held-out letters, mean of \(s.draws) draws:")
        print("    epoch   pre-trained, new head, first \(s.frozenLayers) layers frozen   from scratch")
        for epoch in 0...s.epochs {
            let left = fineTuned.map { pad(String(format: "%.1f%%", $0[epoch]), 6) } ?? "  –   "
            print(
                "    \(pad(String(epoch), 5))   \(pad(left, 45))  \(String(format: "%.1f%%", scratch[epoch]))")
        }
        var chart = LineChart(
            title:
                "Transfer learning: \(s.letters) generated letters after \(s.digits) digits (mean of \(s.draws) draws)",
            xLabel: "epoch on the \(s.letters) letters (0: before training)",
            yLabel: "right on \(s.heldOutLetters) new letters (%)", yRange: 0...100, wholeXTicks: true)
        let points = { (values: [Double]) in values.enumerated().map { (x: Double($0.offset), y: $0.element) } }
        if let fineTuned {
            chart.series.append(
                .init(
                    name: "pre-trained on digits, new head, convolutions frozen (\(whose) code)",
                    points: points(fineTuned)))
        }
        chart.series.append(.init(name: "LeNet-5 from scratch", points: points(scratch)))
        try chart.write(to: path)
        print("wrote \(path)")
    }

    /// `count` generated glyphs as LeNet-5 takes them, `[count, 1, size, size]` in [0, 1].
    private static func glyphs(_ kind: StrokeGlyphs, count: Int, size: Int, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        var data = kind.images(count: count, size: size, using: &generator).flattened()
        data.inputs = data.inputs.reshaped([count, 1, size, size])
        return data
    }
}
