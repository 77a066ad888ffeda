extension Tensor {
    /// The transpose of a matrix: `result[j, i] = self[i, j]`.
    public func transposed() -> Tensor {
        guard rank == 2 else {
            Problems.invalidShape("transposed() needs a matrix (rank 2), got shape \(shape)")
            return self
        }
        let (rows, columns) = (shape[0], shape[1])
        var result = [Double](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { a in
            result.withUnsafeMutableBufferPointer { t in
                // Blocks of 32×32 keep both the rows read and the rows written in cache.
                let block = 32
                for i0 in stride(from: 0, to: rows, by: block) {
                    for j0 in stride(from: 0, to: columns, by: block) {
                        for i in i0..<Swift.min(i0 + block, rows) {
                            for j in j0..<Swift.min(j0 + block, columns) { t[j * rows + i] = a[i * columns + j] }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [columns, rows], scalars: result)
    }

    /// The matrix product: `[m, k] · [k, n] → [m, n]`, `c[i, j] = Σₚ a[i, p] · b[p, j]`.
    ///
    /// Every element is summed in the order p = 0, 1, …, k−1, each step a
    /// fused multiply-add, so the result is the same bits on every platform
    /// and for any number of threads. A sum of 512 terms or more is summed
    /// so in two halves, p < h and p ≥ h (h about k/2, a multiple of 8), and
    /// the two added: the two cores of a training step each keep their half
    /// of a weight matrix in cache.
    public func matmul(_ other: Tensor) -> Tensor {
        guard rank == 2, other.rank == 2 else {
            Problems.invalidShape("matmul needs two matrices (rank 2), got shapes \(shape) and \(other.shape)")
            return Tensor(zeros: [rowCount, other.columnCount])
        }
        let (m, k, n) = (shape[0], shape[1], other.shape[1])
        guard other.shape[0] == k else {
            Problems.invalidShape(
                "matmul: shapes \(shape) and \(other.shape) do not fit: the columns of the left (\(k)) "
                    + "must equal the rows of the right (\(other.shape[0]))"
                    + (other.shape[1] == k ? "; is the right side transposed?" : ""))
            return Tensor(zeros: [m, n])
        }
        return Tensor.product(self, rowStride: k, columnStride: 1, other, m: m, k: k, n: n)
    }

    /// `selfᵀ · other` without building the transpose: `[k, m]ᵀ · [k, n] → [m, n]`,
    /// the same numbers as `transposed().matmul(other)`. A dense layer's
    /// `∂L/∂W = Xᵀ G` is one.
    public func transposedMatmul(_ other: Tensor) -> Tensor {
        guard rank == 2, other.rank == 2 else {
            Problems.invalidShape(
                "transposedMatmul needs two matrices (rank 2), got shapes \(shape) and \(other.shape)")
            return Tensor(zeros: [columnCount, other.columnCount])
        }
        let (k, m, n) = (shape[0], shape[1], other.shape[1])
        guard other.shape[0] == k else {
            Problems.invalidShape(
                "transposedMatmul: shapes \(shape) and \(other.shape) do not fit: the rows of the left (\(k)) "
                    + "must equal the rows of the right (\(other.shape[0]))")
            return Tensor(zeros: [m, n])
        }
        return Tensor.product(self, rowStride: 1, columnStride: m, other, m: m, k: k, n: n)
    }

    /// `[m, k] · [k, n]` where element `(i, p)` of the left is `a.scalars[i·rowStride + p·columnStride]`.
    private static func product(_ a: Tensor, rowStride: Int, columnStride: Int, _ b: Tensor, m: Int, k: Int, n: Int)
        -> Tensor
    {
        // An empty operand's storage may have no address: the product is zeros (or empty).
        guard m > 0, k > 0, n > 0 else { return Tensor(zeros: [m, n]) }
        let half = sumSplit(k)
        let parts = half < k ? 2 : 1
        // The sums over the second half of p, added at the end (every one written before).
        let second = parts == 2 ? UnsafeMutablePointer<Double>.allocate(capacity: m * n) : nil
        defer { second?.deallocate() }
        let result = [Double](unsafeUninitializedCapacity: m * n) { c, initialized in
            a.scalars.withUnsafeBufferPointer { a in
                b.scalars.withUnsafeBufferPointer { b in
                    let operands = Operands(a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!, t: second)
                    // When there is enough work to pay for it, one job per core: each half of
                    // the sums on its own core, and the rows, in groups of eight (the kernel's
                    // tile), shared among the cores each half has. The first job, on the calling
                    // thread, is always the first half of the first rows, so that a core finds
                    // the same part of a weight matrix in its cache every time: the rows of W
                    // that the first half of X·W reads are those of Xᵀ·G that it computes, and
                    // those that `add(_:scaledBy:)` updates there. No sum depends on the job it
                    // falls in.
                    let groups = (m + 7) / 8
                    let large = m * k * n >= 1 << 17
                    let shares = large ? Swift.max(1, Swift.min(groups, Parallel.cores / parts)) : 1
                    let jobs = parts * shares
                    Parallel.forEachChunk(jobs, minimumChunk: large ? 1 : jobs) { chunk in
                        for job in chunk {
                            let (part, share) = (job % parts, job / parts)
                            let rows =
                                (8 * (groups * share / shares))..<Swift.min(8 * (groups * (share + 1) / shares), m)
                            let terms = part == 0 ? 0..<half : half..<k
                            let target = part == 0 ? operands.c : operands.t!
                            MatrixKernels.multiply(
                                operands.a + rows.lowerBound * rowStride + terms.lowerBound * columnStride,
                                rowStride: rowStride, columnStride: columnStride,
                                operands.b + terms.lowerBound * n, into: target + rows.lowerBound * n,
                                m: rows.count, k: terms.count, n: n)
                        }
                    }
                    if let t = second { for i in 0..<(m * n) { c[i] += t[i] } }
                }
            }
            initialized = m * n
        }
        return Tensor(shape: [m, n], scalars: result)
    }

    /// Where the sums of a product with `k` terms are split in two (see `matmul`):
    /// at about k/2, a multiple of 8, for `k` ≥ 512; `k` (not split) for shorter sums.
    static func sumSplit(_ k: Int) -> Int { k >= 512 ? 8 * ((k + 7) / 8 / 2) : k }
}

/// Pointers moved into concurrent work: the rows each chunk writes do not overlap.
private struct Operands: @unchecked Sendable {
    let a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>,
        t: UnsafeMutablePointer<Double>?
}
