import Foundation
import NeuralKit

// Stage 1 · Activations
//
// An activation is applied after a layer's linear part; without it, stacked
// layers collapse into one linear map. ReLU keeps positive values and zeroes
// the rest; softmax turns a row of scores (logits) into probabilities.
// Each forward function has a backward beside it: given ∂L/∂y, return ∂L/∂x.
//
// Walkthrough: docs/01-activations.md · Check: swift test --filter Stage01
// Replace each `return notImplemented(...)` with your code.

/// ReLU, element-wise: `relu(x) = max(x, 0)`.
public func relu(_ x: Tensor) -> Tensor {
    x.map { max($0, 0) }
}

/// The gradient through ReLU: `∂L/∂x = ∂L/∂y · 1[x > 0]`.
///
/// The derivative at exactly 0 is taken as 0.
public func reluBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
    Tensor.zip(outputGradient, input, operation: "reluBackward") { g, x in x > 0 ? g : 0 }
}

/// Softmax of each row of a `[batch, classes]` matrix:
/// `softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z)`.
///
/// Subtracting the row's maximum changes nothing mathematically and keeps
/// `exp` from overflowing on large logits.
public func softmax(_ logits: Tensor) -> Tensor {
    let shifted = logits - logits.max(alongAxis: 1, keepingDimension: true)
    let e = exp(shifted)
    return e / e.sum(alongAxis: 1, keepingDimension: true)
}

/// The gradient through softmax, row by row, from its output `y`:
/// `∂L/∂zᵢ = yᵢ · (∂L/∂yᵢ − Σⱼ ∂L/∂yⱼ · yⱼ)`.
public func softmaxBackward(_ outputGradient: Tensor, output: Tensor) -> Tensor {
    let dot = (outputGradient * output).sum(alongAxis: 1, keepingDimension: true)
    return output * (outputGradient - dot)
}

/// ReLU as a layer, with its cache (the input) between forward and backward.
/// (Given: it calls your `relu` and `reluBackward`.)
public final class ReLU: Layer {
    /// The input of the last forward pass: backward needs to know where it was positive.
    public private(set) var input: Tensor?

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        self.input = input
        return relu(input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        reluBackward(outputGradient, input: input ?? Tensor(zeros: outputGradient.shape))
    }
}

// MARK: - Bonus: more activations (optional, scored separately)

/// Sigmoid: `σ(x) = 1 / (1 + e⁻ˣ)`.
public func sigmoid(_ x: Tensor) -> Tensor {
    // 1 / (1 + e⁻ˣ) alone would be safe (e⁻ˣ = ∞ gives 1/∞ = 0); eˣ / (1 + eˣ) is NaN
    // (∞/∞) for x above about 710, so it is used only for x < 0, where eˣ ≤ 1.
    x.map { $0 >= 0 ? 1 / (1 + exp(-$0)) : exp($0) / (1 + exp($0)) }
}

/// `∂L/∂x = ∂L/∂y · σ(x)(1 − σ(x))`.
public func sigmoidBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
    let s = sigmoid(input)
    return outputGradient * s * (1 - s)
}

/// Hyperbolic tangent, element-wise.
public func tanh(_ x: Tensor) -> Tensor {
    x.map { Foundation.tanh($0) }
}

/// `∂L/∂x = ∂L/∂y · (1 − tanh²x)`.
public func tanhBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
    outputGradient * (1 - tanh(input).squared())
}

/// Leaky ReLU: `x` for x > 0, `slope · x` otherwise.
public func leakyReLU(_ x: Tensor, slope: Double = 0.01) -> Tensor {
    x.map { $0 > 0 ? $0 : slope * $0 }
}

/// `∂L/∂x = ∂L/∂y · (1 for x > 0, slope otherwise)`.
public func leakyReLUBackward(_ outputGradient: Tensor, input: Tensor, slope: Double = 0.01) -> Tensor {
    Tensor.zip(outputGradient, input, operation: "leakyReLUBackward") { g, x in x > 0 ? g : slope * g }
}

/// ELU: `x` for x > 0, `α(eˣ − 1)` otherwise.
public func elu(_ x: Tensor, alpha: Double = 1) -> Tensor {
    x.map { $0 > 0 ? $0 : alpha * (exp($0) - 1) }
}

/// `∂L/∂x = ∂L/∂y · (1 for x > 0, αeˣ otherwise)`.
public func eluBackward(_ outputGradient: Tensor, input: Tensor, alpha: Double = 1) -> Tensor {
    Tensor.zip(outputGradient, input, operation: "eluBackward") { g, x in x > 0 ? g : g * alpha * exp(x) }
}

/// SELU's constants (Klambauer et al., 2017).
public let seluAlpha = 1.6732632423543772
public let seluScale = 1.0507009873554805

/// SELU: `λ · x` for x > 0, `λα(eˣ − 1)` otherwise, with λ = `seluScale`, α = `seluAlpha`.
public func selu(_ x: Tensor) -> Tensor {
    x.map { seluScale * ($0 > 0 ? $0 : seluAlpha * (exp($0) - 1)) }
}

/// `∂L/∂x = ∂L/∂y · λ · (1 for x > 0, αeˣ otherwise)`.
public func seluBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
    Tensor.zip(outputGradient, input, operation: "seluBackward") { g, x in
        g * seluScale * (x > 0 ? 1 : seluAlpha * exp(x))
    }
}
