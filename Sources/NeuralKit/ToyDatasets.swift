/// Seeded two-dimensional datasets for classification (stage 8): each
/// example is a point `(x, y)` and its class. The same seed gives the same
/// points on every platform.
public enum ToyDataset: String, CaseIterable, Sendable {
    /// Gaussian clusters, one per class: separable by straight lines.
    case blobs
    /// Two interleaving half circles: needs a curved boundary.
    case moons
    /// A disc inside a ring.
    case circles
    /// Two interleaved spiral arms: needs a hidden layer and some training.
    case spirals
    /// The four quadrants, labelled by the sign of x·y: no straight line separates them.
    case xor

    /// `count` points (split evenly between the classes), with Gaussian noise
    /// of standard deviation `noise` added to each coordinate.
    public func generate(count: Int = 400, noise: Double? = nil, seed: UInt64 = 0) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let noise = noise ?? defaultNoise
        let classes = classCount
        var points = [Double]()
        var labels = [Int]()
        points.reserveCapacity(2 * count)
        for i in 0..<Swift.max(count, 0) {
            let label = i % classes
            let (x, y) = point(label: label, generator: &generator)
            points.append(x + generator.normal(standardDeviation: noise))
            points.append(y + generator.normal(standardDeviation: noise))
            labels.append(label)
        }
        return Dataset(validInputs: Tensor(shape: [count, 2], scalars: points), labels: labels, classCount: classes)
    }

    /// A training and a test set from one seeded draw (80% / 20%).
    public func trainTestSplit(count: Int = 500, noise: Double? = nil, seed: UInt64 = 0) -> (
        train: Dataset, test: Dataset
    ) {
        var generator = SeededGenerator(seed: seed &+ 1)
        return generate(count: count, noise: noise, seed: seed).split(testFraction: 0.2, using: &generator)
    }

    public var classCount: Int { self == .blobs ? 3 : 2 }

    var defaultNoise: Double {
        switch self {
        case .blobs: 0.5
        case .moons: 0.1
        case .circles: 0.08
        case .spirals: 0.05
        case .xor: 0.1
        }
    }

    private func point(label: Int, generator: inout SeededGenerator) -> (Double, Double) {
        switch self {
        case .blobs:
            let angle = 2 * Double.pi * Double(label) / 3
            return (2.5 * PortableMath.cos(angle), 2.5 * PortableMath.sin(angle))
        case .moons:
            let t = Double.pi * generator.nextUnit()
            return label == 0
                ? (PortableMath.cos(t), PortableMath.sin(t)) : (1 - PortableMath.cos(t), 0.5 - PortableMath.sin(t))
        case .circles:
            let t = 2 * Double.pi * generator.nextUnit()
            let radius = label == 0 ? 0.4 : 1.0
            return (radius * PortableMath.cos(t), radius * PortableMath.sin(t))
        case .spirals:
            // r grows with the angle; the second arm is the first turned by π.
            let t = generator.nextUnit()
            let angle = 3 * Double.pi * t + Double(label) * Double.pi
            let radius = 0.1 + 0.9 * t
            return (radius * PortableMath.cos(angle), radius * PortableMath.sin(angle))
        case .xor:
            let x = generator.uniform(0.1, 1)
            let y = generator.uniform(0.1, 1)
            // Classes alternate by quadrant: same signs → 0, opposite signs → 1.
            let flipX = generator.nextInt(below: 2) == 0
            return label == 0 ? (flipX ? (-x, -y) : (x, y)) : (flipX ? (-x, y) : (x, -y))
        }
    }
}
