import Foundation

/// A few helpers shared by the SVG charts: an axis with "nice" ticks, number
/// formatting that does not depend on the locale, XML escaping, and the
/// class colours.
///
/// The charts are plain strings of SVG, with no dependency: they open in any
/// browser and can be embedded in Markdown (`![loss](images/loss.svg)`).
public enum SVG {
    /// Escapes text for an XML or HTML attribute or element (the kit's HTML pages use it too).
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A coordinate with at most two decimals ("12.5", "-3", "0.25").
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var text = String(format: "%.2f", x)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A tick label: `step` decides how many decimals are shown.
    static func tickLabel(_ value: Double, step: Double) -> String {
        let magnitude = Swift.abs(value)
        if magnitude != 0, magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.0e", value) }
        var decimals = 0
        var s = step
        while s < 0.999, decimals < 6 {
            s *= 10
            decimals += 1
        }
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// Evenly spaced round values (steps of 1, 2 or 5 × 10ⁿ, at least `minimumStep`) covering
    /// `low...high`, about `count` of them, and the range widened to the first and last tick.
    static func ticks(
        _ low: Double, _ high: Double, count: Int = 5, minimumStep: Double = 0
    ) -> (values: [Double], step: Double) {
        var (low, high) = (low, high)
        if !(low.isFinite && high.isFinite) { (low, high) = (0, 1) }
        if high - low < 1e-12 { (low, high) = (low - 0.5, high + 0.5) }
        let rough = (high - low) / Double(Swift.max(count, 1))
        let power = Foundation.pow(10, Foundation.floor(Foundation.log10(rough)))
        let fraction = rough / power
        let step = Swift.max((fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power, minimumStep)
        let first = Foundation.floor(low / step + 1e-9) * step
        let last = Foundation.ceil(high / step - 1e-9) * step
        let n = Int(((last - first) / step).rounded())
        return ((0...n).map { first + Double($0) * step }, step)
    }

    /// About how wide `text` is drawn, in pixels: a generous average glyph width, so that
    /// layouts leave room in the wider fonts a browser may substitute (DejaVu Sans).
    public static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        Double(text.count) * size * (bold ? 0.66 : 0.6)
    }

    /// Saturated colours for the points and lines of class or series `i`.
    static let strongColors = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]
    /// Light colours for the region of class `i`.
    static let lightColors = [
        "#c6dbef", "#f9c9c9", "#c7e9c0", "#fdd9b5", "#dadaeb",
        "#e0cfc9", "#f7d4ea", "#dddddd", "#eeeeb5", "#c2eef3",
    ]

    static func strong(_ i: Int) -> String {
        strongColors[((i % strongColors.count) + strongColors.count) % strongColors.count]
    }
    static func light(_ i: Int) -> String {
        lightColors[((i % lightColors.count) + lightColors.count) % lightColors.count]
    }

    /// The opening of an SVG document of the given size, with a white background.
    static func header(width: Int, height: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
        viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect x="0" y="0" width="\(width)" height="\(height)" fill="white"/>

        """
    }

    /// The plot area's frame, its ticks, tick labels and axis labels.
    static func axes(
        frame: Frame, xTicks: (values: [Double], step: Double), yTicks: (values: [Double], step: Double),
        xLabel: String, yLabel: String, grid: Bool
    ) -> String {
        var svg = "<g class=\"axes\" stroke=\"#333\" stroke-width=\"1\">\n"
        for x in xTicks.values {
            let px = number(frame.x(x))
            if grid {
                svg +=
                    "<line x1=\"\(px)\" y1=\"\(number(frame.top))\" x2=\"\(px)\" y2=\"\(number(frame.bottom))\" stroke=\"#e5e5e5\"/>\n"
            }
            svg +=
                "<line x1=\"\(px)\" y1=\"\(number(frame.bottom))\" x2=\"\(px)\" y2=\"\(number(frame.bottom + 5))\"/>\n"
        }
        for y in yTicks.values {
            let py = number(frame.y(y))
            if grid {
                svg +=
                    "<line x1=\"\(number(frame.left))\" y1=\"\(py)\" x2=\"\(number(frame.right))\" y2=\"\(py)\" stroke=\"#e5e5e5\"/>\n"
            }
            svg += "<line x1=\"\(number(frame.left - 5))\" y1=\"\(py)\" x2=\"\(number(frame.left))\" y2=\"\(py)\"/>\n"
        }
        svg +=
            "<rect x=\"\(number(frame.left))\" y=\"\(number(frame.top))\" width=\"\(number(frame.width))\" "
            + "height=\"\(number(frame.height))\" fill=\"none\"/>\n</g>\n"
        svg += "<g class=\"tick-labels\" fill=\"#333\">\n"
        for x in xTicks.values {
            svg +=
                "<text x=\"\(number(frame.x(x)))\" y=\"\(number(frame.bottom + 18))\" text-anchor=\"middle\">"
                + "\(escape(tickLabel(x, step: xTicks.step)))</text>\n"
        }
        for y in yTicks.values {
            svg +=
                "<text x=\"\(number(frame.left - 8))\" y=\"\(number(frame.y(y) + 4))\" text-anchor=\"end\">"
                + "\(escape(tickLabel(y, step: yTicks.step)))</text>\n"
        }
        svg += "</g>\n"
        if !xLabel.isEmpty {
            svg +=
                "<text x=\"\(number((frame.left + frame.right) / 2))\" y=\"\(number(frame.bottom + 38))\" "
                + "text-anchor=\"middle\" font-size=\"13\">\(escape(xLabel))</text>\n"
        }
        if !yLabel.isEmpty {
            let cx = number(frame.left - 48)
            let cy = number((frame.top + frame.bottom) / 2)
            svg +=
                "<text x=\"\(cx)\" y=\"\(cy)\" text-anchor=\"middle\" font-size=\"13\" "
                + "transform=\"rotate(-90 \(cx) \(cy))\">\(escape(yLabel))</text>\n"
        }
        return svg
    }

    static func title(_ text: String, width: Int) -> String {
        text.isEmpty
            ? ""
            : "<text x=\"\(width / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" "
                + "font-weight=\"bold\">\(escape(text))</text>\n"
    }

    /// Writes `svg` to `path`, creating the folder if needed.
    static func write(_ svg: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(svg.utf8).write(to: url)
        } catch {
            throw KitError("could not write \(path): \(error.localizedDescription)")
        }
    }
}

/// The plot area in pixels and the data ranges it shows.
struct Frame {
    var left: Double, top: Double, right: Double, bottom: Double
    var xRange: ClosedRange<Double>, yRange: ClosedRange<Double>

    var width: Double { right - left }
    var height: Double { bottom - top }

    /// The pixel column of data value `x`.
    func x(_ x: Double) -> Double {
        left + (x - xRange.lowerBound) / Swift.max(xRange.upperBound - xRange.lowerBound, 1e-300) * width
    }

    /// The pixel row of data value `y` (rows grow downwards).
    func y(_ y: Double) -> Double {
        bottom - (y - yRange.lowerBound) / Swift.max(yRange.upperBound - yRange.lowerBound, 1e-300) * height
    }
}
