import NeuralKit
import Testing

/// The textbook triple loop: c[i, j] = Σₚ a[i, p] · b[p, j].
private func naiveMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var total = 0.0
            for p in 0..<k { total += a.scalars[i * k + p] * b.scalars[p * n + j] }
            c[i * n + j] = total
        }
    }
    return Tensor(shape: [m, n], scalars: c)
}

@Suite("Tensor · matmul")
struct Matmul {
    /// (m, k, n): small non-square; k > 128 (the k-blocking); m·k·n ≥ 2¹⁸ (two threads), with odd
    /// m (uneven split) and with both at once; one row with much work (stays on one thread); fewer
    /// than 16 columns (eight, four and single columns, four rows at a time), as in a 10-class output layer;
    /// k ≥ 512 (sums in two halves), as in a first layer on MNIST.
    static let sizes: [(Int, Int, Int)] = [
        (3, 5, 2), (1, 7, 1), (4, 1, 6), (2, 300, 3), (101, 64, 50), (65, 129, 33), (2, 257, 600), (1, 600, 500),
        (9, 13, 15), (64, 100, 10), (33, 784, 20),
    ]

    @Test("matmul agrees with the naive triple loop", arguments: sizes)
    func matchesNaive(size: (Int, Int, Int)) {
        let (m, k, n) = size
        var g = SeededGenerator(seed: UInt64(m * 1000 + k))
        let a = Tensor.normal(shape: [m, k], using: &g)
        let b = Tensor.normal(shape: [k, n], using: &g)
        let c = withoutProblems { a.matmul(b) }
        #expect(c.shape == [m, n])
        #expect(isClose(c, naiveMatmul(a, b), tolerance: 1e-12))
    }

    @Test("transposedMatmul is transposed().matmul, to the bit", arguments: sizes)
    func transposedMatmul(size: (Int, Int, Int)) {
        let (m, k, n) = size
        var g = SeededGenerator(seed: UInt64(m * 1000 + k + 7))
        let a = Tensor.normal(shape: [k, m], using: &g)
        let b = Tensor.normal(shape: [k, n], using: &g)
        withoutProblems {
            #expect(a.transposedMatmul(b) == a.transposed().matmul(b))
        }
    }

    @Test("transposedMatmul explains shapes that do not fit, and handles empty ones")
    func transposedMatmulShapes() {
        let (c, messages) = recordingProblems { Tensor(ones: [2, 3]).transposedMatmul(Tensor(ones: [4, 5])) }
        #expect(
            messages == [
                "transposedMatmul: shapes [2, 3] and [4, 5] do not fit: the rows of the left (2) "
                    + "must equal the rows of the right (4)"
            ])
        #expect(c == Tensor(zeros: [3, 5]))
        withoutProblems {
            #expect(Tensor(zeros: [0, 3]).transposedMatmul(Tensor(zeros: [0, 2])) == Tensor(zeros: [3, 2]))
        }
    }

    @Test("each element is a chain of fused multiply-adds in the order p = 0…k−1: the same bits on any machine")
    func fusedMultiplyAddsInOrder() {
        // Tiles, column edges and the last row all follow the order.
        var g = SeededGenerator(seed: 11)
        let a = Tensor.normal(shape: [9, 40], using: &g)
        let b = Tensor.normal(shape: [40, 21], using: &g)
        let c = withoutProblems { a.matmul(b) }
        for (i, j) in [(0, 0), (4, 17), (8, 20)] {
            var total = 0.0
            for p in 0..<40 { total = total.addingProduct(a[i, p], b[p, j]) }
            #expect(c[i, j] == total)
        }
    }

    @Test(
        "a sum of 512 terms or more is two such chains, p < h and p ≥ h (h = k/2 rounded to a multiple of 8), added",
        arguments: [(512, 256), (784, 392), (785, 392), (1000, 496)])
    func longSumsInTwoHalves(k: Int, half: Int) {
        var g = SeededGenerator(seed: UInt64(k))
        let a = Tensor.normal(shape: [5, k], using: &g)
        let b = Tensor.normal(shape: [k, 19], using: &g)
        let c = withoutProblems { a.matmul(b) }
        for (i, j) in [(0, 0), (2, 17), (4, 18)] {
            var first = 0.0
            var second = 0.0
            for p in 0..<half { first = first.addingProduct(a[i, p], b[p, j]) }
            for p in half..<k { second = second.addingProduct(a[i, p], b[p, j]) }
            #expect(c[i, j] == first + second)
        }
        // Just below the limit, one chain.
        let a2 = Tensor.normal(shape: [2, 511], using: &g)
        let b2 = Tensor.normal(shape: [511, 3], using: &g)
        var total = 0.0
        for p in 0..<511 { total = total.addingProduct(a2[1, p], b2[p, 2]) }
        #expect(withoutProblems { a2.matmul(b2) }[1, 2] == total)
    }

    @Test("a worked 2×3 by 3×2 product")
    func workedExample() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        let b = Tensor([[7, 8], [9, 10], [11, 12]])
        #expect(withoutProblems { a.matmul(b) } == Tensor([[58, 64], [139, 154]]))
    }

    @Test("(AB)ᵀ = BᵀAᵀ")
    func transposeIdentity() {
        var g = SeededGenerator(seed: 4)
        let a = Tensor.normal(shape: [3, 7], using: &g)
        let b = Tensor.normal(shape: [7, 5], using: &g)
        withoutProblems {
            #expect(isClose(a.matmul(b).transposed(), b.transposed().matmul(a.transposed())))
        }
    }

    @Test("empty dimensions give an empty or zero result, never a crash")
    func emptyDimensions() {
        withoutProblems {
            #expect(Tensor(zeros: [0, 3]).matmul(Tensor(ones: [3, 4])) == Tensor(zeros: [0, 4]))
            #expect(Tensor(zeros: [2, 0]).matmul(Tensor(zeros: [0, 3])) == Tensor(zeros: [2, 3]))
            #expect(Tensor(ones: [2, 3]).matmul(Tensor(zeros: [3, 0])) == Tensor(zeros: [2, 0]))
        }
    }

    @Test("mismatched inner sizes are a problem naming both shapes, with a hint when the right side looks transposed")
    func mismatched() {
        let (c, messages) = recordingProblems { Tensor(ones: [2, 3]).matmul(Tensor(ones: [4, 3])) }
        #expect(
            messages == [
                "matmul: shapes [2, 3] and [4, 3] do not fit: the columns of the left (3) must equal "
                    + "the rows of the right (4); is the right side transposed?"
            ])
        #expect(c == Tensor(zeros: [2, 3]))
        let (d, other) = recordingProblems { Tensor(ones: [2, 3]).matmul(Tensor(ones: [4, 5])) }
        #expect(other.count == 1 && other.first?.contains("transposed") == false)
        #expect(d == Tensor(zeros: [2, 5]))
    }

    @Test(
        "matmul of tensors that are not matrices is a problem",
        arguments: [([3], [3, 2]), ([2, 3], [3]), ([1, 2, 3], [3, 2])])
    func needsMatrices(shapes: ([Int], [Int])) {
        let (_, messages) = recordingProblems { Tensor(ones: shapes.0).matmul(Tensor(ones: shapes.1)) }
        #expect(messages == ["matmul needs two matrices (rank 2), got shapes \(shapes.0) and \(shapes.1)"])
    }
}
