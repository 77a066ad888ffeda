import Exercises
import Foundation
import NeuralKit

extension StageDemos {
    /// Stage 9's bonus: the walkthrough's 3×4 image mirrored and shifted, then a few images with
    /// five augmentations each (five mini-batches) in a picture, `<folder>/augmentation.svg`.
    static func augmentation(from directory: DataDirectory, to folder: String) {
        print("")
        print("Bonus, data augmentation. The walkthrough's 3×4 image [[1, 2, 3, 4], [5, 6, 7, 8], [9, 8, 7, 6]]:")
        let image = Tensor(shape: [1, 3, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6])
        guard let mirrored = attempt({ Exercises.flippedHorizontally(image) }),
            let shifted = attempt({ Exercises.translated(image, dy: 1, dx: -1) })
        else { return }
        print("  flippedHorizontally           \(imageRows(mirrored))")
        print("  translated(dy: 1, dx: -1)     \(imageRows(shifted))")

        let (images, source, mirrors) = augmentationSamples(directory)
        let augmenter = Exercises.Augmenter(flips: mirrors)
        var generator = SeededGenerator(seed: 9)
        var draws: [Tensor] = []
        for _ in 1...5 {
            guard let batch = attempt({ augmenter.augment(images, using: &generator) }) else { return }
            draws.append(batch)
        }
        let (count, height, width) = (images.shape[0], images.shape[1], images.shape[2])
        var cells: [ImagePictures.CaptionedImage] = []
        for n in 0..<count {
            cells.append(.init(pixels: bytes(images.rows([n])), caption: "image \(n)"))
            for (batch, draw) in draws.enumerated() {
                cells.append(.init(pixels: bytes(draw.rows([n])), caption: "batch \(batch + 1)"))
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = (folder as NSString).appendingPathComponent("augmentation.svg")
            let svg = try ImagePictures.imageGrid(
                cells, height: height, width: width, columns: 6,
                title: "Your Augmenter(flips: \(mirrors)) on \(source)",
                subtitle: "each row: an image, then its changes in five mini-batches (shifts, zooms"
                    + (mirrors ? ", mirroring)" : "; no mirroring for digits)"))
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
            print("  \(count) images of \(source), each augmented in 5 mini-batches: \(path)")
        } catch {
            print("  The picture could not be written: \(error)")
        }
    }

    /// The rows of a [1, H, W] image, as "[[a, b], [c, d]]".
    private static func imageRows(_ image: Tensor) -> String {
        let width = image.shape.last ?? 1
        let rows = stride(from: 0, to: image.count, by: width).map { start in
            "[" + image.scalars[start..<start + width].map { describe($0) }.joined(separator: ", ") + "]"
        }
        return "[" + rows.joined(separator: ", ") + "]"
    }

    /// Four test images of MNIST or else Fashion-MNIST as [4, 28, 28] pixels 0…255, with where they come
    /// from and whether mirroring suits them; without either, four drawn letters F.
    private static func augmentationSamples(_ directory: DataDirectory) -> (Tensor, String, mirrors: Bool) {
        for name in ["mnist", "fashion-mnist"] {
            if let images = try? ImageDataset.load(name, split: .test, from: directory) {
                return (images.subset(0..<4).pixelTensor(), "\(name) test images 0–3", name == "fashion-mnist")
            }
        }
        // An F shows a mirror image at a glance.
        let letter = Tensor(shape: [28, 28]) { index in
            let (row, column) = (index / 28, index % 28)
            let stem = (5..<23).contains(row) && (8..<11).contains(column)
            let arms =
                (5..<8).contains(row) && (8..<20).contains(column)
                || (13..<15).contains(row) && (8..<17).contains(column)
            return stem || arms ? 255 : 0
        }
        return (Tensor(shape: [4, 28, 28]) { letter.scalars[$0 % 784] }, "a drawn letter F (no dataset on disk)", true)
    }

    private static func bytes(_ image: Tensor) -> [UInt8] {
        image.scalars.map { UInt8(min(max($0.rounded(), 0), 255)) }
    }
}
