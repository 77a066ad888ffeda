/// The shape of a 2-D convolution on one image, with `im2col` and its adjoint
/// `col2im` on raw buffers: the data movement of a fast convolution layer.
///
/// An image is `[channels, height, width]` (row-major); its patch matrix
/// ("columns") is `[channels·kernelHeight·kernelWidth, outputHeight·outputWidth]`:
/// one row per kernel tap `(c, u, v)`, one column per output position `(i, j)`.
/// With it, the convolution of one image by `K` kernels is one matrix product,
/// `weights [K, C·kH·kW] · columns → [K, H′·W′]`, which is already the
/// image's output in `[K, H′, W′]` order.
public struct ConvolutionGeometry: Sendable, Equatable {
    public let channels: Int, height: Int, width: Int
    public let kernelHeight: Int, kernelWidth: Int
    public let stride: Int, padding: Int, dilation: Int
    public let outputHeight: Int, outputWidth: Int

    /// The geometry of a convolution of a `[channels, height, width]` image by a
    /// `kernelHeight × kernelWidth` kernel; nil when the sizes do not fit (a
    /// stride or dilation below 1, negative padding, a kernel larger than the
    /// padded image).
    public init?(
        channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
        stride: Int = 1, padding: Int = 0, dilation: Int = 1
    ) {
        guard channels >= 0, height >= 0, width >= 0, kernelHeight >= 1, kernelWidth >= 1,
            stride >= 1, padding >= 0, dilation >= 1
        else { return nil }
        let spanH = dilation * (kernelHeight - 1) + 1
        let spanW = dilation * (kernelWidth - 1) + 1
        guard height + 2 * padding >= spanH, width + 2 * padding >= spanW else { return nil }
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.outputHeight = (height + 2 * padding - spanH) / stride + 1
        self.outputWidth = (width + 2 * padding - spanW) / stride + 1
    }

    /// The rows of the patch matrix: `channels · kernelHeight · kernelWidth`.
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// The columns of the patch matrix: `outputHeight · outputWidth`.
    public var positions: Int { outputHeight * outputWidth }
    /// The scalars of one input image: `channels · height · width`.
    public var imageSize: Int { channels * height * width }

    /// Fills the patch matrix `[patchSize, positions]` of one image:
    /// `columns[(c·kH + u)·kW + v, i·W′ + j] = image[c, i·S − P + u·D, j·S − P + v·D]`,
    /// 0 where that falls in the padding.
    public func im2col(_ image: UnsafePointer<Double>, into columns: UnsafeMutablePointer<Double>) {
        if stride == 1, padding == 0, dilation == 1 {
            // The common case (LeNet's): every row of the patch matrix is a run of
            // image rows, each a contiguous piece of `outputWidth` pixels.
            var destination = columns
            for c in 0..<channels {
                for u in 0..<kernelHeight {
                    for v in 0..<kernelWidth {
                        var source = image + (c * height + u) * width + v
                        for _ in 0..<outputHeight {
                            // A loop, not `update(from:count:)`: the runs are short (LeNet: 24 and 8).
                            for j in 0..<outputWidth { destination[j] = source[j] }
                            destination += outputWidth
                            source += width
                        }
                    }
                }
            }
            return
        }
        forEachRow { row, source, rowInImage, first, end in
            let destination = columns + row
            guard let source, let rowInImage else {
                destination.update(repeating: 0, count: outputWidth)
                return
            }
            let from = image + rowInImage + source
            if first > 0 { destination.update(repeating: 0, count: first) }
            if stride == 1 {
                for j in first..<end { destination[j] = from[j] }
            } else {
                for j in first..<end { destination[j] = from[j * stride] }
            }
            if end < outputWidth { (destination + end).update(repeating: 0, count: outputWidth - end) }
        }
    }

    /// The adjoint of `im2col`: adds every entry of a patch matrix
    /// `[patchSize, positions]` to the image pixel it was read from (entries
    /// in the padding are dropped). Each pixel receives its entries in the
    /// order of the rows.
    public func col2im(_ columns: UnsafePointer<Double>, addingInto image: UnsafeMutablePointer<Double>) {
        if stride == 1, padding == 0, dilation == 1 {
            // The common case, as in `im2col`. (Written out twice: one helper
            // taking a closure for both measured 30% slower in LeNet-5's training.)
            var source = columns
            for c in 0..<channels {
                for u in 0..<kernelHeight {
                    for v in 0..<kernelWidth {
                        var destination = image + (c * height + u) * width + v
                        for _ in 0..<outputHeight {
                            for j in 0..<outputWidth { destination[j] += source[j] }
                            source += outputWidth
                            destination += width
                        }
                    }
                }
            }
            return
        }
        forEachRow { row, source, rowInImage, first, end in
            guard let source, let rowInImage else { return }
            let from = columns + row
            let to = image + rowInImage + source
            if stride == 1 {
                for j in first..<end { to[j] += from[j] }
            } else {
                for j in first..<end { to[j * stride] += from[j] }
            }
        }
    }

    /// For each row of output positions `i` of each tap `(c, u, v)`, in the
    /// order of the patch matrix: the offset of that row in the patch matrix,
    /// the column offset `source` (pixel `j·S + source` is read for position
    /// `j`) and the offset of the image row (both nil when the row is in the
    /// padding), and the positions `first..<end` that fall inside the image.
    @inline(__always)
    private func forEachRow(_ body: (_ row: Int, _ source: Int?, _ rowInImage: Int?, _ first: Int, _ end: Int) -> Void)
    {
        let (s, p, d) = (stride, padding, dilation)
        var row = 0
        for c in 0..<channels {
            for u in 0..<kernelHeight {
                for v in 0..<kernelWidth {
                    // Pixel x = j·s + offset must lie in 0..<width.
                    let offset = v * d - p
                    let first = offset >= 0 ? 0 : Swift.min((-offset + s - 1) / s, outputWidth)
                    let end =
                        width - 1 - offset < 0
                        ? first : Swift.max(first, Swift.min(outputWidth, (width - 1 - offset) / s + 1))
                    for i in 0..<outputHeight {
                        let y = i * s - p + u * d
                        if y >= 0, y < height {
                            body(row, offset, (c * height + y) * width, first, end)
                        } else {
                            body(row, nil, nil, 0, 0)
                        }
                        row += outputWidth
                    }
                }
            }
        }
    }
}
