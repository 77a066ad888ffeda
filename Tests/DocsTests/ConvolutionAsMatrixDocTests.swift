import NeuralKit
import Solutions
import Testing

/// The worked examples of docs/10's bonus sections (a convolution's matrix, the transposed convolution,
/// equivariance and invariance), computed with the reference. The bonus suites `Bonus10ConvolutionAsMatrix`
/// and `Bonus10Equivariance` check the student's code on the same examples and properties.
@Suite("Docs · docs/10's convolution as a matrix, transposed convolution and equivariance")
struct ConvolutionAsMatrixDoc {
    @Test("docs/10: the 2×2 kernel's 4×9 matrix, and M · x is the convolution")
    func twoByTwoKernel() throws {
        let kernel: [[Double]] = [[1, 2], [3, 4]]
        let x: [[Double]] = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
        let m = try Solutions.convolutionMatrix(weight: tensor(kernel), height: 3, width: 3)
        let anchor = "**A 2×2 kernel on a 3×3 image.**"
        expectRows(rows(m), after: anchor)
        let product = m.matmul(Tensor(shape: [9, 1], scalars: Array(x.joined())))
        check(
            rows(product.reshaped([1, 1, 2, 2])) == convolve(x, kernel),
            "M · x should be the convolution of x: the reference's convolutionMatrix disagrees with its Conv2D")
        expectRows([product.scalars], after: anchor)
    }

    @Test("docs/10: the stride-2 matrix and the transposed convolution of [1, 2, 3]")
    func strideTwoAndUpsampling() throws {
        let kernel = tensor([[0.5, 1, 0.5]])
        let m = try Solutions.convolutionMatrix(weight: kernel, height: 1, width: 7, stride: 2)
        expectRows(rows(m), after: "**Stride 2.**")
        let up = try Solutions.transposedConvolution(
            tensor([[1, 2, 3]]), weight: kernel, height: 1, width: 7, stride: 2)
        expectRows(rows(up), after: "**Upsampling three values to seven.**")
    }

    @Test("docs/10: LeNet-5's first convolution as a matrix: 2,709,504 entries, 86,400 not zero, 3.2%")
    func leNetFirstLayerMatrix() throws {
        let m = try Solutions.convolutionMatrix(
            weight: Tensor(shape: [6, 1, 5, 5], scalars: Array(repeating: 1, count: 150)), height: 28, width: 28)
        let nonzero = m.scalars.filter { $0 != 0 }.count
        let percent = String(format: "%.1f%%", 100 * Double(nonzero) / Double(m.count))
        let phrase =
            "\(grouped(m.shape[0])) × \(grouped(m.shape[1])) matrix: \(grouped(m.count)) entries, of which "
            + "\(grouped(nonzero)) (\(percent))"
        let words = docText("10-convolutional-network.md").split(whereSeparator: \.isWhitespace)
        let flowing = words.joined(separator: " ")
        check(flowing.contains(phrase), "docs/10 should say '\(phrase)', as the reference computes")
    }

    @Test("docs/10: the moved edge gives 0 0 30 30, the moved max-pool example 0 5 / 1 1")
    func movedExamples() {
        let verticalEdge: [[Double]] = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
        let movedEdge = convolve(Array(repeating: [10, 10, 10, 10, 0, 0], count: 6), verticalEdge)
        expectRows([movedEdge[0]], after: "**A moved edge.**")
        check(Set(movedEdge).count == 1, "every row of the moved edge's output should be the same")
        let moved: [[Double]] = [[0, 0, 0, 5], [0, 0, 2, 4], [0, 1, 0, 1], [0, 0, 0, 0]]
        let anchor = "**Lecture 002's 4×4 example, moved.**"
        expectRows(moved, after: anchor)
        expectRows(rows(Solutions.MaxPool2D(window: 2).forward(tensor(moved))), after: anchor)
    }
}
