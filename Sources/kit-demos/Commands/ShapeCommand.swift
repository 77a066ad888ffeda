import NeuralKit

// `kit shape conv2d|pool|dense ...`: the output shape, units, parameters and
// multiply-accumulates of one layer, from the lectures' formulas (`LayerFormulas`).

/// Runs `kit shape` with the arguments after `shape`; prints to stdout and returns the exit status.
func runShapeCommand(_ arguments: [String]) -> Int32 {
    let usage = """
        usage: kit shape conv2d --input CxHxW --kernel F --filters K [--stride S] [--padding P] [--dilation D]
               kit shape pool --input CxHxW --window F [--stride S]
               kit shape dense --inputs M --outputs N
        """
    guard let kind = arguments.first, !["-h", "--help", "help"].contains(kind) else { print(usage); return arguments.isEmpty ? 1 : 0 }
    do {
        let options = try ShapeOptions(Array(arguments.dropFirst()))
        let known: [String: Set<String>] = [
            "conv2d": ["input", "kernel", "filters", "stride", "padding", "dilation"], "pool": ["input", "window", "stride"],
            "dense": ["inputs", "outputs"],
        ]
        let canonical = ["conv": "conv2d", "maxpool": "pool", "avgpool": "pool", "linear": "dense"][kind] ?? kind
        if let allowed = known[canonical] { try options.check(allowed: allowed) }
        switch kind {
        case "conv2d", "conv": try printConvolution(options)
        case "pool", "maxpool", "avgpool": try printPooling(options)
        case "dense", "linear": try printDense(options)
        default: throw KitError("unknown layer '\(kind)': use conv2d, pool or dense")
        }
        return 0
    } catch {
        print("error: \(error)")
        print(usage)
        return 1
    }
}

/// `--name value` pairs.
private final class ShapeOptions {
    private var values: [String: String] = [:]

    init(_ arguments: [String]) throws {
        var i = 0
        while i < arguments.count {
            let name = arguments[i]
            guard name.hasPrefix("--"), i + 1 < arguments.count else {
                throw KitError("expected '--option value', got '\(arguments[i...].joined(separator: " "))'")
            }
            values[String(name.dropFirst(2))] = arguments[i + 1]
            i += 2
        }
    }

    func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw KitError("--\(name) is missing")
        }
        guard let value = Int(text) else { throw KitError("--\(name) must be a whole number, got '\(text)'") }
        return value
    }

    /// `3x32x32` (channels × height × width); `32x32` is one channel.
    func volume(_ name: String) throws -> (channels: Int, height: Int, width: Int) {
        guard let text = values[name] else { throw KitError("--\(name) is missing (channels×height×width, such as 3x32x32)") }
        let parts = text.split(whereSeparator: { "x×X*".contains($0) }).map { Int($0) }
        guard parts.allSatisfy({ $0 != nil }), parts.count == 2 || parts.count == 3 else {
            throw KitError("--\(name) must be channels×height×width such as 3x32x32, got '\(text)'")
        }
        let sizes = parts.compactMap { $0 }
        return sizes.count == 3 ? (sizes[0], sizes[1], sizes[2]) : (1, sizes[0], sizes[1])
    }

    func check(allowed: Set<String>) throws {
        let unknown = Set(values.keys).subtracting(allowed).sorted()
        if !unknown.isEmpty { throw KitError("unknown option\(unknown.count > 1 ? "s" : "") \(unknown.map { "--" + $0 }.joined(separator: ", "))") }
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
    return "note: along the \(dimension), (\(size) − \(span) + 2·\(padding)) = \(room) is not a multiple of the stride \(stride): "
        + "the last \(room % stride) \(dimension == "height" ? "row" : "column")\(room % stride > 1 ? "s" : "") of the padded input "
        + "\(room % stride > 1 ? "are" : "is") never covered (the floor drops \(room % stride > 1 ? "them" : "it"))"
}

private func printConvolution(_ o: ShapeOptions) throws {
    let (c, h, w) = try o.volume("input")
    let f = try o.integer("kernel"), k = try o.integer("filters")
    let s = try o.integer("stride", default: 1), p = try o.integer("padding", default: 0), d = try o.integer("dilation", default: 1)
    guard k >= 1 else { throw KitError("--filters must be at least 1, got \(k)") }
    guard c >= 1 else { throw KitError("the input must have at least 1 channel, got \(c)") }
    let outH: Int, outW: Int
    do {
        outH = try LayerFormulas.convolution(size: h, kernel: f, stride: s, padding: p, dilation: d)
        outW = try LayerFormulas.convolution(size: w, kernel: f, stride: s, padding: p, dilation: d)
    } catch {
        throw KitError("impossible convolution on \(c)×\(h)×\(w): \(error)")
    }
    let span = d * (f - 1) + 1
    let spanText = d == 1 ? "\(f)" : "\(span)"
    print("conv2d: \(k) filter\(k == 1 ? "" : "s") of \(f)×\(f)×\(c) on \(c)×\(h)×\(w), stride \(s), padding \(p)" + (d == 1 ? "" : ", dilation \(d)"))
    if d != 1 { print("  dilated kernel span: D(F − 1) + 1 = \(d)·(\(f) − 1) + 1 = \(span)") }
    print("  output height: ⌊(\(h) − \(spanText) + 2·\(p)) / \(s)⌋ + 1 = \(outH)")
    print("  output width:  ⌊(\(w) − \(spanText) + 2·\(p)) / \(s)⌋ + 1 = \(outW)")
    print("  output shape: \(k)×\(outH)×\(outW) (channels×height×width)")
    print("  units: \(k)·\(outH)·\(outW) = \(groupedDigits(k * outH * outW))")
    let parameters = LayerFormulas.convolutionParameters(kernel: f, channels: c, filters: k)
    print("  parameters: (F·F·C + 1)·K = (\(f)·\(f)·\(c) + 1)·\(k) = \(groupedDigits(parameters))")
    let macs = LayerFormulas.convolutionProducts(kernel: f, channels: c, filters: k, height: outH, width: outW)
    print("  multiply-accumulates: H′·W′·K·F·F·C = \(outH)·\(outW)·\(k)·\(f)·\(f)·\(c) = \(groupedDigits(macs))")
    for note in [strideNote("height", size: h, span: span, padding: p, stride: s), strideNote("width", size: w, span: span, padding: p, stride: s)] {
        if let note { print("  " + note) }
    }
}

private func printPooling(_ o: ShapeOptions) throws {
    let (c, h, w) = try o.volume("input")
    let f = try o.integer("window")
    let s = try o.integer("stride", default: f)
    let outH: Int, outW: Int
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
    for note in [strideNote("height", size: h, span: f, padding: 0, stride: s), strideNote("width", size: w, span: f, padding: 0, stride: s)] {
        if let note { print("  " + note) }
    }
}

private func printDense(_ o: ShapeOptions) throws {
    let m = try o.integer("inputs"), n = try o.integer("outputs")
    guard m >= 1, n >= 1 else { throw KitError("--inputs and --outputs must be at least 1, got \(m) and \(n)") }
    print("dense: \(m) inputs → \(n) outputs")
    print("  output shape: \(n)")
    print("  units: \(n)")
    print("  parameters: (M + 1)·N = (\(m) + 1)·\(n) = \(groupedDigits(LayerFormulas.denseParameters(inputs: m, outputs: n)))")
    print("  multiply-accumulates: M·N = \(m)·\(n) = \(groupedDigits(LayerFormulas.denseProducts(inputs: m, outputs: n)))")
}
