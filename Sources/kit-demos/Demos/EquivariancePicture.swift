import Exercises
import Foundation
import NeuralKit

/// `kit run 10`'s picture of shift equivariance (lectures 003 and 004): an image, the same scene moved,
/// the student's convolution of each, and how far the second is from the first moved: zero away from
/// the borders, where the moved view shows more of the scene.
extension StageDemos {
    /// How far the scene moves under the view, in rows and columns.
    static let equivarianceShift = (rows: 3, columns: 2)

    /// Writes the picture to `path`, or prints why the student's `Conv2D` could not draw it.
    static func writeEquivariancePicture(to path: String) throws {
        let side = 16
        let (dy, dx) = equivarianceShift
        let scene = equivarianceScene(height: side + dy, width: side + dx)
        // The original view shows the scene from (dy, dx) on; the moved one from (0, 0): its content sits
        // dy rows lower and dx columns further right.
        let image = view(of: scene, top: dy, left: dx, side: side)
        let moved = view(of: scene, top: 0, left: 0, side: side)
        let kernel = Tensor(shape: [1, 1, 3, 3], scalars: [1, 0, -1, 1, 0, -1, 1, 0, -1])
        print("Shift equivariance (lectures 003, 004), with your Conv2D and lecture 001's vertical-edge kernel:")
        let conv = Exercises.Conv2D(weight: kernel, bias: Tensor([0]))
        guard let outputs = attempt({ (conv.forward(image), conv.forward(moved)) }) else {
            print("  (no picture until your Conv2D runs)")
            return
        }
        let (y, movedY) = outputs
        guard y.shape == [1, 1, side - 2, side - 2], movedY.shape == y.shape else {
            print("  your Conv2D gives \(y.shape) for a 16×16 image and a 3×3 kernel, expected [1, 1, 14, 14]")
            return
        }
        // The moved image's output against the original's output moved by (dy, dx), where both exist.
        let outputSide = side - 2
        var difference = Tensor(zeros: [1, 1, outputSide, outputSide])
        var largestInside = 0.0
        for i in 0..<outputSide {
            for j in 0..<outputSide {
                let (si, sj) = (i - dy, j - dx)
                let expected = si >= 0 && sj >= 0 ? y[0, 0, si, sj] : 0
                difference[0, 0, i, j] = movedY[0, 0, i, j] - expected
                if si >= 0 && sj >= 0 { largestInside = max(largestInside, abs(difference[0, 0, i, j])) }
            }
        }
        print(
            "  the moved image's output minus the output moved by (\(dy), \(dx)): largest difference away from the "
                + "top and left borders \(format(largestInside))  " + (largestInside < 1e-9 ? "✓ equivariant" : "✗"))
        let panels = [
            ("image", image, false), ("image moved by (\(dy), \(dx))", moved, false),
            ("convolution of image", y, true), ("convolution of moved", movedY, true), ("difference", difference, true),
        ]
        try writeSVG(
            panels: panels, title: "A convolution is equivariant to shifts (lectures 003, 004)",
            subtitle: "Your Conv2D, lecture 001's vertical-edge kernel. Difference: convolution of moved − convolution "
                + "moved; grey is 0",
            to: path)
        print("wrote \(path)")
    }

    /// A scene of bright bars and a ring on a dim, uneven background (deterministic).
    static func equivarianceScene(height: Int, width: Int) -> Tensor {
        Tensor(shape: [1, 1, height, width]) { flat in
            let (r, c) = flat.quotientAndRemainder(dividingBy: width)
            let bar = (4...5).contains(r) && (4...13).contains(c) || (6...14).contains(r) && (8...9).contains(c)
            let ring =
                (10...16).contains(r) && (12...17).contains(c) && !((12...14).contains(r) && (14...15).contains(c))
            return bar || ring ? 1 : 0.1 + 0.05 * Double((r * 7 + c * 3) % 5)
        }
    }

    /// The `side × side` view of `scene` whose top left is at (`top`, `left`).
    static func view(of scene: Tensor, top: Int, left: Int, side: Int) -> Tensor {
        let width = scene.shape[3]
        return Tensor(shape: [1, 1, side, side]) { flat in
            let (i, j) = flat.quotientAndRemainder(dividingBy: side)
            return scene.scalars[(top + i) * width + left + j]
        }
    }

    /// Panels side by side, each a greyscale image under its caption: images dark on light, signed maps grey
    /// at 0, darker for negative and lighter for positive values.
    static func writeSVG(panels: [(String, Tensor, Bool)], title: String, subtitle: String, to path: String) throws {
        let scale = 8.0
        let cell = 16 * scale + 40
        let width = cell * Double(panels.count) + 20
        var svg = ImagePictures.header(width: width, height: 62 + 16 * scale + 40)
        svg += ImagePictures.text(title, x: width / 2, y: 26, size: 16, anchor: "middle", weight: "bold")
        svg += ImagePictures.text(subtitle, x: width / 2, y: 46, size: 12, anchor: "middle", color: "#555")
        for (index, (caption, map, signed)) in panels.enumerated() {
            let (height, mapWidth) = (map.shape[2], map.shape[3])
            let largest = max(map.scalars.map(abs).max() ?? 0, 1e-12)
            let pixels = map.scalars.map { value -> UInt8 in
                let shade = signed ? 128 + 127 * value / largest : 255 - 255 * min(max(value, 0), 1)
                return UInt8(max(0, min(255, shade.rounded())))
            }
            let url = try PNG.dataURL(width: mapWidth, height: height, channels: 1, pixels: pixels)
            let (w, h) = (Double(mapWidth) * scale, Double(height) * scale)
            let x = 10 + cell * Double(index) + (cell - w) / 2
            // Smaller maps (a convolution's output) sit where their outputs are: one input pixel in from the edge.
            let y = 62 + (16 * scale - h) / 2
            svg +=
                "<image x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(h)\" style=\"image-rendering:pixelated\" "
                + "href=\"\(url)\"/>\n<rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(h)\" fill=\"none\" stroke=\"#bbb\"/>\n"
            svg += ImagePictures.text(
                caption, x: 10 + cell * Double(index) + cell / 2, y: 62 + 16 * scale + 24, size: 12, anchor: "middle")
        }
        svg += "</svg>\n"
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(svg.utf8).write(to: url)
    }
}
