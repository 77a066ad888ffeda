import Dispatch

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
                for i in 0..<rows {
                    for j in 0..<columns { t[j * rows + i] = a[i * columns + j] }
                }
            }
        }
        return Tensor(shape: [columns, rows], scalars: result)
    }

    /// The matrix product: `[m, k] · [k, n] → [m, n]`, `c[i, j] = Σₚ a[i, p] · b[p, j]`.
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
        // An empty operand's storage may have no address: the product is zeros (or empty).
        guard m > 0, k > 0, n > 0 else { return Tensor(zeros: [m, n]) }
        var result = [Double](repeating: 0, count: m * n)
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                result.withUnsafeMutableBufferPointer { c in
                    Matmul.multiply(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: m, k: k, n: n)
                }
            }
        }
        return Tensor(shape: [m, n], scalars: result)
    }
}

/// The matrix-product kernel behind `Tensor.matmul`.
enum Matmul {
    /// Pointers moved into concurrent work: the rows each worker writes do not overlap.
    struct Operands: @unchecked Sendable {
        let a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>
    }

    /// `c += a · b` for row-major `a` [m, k], `b` [k, n], `c` [m, n] (c starts at zero).
    static func multiply(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                         m: Int, k: Int, n: Int) {
        guard m > 0, n > 0, k > 0 else { return }
        let operands = Operands(a: a, b: b, c: c)
        // Split rows over two workers only when there is enough work to pay for it.
        let workers = m * k * n >= 1 << 18 && m >= 2 ? 2 : 1
        let rowsPerWorker = (m + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * rowsPerWorker
            let end = Swift.min(m, start + rowsPerWorker)
            guard start < end else { return }
            rowBlock(operands, rows: start..<end, k: k, n: n)
        }
    }

    /// i-p-j order: the inner loop runs along rows of `b` and `c`, which the
    /// compiler vectorizes; blocks of `k` keep a panel of `b` in cache.
    private static func rowBlock(_ o: Operands, rows: Range<Int>, k: Int, n: Int) {
        let kBlock = 128
        var p0 = 0
        while p0 < k {
            let p1 = Swift.min(k, p0 + kBlock)
            for i in rows {
                let cRow = o.c + i * n
                let aRow = o.a + i * k
                for p in p0..<p1 {
                    let s = aRow[p]
                    let bRow = o.b + p * n
                    for j in 0..<n { cRow[j] += s * bRow[j] }
                }
            }
            p0 = p1
        }
    }
}
