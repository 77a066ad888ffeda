import NeuralKit
import Testing

@Suite("Comparison · Tolerance and mismatch")
struct ComparisonTests {
    let expected = Tensor([[1, -2, 3], [0.5, 4, -6]])

    @Test("a tolerance accepts |actual − expected| ≤ absolute + relative·|expected|")
    func toleranceAccepts() {
        let t = Tolerance(absolute: 1e-3, relative: 1e-2)
        #expect(t.accepts(1.0109, 1) && !t.accepts(1.012, 1))
        #expect(t.accepts(0.0009, 0) && !t.accepts(0.002, 0))
        #expect(t.accepts(.nan, .nan) && !t.accepts(.nan, 1) && !t.accepts(1, .nan))
        #expect(t.accepts(.infinity, .infinity) && !t.accepts(.infinity, -.infinity) && !t.accepts(1e300, .infinity))
        #expect(Tolerance.tight.accepts(1 + 1e-8, 1) && !Tolerance.tight.accepts(1 + 1e-6, 1))
    }

    @Test("values within tolerance give no explanation")
    func withinTolerance() {
        #expect(mismatch(expected, expected) == nil)
        #expect(mismatch(expected + 1e-8, expected) == nil)
        #expect(mismatch(expected * (1 + 1e-7), expected) == nil)
        #expect(mismatch(Tensor(zeros: [0, 3]), Tensor(zeros: [0, 3])) == nil)
    }

    @Test("a transposed shape is called out as a swapped transpose")
    func transposedShape() {
        let message = mismatch(expected.transposed(), expected, name: "dW")
        #expect(message == "dW has shape [3, 2], expected [2, 3]: is a transpose swapped?")
    }

    @Test("another shape of the same count suggests a reshape; one dimension more or less suggests a missing sum")
    func otherShapes() {
        #expect(mismatch(expected.reshaped([6]), expected)?.contains("reshaped or transposed") == true)
        #expect(mismatch(Tensor([1, 2, 3]), expected)?.contains("a dimension is missing or extra") == true)
        #expect(mismatch(Tensor(zeros: [4, 4]), expected) == "result has shape [4, 4], expected [2, 3]")
    }

    @Test("a NaN is named with its position, and causes to look for")
    func nanNamed() {
        var actual = expected
        actual[1, 0] = .nan
        let message = mismatch(actual, expected, name: "softmax(z)")
        #expect(
            message == "softmax(z) has nan at [1, 0] where 0.5 was expected: "
                + "look for a division by zero, log(0) or exp of a large number")
        actual[1, 0] = -.infinity
        #expect(mismatch(actual, expected)?.hasPrefix("result has -inf at [1, 0]") == true)
    }

    @Test("the worst element is reported with both values and how many are off")
    func worstElement() {
        var actual = expected
        actual[0, 1] = -2.1
        actual[1, 2] = -9
        #expect(
            mismatch(actual, expected)
                == "result differs at [1, 2]: got -9, expected -6 (2 of 6 values are off; this is the largest difference)"
        )
        actual = expected
        actual[0, 0] = 1.5
        #expect(mismatch(actual, expected) == "result differs at [0, 0]: got 1.5, expected 1 (1 of 6 values are off)")
    }

    @Test("an all-zero result says it may not be computed")
    func allZeros() {
        #expect(
            mismatch(Tensor(zeros: [2, 3]), expected)?.hasSuffix(
                "every value is 0: is the result computed and returned?") == true)
    }

    @Test("a result with every sign flipped says so")
    func flippedSign() {
        #expect(mismatch(-expected, expected)?.hasSuffix("; the signs are flipped") == true)
        // Only some flipped: no such claim.
        var partly = expected
        partly[0, 0] = -1
        #expect(mismatch(partly, expected)?.contains("flipped") == false)
    }

    @Test("a finite value where NaN or ∞ was expected is a mismatch too")
    func expectedNonFinite() {
        #expect(mismatch(Tensor([1, 2]), Tensor([1, .nan])) != nil)
        #expect(mismatch(Tensor([1, 2]), Tensor([1, .infinity]))?.contains("[1]") == true)
        #expect(mismatch(Tensor([1, .infinity]), Tensor([1, .infinity])) == nil)
        #expect(mismatch(Tensor([.nan]), Tensor([.nan])) == nil)
    }

    @Test("scalar mismatch: nil within tolerance, both numbers otherwise, and a hint for NaN")
    func scalarMismatch() {
        #expect(mismatch(1 + 1e-9, 1.0) == nil)
        #expect(mismatch(2.5, 2.0, name: "loss") == "loss is 2.5, expected 2")
        #expect(
            mismatch(.nan, 2.0, name: "loss")?.hasPrefix("loss is nan, expected 2: look for a division by zero") == true
        )
    }

    @Test("describe gives up to 6 significant digits")
    func describeNumbers() {
        #expect(describe(0.09003057317038046) == "0.0900306")
        #expect(describe(-1234.56789) == "-1234.57")
        #expect(describe(3) == "3")
        #expect(describe(0) == "0" && describe(.nan) == "nan")
        #expect(describe(1e-7) == "1e-07")
    }
}
