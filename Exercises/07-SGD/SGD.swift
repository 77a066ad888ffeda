import NeuralKit

// Stage 7 · Stochastic gradient descent
//
// Training repeats: take a small random batch, compute the loss, backpropagate,
// and move every parameter a little against its gradient. One pass over all
// examples, in a new random order, is an epoch.
//
// Walkthrough: docs/07-sgd.md · Check: swift test --filter Stage07
// Replace each `return notImplemented(...)` with your code.

/// The examples of one epoch in shuffled mini-batches: a random permutation of
/// `0..<count` cut into batches of `batchSize`; the last batch keeps the rest.
public func miniBatches(count: Int, batchSize: Int, using generator: inout SeededGenerator) -> [[Int]] {
    // TODO: shuffle the indices with `generator` (`generator.permutation(count)`), then cut
    // them into consecutive slices of `batchSize`. Keep the last, shorter slice.
    return notImplemented("miniBatches", placeholder: [])
}

/// Gradient descent: `w ← w − η ∇w`; with momentum α,
/// `Δw(n) = α Δw(n−1) − η ∇w` and `w ← w + Δw(n)`; weight decay λ adds `λw` to the gradient.
public final class SGD: Optimizer {
    public var learningRate: Double
    public var momentum: Double
    public var weightDecay: Double
    /// Δw(n−1) of each parameter, for momentum.
    private var velocities: [ObjectIdentifier: Tensor] = [:]

    public init(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        // TODO: for each parameter, the gradient (plus weightDecay · value), then
        // `parameter.value -= learningRate * gradient`. With momentum, keep each
        // parameter's last Δw in `velocities[ObjectIdentifier(parameter)]` (zeros at first).
        notImplemented("SGD.step", placeholder: ())
    }
}

/// One training step on a batch: forward to the logits, the mean
/// cross-entropy loss, backward, then one optimizer update. Returns the loss
/// before the update.
@discardableResult
public func trainStep(_ network: any Classifier, inputs: Tensor, targets: Tensor, optimizer: any Optimizer) -> Double {
    // TODO: logits → loss (your `softmax` and `crossEntropy`) → `network.backward(logitsGradient:)`
    // with your `softmaxCrossEntropyBackward` → `optimizer.step(network.parameters)`.
    return notImplemented("trainStep", placeholder: 0)
}

// MARK: - Bonus: Adam and dropout

/// Adam (Kingma & Ba, 2015): per-parameter steps from running means of the
/// gradient and of its square, corrected for their start at zero.
public final class Adam: Optimizer {
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double
    private var moments: [ObjectIdentifier: (m: Tensor, v: Tensor)] = [:]
    private var steps = 0

    public init(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public func step(_ parameters: [Parameter]) {
        // TODO: count the step t; for each parameter m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
        // then w ← w − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
        notImplemented("Adam.step", placeholder: ())
    }

    private func pow(_ base: Double, _ exponent: Int) -> Double {
        (0..<exponent).reduce(1) { r, _ in r * base }
    }
}

/// Inverted dropout: while training, zeroes each value with probability
/// `rate` and scales the survivors by `1/(1 − rate)`, so that nothing
/// changes at evaluation, where the layer passes its input through.
public final class Dropout: Layer {
    public let rate: Double
    public var isTraining = true
    private var generator: SeededGenerator
    /// The scaled keep-mask of the last forward pass: 0 or 1/(1 − rate).
    public private(set) var mask: Tensor?

    public init(rate: Double, seed: UInt64 = 0) {
        self.rate = rate
        self.generator = SeededGenerator(seed: seed)
    }

    public func forward(_ input: Tensor) -> Tensor {
        // TODO: at evaluation (or rate 0) return the input. Otherwise draw a mask
        // (`generator.nextUnit() < 1 − rate` keeps a value), scale it by 1/(1 − rate),
        // remember it in `mask`, and multiply.
        return notImplemented("Dropout.forward", placeholder: input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: the same mask as the forward pass.
        return notImplemented("Dropout.backward", placeholder: outputGradient)
    }
}

// MARK: - Dropout's mode and description (given)

/// A model's `setTraining(false)` and `evaluating(_:)` reach `isTraining`. (Given.)
extension Dropout: TrainingModeLayer {
    /// `dropout 0.5`. (Given.)
    public var description: String { "dropout \(rate)" }
}
