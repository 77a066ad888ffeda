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
    /// and for any number of threads.
    public func matmul(_ other: Tensor) -> Tensor {
        guard rank == 2, other.rank == 2 else {
            Problems.invalidShape("matmul needs two matrices (rank 2), got shapes \(shape) and \(other.shape)")
            return Tensor(zeros: [rowCount, other.columnCount])
        }
        let (m, k, n) = (shape[0], shape[1], other.shape[1])
        guard other.shape[0] == k else {
            Problems.invalidShape("matmul: shapes \(shape) and \(other.shape) do not fit: the columns of the left (\(k)) "
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
            Problems.invalidShape("transposedMatmul needs two matrices (rank 2), got shapes \(shape) and \(other.shape)")
            return Tensor(zeros: [columnCount, other.columnCount])
        }
        let (k, m, n) = (shape[0], shape[1], other.shape[1])
        guard other.shape[0] == k else {
            Problems.invalidShape("transposedMatmul: shapes \(shape) and \(other.shape) do not fit: the rows of the left (\(k)) "
                + "must equal the rows of the right (\(other.shape[0]))")
            return Tensor(zeros: [m, n])
        }
        return Tensor.product(self, rowStride: 1, columnStride: m, other, m: m, k: k, n: n)
    }

    /// `[m, k] · [k, n]` where element `(i, p)` of the left is `a.scalars[i·rowStride + p·columnStride]`.
    private static func product(_ a: Tensor, rowStride: Int, columnStride: Int, _ b: Tensor, m: Int, k: Int, n: Int) -> Tensor {
        // An empty operand's storage may have no address: the product is zeros (or empty).
        guard m > 0, k > 0, n > 0 else { return Tensor(zeros: [m, n]) }
        let result = [Double](unsafeUninitializedCapacity: m * n) { c, initialized in
            a.scalars.withUnsafeBufferPointer { a in
                b.scalars.withUnsafeBufferPointer { b in
                    let operands = Operands(a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                    // Rows in groups of eight (the kernel's tile), one share for each core, when
                    // there is enough work to pay for it: the more rows a share has, the more
                    // often each slice of `b` is used while it is in cache. Each row's sums do
                    // not depend on the share it falls in.
                    let groups = (m + 7) / 8
                    let share = m * k * n >= 1 << 17 ? Swift.max(groups / Parallel.cores, 1) : groups
                    Parallel.forEachChunk(groups, minimumChunk: share) { chunk in
                        let rows = (8 * chunk.lowerBound)..<Swift.min(8 * chunk.upperBound, m)
                        MatrixKernels.multiply(operands.a + rows.lowerBound * rowStride, rowStride: rowStride,
                                               columnStride: columnStride, operands.b,
                                               into: operands.c + rows.lowerBound * n, m: rows.count, k: k, n: n)
                    }
                }
            }
            initialized = m * n
        }
        return Tensor(shape: [m, n], scalars: result)
    }
}

/// Pointers moved into concurrent work: the rows each chunk writes do not overlap.
private struct Operands: @unchecked Sendable {
    let a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>
}
