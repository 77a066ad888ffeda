import Foundation
import NeuralKit
import Testing

/// Where real data may be: `NEURALKIT_DATA`, or the project's neighbour
/// `shared/datasets/` (found from this file's path, a few folders up).
enum DataTestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let sharedDatasets: String? = {
        var folder = packageRoot
        for _ in 0..<3 {
            folder = (folder as NSString).deletingLastPathComponent
            let candidate = (folder as NSString).appendingPathComponent("shared/datasets")
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// `NEURALKIT_DATA` when set, else the shared datasets folder.
    static let realData: DataDirectory? = {
        if let variable = ProcessInfo.processInfo.environment[DataDirectory.environmentVariable], !variable.isEmpty {
            return DataDirectory(path: variable, source: .environment)
        }
        return sharedDatasets.map { DataDirectory(path: $0, source: .option) }
    }()

    static func has(_ dataset: DatasetDescription, _ split: DatasetSplit) -> Bool {
        guard let realData else { return false }
        let names = dataset.fileNames(for: split)
        let found =
            (try? realData.locate(names.images, of: dataset)) != nil
            && (try? realData.locate(names.labels, of: dataset)) != nil
        if !found { print("skipped: no real data (\(dataset.name) \(split.rawValue) not in \(realData.path))") }
        return found
    }
}

/// A small MNIST-like split: `count` images of 28×28 and their labels.
private func writeSplit(
    in folder: String, split: String = "t10k", count: Int, labels: [UInt8]? = nil,
    labelCount: Int? = nil, compressed: Bool = true, seed: UInt64 = 1
) throws -> (pixels: [UInt8], labels: [UInt8]) {
    let pixels = dataTestBytes(count * 28 * 28, seed: seed)
    let labels = labels ?? dataTestBytes(labelCount ?? count, seed: seed + 1, below: 10)
    let suffix = compressed ? ".gz" : ""
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try IDX.write(
        IDXArray(dimensions: [count, 28, 28], bytes: pixels),
        to: (folder as NSString).appendingPathComponent("\(split)-images-idx3-ubyte\(suffix)"), compressed: compressed)
    try IDX.write(
        IDXArray(dimensions: [labels.count], bytes: labels),
        to: (folder as NSString).appendingPathComponent("\(split)-labels-idx1-ubyte\(suffix)"), compressed: compressed)
    return (pixels, labels)
}

@Suite("Data · data directory and loader")
struct DataLoaderTests {
    @Test("--data-dir beats NEURALKIT_DATA, which beats ./data; relative paths start at the current folder")
    func resolution() {
        let environment = ["NEURALKIT_DATA": "/env/data"]
        #expect(
            DataDirectory.resolve(option: "/opt/d", environment: environment, currentDirectory: "/cwd")
                == DataDirectory(path: "/opt/d", source: .option))
        #expect(
            DataDirectory.resolve(option: nil, environment: environment, currentDirectory: "/cwd").path == "/env/data")
        #expect(
            DataDirectory.resolve(option: nil, environment: environment, currentDirectory: "/cwd").source
                == .environment)
        let standard = DataDirectory.resolve(option: nil, environment: [:], currentDirectory: "/cwd")
        #expect(standard.path == "/cwd/data" && standard.source == .standard)
        #expect(
            DataDirectory.resolve(option: "../shared/datasets", environment: [:], currentDirectory: "/work/main").path
                == "/work/shared/datasets")
        #expect(
            DataDirectory.resolve(option: nil, environment: ["NEURALKIT_DATA": "sets"], currentDirectory: "/cwd").path
                == "/cwd/sets")
    }

    @Test("loads a split from the dataset's subfolder, gzip-compressed")
    func loadsFromSubfolder() throws {
        let folder = DataTestFolder()
        let written = try writeSplit(in: folder.file("mnist"), count: 7)
        let images = try ImageDataset.load("mnist", split: .test, from: DataDirectory(path: folder.path))
        #expect(images.count == 7 && images.height == 28 && images.width == 28)
        #expect(images.pixels == written.pixels)
        #expect(images.labels == written.labels.map(Int.init))
        #expect(images.classNames == (0..<10).map(String.init))
        #expect(Array(images.image(1)) == Array(written.pixels[784..<1568]))
        #expect(images.image(7).isEmpty)
        #expect(images.title == "MNIST handwritten digits (test)")
    }

    @Test("loads uncompressed files placed directly in the data directory")
    func loadsDirectUncompressed() throws {
        let folder = DataTestFolder()
        let written = try writeSplit(in: folder.path, split: "train", count: 4, compressed: false)
        let images = try ImageDataset.load(
            DatasetCatalog.fashionMNIST, split: .train, from: DataDirectory(path: folder.path))
        #expect(images.pixels == written.pixels)
        #expect(
            images.classNames == [
                "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
            ])
    }

    @Test("the dataset's own subfolder wins over files directly in the directory")
    func subfolderFirst() throws {
        let folder = DataTestFolder()
        _ = try writeSplit(in: folder.path, count: 3, seed: 10)
        let inSubfolder = try writeSplit(in: folder.file("fashion-mnist"), count: 5, seed: 20)
        let images = try ImageDataset.load("fashion-mnist", split: .test, from: DataDirectory(path: folder.path))
        #expect(images.count == 5 && images.pixels == inSubfolder.pixels)
    }

    @Test("flattened() gives [count, 784] in [0, 1]; pixelTensor() keeps [count, 28, 28] and 0…255")
    func preprocessing() throws {
        let folder = DataTestFolder()
        let written = try writeSplit(in: folder.path, count: 3)
        let images = try ImageDataset.load("mnist", split: .test, from: DataDirectory(path: folder.path))
        let dataset = images.flattened()
        #expect(dataset.inputs.shape == [3, 784])
        #expect(dataset.labels == written.labels.map(Int.init) && dataset.classCount == 10)
        #expect(
            dataset.inputs.scalars.enumerated().allSatisfy {
                abs($0.element - Double(written.pixels[$0.offset]) / 255) < 1e-12
            })
        let tensor = images.pixelTensor()
        #expect(tensor.shape == [3, 28, 28])
        #expect(tensor.scalars == written.pixels.map(Double.init))
        let subset = images.subset(1..<9)
        #expect(subset.count == 2 && subset.pixels == Array(written.pixels[784...]))
    }

    @Test("a missing file says where it looked and how to get the data")
    func missingFiles() throws {
        let folder = DataTestFolder()
        let standard = DataDirectory.resolve(option: nil, environment: [:], currentDirectory: folder.path)
        let message = dataErrorMessage { try ImageDataset.load("mnist", split: .train, from: standard) } ?? ""
        #expect(
            message.contains(
                "cannot find train-images-idx3-ubyte.gz or train-images-idx3-ubyte in the data directory \(folder.path)/data (the default"
            ))
        #expect(message.contains("  \(folder.path)/data/mnist\n"))
        #expect(message.contains("  \(folder.path)/data\n"))
        #expect(message.contains("swift run kit data mnist"))
        #expect(message.contains("--data-dir DIR or NEURALKIT_DATA=DIR"))
        let explicit = DataDirectory(path: folder.file("my data"), source: .option)
        let fromOption = dataErrorMessage { try ImageDataset.load("fashion-mnist", split: .test, from: explicit) } ?? ""
        #expect(fromOption.contains("swift run kit data fashion-mnist --data-dir '\(folder.path)/my data'"))
        let unknown = dataErrorMessage { try ImageDataset.load("cifar", split: .test, from: explicit) }
        #expect(unknown == "unknown dataset \"cifar\": try one of mnist, fashion-mnist")
    }

    @Test("images and labels that do not belong together: the error names both files and both counts")
    func countMismatch() throws {
        let folder = DataTestFolder()
        _ = try writeSplit(in: folder.path, count: 6, labelCount: 5)
        let message = dataErrorMessage {
            try ImageDataset.load("mnist", split: .test, from: DataDirectory(path: folder.path))
        }
        #expect(
            message
                == "t10k-images-idx3-ubyte.gz holds 6 images but t10k-labels-idx1-ubyte.gz holds 5 labels: the two files do not belong together (mixed-up splits or datasets?)"
        )
    }

    @Test("a label outside 0..<10 is an error naming the file and the position")
    func badLabel() throws {
        let folder = DataTestFolder()
        _ = try writeSplit(in: folder.path, count: 4, labels: [3, 9, 12, 0])
        let message = dataErrorMessage {
            try ImageDataset.load("mnist", split: .test, from: DataDirectory(path: folder.path))
        }
        #expect(message?.hasPrefix("t10k-labels-idx1-ubyte.gz: label 12 at index 2 is not a class in 0..<10") == true)
    }

    @Test("swapped files (labels where images belong) are recognized")
    func swappedFiles() throws {
        let folder = DataTestFolder()
        let labels = IDXArray(dimensions: [4], bytes: [1, 2, 3, 4])
        let images = IDXArray(dimensions: [4, 28, 28], bytes: dataTestBytes(4 * 784, seed: 3))
        try IDX.write(labels, to: folder.file("a"))
        try IDX.write(images, to: folder.file("b"))
        let message = dataErrorMessage {
            try ImageDataset.load(images: folder.file("a"), labels: folder.file("b"), classNames: ["x"])
        }
        #expect(
            message?.hasPrefix(
                "a: expected images (3 dimensions: count × height × width), found an array of 1 dimension [4]") == true)
        let other = dataErrorMessage {
            try ImageDataset.load(images: folder.file("b"), labels: folder.file("b"), classNames: ["x"])
        }
        #expect(other?.hasPrefix("b: expected labels (1 dimension), found an array of 3 dimensions") == true)
    }

    @Test("a truncated images file is reported by name while loading")
    func truncatedWhileLoading() throws {
        let folder = DataTestFolder()
        _ = try writeSplit(in: folder.file("mnist"), count: 3)
        let path = folder.file("mnist/t10k-images-idx3-ubyte.gz")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        folder.write(Array(bytes.prefix(bytes.count / 2)), to: "mnist/t10k-images-idx3-ubyte.gz")
        let message = dataErrorMessage {
            try ImageDataset.load("mnist", split: .test, from: DataDirectory(path: folder.path))
        }
        #expect(message?.hasPrefix("t10k-images-idx3-ubyte.gz: the gzip data ends early") == true, "\(message ?? "")")
    }

    @Test("catalog names are forgiving: case, underscores, folder names")
    func catalogNames() throws {
        #expect(try DatasetCatalog.named("MNIST").name == "mnist")
        #expect(try DatasetCatalog.named("Fashion_MNIST").name == "fashion-mnist")
        #expect(DatasetCatalog.mnist.mirrors.count >= 2 && DatasetCatalog.fashionMNIST.mirrors.count >= 2)
        #expect(DatasetCatalog.all.allSatisfy { $0.files.count == 4 && $0.files.allSatisfy { $0.md5?.count == 32 } })
        #expect(
            DatasetCatalog.mnist.fileNames(for: .test) == ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))
    }
}

/// Checks on the real files, when they are available (`NEURALKIT_DATA`, or
/// `shared/datasets/` beside the project); otherwise these show as skipped.
@Suite("Data · real MNIST and Fashion-MNIST")
struct DataRealTests {
    static let hasMNISTTest = DataTestPaths.has(DatasetCatalog.mnist, .test)
    static let hasFashionTrain = DataTestPaths.has(DatasetCatalog.fashionMNIST, .train)
    static let hasFashionTest = DataTestPaths.has(DatasetCatalog.fashionMNIST, .test)

    static func load(_ dataset: DatasetDescription, _ split: DatasetSplit) throws -> ImageDataset {
        let directory = try #require(DataTestPaths.realData)
        let start = Date()
        let images = try ImageDataset.load(dataset, split: split, from: directory)
        print(
            "loaded \(dataset.name) \(split.rawValue) (\(images.count) images) in \(String(format: "%.3f", Date().timeIntervalSince(start))) s"
        )
        return images
    }

    // Skipped (not failed) when the real MNIST test files are not available.
    @Test("MNIST test set: 10,000 digits of 28×28, first label 7, known pixel sums", .enabled(if: hasMNISTTest))
    func mnistTest() throws {
        let images = try Self.load(DatasetCatalog.mnist, .test)
        #expect(images.count == 10_000 && images.height == 28 && images.width == 28)
        #expect(Array(images.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        #expect(images.classCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(images.pixels.reduce(0) { $0 + Int($1) } == 264_923_200)
        #expect(images.image(0).reduce(0) { $0 + Int($1) } == 18_454)
        let dataset = images.subset(0..<100).flattened()
        #expect(dataset.inputs.shape == [100, 784])
        #expect(abs(dataset.inputs.rows([0]).scalars.reduce(0, +) - 18_454.0 / 255) < 1e-9)
    }

    // Skipped when Fashion-MNIST's training files are not available.
    @Test(
        "Fashion-MNIST training set: 60,000 images, 6,000 of each class, known pixel sums",
        .enabled(if: hasFashionTrain))
    func fashionTrain() throws {
        let images = try Self.load(DatasetCatalog.fashionMNIST, .train)
        #expect(images.count == 60_000 && images.height == 28 && images.width == 28)
        #expect(Array(images.labels.prefix(10)) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        #expect(images.classCounts == [Int](repeating: 6000, count: 10))
        #expect(images.pixels.reduce(0) { $0 + Int($1) } == 3_431_114_169)
        #expect(images.image(0).reduce(0) { $0 + Int($1) } == 76_247)
        #expect(images.classNames[images.labels[0]] == "Ankle boot")
    }

    // Skipped when Fashion-MNIST's test files are not available.
    @Test("Fashion-MNIST test set: 10,000 images, 1,000 of each class", .enabled(if: hasFashionTest))
    func fashionTest() throws {
        let images = try Self.load(DatasetCatalog.fashionMNIST, .test)
        #expect(images.count == 10_000)
        #expect(Array(images.labels.prefix(10)) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        #expect(images.classCounts == [Int](repeating: 1000, count: 10))
        #expect(images.pixels.reduce(0) { $0 + Int($1) } == 573_469_082)
    }

    // The shared copy of the MNIST test files is the original distribution:
    // it must pass the downloader's check against the catalog's published
    // MD5 and SHA-256 (this is what proves those catalog entries right).
    @Test(
        "the shared MNIST test files match the catalog's published checksums",
        .enabled(if: DataTestPaths.sharedDatasets != nil))
    func publishedChecksums() throws {
        let shared = try #require(DataTestPaths.sharedDatasets)
        for file in DatasetCatalog.mnist.files where file.name.hasPrefix("t10k") {
            try Downloader.verify(
                fileAt: (shared as NSString).appendingPathComponent("mnist-t10k/\(file.name)"), against: file)
        }
        // Debian recompressed Fashion-MNIST: its .gz differ from Zalando's, and the loader does not mind.
        let recompressed = DatasetCatalog.fashionMNIST.files[3]
        let message = dataErrorMessage {
            try Downloader.verify(
                fileAt: (shared as NSString).appendingPathComponent("fashion-mnist/\(recompressed.name)"),
                against: recompressed)
        }
        #expect(message?.contains("checksum mismatch: MD5") == true)
    }
}
