import Foundation
import NeuralKit

/// The loss and accuracy curves of a training run, as one SVG: the loss on
/// the left (per twentieth of an epoch, and each epoch's mean), the train and
/// test accuracy per epoch on the right.
///
/// Self-contained on purpose (kit-demos only); NeuralKit's plotting module can
/// replace it with its line chart.
enum TrainingCurves {
    static func svg(epochs: [TrainCommand.Epoch], title: String) -> String {
        let panelWidth = 380.0, panelHeight = 260.0, top = 56.0, left = 60.0, gap = 90.0
        let width = left + 2 * panelWidth + gap + 30, height = top + panelHeight + 70
        var svg = ImagePictures.header(width: width, height: height)
        svg += ImagePictures.text(title, x: width / 2, y: 26, size: 16, anchor: "middle", weight: "bold")
        let count = Double(max(epochs.count, 1))

        // Loss.
        var fine: [(Double, Double)] = []
        for epoch in epochs {
            for (index, value) in epoch.lossSteps.enumerated() {
                fine.append((Double(epoch.number - 1) + (Double(index) + 0.5) / Double(epoch.lossSteps.count), value))
            }
        }
        let means = epochs.map { (Double($0.number), $0.loss) }
        let lossMax = max((fine.map(\.1) + means.map(\.1)).filter(\.isFinite).max() ?? 1, 1e-9) * 1.05
        svg += panel(x: left, y: top, width: panelWidth, height: panelHeight, xMax: count, yMin: 0, yMax: lossMax,
                     title: "training loss (cross-entropy)", yFormat: { String(format: "%.2f", $0) })
        svg += line(fine, x: left, y: top, width: panelWidth, height: panelHeight, xMax: count, yMin: 0, yMax: lossMax,
                    color: "#9ecae1", dots: false)
        svg += line(means, x: left, y: top, width: panelWidth, height: panelHeight, xMax: count, yMin: 0, yMax: lossMax,
                    color: "#08519c", dots: true)
        svg += legend([("#9ecae1", "during the epoch"), ("#08519c", "epoch mean")], x: left + panelWidth - 150, y: top + 16)

        // Accuracy.
        let accuracies = epochs.flatMap { [$0.trainAccuracy, $0.testAccuracy] }
        let low = max(0, floor(((accuracies.min() ?? 0) - 0.02) * 20) / 20)
        let accuracyLeft = left + panelWidth + gap
        svg += panel(x: accuracyLeft, y: top, width: panelWidth, height: panelHeight, xMax: count, yMin: low, yMax: 1,
                     title: "accuracy", yFormat: { String(format: "%.0f%%", $0 * 100) })
        svg += line(epochs.map { (Double($0.number), $0.trainAccuracy) }, x: accuracyLeft, y: top, width: panelWidth,
                    height: panelHeight, xMax: count, yMin: low, yMax: 1, color: "#fd8d3c", dots: true)
        svg += line(epochs.map { (Double($0.number), $0.testAccuracy) }, x: accuracyLeft, y: top, width: panelWidth,
                    height: panelHeight, xMax: count, yMin: low, yMax: 1, color: "#a50f15", dots: true)
        if let last = epochs.last {
            svg += legend([("#fd8d3c", "train (during the epoch) \(TrainCommand.percent(last.trainAccuracy))"),
                           ("#a50f15", "test (after the epoch) \(TrainCommand.percent(last.testAccuracy))")],
                          x: accuracyLeft + panelWidth - 250, y: top + panelHeight - 40)
        }
        return svg + "</svg>\n"
    }

    private static func panel(x: Double, y: Double, width: Double, height: Double, xMax: Double, yMin: Double, yMax: Double,
                              title: String, yFormat: (Double) -> String) -> String {
        var svg = "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#888\"/>\n"
        svg += ImagePictures.text(title, x: x + width / 2, y: y - 8, size: 13, anchor: "middle")
        for i in 0...4 {
            let value = yMin + (yMax - yMin) * Double(i) / 4
            let py = y + height - height * Double(i) / 4
            svg += "<line x1=\"\(f(x))\" x2=\"\(f(x + width))\" y1=\"\(f(py))\" y2=\"\(f(py))\" stroke=\"#eee\"/>\n"
            svg += ImagePictures.text(yFormat(value), x: x - 6, y: py + 4, size: 11, anchor: "end", color: "#555")
        }
        let step = max(1, Int((xMax / 10).rounded(.up)))
        for epoch in stride(from: 0, through: Int(xMax), by: step) {
            let px = x + width * Double(epoch) / xMax
            svg += ImagePictures.text(String(epoch), x: px, y: y + height + 16, size: 11, anchor: "middle", color: "#555")
        }
        svg += ImagePictures.text("epoch", x: x + width / 2, y: y + height + 36, size: 12, anchor: "middle")
        return svg
    }

    private static func line(_ points: [(Double, Double)], x: Double, y: Double, width: Double, height: Double,
                             xMax: Double, yMin: Double, yMax: Double, color: String, dots: Bool) -> String {
        let mapped = points.filter { $0.1.isFinite }.map { point in
            (x + width * point.0 / xMax, y + height - height * (min(max(point.1, yMin), yMax) - yMin) / max(yMax - yMin, 1e-12))
        }
        guard !mapped.isEmpty else { return "" }
        var svg = "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\""
            + mapped.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>\n"
        if dots && mapped.count <= 60 {
            for point in mapped { svg += "<circle cx=\"\(f(point.0))\" cy=\"\(f(point.1))\" r=\"3\" fill=\"\(color)\"/>\n" }
        }
        return svg
    }

    private static func legend(_ entries: [(String, String)], x: Double, y: Double) -> String {
        var svg = ""
        for (index, (color, label)) in entries.enumerated() {
            let py = y + 18 * Double(index)
            svg += "<line x1=\"\(f(x))\" x2=\"\(f(x + 18))\" y1=\"\(f(py - 4))\" y2=\"\(f(py - 4))\" stroke=\"\(color)\" stroke-width=\"3\"/>\n"
            svg += ImagePictures.text(label, x: x + 24, y: py, size: 11)
        }
        return svg
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
