import Foundation

/// Labelled greyscale images as stored: `count` images of `height × width`
/// unsigned-byte pixels (0 = background, 255 = ink for MNIST) and a label each.
///
/// `pixels` is row-major: image `i` is `pixels[i*h*w ..< (i+1)*h*w]`, row by
/// row. `flattened()` is the usual preprocessing (one row of `h*w` values in
/// [0, 1] per image); `pixelTensor()` keeps the raw values and the image shape.
public struct ImageDataset: Sendable, Equatable {
    public var pixels: [UInt8]
    public var labels: [Int]
    public var count: Int
    public var height: Int
    public var width: Int
    public var classNames: [String]
    /// What it is, for messages: "MNIST handwritten digits (test)".
    public var title: String

    /// Checks that the pixels fit `count × height × width` and that the labels are classes.
    public init(
        pixels: [UInt8], labels: [Int], height: Int, width: Int, classNames: [String],
        title: String = "images"
    ) throws {
        guard height > 0, width > 0, pixels.count == labels.count * height * width else {
            throw KitError("\(title): \(pixels.count) pixels do not make \(labels.count) images of \(height)×\(width)")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classNames.count }) {
            throw KitError("\(title): label \(labels[bad]) of image \(bad) is not a class in 0..<\(classNames.count)")
        }
        self.pixels = pixels
        self.labels = labels
        self.count = labels.count
        self.height = height
        self.width = width
        self.classNames = classNames
        self.title = title
    }

    /// The number of pixels of one image.
    public var pixelsPerImage: Int { height * width }

    /// The pixels of image `index`, row by row (empty when out of range).
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        guard index >= 0, index < count else { return [] }
        return pixels[index * pixelsPerImage..<(index + 1) * pixelsPerImage]
    }

    /// The images in `range` (clamped to the valid ones), e.g. a quick subset.
    public func subset(_ range: Range<Int>) -> ImageDataset {
        let kept = range.clamped(to: 0..<count)
        var copy = self
        copy.pixels = Array(pixels[kept.lowerBound * pixelsPerImage..<kept.upperBound * pixelsPerImage])
        copy.labels = Array(labels[kept])
        copy.count = kept.count
        return copy
    }

    /// The raw pixel values 0…255 as a `[count, height, width]` tensor.
    public func pixelTensor() -> Tensor {
        Tensor(shape: [count, height, width], scalars: pixels.map(Double.init))
    }

    /// The usual preprocessing: each image flattened to one row of
    /// `height × width` values scaled to [0, 1] (pixel / 255): inputs
    /// `[count, height*width]`, with the labels and class names.
    public func flattened() -> Dataset {
        let scale = 1.0 / 255.0
        let inputs = Tensor(shape: [count, pixelsPerImage], scalars: pixels.map { Double($0) * scale })
        return Dataset(validInputs: inputs, labels: labels, classCount: classNames.count, classNames: classNames)
    }

    /// How many images each class has, indexed by class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels { counts[label] += 1 }
        return counts
    }
}

extension ImageDataset {
    /// Loads a split of a known dataset (`mnist`, `fashion-mnist`) from the
    /// data directory (see `DataDirectory`: `--data-dir` > `NEURALKIT_DATA` > `./data`).
    public static func load(
        _ name: String, split: DatasetSplit,
        from directory: DataDirectory = .resolve()
    ) throws -> ImageDataset {
        try load(DatasetCatalog.named(name), split: split, from: directory)
    }

    /// Loads a split of `dataset` from the data directory. The files are found
    /// in a subfolder named for the dataset or directly in the directory,
    /// `.gz` or uncompressed; their checksums are NOT required to match the
    /// published ones (recompressed copies are fine): the IDX reader checks the content.
    public static func load(
        _ dataset: DatasetDescription, split: DatasetSplit,
        from directory: DataDirectory = .resolve()
    ) throws -> ImageDataset {
        let names = dataset.fileNames(for: split)
        let imagesPath = try directory.locate(names.images, of: dataset)
        let labelsPath = try directory.locate(names.labels, of: dataset)
        return try load(
            images: imagesPath, labels: labelsPath, classNames: dataset.classNames,
            title: "\(dataset.title) (\(split.rawValue))")
    }

    /// Loads an images file (IDX, 3 dimensions: count × height × width) and a
    /// labels file (IDX, 1 dimension: count) that belong together.
    public static func load(
        images imagesPath: String, labels labelsPath: String,
        classNames: [String], title: String = "images"
    ) throws -> ImageDataset {
        let imagesName = (imagesPath as NSString).lastPathComponent
        let labelsName = (labelsPath as NSString).lastPathComponent
        let images = try IDX.read(contentsOf: imagesPath, itemName: "images")
        guard images.dimensions.count == 3 else {
            throw KitError(
                "\(imagesName): expected images (3 dimensions: count × height × width), found an array of \(images.dimensions.count) dimension\(images.dimensions.count == 1 ? "" : "s") \(images.dimensions) — is it a labels file?"
            )
        }
        guard images.dimensions[1] > 0, images.dimensions[2] > 0 else {
            throw KitError(
                "\(imagesName): images of \(images.dimensions[1])×\(images.dimensions[2]) pixels have no pixels")
        }
        let labels = try IDX.read(contentsOf: labelsPath, itemName: "labels")
        guard labels.dimensions.count == 1 else {
            throw KitError(
                "\(labelsName): expected labels (1 dimension), found an array of \(labels.dimensions.count) dimensions \(labels.dimensions) — is it an images file?"
            )
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw KitError(
                "\(imagesName) holds \(images.dimensions[0]) images but \(labelsName) holds \(labels.dimensions[0]) labels: the two files do not belong together (mixed-up splits or datasets?)"
            )
        }
        if let bad = labels.bytes.firstIndex(where: { Int($0) >= classNames.count }) {
            throw KitError(
                "\(labelsName): label \(labels.bytes[bad]) at index \(bad) is not a class in 0..<\(classNames.count) (corrupt file, or not a \(classNames.count)-class dataset)"
            )
        }
        return try ImageDataset(
            pixels: images.bytes, labels: labels.bytes.map(Int.init),
            height: images.dimensions[1], width: images.dimensions[2],
            classNames: classNames, title: title)
    }
}
