import Exercises
import Foundation
import NeuralKit

#if !NEURALKIT_NO_REFERENCE
import Solutions
#endif

// Stages 7 and 8 on the command line: train a two-layer network on a toy
// dataset, print how the loss and the accuracy move, and draw the decision
// regions it learned. `student: true` runs the code in Exercises/, otherwise
// the reference in Solutions/ (an error in the student edition, which has none).

/// The settings the stage 8 checks use: they reach about 97–100% test accuracy on
/// spirals and moons with the reference.
struct ToyDemoSettings {
    var count = 1000
    var hidden = 64
    var epochs = 150
    var batchSize = 32
    var learningRate = 0.1
    var momentum = 0.9
    var seed: UInt64 = 0
}

/// The stage 7–8 functions of one module (the student's or the reference).
private struct ToyStages {
    let network: (_ inputs: Int, _ hidden: Int, _ outputs: Int, _ generator: inout SeededGenerator) -> any Classifier
    let sgd: (_ learningRate: Double, _ momentum: Double) -> any Optimizer
    let train: (any Classifier, Dataset, _ batchSize: Int, any Optimizer, inout SeededGenerator) -> Double
    let predict: (any Classifier, Tensor) -> [Int]
    let accuracy: (_ predicted: [Int], _ labels: [Int]) -> Double
    let loss: (any Classifier, Dataset) -> Double

    static var student: ToyStages {
        ToyStages(
            network: { Exercises.TwoLayerNetwork(inputs: $0, hidden: $1, outputs: $2, using: &$3) },
            sgd: { Exercises.SGD(learningRate: $0, momentum: $1) },
            train: { network, data, batchSize, optimizer, generator in
                Exercises.train(
                    network, on: data, epochs: 1, batchSize: batchSize, optimizer: optimizer, using: &generator
                ).first ?? .nan
            },
            predict: { Exercises.predict($0, $1) },
            accuracy: { Exercises.accuracy(predicted: $0, labels: $1) },
            loss: { network, data in
                let targets =
                    (try? Exercises.oneHot(data.labels, classes: data.classCount))
                    ?? Tensor(zeros: [data.count, data.classCount])
                return Exercises.crossEntropy(Exercises.softmax(network.logits(data.inputs)), targets: targets)
            })
    }

    #if NEURALKIT_NO_REFERENCE
    /// The reference solutions: not in the student edition.
    static var reference: ToyStages {
        get throws { throw StudentEdition.noReference(instead: "Leave out --reference to run your code.") }
    }
    #else
    static var reference: ToyStages {
        get throws {
            ToyStages(
                network: { Solutions.TwoLayerNetwork(inputs: $0, hidden: $1, outputs: $2, using: &$3) },
                sgd: { Solutions.SGD(learningRate: $0, momentum: $1) },
                train: { network, data, batchSize, optimizer, generator in
                    Solutions.train(
                        network, on: data, epochs: 1, batchSize: batchSize, optimizer: optimizer, using: &generator
                    ).first ?? .nan
                },
                predict: { Solutions.predict($0, $1) },
                accuracy: { Solutions.accuracy(predicted: $0, labels: $1) },
                loss: { network, data in
                    let targets =
                        (try? Solutions.oneHot(data.labels, classes: data.classCount))
                        ?? Tensor(zeros: [data.count, data.classCount])
                    return Solutions.crossEntropy(Solutions.softmax(network.logits(data.inputs)), targets: targets)
                })
        }
    }
    #endif
}

/// Runs `body`; a stub not written yet or a shape error becomes a thrown
/// `KitError` with its sentence, instead of numbers from placeholders.
private func checked<T>(_ body: () throws -> T) throws -> T {
    let (result, problems) = try Problems.collect(body)
    if let problem = problems.first { throw KitError(problem.message) }
    return result
}

/// Trains a two-layer network on `dataset`, prints the loss and accuracies
/// per epoch as a short table, and writes `<dataset>-decision-boundary.svg`
/// and `<dataset>-loss.svg` to `outputDirectory`.
func runToyDemo(
    dataset: ToyDataset, student: Bool, outputDirectory: String,
    settings: ToyDemoSettings = ToyDemoSettings()
) throws {
    let stages = student ? ToyStages.student : try ToyStages.reference
    let (train, test) = dataset.trainTestSplit(count: settings.count, seed: settings.seed)
    var generator = SeededGenerator(seed: settings.seed &+ 100)
    print(
        "Stage 8 · \(dataset.rawValue): \(train.count) training and \(test.count) test points, "
            + "2 → \(settings.hidden) → \(train.classCount), SGD η = \(settings.learningRate), "
            + "momentum \(settings.momentum), batches of \(settings.batchSize) (\(student ? "your code" : "reference"))"
    )

    let network = try checked { stages.network(2, settings.hidden, train.classCount, &generator) }
    let optimizer = try checked { stages.sgd(settings.learningRate, settings.momentum) }
    var trainLosses: [Double] = []
    var testLosses: [Double] = []
    print("epoch   train loss   test loss   train acc   test acc")
    let printEvery = max(settings.epochs / 10, 1)
    for epoch in 1...max(settings.epochs, 1) {
        let (trainLoss, testLoss) = try checked {
            (stages.train(network, train, settings.batchSize, optimizer, &generator), stages.loss(network, test))
        }
        trainLosses.append(trainLoss)
        testLosses.append(testLoss)
        if epoch == 1 || epoch % printEvery == 0 || epoch == settings.epochs {
            let (trainAccuracy, testAccuracy) = try checked {
                (
                    stages.accuracy(stages.predict(network, train.inputs), train.labels),
                    stages.accuracy(stages.predict(network, test.inputs), test.labels)
                )
            }
            print(
                String(
                    format: "%5d   %10.4f   %9.4f   %8.1f%%   %7.1f%%",
                    epoch, trainLoss, testLoss, 100 * trainAccuracy, 100 * testAccuracy))
        }
    }

    let name = dataset.rawValue
    let accuracy = try checked { stages.accuracy(stages.predict(network, test.inputs), test.labels) }
    let plot = DecisionBoundaryPlot(
        title: "\(name.capitalized): learned regions, test accuracy \(String(format: "%.1f", 100 * accuracy))%",
        data: test
    ) { grid in (try? checked { stages.predict(network, grid) }) ?? [] }
    let boundaryPath = outputDirectory + "/\(name)-decision-boundary.svg"
    try plot.write(to: boundaryPath)
    let chart = LineChart(
        title: "\(name.capitalized): cross-entropy loss per epoch", xLabel: "epoch", yLabel: "loss",
        series: [
            .init(name: "training loss (epoch mean)", values: trainLosses),
            .init(name: "test loss (after the epoch)", values: testLosses),
        ], wholeXTicks: true)
    let lossPath = outputDirectory + "/\(name)-loss.svg"
    try chart.write(to: lossPath)
    print("wrote \(boundaryPath)\nwrote \(lossPath)")
}

/// Trains the same network on `dataset` with plain SGD at three learning
/// rates — too low, about right, too high — and writes one chart of their
/// training losses, `<dir>/learning-rates.svg` (docs/07-sgd.md).
func runLearningRateDemo(
    dataset: ToyDataset = .spirals, student: Bool, outputDirectory: String,
    learningRates: [(rate: Double, note: String)] = [(0.01, "too low"), (1, "about right"), (10, "too high")],
    epochs: Int = 60
) throws {
    let stages = student ? ToyStages.student : try ToyStages.reference
    let settings = ToyDemoSettings()
    let (train, _) = dataset.trainTestSplit(count: settings.count, seed: settings.seed)
    print(
        "Stage 7 · plain SGD (no momentum) on \(dataset.rawValue) at learning rates "
            + learningRates.map { "\($0.rate)" }.joined(separator: ", ") + " (\(student ? "your code" : "reference"))")
    var chart = LineChart(
        title: "\(dataset.rawValue.capitalized): training loss for three learning rates",
        xLabel: "epoch", yLabel: "loss (epoch mean)", wholeXTicks: true)
    for (rate, note) in learningRates {
        // The same initial weights and batch order for every rate.
        var generator = SeededGenerator(seed: settings.seed &+ 100)
        let network = try checked { stages.network(2, settings.hidden, train.classCount, &generator) }
        let optimizer = try checked { stages.sgd(rate, 0) }
        let losses = try checked {
            (0..<epochs).map { _ in stages.train(network, train, settings.batchSize, optimizer, &generator) }
        }
        print(
            String(
                format: "η = %-6g loss after epoch 1: %8.4f, after epoch %d: %8.4f", rate, losses.first ?? .nan,
                epochs, losses.last ?? .nan))
        chart.add("η = \(rate)" + (note.isEmpty ? "" : " (\(note))"), losses)
    }
    let path = outputDirectory + "/learning-rates.svg"
    try chart.write(to: path)
    print("wrote \(path)")
}
