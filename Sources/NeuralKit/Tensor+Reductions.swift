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
        reduce(alongAxis: axis, keepingDimension: keepingDimension, name: "sum") { values in
            var total = 0.0
            for v in values { total += v }
            return total
        }
    }

    /// The mean along `axis`.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let n = (axis >= 0 && axis < rank) ? shape[axis] : 1
        return sum(alongAxis: axis, keepingDimension: keepingDimension) / Double(Swift.max(n, 1))
    }

    /// The maximum along `axis`.
    public func max(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        reduce(alongAxis: axis, keepingDimension: keepingDimension, name: "max") { $0.max() ?? -.infinity }
    }

    /// The minimum along `axis`.
    public func min(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        reduce(alongAxis: axis, keepingDimension: keepingDimension, name: "min") { $0.min() ?? .infinity }
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

    /// Reduces the values along `axis` with `combine`, which receives them in order.
    func reduce(alongAxis axis: Int, keepingDimension: Bool, name: String,
                _ combine: ([Double]) -> Double) -> Tensor {
        guard axis >= 0, axis < rank else {
            Problems.invalidShape("\(name)(alongAxis: \(axis)) on shape \(shape): axis must be 0..<\(rank)")
            return Tensor(zeros: shape.isEmpty ? [] : Array(shape.dropLast()))
        }
        let outer = shape[..<axis].reduce(1, *)
        let n = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var result = [Double](repeating: 0, count: outer * inner)
        var values = [Double](repeating: 0, count: n)
        for o in 0..<outer {
            for i in 0..<inner {
                for k in 0..<n { values[k] = scalars[(o * n + k) * inner + i] }
                result[o * inner + i] = combine(values)
            }
        }
        var newShape = shape
        if keepingDimension { newShape[axis] = 1 } else { newShape.remove(at: axis) }
        return Tensor(shape: newShape, scalars: result)
    }
}
