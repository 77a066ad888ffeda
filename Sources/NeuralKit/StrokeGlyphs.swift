/// Digits and letters drawn from pen strokes, each at its own random size, slant, position and pen
/// width, with noise: small image sets that need no download, for the checks that a network learns
/// (stage 10) and that what it learned on digits carries over to letters (transfer learning).
///
/// The same generator state gives the same images on every platform (only +, ·, / and √).
public enum StrokeGlyphs: String, CaseIterable, Sendable {
    /// The ten digits 0–9.
    case digits
    /// Six capital letters, another task drawn with the same kind of strokes.
    case letters

    /// The classes' names, in label order.
    public var classNames: [String] {
        switch self {
        case .digits: (0...9).map(String.init)
        case .letters: ["A", "C", "E", "H", "K", "T"]
        }
    }

    /// `count` greyscale images of `size × size` pixels (0 background, 255 ink), labels taking turns
    /// through the classes. Each image draws its own glyph box (60–90% of the image), slant, shift
    /// and pen width, then speckles of noise, so that no two images of a class are the same.
    public func images(count: Int, size: Int = 16, using generator: inout SeededGenerator) -> ImageDataset {
        let size = Swift.max(size, 1)
        let classes = strokes.count
        var pixels = [UInt8](repeating: 0, count: Swift.max(count, 0) * size * size)
        var labels: [Int] = []
        for image in 0..<Swift.max(count, 0) {
            let label = image % classes
            labels.append(label)
            let side = Double(size)
            let (width, height) = (side * generator.uniform(0.6, 0.8), side * generator.uniform(0.7, 0.9))
            let slant = generator.uniform(-0.25, 0.25)
            let left = generator.uniform(0, side - width)
            let top = generator.uniform(0, side - height)
            let pen = side / 16 * generator.uniform(0.55, 1.1)
            let ink = generator.uniform(0.7, 1)
            // A glyph point (x, y) in [0, 1]² lands at these pixel coordinates; slant leans the top right.
            let place = { (point: (Double, Double)) -> (Double, Double) in
                (left + width * (point.0 + slant * (0.5 - point.1)), top + height * point.1)
            }
            let segments = strokes[label].flatMap { stroke in
                zip(stroke, stroke.dropFirst()).map { (place($0), place($1)) }
            }
            for row in 0..<size {
                for column in 0..<size {
                    let centre = (Double(column) + 0.5, Double(row) + 0.5)
                    let distance = segments.map { Self.distance(centre, $0.0, $0.1) }.min() ?? .infinity
                    // Full ink within the pen's radius, fading to nothing over the next pixel.
                    let coverage = Swift.min(Swift.max(pen + 0.5 - distance, 0), 1)
                    var value = ink * coverage + 0.15 * generator.uniform(-1, 1) * generator.uniform(0, 1)
                    if generator.nextUnit() < 0.01 { value = generator.uniform(0.3, 1) }
                    pixels[(image * size + row) * size + column] = UInt8(
                        (Swift.min(Swift.max(value, 0), 1) * 255).rounded())
                }
            }
        }
        // The sizes are positive and every label is a class: valid by construction.
        return
            (try? ImageDataset(
                pixels: pixels, labels: labels, height: size, width: size, classNames: classNames,
                title: "generated \(rawValue)"))!
    }

    /// Each class's pen strokes: polylines of points in the unit square, x to the right, y down.
    private var strokes: [[[(Double, Double)]]] {
        switch self {
        case .digits:
            [
                [
                    [
                        (0.5, 0), (0.85, 0.2), (0.9, 0.5), (0.8, 0.85), (0.5, 1), (0.2, 0.85), (0.1, 0.5), (0.15, 0.2),
                        (0.5, 0),
                    ]
                ],
                [[(0.25, 0.25), (0.55, 0), (0.55, 1)]],
                [[(0.1, 0.25), (0.35, 0.02), (0.7, 0.02), (0.88, 0.28), (0.1, 1), (0.9, 1)]],
                [[(0.12, 0.05), (0.8, 0.05), (0.45, 0.42), (0.8, 0.6), (0.78, 0.88), (0.5, 1), (0.12, 0.9)]],
                [[(0.7, 1), (0.7, 0), (0.08, 0.68), (0.92, 0.68)]],
                [[(0.85, 0), (0.2, 0), (0.15, 0.45), (0.6, 0.38), (0.88, 0.62), (0.7, 0.95), (0.12, 0.92)]],
                [[(0.75, 0), (0.3, 0.35), (0.12, 0.7), (0.3, 1), (0.72, 0.95), (0.85, 0.7), (0.6, 0.5), (0.2, 0.58)]],
                [[(0.1, 0), (0.9, 0), (0.4, 1)]],
                [
                    [
                        (0.5, 0.48), (0.2, 0.25), (0.5, 0), (0.8, 0.25), (0.5, 0.48), (0.15, 0.75), (0.5, 1),
                        (0.85, 0.75), (0.5, 0.48),
                    ]
                ],
                [[(0.82, 0.42), (0.35, 0.5), (0.15, 0.28), (0.4, 0), (0.82, 0.1), (0.82, 0.42), (0.62, 1)]],
            ]
        case .letters:
            [
                [[(0.05, 1), (0.5, 0), (0.95, 1)], [(0.25, 0.6), (0.75, 0.6)]],
                [[(0.9, 0.15), (0.6, 0), (0.25, 0.1), (0.08, 0.5), (0.25, 0.9), (0.6, 1), (0.9, 0.85)]],
                [[(0.85, 0), (0.15, 0), (0.15, 1), (0.85, 1)], [(0.15, 0.5), (0.7, 0.5)]],
                [[(0.15, 0), (0.15, 1)], [(0.85, 0), (0.85, 1)], [(0.15, 0.5), (0.85, 0.5)]],
                [[(0.15, 0), (0.15, 1)], [(0.85, 0), (0.15, 0.55)], [(0.4, 0.35), (0.9, 1)]],
                [[(0.05, 0), (0.95, 0)], [(0.5, 0), (0.5, 1)]],
            ]
        }
    }

    /// The distance from `point` to the segment from `a` to `b`.
    private static func distance(_ point: (Double, Double), _ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        let lengthSquared = dx * dx + dy * dy
        let along =
            lengthSquared == 0
            ? 0 : Swift.min(Swift.max(((point.0 - a.0) * dx + (point.1 - a.1) * dy) / lengthSquared, 0), 1)
        let (x, y) = (a.0 + along * dx - point.0, a.1 + along * dy - point.1)
        return (x * x + y * y).squareRoot()
    }
}
