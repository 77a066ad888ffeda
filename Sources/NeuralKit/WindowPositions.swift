/// The positions of a window of `span` cells moving by `stride` over `size`
/// cells with `padding` zeros added on each side: `⌊(size + 2·padding − span) / stride⌋ + 1`.
/// The layers' output shapes use it; it throws a `KitError` naming `layer` when no position fits.
public func windowPositions(size: Int, span: Int, stride: Int, padding: Int = 0, layer: String) throws -> Int {
    guard size >= 1, span >= 1, stride >= 1, padding >= 0 else {
        throw KitError(
            "\(layer): an input of \(size), a window of \(span), a stride of \(stride) and a padding of "
                + "\(padding) do not make a layer (sizes and stride must be at least 1, padding at least 0)")
    }
    let room = size + 2 * padding
    guard span <= room else {
        throw KitError(
            "\(layer): its window spans \(span) pixels but the padded input has \(room) "
                + "(\(size) + 2·\(padding)): it fits nowhere")
    }
    return (room - span) / stride + 1
}
