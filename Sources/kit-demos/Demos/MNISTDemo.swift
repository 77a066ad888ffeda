import Exercises
import Foundation
import NeuralKit

extension StageDemos {
    /// Stage 9: preprocessing and the confusion matrix of the walkthrough, then,
    /// when MNIST is in the data directory, two epochs of the student's loop on
    /// 8,000 digits and one digit classified.
    static func mnist(from directory: DataDirectory) {
        let pixels = Tensor(shape: [2, 2, 3], scalars: [0, 51, 255, 102, 0, 204, 255, 255, 0, 0, 0, 153])
        print("Two 2×3 images of raw pixels: [[0, 51, 255], [102, 0, 204]] and [[255, 255, 0], [0, 0, 153]]")
        show("preprocess (one row per image, pixels / 255)", attempt { Exercises.preprocess(pixels) })
        if let matrix = attempt({
            Exercises.confusionMatrix(predicted: [0, 1, 1, 2, 0, 2], labels: [0, 0, 1, 2, 2, 2], classes: 3)
        }) {
            print(
                "confusionMatrix(predicted: [0, 1, 1, 2, 0, 2], labels: [0, 0, 1, 2, 2, 2], classes: 3)  (rows: true class)"
            )
            for row in matrix { print("  \(row)") }
        }
        print("")
        guard let images = try? ImageDataset.load("mnist", split: .test, from: directory) else {
            print("No MNIST in the data directory (\(directory.path)): `swift run kit data mnist` gets it.")
            print(
                "Meanwhile, `swift run -c release kit train --dataset spirals --student` trains your code on toy data.")
            return
        }
        guard let train = attempt({ try Exercises.dataset(from: images.subset(0..<8000)) }),
            let test = attempt({ try Exercises.dataset(from: images.subset(8000..<10000)) })
        else { return }
        var generator = SeededGenerator(seed: 9)
        guard
            let network = attempt({
                Exercises.TwoLayerNetwork(inputs: 784, hidden: 100, outputs: 10, using: &generator)
            }),
            let optimizer = attempt({ Exercises.SGD(learningRate: 0.05, momentum: 0.9) })
        else { return }
        print("Your 784-100-10 network, 2 epochs on MNIST test images 0..<8000, tested on 8000..<10000:")
        for epoch in 1...2 {
            let start = Date()
            guard
                let statistics = attempt({
                    Exercises.trainEpoch(network, on: train, batchSize: 64, optimizer: optimizer, using: &generator)
                })
            else { return }
            let right =
                attempt { zip(Exercises.predict(network, test.inputs), test.labels).filter { $0 == $1 }.count } ?? 0
            print(
                "  epoch \(epoch): loss \(format(statistics.loss)), train \(format(statistics.accuracy * 100, digits: 1))%, "
                    + "test \(format(Double(right) / 20, digits: 1))%  (\(format(Date().timeIntervalSince(start), digits: 1)) s)"
            )
        }
        let image = images.pixelTensor().row(8000)
        guard let answer = attempt({ Exercises.classify(image, with: network) }) else { return }
        print("")
        print("Test image 8000 (label \(images.labels[8000])):")
        for row in 0..<28 where row % 2 == 0 {
            print(
                "  "
                    + (0..<28).map { column -> String in
                        let value = max(image[row, column], image[row + 1, column])
                        return value > 170 ? "█" : value > 60 ? "▒" : " "
                    }.joined())
        }
        let top = answer.probabilities.enumerated().sorted { $0.element > $1.element }.prefix(3)
        print(
            "classify: \(answer.label); "
                + top.map { "\($0.offset): \(format($0.element * 100, digits: 1))%" }.joined(separator: ", "))
    }
}
