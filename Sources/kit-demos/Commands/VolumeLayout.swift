import KitCommandLine

/// The order in which `kit shape --input` lists a volume's sizes: the kit's C×H×W (the layers'
/// `[batch, channels, height, width]`), or the lectures' W×H×C, or H×W×C. Height and width pairs
/// (`--padding 2x1`) follow the same order as the input's height and width.
enum VolumeLayout: String, CaseIterable {
    case chw, hwc, whc

    /// The sizes' names in this order: "C×H×W".
    var name: String { rawValue.uppercased().map(String.init).joined(separator: "×") }

    /// Whether the layout lists the width before the height, as the lectures do.
    var widthFirst: Bool { self == .whc }

    /// Names of a height-and-width pair in this layout's order: "height×width" or "width×height".
    var pairName: String { widthFirst ? "width×height" : "height×width" }

    /// The sizes of `channels`, `height`, `width` in this layout's order.
    func ordered(channels: Int, height: Int, width: Int) -> [Int] {
        rawValue.map { letter in letter == "c" ? channels : letter == "h" ? height : width }
    }

    /// `text` ("3x32x32", or two sizes for one channel) read in this layout.
    func volume(_ text: String, option: String) throws -> (channels: Int, height: Int, width: Int) {
        let sizes = try sizeList(text, option: option, counts: [2, 3], example: example)
        guard sizes.count == 3 else {
            return widthFirst ? (1, sizes[1], sizes[0]) : (1, sizes[0], sizes[1])
        }
        let letters = Array(rawValue)
        let size = { (letter: Character) in sizes[letters.firstIndex(of: letter) ?? 0] }
        return (size("c"), size("h"), size("w"))
    }

    /// A 32×32 RGB image in this layout.
    var example: String { ordered(channels: 3, height: 32, width: 32).map(String.init).joined(separator: "x") }

    /// Why three sizes read as C×H×W probably were meant channels last (the lectures' "32×32×3"):
    /// the last is 3 or less and smaller than the first (an image 1 to 3 pixels wide is rare; 1 or 3
    /// channels are the rule), or the first two are equal and the last differs (a square image).
    static func channelsLastReason(_ text: String) -> String? {
        guard let sizes = try? sizeList(text, option: "input", counts: [3], example: ""),
            (sizes[2] <= 3 && sizes[0] > sizes[2]) || (sizes[0] == sizes[1] && sizes[1] != sizes[2])
        else { return nil }
        return "--input \(text) looks like the lectures' W×H×C (\(sizes[0])×\(sizes[1]) pixels, \(sizes[2]) channels), "
            + "but the kit reads C×H×W (\(sizes[0]) channels of \(sizes[1])×\(sizes[2])). Say which: "
            + "--layout whc (or hwc) for channels last, --layout chw for \(sizes[0]) channels"
    }
}

/// "3x32x32", "2x1" or "2" as whole numbers, `counts` of them; the layers' formulas judge their values.
func sizeList(_ text: String, option: String, counts: Set<Int>, example: String) throws -> [Int] {
    let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { "xX×*".contains($0) })
    let sizes = parts.compactMap { Int($0) }
    guard sizes.count == parts.count, counts.contains(sizes.count) else {
        let howMany = counts.sorted().map(String.init).joined(separator: " or ")
        throw UsageError("--\(option) takes \(howMany) whole numbers separated by x, such as \(example); got '\(text)'")
    }
    return sizes
}
