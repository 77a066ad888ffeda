import Foundation
import NeuralKit
import Testing

@Suite("GradientCheck · numericalGradient and weightedSum")
struct GradientCheckTests {
    @Test("numericalGradient of Σ x³ + x₀x₁ is 3x² plus the cross terms")
    func knownFunction() {
        let x = Tensor([[0.5, -1.5, 2], [1, -0.25, 3]])
        let numeric = numericalGradient(at: x) { t in (t.squared() * t).sum() + t.scalars[0] * t.scalars[1] }
        var analytic = 3 * x.squared()
        analytic.withUnsafeMutableScalars { g in
            g[0] += x.scalars[1]
            g[1] += x.scalars[0]
        }
        #expect(numeric.shape == [2, 3])
        #expect(mismatch(numeric, analytic, tolerance: Tolerance(absolute: 1e-8, relative: 1e-8)) == nil)
    }

    @Test("numericalGradient of Σ exp(x) is exp(x), accurate to about 1e-9")
    func exponential() {
        var g = SeededGenerator(seed: 1)
        let x = Tensor.normal(shape: [3, 4], using: &g)
        let numeric = numericalGradient(at: x) { exp($0).sum() }
        #expect(mismatch(numeric, exp(x), tolerance: Tolerance(absolute: 1e-9, relative: 1e-8)) == nil)
    }

    @Test("numericalGradient leaves its input unchanged and sees one coordinate moved at a time")
    func probesOneAtATime() {
        let x = Tensor([1, 2, 3])
        var seen = [[Double]]()
        _ = numericalGradient(at: x, step: 0.5) { t in
            seen.append(t.scalars)
            return 0
        }
        #expect(seen == [[1.5, 2, 3], [0.5, 2, 3], [1, 2.5, 3], [1, 1.5, 3], [1, 2, 3.5], [1, 2, 2.5]])
    }

    @Test("weightedSum is Σ output ⊙ weights, so its gradient with respect to the output is the weights")
    func weightedSumValue() {
        let y = Tensor([[1, 2], [3, 4]])
        let w = Tensor([[0.5, -1], [2, 0]])
        #expect(withoutProblems { weightedSum(y, w) } == 4.5)
        let gradient = numericalGradient(at: y) { weightedSum($0, w) }
        #expect(isClose(gradient, w, tolerance: 1e-9))
    }

    @Test("weightedSum of mismatched shapes is a problem naming both, and NaN")
    func weightedSumShapes() {
        let (value, messages) = recordingProblems { weightedSum(Tensor(zeros: [2, 3]), Tensor(zeros: [3, 2])) }
        #expect(value.isNaN)
        #expect(messages == ["the output has shape [2, 3], but its gradient has shape [3, 2]"])
    }
}
