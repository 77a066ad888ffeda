import Exercises
import Foundation
import NeuralKit

#if !NEURALKIT_NO_REFERENCE
import Solutions
#endif

/// Stage 8's two bonus exercises in `kit run 8`, after the spirals: the network on new datasets
/// (`new-datasets.svg`) and model selection (`model-selection.svg`), with the student's code or the reference's.
extension StageDemos {
    /// Runs both bonus demos; every call into `code` goes through `attempt`, so a stub prints one line.
    static func toyBonuses(student: Bool, outputDirectory: String) {
        let code: ToyBonusCode
        do {
            code = student ? .student : try .reference
        } catch {
            print("  error: \(error)")
            return
        }
        let whose = student ? "your code" : "reference"
        print("")
        newDatasets(code, whose: whose, to: outputDirectory + "/new-datasets.svg")
        print("")
        modelSelection(code, whose: whose, to: outputDirectory + "/model-selection.svg")
    }

    /// The new datasets trained as `swift test --filter Bonus08` trains them (seeds 808, 809, 810 without a
    /// grading salt): one line per dataset and their decision regions side by side.
    static func newDatasets(_ code: ToyBonusCode, whose: String, to path: String) {
        print("Bonus, the network on new datasets: circles, xor and blobs in new units, 800 training and 200 test")
        print("points each, standardized, and trained with trainingPlan(for:) (\(whose)):")
        var probe = SeededGenerator(seed: 0)
        let missing = Problems.collect { code.network([2, 3, 2], &probe) }.problems.first { $0.kind == .notImplemented }
        if let missing {
            print("  \(missing.message)")
            print(
                "  These datasets train your network of any depth: do stage 4's bonus first (swift test --filter Bonus04)."
            )
            return
        }
        var plots: [DecisionBoundaryPlot] = []
        for (index, dataset) in [ToyDataset.circles, .xor, .blobs].enumerated() {
            var generator = SeededGenerator(seed: 808 + UInt64(index))
            let split = dataset.trainTestSplit(
                count: 1000, noise: dataset == .xor ? 0.05 : nil, seed: generator.next())
            let scales = Tensor(shape: [2], scalars: (0..<2).map { _ in generator.uniform(50, 150) })
            let offsets = Tensor(shape: [2], scalars: (0..<2).map { _ in generator.uniform(-600, 600) })
            let inNewUnits = { (data: Dataset) throws in
                try Dataset(inputs: data.inputs * scales + offsets, labels: data.labels, classCount: data.classCount)
            }
            // Both asked first, so that each says once whether it is written yet.
            let standardizes = attempt { code.standardized(split.train.inputs, split.train.inputs) } != nil
            let plan = attempt { code.trainingPlan(dataset) }
            guard standardizes, let plan, let train = try? inNewUnits(split.train),
                let test = try? inNewUnits(split.test)
            else { continue }
            let name = (dataset.rawValue + ":").padding(toLength: 9, withPad: " ", startingAt: 0)
            if let problem = plan.problem(inputs: 2, classes: dataset.classCount, examples: train.count) {
                print("  \(name) trainingPlan(for: .\(dataset.rawValue)): \(problem)")
                continue
            }
            let trained = attempt { () throws -> (any Classifier, train: Double, test: Double) in
                let inputs = code.standardized(train.inputs, train.inputs)
                let network = code.network(plan.sizes, &generator)
                _ = code.train(
                    network, try Dataset(inputs: inputs, labels: train.labels, classCount: train.classCount),
                    plan.epochs, plan.batchSize, code.sgd(plan.learningRate, plan.momentum), &generator)
                let trainAccuracy = code.accuracy(code.predict(network, inputs), train.labels)
                let testInputs = code.standardized(test.inputs, train.inputs)
                return (network, trainAccuracy, code.accuracy(code.predict(network, testInputs), test.labels))
            }
            guard let trained else { continue }
            let (network, trainAccuracy, testAccuracy) = trained
            print(
                "  \(name) \(plan): train \(percent(trainAccuracy)), test \(percent(testAccuracy))"
                    + (testAccuracy >= 0.95 ? "" : "  (the check asks for 95%)"))
            var plot = DecisionBoundaryPlot(
                title: "\(dataset.rawValue.capitalized): test \(percent(testAccuracy))", data: test
            ) { grid in
                attempt(quiet: true) { code.predict(network, code.standardized(grid, train.inputs)) } ?? []
            }
            (plot.width, plot.height, plot.resolution) = (300, 328, 100)
            plots.append(plot)
        }
        guard !plots.isEmpty else { return }
        let title =
            "New datasets in new units: the regions \(whose == "reference" ? "the reference's" : "your") network learned"
        do {
            try DecisionBoundaryPlot.writeSideBySide(plots, title: title, to: path)
            print("wrote \(path)")
        } catch {
            print("The picture was not written: \(error)")
        }
    }

    /// A validation set split off the moons' training points, 25 epochs of `trainKeepingBest` with a
    /// learning rate large enough that the validation accuracy goes up and down, and the kept epoch's
    /// test accuracy; a chart of the training and validation accuracy of every epoch.
    static func modelSelection(_ code: ToyBonusCode, whose: String, to path: String) {
        let (epochs, batchSize, learningRate, momentum) = (30, 16, 0.5, 0.9)
        let (data, test) = ToyDataset.moons.trainTestSplit(count: 600, noise: 0.3, seed: 864)
        print(
            "Bonus, model selection: moons with noise 0.3, a fifth of the \(data.count) training points held out for validation, "
                + "2 → 16 → 2,")
        print(
            "SGD η = \(learningRate) (large: the accuracy goes up and down), momentum \(momentum), \(epochs) epochs (\(whose)):"
        )
        var generator = SeededGenerator(seed: 865)
        guard let split = attempt({ code.validationSplit(data, 0.2, &generator) }),
            let network = attempt({ code.twoLayerNetwork(2, 16, 2, &generator) })
        else { return }
        let (train, validation) = split
        let recorder = TrainingAccuracyRecorder(
            network, validationInputs: validation.inputs, training: train
        ) { network, data in code.accuracy(code.predict(network, data.inputs), data.labels) }
        let outcome = attempt {
            let result = code.trainKeepingBest(
                recorder, train, validation, epochs, batchSize, code.sgd(learningRate, momentum), &generator)
            return (result, code.accuracy(code.predict(network, test.inputs), test.labels))
        }
        guard let outcome else { return }
        let ((bestEpoch, bestAccuracy, accuracies), testAccuracy) = outcome
        print(
            "  \(train.count) training and \(validation.count) validation points; validation accuracy per epoch: "
                + accuracies.map { String(format: "%.0f", 100 * $0) }.joined(separator: " ") + " (%)")
        print(
            "  best epoch \(bestEpoch): validation \(percent(bestAccuracy)) (the last: \(percent(accuracies.last ?? .nan))); "
                + "the kept weights get \(percent(testAccuracy)) of the \(test.count) test points")
        var chart = LineChart(
            title: "Noisy moons: accuracy per epoch, SGD η = \(learningRate)", xLabel: "epoch", yLabel: "accuracy (%)",
            wholeXTicks: true, includesZero: false, yLimits: 0...100)
        if recorder.trainingAccuracies.count == accuracies.count {
            chart.add("training (\(train.count) points)", recorder.trainingAccuracies.map { 100 * $0 })
        }
        chart.add("validation (\(validation.count) points)", accuracies.map { 100 * $0 })
        chart.marks = [.init(x: Double(bestEpoch), label: "kept: epoch \(bestEpoch), \(percent(bestAccuracy))")]
        do {
            try chart.write(to: path)
            print("wrote \(path)")
        } catch {
            print("The picture was not written: \(error)")
        }
    }
}

/// A classifier that passes everything on to `network` and, each time it is asked for the validation
/// set's logits (`trainKeepingBest` measures after every epoch), also measures the training accuracy:
/// the training curve of the chart, at the same moments, without changing what is trained.
private final class TrainingAccuracyRecorder: Classifier {
    let network: any Classifier
    let validationInputs: Tensor
    let training: Dataset
    let measure: (any Classifier, Dataset) -> Double
    private(set) var trainingAccuracies: [Double] = []

    init(
        _ network: any Classifier, validationInputs: Tensor, training: Dataset,
        measure: @escaping (any Classifier, Dataset) -> Double
    ) {
        self.network = network
        self.validationInputs = validationInputs
        self.training = training
        self.measure = measure
    }

    func logits(_ input: Tensor) -> Tensor {
        // The training set first: the network's last forward stays the one asked for.
        if input.shape == validationInputs.shape, input == validationInputs {
            trainingAccuracies.append(measure(network, training))
        }
        return network.logits(input)
    }

    func backward(logitsGradient: Tensor) -> Tensor { network.backward(logitsGradient: logitsGradient) }

    func backwardSkippingInput(logitsGradient: Tensor) { network.backwardSkippingInput(logitsGradient: logitsGradient) }

    var parameters: [Parameter] { network.parameters }
}

/// The functions stage 8's bonus demos call, from one module (the student's or the reference).
struct ToyBonusCode {
    let standardized: (_ inputs: Tensor, _ training: Tensor) -> Tensor
    let trainingPlan: (ToyDataset) -> TrainingPlan
    let network: (_ sizes: [Int], _ generator: inout SeededGenerator) -> any Classifier
    let twoLayerNetwork:
        (_ inputs: Int, _ hidden: Int, _ outputs: Int, _ generator: inout SeededGenerator) -> any Classifier
    let sgd: (_ learningRate: Double, _ momentum: Double) -> any Optimizer
    let train:
        (any Classifier, Dataset, _ epochs: Int, _ batchSize: Int, any Optimizer, inout SeededGenerator) -> [Double]
    let predict: (any Classifier, Tensor) -> [Int]
    let accuracy: (_ predicted: [Int], _ labels: [Int]) -> Double
    let validationSplit: (Dataset, _ fraction: Double, inout SeededGenerator) -> (train: Dataset, validation: Dataset)
    let trainKeepingBest:
        (
            any Classifier, _ train: Dataset, _ validation: Dataset, _ epochs: Int, _ batchSize: Int, any Optimizer,
            inout SeededGenerator
        ) -> (bestEpoch: Int, bestAccuracy: Double, accuracies: [Double])

    static var student: ToyBonusCode {
        ToyBonusCode(
            standardized: { Exercises.standardized($0, like: $1) },
            trainingPlan: { Exercises.trainingPlan(for: $0) },
            network: { Exercises.MultilayerNetwork(sizes: $0, using: &$1) },
            twoLayerNetwork: { Exercises.TwoLayerNetwork(inputs: $0, hidden: $1, outputs: $2, using: &$3) },
            sgd: { Exercises.SGD(learningRate: $0, momentum: $1) },
            train: { Exercises.train($0, on: $1, epochs: $2, batchSize: $3, optimizer: $4, using: &$5) },
            predict: { Exercises.predict($0, $1) },
            accuracy: { Exercises.accuracy(predicted: $0, labels: $1) },
            validationSplit: { Exercises.validationSplit($0, fraction: $1, using: &$2) },
            trainKeepingBest: {
                Exercises.trainKeepingBest(
                    $0, on: $1, validation: $2, epochs: $3, batchSize: $4, optimizer: $5, using: &$6)
            })
    }

    #if NEURALKIT_NO_REFERENCE
    /// The reference solutions: not in the student edition.
    static var reference: ToyBonusCode {
        get throws { throw StudentEdition.noReference(instead: "Leave out --reference to run your code.") }
    }
    #else
    static var reference: ToyBonusCode {
        get throws {
            ToyBonusCode(
                standardized: { Solutions.standardized($0, like: $1) },
                trainingPlan: { Solutions.trainingPlan(for: $0) },
                network: { Solutions.MultilayerNetwork(sizes: $0, using: &$1) },
                twoLayerNetwork: { Solutions.TwoLayerNetwork(inputs: $0, hidden: $1, outputs: $2, using: &$3) },
                sgd: { Solutions.SGD(learningRate: $0, momentum: $1) },
                train: { Solutions.train($0, on: $1, epochs: $2, batchSize: $3, optimizer: $4, using: &$5) },
                predict: { Solutions.predict($0, $1) },
                accuracy: { Solutions.accuracy(predicted: $0, labels: $1) },
                validationSplit: { Solutions.validationSplit($0, fraction: $1, using: &$2) },
                trainKeepingBest: {
                    Solutions.trainKeepingBest(
                        $0, on: $1, validation: $2, epochs: $3, batchSize: $4, optimizer: $5, using: &$6)
                })
        }
    }
    #endif
}
