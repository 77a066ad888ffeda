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
    // TODO: throw KitError("...") naming the bad value when classes ≤ 0 or a
    // label is not in 0..<classes; otherwise start from Tensor(zeros: [labels.count, classes])
    // and set encoded[row, label] = 1 for every row.
    return notImplemented("oneHot", placeholder: Tensor(zeros: [labels.count, max(classes, 0)]))
}

/// The class of each row of a `[batch, classes]` matrix: the column of its
/// largest value (the first one on a tie). Undoes `oneHot`, and turns
/// probabilities into predictions.
public func classIndices(_ encoded: Tensor) -> [Int] {
    // TODO: the index of the largest value in each row (Tensor has argmax(alongAxis:)).
    return notImplemented("classIndices", placeholder: [Int](repeating: 0, count: encoded.rowCount))
}
