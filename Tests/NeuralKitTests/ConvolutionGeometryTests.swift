import NeuralKit
import Testing

@Suite("ConvolutionGeometry · im2col and col2im")
struct ConvolutionGeometryTests {
    /// (channels, height, width, kernel height, kernel width, stride, padding, dilation): the
    /// common case (stride 1, no padding: LeNet's), and stride, padding and dilation.
    static let geometries: [(Int, Int, Int, Int, Int, Int, Int, Int)] = [
        (1, 7, 6, 3, 2, 1, 0, 1), (3, 6, 5, 5, 3, 1, 0, 1), (2, 7, 5, 3, 2, 2, 1, 1), (2, 6, 7, 2, 3, 1, 2, 2),
    ]

    static func geometry(_ g: (Int, Int, Int, Int, Int, Int, Int, Int)) -> ConvolutionGeometry? {
        ConvolutionGeometry(
            channels: g.0, height: g.1, width: g.2, kernelHeight: g.3, kernelWidth: g.4,
            stride: g.5, padding: g.6, dilation: g.7)
    }

    @Test(
        "im2col puts image[c, i·S − P + u·D, j·S − P + v·D] (0 in the padding) at row (c, u, v), column (i, j)",
        arguments: geometries)
    func im2colFollowsTheDefinition(shape: (Int, Int, Int, Int, Int, Int, Int, Int)) throws {
        let g = try #require(Self.geometry(shape))
        var generator = SeededGenerator(seed: 3)
        let image = (0..<g.imageSize).map { _ in generator.nextUnit() }
        var columns = [Double](repeating: .nan, count: g.patchSize * g.positions)
        image.withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { g.im2col(x.baseAddress!, into: $0.baseAddress!) }
        }
        for c in 0..<g.channels {
            for u in 0..<g.kernelHeight {
                for v in 0..<g.kernelWidth {
                    for i in 0..<g.outputHeight {
                        for j in 0..<g.outputWidth {
                            let y = i * g.stride - g.padding + u * g.dilation
                            let x = j * g.stride - g.padding + v * g.dilation
                            let inside = (0..<g.height).contains(y) && (0..<g.width).contains(x)
                            let row = (c * g.kernelHeight + u) * g.kernelWidth + v
                            #expect(
                                columns[row * g.positions + i * g.outputWidth + j]
                                    == (inside ? image[(c * g.height + y) * g.width + x] : 0))
                        }
                    }
                }
            }
        }
    }

    @Test("col2im is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩", arguments: geometries)
    func col2imIsTheAdjoint(shape: (Int, Int, Int, Int, Int, Int, Int, Int)) throws {
        let g = try #require(Self.geometry(shape))
        var generator = SeededGenerator(seed: 4)
        let image = (0..<g.imageSize).map { _ in generator.nextUnit() - 0.5 }
        let patches = (0..<(g.patchSize * g.positions)).map { _ in generator.nextUnit() - 0.5 }
        var columns = [Double](repeating: 0, count: patches.count)
        var back = [Double](repeating: 0, count: image.count)
        image.withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { g.im2col(x.baseAddress!, into: $0.baseAddress!) }
        }
        patches.withUnsafeBufferPointer { y in
            back.withUnsafeMutableBufferPointer { g.col2im(y.baseAddress!, addingInto: $0.baseAddress!) }
        }
        let left = zip(columns, patches).reduce(0) { $0 + $1.0 * $1.1 }
        let right = zip(image, back).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(left - right) < 1e-12)
    }
}
