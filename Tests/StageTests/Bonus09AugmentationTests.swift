import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 9, optional: data augmentation (lecture 001) — flips, shifts and zooms that keep the
/// image size and never zero-pad, drawn anew for every image of every mini-batch.
///
/// Where the lecture allows more than one answer (what fills the pixels a shift brings into view,
/// how a zoom interpolates, the order of the random draws), the checks test properties that every
/// correct answer has, not the reference's exact numbers.
@Suite("Stage 9 · Bonus: data augmentation")
struct Bonus09Augmentation {
    @Test("the walkthrough's 3×4 image, mirrored, and shifted one row down and one column left")
    func walkthroughExample() throws {
        // docs/09-mnist.md, "Data augmentation".
        let image = Tensor(shape: [1, 3, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6])
        let (mirrored, shifted) = try student(9) {
            (Exercises.flippedHorizontally(image), Exercises.translated(image, dy: 1, dx: -1))
        }
        expectClose(
            mirrored, Tensor(shape: [1, 3, 4], scalars: [4, 3, 2, 1, 8, 7, 6, 5, 6, 7, 8, 9]),
            "the image mirrored left to right", tolerance: .tight,
            hint: mirrored == flippedVertically(image)
                ? "that flipped top to bottom: a horizontal flip reverses each row (the last axis)" : nil)
        // With the edge repeated: [2, 3, 4, 4], [2, 3, 4, 4], [6, 7, 8, 8]. Another fill that takes pixels
        // of the image is as good, so only the moved pixels (rows 1–2, columns 0–2) are compared.
        let moved = interiorMismatch(
            shifted, Tensor(shape: [1, 3, 4], scalars: [2, 3, 4, 4, 2, 3, 4, 4, 6, 7, 8, 8]), dy: 1, dx: -1)
        logComparison(
            "the moved pixels of the image shifted by (dy: 1, dx: -1)", ComparedValue.describe(shifted),
            "[[[·, ·, ·, ·], [2, 3, 4, ·], [6, 7, 8, ·]]] (· : a fill from the image)", passed: moved == nil)
        check(
            moved == nil,
            "translated(dy: 1, dx: -1): \(moved ?? ""). " + translationHint(shifted, image, Shift(dy: 1, dx: -1)))
        check(
            staysWithinItsPlane(shifted, image),
            "translated(dy: 1, dx: -1) filled the new row and column with values that are not the image's "
                + "(\(ComparedValue.describe(shifted))): repeat the nearest edge pixel, never zero-pad (lecture 001)")
    }

    // MARK: Flips

    @Test("a horizontal flip mirrors each row, as the reference does, on [N, H, W] and [N, C, H, W]")
    func flipMatchesReference() throws {
        for shape in [[3, 4, 5], [2, 3, 4, 6]] {
            let images = brightImages(shape, seed: 90)
            let actual = try student(9) { Exercises.flippedHorizontally(images) }
            let expected = try reference(images) { Solutions.flippedHorizontally(images) }
            expectClose(
                actual, expected, "the flip of images \(shape)", tolerance: .tight,
                hint: actual == flippedVertically(images)
                    ? "that flipped top to bottom: a horizontal flip reverses each row (the last axis)"
                    : "column j of each image must become column W − 1 − j, in every image and channel")
        }
    }

    @Test("flipping twice gives the images back")
    func flipTwiceIsIdentity() throws {
        let images = brightImages([4, 2, 5, 7], seed: 91)
        let twice = try student(9) { Exercises.flippedHorizontally(Exercises.flippedHorizontally(images)) }
        expectClose(twice, images, "the images flipped twice", tolerance: .tight)
    }

    // MARK: Translations

    @Test("a translation by (dy, dx) moves the content dy rows down and dx columns right", arguments: shifts)
    func translationMovesTheContent(shift: Shift) throws {
        let images = brightImages([3, 2, 8, 9], seed: 92)
        let actual = try student(9) { Exercises.translated(images, dy: shift.dy, dx: shift.dx) }
        let expected = try reference(images, shift.dy, shift.dx) {
            Solutions.translated(images, dy: shift.dy, dx: shift.dx)
        }
        try #require(actual.shape == images.shape, sizeMessage("translated", actual, images))
        // The pixels whose source is inside the image are fixed; the rest is the fill, checked below.
        let movedBack = interiorMismatch(actual, expected, dy: shift.dy, dx: shift.dx)
        check(
            movedBack == nil,
            "after translated(dy: \(shift.dy), dx: \(shift.dx)), \(movedBack ?? ""). "
                + translationHint(actual, images, shift))
    }

    @Test("a translation fills what comes into view from the image itself, never with zeros", arguments: shifts)
    func translationNeverZeroPads(shift: Shift) throws {
        let images = brightImages([3, 2, 6, 7], seed: 93)
        let actual = try student(9) { Exercises.translated(images, dy: shift.dy, dx: shift.dx) }
        try #require(actual.shape == images.shape, sizeMessage("translated", actual, images))
        check(
            staysWithinItsPlane(actual, images),
            "translated(dy: \(shift.dy), dx: \(shift.dx)) brought values into view that no pixel of the "
                + "same image has (\(describe(actual.min())) … \(describe(actual.max())), the images hold 1 … 2): "
                + "lecture 001 says never to zero-pad; repeat the nearest edge pixel instead")
    }

    // MARK: Crop and resize

    @Test("cropping the whole image and resizing it changes nothing")
    func fullCropIsIdentity() throws {
        let images = brightImages([2, 6, 9], seed: 94)
        let actual = try student(9) { Exercises.croppedAndResized(images, top: 0, left: 0, height: 6, width: 9) }
        expectClose(
            actual, images, "the images cropped to their own size", tolerance: .tight,
            hint: "a window as large as the image scales by 1: every pixel must stay where it is")
    }

    @Test("a crop keeps the size and takes every value from inside its window", arguments: windows)
    func cropStaysInsideItsWindow(window: Window) throws {
        // Zeros outside the window, values in 1…2 inside: anything below 1 came from outside it.
        var generator = testGenerator(seed: 95)
        let images = Tensor(shape: [3, 10, 12]) { index in
            let (row, column) = (index / 12 % 10, index % 12)
            return window.contains(row, column) ? generator.uniform(1, 2) : 0
        }
        let actual = try student(9) {
            Exercises.croppedAndResized(
                images, top: window.top, left: window.left, height: window.height, width: window.width)
        }
        try #require(actual.shape == images.shape, sizeMessage("croppedAndResized", actual, images))
        check(
            actual.min() >= 1 - 1e-12 && actual.max() <= 2 + 1e-12,
            "croppedAndResized(\(window)) gave values \(describe(actual.min())) … \(describe(actual.max())), but the "
                + "window holds only 1 … 2: read only inside the window (rows top..<top+height, columns "
                + "left..<left+width), and scale it up to fill the whole image instead of padding")
    }

    @Test("a crop scales its window up to the whole image: a ramp stays a ramp across the window", arguments: windows)
    func cropStretchesTheWindow(window: Window) throws {
        // Pixel (i, j) holds 100·i + j: the result's rows and columns must run across the window's.
        let images = Tensor(shape: [1, 10, 12]) { index in Double(100 * (index / 12) + index % 12) }
        let actual = try student(9) {
            Exercises.croppedAndResized(
                images, top: window.top, left: window.left, height: window.height, width: window.width)
        }
        try #require(actual.shape == images.shape, sizeMessage("croppedAndResized", actual, images))
        let corners = [actual[0, 0, 0], actual[0, 9, 11]]
        let first = Double(100 * window.top + window.left)
        let last = Double(100 * (window.top + window.height - 1) + window.left + window.width - 1)
        // Any interpolation samples near the window's corners; within one pixel of them here.
        check(
            abs(corners[0] - first) <= 101 && abs(corners[1] - last) <= 101,
            "croppedAndResized(\(window)) of the image with pixel (i, j) = 100·i + j has corners "
                + "\(describe(corners[0])) and \(describe(corners[1])); the window's corners are "
                + "\(describe(first)) and \(describe(last)): "
                + "the top-left output pixel comes from near (top, left), the bottom-right one from near "
                + "(top + height − 1, left + width − 1) (are top and left swapped?)")
        let rowsIncrease = (0..<10).allSatisfy { i in
            (1..<12).allSatisfy { j in actual[0, i, j] >= actual[0, i, j - 1] }
        }
        let columnsIncrease = (0..<12).allSatisfy { j in
            (1..<10).allSatisfy { i in actual[0, i, j] >= actual[0, i - 1, j] }
        }
        let increasing = rowsIncrease && columnsIncrease
        check(increasing, "croppedAndResized turned or mirrored the window: it must keep its orientation")
    }

    // MARK: The augmenter

    @Test("augment keeps the shape and never brings a zero into view", arguments: seeds)
    func augmentNeverZeroPads(seed: UInt64) throws {
        for shape in [[16, 10, 10], [8, 3, 9, 11]] {
            let images = brightImages(shape, seed: seed &+ 96)
            var generator = testGenerator(seed: seed &+ 97)
            let augmenter = Exercises.Augmenter(flips: true, maxShift: 3, minScale: 0.6)
            let actual = try student(9) { augmenter.augment(images, using: &generator) }
            try #require(actual.shape == images.shape, sizeMessage("augment", actual, images))
            check(
                staysWithinItsPlane(actual, images),
                "augment of images \(shape) with pixels in 1 … 2 gave values \(describe(actual.min())) … "
                    + "\(describe(actual.max())), or values outside the range of the image they stand in: "
                    + "a shift or zoom must fill from the image itself, never with zeros (lecture 001)")
        }
        let ones = Tensor(ones: [10, 12, 12])
        var generator = testGenerator(seed: seed &+ 98)
        let augmented = try student(9) {
            Exercises.Augmenter(flips: true, maxShift: 3, minScale: 0.6).augment(ones, using: &generator)
        }
        expectClose(
            augmented, ones, "all-ones images augmented", tolerance: .tight,
            hint: "an image of ones must stay all ones: a zero there is zero padding")
    }

    @Test("with nothing to change, augment gives the images back")
    func augmentWithoutChangesIsIdentity() throws {
        let images = brightImages([6, 2, 7, 7], seed: 99)
        var generator = testGenerator(seed: 100)
        let actual = try student(9) {
            Exercises.Augmenter(flips: false, maxShift: 0, minScale: 1).augment(images, using: &generator)
        }
        expectClose(
            actual, images, "augment with no flips, no shift and no zoom", tolerance: .tight,
            hint: "keep the images in their order, and change nothing that the settings turn off")
    }

    @Test("with flips only, each image is left as it is or mirrored, about half of them each")
    func augmentFlipsAboutHalf() throws {
        let images = brightImages([60, 5, 6], seed: 101)
        var generator = testGenerator(seed: 102)
        let actual = try student(9) {
            Exercises.Augmenter(flips: true, maxShift: 0, minScale: 1).augment(images, using: &generator)
        }
        try #require(actual.shape == images.shape, sizeMessage("augment", actual, images))
        let mirrored = flippedHorizontallyByTheChecks(images)
        var flipped = 0
        for n in 0..<60 {
            let (image, result) = (images.rows([n]), actual.rows([n]))
            if result == mirrored.rows([n]) {
                flipped += 1
            } else if result != image {
                check(false, "with flips only, image \(n) came out neither as it was nor mirrored")
                return
            }
        }
        check(
            (15...45).contains(flipped),
            "with flips on, augment mirrored \(flipped) of 60 images; about half should be: "
                + "draw a new coin for every image (generator.nextUnit() < 0.5)")
    }

    @Test("with shifts only, each image moves by its own (dy, dx) within maxShift")
    func augmentShiftsEachImageWithinRange() throws {
        let images = brightImages([30, 9, 9], seed: 103)
        var generator = testGenerator(seed: 104)
        let actual = try student(9) {
            Exercises.Augmenter(flips: false, maxShift: 2, minScale: 1).augment(images, using: &generator)
        }
        try #require(actual.shape == images.shape, sizeMessage("augment", actual, images))
        var found: Set<Shift> = []
        for n in 0..<30 {
            let shift = shifts(within: 2).first {
                interiorMismatch(actual.rows([n]), translatedByTheChecks(images.rows([n]), $0), dy: $0.dy, dx: $0.dx)
                    == nil
            }
            guard let shift else {
                check(
                    false,
                    "with maxShift 2 and no flips or zoom, image \(n) is not a translation of its source by "
                        + "−2…2 rows and columns")
                return
            }
            found.insert(shift)
        }
        check(
            found.count >= 5,
            "augment moved 30 images by only \(found.count) different shifts: draw dy and dx anew for every image")
    }

    @Test("each call draws anew (each mini-batch changes differently), and the same seed gives the same draws")
    func augmentDrawsPerBatchFromTheGenerator() throws {
        let images = brightImages([8, 10, 10], seed: 105)
        let augmenter = Exercises.Augmenter(flips: true, maxShift: 2, minScale: 0.8)
        var generator = testGenerator(seed: 106)
        var again = testGenerator(seed: 106)
        let (first, second, repeated) = try student(9) { () -> (Tensor, Tensor, Tensor) in
            (
                augmenter.augment(images, using: &generator), augmenter.augment(images, using: &generator),
                augmenter.augment(images, using: &again)
            )
        }
        check(
            first != second,
            "two mini-batches augmented one after the other changed the same way: draw from `generator` "
                + "(its state moves on), not from a fixed seed")
        expectClose(
            repeated, first, "the same batch augmented from the same seed", tolerance: .tight,
            hint: "draw every random number from `generator`, nothing else (no Double.random)")
        let copies = Tensor(shape: [12, 10, 10]) { images.scalars[$0 % 100] }
        var oneMore = testGenerator(seed: 107)
        let augmentedCopies = try student(9) { augmenter.augment(copies, using: &oneMore) }
        let distinct = Set((0..<12).map { augmentedCopies.rows([$0]).scalars })
        check(
            distinct.count > 1,
            "12 copies of one image in a batch came out identical: draw new changes for every image, "
                + "not once per batch")
    }

    @Test("the channels of one image change together")
    func augmentSharesTheDrawAcrossChannels() throws {
        // Three identical channels stay identical only if they share the image's draw.
        let planes = brightImages([10, 1, 8, 8], seed: 108)
        let images = Tensor(shape: [10, 3, 8, 8]) { index in planes.scalars[index / 192 * 64 + index % 64] }
        var generator = testGenerator(seed: 109)
        let actual = try student(9) {
            Exercises.Augmenter(flips: true, maxShift: 2, minScale: 0.7).augment(images, using: &generator)
        }
        try #require(actual.shape == images.shape, sizeMessage("augment", actual, images))
        // Image n's channel c starts at n·192 + c·64.
        let channels = (0..<30).map { Array(actual.scalars[$0 * 64..<($0 + 1) * 64]) }
        var together = true
        for n in 0..<10 where channels[3 * n + 1] != channels[3 * n] || channels[3 * n + 2] != channels[3 * n] {
            together = false
        }
        check(
            together,
            "the 3 channels of an image were changed differently: draw once per image ([N, C, H, W]: "
                + "batch.rows([n]) is one image with all its channels)")
    }
}

// MARK: - Inputs and properties of the checks

/// A shift of the checks; Hashable to count distinct shifts.
struct Shift: Hashable, Sendable, CustomTestStringConvertible {
    var dy: Int, dx: Int
    var testDescription: String { "(dy: \(dy), dx: \(dx))" }
}

/// Shifts in every direction, dy ≠ dx so that swapping them shows.
private let shifts = [Shift(dy: 1, dx: -2), Shift(dy: -3, dx: 2), Shift(dy: 0, dx: 4), Shift(dy: 2, dx: 0)]

private func shifts(within limit: Int) -> [Shift] {
    (-limit...limit).flatMap { dy in (-limit...limit).map { Shift(dy: dy, dx: $0) } }
}

/// A crop window of a 10×12 image, top ≠ left so that swapping them shows.
struct Window: Sendable, CustomStringConvertible, CustomTestStringConvertible {
    var top: Int, left: Int, height: Int, width: Int
    func contains(_ row: Int, _ column: Int) -> Bool {
        (top..<top + height).contains(row) && (left..<left + width).contains(column)
    }
    var description: String { "top: \(top), left: \(left), height: \(height), width: \(width)" }
    var testDescription: String { description }
}

private let windows = [
    Window(top: 1, left: 3, height: 8, width: 9), Window(top: 4, left: 0, height: 5, width: 6),
    Window(top: 0, left: 2, height: 10, width: 7),
]

/// Images with every pixel in 1…2: a 0 in a result came from outside them.
private func brightImages(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = testGenerator(seed: seed)
    return Tensor.uniform(shape: shape, low: 1, high: 2, using: &generator)
}

private func sizeMessage(_ function: String, _ actual: Tensor, _ images: Tensor) -> Comment {
    Comment(
        rawValue: "\(function) of images \(images.shape) gave shape \(actual.shape): augmentation keeps the "
            + "image size (lecture 001), and the batch's")
}

/// The image size of a batch [N, H, W] or [N, C, H, W].
private func imageSize(_ images: Tensor) -> (height: Int, width: Int) {
    (images.shape[images.rank - 2], images.shape[images.rank - 1])
}

/// `images` with each pixel (row, column) of each plane read from `source(row, column)` of the same plane:
/// the checks' own flips and shifts.
private func remapped(_ images: Tensor, _ source: (Int, Int) -> (row: Int, column: Int)) -> Tensor {
    let (height, width) = imageSize(images)
    var result: [Double] = []
    result.reserveCapacity(images.count)
    for start in stride(from: 0, to: images.count, by: height * width) {
        for row in 0..<height {
            for column in 0..<width {
                let from = source(row, column)
                result.append(images.scalars[start + from.row * width + from.column])
            }
        }
    }
    return Tensor(shape: images.shape, scalars: result)
}

/// The checks' own mirror image (to name a wrong flip, and to recognise flipped images).
private func flippedHorizontallyByTheChecks(_ images: Tensor) -> Tensor {
    let width = imageSize(images).width
    return remapped(images) { ($0, width - 1 - $1) }
}

private func flippedVertically(_ images: Tensor) -> Tensor {
    let height = imageSize(images).height
    return remapped(images) { (height - 1 - $0, $1) }
}

/// The checks' own translation, with the edge repeated: only the pixels that moved are compared.
private func translatedByTheChecks(_ images: Tensor, _ shift: Shift) -> Tensor {
    let (height, width) = imageSize(images)
    return remapped(images) { (min(max($0 - shift.dy, 0), height - 1), min(max($1 - shift.dx, 0), width - 1)) }
}

/// Where `actual` and `expected` differ at a pixel whose source (i − dy, j − dx) is inside the image,
/// described; nil when they agree on all of those.
private func interiorMismatch(_ actual: Tensor, _ expected: Tensor, dy: Int, dx: Int) -> String? {
    guard actual.shape == expected.shape else { return "the shape is \(actual.shape), not \(expected.shape)" }
    let (height, width) = imageSize(actual)
    for plane in 0..<actual.count / (height * width) {
        for row in stride(from: max(dy, 0), to: min(height + dy, height), by: 1) {
            for column in stride(from: max(dx, 0), to: min(width + dx, width), by: 1) {
                let index = (plane * height + row) * width + column
                guard abs(actual.scalars[index] - expected.scalars[index]) > 1e-12 else { continue }
                return "pixel (\(row), \(column)) of plane \(plane) is \(describe(actual.scalars[index])), "
                    + "expected \(describe(expected.scalars[index]))"
            }
        }
    }
    return nil
}

/// Whether every value of each H×W plane of `actual` lies between the smallest and the largest value of
/// the same plane of `source`: true of any fill taken from the image and of any interpolation, false of zeros.
private func staysWithinItsPlane(_ actual: Tensor, _ source: Tensor) -> Bool {
    let size = source.shape[source.rank - 2] * source.shape[source.rank - 1]
    return stride(from: 0, to: source.count, by: size).allSatisfy { start in
        let (low, high) = (source.scalars[start..<start + size].min()!, source.scalars[start..<start + size].max()!)
        return actual.scalars[start..<start + size].allSatisfy { $0 >= low - 1e-12 && $0 <= high + 1e-12 }
    }
}

private func translationHint(_ actual: Tensor, _ images: Tensor, _ shift: Shift) -> String {
    if interiorMismatch(
        actual, translatedByTheChecks(images, Shift(dy: -shift.dy, dx: -shift.dx)),
        dy: -shift.dy, dx: -shift.dx) == nil
    {
        return "The content moved the other way: pixel (i, j) of the result is pixel (i − dy, j − dx) of the source"
    }
    if interiorMismatch(
        actual, translatedByTheChecks(images, Shift(dy: shift.dx, dx: shift.dy)),
        dy: shift.dx, dx: shift.dy) == nil
    {
        return "dy and dx are swapped: dy moves rows (down), dx moves columns (right)"
    }
    return "Pixel (i, j) of the result is pixel (i − dy, j − dx) of the source, in every image and channel"
}
