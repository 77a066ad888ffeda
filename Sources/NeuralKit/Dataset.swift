/// Examples and their class labels: `inputs` is `[count, features…]`, one
/// example a row, and `labels[i]` is the class of row `i`, in `0..<classCount`.
public struct Dataset: Sendable {
    public var inputs: Tensor
    public var labels: [Int]
    public var classCount: Int
    /// Names of the classes, for pictures and reports ("0"…"9", "T-shirt", …).
    public var classNames: [String]

    /// Checks that there is one label a row and that every label is a class.
    public init(inputs: Tensor, labels: [Int], classCount: Int, classNames: [String]? = nil) throws {
        guard inputs.rowCount == labels.count else {
            throw KitError("a dataset needs one label per example: \(inputs.rowCount) examples, \(labels.count) labels")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw KitError("label \(labels[bad]) of example \(bad) is not a class in 0..<\(classCount)")
        }
        if let classNames, classNames.count != classCount {
            throw KitError("\(classNames.count) class names for \(classCount) classes: give one name per class")
        }
        self.init(validInputs: inputs, labels: labels, classCount: classCount, classNames: classNames)
    }

    /// For data that is valid by construction (generated, or checked by a reader).
    init(validInputs inputs: Tensor, labels: [Int], classCount: Int, classNames: [String]? = nil) {
        self.inputs = inputs
        self.labels = labels
        self.classCount = classCount
        self.classNames = classNames ?? (0..<classCount).map(String.init)
    }

    /// The number of examples.
    public var count: Int { labels.count }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        var copy = self
        copy.inputs = inputs.rows(indices)
        // An index out of range is recorded by `rows(_:)`; its label is a placeholder 0.
        copy.labels = indices.map { labels.indices.contains($0) ? labels[$0] : 0 }
        return copy
    }

    /// The examples in `range`.
    public func subset(_ range: Range<Int>) -> Dataset { subset(Array(range.clamped(to: 0..<count))) }

    /// A shuffled split into a training and a test set; `testFraction` of the
    /// examples go to the test set.
    public func split(testFraction: Double, using generator: inout SeededGenerator) -> (train: Dataset, test: Dataset) {
        let shuffled = generator.permutation(count)
        var fraction = testFraction
        if !(0...1).contains(fraction) {
            Problems.invalidShape("split(testFraction: \(testFraction)): the fraction must be between 0 and 1")
            fraction = fraction > 1 ? 1 : 0
        }
        let testCount = Int((Double(count) * fraction).rounded())
        return (subset(Array(shuffled[testCount...])), subset(Array(shuffled[..<testCount])))
    }
}
