import Foundation
import NeuralKit

// Stage 6 · Cross-entropy
//
// Cross-entropy measures how much probability the network gave the right
// class: −log p. Averaged over the batch, it is the loss we minimize.
// Together with softmax its gradient becomes simply (p − y) / N.
//
// Walkthrough: docs/06-cross-entropy.md · Check: swift test --filter Stage06
// Replace each `return notImplemented(...)` with your code.

/// The smallest probability `log` is taken of, so that a probability of
/// exactly 0 gives a large, finite loss instead of infinity.
/// (Given: use it in `crossEntropy` and `crossEntropyBackward`.)
public let probabilityFloor = 1e-12

/// The mean cross-entropy of a batch:
/// `L = −(1/N) Σₙ Σₖ yₙₖ · log pₙₖ`, with `p` and one-hot `y` of shape `[N, classes]`.
public func crossEntropy(_ probabilities: Tensor, targets: Tensor) -> Double {
    // TODO: floor p at probabilityFloor (max(p, probabilityFloor)), take log,
    // multiply by y, sum everything, negate, and divide by the batch size N (the rows).
    return notImplemented("crossEntropy", placeholder: 0)
}

/// `∂L/∂p = −y / (N · p)`, with `p` floored as in `crossEntropy`.
public func crossEntropyBackward(_ probabilities: Tensor, targets: Tensor) -> Tensor {
    // TODO: differentiate your crossEntropy element by element: −y / (N · p),
    // with p floored the same way, so that p = 0 gives no division by zero.
    return notImplemented("crossEntropyBackward", placeholder: Tensor(zeros: probabilities.shape))
}

/// The gradient of `crossEntropy(softmax(z), y)` with respect to the logits `z`:
/// `∂L/∂z = (softmax(z) − y) / N`.
public func softmaxCrossEntropyBackward(logits: Tensor, targets: Tensor) -> Tensor {
    // TODO: softmax (stage 1) of the logits, minus the targets, over the batch size N.
    return notImplemented("softmaxCrossEntropyBackward", placeholder: Tensor(zeros: logits.shape))
}
