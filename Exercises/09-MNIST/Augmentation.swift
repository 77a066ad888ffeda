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
    // TODO: the same shape; in each H×W plane, row i column j takes the value at row i, column W − 1 − j.
    // `Tensor(shape:value:)` computes each flat index; the column is `index % W`.
    return notImplemented("flippedHorizontally", placeholder: images)
}

/// Shifts every image `dy` rows down and `dx` columns right (negative: up, left), keeping its
/// size: pixel (i, j) of the result is pixel (i − dy, j − dx) of the source. Where that position
/// is outside the image, the result repeats the image's nearest edge pixel, never a zero.
public func translated(_ images: Tensor, dy: Int, dx: Int) -> Tensor {
    // TODO: for each output pixel (i, j), read the source at (i − dy, j − dx), clamped into the
    // image (`min(max(…, 0), H − 1)`): that repeats the edge. Do not write zeros there.
    return notImplemented("translated", placeholder: images)
}

/// Zooms in: crops the window of `height` × `width` pixels whose top-left pixel is (`top`, `left`)
/// from every image and scales it back up to the full image size, by bilinear interpolation
/// between the window's pixels. Every value of the result comes from inside the window.
public func croppedAndResized(_ images: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
    // TODO: output row k of H samples the window at row top + (k + 0.5)·height/H − 0.5, clamped into the
    // window (columns alike); mix the two nearest rows and the two nearest columns by their distances.
    return notImplemented("croppedAndResized", placeholder: images)
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
        // TODO: for each image (`batch.rows([n])`), draw from `generator` a zoom window (a side of
        // `minScale`…1 of the image's, at a random place), a shift (dy, dx) in −maxShift…maxShift and, with
        // `flips`, a coin; apply them with the three functions above, and join the images in order.
        return notImplemented("Augmenter.augment", placeholder: batch)
    }
}
