import NeuralKit

/// The optimizer `kit train` and `kit bench` use: the reference `SGD` (stage 7), updating in
/// place, without a new tensor per parameter and step. The same numbers as the reference.
///
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
        // In place (`*=`, `add(_:scaledBy:)`, `+=`): no new tensor per parameter and
        // step, and a large weight matrix is shared out between the cores.
        for parameter in parameters {
            var gradient = parameter.gradient
            if weightDecay != 0 { gradient.add(parameter.value, scaledBy: weightDecay) }
            if momentum == 0 {
                parameter.value.add(gradient, scaledBy: -learningRate) // w ← w − η ∇w
            } else {
                let key = ObjectIdentifier(parameter)
                // Taken out of the dictionary while it changes, so that it is not copied.
                var velocity = velocities.removeValue(forKey: key) ?? Tensor(zeros: parameter.value.shape)
                velocity *= momentum // α Δw(n−1)
                velocity.add(gradient, scaledBy: -learningRate) // − η ∇w
                parameter.value += velocity // w ← w + Δw(n)
                velocities[key] = velocity
            }
        }
    }
}
