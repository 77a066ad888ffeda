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
    let order = generator.permutation(count)
    return stride(from: 0, to: order.count, by: max(batchSize, 1)).map {
        Array(order[$0..<min($0 + max(batchSize, 1), order.count)])
    }
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
        for parameter in parameters {
            var gradient = parameter.gradient
            if weightDecay != 0 { gradient = gradient + weightDecay * parameter.value }
            if momentum == 0 {
                parameter.value -= learningRate * gradient // w ← w − η ∇w
            } else {
                let key = ObjectIdentifier(parameter)
                let previous = velocities[key] ?? Tensor(zeros: parameter.value.shape)
                let velocity = momentum * previous - learningRate * gradient // Δw(n) = α Δw(n−1) − η ∇w
                velocities[key] = velocity
                parameter.value += velocity // w ← w + Δw(n)
            }
        }
    }
}

/// One training step on a batch: forward to the logits, the mean
/// cross-entropy loss, backward, then one optimizer update. Returns the loss
/// before the update.
@discardableResult
public func trainStep(_ network: any Classifier, inputs: Tensor, targets: Tensor, optimizer: any Optimizer) -> Double {
    let logits = network.logits(inputs)
    let loss = crossEntropy(softmax(logits), targets: targets)
    network.backward(logitsGradient: softmaxCrossEntropyBackward(logits: logits, targets: targets))
    optimizer.step(network.parameters)
    return loss
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
        steps += 1
        let correction1 = 1 - pow(beta1, steps)
        let correction2 = 1 - pow(beta2, steps)
        for parameter in parameters {
            let key = ObjectIdentifier(parameter)
            let g = parameter.gradient
            let zero = Tensor(zeros: g.shape)
            let (m0, v0) = moments[key] ?? (zero, zero)
            let m = beta1 * m0 + (1 - beta1) * g
            let v = beta2 * v0 + (1 - beta2) * g.squared()
            moments[key] = (m, v)
            parameter.value -= learningRate * (m / correction1) / (sqrt(v / correction2) + epsilon)
        }
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
        guard isTraining, rate > 0 else {
            mask = nil
            return input
        }
        let keep = 1 - rate
        let m = Tensor(shape: input.shape) { _ in generator.nextUnit() < keep ? 1 / keep : 0 }
        mask = m
        return input * m
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let mask else { return outputGradient }
        return outputGradient * mask
    }
}

// MARK: - Dropout's mode and description (given)

/// A model's `setTraining(false)` and `evaluating(_:)` reach `isTraining`. (Given.)
extension Dropout: TrainingModeLayer {
    /// `dropout 0.5`. (Given.)
    public var description: String { "dropout \(rate)" }
}
