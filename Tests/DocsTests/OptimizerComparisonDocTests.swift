import Foundation
import NeuralKit
import Solutions
import Testing

/// docs/07-sgd.md's comparison of the optimizers, recomputed with the reference.
@Suite("Docs · the optimizer comparison in docs/07")
struct OptimizerComparisonDoc {
    @Test("docs/07: the optimizers' losses on the spirals are the reference's")
    func optimizerTable() throws {
        // The same settings as the stage 7 demo's optimizer chart (Sources/kit-demos/StageDemos.swift).
        let (train, _) = ToyDataset.spirals.trainTestSplit(count: 1000, seed: 0)
        let optimizers: [(String, () -> any Optimizer)] = [
            ("SGD, η = 0.1", { Solutions.SGD(learningRate: 0.1) }),
            ("momentum 0.9, η = 0.1", { Solutions.SGD(learningRate: 0.1, momentum: 0.9) }),
            ("AdaGrad, η = 0.1", { Solutions.AdaGrad(learningRate: 0.1) }),
            ("RMSProp, η = 0.01", { Solutions.RMSProp(learningRate: 0.01) }),
            ("Adam, η = 0.01", { Solutions.Adam(learningRate: 0.01) }),
        ]
        let text = docText("07-sgd.md")
        for (name, makeOptimizer) in optimizers {
            var generator = SeededGenerator(seed: 100)
            let network = Solutions.TwoLayerNetwork(inputs: 2, hidden: 64, outputs: train.classCount, using: &generator)
            let optimizer = makeOptimizer()
            let losses = (0..<60).map { _ in
                Solutions.train(network, on: train, epochs: 1, batchSize: 32, optimizer: optimizer, using: &generator)
                    .first ?? .nan
            }
            let row =
                "| \(name) | " + [0, 19, 59].map { String(format: "%.4f", losses[$0]) }.joined(separator: " | ")
                + " |"
            check(
                text.contains(row),
                "docs/07-sgd.md: the optimizer table should have the row '\(row)' (losses after epochs 1, 20 and 60), "
                    + "as the reference computes")
        }
    }
}
