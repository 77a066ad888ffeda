import Foundation

/// One file of a dataset as published: its name on the mirrors and the
/// checksums the publisher gives (the downloader verifies every one given).
public struct RemoteFile: Sendable, Equatable {
    public var name: String
    /// The published size in bytes, when known.
    public var byteCount: Int?
    /// Published MD5, lowercase hex.
    public var md5: String?
    /// SHA-256, lowercase hex.
    public var sha256: String?

    public init(name: String, byteCount: Int? = nil, md5: String? = nil, sha256: String? = nil) {
        self.name = name
        self.byteCount = byteCount
        self.md5 = md5
        self.sha256 = sha256
    }
}

/// Which part of a dataset: the training examples or the held-out test set.
public enum DatasetSplit: String, Sendable, CaseIterable {
    case train, test
}

/// An image-classification dataset in IDX files: where to get it, how to
/// check it, what its classes are called.
public struct DatasetDescription: Sendable, Equatable {
    /// The name on the command line: `mnist`, `fashion-mnist`.
    public var name: String
    /// For people: "MNIST handwritten digits".
    public var title: String
    /// Subfolders of the data directory searched for the files, in order;
    /// the first is where `kit data` puts them.
    public var folderNames: [String]
    /// Base URLs tried in order; a file's URL is the base + its name.
    public var mirrors: [String]
    /// The published files (images and labels of each split).
    public var files: [RemoteFile]
    public var classNames: [String]
    /// Where the data comes from and its license, for `kit data`.
    public var source: String

    public init(
        name: String, title: String, folderNames: [String], mirrors: [String],
        files: [RemoteFile], classNames: [String], source: String
    ) {
        self.name = name
        self.title = title
        self.folderNames = folderNames
        self.mirrors = mirrors
        self.files = files
        self.classNames = classNames
        self.source = source
    }

    /// The image and label file names of a split (gzip names, as published:
    /// `train-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`).
    public func fileNames(for split: DatasetSplit) -> (images: String, labels: String) {
        let prefix = split == .train ? "train" : "t10k"
        return ("\(prefix)-images-idx3-ubyte.gz", "\(prefix)-labels-idx1-ubyte.gz")
    }
}

/// The datasets `kit data` knows.
public enum DatasetCatalog {
    /// MNIST: 60,000 + 10,000 handwritten digits, 28×28 greyscale.
    ///
    /// MD5s as published with MNIST (and used by torchvision); the SHA-256s of
    /// the test files were computed from copies whose MD5 matches.
    public static let mnist = DatasetDescription(
        name: "mnist",
        title: "MNIST handwritten digits",
        folderNames: ["mnist", "MNIST", "mnist-t10k"],
        mirrors: [
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
            "http://yann.lecun.com/exdb/mnist/",
        ],
        files: [
            RemoteFile(
                name: "train-images-idx3-ubyte.gz", byteCount: 9_912_422,
                md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            RemoteFile(
                name: "train-labels-idx1-ubyte.gz", byteCount: 28_881,
                md5: "d53e105ee54ea40749a09fcbcd1e9432"),
            RemoteFile(
                name: "t10k-images-idx3-ubyte.gz", byteCount: 1_648_877,
                md5: "9fb629c4189551a2d022fa330f9573f3",
                sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            RemoteFile(
                name: "t10k-labels-idx1-ubyte.gz", byteCount: 4_542,
                md5: "ec29112dd5afa0611ce80d1b7f02629c",
                sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        ],
        classNames: (0..<10).map(String.init),
        source: "Y. LeCun, C. Cortes, C. Burges — CC BY-SA 3.0")

    /// Fashion-MNIST: 60,000 + 10,000 clothing images, 28×28 greyscale, a
    /// drop-in replacement for MNIST. MD5s as published by Zalando Research.
    public static let fashionMNIST = DatasetDescription(
        name: "fashion-mnist",
        title: "Fashion-MNIST clothing images",
        folderNames: ["fashion-mnist", "fashion_mnist", "FashionMNIST"],
        mirrors: [
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
        ],
        files: [
            RemoteFile(name: "train-images-idx3-ubyte.gz", md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            RemoteFile(name: "train-labels-idx1-ubyte.gz", md5: "25c81989df183df01b3e8a0aad5dffbe"),
            RemoteFile(name: "t10k-images-idx3-ubyte.gz", md5: "bef4ecab320f06d8554ea6380940ec79"),
            RemoteFile(name: "t10k-labels-idx1-ubyte.gz", md5: "bb300cfdad3c16e7a12a480ee83cd310"),
        ],
        classNames: [
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ],
        source: "Zalando Research — MIT license")

    public static let all: [DatasetDescription] = [mnist, fashionMNIST]

    /// The dataset called `name` (`mnist`, `fashion-mnist`; case and `_`/`-` do not matter).
    public static func named(_ name: String) throws -> DatasetDescription {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-")
        if let found = all.first(where: { $0.name == key || $0.folderNames.map { $0.lowercased() }.contains(key) }) {
            return found
        }
        throw KitError("unknown dataset \"\(name)\": try one of \(all.map(\.name).joined(separator: ", "))")
    }
}
