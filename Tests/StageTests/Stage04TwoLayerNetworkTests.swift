import Exercises
import NeuralKit
import Solutions
import Testing

// Stage 4 wires the student's stages 1–3 (relu, softmax, Dense, He init) into a
// network. Student and reference networks are built from the SAME weights, so
// every difference is the wiring. Every call of student code goes through
// `student(4)`, which names the earlier stage to finish when one is still a stub.

/// The sizes of the checks on random inputs: non-square everywhere, so that a
/// transposed weight or a layer run in the wrong place cannot go unnoticed.
private let batch = 5
private let inputCount = 4
private let hiddenCount = 6
private let outputCount = 3

/// The names of the gradients after a backward pass, in the order of `gradients(of:dx:)`.
private let gradientNames = [
    "hidden.weight.gradient", "hidden.bias.gradient",
    "output.weight.gradient", "output.bias.gradient",
    "dx (the ∂L/∂x returned by backward)",
]

/// A batch of inputs and the weights of a two-layer network: [5, 4] → 6 → 3.
private struct Setup: ReferenceInput {
    var x, w1, b1, w2, b2: Tensor

    var record: Record { [x, w1, b1, w2, b2].record }

    init(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) {
        (self.x, self.w1, self.b1, self.w2, self.b2) = (x, w1, b1, w2, b2)
    }

    init(seed: UInt64) {
        self.init(
            x: randomTensor([batch, inputCount], seed: seed),
            w1: randomTensor([inputCount, hiddenCount], seed: seed + 10),
            b1: randomTensor([hiddenCount], seed: seed + 20, scale: 0.5),
            w2: randomTensor([hiddenCount, outputCount], seed: seed + 30),
            b2: randomTensor([outputCount], seed: seed + 40, scale: 0.5))
    }

    /// The tensors the gradients are taken with respect to, in the order of `gradientNames`.
    static var differentiable: [WritableKeyPath<Setup, Tensor>] { [\.w1, \.b1, \.w2, \.b2, \.x] }

    func with(_ path: WritableKeyPath<Setup, Tensor>, _ value: Tensor) -> Setup {
        var copy = self
        copy[keyPath: path] = value
        return copy
    }

    func studentNetwork() -> Exercises.TwoLayerNetwork {
        Exercises.TwoLayerNetwork(
            hidden: Exercises.Dense(weight: w1, bias: b1),
            output: Exercises.Dense(weight: w2, bias: b2))
    }

    func referenceNetwork() -> Solutions.TwoLayerNetwork {
        Solutions.TwoLayerNetwork(
            hidden: Solutions.Dense(weight: w1, bias: b1),
            output: Solutions.Dense(weight: w2, bias: b2))
    }

    // The reference's numbers and the typical mistakes: call these only inside `reference(...)`.

    /// The hidden layer before ReLU.
    var h: Tensor { x.matmul(w1) + b1 }
    /// The hidden layer after ReLU.
    var a: Tensor { Solutions.relu(h) }
    var logits: Tensor { a.matmul(w2) + b2 }

    /// The gradients from `∂L/∂logits = g`, optionally skipping ReLU's backward (a mistake).
    func gradients(logitsGradient g: Tensor, throughReLU: Bool = true) -> [Tensor] {
        let da = g.matmul(w2.transposed())
        let dh = throughReLU ? Solutions.reluBackward(da, input: h) : da
        return [
            x.transposed().matmul(dh), dh.sum(alongAxis: 0),
            a.transposed().matmul(g), g.sum(alongAxis: 0),
            dh.matmul(w1.transposed()),
        ]
    }

    /// The logits of typical mistakes in `logits`, with what to tell the student.
    var logitsMistakes: [(logits: Tensor, hint: String)] {
        let withoutReLU = h.matmul(w2) + b2
        let reluOnInput = Solutions.relu(x).matmul(w1) + b1
        return [
            (
                withoutReLU,
                "these are the logits without ReLU: apply `activation` between the hidden and the output layer"
            ),
            (
                Solutions.relu(logits),
                "ReLU is applied to the logits: it belongs between the two Dense layers only "
                    + "(logits may be negative)"
            ),
            (
                Solutions.relu(withoutReLU),
                "ReLU is applied to the logits instead of the hidden layer: it belongs "
                    + "between the two Dense layers"
            ),
            (
                Solutions.relu(reluOnInput).matmul(w2) + b2,
                "ReLU is applied to the input too: it comes after the hidden layer only"
            ),
            (reluOnInput.matmul(w2) + b2, "ReLU is applied to the input: it comes after the hidden layer"),
            (Solutions.softmax(logits), "logits are the scores before softmax: softmax belongs in forward"),
        ]
    }

    /// Typical mistakes in `backward(logitsGradient:)`.
    func logitsBackwardMistakes(_ g: Tensor) -> [Suspect] {
        [
            Suspect(
                gradients(logitsGradient: g, throughReLU: false),
                hint: "ReLU's backward is skipped: the gradient goes through activation.backward between "
                    + "output.backward and hidden.backward")
        ]
    }

    /// Typical mistakes in `backward(_:)`, from `∂L/∂probabilities = g`.
    func probabilitiesBackwardMistakes(_ g: Tensor) -> [Suspect] {
        [
            Suspect(
                gradients(logitsGradient: g),
                hint: "softmax's backward is missing: backward(_:) receives ∂L/∂probabilities; turn it into "
                    + "∂L/∂logits with softmaxBackward(_:output:) before backward(logitsGradient:)"),
            Suspect(
                gradients(logitsGradient: Solutions.softmaxBackward(g, output: logits)),
                hint: "softmaxBackward is given the logits: it needs softmax's output, the cached probabilities"),
            Suspect(
                gradients(logitsGradient: Tensor(zeros: g.shape)),
                hint: "every gradient is 0: is `probabilities` set in forward? backward(_:) needs it"),
        ]
            + logitsBackwardMistakes(Solutions.softmaxBackward(g, output: Solutions.softmax(logits)))
    }
}

/// The gradients a student's network holds after `backward`, in the order of `gradientNames`.
private func gradients(of network: Exercises.TwoLayerNetwork, dx: Tensor) -> [Tensor] {
    [
        network.hidden.weight.gradient, network.hidden.bias.gradient,
        network.output.weight.gradient, network.output.bias.gradient, dx,
    ]
}

/// Compares each named tensor with the expected one. When one is off and
/// matches what a typical mistake produces, the message names the mistake.
func expectAllClose(
    _ actual: [Tensor], _ expected: [Tensor], names: [String],
    tolerance: Tolerance = Tolerance(), likelyMistakes: [Suspect] = [],
    hints: [String?] = [], sourceLocation: SourceLocation = #_sourceLocation
) {
    for i in expected.indices {
        guard i < actual.count else { return }
        // What each mistake makes of this tensor, where it has a telltale value.
        let mistakes = likelyMistakes.compactMap { mistake in
            i < mistake.answer.count ? mistake.answer[i].map { LikelyMistake($0, hint: mistake.hint) } : nil
        }
        expectClose(
            actual[i], expected[i], names[i], tolerance: tolerance, likelyMistakes: mistakes,
            otherwise: i < hints.count ? hints[i] : nil, sourceLocation: sourceLocation)
    }
}

/// A typical mistake of the network: what it makes of each compared tensor (nil where it has no
/// telltale value), and what to tell the student who made it.
typealias Suspect = LikelyMistake<[Tensor?]>

/// What to try when a gradient of the two-layer network is off, in the order of `gradientNames`.
private let gradientHints: [String?] = [
    "hidden.backward fills it from the gradient that activation.backward returns",
    "hidden.backward fills it: the bias gradient is summed over the batch",
    "output.backward fills it from ∂L/∂logits; the output layer's backward comes first",
    "output.backward fills it: the bias gradient is summed over the batch",
    "backward returns what hidden.backward returns, the last layer of the backward pass",
]

/// A shape problem that says where such problems usually come from.
private struct HintedProblem: Error, CustomStringConvertible {
    let problem: StudentProblem
    let hint: String
    var description: String { "\(problem) \(hint)" }
}

/// `student(4)` for backward passes: a shape problem there usually means the
/// layers run in the wrong order.
private func studentBackward<T>(_ body: () throws -> T) throws -> T {
    do {
        return try student(4, body)
    } catch let error as StudentProblem where error.problem.kind == .invalidShape {
        throw HintedProblem(
            problem: error,
            hint: "Backward runs the layers in reverse order: output, then "
                + "activation, then hidden, each taking the gradient the previous one returned.")
    }
}

/// Whether the student's forward pass (`logits` or `forward`) gave `expected`. If not,
/// records one issue: the backward checks assume the right forward pass, so fix that first.
func forwardIsRight(
    _ actual: Tensor, _ expected: Tensor, _ name: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    guard let difference = mismatch(actual, expected, name: name) else { return true }
    Issue.record(
        Comment(
            rawValue: difference + ". The forward pass is off, so backward cannot be checked: fix the "
                + "forward pass first (see the checks of logits and forward)"), sourceLocation: sourceLocation)
    return false
}

/// Light statistics of He-normal weights: mean near 0 (within 5 standard errors, as in stage 3) and
/// standard deviation near √(2 / fanIn).
func checkHeNormal(
    _ weight: Tensor, name: String, fanIn: Int, tolerance: Double,
    hint: String = "check heNormal in stage 3", sourceLocation: SourceLocation = #_sourceLocation
) {
    let expected = (2 / Double(fanIn)).squareRoot()
    let mean = weight.mean()
    let deviation = ((weight - mean).squared().mean()).squareRoot()
    check(
        abs(deviation / expected - 1) < tolerance,
        "\(name) has standard deviation \(describe(deviation)), expected about √(2 / \(fanIn)) = \(describe(expected)) "
            + "(He normal): \(hint)", sourceLocation: sourceLocation)
    check(
        abs(mean) < 5 * expected / Double(weight.count).squareRoot() + 1e-12,
        "\(name) has mean \(describe(mean)), expected about 0 (He normal): \(hint)",
        sourceLocation: sourceLocation)
}

/// Stage 4: a two-layer network, forward and backward.
@Suite("Stage 4 · Two-layer network")
struct Stage04TwoLayerNetwork {
    @Test("logits match the reference: Dense, then ReLU, then Dense", arguments: seeds)
    func logitsMatchReference(seed: UInt64) throws {
        let s = Setup(seed: seed)
        let z = try student(4) { s.studentNetwork().logits(s.x) }
        let expected = try reference(s) { s.referenceNetwork().logits(s.x) }
        let suspects = try reference(s) { s.logitsMistakes.map { Suspect([$0.logits], hint: $0.hint) } }
        expectAllClose(
            [z], [expected], names: ["logits"], likelyMistakes: suspects,
            hints: ["logits(x) is output.forward(activation.forward(hidden.forward(x)))"])
    }

    @Test("forward returns the softmax of the logits, as the reference", arguments: seeds)
    func forwardMatchesReference(seed: UInt64) throws {
        let s = Setup(seed: seed)
        let p = try student(4) { s.studentNetwork().forward(s.x) }
        let expected = try reference(s) { s.referenceNetwork().forward(s.x) }
        let suspects = try reference(s) {
            [Suspect([s.logits], hint: "forward returns the logits: apply softmax to them")]
                + s.logitsMistakes.dropLast().map { Suspect([Solutions.softmax($0.logits)], hint: $0.hint) }
        }
        expectAllClose([p], [expected], names: ["forward(x) (the probabilities)"], likelyMistakes: suspects)
    }

    @Test("forward's rows are probabilities that sum to 1, and forward caches them")
    func forwardGivesProbabilities() throws {
        let s = Setup(seed: 7)
        let (p, cached) = try student(4) { () -> (Tensor, Tensor?) in
            let network = s.studentNetwork()
            let p = network.forward(s.x)
            return (p, network.probabilities)
        }
        try #require(
            p.shape == [batch, outputCount],
            "forward(x) has shape \(p.shape), expected [\(batch), \(outputCount)]: one row of probabilities per example"
        )
        for (row, total) in p.sum(alongAxis: 1).scalars.enumerated() {
            check(
                abs(total - 1) < 1e-9,
                "row \(row) of forward(x) sums to \(describe(total)), not 1: apply softmax to the logits")
        }
        check(p.scalars.allSatisfy { $0 >= 0 }, "forward(x) has a negative probability: apply softmax to the logits")
        guard let cached else {
            Issue.record("`probabilities` is nil after forward: keep the result there, backward(_:) needs it")
            return
        }
        expectClose(
            cached, p, "probabilities (cached by forward)",
            hint: "store the probabilities that forward returns: backward(_:) needs them")
    }

    @Test("backward from ∂L/∂logits fills every gradient as the reference", arguments: seeds)
    func backwardFromLogitsMatchesReference(seed: UInt64) throws {
        let s = Setup(seed: seed)
        let g = randomTensor([batch, outputCount], seed: seed + 100)
        var forwardOutput = Tensor(zeros: [0])
        let actual = try studentBackward { () -> [Tensor] in
            let network = s.studentNetwork()
            forwardOutput = network.logits(s.x)
            return gradients(of: network, dx: network.backward(logitsGradient: g))
        }
        guard forwardIsRight(forwardOutput, try reference(s) { s.logits }, "logits") else { return }
        let expected = try reference(s, g) { () -> [Tensor] in
            let network = s.referenceNetwork()
            _ = network.logits(s.x)
            let dx = network.backward(logitsGradient: g)
            return [
                network.hidden.weight.gradient, network.hidden.bias.gradient,
                network.output.weight.gradient, network.output.bias.gradient, dx,
            ]
        }
        let suspects = try reference(s, g) { s.logitsBackwardMistakes(g) }
        expectAllClose(actual, expected, names: gradientNames, likelyMistakes: suspects, hints: gradientHints)
    }

    @Test("backward from ∂L/∂logits matches finite differences", arguments: seeds)
    func backwardFromLogitsMatchesFiniteDifferences(seed: UInt64) throws {
        // L = Σ logits ⊙ c, so ∂L/∂logits = c.
        let s = Setup(seed: seed)
        let c = randomTensor([batch, outputCount], seed: seed + 200)
        var forwardOutput = Tensor(zeros: [0])
        let actual = try studentBackward { () -> [Tensor] in
            let network = s.studentNetwork()
            forwardOutput = network.logits(s.x)
            return gradients(of: network, dx: network.backward(logitsGradient: c))
        }
        guard forwardIsRight(forwardOutput, try reference(s) { s.logits }, "logits") else { return }
        let numeric = try reference(s, c) {
            Setup.differentiable.map { path in
                numericalGradient(at: s[keyPath: path]) { value in
                    let probe = s.with(path, value)
                    return weightedSum(probe.referenceNetwork().logits(probe.x), c)
                }
            }
        }
        expectAllClose(
            actual, numeric, names: gradientNames, tolerance: .gradient,
            likelyMistakes: try reference(s, c) { s.logitsBackwardMistakes(c) }, hints: gradientHints)
    }

    @Test("backward from ∂L/∂probabilities goes through softmax first, as the reference", arguments: seeds)
    func backwardFromProbabilitiesMatchesReference(seed: UInt64) throws {
        let s = Setup(seed: seed)
        let g = randomTensor([batch, outputCount], seed: seed + 300)
        var forwardOutput = Tensor(zeros: [0])
        let actual = try studentBackward { () -> [Tensor] in
            let network = s.studentNetwork()
            forwardOutput = network.forward(s.x)
            return gradients(of: network, dx: network.backward(g))
        }
        guard forwardIsRight(forwardOutput, try reference(s) { Solutions.softmax(s.logits) }, "forward(x)") else {
            return
        }
        let expected = try reference(s, g) { () -> [Tensor] in
            let network = s.referenceNetwork()
            _ = network.forward(s.x)
            let dx = network.backward(g)
            return [
                network.hidden.weight.gradient, network.hidden.bias.gradient,
                network.output.weight.gradient, network.output.bias.gradient, dx,
            ]
        }
        let suspects = try reference(s, g) { s.probabilitiesBackwardMistakes(g) }
        expectAllClose(actual, expected, names: gradientNames, likelyMistakes: suspects, hints: gradientHints)
    }

    @Test("backward from ∂L/∂probabilities matches finite differences", arguments: seeds)
    func backwardFromProbabilitiesMatchesFiniteDifferences(seed: UInt64) throws {
        // L = Σ probabilities ⊙ c, so ∂L/∂probabilities = c.
        let s = Setup(seed: seed)
        let c = randomTensor([batch, outputCount], seed: seed + 400)
        var forwardOutput = Tensor(zeros: [0])
        let actual = try studentBackward { () -> [Tensor] in
            let network = s.studentNetwork()
            forwardOutput = network.forward(s.x)
            return gradients(of: network, dx: network.backward(c))
        }
        guard forwardIsRight(forwardOutput, try reference(s) { Solutions.softmax(s.logits) }, "forward(x)") else {
            return
        }
        let numeric = try reference(s, c) {
            Setup.differentiable.map { path in
                numericalGradient(at: s[keyPath: path]) { value in
                    let probe = s.with(path, value)
                    return weightedSum(probe.referenceNetwork().forward(probe.x), c)
                }
            }
        }
        expectAllClose(
            actual, numeric, names: gradientNames, tolerance: .gradient,
            likelyMistakes: try reference(s, c) { s.probabilitiesBackwardMistakes(c) }, hints: gradientHints)
    }

    @Test("backward uses the probabilities of the last forward pass")
    func backwardUsesTheLastForward() throws {
        let s = Setup(seed: 8)
        let lastX = randomTensor([batch, inputCount], seed: 500)
        let g = randomTensor([batch, outputCount], seed: 501)
        var forwardOutput = Tensor(zeros: [0])
        let actual = try studentBackward { () -> [Tensor] in
            let network = s.studentNetwork()
            _ = network.forward(s.x)
            forwardOutput = network.forward(lastX)
            return gradients(of: network, dx: network.backward(g))
        }
        guard
            forwardIsRight(
                forwardOutput, try reference(s, lastX) { s.with(\.x, lastX).referenceNetwork().forward(lastX) },
                "forward(x) of the second forward pass")
        else { return }
        let expected = try reference(s, lastX, g) { () -> [Tensor] in
            let network = s.referenceNetwork()
            _ = network.forward(lastX)
            let dx = network.backward(g)
            return [
                network.hidden.weight.gradient, network.hidden.bias.gradient,
                network.output.weight.gradient, network.output.bias.gradient, dx,
            ]
        }
        expectAllClose(
            actual, expected, names: gradientNames.map { $0 + " after two forward passes" },
            hints: Array(repeating: "forward must replace the cached probabilities at every call", count: 5))
    }

    @Test("the worked example of the walkthrough")
    func workedExample() throws {
        // docs/04-two-layer-network.md: x = [1, 2], 2 → 3 → 2, ∂L/∂logits = [1, −1].
        let s = Setup(
            x: Tensor([[1, 2]]),
            w1: Tensor([[1, -1, 0.5], [0.5, 1, -1]]), b1: Tensor([0, 0, 0.5]),
            w2: Tensor([[0.5, -0.5], [1, 0], [-1, 1]]), b2: Tensor([0, 0.5]))
        let g = Tensor([[1, -1]])
        let (z, p, grads) = try studentBackward { () -> (Tensor, Tensor, [Tensor]) in
            let network = s.studentNetwork()
            let z = network.logits(s.x)
            let p = network.forward(s.x)
            return (z, p, gradients(of: network, dx: network.backward(logitsGradient: g)))
        }
        expectClose(z, Tensor([[2, -0.5]]), "logits of the worked example")
        expectClose(p, Tensor([[0.9241418199787566, 0.07585818002124355]]), "probabilities of the worked example")
        expectAllClose(
            grads,
            [
                Tensor([[1, 1, 0], [2, 2, 0]]), Tensor([1, 1, 0]),
                Tensor([[2, -2], [1, -1], [0, 0]]), Tensor([1, -1]), Tensor([[0, 1.5]]),
            ],
            names: gradientNames.map { $0 + " of the worked example" }, hints: gradientHints)
    }

    @Test("the convenience init draws He-normal weights and zero biases from the generator")
    func convenienceInitDrawsHeWeights() throws {
        let x = randomTensor([3, 200], seed: 600)
        let (values, again, other, p) = try student(4) { () -> ([Tensor], [Tensor], [Tensor], Tensor) in
            var generator = testGenerator(seed: 601)
            let network = Exercises.TwoLayerNetwork(inputs: 200, hidden: 100, outputs: 3, using: &generator)
            var same = testGenerator(seed: 601)
            var next = testGenerator(seed: 602)
            let again = Exercises.TwoLayerNetwork(inputs: 200, hidden: 100, outputs: 3, using: &same)
            let other = Exercises.TwoLayerNetwork(inputs: 200, hidden: 100, outputs: 3, using: &next)
            return (
                network.parameters.map(\.value), again.parameters.map(\.value),
                other.parameters.map(\.value), network.forward(x)
            )
        }
        let names = ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]
        try #require(
            values.map(\.shape) == [[200, 100], [100], [100, 3], [3]],
            Comment(
                rawValue: "TwoLayerNetwork(inputs: 200, hidden: 100, outputs: 3) has parameters of shapes "
                    + "\(values.map(\.shape)), expected [[200, 100], [100], [100, 3], [3]]: check Dense's init in stage 3"
            ))
        checkHeNormal(values[0], name: names[0], fanIn: 200, tolerance: 0.1)
        checkHeNormal(values[2], name: names[2], fanIn: 100, tolerance: 0.25)
        check(
            values[1].scalars.allSatisfy { $0 == 0 } && values[3].scalars.allSatisfy { $0 == 0 },
            "the biases must start at 0: check Dense's init in stage 3")
        check(
            values == again,
            "two networks from generators with the same seed differ: draw every weight from `generator`")
        check(
            values[0] != other[0],
            "networks from generators with different seeds have the same weights: "
                + "draw the weights from `generator`")
        // Its forward pass must be the one of a network built from the same weights (whose checks are above).
        let rebuilt = try student(4) {
            Exercises.TwoLayerNetwork(
                hidden: Exercises.Dense(weight: values[0], bias: values[1]),
                output: Exercises.Dense(weight: values[2], bias: values[3])
            ).forward(x)
        }
        expectClose(
            p, rebuilt, "forward(x) of a He-initialized network",
            hint: "the convenience init must make `hidden` (inputs → hidden) and `output` (hidden → outputs) as "
                + "TwoLayerNetwork(hidden:output:) would, with ReLU between them")
    }
}
