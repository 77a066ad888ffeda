import NeuralKit

// Stage 5 · One-hot encoding
//
// A network outputs one probability per class; to compare it with a label,
// the label becomes a row with a 1 in its class's column and 0 elsewhere.
// Class 2 of 4 is [0, 0, 1, 0]. The way back is the index of the largest value.
//
// Walkthrough: docs/05-one-hot-encoding.md · Check: swift test --filter Stage05
// Replace each `return notImplemented(...)` with your code.

/// Labels to a one-hot matrix `[labels.count, classes]`: row i has a 1 in column `labels[i]`.
///
/// Throws a `KitError` when `classes` is not positive or a label is outside `0..<classes`.
public func oneHot(_ labels: [Int], classes: Int) throws -> Tensor {
    guard classes > 0 else {
        throw KitError("the number of classes must be positive, got \(classes)")
    }
    var encoded = Tensor(zeros: [labels.count, classes])
    for (row, label) in labels.enumerated() {
        guard (0..<classes).contains(label) else {
            throw KitError("label \(label) at position \(row) is not a class in 0..<\(classes)")
        }
        encoded[row, label] = 1
    }
    return encoded
}

/// The class of each row of a `[batch, classes]` matrix: the column of its
/// largest value (the first one on a tie). Undoes `oneHot`, and turns
/// probabilities into predictions.
public func classIndices(_ encoded: Tensor) -> [Int] {
    encoded.argmax(alongAxis: 1)
}
