import CZlib
import Foundation

// Pictures of image classifiers, as SVG files a browser opens: a confusion
// matrix, a grid of images with captions (misclassified digits), and the
// first layer's weights as images. The pixels are PNGs (written here with
// zlib's deflate) embedded in the SVG; the text and the grid are SVG.

/// A small PNG encoder: 8-bit greyscale or RGB, no interlacing.
public enum PNG {
    /// The PNG file of `pixels` (row-major, `channels` bytes a pixel: 1 grey, 3 RGB).
    public static func encode(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws -> [UInt8] {
        guard width > 0, height > 0, channels == 1 || channels == 3, pixels.count == width * height * channels else {
            throw KitError(
                "PNG.encode: \(pixels.count) bytes are not \(width)×\(height) pixels of \(channels) channels")
        }
        // Each row starts with its filter type: 0, none.
        var raw = [UInt8]()
        raw.reserveCapacity(height * (width * channels + 1))
        for row in 0..<height {
            raw.append(0)
            raw.append(contentsOf: pixels[(row * width * channels)..<((row + 1) * width * channels)])
        }
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(raw.count))))
        var length = uLongf(compressed.count)
        let status = compressed.withUnsafeMutableBufferPointer { out in
            raw.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &length, input.baseAddress, uLong(input.count), 9)
            }
        }
        guard status == Z_OK else { throw KitError("PNG.encode: zlib could not compress (error \(status))") }
        compressed.removeLast(compressed.count - Int(length))

        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, channels == 1 ? 0 : 2, 0, 0, 0]
        chunk("IHDR", header, into: &file)
        chunk("IDAT", compressed, into: &file)
        chunk("IEND", [], into: &file)
        return file
    }

    /// A `data:` URL of the PNG, for an SVG `<image>`.
    public static func dataURL(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws -> String {
        "data:image/png;base64,"
            + Data(try encode(width: width, height: height, channels: channels, pixels: pixels))
            .base64EncodedString()
    }

    private static func chunk(_ type: String, _ data: [UInt8], into file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        file += bigEndian(UInt32(data.count))
        let body = typeBytes + data
        file += body
        let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        file += bigEndian(UInt32(crc))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// SVG pictures of image classifiers.
public enum ImagePictures {
    /// A confusion matrix (`matrix[true][predicted]`) as a heat map with the
    /// counts written in the cells; the diagonal in green, mistakes in red.
    public static func confusionMatrix(_ matrix: [[Int]], classNames: [String], title: String) -> String {
        let n = matrix.count
        let cell = 44.0
        let names = (0..<n).map { short(classNames, $0) }
        let longestName = names.map { SVG.textWidth($0, size: 12) }.max() ?? 0
        // Column labels that fit under their cell stay level; longer ones are slanted.
        let slanted = longestName > cell - 6
        let total = matrix.joined().reduce(0, +)
        let right = (0..<n).reduce(0) { $0 + matrix[$1][$1] }
        let subtitle =
            "\(right) of \(total) right (\(percent(Double(right) / Double(max(total, 1))))); row t, column p: "
            + "images of class t predicted as p"
        // The y-axis title, then the row labels, then the grid; the picture is as wide as its widest line.
        let gridLeft = 20 + 14 + 8 + longestName + 8
        let gridWidth = cell * Double(n)
        let width = max(
            gridLeft + gridWidth + 30, SVG.textWidth(title, size: 16, bold: true) + 30,
            SVG.textWidth(subtitle, size: 12) + 30)
        let left = max(gridLeft, (width - gridWidth) / 2)
        let top = 70.0
        let gridBottom = top + cell * Double(n)
        let columnLabelsHeight = slanted ? longestName * 0.71 + 14 : 18
        let height = gridBottom + columnLabelsHeight + 36
        let rowTotals = matrix.map { max($0.reduce(0, +), 1) }
        var svg = header(width: width, height: height)
        svg += text(title, x: width / 2, y: 26, size: 16, anchor: "middle", weight: "bold")
        svg += text(subtitle, x: width / 2, y: 48, size: 12, anchor: "middle", color: "#555")
        svg += text(
            "predicted class →", x: left + gridWidth / 2, y: gridBottom + columnLabelsHeight + 22, size: 13,
            anchor: "middle")
        let titleX = f(left - 8 - longestName - 12)
        let titleY = f(top + gridWidth / 2)
        svg +=
            "<text x=\"\(titleX)\" y=\"\(titleY)\" font-size=\"13\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 \(titleX) \(titleY))\">true class →</text>\n"
        for (t, row) in matrix.enumerated() {
            let y = top + cell * Double(t)
            svg += text(names[t], x: left - 8, y: y + cell / 2 + 4, size: 12, anchor: "end")
            for (p, count) in row.enumerated() {
                let x = left + cell * Double(p)
                let share = Double(count) / Double(rowTotals[t])
                let color =
                    t == p
                    ? mix(share, from: (247, 252, 245), to: (35, 139, 69))
                    : mix(min(1, share * 4), from: (255, 255, 255), to: (203, 24, 29))
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell))\" height=\"\(f(cell))\" fill=\"\(color)\" stroke=\"#ddd\"/>\n"
                if count > 0 {
                    let dark = (t == p && share > 0.5) || (t != p && share * 4 > 0.6)
                    svg += text(
                        String(count), x: x + cell / 2, y: y + cell / 2 + 4, size: count >= 1000 ? 10 : 12,
                        anchor: "middle", color: dark ? "#fff" : "#222")
                }
            }
        }
        for p in 0..<n {
            let x = left + cell * Double(p) + cell / 2
            if slanted {
                let y = gridBottom + 10
                svg +=
                    "<text class=\"column-label\" x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"12\" text-anchor=\"end\" "
                    + "transform=\"rotate(-45 \(f(x)) \(f(y)))\">\(escape(names[p]))</text>\n"
            } else {
                svg +=
                    "<text class=\"column-label\" x=\"\(f(x))\" y=\"\(f(gridBottom + 16))\" font-size=\"12\" "
                    + "text-anchor=\"middle\">\(escape(names[p]))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// One image of a grid, with a caption.
    public struct CaptionedImage: Sendable {
        public var pixels: [UInt8]
        public var caption: String
        public var secondLine: String
        public var highlight: Bool
        public init(pixels: [UInt8], caption: String, secondLine: String = "", highlight: Bool = false) {
            self.pixels = pixels
            self.caption = caption
            self.secondLine = secondLine
            self.highlight = highlight
        }
    }

    /// Greyscale images (`height × width` bytes each, 0 = background) in a grid
    /// of `columns`, each under its caption; drawn dark on light, enlarged.
    public static func imageGrid(
        _ images: [CaptionedImage], height: Int, width: Int, columns: Int,
        title: String, subtitle: String = "", scale: Double = 3
    ) throws -> String {
        let cellWidth = max(Double(width) * scale, 90) + 12
        let cellHeight = Double(height) * scale + 44
        let rows = (images.count + columns - 1) / max(columns, 1)
        let top = subtitle.isEmpty ? 44.0 : 62.0
        let svgWidth = cellWidth * Double(max(min(columns, images.count), 1)) + 20
        let svgHeight = top + cellHeight * Double(max(rows, 1)) + 10
        var svg = header(width: max(svgWidth, 360), height: svgHeight)
        svg += text(title, x: max(svgWidth, 360) / 2, y: 26, size: 16, anchor: "middle", weight: "bold")
        if !subtitle.isEmpty {
            svg += text(subtitle, x: max(svgWidth, 360) / 2, y: 46, size: 12, anchor: "middle", color: "#555")
        }
        for (index, image) in images.enumerated() {
            let x = 10 + cellWidth * Double(index % columns)
            let y = top + cellHeight * Double(index / columns)
            let imageX = x + (cellWidth - Double(width) * scale) / 2
            let inverted = image.pixels.map { 255 - $0 }
            let url = try PNG.dataURL(width: width, height: height, channels: 1, pixels: inverted)
            svg +=
                "<image x=\"\(f(imageX))\" y=\"\(f(y))\" width=\"\(f(Double(width) * scale))\" height=\"\(f(Double(height) * scale))\" "
                + "style=\"image-rendering:pixelated\" href=\"\(url)\"/>\n"
            svg +=
                "<rect x=\"\(f(imageX))\" y=\"\(f(y))\" width=\"\(f(Double(width) * scale))\" height=\"\(f(Double(height) * scale))\" "
                + "fill=\"none\" stroke=\"\(image.highlight ? "#cb181d" : "#bbb")\"/>\n"
            svg += text(
                image.caption, x: x + cellWidth / 2, y: y + Double(height) * scale + 16, size: 11, anchor: "middle")
            if !image.secondLine.isEmpty {
                svg += text(
                    image.secondLine, x: x + cellWidth / 2, y: y + Double(height) * scale + 30, size: 11,
                    anchor: "middle", color: "#cb181d")
            }
        }
        return svg + "</svg>\n"
    }

    /// The weights of a dense layer's units as images: column `j` of `weight`
    /// (`[height·width, units]`) is unit j's image. Blue is negative, red
    /// positive, white zero; each unit is scaled by its own largest |weight|.
    public static func weightImages(
        _ weight: Tensor, height: Int, width: Int, columns: Int = 10,
        title: String, subtitle: String = "", scale: Double = 3
    ) throws -> String {
        guard weight.rank == 2, weight.shape[0] == height * width, weight.shape[1] > 0 else {
            throw KitError("weightImages: a weight of shape \(weight.shape) is not [\(height * width), units]")
        }
        let units = weight.shape[1]
        let size = Double(width) * scale
        let gap = 6.0
        let rows = (units + columns - 1) / columns
        let top = subtitle.isEmpty ? 44.0 : 62.0
        let svgWidth = max(20 + (size + gap) * Double(min(columns, units)), 420)
        var svg = header(width: svgWidth, height: top + (Double(height) * scale + gap) * Double(rows) + 10)
        svg += text(title, x: svgWidth / 2, y: 26, size: 16, anchor: "middle", weight: "bold")
        if !subtitle.isEmpty {
            svg += text(subtitle, x: svgWidth / 2, y: 46, size: 12, anchor: "middle", color: "#555")
        }
        for unit in 0..<units {
            var largest = 0.0
            for p in 0..<(height * width) { largest = max(largest, abs(weight.scalars[p * units + unit])) }
            var rgb = [UInt8]()
            rgb.reserveCapacity(height * width * 3)
            for p in 0..<(height * width) {
                let v = largest > 0 ? weight.scalars[p * units + unit] / largest : 0
                let (r, g, b) = diverging(v)
                rgb += [r, g, b]
            }
            let url = try PNG.dataURL(width: width, height: height, channels: 3, pixels: rgb)
            let x = 10 + (size + gap) * Double(unit % columns)
            let y = top + (Double(height) * scale + gap) * Double(unit / columns)
            svg +=
                "<image x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(size))\" height=\"\(f(Double(height) * scale))\" "
                + "style=\"image-rendering:pixelated\" href=\"\(url)\"><title>unit \(unit)</title></image>\n"
        }
        return svg + "</svg>\n"
    }

    // MARK: Helpers

    /// Blue (−1) → white (0) → red (+1).
    static func diverging(_ v: Double) -> (UInt8, UInt8, UInt8) {
        let t = max(-1, min(1, v))
        func channel(_ a: Double, _ b: Double, _ s: Double) -> UInt8 {
            UInt8(max(0, min(255, (a + (b - a) * s).rounded())))
        }
        if t >= 0 { return (channel(255, 178, t), channel(255, 24, t), channel(255, 43, t)) }
        return (channel(255, 33, -t), channel(255, 102, -t), channel(255, 172, -t))
    }

    static func mix(_ t: Double, from a: (Int, Int, Int), to b: (Int, Int, Int)) -> String {
        let t = max(0, min(1, t))
        func c(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return String(format: "#%02x%02x%02x", c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
    }

    public static func header(width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
    }

    public static func text(
        _ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
        weight: String = "normal", color: String = "#222"
    ) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" "
            + "fill=\"\(color)\">\(escape(content))</text>\n"
    }

    static func short(_ names: [String], _ index: Int) -> String {
        index < names.count ? names[index] : String(index)
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func f(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
