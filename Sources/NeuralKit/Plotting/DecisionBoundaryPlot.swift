/// The decision regions of a classifier of two-dimensional points, as SVG:
/// the plane is shaded by the class the classifier predicts at each point
/// of a grid, and the data points are drawn on top, coloured by their label.
///
/// ```swift
/// let plot = DecisionBoundaryPlot(title: "Spirals", data: test) { points in predict(network, points) }
/// try plot.write(to: "runs/spirals.svg")
/// ```
///
/// The classifier receives the whole grid at once, as a `[cells, 2]` batch.
public struct DecisionBoundaryPlot {
    public var title: String
    /// The points, `[count, 2]`.
    public var points: Tensor
    /// The class of each point.
    public var labels: [Int]
    /// Names for the legend, one per class.
    public var classNames: [String]
    /// The predicted class of each row of a `[cells, 2]` batch of points.
    public var classify: (Tensor) -> [Int]
    /// Grid cells along each axis.
    public var resolution = 120
    public var width = 520
    public var height = 540

    public init(
        title: String, points: Tensor, labels: [Int], classNames: [String]? = nil,
        classify: @escaping (Tensor) -> [Int]
    ) {
        self.title = title
        self.points = points
        self.labels = labels
        self.classNames = classNames ?? (0...(labels.max() ?? 0)).map(String.init)
        self.classify = classify
    }

    /// The plot of a dataset's points (which must have two features).
    public init(title: String, data: Dataset, classify: @escaping (Tensor) -> [Int]) {
        self.init(
            title: title, points: data.inputs, labels: data.labels, classNames: data.classNames, classify: classify)
    }

    /// The data range shown, with a margin: a square, so that circles stay round.
    var bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let n = points.rank == 2 && points.columnCount >= 2 ? points.rowCount : 0
        let xs = (0..<n).map { points[$0, 0] }.filter(\.isFinite)
        let ys = (0..<n).map { points[$0, 1] }.filter(\.isFinite)
        let (x0, x1) = (xs.min() ?? -1, xs.max() ?? 1)
        let (y0, y1) = (ys.min() ?? -1, ys.max() ?? 1)
        let half = Swift.max(x1 - x0, y1 - y0, 1e-6) / 2 * 1.1
        let (cx, cy) = ((x0 + x1) / 2, (y0 + y1) / 2)
        return ((cx - half)...(cx + half), (cy - half)...(cy + half))
    }

    /// The grid's cell centres, `[resolution², 2]`, row by row from the top.
    func grid(_ bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>)) -> Tensor {
        let n = Swift.max(resolution, 1)
        let dx = (bounds.x.upperBound - bounds.x.lowerBound) / Double(n)
        let dy = (bounds.y.upperBound - bounds.y.lowerBound) / Double(n)
        var scalars = [Double]()
        scalars.reserveCapacity(2 * n * n)
        for row in 0..<n {
            let y = bounds.y.upperBound - (Double(row) + 0.5) * dy
            for column in 0..<n {
                scalars.append(bounds.x.lowerBound + (Double(column) + 0.5) * dx)
                scalars.append(y)
            }
        }
        return Tensor(shape: [n * n, 2], scalars: scalars)
    }

    /// The plot as an SVG document.
    public func svg() -> String {
        SVG.header(width: width, height: height) + content() + "</svg>\n"
    }

    /// Plots side by side under one title, each `width` × `height` (small multiples: several
    /// datasets or classifiers compared at a glance), as an SVG document.
    public static func sideBySide(_ plots: [DecisionBoundaryPlot], title: String) -> String {
        let top = title.isEmpty ? 0 : 36
        let width = plots.reduce(0) { $0 + $1.width }
        let height = top + (plots.map(\.height).max() ?? 0)
        var svg = SVG.header(width: width, height: height) + SVG.title(title, width: width)
        var left = 0
        for plot in plots {
            svg += "<g class=\"panel\" transform=\"translate(\(left), \(top))\">\n" + plot.content() + "</g>\n"
            left += plot.width
        }
        return svg + "</svg>\n"
    }

    /// The plot's elements, for a document of `width` × `height` with its top left corner at (0, 0).
    func content() -> String {
        let bounds = self.bounds
        let xTicks = SVG.ticks(bounds.x.lowerBound, bounds.x.upperBound, count: 5)
        let yTicks = SVG.ticks(bounds.y.lowerBound, bounds.y.upperBound, count: 5)
        let frame = Frame(
            left: 56, top: 40, right: Double(width) - 16, bottom: Double(height) - 60,
            xRange: bounds.x, yRange: bounds.y)
        let inside = { (ticks: (values: [Double], step: Double), range: ClosedRange<Double>) in
            (values: ticks.values.filter { range.contains($0) }, step: ticks.step)
        }

        var svg = SVG.title(title, width: width)
        svg += regions(frame: frame, bounds: bounds)
        svg += SVG.axes(
            frame: frame, xTicks: inside(xTicks, bounds.x), yTicks: inside(yTicks, bounds.y),
            xLabel: "", yLabel: "", grid: false)
        svg += "<g class=\"points\" stroke=\"white\" stroke-width=\"0.8\">\n"
        let n = points.rank == 2 && points.columnCount >= 2 ? Swift.min(points.rowCount, labels.count) : 0
        for i in 0..<n {
            svg +=
                "<circle cx=\"\(SVG.number(frame.x(points[i, 0])))\" cy=\"\(SVG.number(frame.y(points[i, 1])))\" "
                + "r=\"3.5\" fill=\"\(SVG.strong(labels[i]))\"/>\n"
        }
        svg += "</g>\n"
        svg += legend(frame: frame)
        return svg
    }

    /// The predicted classes, one rectangle per run of equal cells along a row.
    private func regions(frame: Frame, bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>)) -> String {
        let n = Swift.max(resolution, 1)
        let predictions = classify(grid(bounds))
        guard predictions.count == n * n else { return "" }
        let cellWidth = frame.width / Double(n)
        let cellHeight = frame.height / Double(n)
        var svg = "<g class=\"regions\" shape-rendering=\"crispEdges\">\n"
        for row in 0..<n {
            var start = 0
            for column in 1...n where column == n || predictions[row * n + column] != predictions[row * n + start] {
                // A hair wider than the run, so that no white seams show between runs and rows.
                svg +=
                    "<rect x=\"\(SVG.number(frame.left + Double(start) * cellWidth))\" "
                    + "y=\"\(SVG.number(frame.top + Double(row) * cellHeight))\" "
                    + "width=\"\(SVG.number(Double(column - start) * cellWidth + 0.3))\" height=\"\(SVG.number(cellHeight + 0.3))\" "
                    + "fill=\"\(SVG.light(predictions[row * n + start]))\"/>\n"
                start = column
            }
        }
        return svg + "</g>\n"
    }

    private func legend(frame: Frame) -> String {
        guard !classNames.isEmpty else { return "" }
        var svg = "<g class=\"legend\">\n"
        var x = frame.left
        for (index, name) in classNames.enumerated() {
            svg +=
                "<circle cx=\"\(SVG.number(x + 5))\" cy=\"\(SVG.number(frame.bottom + 40))\" r=\"4\" fill=\"\(SVG.strong(index))\"/>\n"
            svg +=
                "<text x=\"\(SVG.number(x + 13))\" y=\"\(SVG.number(frame.bottom + 44))\">class \(SVG.escape(name))</text>\n"
            x += Double(28 + 7 * (name.count + 6))
        }
        return svg + "</g>\n"
    }

    /// Writes the SVG to `path` (creating its folder).
    public func write(to path: String) throws {
        try SVG.write(svg(), to: path)
    }

    /// Writes `plots` side by side under `title` to `path` (creating its folder).
    public static func writeSideBySide(_ plots: [DecisionBoundaryPlot], title: String, to path: String) throws {
        try SVG.write(sideBySide(plots, title: title), to: path)
    }
}
