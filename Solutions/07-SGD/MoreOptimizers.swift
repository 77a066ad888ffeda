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
        for parameter in parameters {
            let key = ObjectIdentifier(parameter)
            let g = parameter.gradient
            let sum = (sums[key] ?? Tensor(zeros: g.shape)) + g.squared()
            sums[key] = sum
            parameter.value -= learningRate * g / (sqrt(sum) + epsilon)
        }
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
        for parameter in parameters {
            let key = ObjectIdentifier(parameter)
            let g = parameter.gradient
            let mean = decay * (means[key] ?? Tensor(zeros: g.shape)) + (1 - decay) * g.squared()
            means[key] = mean
            parameter.value -= learningRate * g / (sqrt(mean) + epsilon)
        }
    }
}
