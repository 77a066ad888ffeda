import NeuralKit
import Testing

@Suite("Dataset · validation, subsets and splits")
struct DatasetTests {
    /// Ten examples [i, 10·i], labelled i % 3.
    static func sample() throws -> Dataset {
        try Dataset(
            inputs: Tensor(shape: [10, 2]) { Double($0 % 2 == 0 ? $0 / 2 : 10 * ($0 / 2)) },
            labels: (0..<10).map { $0 % 3 }, classCount: 3)
    }

    @Test("a valid dataset keeps its inputs and labels, and names classes 0…n−1 by default")
    func valid() throws {
        let d = try Self.sample()
        #expect(d.count == 10 && d.classCount == 3)
        #expect(d.classNames == ["0", "1", "2"])
        #expect(d.inputs.row(4) == Tensor([4, 40]))
        let named = try Dataset(
            inputs: Tensor(zeros: [2, 1]), labels: [1, 0], classCount: 2, classNames: ["cat", "dog"])
        #expect(named.classNames == ["cat", "dog"])
    }

    @Test("a label outside 0..<classCount is a KitError naming the label and the example", arguments: [3, -1])
    func labelOutOfRange(label: Int) {
        let error = #expect(throws: KitError.self) {
            try Dataset(inputs: Tensor(zeros: [3, 2]), labels: [0, 1, label], classCount: 3)
        }
        #expect(error?.message == "label \(label) of example 2 is not a class in 0..<3")
    }

    @Test("a label count that differs from the example count is a KitError giving both")
    func countMismatch() {
        let error = #expect(throws: KitError.self) {
            try Dataset(inputs: Tensor(zeros: [3, 2]), labels: [0, 1], classCount: 2)
        }
        #expect(error?.message == "a dataset needs one label per example: 3 examples, 2 labels")
    }

    @Test("class names that do not match the class count are a KitError")
    func classNamesMismatch() {
        let error = #expect(throws: KitError.self) {
            try Dataset(inputs: Tensor(zeros: [2, 2]), labels: [0, 1], classCount: 3, classNames: ["a", "b"])
        }
        #expect(error?.message.contains("2 class names for 3 classes") == true)
    }

    @Test("subset picks examples and their labels together, in the given order")
    func subset() throws {
        let d = try Self.sample()
        let s = withoutProblems { d.subset([7, 2, 7]) }
        #expect(s.labels == [1, 2, 1])
        #expect(s.inputs == Tensor([[7, 70], [2, 20], [7, 70]]))
        #expect(s.classCount == 3 && s.classNames == d.classNames)
        let r = withoutProblems { d.subset(8..<20) }
        #expect(r.count == 2 && r.labels == [2, 0])
    }

    @Test("a subset index out of range is a problem, not a crash")
    func subsetOutOfRange() throws {
        let d = try Self.sample()
        let (s, messages) = recordingProblems { d.subset([1, 10]) }
        #expect(messages == ["row 10 is out of range: the tensor has 10 rows (shape [10, 2])"])
        #expect(s.count == 2)
    }

    @Test("split shuffles into disjoint train and test sets of the asked sizes, the same way for a seed")
    func split() throws {
        let d = try Self.sample()
        var g1 = SeededGenerator(seed: 5)
        var g2 = SeededGenerator(seed: 5)
        let (train, test) = d.split(testFraction: 0.3, using: &g1)
        let again = d.split(testFraction: 0.3, using: &g2)
        #expect(train.count == 7 && test.count == 3)
        let firstColumn = { (set: Dataset) in
            set.inputs.scalars.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        }
        #expect(Set(firstColumn(train) + firstColumn(test)) == Set((0..<10).map(Double.init)))
        #expect(firstColumn(train) + firstColumn(test) != (0..<10).map(Double.init))
        #expect(again.train.inputs == train.inputs && again.test.labels == test.labels)
        // Labels still belong to their inputs.
        for set in [train, test] {
            for (i, label) in set.labels.enumerated() { #expect(Int(set.inputs[i, 0]) % 3 == label) }
        }
    }

    @Test("a split with fraction 0 or 1 puts everything on one side")
    func splitExtremes() throws {
        let d = try Self.sample()
        var g = SeededGenerator(seed: 1)
        #expect(d.split(testFraction: 0, using: &g).test.count == 0)
        #expect(d.split(testFraction: 1, using: &g).train.count == 0)
    }

    @Test("a test fraction outside 0…1 is a problem, not a crash", arguments: [1.5, -0.2, .nan])
    func splitBadFraction(fraction: Double) throws {
        let d = try Self.sample()
        var g = SeededGenerator(seed: 1)
        let (parts, messages) = recordingProblems { d.split(testFraction: fraction, using: &g) }
        #expect(messages.count == 1 && messages.first?.contains("between 0 and 1") == true)
        #expect(parts.train.count + parts.test.count == 10)
    }
}
