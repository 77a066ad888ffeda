/// A line chart of one or more named series, as SVG: loss and accuracy curves.
///
/// ```swift
/// var chart = LineChart(title: "Training loss", xLabel: "epoch", yLabel: "loss")
/// chart.add("train", losses)            // x = 1, 2, 3, …
/// try chart.write(to: "runs/loss.svg")
/// ```
///
/// Values that are not finite (a loss that blew up) break the line; with a
/// fixed `yRange`, what lies outside is clipped at the plot's edge.
public struct LineChart: Sendable {
    /// One named line: its points in data coordinates.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]

        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }

        /// `values[i]` drawn at x = i + 1 (epoch 1, 2, …).
        public init(name: String, values: [Double]) {
            self.init(name: name, points: values.enumerated().map { (Double($0.offset + 1), $0.element) })
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series] = []
    /// The y values shown; nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// Whether the y axis starts at 0 when the data is positive (losses, accuracies).
    public var includesZero = true
    public var width = 640
    public var height = 400

    public init(
        title: String, xLabel: String = "", yLabel: String = "", series: [Series] = [],
        yRange: ClosedRange<Double>? = nil
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
    }

    /// Adds a series whose `values[i]` is drawn at x = i + 1.
    public mutating func add(_ name: String, _ values: [Double]) {
        series.append(Series(name: name, values: values))
    }

    /// The chart as an SVG document.
    public func svg() -> String {
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = finite.map(\.x)
        let ys = finite.map(\.y)
        let xTicks = SVG.ticks(xs.min() ?? 0, xs.max() ?? 1, count: 6)
        var yLow = yRange?.lowerBound ?? (ys.min() ?? 0)
        let yHigh = yRange?.upperBound ?? (ys.max() ?? 1)
        if yRange == nil, includesZero, yLow > 0 { yLow = 0 }
        let yTicks = SVG.ticks(yLow, yHigh, count: 5)
        let frame = Frame(
            left: 72, top: 40, right: Double(width) - 20, bottom: Double(height) - 52,
            xRange: (xTicks.values.first ?? 0)...(xTicks.values.last ?? 1),
            yRange: yRange ?? (yTicks.values.first ?? 0)...(yTicks.values.last ?? 1))
        let shownYTicks = (values: yTicks.values.filter { frame.yRange.contains($0) }, step: yTicks.step)

        var svg = SVG.header(width: width, height: height)
        svg += SVG.title(title, width: width)
        svg += SVG.axes(frame: frame, xTicks: xTicks, yTicks: shownYTicks, xLabel: xLabel, yLabel: yLabel, grid: true)
        svg +=
            "<defs><clipPath id=\"plot-area\"><rect x=\"\(SVG.number(frame.left))\" y=\"\(SVG.number(frame.top))\" "
            + "width=\"\(SVG.number(frame.width))\" height=\"\(SVG.number(frame.height))\"/></clipPath></defs>\n"
        svg += "<g clip-path=\"url(#plot-area)\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\">\n"
        for (index, line) in series.enumerated() {
            var d = ""
            var drawing = false
            for point in line.points {
                guard point.x.isFinite, point.y.isFinite else {
                    drawing = false
                    continue
                }
                // Far-off values are pulled in so that clipping sees a steep line, not an overflow.
                let span = frame.yRange.upperBound - frame.yRange.lowerBound
                let y = Swift.min(
                    Swift.max(point.y, frame.yRange.lowerBound - 10 * span), frame.yRange.upperBound + 10 * span)
                d +=
                    (drawing ? " L" : (d.isEmpty ? "M" : " M"))
                    + "\(SVG.number(frame.x(point.x))),\(SVG.number(frame.y(y)))"
                drawing = true
            }
            svg +=
                "<path class=\"series\" data-name=\"\(SVG.escape(line.name))\" stroke=\"\(SVG.strong(index))\" d=\"\(d)\"/>\n"
        }
        svg += "</g>\n"
        svg += legend(frame: frame)
        svg += "</svg>\n"
        return svg
    }

    private func legend(frame: Frame) -> String {
        guard !series.isEmpty else { return "" }
        let longest = series.map(\.name.count).max() ?? 0
        let boxWidth = Double(34 + 7 * longest)
        let boxHeight = Double(8 + 18 * series.count)
        let left = frame.right - boxWidth - 8
        let top = frame.top + 8
        var svg =
            "<g class=\"legend\">\n<rect x=\"\(SVG.number(left))\" y=\"\(SVG.number(top))\" width=\"\(SVG.number(boxWidth))\" "
            + "height=\"\(SVG.number(boxHeight))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\"/>\n"
        for (index, line) in series.enumerated() {
            let y = top + 13 + 18 * Double(index)
            svg +=
                "<line x1=\"\(SVG.number(left + 6))\" y1=\"\(SVG.number(y))\" x2=\"\(SVG.number(left + 24))\" y2=\"\(SVG.number(y))\" "
                + "stroke=\"\(SVG.strong(index))\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(SVG.number(left + 29))\" y=\"\(SVG.number(y + 4))\">\(SVG.escape(line.name))</text>\n"
        }
        return svg + "</g>\n"
    }

    /// Writes the SVG to `path` (creating its folder).
    public func write(to path: String) throws {
        try SVG.write(svg(), to: path)
    }
}
