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
    }
    var root: String?
    var elements: [Element] = []
    var texts: [String] = []
}

private final class Collector: NSObject, XMLParserDelegate {
    var document = Document()
    private var stack: [String] = []
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if document.root == nil { document.root = name }
        document.elements.append(.init(name: name, attributes: attributes, parents: stack))
        stack.append(attributes["class"] ?? name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { document.texts.append(trimmed) }
        text = ""
        stack.removeLast()
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
