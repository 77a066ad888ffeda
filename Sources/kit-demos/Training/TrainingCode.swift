import Exercises
import Foundation
import NeuralKit

#if !NEURALKIT_NO_REFERENCE
import Solutions
#if canImport(FastReference)
import FastReference
/// The optimizer training runs: the reference's SGD, in its fast version.
private typealias TrainingSGD = FastReference.SGD
#else
// A copy with the reference but without its fast versions (the grader's copy that records the
// reference has only Solutions/): training runs the readable reference itself.
private typealias TrainingSGD = Solutions.SGD
private func fastVersion(of network: any Classifier) -> any Classifier { network }
#endif
#endif

/// The course code `kit train` and `kit bench` run: the reference solutions
/// (their networks made of the fast layers of Sources/FastReference), or the
/// student's own stages 4–9 (`--student`). The two modules declare the
/// same functions; this gives them one face. The student edition has no
/// reference: there `reference` throws, and only `student` runs.
struct TrainingCode {
    /// "reference" or "your code".
    let name: String
    let makeNetwork:
        (_ inputs: Int, _ hidden: Int, _ outputs: Int, _ generator: inout SeededGenerator) throws -> any Classifier
    /// LeNet-5 (stage 10) for square greyscale images of the given side.
    let makeLeNet: (_ imageSize: Int, _ classes: Int, _ generator: inout SeededGenerator) throws -> any Classifier
    let makeOptimizer: (_ learningRate: Double, _ momentum: Double) throws -> any Optimizer
    let setLearningRate: (any Optimizer, Double) -> Void
    let dataset: (ImageDataset) throws -> Dataset
    let trainEpoch:
        (any Classifier, Dataset, Int, any Optimizer, inout SeededGenerator, (BatchReport) -> Bool) throws ->
            EpochReport
    let predict: (any Classifier, Tensor) throws -> [Int]
    /// The mean cross-entropy of `logits` against `labels`, computed as `trainEpoch` computes a batch's loss.
    let loss: (_ logits: Tensor, _ labels: [Int], _ classes: Int) throws -> Double
    let accuracy: (_ predicted: [Int], _ labels: [Int]) throws -> Double
    let confusionMatrix: (_ predicted: [Int], _ labels: [Int], _ classes: Int) throws -> [[Int]]
    /// Stage 9's bonus: a batch of images [N, C, H, W] augmented by `Augmenter(flips:).augment`. Not checked:
    /// it runs inside `trainEpoch`, whose `checked` reports its problems.
    let augment: (_ images: Tensor, _ flips: Bool, _ generator: inout SeededGenerator) -> Tensor

    struct BatchReport {
        var batch: Int, batchCount: Int, examples: Int, loss: Double, meanLoss: Double, accuracy: Double
    }

    struct EpochReport {
        var loss: Double, accuracy: Double, examples: Int
    }

    #if NEURALKIT_NO_REFERENCE
    /// The reference solutions: not in the student edition.
    static var reference: TrainingCode {
        get throws { throw StudentEdition.noReference(instead: "Here kit train and kit bench run your code.") }
    }
    #else
    /// The reference solutions. The networks are the reference's, drawn from the same seed,
    /// and the optimizer is its SGD, as fast versions that compute the same numbers.
    static var reference: TrainingCode {
        get throws {
            TrainingCode(
                name: "reference",
                makeNetwork: { inputs, hidden, outputs, generator in
                    fastVersion(
                        of: Solutions.TwoLayerNetwork(
                            inputs: inputs, hidden: hidden, outputs: outputs, using: &generator))
                },
                makeLeNet: { size, classes, generator in
                    fastVersion(of: Solutions.LeNet5(imageSize: size, classes: classes, using: &generator))
                },
                makeOptimizer: { TrainingSGD(learningRate: $0, momentum: $1) },
                setLearningRate: { optimizer, rate in (optimizer as? TrainingSGD)?.learningRate = rate },
                dataset: { try Solutions.dataset(from: $0) },
                trainEpoch: { network, data, batchSize, optimizer, generator, afterBatch in
                    let statistics = Solutions.trainEpoch(
                        network, on: data, batchSize: batchSize, optimizer: optimizer,
                        using: &generator
                    ) { p in
                        afterBatch(
                            BatchReport(
                                batch: p.batch, batchCount: p.batchCount, examples: p.examples, loss: p.loss,
                                meanLoss: p.meanLoss, accuracy: p.accuracy))
                    }
                    return EpochReport(
                        loss: statistics.loss, accuracy: statistics.accuracy, examples: statistics.examples)
                },
                predict: { Solutions.predict($0, $1) },
                loss: { logits, labels, classes in
                    Solutions.crossEntropy(
                        Solutions.softmax(logits), targets: try Solutions.oneHot(labels, classes: classes))
                },
                accuracy: { Solutions.accuracy(predicted: $0, labels: $1) },
                confusionMatrix: { Solutions.confusionMatrix(predicted: $0, labels: $1, classes: $2) },
                augment: { images, flips, generator in
                    Solutions.Augmenter(flips: flips).augment(images, using: &generator)
                })
        }
    }
    #endif

    #if !NEURALKIT_NO_REFERENCE
    /// The reference's own LeNet-5, whose layers describe themselves (`kit summary`); training runs its fast version.
    static func readableLeNet5(_ size: Int, _ classes: Int, _ generator: inout SeededGenerator) -> any Classifier {
        Solutions.LeNet5(imageSize: size, classes: classes, using: &generator)
    }

    /// The reference's own two-layer network (see `readableLeNet5`).
    static func readableNetwork(_ inputs: Int, _ hidden: Int, _ outputs: Int, _ generator: inout SeededGenerator)
        -> any Classifier
    {
        Solutions.TwoLayerNetwork(inputs: inputs, hidden: hidden, outputs: outputs, using: &generator)
    }
    #endif

    /// The student's code. Every call runs inside `Problems.collect`: a stub or a
    /// shape mistake becomes an error that names it, instead of a crash.
    static var student: TrainingCode {
        TrainingCode(
            name: "your code",
            makeNetwork: { inputs, hidden, outputs, generator in
                var copy = generator
                let network = try checked {
                    Exercises.TwoLayerNetwork(inputs: inputs, hidden: hidden, outputs: outputs, using: &copy)
                }
                generator = copy
                return network
            },
            makeLeNet: { size, classes, generator in
                var copy = generator
                let network = try checked { Exercises.LeNet5(imageSize: size, classes: classes, using: &copy) }
                generator = copy
                return network
            },
            makeOptimizer: { rate, momentum in try checked { Exercises.SGD(learningRate: rate, momentum: momentum) } },
            setLearningRate: { optimizer, rate in (optimizer as? Exercises.SGD)?.learningRate = rate },
            dataset: { images in try checked { try Exercises.dataset(from: images) } },
            trainEpoch: { network, data, batchSize, optimizer, generator, afterBatch in
                var copy = generator
                let statistics = try checked {
                    Exercises.trainEpoch(network, on: data, batchSize: batchSize, optimizer: optimizer, using: &copy) {
                        p in
                        afterBatch(
                            BatchReport(
                                batch: p.batch, batchCount: p.batchCount, examples: p.examples, loss: p.loss,
                                meanLoss: p.meanLoss, accuracy: p.accuracy))
                    }
                }
                generator = copy
                return EpochReport(loss: statistics.loss, accuracy: statistics.accuracy, examples: statistics.examples)
            },
            predict: { network, inputs in try checked { Exercises.predict(network, inputs) } },
            loss: { logits, labels, classes in
                try checked {
                    Exercises.crossEntropy(
                        Exercises.softmax(logits), targets: try Exercises.oneHot(labels, classes: classes))
                }
            },
            accuracy: { predicted, labels in try checked { Exercises.accuracy(predicted: predicted, labels: labels) } },
            confusionMatrix: { predicted, labels, classes in
                try checked { Exercises.confusionMatrix(predicted: predicted, labels: labels, classes: classes) }
            },
            augment: { images, flips, generator in
                Exercises.Augmenter(flips: flips).augment(images, using: &generator)
            })
    }

    /// Runs student code; its first problem becomes an error.
    static func checked<T>(_ body: () throws -> T) throws -> T {
        let (result, problems) = try Problems.collect(body)
        if let problem = problems.first {
            let stage =
                problem.stage.map { " (stage \($0): swift test --filter Stage\($0 < 10 ? "0" : "")\($0))" } ?? ""
            throw KitError("your code: \(problem.message)\(stage). \(whatToDo)")
        }
        return result
    }

    /// What to do when the student's code has a problem.
    #if NEURALKIT_NO_REFERENCE
    static let whatToDo =
        "Training runs your stages 4–9 (LeNet-5: stage 10), which build on stages 1–3: "
        + "finish stages 1–9 first (LeNet-5: 1–10); swift run kit shows which pass."
    #else
    static let whatToDo = "Or train the reference: leave out --student."
    #endif
}
