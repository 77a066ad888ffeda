import Exercises
import Foundation
import NeuralKit
import Solutions
import Testing

/// The numbers of the stage 1 walkthrough (docs/01-activations.md), checked
/// against the student's code: if the doc and the code disagree, this fails.
@Suite("Stage 1 · Worked examples")
struct Stage01WorkedExamples {
    /// softmax([1, 2, 3]) to full precision: 0.0900, 0.2447, 0.6652 in the doc.
    static let y = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219]

    @Test("relu's backward on the walkthrough's example passes the gradient where x > 0")
    func reluBackwardExample() throws {
        // docs/01-activations.md, "ReLU": x = [−2, −0.5, 0.5, 3], g = [10, 20, 30, 40] → [0, 0, 30, 40].
        let x = Tensor([[-2, -0.5, 0.5, 3]])
        let g = Tensor([[10, 20, 30, 40]])
        let dx = try student(1) { Exercises.reluBackward(g, input: x) }
        expectClose(
            dx, Tensor([[0, 0, 30, 40]]), "reluBackward(g, x)",
            hint: "where x > 0 the gradient passes unchanged; elsewhere it is 0")
    }

    @Test("softmax of [1, 2, 3], step by step")
    func softmaxStepByStep() throws {
        // docs/01-activations.md, "Softmax": e¹, e², e³ = 2.7183, 7.3891, 20.0855, sum 30.1929;
        // with the maximum 3 subtracted: e⁻², e⁻¹, e⁰ = 0.1353, 0.3679, 1, sum 1.5032, and 1/1.5032 = 0.6652.
        let p = try student(1) { Exercises.softmax(Tensor([[1, 2, 3]])) }
        expectClose(
            p, Tensor([Self.y]), "softmax([1, 2, 3])", tolerance: Tolerance(absolute: 1e-9, relative: 1e-9),
            hint: p.scalars.allSatisfy { abs($0 - 1) < 1e-9 }
                ? "every value is 1: that is softmax down each column (axis 0) of this one-row batch; take it along each row (axis 1)"
                : nil)
        let doc = Tolerance(absolute: 5e-5, relative: 0)
        expectClose(
            Tensor([1, 2, 3]).map(Foundation.exp), Tensor([2.7183, 7.3891, 20.0855]), "e¹, e², e³", tolerance: doc)
        expectClose(exp(Tensor([1, 2, 3])).sum(), 30.1929, "e¹ + e² + e³", tolerance: doc)
        expectClose(exp(Tensor([-2, -1, 0])), Tensor([0.1353, 0.3679, 1]), "e⁻², e⁻¹, e⁰", tolerance: doc)
        expectClose(exp(Tensor([-2, -1, 0])).sum(), 1.5032, "e⁻² + e⁻¹ + e⁰", tolerance: doc)
        expectClose(p, Tensor([[0.0900, 0.2447, 0.6652]]), "softmax([1, 2, 3]) to 4 places", tolerance: doc)
    }

    @Test("softmax of [1000, 1001, 1002] is softmax of [1, 2, 3], where the naive formula gives NaN")
    func softmaxOfLargeLogits() throws {
        // docs/01-activations.md, "Why subtract the maximum".
        let p = try student(1) { Exercises.softmax(Tensor([[1000, 1001, 1002]])) }
        expectClose(
            p, Tensor([Self.y]), "softmax([1000, 1001, 1002])",
            hint: "exp(1000) overflows to +∞ and ∞/∞ is NaN: subtract each row's maximum before exp")
        // Subtracting the mean instead of the maximum is not enough when the logits are far apart.
        let wide = try student(1) { Exercises.softmax(Tensor([[-1000, 1000]])) }
        expectClose(
            wide, Tensor([[0, 1]]), "softmax([−1000, 1000])",
            hint: "subtract the row's maximum, so that the largest exponent is e⁰ = 1 and none overflows")
        // The naive formula: exp(1000) is +∞ (the largest Double is about 1.8e308 ≈ e^709.78).
        let naive = exp(Tensor([1000, 1001, 1002]))
        check(
            naive.scalars.allSatisfy(\.isInfinite) && (naive / naive.sum()).scalars.allSatisfy(\.isNaN),
            "the walkthrough says exp(1000) overflows and the naive softmax is NaN")
        check(
            Foundation.exp(709.78) < Double.greatestFiniteMagnitude && Foundation.exp(709.79).isInfinite
                && abs(Double.greatestFiniteMagnitude / 1e308 - 1.8) < 0.01,
            "the walkthrough says exp overflows just above 709.78, past the largest Double, about 1.8e308")
    }

    @Test("softmax works on each row of a batch separately")
    func softmaxRowByRow() throws {
        // docs/01-activations.md: [[1, 2, 3], [1, 1, 1]] → [[0.0900, 0.2447, 0.6652], [1/3, 1/3, 1/3]].
        let p = try student(1) { Exercises.softmax(Tensor([[1, 2, 3], [1, 1, 1]])) }
        expectClose(
            p, Tensor([Self.y, [1.0 / 3, 1.0 / 3, 1.0 / 3]]), "softmax([[1, 2, 3], [1, 1, 1]])",
            hint:
                "one row is one example: take the maximum, the exponentials' sum and the division along each row (axis 1)"
        )
    }

    @Test("softmax's backward from g = [1, 0, 0] is the first row of the Jacobian, and sums to 0")
    func softmaxBackwardExample() throws {
        // docs/01-activations.md, "Softmax backward": y₀·(δ₀ᵢ − yᵢ) = [0.0819, −0.0220, −0.0599].
        let y = Tensor([Self.y])
        let dz = try student(1) { Exercises.softmaxBackward(Tensor([[1, 0, 0]]), output: y) }
        let expected = Tensor([[0.08192506906499324, -0.022033044520174298, -0.059892024544818935]])
        var hint = "each component is yᵢ·(gᵢ − Σⱼ gⱼyⱼ)"
        if mismatch(dz, y * Tensor([[1, 0, 0]])) == nil {
            hint += ": the sum Σⱼ gⱼyⱼ is missing; without it only yᵢ·gᵢ is left, and every zⱼ moves every yᵢ"
        } else if mismatch(dz, y * (1 - y) * Tensor([[1, 0, 0]])) == nil {
            hint +=
                ": that is yᵢ(1 − yᵢ)·gᵢ, the diagonal of the Jacobian only (sigmoid's derivative); "
                + "softmax's off-diagonal terms −yᵢyⱼ add the sum"
        }
        expectClose(dz, expected, "softmaxBackward(g = [1, 0, 0], y = softmax([1, 2, 3]))", hint: hint)
        expectClose(
            dz.sum(), 0, "the sum of softmax's input gradient", tolerance: Tolerance(absolute: 1e-12, relative: 0),
            hint: "adding a constant to every logit does not change softmax, so the gradient of each row must sum to 0")
        expectClose(
            dz, Tensor([[0.0819, -0.0220, -0.0599]]), "softmaxBackward to 4 places",
            tolerance: Tolerance(absolute: 5e-5, relative: 0))
    }

    @Test("softmax's backward sums to 0 on every row, for any output gradient", arguments: seeds)
    func softmaxBackwardRowsSumToZero(seed: UInt64) throws {
        let z = randomTensor([4, 5], seed: seed)
        let y = try reference(z) { Solutions.softmax(z) }
        let g = randomTensor([4, 5], seed: seed + 50)
        let dz = try student(1) { Exercises.softmaxBackward(g, output: y) }
        let sums = dz.sum(alongAxis: 1)
        expectClose(
            sums, Tensor(zeros: [4]), "the row sums of softmaxBackward",
            tolerance: Tolerance(absolute: 1e-12, relative: 0),
            hint: "yᵢ·(gᵢ − Σⱼ gⱼyⱼ) sums to 0 over a row; the sum Σⱼ gⱼyⱼ is taken along each row (axis 1)")
    }
}
