import Foundation

/// Matrix products on raw row-major buffers, for layers that multiply many
/// small matrices (a convolution multiplies once per image) and cannot afford
/// a `Tensor` for each.
///
/// Each call runs on the calling thread; run several at once with
/// `Parallel.forEachChunk`. Every sum is formed in a fixed order that depends
/// only on the sizes (never on threads or on the machine), and each step is a
/// fused multiply-add (`addingProduct`: one rounding, as IEEE 754 defines it,
/// in hardware or in the C library alike), so results are the same bits everywhere.
public enum MatrixKernels {
    /// `c = a · b` for `a` `[m, k]`, `b` `[k, n]`, `c` `[m, n]` (every row
    /// contiguous): `c[i, j] = Σₚ a[i, p] · b[p, j]`, summed in the order
    /// p = 0, 1, …, k−1, exactly as `Tensor.matmul` sums fewer than 512 terms
    /// (it sums more in two halves, each with this kernel).
    ///
    /// Made for short, wide products (a few rows, many columns): sixteen
    /// columns of `b`, 128 rows of them, stay in cache while every row of `a` passes.
    public static func multiply(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
        into c: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int
    ) {
        multiply(a, rowStride: k, columnStride: 1, b, into: c, m: m, k: k, n: n)
    }

    /// `c = aᵀ · b` for `a` `[k, m]`, `b` `[k, n]`, `c` `[m, n]`:
    /// `c[i, j] = Σₚ a[p, i] · b[p, j]`, the same sums in the same order as
    /// `multiply` of the transpose of `a`, without building it.
    public static func multiplyTransposingFirst(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
        into c: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int
    ) {
        multiply(a, rowStride: 1, columnStride: m, b, into: c, m: m, k: k, n: n)
    }

    /// `multiply` with element `(i, p)` of the left operand at `a[i·rowStride + p·columnStride]`.
    ///
    /// Sixteen columns of `c` at a time, eight rows at a time: 8×16 sums in
    /// registers, two loads of `b` for sixteen multiply-adds. The sums over `p`
    /// go in slices of `kSlice`: one slice of sixteen columns of `b` (16 KB)
    /// stays in the L1 cache while every row of `a` passes, and each slice
    /// goes on from the sums the previous one left in `c`, so the sums are the
    /// same as in one pass.
    static func multiply(
        _ a: UnsafePointer<Double>, rowStride rs: Int, columnStride cs: Int, _ b: UnsafePointer<Double>,
        into c: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            c.update(repeating: 0, count: m * n)
            return
        }
        let fullColumns = n - n % 16
        var p = 0
        while p < k, fullColumns > 0 {
            let count = Swift.min(kSlice, k - p)
            let continuing = p > 0
            let a = a + p * cs
            let b = b + p * n
            var j = 0
            while j < fullColumns {
                var i = 0
                while i + 8 <= m {
                    rows8x16(a + i * rs, rs, cs, b + j, c + i * n + j, count, n, continuing)
                    i += 8
                }
                if i + 4 <= m {
                    rows4x16(a + i * rs, rs, cs, b + j, c + i * n + j, count, n, continuing)
                    i += 4
                }
                if i + 2 <= m {
                    rows2x16(a + i * rs, rs, cs, b + j, c + i * n + j, count, n, continuing)
                    i += 2
                }
                if i < m { rows1x16(a + i * rs, cs, b + j, c + i * n + j, count, n, continuing) }
                j += 16
            }
            p += count
        }
        // The last n mod 16 columns (all of them when n < 16, as for a layer of ten
        // outputs): four rows at a time, whose independent sums keep the
        // multiply-add units busy, then the rows left over.
        guard fullColumns < n else { return }
        var i = 0
        while i + 4 <= m {
            lastColumns4(a + i * rs, rs, cs, b, c + i * n, from: fullColumns, k, n)
            i += 4
        }
        while i < m {
            lastColumns1(a + i * rs, cs, b, c + i * n, from: fullColumns, k, n)
            i += 1
        }
    }

    /// The length of the slices of the sums in `multiply`: 128 rows of sixteen
    /// columns of `b` fill 16 KB, a third of a recent core's L1 data cache.
    static let kSlice = 128

    /// Columns `j..<n` of four rows of `c` (eight, then four at a time, then one by one).
    private static func lastColumns4(
        _ a0: UnsafePointer<Double>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Double>,
        _ c: UnsafeMutablePointer<Double>, from j: Int, _ k: Int, _ n: Int
    ) {
        var j = j
        if j + 8 <= n {
            columns4(SIMD8<Double>.self, a0, rs, cs, b + j, c + j, k, n)
            j += 8
        }
        if j + 4 <= n {
            columns4(SIMD4<Double>.self, a0, rs, cs, b + j, c + j, k, n)
            j += 4
        }
        while j < n {
            var s0 = 0.0
            var s1 = 0.0
            var s2 = 0.0
            var s3 = 0.0
            var ap = a0
            var bp = b + j
            for _ in 0..<k {
                let y = bp.pointee
                s0 = s0.addingProduct(ap[0], y)
                s1 = s1.addingProduct(ap[rs], y)
                s2 = s2.addingProduct(ap[2 * rs], y)
                s3 = s3.addingProduct(ap[3 * rs], y)
                ap += cs
                bp += n
            }
            c[j] = s0
            c[n + j] = s1
            c[2 * n + j] = s2
            c[3 * n + j] = s3
            j += 1
        }
    }

    /// `V.scalarCount` columns of four rows of `c`.
    @inline(__always)
    private static func columns4<V: SIMD>(
        _: V.Type, _ a0: UnsafePointer<Double>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Double>,
        _ c: UnsafeMutablePointer<Double>, _ k: Int, _ n: Int
    ) where V.Scalar == Double {
        var s0 = V()
        var s1 = V()
        var s2 = V()
        var s3 = V()
        var ap = a0
        var bp = b
        for _ in 0..<k {
            let y = UnsafeRawPointer(bp).loadUnaligned(as: V.self)
            s0 = s0.addingProduct(V(repeating: ap[0]), y)
            s1 = s1.addingProduct(V(repeating: ap[rs]), y)
            s2 = s2.addingProduct(V(repeating: ap[2 * rs]), y)
            s3 = s3.addingProduct(V(repeating: ap[3 * rs]), y)
            ap += cs
            bp += n
        }
        UnsafeMutableRawPointer(c).storeBytes(of: s0, as: V.self)
        UnsafeMutableRawPointer(c + n).storeBytes(of: s1, as: V.self)
        UnsafeMutableRawPointer(c + 2 * n).storeBytes(of: s2, as: V.self)
        UnsafeMutableRawPointer(c + 3 * n).storeBytes(of: s3, as: V.self)
    }

    /// Columns `j..<n` of one row of `c`.
    private static func lastColumns1(
        _ a0: UnsafePointer<Double>, _ cs: Int, _ b: UnsafePointer<Double>,
        _ c: UnsafeMutablePointer<Double>, from j: Int, _ k: Int, _ n: Int
    ) {
        var j = j
        if j + 8 <= n {
            columns1(SIMD8<Double>.self, a0, cs, b + j, c + j, k, n)
            j += 8
        }
        if j + 4 <= n {
            columns1(SIMD4<Double>.self, a0, cs, b + j, c + j, k, n)
            j += 4
        }
        while j < n {
            var sum = 0.0
            var ap = a0
            var bp = b + j
            for _ in 0..<k {
                sum = sum.addingProduct(ap.pointee, bp.pointee)
                ap += cs
                bp += n
            }
            c[j] = sum
            j += 1
        }
    }

    /// `V.scalarCount` columns of one row of `c`.
    @inline(__always)
    private static func columns1<V: SIMD>(
        _: V.Type, _ a0: UnsafePointer<Double>, _ cs: Int, _ b: UnsafePointer<Double>,
        _ c: UnsafeMutablePointer<Double>, _ k: Int, _ n: Int
    ) where V.Scalar == Double {
        var sum = V()
        var ap = a0
        var bp = b
        for _ in 0..<k {
            sum = sum.addingProduct(V(repeating: ap.pointee), UnsafeRawPointer(bp).loadUnaligned(as: V.self))
            ap += cs
            bp += n
        }
        UnsafeMutableRawPointer(c).storeBytes(of: sum, as: V.self)
    }

    /// `c = a · bᵀ` (or `c += a · bᵀ` when `accumulating`) for `a` `[m, k]`,
    /// `b` `[n, k]`, `c` `[m, n]`: `c[i, j] = Σₚ a[i, p] · b[j, p]`, the dot
    /// product of row `i` of `a` with row `j` of `b`.
    ///
    /// Each dot product is summed in eight interleaved partial sums (p ≡ 0…7
    /// mod 8, each in increasing p), added pairwise in a fixed tree, then the
    /// last k mod 8 terms in order: a fixed order that depends only on `k`.
    public static func multiplyTransposingOther(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
        into c: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int,
        accumulating: Bool = false
    ) {
        guard m > 0, n > 0 else { return }
        var i = 0
        while i + 2 <= m {
            var j = 0
            while j + 4 <= n {
                dots2x4(a, b, c, i, j, k, n, accumulating)
                j += 4
            }
            while j < n {
                for r in i..<(i + 2) { store(dot(a + r * k, b + j * k, k), c + r * n + j, accumulating) }
                j += 1
            }
            i += 2
        }
        if i < m {
            for j in 0..<n { store(dot(a + i * k, b + j * k, k), c + i * n + j, accumulating) }
        }
    }

    // MARK: - Micro-kernels

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self)
    }

    @inline(__always)
    private static func store(_ value: Double, _ p: UnsafeMutablePointer<Double>, _ accumulating: Bool) {
        if accumulating { p.pointee += value } else { p.pointee = value }
    }

    /// Rows `a0…a7` (each `rs` apart, elements `cs` apart) times sixteen
    /// columns of `b`, into `c` (rows `n` apart), over `k` terms: 8×16 sums in
    /// registers, which start from zero, or from `c` when `continuing`.
    private static func rows8x16(
        _ a0: UnsafePointer<Double>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Double>,
        _ c: UnsafeMutablePointer<Double>, _ k: Int, _ n: Int, _ continuing: Bool
    ) {
        var c00 = SIMD8<Double>()
        var c01 = SIMD8<Double>()
        var c10 = SIMD8<Double>()
        var c11 = SIMD8<Double>()
        var c20 = SIMD8<Double>()
        var c21 = SIMD8<Double>()
        var c30 = SIMD8<Double>()
        var c31 = SIMD8<Double>()
        var c40 = SIMD8<Double>()
        var c41 = SIMD8<Double>()
        var c50 = SIMD8<Double>()
        var c51 = SIMD8<Double>()
        var c60 = SIMD8<Double>()
        var c61 = SIMD8<Double>()
        var c70 = SIMD8<Double>()
        var c71 = SIMD8<Double>()
        if continuing {
            c00 = load(c)
            c01 = load(c + 8)
            c10 = load(c + n)
            c11 = load(c + n + 8)
            c20 = load(c + 2 * n)
            c21 = load(c + 2 * n + 8)
            c30 = load(c + 3 * n)
            c31 = load(c + 3 * n + 8)
            c40 = load(c + 4 * n)
            c41 = load(c + 4 * n + 8)
            c50 = load(c + 5 * n)
            c51 = load(c + 5 * n + 8)
            c60 = load(c + 6 * n)
            c61 = load(c + 6 * n + 8)
            c70 = load(c + 7 * n)
            c71 = load(c + 7 * n + 8)
        }
        var ap = a0
        var bp = b
        for _ in 0..<k {
            let b0 = load(bp)
            let b1 = load(bp + 8)
            var x = SIMD8(repeating: ap[0])
            c00 = c00.addingProduct(x, b0)
            c01 = c01.addingProduct(x, b1)
            x = SIMD8(repeating: ap[rs])
            c10 = c10.addingProduct(x, b0)
            c11 = c11.addingProduct(x, b1)
            x = SIMD8(repeating: ap[2 * rs])
            c20 = c20.addingProduct(x, b0)
            c21 = c21.addingProduct(x, b1)
            x = SIMD8(repeating: ap[3 * rs])
            c30 = c30.addingProduct(x, b0)
            c31 = c31.addingProduct(x, b1)
            x = SIMD8(repeating: ap[4 * rs])
            c40 = c40.addingProduct(x, b0)
            c41 = c41.addingProduct(x, b1)
            x = SIMD8(repeating: ap[5 * rs])
            c50 = c50.addingProduct(x, b0)
            c51 = c51.addingProduct(x, b1)
            x = SIMD8(repeating: ap[6 * rs])
            c60 = c60.addingProduct(x, b0)
            c61 = c61.addingProduct(x, b1)
            x = SIMD8(repeating: ap[7 * rs])
            c70 = c70.addingProduct(x, b0)
            c71 = c71.addingProduct(x, b1)
            ap += cs
            bp += n
        }
        store(c00, c)
        store(c01, c + 8)
        store(c10, c + n)
        store(c11, c + n + 8)
        store(c20, c + 2 * n)
        store(c21, c + 2 * n + 8)
        store(c30, c + 3 * n)
        store(c31, c + 3 * n + 8)
        store(c40, c + 4 * n)
        store(c41, c + 4 * n + 8)
        store(c50, c + 5 * n)
        store(c51, c + 5 * n + 8)
        store(c60, c + 6 * n)
        store(c61, c + 6 * n + 8)
        store(c70, c + 7 * n)
        store(c71, c + 7 * n + 8)
    }

    /// Four rows, as `rows8x16`.
    private static func rows4x16(
        _ a0: UnsafePointer<Double>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Double>,
        _ c: UnsafeMutablePointer<Double>, _ k: Int, _ n: Int, _ continuing: Bool
    ) {
        var c00 = SIMD8<Double>()
        var c01 = SIMD8<Double>()
        var c10 = SIMD8<Double>()
        var c11 = SIMD8<Double>()
        var c20 = SIMD8<Double>()
        var c21 = SIMD8<Double>()
        var c30 = SIMD8<Double>()
        var c31 = SIMD8<Double>()
        if continuing {
            c00 = load(c)
            c01 = load(c + 8)
            c10 = load(c + n)
            c11 = load(c + n + 8)
            c20 = load(c + 2 * n)
            c21 = load(c + 2 * n + 8)
            c30 = load(c + 3 * n)
            c31 = load(c + 3 * n + 8)
        }
        var ap = a0
        var bp = b
        for _ in 0..<k {
            let b0 = load(bp)
            let b1 = load(bp + 8)
            let x0 = SIMD8(repeating: ap[0])
            let x1 = SIMD8(repeating: ap[rs])
            let x2 = SIMD8(repeating: ap[2 * rs])
            let x3 = SIMD8(repeating: ap[3 * rs])
            c00 = c00.addingProduct(x0, b0)
            c01 = c01.addingProduct(x0, b1)
            c10 = c10.addingProduct(x1, b0)
            c11 = c11.addingProduct(x1, b1)
            c20 = c20.addingProduct(x2, b0)
            c21 = c21.addingProduct(x2, b1)
            c30 = c30.addingProduct(x3, b0)
            c31 = c31.addingProduct(x3, b1)
            ap += cs
            bp += n
        }
        store(c00, c)
        store(c01, c + 8)
        store(c10, c + n)
        store(c11, c + n + 8)
        store(c20, c + 2 * n)
        store(c21, c + 2 * n + 8)
        store(c30, c + 3 * n)
        store(c31, c + 3 * n + 8)
    }

    /// Two rows, as `rows8x16`.
    private static func rows2x16(
        _ a0: UnsafePointer<Double>, _ rs: Int, _ cs: Int, _ b: UnsafePointer<Double>,
        _ c: UnsafeMutablePointer<Double>, _ k: Int, _ n: Int, _ continuing: Bool
    ) {
        var c00 = SIMD8<Double>()
        var c01 = SIMD8<Double>()
        var c10 = SIMD8<Double>()
        var c11 = SIMD8<Double>()
        if continuing {
            c00 = load(c)
            c01 = load(c + 8)
            c10 = load(c + n)
            c11 = load(c + n + 8)
        }
        var ap = a0
        var bp = b
        for _ in 0..<k {
            let b0 = load(bp)
            let b1 = load(bp + 8)
            let x0 = SIMD8(repeating: ap[0])
            let x1 = SIMD8(repeating: ap[rs])
            c00 = c00.addingProduct(x0, b0)
            c01 = c01.addingProduct(x0, b1)
            c10 = c10.addingProduct(x1, b0)
            c11 = c11.addingProduct(x1, b1)
            ap += cs
            bp += n
        }
        store(c00, c)
        store(c01, c + 8)
        store(c10, c + n)
        store(c11, c + n + 8)
    }

    /// One row, as `rows8x16`.
    private static func rows1x16(
        _ a0: UnsafePointer<Double>, _ cs: Int, _ b: UnsafePointer<Double>,
        _ c: UnsafeMutablePointer<Double>, _ k: Int, _ n: Int, _ continuing: Bool
    ) {
        var c00 = SIMD8<Double>()
        var c01 = SIMD8<Double>()
        if continuing {
            c00 = load(c)
            c01 = load(c + 8)
        }
        var ap = a0
        var bp = b
        for _ in 0..<k {
            let x0 = SIMD8(repeating: ap.pointee)
            c00 = c00.addingProduct(x0, load(bp))
            c01 = c01.addingProduct(x0, load(bp + 8))
            ap += cs
            bp += n
        }
        store(c00, c)
        store(c01, c + 8)
    }

    /// The eight lanes of `v` added pairwise: ((0+1)+(2+3)) + ((4+5)+(6+7)).
    @inline(__always)
    private static func total(_ v: SIMD8<Double>) -> Double {
        ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
    }

    /// `[total(s0), total(s1), …, total(s7)]`, with vector additions: the
    /// same pairs are added in the same order, so the same bits.
    @inline(__always)
    private static func totals(
        _ s0: SIMD8<Double>, _ s1: SIMD8<Double>, _ s2: SIMD8<Double>, _ s3: SIMD8<Double>,
        _ s4: SIMD8<Double>, _ s5: SIMD8<Double>, _ s6: SIMD8<Double>, _ s7: SIMD8<Double>
    )
        -> SIMD8<Double>
    {
        // Each step adds neighbouring lanes of two vectors: the lanes of the
        // result hold the pair sums of the first, then those of the second.
        @inline(__always)
        func pairs(_ x: SIMD8<Double>, _ y: SIMD8<Double>) -> SIMD8<Double> {
            SIMD8(lowHalf: x.evenHalf, highHalf: y.evenHalf) + SIMD8(lowHalf: x.oddHalf, highHalf: y.oddHalf)
        }
        return pairs(pairs(pairs(s0, s1), pairs(s2, s3)), pairs(pairs(s4, s5), pairs(s6, s7)))
    }

    /// The dot product of two rows of length `k`, in the order described at `multiplyTransposingOther`.
    @inline(__always)
    private static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ k: Int) -> Double {
        var acc = SIMD8<Double>()
        var p = 0
        while p + 8 <= k {
            acc = acc.addingProduct(load(x + p), load(y + p))
            p += 8
        }
        var sum = total(acc)
        while p < k {
            sum = sum.addingProduct(x[p], y[p])
            p += 1
        }
        return sum
    }

    private static func dots2x4(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
        _ i: Int, _ j: Int, _ k: Int, _ n: Int, _ accumulating: Bool
    ) {
        let a0 = a + i * k
        let a1 = a0 + k
        let b0 = b + j * k
        let b1 = b0 + k
        let b2 = b1 + k
        let b3 = b2 + k
        var s00 = SIMD8<Double>()
        var s01 = SIMD8<Double>()
        var s02 = SIMD8<Double>()
        var s03 = SIMD8<Double>()
        var s10 = SIMD8<Double>()
        var s11 = SIMD8<Double>()
        var s12 = SIMD8<Double>()
        var s13 = SIMD8<Double>()
        var p = 0
        while p + 8 <= k {
            let x0 = load(a0 + p)
            let x1 = load(a1 + p)
            let y0 = load(b0 + p)
            let y1 = load(b1 + p)
            let y2 = load(b2 + p)
            let y3 = load(b3 + p)
            s00 = s00.addingProduct(x0, y0)
            s01 = s01.addingProduct(x0, y1)
            s02 = s02.addingProduct(x0, y2)
            s03 = s03.addingProduct(x0, y3)
            s10 = s10.addingProduct(x1, y0)
            s11 = s11.addingProduct(x1, y1)
            s12 = s12.addingProduct(x1, y2)
            s13 = s13.addingProduct(x1, y3)
            p += 8
        }
        // The eight totals at once, added in the same tree as `total`.
        let t = totals(s00, s01, s02, s03, s10, s11, s12, s13)
        var t00 = t[0]
        var t01 = t[1]
        var t02 = t[2]
        var t03 = t[3]
        var t10 = t[4]
        var t11 = t[5]
        var t12 = t[6]
        var t13 = t[7]
        while p < k {
            t00 = t00.addingProduct(a0[p], b0[p])
            t01 = t01.addingProduct(a0[p], b1[p])
            t02 = t02.addingProduct(a0[p], b2[p])
            t03 = t03.addingProduct(a0[p], b3[p])
            t10 = t10.addingProduct(a1[p], b0[p])
            t11 = t11.addingProduct(a1[p], b1[p])
            t12 = t12.addingProduct(a1[p], b2[p])
            t13 = t13.addingProduct(a1[p], b3[p])
            p += 1
        }
        let o = c + i * n + j
        store(t00, o, accumulating)
        store(t01, o + 1, accumulating)
        store(t02, o + 2, accumulating)
        store(t03, o + 3, accumulating)
        store(t10, o + n, accumulating)
        store(t11, o + n + 1, accumulating)
        store(t12, o + n + 2, accumulating)
        store(t13, o + n + 3, accumulating)
    }
}
