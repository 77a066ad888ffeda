import NeuralKit

// Stage 9 · Bonus: data augmentation
//
// More training images without collecting any: before each mini-batch goes
// into the network, every image in it is changed a little (mirrored, shifted
// by a pixel or two, zoomed in a little), with new random changes every time,
// so the network cannot learn the exact pixels by heart. Lecture 001 lists
// the transformations and two rules: keep the image size, and never fill what
// comes into view with zeros.
//
// Walkthrough: docs/09-mnist.md, "Data augmentation" · Check: swift test --filter Bonus09
// Replace each `return notImplemented(...)` with your code.

/// Where the pixels of a batch of images are: images `[N, H, W]` or `[N, C, H, W]`, the last two
/// axes each image's rows and columns; `planes` counts the H×W planes (N, or N·C). (Given.)
/// Nil, with the problem reported, for any other shape.
func imagePlanes(_ images: Tensor, in function: String) -> (planes: Int, height: Int, width: Int)? {
    guard images.rank == 3 || images.rank == 4, images.shape.allSatisfy({ $0 > 0 }) else {
        Problems.invalidShape("\(function) needs images [N, H, W] or [N, C, H, W], got shape \(images.shape)")
        return nil
    }
    let (height, width) = (images.shape[images.rank - 2], images.shape[images.rank - 1])
    return (images.count / (height * width), height, width)
}

/// Mirrors every image left to right: column j of the result is column W − 1 − j of the source.
public func flippedHorizontally(_ images: Tensor) -> Tensor {
    guard let grid = imagePlanes(images, in: "flippedHorizontally") else { return images }
    let pixels = images.scalars
    return Tensor(shape: images.shape) { index in
        let column = index % grid.width
        return pixels[index - column + grid.width - 1 - column]
    }
}

/// Shifts every image `dy` rows down and `dx` columns right (negative: up, left), keeping its
/// size: pixel (i, j) of the result is pixel (i − dy, j − dx) of the source. Where that position
/// is outside the image, the result repeats the image's nearest edge pixel, never a zero.
public func translated(_ images: Tensor, dy: Int, dx: Int) -> Tensor {
    guard let grid = imagePlanes(images, in: "translated") else { return images }
    let (height, width) = (grid.height, grid.width)
    let pixels = images.scalars
    return Tensor(shape: images.shape) { index in
        let plane = index / (height * width) * (height * width)
        let (row, column) = (index / width % height, index % width)
        // Clamping the source position into the image replicates the edge.
        let sourceRow = min(max(row - dy, 0), height - 1)
        let sourceColumn = min(max(column - dx, 0), width - 1)
        return pixels[plane + sourceRow * width + sourceColumn]
    }
}

/// Zooms in: crops the window of `height` × `width` pixels whose top-left pixel is (`top`, `left`)
/// from every image and scales it back up to the full image size, by bilinear interpolation
/// between the window's pixels. Every value of the result comes from inside the window.
public func croppedAndResized(_ images: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
    guard let grid = imagePlanes(images, in: "croppedAndResized") else { return images }
    guard top >= 0, left >= 0, height > 0, width > 0, top + height <= grid.height, left + width <= grid.width
    else {
        let window = "the window \(height)×\(width) at (\(top), \(left))"
        Problems.invalidShape("croppedAndResized: \(window) is not inside the \(grid.height)×\(grid.width) image")
        return images
    }
    // Output position k of `size` samples the window at the centre of the k-th of `size` equal
    // parts of its `extent` pixels; the two neighbouring pixels and the weight of the second.
    func sample(_ k: Int, of size: Int, start: Int, extent: Int) -> (Int, Int, Double) {
        let position = min(max((Double(k) + 0.5) * Double(extent) / Double(size) - 0.5, 0), Double(extent - 1))
        let low = Int(position)
        return (start + low, start + min(low + 1, extent - 1), position - Double(low))
    }
    let rows = (0..<grid.height).map { sample($0, of: grid.height, start: top, extent: height) }
    let columns = (0..<grid.width).map { sample($0, of: grid.width, start: left, extent: width) }
    let pixels = images.scalars
    let planeSize = grid.height * grid.width
    return Tensor(shape: images.shape) { index in
        let plane = index / planeSize * planeSize
        let (row0, row1, rowWeight) = rows[index / grid.width % grid.height]
        let (column0, column1, columnWeight) = columns[index % grid.width]
        func pixel(_ row: Int, _ column: Int) -> Double { pixels[plane + row * grid.width + column] }
        // a + (b − a)·t rather than a·(1 − t) + b·t: equal neighbours give exactly their value.
        func between(_ a: Double, _ b: Double, _ t: Double) -> Double { a + (b - a) * t }
        let upper = between(pixel(row0, column0), pixel(row0, column1), columnWeight)
        let lower = between(pixel(row1, column0), pixel(row1, column1), columnWeight)
        return between(upper, lower, rowWeight)
    }
}

/// Random changes for every mini-batch: `augment` gives each image of the batch its own draw of
/// a zoom (a window of `minScale`…1 of each side, scaled back up), a shift of up to `maxShift`
/// pixels each way and, with `flips`, a left-right mirror half of the time. (Given: the settings.)
///
/// Flips are off unless asked for: a mirrored 2 or 7 is no longer a digit, but a mirrored shirt is
/// still a shirt (Fashion-MNIST).
public struct Augmenter: Sendable, Equatable {
    /// Whether to mirror images left to right, half of the time.
    public var flips: Bool
    /// The largest shift, in pixels, up or down and left or right.
    public var maxShift: Int
    /// The smallest zoom window, as a fraction of each side (1: no zoom).
    public var minScale: Double

    public init(flips: Bool = false, maxShift: Int = 2, minScale: Double = 0.85) {
        self.flips = flips
        self.maxShift = maxShift
        self.minScale = minScale
    }

    /// The batch of images `[N, H, W]` or `[N, C, H, W]`, each image changed by its own random draw
    /// from `generator` (the channels of one image share it). Call it once per mini-batch: the
    /// generator moves on, so the next batch gets new draws.
    public func augment(_ batch: Tensor, using generator: inout SeededGenerator) -> Tensor {
        guard let grid = imagePlanes(batch, in: "Augmenter.augment") else { return batch }
        guard maxShift >= 0, minScale > 0, minScale <= 1 else {
            Problems.invalidShape("Augmenter needs maxShift ≥ 0 and minScale in (0, 1], got \(maxShift), \(minScale)")
            return batch
        }
        var scalars: [Double] = []
        scalars.reserveCapacity(batch.count)
        for index in 0..<batch.rowCount {
            var image = batch.rows([index])
            let scale = generator.uniform(minScale, 1)
            let height = max(1, Int((scale * Double(grid.height)).rounded()))
            let width = max(1, Int((scale * Double(grid.width)).rounded()))
            let top = generator.nextInt(below: grid.height - height + 1)
            let left = generator.nextInt(below: grid.width - width + 1)
            if height < grid.height || width < grid.width {
                image = croppedAndResized(image, top: top, left: left, height: height, width: width)
            }
            let dy = generator.nextInt(below: 2 * maxShift + 1) - maxShift
            let dx = generator.nextInt(below: 2 * maxShift + 1) - maxShift
            if dy != 0 || dx != 0 { image = translated(image, dy: dy, dx: dx) }
            if flips, generator.nextUnit() < 0.5 { image = flippedHorizontally(image) }
            scalars += image.scalars
        }
        return Tensor(shape: batch.shape, scalars: scalars)
    }
}
