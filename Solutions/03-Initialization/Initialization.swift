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
    let limit = (6 / Double(inputs + outputs)).squareRoot()
    return Tensor.uniform(shape: [inputs, outputs], low: -limit, high: limit, using: &generator)
}

/// He (Kaiming) normal: `W ~ N(0, 2 / fanIn)`. Suited to ReLU, which zeroes
/// half of its inputs and so halves the variance.
public func heNormal(inputs: Int, outputs: Int, using generator: inout SeededGenerator) -> Tensor {
    Tensor.normal(shape: [inputs, outputs], standardDeviation: (2 / Double(inputs)).squareRoot(), using: &generator)
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
        let weight: Tensor
        switch initialization {
        case .xavierUniform: weight = xavierUniform(inputs: inputs, outputs: outputs, using: &generator)
        case .heNormal: weight = heNormal(inputs: inputs, outputs: outputs, using: &generator)
        }
        self.init(weight: weight, bias: Tensor(zeros: [outputs]))
    }
}
