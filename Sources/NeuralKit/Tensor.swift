/// An N-dimensional array of `Double`: a shape and its scalars in row-major order.
///
/// `Tensor` is a value type with copy-on-write storage (it keeps its scalars
/// in a Swift `Array`). A batch of examples is a matrix whose rows are the
/// examples: shape `[batch, features]`; images are `[batch, channels, height, width]`.
///
/// Operations never crash on shapes or indices that do not fit: they record a
/// `Problem` that says what is wrong and return a placeholder.
public struct Tensor: Equatable, Sendable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The scalars in row-major order: the last index varies fastest.
    public var scalars: [Double] { storage }
    /// `scalars`, visible to `@inlinable` code: see `withUnsafeMutableScalars`.
    @usableFromInline
    internal var storage: [Double]

    /// A tensor with the given shape and scalars (`scalars.count` must equal
    /// the product of `shape`).
    public init(shape: [Int], scalars: [Double]) {
        guard let count = Tensor.elementCount(shape) else {
            Problems.invalidShape("Tensor(shape: \(shape)): sizes must not be negative")
            self.shape = [0]
            self.storage = []
            return
        }
        guard count == scalars.count else {
            Problems.invalidShape("Tensor(shape: \(shape), scalars:) needs \(count) scalars, got \(scalars.count)")
            self.shape = shape
            self.storage = Array(repeating: 0, count: count)
            return
        }
        self.shape = shape
        self.storage = scalars
    }

    /// A tensor of `shape` and `storage` that fit (an element-wise result, the
    /// shape of its operand), without the checks of `init(shape:scalars:)`.
    @usableFromInline
    internal init(fittingShape shape: [Int], storage: [Double]) {
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of the given shape filled with `value`.
    public init(repeating value: Double, shape: [Int]) {
        let count = Tensor.elementCount(shape) ?? 0
        self.init(shape: shape, scalars: Array(repeating: value, count: count))
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A tensor of ones.
    public init(ones shape: [Int]) { self.init(repeating: 1, shape: shape) }

    /// A vector (rank 1).
    public init(_ vector: [Double]) { self.init(shape: [vector.count], scalars: vector) }

    /// A matrix from its rows; every row must have the same length.
    public init(_ rows: [[Double]]) {
        let columns = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == columns }) else {
            Problems.invalidShape("Tensor(rows): rows have different lengths \(rows.map(\.count))")
            self.init(zeros: [rows.count, columns])
            return
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A tensor whose scalar at flat index `i` (row-major) is `value(i)`.
    public init(shape: [Int], value: (Int) -> Double) {
        let count = Tensor.elementCount(shape) ?? 0
        self.init(shape: shape, scalars: (0..<count).map(value))
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of scalars.
    public var count: Int { scalars.count }

    /// The product of `shape`, or nil when a size is negative.
    static func elementCount(_ shape: [Int]) -> Int? {
        guard shape.allSatisfy({ $0 >= 0 }) else { return nil }
        return shape.reduce(1, *)
    }
}

// MARK: - Element access

extension Tensor {
    /// The flat (row-major) offset of `indices`, or nil (with a recorded
    /// problem) when they do not fit the shape.
    @inline(__always)
    func offset(_ indices: [Int]) -> Int? {
        guard indices.count == shape.count else {
            Problems.invalidShape("index \(indices) has \(indices.count) components; the tensor has shape \(shape)")
            return nil
        }
        var offset = 0
        for (index, size) in Swift.zip(indices, shape) {
            guard index >= 0, index < size else {
                Problems.invalidShape("index \(indices) is out of range for shape \(shape)")
                return nil
            }
            offset = offset * size + index
        }
        return offset
    }

    @inline(__always)
    func offset(_ i: Int, _ j: Int) -> Int? {
        guard shape.count == 2, i >= 0, i < shape[0], j >= 0, j < shape[1] else { return offset([i, j]) }
        return i * shape[1] + j
    }

    @inline(__always)
    func offset(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Int? {
        guard shape.count == 4, n >= 0, n < shape[0], c >= 0, c < shape[1], h >= 0, h < shape[2], w >= 0, w < shape[3]
        else { return offset([n, c, h, w]) }
        return ((n * shape[1] + c) * shape[2] + h) * shape[3] + w
    }

    /// The scalar at `indices` (one index per dimension).
    public subscript(_ indices: Int...) -> Double {
        get { offset(indices).map { scalars[$0] } ?? 0 }
        set { if let o = offset(indices) { storage[o] = newValue } }
    }

    /// The scalar at row `i`, column `j` of a matrix.
    public subscript(_ i: Int, _ j: Int) -> Double {
        get { offset(i, j).map { scalars[$0] } ?? 0 }
        set { if let o = offset(i, j) { storage[o] = newValue } }
    }

    /// The scalar at `[n, c, h, w]` of a batch of images. (The same as `self[indices...]`, without the array
    /// a variadic call allocates: convolution loops read and write it millions of times.)
    public subscript(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Double {
        get { offset(n, c, h, w).map { scalars[$0] } ?? 0 }
        set { if let o = offset(n, c, h, w) { storage[o] = newValue } }
    }

    // Both are `@inlinable`, so that a loop in `body` compiles into the
    // caller: an optimized caller of `map` or `update` then inlines the
    // closure it passes, instead of calling it for every scalar.

    /// Calls `body` with the scalars' storage, for loops that must be fast.
    @inlinable
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the scalars' storage to write them in place.
    @inlinable
    public mutating func withUnsafeMutableScalars<R>(_ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R)
        rethrows -> R
    {
        try storage.withUnsafeMutableBufferPointer(body)
    }
}

// MARK: - Reshaping and slicing

extension Tensor {
    /// The same scalars with another shape of the same count; one size may be
    /// -1 to be inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var newShape = newShape
        if let inferred = newShape.firstIndex(of: -1), newShape.filter({ $0 == -1 }).count == 1 {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            if known > 0, count % known == 0 { newShape[inferred] = count / known }
        }
        guard let newCount = Tensor.elementCount(newShape), newCount == count else {
            Problems.invalidShape("cannot reshape \(shape) (\(count) scalars) to \(newShape)")
            return Tensor(zeros: newShape.map { Swift.max($0, 0) })
        }
        var result = self
        result.shape = newShape
        return result
    }

    /// A matrix `[batch, features]` with the first dimension kept and the others flattened.
    public func flattenedBatch() -> Tensor {
        guard rank >= 1 else { return reshaped([1, count]) }
        return reshaped([shape[0], shape.dropFirst().reduce(1, *)])
    }

    /// The number of rows of a matrix (the first dimension).
    public var rowCount: Int { shape.first ?? 0 }

    /// The number of columns of a matrix (the last dimension).
    public var columnCount: Int { shape.count >= 2 ? shape[shape.count - 1] : 1 }

    /// The slices along the first dimension at `indices`, in that order: the
    /// examples of a mini-batch.
    public func rows(_ indices: [Int]) -> Tensor {
        guard rank >= 1 else {
            Problems.invalidShape("rows(_:) needs a tensor of rank 1 or more, got shape \(shape)")
            return self
        }
        let width = shape.dropFirst().reduce(1, *)
        let count = shape[0]
        for i in indices where i < 0 || i >= count {
            Problems.invalidShape("row \(i) is out of range: the tensor has \(count) rows (shape \(shape))")
        }
        let result = [Double](unsafeUninitializedCapacity: indices.count * width) { destination, initialized in
            storage.withUnsafeBufferPointer { source in
                // A mini-batch of images comes from all over the dataset, from memory rather
                // than cache: two cores fetching at once wait half as long.
                let share =
                    indices.count * width >= 1 << 15 ? Swift.max(indices.count / Parallel.cores, 1) : indices.count
                Parallel.forEachChunk(indices.count, minimumChunk: share) { rows in
                    for row in rows where width > 0 {
                        let i = indices[row]
                        let target = destination.baseAddress! + row * width
                        if i >= 0, i < count {
                            target.initialize(from: source.baseAddress! + i * width, count: width)
                        } else {
                            target.initialize(repeating: 0, count: width)
                        }
                    }
                }
            }
            initialized = indices.count * width
        }
        return Tensor(shape: [indices.count] + shape.dropFirst(), scalars: result)
    }

    /// The slices along the first dimension in `range`.
    public func rows(_ range: Range<Int>) -> Tensor { rows(Array(range)) }

    /// The slice along the first dimension at `index`, without that dimension.
    public func row(_ index: Int) -> Tensor {
        let slice = rows([index])
        return slice.reshaped(Array(slice.shape.dropFirst()))
    }
}

// MARK: - Printing

extension Tensor: CustomStringConvertible {
    /// Nested brackets with four significant digits; long dimensions are elided.
    public var description: String {
        func format(_ x: Double) -> String {
            if x == 0 { return "0" }
            if x.isNaN || x.isInfinite { return "\(x)" }
            let magnitude = Swift.abs(x)
            if magnitude >= 1e-3, magnitude < 1e5 {
                var text = String(format4(x))
                if text.contains(".") {
                    while text.hasSuffix("0") { text.removeLast() }
                    if text.hasSuffix(".") { text.removeLast() }
                }
                return text
            }
            return "\(x)"
        }
        func render(_ dimension: Int, _ offset: Int) -> String {
            if dimension == shape.count { return format(scalars[offset]) }
            let size = shape[dimension]
            let stride = shape[(dimension + 1)...].reduce(1, *)
            let shown: [Int] = size > 8 ? Array(0..<3) + [-1] + Array((size - 3)..<size) : Array(0..<size)
            let parts = shown.map { $0 < 0 ? "…" : render(dimension + 1, offset + $0 * stride) }
            return "["
                + parts.joined(
                    separator: dimension == shape.count - 1
                        ? ", " : ",\n" + String(repeating: " ", count: dimension + 1)) + "]"
        }
        if scalars.isEmpty { return "Tensor(shape: \(shape), [])" }
        return render(0, 0)
    }
}

/// `x` with four decimal places (avoids Foundation's `String(format:)` on every platform).
func format4(_ x: Double) -> String {
    let scaled = (x * 10_000).rounded()
    let sign = scaled < 0 ? "-" : ""
    let magnitude = Swift.abs(scaled)
    let whole = Int(magnitude / 10_000)
    let fraction = Int(magnitude.truncatingRemainder(dividingBy: 10_000))
    let digits = String(fraction)
    return "\(sign)\(whole).\(String(repeating: "0", count: 4 - digits.count))\(digits)"
}
