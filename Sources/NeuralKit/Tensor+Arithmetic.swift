import Foundation

// Element-wise arithmetic with NumPy's broadcasting rules: shapes are aligned
// at their last dimension, and a dimension of size 1 (or a missing one)
// stretches to match. So `[batch, n] + [n]` adds a row vector to every row,
// and `[batch, n] - [batch, 1]` subtracts a per-row value.

extension Tensor {
    /// The shape two tensors broadcast to, or nil when they do not fit.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        let a = Array(repeating: 1, count: rank - a.count) + a
        let b = Array(repeating: 1, count: rank - b.count) + b
        var result = [Int]()
        for (x, y) in Swift.zip(a, b) {
            if x == y || y == 1 { result.append(x) } else if x == 1 { result.append(y) } else { return nil }
        }
        return result
    }

    /// Combines two tensors element by element after broadcasting them to a common shape.
    ///
    /// (`@inlinable`, as is `map`: an optimized caller compiles `combine` into
    /// the loop instead of calling it for every scalar, several times faster.
    /// So are the common broadcasts: a row vector for every row, as a layer's
    /// bias, and a column for every column, as a row's maximum in softmax.)
    @inlinable @inline(__always)
    public static func zip(
        _ a: Tensor, _ b: Tensor, operation: String = "combine",
        _ combine: (Double, Double) -> Double
    ) -> Tensor {
        let pattern: BroadcastPattern
        if a.shape == b.shape { pattern = .elementwise } else { pattern = broadcastPattern(a.shape, b.shape) }
        let count = a.count
        let result = a.withUnsafeScalars { x in
            b.withUnsafeScalars { y in
                [Double](unsafeUninitializedCapacity: count) { o, initialized in
                    switch pattern {
                    case .elementwise:
                        for i in 0..<count { o[i] = combine(x[i], y[i]) }
                    case .rows(let width):
                        for r in 0..<(count / width) {
                            let (row, source) = (o.baseAddress! + r * width, x.baseAddress! + r * width)
                            for j in 0..<width { row[j] = combine(source[j], y[j]) }
                        }
                    case .columns(let width):
                        for r in 0..<(count / width) {
                            let (row, source, value) = (o.baseAddress! + r * width, x.baseAddress! + r * width, y[r])
                            for j in 0..<width { row[j] = combine(source[j], value) }
                        }
                    case .other:
                        initialized = 0
                        return
                    }
                    initialized = count
                }
            }
        }
        if case .other = pattern { return broadcastingZip(a, b, operation: operation, combine) }
        return Tensor(fittingShape: a.shape, storage: result)
    }

    /// How `b` stretches to the shape of `a` in `zip`, when it is one of the common ways.
    @usableFromInline
    enum BroadcastPattern {
        /// The same shape.
        case elementwise
        /// `b` is a row of `width` scalars (or one scalar, width 1), for every row of `a`.
        case rows(width: Int)
        /// `b` is a column, one scalar for each row of `width` scalars of `a` (`[m, 1]` with `[m, n]`).
        case columns(width: Int)
        /// Anything else, and shapes that do not fit.
        case other
    }

    @usableFromInline
    static func broadcastPattern(_ a: [Int], _ b: [Int]) -> BroadcastPattern {
        guard let shape = broadcastShape(a, b), shape == a, let last = a.last, last > 0 else { return .other }
        let bCount = b.reduce(1, *)
        if bCount == 1 { return .rows(width: 1) }
        if b.last == last, bCount == last { return .rows(width: last) }
        if b.count == a.count, b.last == 1, b.dropLast() == a.dropLast() { return .columns(width: last) }
        return .other
    }

    /// `zip` for the other broadcasts, and for shapes that do not fit.
    @usableFromInline
    static func broadcastingZip(
        _ a: Tensor, _ b: Tensor, operation: String,
        _ combine: (Double, Double) -> Double
    ) -> Tensor {
        guard let shape = broadcastShape(a.shape, b.shape) else {
            Problems.invalidShape(
                "cannot \(operation) tensors of shapes \(a.shape) and \(b.shape): "
                    + "sizes must match, or be 1, in each dimension counted from the last"
                    + reductionHint(a.shape, b.shape))
            return Tensor(zeros: a.shape)
        }
        let rank = shape.count
        let stridesA = broadcastStrides(a.shape, rank: rank)
        let stridesB = broadcastStrides(b.shape, rank: rank)
        let total = shape.reduce(1, *)
        var result = [Double](repeating: 0, count: total)
        var index = [Int](repeating: 0, count: rank)
        var offsetA = 0
        var offsetB = 0
        for flat in 0..<total {
            result[flat] = combine(a.scalars[offsetA], b.scalars[offsetB])
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                offsetA += stridesA[d]
                offsetB += stridesB[d]
                if index[d] < shape[d] { break }
                offsetA -= stridesA[d] * shape[d]
                offsetB -= stridesB[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    /// When one shape is the other without one axis (`[5, 3]` and `[5]`), the
    /// smaller is likely a reduction that dropped its axis: say how to keep it.
    private static func reductionHint(_ a: [Int], _ b: [Int]) -> String {
        for (full, reduced) in [(a, b), (b, a)] where reduced.count + 1 == full.count {
            for axis in full.indices {
                var without = full
                without.remove(at: axis)
                guard without == reduced else { continue }
                var kept = full
                kept[axis] = 1
                return ". \(reduced) looks like a reduction along axis \(axis) of \(full): "
                    + "with keepingDimension: true it has shape \(kept), which broadcasts"
            }
        }
        return ""
    }

    /// Row-major strides of `shape` right-aligned to `rank`, with 0 where a size-1 dimension stretches.
    private static func broadcastStrides(_ shape: [Int], rank: Int) -> [Int] {
        let padded = Array(repeating: 1, count: rank - shape.count) + shape
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for d in stride(from: rank - 1, through: 0, by: -1) {
            strides[d] = padded[d] == 1 ? 0 : step
            step *= padded[d]
        }
        return strides
    }

    /// Applies `transform` to every scalar.
    @inlinable
    public func map(_ transform: (Double) -> Double) -> Tensor {
        let result = withUnsafeScalars { x in
            [Double](unsafeUninitializedCapacity: x.count) { o, initialized in
                for i in 0..<x.count { o[i] = transform(x[i]) }
                initialized = x.count
            }
        }
        return Tensor(fittingShape: shape, storage: result)
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { zip(a, b, operation: "add") { $0 + $1 } }
    public static func - (a: Tensor, b: Tensor) -> Tensor { zip(a, b, operation: "subtract") { $0 - $1 } }
    /// Element-wise (Hadamard) product; `matmul` is the matrix product.
    public static func * (a: Tensor, b: Tensor) -> Tensor { zip(a, b, operation: "multiply") { $0 * $1 } }
    public static func / (a: Tensor, b: Tensor) -> Tensor { zip(a, b, operation: "divide") { $0 / $1 } }

    public static func + (a: Tensor, s: Double) -> Tensor { a.map { $0 + s } }
    public static func - (a: Tensor, s: Double) -> Tensor { a.map { $0 - s } }
    public static func * (a: Tensor, s: Double) -> Tensor { a.map { $0 * s } }
    public static func / (a: Tensor, s: Double) -> Tensor { a.map { $0 / s } }
    public static func + (s: Double, a: Tensor) -> Tensor { a.map { s + $0 } }
    public static func - (s: Double, a: Tensor) -> Tensor { a.map { s - $0 } }
    public static func * (s: Double, a: Tensor) -> Tensor { a.map { s * $0 } }
    public static func / (s: Double, a: Tensor) -> Tensor { a.map { s / $0 } }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// Combines `other` into this tensor element by element, in place:
    /// `self[i] = combine(self[i], other[i])`. Shapes broadcast as in `zip`;
    /// when they are equal no new storage is made (an optimizer's update of a
    /// large weight matrix, for instance).
    @inlinable
    public mutating func update(
        with other: Tensor, operation: String = "combine",
        _ combine: (Double, Double) -> Double
    ) {
        guard shape == other.shape else {
            self = Tensor.zip(self, other, operation: operation, combine)
            return
        }
        withUnsafeMutableScalars { o in
            other.withUnsafeScalars { y in
                for i in 0..<o.count { o[i] = combine(o[i], y[i]) }
            }
        }
    }

    /// Applies `transform` to every scalar, in place.
    @inlinable
    public mutating func update(_ transform: (Double) -> Double) {
        withUnsafeMutableScalars { o in
            for i in 0..<o.count { o[i] = transform(o[i]) }
        }
    }

    // The compound assignments work in place (no copy of `a`). Those an optimizer
    // uses on whole weight matrices share the work between the cores.
    public static func += (a: inout Tensor, b: Tensor) { a.add(b, scaledBy: 1) }
    public static func -= (a: inout Tensor, b: Tensor) { a.add(b, scaledBy: -1) }
    public static func *= (a: inout Tensor, b: Tensor) { a.update(with: b, operation: "multiply") { $0 * $1 } }
    public static func *= (a: inout Tensor, s: Double) {
        let count = a.count
        a.withUnsafeMutableScalars { o in
            guard let o = o.baseAddress else { return }
            forEachPart(of: count) { part in for i in part { o[i] *= s } }
        }
    }
    public static func /= (a: inout Tensor, s: Double) {
        let count = a.count
        a.withUnsafeMutableScalars { o in
            guard let o = o.baseAddress else { return }
            forEachPart(of: count) { part in for i in part { o[i] /= s } }
        }
    }

    /// Adds `factor · other` in place: `self[i] += factor · other[i]`, so
    /// `w.add(g, scaledBy: -η)` is a step of gradient descent, `w ← w − η g`.
    /// Shapes broadcast as in `zip`.
    ///
    /// (A product then a sum, each rounded, as `w - η * g` is: the same numbers
    /// as `update(with:)` and that closure.)
    public mutating func add(_ other: Tensor, scaledBy factor: Double) {
        guard shape == other.shape else {
            switch factor {
            case 1: update(with: other, operation: "add") { $0 + $1 }
            case -1: update(with: other, operation: "subtract") { $0 - $1 }
            default: update(with: other, operation: "add") { $0 + factor * $1 }
            }
            return
        }
        let count = self.count
        withUnsafeMutableScalars { o in
            other.withUnsafeScalars { y in
                guard let o = o.baseAddress, let y = y.baseAddress else { return }
                // Without a multiplication when it is not needed: x + 1·y is x + y anyway,
                // but the loop is quicker.
                switch factor {
                case 1: Tensor.forEachPart(of: count) { part in for i in part { o[i] += y[i] } }
                case -1: Tensor.forEachPart(of: count) { part in for i in part { o[i] -= y[i] } }
                default: Tensor.forEachPart(of: count) { part in for i in part { o[i] += factor * y[i] } }
                }
            }
        }
    }

    /// Calls `body` with ranges that together cover `0..<count`: for a large
    /// tensor one range per core, the same ranges every time (the first on the
    /// calling thread), so that each core finds its part of a weight matrix in
    /// its cache: about the part whose gradient it computed and whose values it
    /// reads in the next forward pass (`Tensor.matmul` splits the rows of a
    /// product, and the sums of a long one, in halves too).
    private static func forEachPart(of count: Int, _ body: (Range<Int>) -> Void) {
        let large = count >= 1 << 14
        Parallel.forEachChunk(count, minimumChunk: large ? Swift.max(count / Parallel.cores, 1) : count, body)
    }

    /// Each scalar squared.
    public func squared() -> Tensor { map { $0 * $0 } }
}

/// e raised to each scalar.
public func exp(_ x: Tensor) -> Tensor { x.map { Foundation.exp($0) } }
/// The natural logarithm of each scalar.
public func log(_ x: Tensor) -> Tensor { x.map { Foundation.log($0) } }
/// The square root of each scalar.
public func sqrt(_ x: Tensor) -> Tensor { x.map { $0.squareRoot() } }
/// The absolute value of each scalar.
public func abs(_ x: Tensor) -> Tensor { x.map { Swift.abs($0) } }
/// The element-wise maximum of a tensor and a scalar (`max(x, 0)` is ReLU).
public func max(_ x: Tensor, _ s: Double) -> Tensor { x.map { Swift.max($0, s) } }
/// The element-wise minimum of a tensor and a scalar.
public func min(_ x: Tensor, _ s: Double) -> Tensor { x.map { Swift.min($0, s) } }
