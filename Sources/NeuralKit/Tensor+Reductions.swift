// Reductions: sum, mean, max, min and argmax, of all scalars or along one axis.
// Along an axis, the result drops that dimension (`[batch, n]` summed along
// axis 1 is `[batch]`), unless `keepingDimension` keeps it as size 1
// (`[batch, 1]`), ready to broadcast back against the input.

extension Tensor {
    /// The sum of all scalars.
    public func sum() -> Double { scalars.reduce(0, +) }

    /// The mean of all scalars (0 for an empty tensor).
    public func mean() -> Double { scalars.isEmpty ? 0 : sum() / Double(count) }

    /// The largest scalar (-infinity for an empty tensor).
    public func max() -> Double { scalars.max() ?? -.infinity }

    /// The smallest scalar (+infinity for an empty tensor).
    public func min() -> Double { scalars.min() ?? .infinity }

    /// The sum along `axis`: Σᵢ x[…, i, …].
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        fold(alongAxis: axis, keepingDimension: keepingDimension, name: "sum", fromZero: true) { $0 + $1 }
    }

    /// The mean along `axis`.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let n = (axis >= 0 && axis < rank) ? shape[axis] : 1
        return sum(alongAxis: axis, keepingDimension: keepingDimension) / Double(Swift.max(n, 1))
    }

    /// The maximum along `axis`.
    public func max(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        // As `Array.max()`: a later value replaces the maximum so far when it is larger.
        fold(alongAxis: axis, keepingDimension: keepingDimension, name: "max", empty: -.infinity) { $0 < $1 ? $1 : $0 }
    }

    /// The minimum along `axis`.
    public func min(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        fold(alongAxis: axis, keepingDimension: keepingDimension, name: "min", empty: .infinity) { $1 < $0 ? $1 : $0 }
    }

    /// The index of the largest value along `axis` (the first one on a tie),
    /// in row-major order of the remaining dimensions: for `[batch, classes]`
    /// and axis 1, the predicted class of each example.
    public func argmax(alongAxis axis: Int) -> [Int] {
        reduce(alongAxis: axis, keepingDimension: false, name: "argmax") { values in
            var best = 0
            for (i, v) in values.enumerated() where v > values[best] || (values[best].isNaN && !v.isNaN) { best = i }
            return Double(best)
        }.scalars.map { Int($0) }
    }

    /// Folds the values along `axis` in order, `step(…step(step(first, second), third)…)`,
    /// starting from 0 when `fromZero` (then `step(0, first)` comes first); `empty`
    /// when there are none. All the results are computed together, a slice of
    /// the input at a time, so that the loops run over contiguous scalars.
    private func fold(
        alongAxis axis: Int, keepingDimension: Bool, name: String, fromZero: Bool = false,
        empty: Double = 0, _ step: (Double, Double) -> Double
    ) -> Tensor {
        alongAxis(axis, keepingDimension: keepingDimension, name: name) { outer, n, inner in
            [Double](unsafeUninitializedCapacity: outer * inner) { r, initialized in
                initialized = outer * inner
                storage.withUnsafeBufferPointer { x in
                    guard inner > 0 else { return }
                    if inner == 1 {
                        // Along the last axis: one running value for each row.
                        for o in 0..<outer {
                            guard n > 0 else {
                                r[o] = empty
                                continue
                            }
                            let row = x.baseAddress! + o * n
                            var value = fromZero ? step(0, row[0]) : row[0]
                            for k in 1..<n { value = step(value, row[k]) }
                            r[o] = value
                        }
                        return
                    }
                    for o in 0..<outer {
                        let r = r.baseAddress! + o * inner
                        if n == 0 || fromZero {
                            r.initialize(repeating: n == 0 ? empty : 0, count: inner)
                        } else {
                            r.initialize(from: x.baseAddress! + o * n * inner, count: inner)
                        }
                        for k in (fromZero ? 0 : 1)..<Swift.max(n, fromZero ? 0 : 1) {
                            let slice = x.baseAddress! + (o * n + k) * inner
                            for i in 0..<inner { r[i] = step(r[i], slice[i]) }
                        }
                    }
                }
            }
        }
    }

    /// Reduces the values along `axis` with `combine`, which receives them in order.
    func reduce(
        alongAxis axis: Int, keepingDimension: Bool, name: String,
        _ combine: ([Double]) -> Double
    ) -> Tensor {
        alongAxis(axis, keepingDimension: keepingDimension, name: name) { outer, n, inner in
            var result = [Double](repeating: 0, count: outer * inner)
            var values = [Double](repeating: 0, count: n)
            for o in 0..<outer {
                for i in 0..<inner {
                    for k in 0..<n { values[k] = storage[(o * n + k) * inner + i] }
                    result[o * inner + i] = combine(values)
                }
            }
            return result
        }
    }

    /// A reduction along `axis`: `reduce` gets the sizes of the dimensions
    /// before the axis (together), of the axis and after it (together), and
    /// returns the `outer × inner` results. A missing axis is a problem.
    @inline(__always)
    private func alongAxis(
        _ axis: Int, keepingDimension: Bool, name: String,
        _ reduce: (_ outer: Int, _ n: Int, _ inner: Int) -> [Double]
    ) -> Tensor {
        guard axis >= 0, axis < rank else {
            Problems.invalidShape("\(name)(alongAxis: \(axis)) on shape \(shape): axis must be 0..<\(rank)")
            return Tensor(zeros: shape.isEmpty ? [] : Array(shape.dropLast()))
        }
        let result = reduce(shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
        var newShape = shape
        if keepingDimension { newShape[axis] = 1 } else { newShape.remove(at: axis) }
        return Tensor(shape: newShape, scalars: result)
    }
}
