/// The gradient of a scalar function estimated by central differences:
/// `∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h`.
///
/// The checks compare every backward pass with this estimate: it needs only
/// the forward computation, so it is right whenever the forward pass is.
/// The error of the estimate is O(h²) plus rounding of order ε·|f|/h;
/// h = 1e-5 balances the two for values of order one.
public func numericalGradient(at x: Tensor, step h: Double = 1e-5, of f: (Tensor) -> Double) -> Tensor {
    var gradient = Tensor(zeros: x.shape)
    var probe = x
    for i in 0..<x.count {
        let original = x.scalars[i]
        probe.storage[i] = original + h
        let plus = f(probe)
        probe.storage[i] = original - h
        let minus = f(probe)
        probe.storage[i] = original
        gradient.storage[i] = (plus - minus) / (2 * h)
    }
    return gradient
}

/// Σ (output ⊙ weights): turns a tensor-valued function into a scalar one, so
/// that its backward pass, given `weights` as the output gradient, can be
/// checked against `numericalGradient`.
public func weightedSum(_ output: Tensor, _ weights: Tensor) -> Double {
    guard output.shape == weights.shape else {
        Problems.invalidShape("the output has shape \(output.shape), but its gradient has shape \(weights.shape)")
        return .nan
    }
    return (output * weights).sum()
}
