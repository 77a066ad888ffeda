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
    // TODO: keep positive values, replace the others by 0 (`x.map { ... }`).
    return notImplemented("relu", placeholder: x)
}

/// The gradient through ReLU: `∂L/∂x = ∂L/∂y · 1[x > 0]`.
///
/// The derivative at exactly 0 is taken as 0.
public func reluBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
    // TODO: pass outputGradient through where input > 0, and 0 elsewhere
    // (`Tensor.zip(outputGradient, input) { g, x in ... }`).
    return notImplemented("reluBackward", placeholder: outputGradient)
}

/// Softmax of each row of a `[batch, classes]` matrix:
/// `softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z)`.
///
/// Subtracting the row's maximum changes nothing mathematically and keeps
/// `exp` from overflowing on large logits.
public func softmax(_ logits: Tensor) -> Tensor {
    // TODO: subtract each row's maximum (`logits.max(alongAxis: 1, keepingDimension: true)`),
    // exponentiate (`exp(...)`), and divide each row by its sum.
    return notImplemented("softmax", placeholder: logits)
}

/// The gradient through softmax, row by row, from its output `y`:
/// `∂L/∂zᵢ = yᵢ · (∂L/∂yᵢ − Σⱼ ∂L/∂yⱼ · yⱼ)`.
public func softmaxBackward(_ outputGradient: Tensor, output: Tensor) -> Tensor {
    // TODO: the sum Σⱼ gⱼyⱼ is one number per row (keep its dimension to broadcast it back).
    return notImplemented("softmaxBackward", placeholder: outputGradient)
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
    // TODO: 1 / (1 + e⁻ˣ) is already safe: for x below about −710, e⁻ˣ overflows to ∞ and 1/∞ = 0.
    // The trap is the other form, eˣ / (1 + eˣ): for x above about 710 it is ∞/∞ = NaN. If you use
    // eˣ / (1 + eˣ) (the usual choice for x < 0), use it on that side only.
    return notImplemented("sigmoid", placeholder: x)
}

/// `∂L/∂x = ∂L/∂y · σ(x)(1 − σ(x))`.
public func sigmoidBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
    return notImplemented("sigmoidBackward", placeholder: outputGradient)
}

/// Hyperbolic tangent, element-wise.
public func tanh(_ x: Tensor) -> Tensor {
    // TODO: `Foundation.tanh` computes one value.
    return notImplemented("tanh", placeholder: x)
}

/// `∂L/∂x = ∂L/∂y · (1 − tanh²x)`.
public func tanhBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
    return notImplemented("tanhBackward", placeholder: outputGradient)
}

/// Leaky ReLU: `x` for x > 0, `slope · x` otherwise.
public func leakyReLU(_ x: Tensor, slope: Double = 0.01) -> Tensor {
    return notImplemented("leakyReLU", placeholder: x)
}

/// `∂L/∂x = ∂L/∂y · (1 for x > 0, slope otherwise)`.
public func leakyReLUBackward(_ outputGradient: Tensor, input: Tensor, slope: Double = 0.01) -> Tensor {
    return notImplemented("leakyReLUBackward", placeholder: outputGradient)
}

/// ELU: `x` for x > 0, `α(eˣ − 1)` otherwise.
public func elu(_ x: Tensor, alpha: Double = 1) -> Tensor {
    return notImplemented("elu", placeholder: x)
}

/// `∂L/∂x = ∂L/∂y · (1 for x > 0, αeˣ otherwise)`.
public func eluBackward(_ outputGradient: Tensor, input: Tensor, alpha: Double = 1) -> Tensor {
    return notImplemented("eluBackward", placeholder: outputGradient)
}

/// SELU's constants (Klambauer et al., 2017).
public let seluAlpha = 1.6732632423543772
public let seluScale = 1.0507009873554805

/// SELU: `λ · x` for x > 0, `λα(eˣ − 1)` otherwise, with λ = `seluScale`, α = `seluAlpha`.
public func selu(_ x: Tensor) -> Tensor {
    return notImplemented("selu", placeholder: x)
}

/// `∂L/∂x = ∂L/∂y · λ · (1 for x > 0, αeˣ otherwise)`.
public func seluBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
    return notImplemented("seluBackward", placeholder: outputGradient)
}
