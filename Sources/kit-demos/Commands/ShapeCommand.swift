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
            "conv2d": ["input", "kernel", "filters", "stride", "padding", "dilation"],
            "pool": ["input", "window", "stride"],
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

    init(_ arguments: Arguments) { self.arguments = arguments }

    func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
        guard let value = arguments.integer(name) ?? fallback else { throw UsageError("--\(name) is missing") }
        return value
    }

    /// `3x32x32` (channels × height × width); `32x32` is one channel.
    func volume(_ name: String) throws -> (channels: Int, height: Int, width: Int) {
        guard let text = arguments.string(name) else {
            throw UsageError("--\(name) is missing (channels×height×width, such as 3x32x32)")
        }
        let parts = text.split(whereSeparator: { "x×X*".contains($0) }).map { Int($0) }
        guard parts.allSatisfy({ $0 != nil }), parts.count == 2 || parts.count == 3 else {
            throw UsageError("--\(name) must be channels×height×width such as 3x32x32, got '\(text)'")
        }
        let sizes = parts.compactMap { $0 }
        return sizes.count == 3 ? (sizes[0], sizes[1], sizes[2]) : (1, sizes[0], sizes[1])
    }
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
    let s = try o.integer("stride", default: 1)
    let p = try o.integer("padding", default: 0)
    let d = try o.integer("dilation", default: 1)
    guard k >= 1 else { throw KitError("--filters must be at least 1, got \(k)") }
    guard c >= 1 else { throw KitError("the input must have at least 1 channel, got \(c)") }
    let outH: Int
    let outW: Int
    do {
        outH = try LayerFormulas.convolution(size: h, kernel: f, stride: s, padding: p, dilation: d)
        outW = try LayerFormulas.convolution(size: w, kernel: f, stride: s, padding: p, dilation: d)
    } catch {
        throw KitError("impossible convolution on \(c)×\(h)×\(w): \(error)")
    }
    let span = d * (f - 1) + 1
    let spanText = d == 1 ? "\(f)" : "\(span)"
    print(
        "conv2d: \(k) filter\(k == 1 ? "" : "s") of \(f)×\(f)×\(c) on \(c)×\(h)×\(w), stride \(s), padding \(p)"
            + (d == 1 ? "" : ", dilation \(d)"))
    if d != 1 { print("  dilated kernel span: D(F − 1) + 1 = \(d)·(\(f) − 1) + 1 = \(span)") }
    print("  output height: ⌊(\(h) − \(spanText) + 2·\(p)) / \(s)⌋ + 1 = \(outH)")
    print("  output width:  ⌊(\(w) − \(spanText) + 2·\(p)) / \(s)⌋ + 1 = \(outW)")
    print("  output shape: \(k)×\(outH)×\(outW) (channels×height×width)")
    print("  units: \(k)·\(outH)·\(outW) = \(groupedDigits(k * outH * outW))")
    let parameters = LayerFormulas.convolutionParameters(kernel: f, channels: c, filters: k)
    print("  parameters: (F·F·C + 1)·K = (\(f)·\(f)·\(c) + 1)·\(k) = \(groupedDigits(parameters))")
    let macs = LayerFormulas.convolutionProducts(kernel: f, channels: c, filters: k, height: outH, width: outW)
    print("  multiply-accumulates: H′·W′·K·F·F·C = \(outH)·\(outW)·\(k)·\(f)·\(f)·\(c) = \(groupedDigits(macs))")
    for note in [
        strideNote("height", size: h, span: span, padding: p, stride: s),
        strideNote("width", size: w, span: span, padding: p, stride: s),
    ] {
        if let note { print("  " + note) }
    }
}

private func printPooling(_ o: ShapeOptions) throws {
    let (c, h, w) = try o.volume("input")
    let f = try o.integer("window")
    let s = try o.integer("stride", default: f)
    let outH: Int
    let outW: Int
    do {
        outH = try LayerFormulas.pooling(size: h, window: f, stride: s)
        outW = try LayerFormulas.pooling(size: w, window: f, stride: s)
    } catch {
        throw KitError("impossible pooling on \(c)×\(h)×\(w): \(error)")
    }
    print("pool: \(f)×\(f) window, stride \(s), on \(c)×\(h)×\(w) (each channel on its own)")
    print("  output height: ⌊(\(h) − \(f)) / \(s)⌋ + 1 = \(outH)")
    print("  output width:  ⌊(\(w) − \(f)) / \(s)⌋ + 1 = \(outW)")
    print("  output shape: \(c)×\(outH)×\(outW)")
    print("  units: \(c)·\(outH)·\(outW) = \(groupedDigits(c * outH * outW))")
    print("  parameters: 0")
    print("  multiply-accumulates: 0 (\(groupedDigits(c * outH * outW * f * f)) comparisons or additions)")
    for note in [
        strideNote("height", size: h, span: f, padding: 0, stride: s),
        strideNote("width", size: w, span: f, padding: 0, stride: s),
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
