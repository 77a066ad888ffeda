import NeuralKit

// Stage 7 · Bonus: AdaGrad and RMSProp
//
// Two adaptive optimizers from lecture 002, beside momentum and Adam: each weight gets its own
// step size, from the squares of its past gradients. AdaGrad sums them all, so its steps only
// shrink; RMSProp keeps a decaying average instead, so its steps can grow again.
//
// Walkthrough: docs/07-sgd.md ("More optimizers") · Check: swift test --filter Bonus07
// Replace each `notImplemented(...)` with your code.

/// AdaGrad (Duchi et al., 2011): each weight's step is divided by the root of the sum of all its
/// squared gradients so far: `G ← G + g²`, `w ← w − η g / (√G + ε)`.
public final class AdaGrad: Optimizer {
    public var learningRate: Double
    public let epsilon: Double
    /// G of each parameter: the sum of its squared gradients over every step so far.
    private var sums: [ObjectIdentifier: Tensor] = [:]

    public init(learningRate: Double = 0.01, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.epsilon = epsilon
    }

    public func step(_ parameters: [Parameter]) {
        // TODO: for each parameter, add g² to its sum G in `sums[ObjectIdentifier(parameter)]`
        // (zeros at first) and store it back, then w ← w − η · g / (√G + ε).
        notImplemented("AdaGrad.step", placeholder: ())
    }
}

/// RMSProp (Hinton, 2012): each weight's step is divided by the root of a running mean of its
/// squared gradients: `v ← ρv + (1 − ρ)g²`, `w ← w − η g / (√v + ε)`.
public final class RMSProp: Optimizer {
    public var learningRate: Double
    /// ρ, the share of the old mean kept at each step.
    public let decay: Double
    public let epsilon: Double
    /// v of each parameter: the running mean of its squared gradients.
    private var means: [ObjectIdentifier: Tensor] = [:]

    public init(learningRate: Double = 0.001, decay: Double = 0.9, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
    }

    public func step(_ parameters: [Parameter]) {
        // TODO: for each parameter, v ← ρv + (1 − ρ)g² with v from `means[ObjectIdentifier(parameter)]`
        // (zeros at first), store it back, then w ← w − η · g / (√v + ε).
        notImplemented("RMSProp.step", placeholder: ())
    }
}
