import NeuralKit
import Testing

/// `a op b` computed by explicit loops over the broadcast shape, for rank ≤ 3.
private func broadcastByLoops(_ a: Tensor, _ b: Tensor, _ op: (Double, Double) -> Double) -> Tensor {
    let rank = 3
    let pa = Array(repeating: 1, count: rank - a.rank) + a.shape
    let pb = Array(repeating: 1, count: rank - b.rank) + b.shape
    let shape = (0..<rank).map { max(pa[$0], pb[$0]) }
    var out = [Double]()
    for i in 0..<shape[0] {
        for j in 0..<shape[1] {
            for k in 0..<shape[2] {
                let x = a.scalars[((pa[0] == 1 ? 0 : i) * pa[1] + (pa[1] == 1 ? 0 : j)) * pa[2] + (pa[2] == 1 ? 0 : k)]
                let y = b.scalars[((pb[0] == 1 ? 0 : i) * pb[1] + (pb[1] == 1 ? 0 : j)) * pb[2] + (pb[2] == 1 ? 0 : k)]
                out.append(op(x, y))
            }
        }
    }
    let rankOut = max(a.rank, b.rank)
    return Tensor(shape: Array(shape.suffix(rankOut)), scalars: out)
}

@Suite("Tensor · broadcasting arithmetic")
struct Broadcasting {
    @Test("compound assignments and update(with:) change only the tensor assigned to, in place or by broadcasting")
    func inPlaceUpdates() {
        let original = Tensor([[1, 2], [3, 4]])
        var a = original
        a += Tensor([[10, 20], [30, 40]])
        #expect(a == Tensor([[11, 22], [33, 44]]))
        #expect(original == Tensor([[1, 2], [3, 4]])) // a copy is never changed
        a -= Tensor([1, 2]) // broadcast: a new shape is allowed
        #expect(a == Tensor([[10, 20], [32, 42]]))
        a *= 0.5
        a /= 2
        #expect(a == Tensor([[2.5, 5], [8, 10.5]]))
        var v = Tensor([1, 2, 3])
        v.update(with: Tensor([1, 1, 1])) { v, g in 0.9 * v - 0.1 * g }
        #expect(isClose(v, Tensor([0.8, 1.7, 2.6]), tolerance: 1e-15))
        let (_, messages) = recordingProblems { v += Tensor([1, 2]) }
        #expect(messages.count == 1 && messages.first?.contains("cannot add tensors of shapes [3] and [2]") == true)
    }

    @Test("[b, n] + [n] adds the vector to every row")
    func rowVector() {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(withoutProblems { x + Tensor([10, 20, 30]) } == Tensor([[11, 22, 33], [14, 25, 36]]))
    }

    @Test("[b, n] − [b, 1] subtracts a value per row")
    func columnVector() {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(withoutProblems { x - Tensor([[1], [4]]) } == Tensor([[0, 1, 2], [0, 1, 2]]))
    }

    @Test("[n] + [b, n] broadcasts the left side too")
    func leftSideBroadcasts() {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(withoutProblems { Tensor([10, 20, 30]) + x } == Tensor([[11, 22, 33], [14, 25, 36]]))
        #expect(withoutProblems { Tensor([[100], [200]]) - x } == Tensor([[99, 98, 97], [196, 195, 194]]))
    }

    @Test("a [1, 1] tensor or a rank-0 tensor acts as a scalar, on either side")
    func scalarLike() {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        withoutProblems {
            #expect(x * Tensor([[2]]) == x * 2)
            #expect(Tensor([[2]]) * x == x * 2)
            #expect(x / Tensor(shape: [], scalars: [2]) == x / 2)
            #expect(Tensor(shape: [], scalars: [1]) - x == 1 - x)
        }
    }

    @Test("[b, 1] with [1, n] gives the [b, n] table of all pairs")
    func outer() {
        let column = Tensor([[1], [2]])
        let row = Tensor([[10, 20, 30]])
        #expect(withoutProblems { column * row } == Tensor([[10, 20, 30], [20, 40, 60]]))
    }

    @Test(
        "broadcasting matches explicit loops on rank-3 shapes",
        arguments: [
            ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]), ([2, 1, 4], [3, 1]), ([1, 3, 1], [2, 1, 4]),
            ([2, 3, 4], [2, 1, 4]), ([2, 3, 4], [1, 3, 4]), ([2, 3, 1], [2, 3, 4]),
        ])
    func matchesLoops(shapes: ([Int], [Int])) {
        var g = SeededGenerator(seed: 3)
        let a = Tensor.normal(shape: shapes.0, using: &g)
        let b = Tensor.normal(shape: shapes.1, using: &g)
        withoutProblems {
            #expect(a + b == broadcastByLoops(a, b, +))
            #expect(a - b == broadcastByLoops(a, b, -))
            #expect(b * a == broadcastByLoops(b, a, *))
            #expect(b / a == broadcastByLoops(b, a, /))
        }
    }

    @Test("broadcastShape aligns shapes at their last dimension")
    func broadcastShape() {
        #expect(Tensor.broadcastShape([4, 3], [3]) == [4, 3])
        #expect(Tensor.broadcastShape([4, 1], [1, 5]) == [4, 5])
        #expect(Tensor.broadcastShape([2, 1, 3], [4, 1]) == [2, 4, 3])
        #expect(Tensor.broadcastShape([], [2, 2]) == [2, 2])
        #expect(Tensor.broadcastShape([4, 3], [4]) == nil)
        #expect(Tensor.broadcastShape([2, 0], [2, 1]) == [2, 0])
    }

    @Test(
        "incompatible shapes are a problem naming both shapes and the operation",
        arguments: [([2, 3], [2]), ([2, 3], [3, 2]), ([4], [5]), ([2, 3, 4], [3, 3])])
    func incompatible(shapes: ([Int], [Int])) {
        let a = counting(shapes.0)
        let b = counting(shapes.1)
        for (name, op) in [("add", { a + b }), ("subtract", { a - b }), ("multiply", { a * b }), ("divide", { a / b })]
        {
            let (result, messages) = recordingProblems(op)
            #expect(messages.count == 1)
            let message = messages.first ?? ""
            #expect(message.hasPrefix("cannot \(name) tensors of shapes \(shapes.0) and \(shapes.1)"), "\(message)")
            #expect(result == Tensor(zeros: shapes.0))
        }
    }

    @Test("a shape that is the other without one axis gets a hint about keepingDimension")
    func keepingDimensionHint() {
        let (_, messages) = recordingProblems { counting([5, 3]) / Tensor(ones: [5]) }
        #expect(
            messages == [
                "cannot divide tensors of shapes [5, 3] and [5]: sizes must match, or be 1, in each dimension "
                    + "counted from the last. [5] looks like a reduction along axis 1 of [5, 3]: "
                    + "with keepingDimension: true it has shape [5, 1], which broadcasts"
            ])
        let (_, left) = recordingProblems { Tensor(ones: [2, 4]) - counting([2, 3, 4]) }
        #expect(
            left.first?.hasSuffix(
                "[2, 4] looks like a reduction along axis 1 of [2, 3, 4]: "
                    + "with keepingDimension: true it has shape [2, 1, 4], which broadcasts") == true)
        let (_, none) = recordingProblems { counting([2, 3]) + Tensor(ones: [4]) }
        #expect(none.first?.contains("keepingDimension") == false)
    }

    @Test("Tensor.zip names the operation in its problem")
    func zipNamesOperation() {
        let (_, messages) = recordingProblems {
            Tensor.zip(Tensor([1, 2]), Tensor([1, 2, 3]), operation: "reluBackward") { x, _ in x }
        }
        #expect(messages.first?.hasPrefix("cannot reluBackward tensors of shapes [2] and [3]") == true)
    }

    @Test("scalar operators, negation and compound assignment act on every scalar")
    func scalarOperators() {
        let x = Tensor([1, -2, 4])
        #expect((x + 1).scalars == [2, -1, 5])
        #expect((1 - x).scalars == [0, 3, -3])
        #expect((x * 3).scalars == [3, -6, 12] && (3 * x).scalars == [3, -6, 12])
        #expect((x / 2).scalars == [0.5, -1, 2] && (4 / x).scalars == [4, -2, 1])
        #expect((-x).scalars == [-1, 2, -4])
        var y = x
        withoutProblems {
            y += Tensor([1, 1, 1])
            y -= Tensor([2])
            y *= Tensor([2, 2, 2])
            y *= 0.5
            y /= 2
        }
        #expect(y.scalars == [0, -1.5, 1.5])
        #expect(x.squared().scalars == [1, 4, 16])
    }

    @Test("element-wise functions: exp, log, sqrt, abs, max and min with a scalar")
    func elementwiseFunctions() {
        let x = Tensor([0, 1, 4])
        #expect(isClose(exp(x), Tensor([1, 2.718281828459045, 54.598150033144236])))
        #expect(isClose(log(Tensor([1, 2.718281828459045])), Tensor([0, 1])))
        #expect(sqrt(x).scalars == [0, 1, 2])
        #expect(abs(Tensor([-1, 2])).scalars == [1, 2])
        #expect(max(Tensor([-1, 2]), 0).scalars == [0, 2] && min(Tensor([-1, 2]), 0).scalars == [-1, 0])
    }
}

@Suite("Tensor · element-wise updates of large tensors")
struct LargeUpdates {
    /// Large enough to be shared between cores (more than 16,384 scalars), with an odd count.
    static let (a, b): (Tensor, Tensor) = {
        var g = SeededGenerator(seed: 21)
        return (Tensor.normal(shape: [301, 97], using: &g), Tensor.normal(shape: [301, 97], using: &g))
    }()

    @Test("+=, -=, *= and /= give the same numbers as the operators, every scalar of a large tensor")
    func compoundAssignments() {
        let (a, b) = (Self.a, Self.b)
        var x = a
        x += b
        #expect(x.scalars == (a + b).scalars)
        x = a
        x -= b
        #expect(x.scalars == (a - b).scalars)
        x = a
        x *= 0.9
        #expect(x.scalars == (a * 0.9).scalars)
        x = a
        x /= 3
        #expect(x.scalars == (a / 3).scalars)
        #expect(a == Self.a) // the copy that was assigned from is untouched
    }

    @Test("add(_:scaledBy:) is x + f·y, rounded as update(with:) rounds it", arguments: [1.0, -1.0, -0.05, 2.5])
    func addScaled(factor: Double) {
        let (a, b) = (Self.a, Self.b)
        var x = a
        var y = a
        x.add(b, scaledBy: factor)
        y.update(with: b) { $0 + factor * $1 }
        #expect(x.scalars == y.scalars)
        // A step of gradient descent on a small vector, and broadcasting.
        var w = Tensor([1, 2, 3])
        w.add(Tensor([10, 20, 30]), scaledBy: -0.1)
        #expect(isClose(w, Tensor([0, 0, 0]), tolerance: 1e-15))
        var m = Tensor([[1, 2], [3, 4]])
        m.add(Tensor([1, 1]), scaledBy: 2)
        #expect(m == Tensor([[3, 4], [5, 6]]))
        let (_, messages) = recordingProblems { m.add(Tensor([1, 2, 3]), scaledBy: -1) }
        #expect(
            messages.count == 1 && messages.first?.contains("cannot subtract tensors of shapes [2, 2] and [3]") == true)
    }

    @Test(
        "the common broadcasts (a row for every row, a column for every column, a scalar) match loops",
        arguments: [
            ([301, 97], [97]), ([301, 97], [301, 1]), ([301, 97], [1]), ([301, 97], [1, 97]), ([0, 4], [4]),
            ([3, 0], [3, 1]),
        ])
    func commonBroadcasts(shapes: ([Int], [Int])) {
        var g = SeededGenerator(seed: 5)
        let a = Tensor.normal(shape: shapes.0, using: &g)
        let b = Tensor.normal(shape: shapes.1, using: &g)
        let columns = shapes.0.last ?? 1
        let bColumns = shapes.1.last ?? 1
        func byLoops(_ op: (Double, Double) -> Double) -> [Double] {
            a.scalars.indices.map { i in
                let (row, column) = (i / columns, i % columns)
                let j = b.count == 1 ? 0 : bColumns == 1 ? row : column
                return op(a.scalars[i], b.scalars[j])
            }
        }
        withoutProblems {
            #expect((a + b).shape == a.shape && (a + b).scalars == byLoops(+))
            #expect((a - b).scalars == byLoops(-))
            #expect((a * b).scalars == byLoops(*))
            #expect((a / b).scalars == byLoops(/))
        }
    }
}
