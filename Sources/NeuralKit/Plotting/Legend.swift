/// A chart's legend, laid out in rows below the plot so that it never covers the data.
struct Legend {
    /// Where each entry goes: its row and its left edge, from the legend's top left corner; and
    /// whether its series is drawn with markers, so that its sample shows one too.
    let entries: [(name: String, marked: Bool, row: Int, x: Double)]
    let rowHeight = 18.0

    /// Entries fill a row of `width` pixels from the left, then wrap.
    init(names: [String], marked: [Bool], width: Double) {
        var entries: [(name: String, marked: Bool, row: Int, x: Double)] = []
        var (row, x) = (0, 0.0)
        for (name, marked) in zip(names, marked) {
            let entryWidth = 29 + SVG.textWidth(name, size: 12) + 20
            if x > 0, x + entryWidth > width { (row, x) = (row + 1, 0) }
            entries.append((name, marked, row, x))
            x += entryWidth
        }
        self.entries = entries
    }

    /// The height the legend takes, 0 without entries.
    var height: Double { entries.isEmpty ? 0 : rowHeight * Double((entries.last?.row ?? 0) + 1) }

    /// The legend with its top left corner at (`left`, `top`); entry `i` in series colour `i`.
    func svg(left: Double, top: Double) -> String {
        guard !entries.isEmpty else { return "" }
        var svg = "<g class=\"legend\">\n"
        for (index, entry) in entries.enumerated() {
            let x = left + entry.x
            let y = top + rowHeight * Double(entry.row) + 9
            svg +=
                "<line x1=\"\(SVG.number(x))\" y1=\"\(SVG.number(y))\" x2=\"\(SVG.number(x + 24))\" "
                + "y2=\"\(SVG.number(y))\" stroke=\"\(SVG.strong(index))\" stroke-width=\"2\"/>\n"
            if entry.marked {
                svg +=
                    "<circle cx=\"\(SVG.number(x + 12))\" cy=\"\(SVG.number(y))\" r=\"3.5\" "
                    + "fill=\"\(SVG.strong(index))\"/>\n"
            }
            svg += "<text x=\"\(SVG.number(x + 29))\" y=\"\(SVG.number(y + 4))\">\(SVG.escape(entry.name))</text>\n"
        }
        return svg + "</g>\n"
    }
}
