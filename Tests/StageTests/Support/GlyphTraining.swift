import Exercises
import NeuralKit

// Training on generated glyphs (NeuralKit's StrokeGlyphs) with the student's own training code, for
// the checks that LeNet-5 learns and that what it learned transfers (stage 10).

/// `count` generated glyph images as LeNet-5 takes them, `[count, 1, size, size]` in [0, 1], drawn
/// from `testGenerator(seed:)` (so with the grading salt).
func glyphImages(_ kind: StrokeGlyphs, count: Int, size: Int, seed: UInt64) -> Dataset {
    var generator = testGenerator(seed: seed)
    var data = kind.images(count: count, size: size, using: &generator).flattened()
    data.inputs = data.inputs.reshaped([count, 1, size, size])
    return data
}

/// Trains `model` for `epochs` with the student's `miniBatches`, `oneHot` and `trainStep` (stages 5
/// and 7), and returns each epoch's mean loss.
func trainWithStudentCode(
    _ model: any Classifier, on data: Dataset, epochs: Int, batchSize: Int, optimizer: any Optimizer,
    shuffling: inout SeededGenerator
) throws -> [Double] {
    var meanLosses: [Double] = []
    for _ in 0..<epochs {
        let batches = try student(10) {
            Exercises.miniBatches(count: data.count, batchSize: batchSize, using: &shuffling)
        }
        var lossSum = 0.0
        for batch in batches {
            let targets = try student(10) {
                try Exercises.oneHot(batch.map { data.labels[$0] }, classes: data.classCount)
            }
            let inputs = data.inputs.rows(batch)
            let loss = try student(10) {
                Exercises.trainStep(model, inputs: inputs, targets: targets, optimizer: optimizer)
            }
            lossSum += loss * Double(batch.count)
        }
        meanLosses.append(lossSum / Double(max(data.count, 1)))
    }
    return meanLosses
}

/// The fraction of `data` that `model`'s largest logit classifies right.
func fractionClassifiedRight(_ model: any Classifier, _ data: Dataset) throws -> Double {
    let predicted = try student(10) { model.logits(data.inputs).argmax(alongAxis: 1) }
    return Double(zip(predicted, data.labels).filter { $0 == $1 }.count) / Double(max(data.count, 1))
}

/// Losses as the messages show them: "2.301, 1.873, …".
func describeLosses(_ losses: [Double]) -> String {
    losses.map { String(format: "%.3f", $0) }.joined(separator: ", ")
}
