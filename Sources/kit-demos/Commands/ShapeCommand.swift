import Foundation
import KitCommandLine
import NeuralKit

// `kit shape conv2d|pool|dense ...`: the output shape, units, parameters and
// multiply-accumulates of one layer, from the lectures' formulas (`LayerFormulas`).

/// Runs `kit shape` with its arguments (`CommandDeclaration.shape`); prints to stdout and returns the exit status.
func runShapeCommand(_ arguments: Arguments) -> Int32 {
    let options = ShapeOptions(arguments)
    do {
        let known: [String: Set<String>] = [
            "conv2d": ["input", "layout", "kernel", "filters", "stride", "padding", "dilation"],
            "pool": ["input", "layout", "window", "stride"],
            "dense": ["inputs", "outputs"],
        ]
        guard let kind = arguments.positionals.first else { throw UsageError("which layer? conv2d, pool or dense") }
        let canonical = ["conv": "conv2d", "maxpool": "pool", "avgpool": "pool", "linear": "dense"][kind] ?? kind
        guard let allowed = known[canonical] else {
            throw UsageError("unknown layer '\(kind)': use conv2d, pool or dense")
        }
        let unknown = Set(arguments.options.keys).subtracting(allowed).sorted()
        guard unknown.isEmpty else {
            throw UsageError("\(canonical) takes no " + unknown.map { "--" + $0 }.joined(separator: ", "))
        }
        switch canonical {
        case "conv2d": try printConvolution(options)
        case "pool": try printPooling(options)
        default: try printDense(options)
        }
        return ExitStatus.success
    } catch let error as UsageError {
        return CommandDeclaration.shape.reportUsageError("\(error)")
    } catch {
        FileHandle.standardError.write(Data("kit shape: \(error)\n".utf8))
        return ExitStatus.failure
    }
}

/// The options' values, with what each layer needs.
private struct ShapeOptions {
    let arguments: Arguments
    /// `--layout`, else the kit's C×H×W.
    let layout: VolumeLayout

    init(_ arguments: Arguments) {
        self.arguments = arguments
        layout = arguments.string("layout").flatMap(VolumeLayout.init(rawValue:)) ?? .chw
    }

    func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
        guard let value = arguments.integer(name) ?? fallback else { throw UsageError("--\(name) is missing") }
        return value
    }

    /// `--input` in `layout`. Without `--layout`, a volume that looks channels-last is refused
    /// rather than read as C×H×W: the lectures write W×H×C, and a wrong reading still gives numbers.
    func volume(_ name: String) throws -> (channels: Int, height: Int, width: Int) {
        guard let text = arguments.string(name) else {
            throw UsageError("--\(name) is missing (\(layout.name), such as \(layout.example))")
        }
        if arguments.string("layout") == nil, let reason = VolumeLayout.channelsLastReason(text) {
            throw UsageError(reason)
        }
        let volume = try layout.volume(text, option: name)
        let ordered = layout.ordered(channels: volume.channels, height: volume.height, width: volume.width)
        print(
            "input read as \(layout.name) = \(ordered.map(String.init).joined(separator: "×")): "
                + "\(volume.channels) channel\(volume.channels == 1 ? "" : "s"), height \(volume.height), "
                + "width \(volume.width)")
        return volume
    }

    /// `--stride 2` or `--stride 2x1` (two sizes in the input's order: height×width, or width×height
    /// for `--layout whc`) as (height, width).
    func pair(_ name: String, default fallback: Int) throws -> (height: Int, width: Int) {
        guard let text = arguments.string(name) else { return (fallback, fallback) }
        let sizes = try sizeList(text, option: name, counts: [1, 2], example: "2 or 2x1 (\(layout.pairName))")
        guard sizes.count == 2 else { return (sizes[0], sizes[0]) }
        return layout.widthFirst ? (sizes[1], sizes[0]) : (sizes[0], sizes[1])
    }
}

/// "2" when both dimensions have it, else "2 along the height, 1 along the width".
private func perDimension(_ sizes: (height: Int, width: Int)) -> String {
    sizes.height == sizes.width ? "\(sizes.height)" : "\(sizes.height) along the height, \(sizes.width) along the width"
}

/// "2×3×3 (C×H×W)", and the same shape in the input's layout when that is another.
private func outputShapeText(_ layout: VolumeLayout, channels: Int, height: Int, width: Int) -> String {
    let kit = "\(channels)×\(height)×\(width) (C×H×W)"
    guard layout != .chw else { return kit }
    let ordered = layout.ordered(channels: channels, height: height, width: width).map(String.init)
    return kit + ", that is \(ordered.joined(separator: "×")) as \(layout.name)"
}

/// 12345678 → "12,345,678".
func groupedDigits(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// A note when the windows do not reach the last rows or columns (the floor drops them).
private func strideNote(_ dimension: String, size: Int, span: Int, padding: Int, stride: Int) -> String? {
    let room = size + 2 * padding - span
    guard room >= 0, room % stride != 0 else { return nil }
    return
        "note: along the \(dimension), (\(size) − \(span) + 2·\(padding)) = \(room) is not a multiple of the stride \(stride): "
        + "the last \(room % stride) \(dimension == "height" ? "row" : "column")\(room % stride > 1 ? "s" : "") of the padded input "
        + "\(room % stride > 1 ? "are" : "is") never covered (the floor drops \(room % stride > 1 ? "them" : "it"))"
}

private func printConvolution(_ o: ShapeOptions) throws {
    let (c, h, w) = try o.volume("input")
    let f = try o.integer("kernel")
    let k = try o.integer("filters")
    let s = try o.pair("stride", default: 1)
    let p = try o.pair("padding", default: 0)
    let d = try o.integer("dilation", default: 1)
    guard k >= 1 else { throw KitError("--filters must be at least 1, got \(k)") }
    guard c >= 1 else { throw KitError("the input must have at least 1 channel, got \(c)") }
    let outH: Int
    let outW: Int
    do {
        outH = try LayerFormulas.convolution(size: h, kernel: f, stride: s.height, padding: p.height, dilation: d)
        outW = try LayerFormulas.convolution(size: w, kernel: f, stride: s.width, padding: p.width, dilation: d)
    } catch {
        throw KitError("impossible convolution on \(c)×\(h)×\(w) (C×H×W): \(error)")
    }
    let span = d * (f - 1) + 1
    let spanText = d == 1 ? "\(f)" : "\(span)"
    print(
        "conv2d: \(k) filter\(k == 1 ? "" : "s") of \(f)×\(f)×\(c), stride \(perDimension(s)), "
            + "padding \(perDimension(p))" + (d == 1 ? "" : ", dilation \(d)"))
    if d != 1 { print("  dilated kernel span: D(F − 1) + 1 = \(d)·(\(f) − 1) + 1 = \(span)") }
    print("  output height: ⌊(\(h) − \(spanText) + 2·\(p.height)) / \(s.height)⌋ + 1 = \(outH)")
    print("  output width:  ⌊(\(w) − \(spanText) + 2·\(p.width)) / \(s.width)⌋ + 1 = \(outW)")
    print("  output shape: " + outputShapeText(o.layout, channels: k, height: outH, width: outW))
    print("  units: \(k)·\(outH)·\(outW) = \(groupedDigits(k * outH * outW))")
    let parameters = LayerFormulas.convolutionParameters(kernel: f, channels: c, filters: k)
    print("  parameters: (F·F·C + 1)·K = (\(f)·\(f)·\(c) + 1)·\(k) = \(groupedDigits(parameters))")
    let macs = LayerFormulas.convolutionProducts(kernel: f, channels: c, filters: k, height: outH, width: outW)
    print("  multiply-accumulates: H′·W′·K·F·F·C = \(outH)·\(outW)·\(k)·\(f)·\(f)·\(c) = \(groupedDigits(macs))")
    for note in [
        strideNote("height", size: h, span: span, padding: p.height, stride: s.height),
        strideNote("width", size: w, span: span, padding: p.width, stride: s.width),
    ] {
        if let note { print("  " + note) }
    }
}

private func printPooling(_ o: ShapeOptions) throws {
    let (c, h, w) = try o.volume("input")
    let f = try o.integer("window")
    let s = try o.pair("stride", default: f)
    let outH: Int
    let outW: Int
    do {
        outH = try LayerFormulas.pooling(size: h, window: f, stride: s.height)
        outW = try LayerFormulas.pooling(size: w, window: f, stride: s.width)
    } catch {
        throw KitError("impossible pooling on \(c)×\(h)×\(w) (C×H×W): \(error)")
    }
    print("pool: \(f)×\(f) window, stride \(perDimension(s)), on each channel on its own")
    print("  output height: ⌊(\(h) − \(f)) / \(s.height)⌋ + 1 = \(outH)")
    print("  output width:  ⌊(\(w) − \(f)) / \(s.width)⌋ + 1 = \(outW)")
    print("  output shape: " + outputShapeText(o.layout, channels: c, height: outH, width: outW))
    print("  units: \(c)·\(outH)·\(outW) = \(groupedDigits(c * outH * outW))")
    print("  parameters: 0")
    print("  multiply-accumulates: 0 (\(groupedDigits(c * outH * outW * f * f)) comparisons or additions)")
    for note in [
        strideNote("height", size: h, span: f, padding: 0, stride: s.height),
        strideNote("width", size: w, span: f, padding: 0, stride: s.width),
    ] {
        if let note { print("  " + note) }
    }
}

private func printDense(_ o: ShapeOptions) throws {
    let m = try o.integer("inputs")
    let n = try o.integer("outputs")
    guard m >= 1, n >= 1 else { throw KitError("--inputs and --outputs must be at least 1, got \(m) and \(n)") }
    print("dense: \(m) inputs → \(n) outputs")
    print("  output shape: \(n)")
    print("  units: \(n)")
    print(
        "  parameters: (M + 1)·N = (\(m) + 1)·\(n) = \(groupedDigits(LayerFormulas.denseParameters(inputs: m, outputs: n)))"
    )
    print(
        "  multiply-accumulates: M·N = \(m)·\(n) = \(groupedDigits(LayerFormulas.denseProducts(inputs: m, outputs: n)))"
    )
}
