import Exercises
import NeuralKit
import Testing

/// Stage 10, optional: the properties lectures 003 and 004 give convolution and pooling, checked on the
/// student's own `Conv2D` and `MaxPool2D`. A shift is a window moved over a larger scene, so that no
/// zero padding comes into view: what enters at one border is more of the scene.
@Suite("Stage 10 · Bonus: convolution is equivariant to shifts, max pooling partly invariant")
struct Bonus10Equivariance {
    /// A convolution and a shift of the image that is a whole number of its strides.
    struct Shift: Sendable, CustomTestStringConvertible {
        let stride: Int
        let padding: Int
        let rows: Int
        let columns: Int

        var testDescription: String { "stride \(stride), padding \(padding), shift (\(rows), \(columns))" }
    }

    @Test(
        "Conv2D is equivariant: move the image by (dy, dx) and its output moves by (dy, dx), away from the borders",
        arguments: [
            Shift(stride: 1, padding: 0, rows: 2, columns: 1), Shift(stride: 1, padding: 1, rows: 1, columns: 3),
            Shift(stride: 2, padding: 0, rows: 2, columns: 4),
        ])
    func convolutionIsEquivariant(_ shift: Shift) throws {
        let (height, width) = (9, 8)
        let scene = randomTensor([1, 2, height + shift.rows, width + shift.columns], seed: 180)
        let kernels = randomTensor([3, 2, 3, 2], seed: 181)
        let original = window(of: scene, top: 0, left: 0, height: height, width: width)
        let moved = window(of: scene, top: shift.rows, left: shift.columns, height: height, width: width)
        let (y, movedY) = try student(10) { () -> (Tensor, Tensor) in
            let conv = Exercises.Conv2D(
                weight: kernels, bias: Tensor([0.1, -0.2, 0.3]), stride: shift.stride, padding: shift.padding)
            return (conv.forward(original), conv.forward(moved))
        }
        let layer = "Conv2D(kernels [3, 2, 3, 2], stride \(shift.stride), padding \(shift.padding))"
        try #require(
            y.shape == movedY.shape && y.rank == 4 && y.count > 0,
            Comment(
                rawValue:
                    "\(layer) gave shapes \(y.shape) and \(movedY.shape) for two 9×8 images: pass its own checks first")
        )
        check(
            Set(y.scalars).count > 1,
            "\(layer) gives the same value at every position of a random image: each output must read its own "
                + "patch, x[i·S − P + u, j·S − P + v]")
        // Output (i, j) of the moved image reads the original's patch of output (i + dy/S, j + dx/S); both
        // must lie inside their images, where no padding is read.
        let (dy, dx) = (shift.rows / shift.stride, shift.columns / shift.stride)
        func inside(_ i: Int, _ size: Int, _ kernel: Int) -> Bool {
            i * shift.stride - shift.padding >= 0 && i * shift.stride - shift.padding + kernel - 1 < size
        }
        var compared = 0
        for k in 0..<y.shape[1] {
            for i in 0..<(y.shape[2] - dy) where inside(i, height, 3) && inside(i + dy, height, 3) {
                for j in 0..<(y.shape[3] - dx) where inside(j, width, 2) && inside(j + dx, width, 2) {
                    compared += 1
                    let (after, before) = (movedY[0, k, i, j], y[0, k, i + dy, j + dx])
                    guard abs(after - before) <= 1e-9 * max(1, abs(before)) else {
                        recordIssue(
                            "\(layer) is not equivariant: moving the view by (\(shift.rows), \(shift.columns)) should "
                                + "move its output by (\(dy), \(dx)), but output \(k), (\(i), \(j)) of the moved view is "
                                + "\(NeuralKit.describe(after)) where the original's (\(i + dy), \(j + dx)) is \(NeuralKit.describe(before)). "
                                + "Every output reads x[i·S − P + u, j·S − P + v]: the row from i and u, the column "
                                + "from j and v, with the stride and padding",
                            sourceLocation: #_sourceLocation)
                        return
                    }
                }
            }
        }
        check(compared > 0, "no output was away from the borders: the check's shapes are wrong (a bug in the kit)")
    }

    @Test("max pooling is partly invariant: a one-pixel move inside its windows changes nothing, across them it moves")
    func maxPoolingIsPartlyInvariant() throws {
        // A dim scene (values below 0.5) with one bright pixel (above 1) at every even row and column from 2 on.
        let (height, width) = (6, 8)
        var generator = testGenerator(seed: 190)
        var scene = Tensor.uniform(shape: [1, 1, height + 2, width + 2], low: 0, high: 0.5, using: &generator)
        for row in stride(from: 2, to: height + 2, by: 2) {
            for column in stride(from: 2, to: width + 2, by: 2) {
                scene[0, 0, row, column] = 1 + Double.random(in: 0..<1, using: &generator)
            }
        }
        // The bright pixels at the top left of each 2×2 window; moved down and right by one, still inside it;
        // by two, in the next window.
        let topLeft = window(of: scene, top: 2, left: 2, height: height, width: width)
        let byOne = window(of: scene, top: 1, left: 1, height: height, width: width)
        let byTwo = window(of: scene, top: 0, left: 0, height: height, width: width)
        let (pooled, pooledByOne, pooledByTwo) = try student(10) { () -> (Tensor, Tensor, Tensor) in
            let pool = Exercises.MaxPool2D(window: 2, stride: 2)
            return (pool.forward(topLeft), pool.forward(byOne), pool.forward(byTwo))
        }
        try #require(
            [pooled.shape, pooledByOne.shape, pooledByTwo.shape].allSatisfy { $0 == [1, 1, 3, 4] },
            Comment(
                rawValue: "MaxPool2D(window: 2, stride: 2) of a 6×8 image should be [1, 1, 3, 4], not \(pooled.shape): "
                    + "pass its own checks first"))
        expectClose(
            pooledByOne, pooled, "max pooling of the image moved by one pixel inside its windows",
            hint: "every 2×2 window holds one bright pixel, before and after the move, and keeps it as its maximum: "
                + "output (i, j) is the largest of x[2i + u, 2j + v] for u, v in 0, 1 (an average would change)")
        // Moved by a whole window, the pooled map moves by one output and the top row and left column lose their maxima.
        var movedAlong = true
        for i in 0..<2 {
            for j in 0..<3 where pooledByTwo[0, 0, i + 1, j + 1] != pooled[0, 0, i, j] { movedAlong = false }
        }
        check(
            movedAlong && pooledByTwo[0, 0, 0, 0] < 0.5,
            "moved by two pixels, a whole window, the image's maxima should move to the next output: max pooling gives "
                + "\(listed(pooledByTwo)) after the move, \(listed(pooled)) before. Does each output read its own "
                + "window, x[2i + u, 2j + v]?")
    }
}

/// `[a, b, …]`, each value to 6 significant digits.
private func listed(_ tensor: Tensor) -> String {
    "[" + tensor.scalars.map { NeuralKit.describe($0) }.joined(separator: ", ") + "]"
}

/// The `height × width` part of `scene` `[N, C, H, W]` whose top left is at (`top`, `left`).
private func window(of scene: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
    let (examples, channels) = (scene.shape[0], scene.shape[1])
    var part = Tensor(zeros: [examples, channels, height, width])
    for n in 0..<examples {
        for c in 0..<channels {
            for i in 0..<height {
                for j in 0..<width { part[n, c, i, j] = scene[n, c, top + i, left + j] }
            }
        }
    }
    return part
}
