import NeuralKit
import Testing

/// The toy datasets of stage 8: shapes, labels, balance and reproducibility.
@Suite("Toy datasets")
struct ToyDatasetTests {
    @Test("a toy dataset has one 2-D point and one valid label per example", arguments: ToyDataset.allCases)
    func wellFormed(dataset: ToyDataset) {
        let data = dataset.generate(count: 300, seed: 5)
        #expect(data.inputs.shape == [300, 2])
        #expect(data.labels.count == 300)
        #expect(data.classCount == dataset.classCount)
        #expect(data.labels.allSatisfy { (0..<data.classCount).contains($0) })
        #expect(data.inputs.scalars.allSatisfy { $0.isFinite && Swift.abs($0) < 10 })
        #expect(data.classNames.count == data.classCount)
    }

    @Test("the classes are balanced", arguments: ToyDataset.allCases)
    func balanced(dataset: ToyDataset) {
        let data = dataset.generate(count: 300, seed: 6)
        let counts = (0..<data.classCount).map { c in data.labels.filter { $0 == c }.count }
        #expect(counts.allSatisfy { $0 == 300 / data.classCount }, "class counts \(counts)")
    }

    @Test("the same seed gives the same points; another seed other points", arguments: ToyDataset.allCases)
    func deterministic(dataset: ToyDataset) {
        let a = dataset.generate(count: 100, seed: 7)
        let b = dataset.generate(count: 100, seed: 7)
        let c = dataset.generate(count: 100, seed: 8)
        #expect(a.inputs == b.inputs && a.labels == b.labels)
        #expect(a.inputs != c.inputs)
    }

    @Test("the noise parameter spreads the points", arguments: [ToyDataset.moons, .circles, .spirals])
    func noiseSpreads(dataset: ToyDataset) {
        let clean = dataset.generate(count: 200, noise: 0, seed: 9)
        let noisy = dataset.generate(count: 200, noise: 0.3, seed: 9)
        #expect(clean.inputs != noisy.inputs)
        #expect(clean.labels == noisy.labels)
    }

    @Test("spirals lie within the unit disc, both arms the same size")
    func spiralsShape() {
        let data = ToyDataset.spirals.generate(count: 400, noise: 0, seed: 10)
        for i in 0..<data.count {
            let r = (data.inputs[i, 0] * data.inputs[i, 0] + data.inputs[i, 1] * data.inputs[i, 1]).squareRoot()
            #expect(r >= 0.1 - 1e-9 && r <= 1 + 1e-9)
        }
    }

    @Test("trainTestSplit keeps 80% for training and 20% for testing, reproducibly")
    func trainTestSplit() {
        let (train, test) = ToyDataset.moons.trainTestSplit(count: 500, seed: 3)
        #expect(train.count == 400 && test.count == 100)
        #expect(train.inputs.shape == [400, 2] && test.inputs.shape == [100, 2])
        let again = ToyDataset.moons.trainTestSplit(count: 500, seed: 3)
        #expect(again.train.inputs == train.inputs && again.test.labels == test.labels)
        // Together they are the generated points, each exactly once.
        let all = ToyDataset.moons.generate(count: 500, seed: 3)
        let key = { (x: Double, y: Double) in "\(x),\(y)" }
        let original = Set((0..<500).map { key(all.inputs[$0, 0], all.inputs[$0, 1]) })
        let parts =
            (0..<400).map { key(train.inputs[$0, 0], train.inputs[$0, 1]) }
            + (0..<100).map { key(test.inputs[$0, 0], test.inputs[$0, 1]) }
        #expect(Set(parts) == original && parts.count == 500)
    }
}
