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

        /// Whether every point gets a marker: a short series, whose points would not read as a line alone.
        var hasMarkers: Bool {
            points.filter { $0.x.isFinite && $0.y.isFinite }.count <= LineChart.markedSeriesLength
        }

        /// `values[i]` drawn at x = i + 1 (epoch 1, 2, …).
        public init(name: String, values: [Double]) {
            self.init(name: name, points: values.enumerated().map { (Double($0.offset + 1), $0.element) })
        }
    }

    /// A vertical dashed line at one x value with a short label: an epoch singled out (the one kept).
    public struct Mark: Sendable {
        public var x: Double
        public var label: String

        public init(x: Double, label: String) {
            self.x = x
            self.label = label
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series] = []
    /// Vertical lines drawn over the grid, under the series.
    public var marks: [Mark] = []
    /// The y values shown; nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// Whether the y axis starts at 0 when the data is positive (losses). Without it the axis fits
    /// the data (accuracies: 84% against 86% should not look flat) and a break mark says it does not start at 0.
    public var includesZero = true
    /// The values a fitted y axis never goes beyond (accuracy in percent: 0…100).
    public var yLimits: ClosedRange<Double>?
    /// Whether the x ticks are whole numbers (epochs: no tick at epoch 1.2).
    public var wholeXTicks = false
    public var width = 640
    public var height = 400

    /// A series with at most this many points is drawn with a marker at each point; longer
    /// ones only where a point has no finite neighbour (a single point has no line).
    static let markedSeriesLength = 25

    public init(
        title: String, xLabel: String = "", yLabel: String = "", series: [Series] = [],
        yRange: ClosedRange<Double>? = nil, wholeXTicks: Bool = false, includesZero: Bool = true,
        yLimits: ClosedRange<Double>? = nil
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
        self.wholeXTicks = wholeXTicks
        self.includesZero = includesZero
        self.yLimits = yLimits
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
        let xTicks = SVG.ticks(xs.min() ?? 0, xs.max() ?? 1, count: 6, minimumStep: wholeXTicks ? 1 : 0)
        var yLow = yRange?.lowerBound ?? (ys.min() ?? 0)
        let yHigh = yRange?.upperBound ?? (ys.max() ?? 1)
        if yRange == nil, includesZero, yLow > 0 { yLow = 0 }
        var yTicks = SVG.ticks(yLow, yHigh, count: 5)
        if let yLimits, yRange == nil {
            yTicks.values = yTicks.values.filter { yLimits.contains($0) }
        }
        let legend = Legend(
            names: series.map(\.name), marked: series.map(\.hasMarkers),
            width: Double(width) - 40)
        let frame = Frame(
            left: 72, top: 40, right: Double(width) - 20, bottom: Double(height) - 52 - legend.height,
            xRange: (xTicks.values.first ?? 0)...(xTicks.values.last ?? 1),
            yRange: yRange ?? (yTicks.values.first ?? 0)...(yTicks.values.last ?? 1))
        let shownYTicks = (values: yTicks.values.filter { frame.yRange.contains($0) }, step: yTicks.step)

        var svg = SVG.header(width: width, height: height)
        svg += SVG.title(title, width: width)
        svg += SVG.axes(frame: frame, xTicks: xTicks, yTicks: shownYTicks, xLabel: xLabel, yLabel: yLabel, grid: true)
        if frame.yRange.lowerBound > 0, !ys.isEmpty { svg += axisBreak(frame: frame) }
        svg +=
            "<defs><clipPath id=\"plot-area\"><rect x=\"\(SVG.number(frame.left))\" y=\"\(SVG.number(frame.top))\" "
            + "width=\"\(SVG.number(frame.width))\" height=\"\(SVG.number(frame.height))\"/></clipPath></defs>\n"
        svg += marks.map { draw($0, frame: frame) }.joined()
        svg +=
            "<g clip-path=\"url(#plot-area)\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\">\n"
        let drawn = series.enumerated().map { draw($1, color: SVG.strong($0), frame: frame) }
        svg += drawn.map(\.line).joined() + "</g>\n"
        // Markers are not clipped: a point on the plot's edge keeps its whole dot.
        svg += drawn.map(\.markers).joined()
        svg += legend.svg(left: 20, top: frame.bottom + 46)
        svg += "</svg>\n"
        return svg
    }

    /// One series: its line, broken at values that are not finite, and its markers.
    private func draw(_ line: Series, color: String, frame: Frame) -> (line: String, markers: String) {
        var d = ""
        var markers = ""
        let points = line.points
        let isFinite = points.map { $0.x.isFinite && $0.y.isFinite }
        var drawing = false
        for (index, point) in points.enumerated() {
            guard isFinite[index] else {
                drawing = false
                continue
            }
            // Far-off values are pulled in so that clipping sees a steep line, not an overflow.
            let span = frame.yRange.upperBound - frame.yRange.lowerBound
            let y = Swift.min(
                Swift.max(point.y, frame.yRange.lowerBound - 10 * span), frame.yRange.upperBound + 10 * span)
            let (px, py) = (SVG.number(frame.x(point.x)), SVG.number(frame.y(y)))
            d += (drawing ? " L" : (d.isEmpty ? "M" : " M")) + "\(px),\(py)"
            drawing = true
            let alone = (index == 0 || !isFinite[index - 1]) && (index == points.count - 1 || !isFinite[index + 1])
            if line.hasMarkers || alone, frame.yRange.contains(point.y) {
                markers += "<circle cx=\"\(px)\" cy=\"\(py)\" r=\"3.5\"/>\n"
            }
        }
        return (
            "<path class=\"series\" data-name=\"\(SVG.escape(line.name))\" stroke=\"\(color)\" d=\"\(d)\"/>\n",
            markers.isEmpty
                ? ""
                : "<g class=\"markers\" data-name=\"\(SVG.escape(line.name))\" fill=\"\(color)\" stroke=\"none\">\n"
                    + markers + "</g>\n"
        )
    }

    /// A mark: its dashed line across the plot and its label at the foot (where accuracy curves are
    /// seldom), on the side with room.
    private func draw(_ mark: Mark, frame: Frame) -> String {
        guard mark.x.isFinite, frame.xRange.contains(mark.x) else { return "" }
        let x = frame.x(mark.x)
        let roomOnRight = frame.right - x >= SVG.textWidth(mark.label, size: 12) + 8
        let labelX = roomOnRight ? x + 5 : x - 5
        return
            "<g class=\"mark\"><line x1=\"\(SVG.number(x))\" y1=\"\(SVG.number(frame.top))\" x2=\"\(SVG.number(x))\" "
            + "y2=\"\(SVG.number(frame.bottom))\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"5,4\"/>\n"
            + "<text x=\"\(SVG.number(labelX))\" y=\"\(SVG.number(frame.bottom - 8))\" text-anchor=\"\(roomOnRight ? "start" : "end")\" "
            + "fill=\"#333\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"3\">\(SVG.escape(mark.label))</text></g>\n"
    }

    /// The zig-zag at the foot of the y axis that says it does not start at 0.
    private func axisBreak(frame: Frame) -> String {
        let (x, y) = (frame.left, frame.bottom - 10)
        return
            "<path class=\"axis-break\" d=\"M\(SVG.number(x - 6)),\(SVG.number(y + 3)) l4,-6 l4,6 l4,-6\" "
            + "fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\"><title>the axis does not start at 0</title></path>\n"
    }

    /// Writes the SVG to `path` (creating its folder).
    public func write(to path: String) throws {
        try SVG.write(svg(), to: path)
    }
}
