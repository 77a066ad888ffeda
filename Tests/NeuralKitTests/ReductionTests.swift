import NeuralKit
import Testing

/// Reduces `t` (rank 3) along `axis` by loops: the values along the axis, in order, go to `combine`.
private func reduceByLoops(_ t: Tensor, axis: Int, _ combine: ([Double]) -> Double) -> Tensor {
    let s = t.shape
    var out = [Double]()
    let kept = (0..<3).filter { $0 != axis }
    for a in 0..<s[kept[0]] {
        for b in 0..<s[kept[1]] {
            var values = [Double]()
            for r in 0..<s[axis] {
                var index = [0, 0, 0]
                index[kept[0]] = a
                index[kept[1]] = b
                index[axis] = r
                values.append(t.scalars[(index[0] * s[1] + index[1]) * s[2] + index[2]])
            }
            out.append(combine(values))
        }
    }
    return Tensor(shape: kept.map { s[$0] }, scalars: out)
}

@Suite("Tensor · reductions")
struct Reductions {
    static let x: Tensor = {
        var g = SeededGenerator(seed: 9)
        return Tensor.normal(shape: [2, 3, 4], using: &g)
    }()

    @Test("sum, mean, max and min along each axis of a rank-3 tensor match loops", arguments: 0..<3)
    func alongEachAxis(axis: Int) {
        let x = Self.x
        withoutProblems {
            #expect(isClose(x.sum(alongAxis: axis), reduceByLoops(x, axis: axis) { $0.reduce(0, +) }))
            #expect(
                isClose(
                    x.mean(alongAxis: axis),
                    reduceByLoops(x, axis: axis) { $0.reduce(0, +) / Double($0.count) }))
            #expect(x.max(alongAxis: axis) == reduceByLoops(x, axis: axis) { $0.max()! })
            #expect(x.min(alongAxis: axis) == reduceByLoops(x, axis: axis) { $0.min()! })
            #expect(
                x.argmax(alongAxis: axis)
                    == reduceByLoops(x, axis: axis) { v in Double(v.firstIndex(of: v.max()!)!) }.scalars.map { Int($0) }
            )
        }
    }

    @Test("keepingDimension keeps the reduced axis as size 1, ready to broadcast back", arguments: 0..<3)
    func keepingDimension(axis: Int) {
        let x = Self.x
        var kept = x.shape
        kept[axis] = 1
        withoutProblems {
            for reduced in [
                x.sum(alongAxis: axis, keepingDimension: true), x.mean(alongAxis: axis, keepingDimension: true),
                x.max(alongAxis: axis, keepingDimension: true), x.min(alongAxis: axis, keepingDimension: true),
            ] {
                #expect(reduced.shape == kept)
            }
            #expect(x.sum(alongAxis: axis, keepingDimension: true).scalars == x.sum(alongAxis: axis).scalars)
            // Broadcasting back: every value minus its maximum along the axis is at most 0, and 0 somewhere.
            let shifted = x - x.max(alongAxis: axis, keepingDimension: true)
            #expect(shifted.max() == 0)
            #expect(shifted.max(alongAxis: axis).scalars.allSatisfy { $0 == 0 })
        }
    }

    @Test("a [batch, classes] matrix reduced along axis 1 gives one value per example")
    func matrixRows() {
        let m = Tensor([[1, 5, 2], [7, 0, 3]])
        withoutProblems {
            #expect(m.sum(alongAxis: 1) == Tensor([8, 10]))
            #expect(m.sum(alongAxis: 0) == Tensor([8, 5, 5]))
            #expect(m.mean(alongAxis: 1, keepingDimension: true) == Tensor([[8.0 / 3], [10.0 / 3]]))
            #expect(m.max(alongAxis: 1) == Tensor([5, 7]))
            #expect(m.argmax(alongAxis: 1) == [1, 0])
            #expect(m.argmax(alongAxis: 0) == [1, 0, 1])
        }
    }

    @Test("argmax takes the first index on a tie")
    func argmaxTies() {
        let m = Tensor([[1, 3, 3], [2, 2, 1], [4, 4, 4]])
        #expect(withoutProblems { m.argmax(alongAxis: 1) } == [1, 0, 0])
        #expect(withoutProblems { m.argmax(alongAxis: 0) } == [2, 2, 2])
    }

    @Test("argmax skips NaN unless every value is NaN")
    func argmaxNaN() {
        let m = Tensor([[.nan, 1, 2], [3, .nan, 1], [.nan, .nan, .nan]])
        #expect(withoutProblems { m.argmax(alongAxis: 1) } == [2, 0, 0])
    }

    @Test("sum, mean, max and min of all scalars, and of an empty tensor")
    func wholeTensor() {
        let x = Tensor([[1, -2], [3, 6]])
        #expect(x.sum() == 8 && x.mean() == 2 && x.max() == 6 && x.min() == -2)
        let empty = Tensor(zeros: [0, 3])
        #expect(empty.sum() == 0 && empty.mean() == 0 && empty.max() == -.infinity && empty.min() == .infinity)
    }

    @Test("an axis out of range is a problem that says which axes exist", arguments: [-1, 3, 7])
    func badAxis(axis: Int) {
        let x = Self.x
        for reduce in [
            { x.sum(alongAxis: axis) }, { x.mean(alongAxis: axis) },
            { x.max(alongAxis: axis) }, { x.min(alongAxis: axis) },
        ] {
            let (_, messages) = recordingProblems(reduce)
            #expect(messages.count == 1)
            #expect(messages.first?.contains("on shape [2, 3, 4]: axis must be 0..<3") == true)
        }
        let (indices, messages) = recordingProblems { x.argmax(alongAxis: axis) }
        #expect(messages.first == "argmax(alongAxis: \(axis)) on shape [2, 3, 4]: axis must be 0..<3")
        #expect(indices.count == 2 * 3)
    }
}

@Suite("Tensor · reductions in order")
struct ReductionOrder {
    @Test(
        "sum along an axis adds in order from zero, exactly as a loop does; max and min keep Array's rule for NaN",
        arguments: 0..<3)
    func exactlyAsLoops(axis: Int) {
        var g = SeededGenerator(seed: 17)
        var x = Tensor.normal(shape: [5, 6, 7], using: &g) * 1e8
        x[1, 2, 3] = .nan
        x[4, 0, 6] = .nan
        x[0, 0, 0] = -0.0
        withoutProblems {
            #expect(
                x.sum(alongAxis: axis).scalars.map(\.bitPattern)
                    == reduceByLoops(x, axis: axis) { $0.reduce(0, +) }.scalars.map(\.bitPattern))
            #expect(
                x.max(alongAxis: axis).scalars.map(\.bitPattern)
                    == reduceByLoops(x, axis: axis) { $0.max()! }.scalars.map(\.bitPattern))
            #expect(
                x.min(alongAxis: axis).scalars.map(\.bitPattern)
                    == reduceByLoops(x, axis: axis) { $0.min()! }.scalars.map(\.bitPattern))
        }
    }

    @Test("along an axis of length 0: sums are 0, maxima −∞, minima +∞; no values, an empty result")
    func emptyAxes() {
        withoutProblems {
            #expect(Tensor(zeros: [3, 0]).sum(alongAxis: 1) == Tensor([0, 0, 0]))
            #expect(Tensor(zeros: [3, 0]).max(alongAxis: 1) == Tensor([-.infinity, -.infinity, -.infinity]))
            #expect(Tensor(zeros: [0, 2]).min(alongAxis: 0) == Tensor([.infinity, .infinity]))
            #expect(Tensor(zeros: [3, 0]).sum(alongAxis: 0).shape == [0])
            #expect(Tensor(zeros: [0, 2]).sum(alongAxis: 1, keepingDimension: true).shape == [0, 1])
        }
    }
}
