import NeuralKit

// Stage 3 · Initialization
//
// If every weight starts equal, every unit of a layer computes the same thing
// and receives the same gradient: they never become different. Random weights
// break that symmetry; their scale keeps the signal from shrinking or growing
// from layer to layer. Biases start at zero.
//
// Every random number comes from the `generator` passed in (never a new
// `SeededGenerator` or `Double.random`): the same seed must give the same
// network, and two layers drawn one after the other must differ.
//
// Walkthrough: docs/03-initialization.md · Check: swift test --filter Stage03
// Replace each `notImplemented(...)` with your code.

/// Xavier/Glorot uniform: `W ~ U(−a, a)` with `a = √(6 / (fanIn + fanOut))`,
/// so that `Var W = 2 / (fanIn + fanOut)`. Suited to tanh and sigmoid.
public func xavierUniform(inputs: Int, outputs: Int, using generator: inout SeededGenerator) -> Tensor {
    // TODO: compute the limit a, then draw a [inputs, outputs] tensor from U(−a, a)
    // (`Tensor.uniform(shape:low:high:using: &generator)`).
    return notImplemented("xavierUniform", placeholder: Tensor(zeros: [inputs, outputs]))
}

/// He (Kaiming) normal: `W ~ N(0, 2 / fanIn)`. Suited to ReLU, which zeroes
/// half of its inputs and so halves the variance.
public func heNormal(inputs: Int, outputs: Int, using generator: inout SeededGenerator) -> Tensor {
    // TODO: N(0, σ²) is given by its standard deviation σ, not by its variance
    // (`Tensor.normal(shape:standardDeviation:using: &generator)`).
    return notImplemented("heNormal", placeholder: Tensor(zeros: [inputs, outputs]))
}

/// The ways to initialize a dense layer. (Given.)
public enum Initialization: Sendable {
    case xavierUniform
    case heNormal
}

extension Dense {
    /// A layer with weights drawn by `initialization` and zero biases.
    public convenience init(
        inputs: Int, outputs: Int, initialization: Initialization,
        using generator: inout SeededGenerator
    ) {
        // TODO: `switch initialization` to draw the weight with one of your functions above
        // (passing `&generator` on), then `self.init(weight: ..., bias: ...)` with zero biases.
        self.init(
            weight: notImplemented(
                "Dense(inputs:outputs:initialization:using:)",
                placeholder: Tensor(zeros: [inputs, outputs])),
            bias: Tensor(zeros: [outputs]))
    }
}
