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
    /// Every element is summed in the order p = 0, 1, …, k−1 with a separate
    /// multiply and add, so the result is the same bits on every platform and
    /// for any number of threads.
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
        let m: Int, k: Int, n: Int
    }

    /// `c = a · b` for row-major `a` [m, k], `b` [k, n], `c` [m, n] (c starts at zero).
    static func multiply(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                         m: Int, k: Int, n: Int) {
        guard m > 0, n > 0, k > 0 else { return }
        let o = Operands(a: a, b: b, c: c, m: m, k: k, n: n)
        // Split rows over two workers only when there is enough work to pay for it.
        guard m * k * n >= 1 << 17, m >= 8 else { rowBlock(o, rows: 0..<m); return }
        let half = ((m + 1) / 2 + 3) / 4 * 4
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            rowBlock(o, rows: worker == 0 ? 0..<Swift.min(half, m) : Swift.min(half, m)..<m)
        }
    }

    /// Four rows of `c` at a time, sixteen columns at a time, in registers:
    /// each element of `b` loaded is used four times, each of `a` sixteen times.
    private static func rowBlock(_ o: Operands, rows: Range<Int>) {
        let n = o.n
        var i = rows.lowerBound
        while i + 4 <= rows.upperBound {
            var j = 0
            while j + 16 <= n {
                kernel4x16(o, i, j)
                j += 16
            }
            while j + 8 <= n {
                kernel4x8(o, i, j)
                j += 8
            }
            while j + 4 <= n {
                kernel4x4(o, i, j)
                j += 4
            }
            if j < n { scalarBlock(o, rows: i..<(i + 4), columns: j..<n) }
            i += 4
        }
        if i < rows.upperBound { scalarBlock(o, rows: i..<rows.upperBound, columns: 0..<n) }
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
    }

    @inline(__always)
    private static func store(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self)
    }

    private static func kernel4x16(_ o: Operands, _ i: Int, _ j: Int) {
        let (k, n) = (o.k, o.n)
        var c00 = SIMD8<Double>(), c01 = SIMD8<Double>()
        var c10 = SIMD8<Double>(), c11 = SIMD8<Double>()
        var c20 = SIMD8<Double>(), c21 = SIMD8<Double>()
        var c30 = SIMD8<Double>(), c31 = SIMD8<Double>()
        let a0 = o.a + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var bp = o.b + j
        for p in 0..<k {
            let b0 = load(bp), b1 = load(bp + 8)
            let x0 = SIMD8(repeating: a0[p]), x1 = SIMD8(repeating: a1[p])
            let x2 = SIMD8(repeating: a2[p]), x3 = SIMD8(repeating: a3[p])
            c00 += x0 * b0; c01 += x0 * b1
            c10 += x1 * b0; c11 += x1 * b1
            c20 += x2 * b0; c21 += x2 * b1
            c30 += x3 * b0; c31 += x3 * b1
            bp += n
        }
        let c = o.c + i * n + j
        store(c00, c); store(c01, c + 8)
        store(c10, c + n); store(c11, c + n + 8)
        store(c20, c + 2 * n); store(c21, c + 2 * n + 8)
        store(c30, c + 3 * n); store(c31, c + 3 * n + 8)
    }

    private static func kernel4x8(_ o: Operands, _ i: Int, _ j: Int) {
        let (k, n) = (o.k, o.n)
        var c0 = SIMD8<Double>(), c1 = SIMD8<Double>(), c2 = SIMD8<Double>(), c3 = SIMD8<Double>()
        let a0 = o.a + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var bp = o.b + j
        for p in 0..<k {
            let b0 = load(bp)
            c0 += SIMD8(repeating: a0[p]) * b0
            c1 += SIMD8(repeating: a1[p]) * b0
            c2 += SIMD8(repeating: a2[p]) * b0
            c3 += SIMD8(repeating: a3[p]) * b0
            bp += n
        }
        let c = o.c + i * n + j
        store(c0, c); store(c1, c + n); store(c2, c + 2 * n); store(c3, c + 3 * n)
    }

    private static func kernel4x4(_ o: Operands, _ i: Int, _ j: Int) {
        let (k, n) = (o.k, o.n)
        var c0 = SIMD4<Double>(), c1 = SIMD4<Double>(), c2 = SIMD4<Double>(), c3 = SIMD4<Double>()
        let a0 = o.a + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var bp = o.b + j
        for p in 0..<k {
            let b0 = UnsafeRawPointer(bp).loadUnaligned(as: SIMD4<Double>.self)
            c0 += SIMD4(repeating: a0[p]) * b0
            c1 += SIMD4(repeating: a1[p]) * b0
            c2 += SIMD4(repeating: a2[p]) * b0
            c3 += SIMD4(repeating: a3[p]) * b0
            bp += n
        }
        let c = UnsafeMutableRawPointer(o.c + i * n + j)
        let row = n * MemoryLayout<Double>.stride
        c.storeBytes(of: c0, as: SIMD4<Double>.self)
        c.storeBytes(of: c1, toByteOffset: row, as: SIMD4<Double>.self)
        c.storeBytes(of: c2, toByteOffset: 2 * row, as: SIMD4<Double>.self)
        c.storeBytes(of: c3, toByteOffset: 3 * row, as: SIMD4<Double>.self)
    }

    /// The edges: the same order of operations, one element at a time.
    private static func scalarBlock(_ o: Operands, rows: Range<Int>, columns: Range<Int>) {
        let (k, n) = (o.k, o.n)
        for i in rows {
            let aRow = o.a + i * k
            for j in columns {
                var sum = 0.0
                var bp = o.b + j
                for p in 0..<k {
                    sum += aRow[p] * bp.pointee
                    bp += n
                }
                o.c[i * n + j] = sum
            }
        }
    }
}
