import Foundation
import NeuralKit
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The SVG charts: well-formed XML with the expected elements.
@Suite("Plotting")
struct PlottingTests {
    @Test("a line chart is well-formed SVG with one path per series and a legend")
    func lineChart() throws {
        var chart = LineChart(title: "Loss & accuracy <test>", xLabel: "epoch", yLabel: "loss")
        chart.add("train", [0.9, 0.6, 0.4, 0.3, 0.25])
        chart.add("test", [1.0, 0.7, 0.5, 0.45, 0.44])
        chart.add("too high", [2, .nan, 5, .infinity, 3])
        let svg = chart.svg()
        let document = try parse(svg)
        #expect(document.root == "svg")
        let series = document.elements.filter { $0.name == "path" && $0.attributes["class"] == "series" }
        #expect(series.map { $0.attributes["data-name"] } == ["train", "test", "too high"])
        // The first series has 5 points: one move and four line segments.
        let d = series.first?.attributes["d"] ?? ""
        #expect(d.filter { $0 == "M" }.count == 1 && d.filter { $0 == "L" }.count == 4)
        // Non-finite values break the line instead of producing NaN coordinates.
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        #expect(series.last?.attributes["d"]?.filter { $0 == "M" }.count == 3)
        #expect(document.texts.contains("Loss & accuracy <test>"))
        #expect(document.texts.contains("train") && document.texts.contains("too high"))
        #expect(document.texts.contains("epoch") && document.texts.contains("loss"))
    }

    @Test("a line chart's ticks are round numbers covering the data")
    func lineChartTicks() throws {
        let chart = LineChart(title: "", series: [.init(name: "a", values: (1...30).map { 0.1 * Double($0) })])
        let document = try parse(chart.svg())
        let labels = document.texts.compactMap(Double.init)
        #expect(labels.contains(0) && labels.contains(30) && labels.contains(3))
    }

    @Test("a one-epoch run's single point is drawn as a marker, so its chart is not empty")
    func onePointHasMarker() throws {
        let chart = LineChart(title: "accuracy", series: [.init(name: "test", values: [0.515])])
        let markers = try parse(chart.svg()).elements.filter { $0.name == "circle" && $0.parents.contains("markers") }
        #expect(markers.count == 1)
    }

    @Test("a long series is drawn as a line without a marker at every point")
    func longSeriesHasNoMarkers() throws {
        let chart = LineChart(title: "loss", series: [.init(name: "train", values: (1...200).map { 1 / Double($0) })])
        #expect(try parse(chart.svg()).elements.filter { $0.name == "circle" }.isEmpty)
    }

    @Test("an epoch axis gets whole-number ticks, even for a 2-epoch run")
    func epochTicksAreWhole() throws {
        for epochs in [1, 2, 3, 7] {
            let values = (0..<epochs).map { 0.5 + 0.1 * Double($0) }
            let chart = LineChart(title: "", series: [.init(name: "a", values: values)], wholeXTicks: true)
            let xLabels = try parse(chart.svg()).elements
                .filter { $0.parents.contains("tick-labels") && $0.attributes["text-anchor"] == "middle" }
                .map(\.text)
            #expect(xLabels.count >= 2, "\(epochs) epochs")
            #expect(
                xLabels.allSatisfy { Int($0) != nil }, "\(epochs) epochs: the x ticks are \(xLabels)")
            #expect(xLabels.contains(String(epochs)))
        }
    }

    @Test("an accuracy axis fits the data, not 0–1, and its break mark says it does not start at 0")
    func fittedAxisShowsItsBreak() throws {
        let accuracy = LineChart(
            title: "", series: [.init(name: "test", values: [84, 85.2, 86])], includesZero: false, yLimits: 0...100)
        let document = try parse(accuracy.svg())
        let yLabels = document.elements
            .filter { $0.parents.contains("tick-labels") && $0.attributes["text-anchor"] == "end" }
            .compactMap { Double($0.text) }
        #expect(yLabels.min() ?? 0 >= 80 && yLabels.max() ?? 0 <= 90, "the y ticks are \(yLabels)")
        #expect(document.elements.contains { $0.attributes["class"] == "axis-break" })

        let loss = try parse(LineChart(title: "", series: [.init(name: "train", values: [0.9, 0.5])]).svg())
        #expect(!loss.elements.contains { $0.attributes["class"] == "axis-break" }, "a loss axis starts at 0")
    }

    @Test("the legend lies outside the plot area and covers no data point")
    func legendCoversNoData() throws {
        // A curve that fills every corner of the plot.
        var chart = LineChart(title: "", xLabel: "epoch", yLabel: "loss")
        chart.add("η = 0.01 (too low)", (1...60).map { 2 - Double($0) / 30 })
        chart.add("η = 1 (about right)", (1...60).map { Double($0) / 30 })
        chart.add("η = 10 (too high)", (1...60).map { $0 % 2 == 0 ? 2 : 0 })
        let document = try parse(chart.svg())
        let plot = try #require(document.elements.first { $0.name == "rect" && $0.parents.contains("clipPath") })
        let plotBottom =
            try #require(plot.attributes["y"].flatMap(Double.init))
            + (try #require(plot.attributes["height"].flatMap(Double.init)))
        let legendLines = document.elements.filter { $0.name == "line" && $0.parents.contains("legend") }
        #expect(legendLines.count == 3)
        // Every legend entry (its line and its text, 9 px either side) lies below the plot area.
        let legendTop = legendLines.compactMap { $0.attributes["y1"].flatMap(Double.init) }.map { $0 - 9 }.min() ?? 0
        #expect(legendTop > plotBottom)
        let dataY = document.elements.filter { $0.attributes["class"] == "series" }
            .flatMap { ($0.attributes["d"] ?? "").split(whereSeparator: { "ML ".contains($0) }) }
            .compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        #expect(dataY.count == 180 && dataY.allSatisfy { $0 <= plotBottom + 0.01 && $0 < legendTop })
    }

    @Test("a confusion matrix is as wide as its title, with level digit labels and axis titles beside the ticks")
    func confusionMatrixLayout() throws {
        let title = "Confusion matrix: spirals, 2-100-2 MLP, test set"
        let svg = ImagePictures.confusionMatrix([[30, 75], [20, 75]], classNames: ["0", "1"], title: title)
        let document = try parse(svg)
        let width = try #require(document.elements.first.flatMap { $0.attributes["width"] }.flatMap(Double.init))
        // 16 px bold Helvetica averages about 0.55 em a character; narrower than this estimate clips the title.
        #expect(width >= Double(title.count) * 16 * 0.55)
        let columnLabels = document.elements.filter { $0.attributes["class"] == "column-label" }
        #expect(columnLabels.map(\.text) == ["0", "1"])
        #expect(columnLabels.allSatisfy { $0.attributes["transform"] == nil }, "single digits are not rotated")
        let rowLabelX = try #require(
            document.elements.first { $0.text == "0" && $0.attributes["text-anchor"] == "end" }?.attributes["x"]
                .flatMap(Double.init))
        let yTitleX = try #require(
            document.elements.first { $0.text == "true class →" }?.attributes["x"].flatMap(Double.init))
        #expect(rowLabelX - yTitleX < 40, "the y-axis title sits \(rowLabelX - yTitleX) px left of the labels")

        let named = ImagePictures.confusionMatrix(
            [[1, 0], [0, 1]], classNames: ["T-shirt/top", "Ankle boot"], title: "Fashion")
        let slanted = try parse(named).elements.filter { $0.attributes["class"] == "column-label" }
        #expect(slanted.count == 2 && slanted.allSatisfy { $0.attributes["transform"] != nil })
    }

    @Test("an empty line chart is still valid SVG")
    func emptyChart() throws {
        let document = try parse(LineChart(title: "nothing").svg())
        #expect(document.root == "svg")
    }

    @Test("a decision-boundary plot draws every point over the classifier's regions")
    func decisionBoundary() throws {
        let data = ToyDataset.blobs.generate(count: 60, seed: 1)
        var calls: [[Int]] = []
        var plot = DecisionBoundaryPlot(title: "Blobs", data: data) { grid in
            calls.append(grid.shape)
            // Left of x = 0 is class 0, right of it class 1 or 2 by the sign of y.
            return (0..<grid.rowCount).map { grid[$0, 0] < 0 ? 0 : (grid[$0, 1] < 0 ? 1 : 2) }
        }
        plot.resolution = 40
        let svg = plot.svg()
        let document = try parse(svg)
        #expect(calls == [[1600, 2]], "the classifier is called once, on the whole grid")
        let points = document.elements.filter { $0.name == "circle" && $0.parents.contains("points") }
        #expect(points.count == 60)
        // Points are coloured by label: three colours for three classes.
        #expect(Set(points.compactMap { $0.attributes["fill"] }).count == 3)
        let regions = document.elements.filter { $0.name == "rect" && $0.parents.contains("regions") }
        #expect(
            regions.count >= 40 && regions.count <= 3 * 40, "runs of equal cells are merged into one rectangle a row")
        #expect(Set(regions.compactMap { $0.attributes["fill"] }).count == 3)
        #expect(document.texts.contains("Blobs"))
        #expect(document.texts.contains("class 0") && document.texts.contains("class 2"))
    }

    @Test("plots are written to a file, creating its folder")
    func writesFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "neuralkit-plot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sub/chart.svg").path
        try LineChart(title: "t", series: [.init(name: "a", values: [1, 2])]).write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try parse(text).root == "svg")
    }
}

/// What the XML parser saw: every element with its attributes and the classes of its ancestors.
private struct Document {
    struct Element {
        let name: String
        let attributes: [String: String]
        let parents: [String]
        /// The element's own text, trimmed.
        var text = ""
    }
    var root: String?
    var elements: [Element] = []
    var texts: [String] = []
}

private final class Collector: NSObject, XMLParserDelegate {
    var document = Document()
    private var stack: [(class: String, element: Int)] = []
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if document.root == nil { document.root = name }
        document.elements.append(.init(name: name, attributes: attributes, parents: stack.map(\.class)))
        stack.append((attributes["class"] ?? name, document.elements.count - 1))
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { document.texts.append(trimmed) }
        if let element = stack.popLast()?.element { document.elements[element].text = trimmed }
        text = ""
    }
}

private func parse(_ svg: String) throws -> Document {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    guard parser.parse() else {
        throw KitError("the SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
    }
    return collector.document
}
