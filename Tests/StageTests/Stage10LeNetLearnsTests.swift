import Exercises
import Foundation
import NeuralKit
import Testing

/// Stage 10: the student's LeNet-5, trained with their own SGD, learns digits. Generated digits
/// (StrokeGlyphs: strokes at random sizes, slants, places and pen widths, with noise), 16×16 so
/// that it takes seconds in a debug build; no download.
@Suite("Stage 10 · LeNet-5 learns")
struct Stage10LeNetLearns {
    static let (imageSize, trainCount, testCount, epochs, batchSize) = (16, 600, 200, 2, 5)

    /// Your LeNet-5 for 16×16 images, trained on generated digits with your SGD (learning rate 0.01,
    /// momentum 0.9), and the mean loss of each epoch.
    static func trainedLeNet(seed: UInt64) throws -> (network: Exercises.LeNet5, losses: [Double]) {
        let train = glyphImages(.digits, count: trainCount, size: imageSize, seed: seed)
        var initializer = testGenerator(seed: seed + 2)
        let (network, optimizer) = try student(10) {
            (
                Exercises.LeNet5(imageSize: imageSize, classes: 10, using: &initializer),
                Exercises.SGD(learningRate: 0.01, momentum: 0.9)
            )
        }
        var shuffling = testGenerator(seed: seed + 3)
        let losses = try trainWithStudentCode(
            network, on: train, epochs: epochs, batchSize: batchSize, optimizer: optimizer, shuffling: &shuffling)
        return (network, losses)
    }

    @Test("LeNet-5 learns generated digits with your SGD: the loss falls and the accuracy is well above chance")
    func leNetLearnsDigits() throws {
        let (network, losses) = try Self.trainedLeNet(seed: 160)
        let accuracy = try fractionClassifiedRight(
            network, glyphImages(.digits, count: Self.testCount, size: Self.imageSize, seed: 161))
        let shown = describeLosses(losses)
        try #require(
            losses.allSatisfy { $0.isFinite },
            Comment(
                rawValue: "the mean loss of each epoch was \(shown): a loss that is not a number comes from log(0) in "
                    + "crossEntropy (stage 6) or from gradients that grow without bound: do Conv2D.backward and "
                    + "MaxPool2D.backward start each batch from zeros, instead of adding to the last batch's gradients?"
            ))
        let fell = losses[losses.count - 1] < 0.85 * losses[0]
        logComparison("mean loss of each epoch", shown, "the last below 85% of the first", passed: fell)
        logComparison(
            "right on \(Self.testCount) new digits", "\(Int((accuracy * 100).rounded()))%", "over 50% (chance: 10%)",
            passed: accuracy > 0.5)
        check(
            fell,
            "the mean loss of \(Self.epochs) epochs was \(shown): it should fall below 85% of the first epoch's. "
                + "If it stays near log 10 ≈ 2.303, nothing learns: are the gradients of Conv2D, MaxPool2D and "
                + "Flatten passed back in reverse order, does SGD.step move every parameter of network.parameters, "
                + "and does LeNet5 end in the dense layer (a ReLU after it zeroes the logits)?")
        check(
            accuracy > 0.5,
            "after \(Self.epochs) epochs on \(Self.trainCount) digits, your LeNet-5 classifies "
                + "\(Int((accuracy * 100).rounded()))% of \(Self.testCount) new ones right; chance is 10%, and a "
                + "right network gets well over 50% (losses \(shown)). If the loss falls but the accuracy does not "
                + "rise, look at LeNet5's output: 10 logits, with no ReLU after the last dense layer.")
    }
}
