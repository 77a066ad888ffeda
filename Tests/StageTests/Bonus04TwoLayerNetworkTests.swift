import Exercises
import NeuralKit
import Solutions
import Testing

/// The batch of the bonus checks on random inputs.
private let batch = 5

/// The sizes of the bonus network: three Dense layers, non-square everywhere.
private let multilayerSizes = [4, 7, 5, 3]

/// Random weights and biases for `sizes`, in the order of `parameters`.
private func randomParameters(_ sizes: [Int], seed: UInt64) -> [Tensor] {
    zip(sizes, sizes.dropFirst()).enumerated().flatMap { index, pair in
        [
            randomTensor([pair.0, pair.1], seed: seed + 10 * UInt64(index) + 1),
            randomTensor([pair.1], seed: seed + 10 * UInt64(index) + 2, scale: 0.5),
        ]
    }
}

/// `Dense 1 weight`, `Dense 1 bias`, `Dense 2 weight`, … for `sizes`.
private func parameterNames(_ sizes: [Int]) -> [String] {
    (1..<max(sizes.count, 1)).flatMap { ["Dense \($0) weight", "Dense \($0) bias"] }
}

/// The parameter shapes of a network of `sizes`.
private func parameterShapes(_ sizes: [Int]) -> [[Int]] {
    zip(sizes, sizes.dropFirst()).flatMap { [[$0, $1], [$1]] }
}

/// The student's network of `sizes`, with its parameters' values replaced by `values`
/// (after checking it has parameters of the right shapes). Call it inside `student(4)`.
private func studentMultilayer(_ sizes: [Int], _ values: [Tensor], seed: UInt64) throws -> Exercises.MultilayerNetwork {
    var generator = testGenerator(seed: seed)
    let network = Exercises.MultilayerNetwork(sizes: sizes, using: &generator)
    let shapes = network.parameters.map(\.value.shape)
    // A stub (or an earlier stage's) has its own message: `student(4)` reports it.
    let problemsSoFar = Problems.log?.problems ?? []
    guard shapes == parameterShapes(sizes) || !problemsSoFar.isEmpty else {
        throw KitError(
            "MultilayerNetwork(sizes: \(sizes)) has parameters of shapes \(shapes), expected "
                + "\(parameterShapes(sizes)): one Dense layer (weight [m, n], bias [n]) for each pair of consecutive sizes, in order"
        )
    }
    for (parameter, value) in zip(network.parameters, values) { parameter.value = value }
    return network
}

/// The reference network of `sizes` with the given parameter values.
private func referenceMultilayer(_ sizes: [Int], _ values: [Tensor]) -> Solutions.MultilayerNetwork {
    var generator = SeededGenerator(seed: 0)
    let network = Solutions.MultilayerNetwork(sizes: sizes, using: &generator)
    for (parameter, value) in zip(network.parameters, values) { parameter.value = value }
    return network
}

/// Stage 4, optional: a network of any depth.
@Suite("Stage 4 · Bonus: a network of any depth")
struct Bonus04TwoLayerNetwork {
    @Test("MultilayerNetwork(sizes:) has one Dense layer per pair of sizes, with He-normal weights and zero biases")
    func initBuildsDenseLayers() throws {
        let sizes = [300, 200, 3]
        let (values, again) = try student(4) { () -> ([Tensor], [Tensor]) in
            var generator = testGenerator(seed: 700)
            var same = testGenerator(seed: 700)
            return (
                Exercises.MultilayerNetwork(sizes: sizes, using: &generator).parameters.map(\.value),
                Exercises.MultilayerNetwork(sizes: sizes, using: &same).parameters.map(\.value)
            )
        }
        try #require(
            values.map(\.shape) == parameterShapes(sizes),
            Comment(
                rawValue: "MultilayerNetwork(sizes: \(sizes)) has parameters of shapes \(values.map(\.shape)), "
                    + "expected \(parameterShapes(sizes)): one Dense layer for each pair of consecutive sizes, in order"
            ))
        let hint = "make each layer with Dense(inputs:outputs:initialization: .heNormal, using: &generator)"
        checkHeNormal(values[0], name: "Dense 1 weight", fanIn: 300, tolerance: 0.1, hint: hint)
        checkHeNormal(values[2], name: "Dense 2 weight", fanIn: 200, tolerance: 0.25, hint: hint)
        check(
            values[1].scalars.allSatisfy { $0 == 0 } && values[3].scalars.allSatisfy { $0 == 0 },
            "the biases must start at 0: use Dense(inputs:outputs:initialization: .heNormal, using:)")
        check(
            values == again,
            "two networks from generators with the same seed differ: draw every weight from `generator`")
    }

    @Test("[4, 7, 5, 3]: logits and probabilities match the reference with the same weights", arguments: seeds)
    func forwardMatchesReference(seed: UInt64) throws {
        let values = randomParameters(multilayerSizes, seed: seed + 1000)
        let x = randomTensor([batch, 4], seed: seed)
        let (z, p) = try student(4) { () -> (Tensor, Tensor) in
            let network = try studentMultilayer(multilayerSizes, values, seed: seed)
            return (network.logits(x), network.forward(x))
        }
        let (expectedZ, expectedP, suspects) = try reference(values, x) { () -> (Tensor, Tensor, [Suspect]) in
            let network = referenceMultilayer(multilayerSizes, values)
            let (z, p) = (network.logits(x), network.forward(x))
            let linear = stride(from: 0, to: values.count, by: 2).reduce(x) { $0.matmul(values[$1]) + values[$1 + 1] }
            return (
                z, p,
                [
                    Suspect(
                        [linear, Solutions.softmax(linear)],
                        hint: "there is no ReLU between the Dense layers"),
                    Suspect(
                        [Solutions.relu(z), Solutions.softmax(Solutions.relu(z))],
                        hint: "a ReLU follows the last Dense layer: the logits come straight from it"),
                    Suspect(
                        [p, nil],
                        hint: "logits are the scores before softmax: softmax belongs in forward"),
                    Suspect(
                        [nil, z],
                        hint: "forward returns the logits: apply softmax to them"),
                ]
            )
        }
        expectAllClose(
            [z, p], [expectedZ, expectedP], names: ["logits", "forward(x) (the probabilities)"],
            likelyMistakes: suspects,
            hints: ["Dense, ReLU, Dense, ReLU, Dense: a ReLU between two Dense layers, none at the ends", nil])
    }

    @Test(
        "[4, 7, 5, 3]: backward fills every gradient as the reference, from ∂L/∂logits and from ∂L/∂probabilities",
        arguments: seeds)
    func backwardMatchesReference(seed: UInt64) throws {
        let values = randomParameters(multilayerSizes, seed: seed + 1000)
        let x = randomTensor([batch, 4], seed: seed)
        let g = randomTensor([batch, 3], seed: seed + 100)
        let names = parameterNames(multilayerSizes).map { $0 + ".gradient" } + ["dx (the ∂L/∂x returned by backward)"]
        var forwardOutput = Tensor(zeros: [0])
        let (fromLogits, fromProbabilities) = try student(4) { () -> ([Tensor], [Tensor]) in
            let network = try studentMultilayer(multilayerSizes, values, seed: seed)
            forwardOutput = network.logits(x)
            let dx = network.backward(logitsGradient: g)
            let fromLogits = network.parameters.map(\.gradient) + [dx]
            _ = network.forward(x)
            let dx2 = network.backward(g)
            return (fromLogits, network.parameters.map(\.gradient) + [dx2])
        }
        guard
            forwardIsRight(
                forwardOutput, try reference(values, x) { referenceMultilayer(multilayerSizes, values).logits(x) },
                "logits")
        else { return }
        let (expectedFromLogits, expectedFromProbabilities) = try reference(values, x, g) {
            () -> ([Tensor], [Tensor]) in
            let network = referenceMultilayer(multilayerSizes, values)
            _ = network.logits(x)
            let dx = network.backward(logitsGradient: g)
            let fromLogits = network.parameters.map(\.gradient) + [dx]
            _ = network.forward(x)
            let dx2 = network.backward(g)
            return (fromLogits, network.parameters.map(\.gradient) + [dx2])
        }
        expectAllClose(
            fromLogits, expectedFromLogits, names: names.map { $0 + " from ∂L/∂logits" },
            hints: Array(
                repeating: "backward(logitsGradient:) runs body's layers backward, last first", count: names.count))
        expectAllClose(
            fromProbabilities, expectedFromProbabilities, names: names.map { $0 + " from ∂L/∂probabilities" },
            likelyMistakes: [
                Suspect(
                    expectedFromLogits,
                    hint: "softmax's backward is missing: turn ∂L/∂probabilities into ∂L/∂logits first")
            ],
            hints: Array(
                repeating: "softmaxBackward with the cached probabilities, then backward(logitsGradient:)",
                count: names.count))
    }

    @Test("[4, 7, 5, 3]: backward matches finite differences")
    func backwardMatchesFiniteDifferences() throws {
        let values = randomParameters(multilayerSizes, seed: 1100)
        let x = randomTensor([batch, 4], seed: 1101)
        let c = randomTensor([batch, 3], seed: 1102)
        let names = parameterNames(multilayerSizes).map { $0 + ".gradient" } + ["dx (the ∂L/∂x returned by backward)"]
        var forwardOutput = Tensor(zeros: [0])
        let actual = try student(4) { () -> [Tensor] in
            let network = try studentMultilayer(multilayerSizes, values, seed: 1103)
            forwardOutput = network.forward(x)
            let dx = network.backward(c)
            return network.parameters.map(\.gradient) + [dx]
        }
        guard
            forwardIsRight(
                forwardOutput, try reference(values, x) { referenceMultilayer(multilayerSizes, values).forward(x) },
                "forward(x)")
        else { return }
        let withoutSoftmaxBackward = try reference(values, x, c) { () -> [Tensor] in
            let network = referenceMultilayer(multilayerSizes, values)
            _ = network.logits(x)
            let dx = network.backward(logitsGradient: c)
            return network.parameters.map(\.gradient) + [dx]
        }
        let numeric = try reference(values, x, c) { () -> [Tensor] in
            let parameters = values.indices.map { i in
                numericalGradient(at: values[i]) { v in
                    var changed = values
                    changed[i] = v
                    return weightedSum(referenceMultilayer(multilayerSizes, changed).forward(x), c)
                }
            }
            let dx = numericalGradient(at: x) {
                weightedSum(referenceMultilayer(multilayerSizes, values).forward($0), c)
            }
            return parameters + [dx]
        }
        expectAllClose(
            actual, numeric, names: names, tolerance: .gradient,
            likelyMistakes: [
                Suspect(
                    withoutSoftmaxBackward,
                    hint: "softmax's backward is missing: turn ∂L/∂probabilities into ∂L/∂logits first")
            ])
    }

    @Test("a depth-1 network [4, 3] is one Dense layer then softmax, without ReLU")
    func depthOneHasNoReLU() throws {
        let sizes = [4, 3]
        let values = randomParameters(sizes, seed: 1200)
        let x = randomTensor([batch, 4], seed: 1201)
        let g = randomTensor([batch, 3], seed: 1202)
        let names = [
            "logits", "forward(x) (the probabilities)", "Dense 1 weight.gradient", "Dense 1 bias.gradient",
            "dx (the ∂L/∂x returned by backward)",
        ]
        let actual = try student(4) { () -> [Tensor] in
            let network = try studentMultilayer(sizes, values, seed: 1203)
            let z = network.logits(x)
            let p = network.forward(x)
            let dx = network.backward(g)
            return [z, p] + network.parameters.map(\.gradient) + [dx]
        }
        let (expected, suspects) = try reference(values, x, g) { () -> ([Tensor], [Suspect]) in
            let layer = Solutions.Dense(weight: values[0], bias: values[1])
            let z = layer.forward(x)
            let p = Solutions.softmax(z)
            let dx = layer.backward(Solutions.softmaxBackward(g, output: p))
            let expected = [z, p, layer.weight.gradient, layer.bias.gradient, dx]
            let withReLU = Solutions.relu(z)
            let dxWithoutSoftmaxBackward = layer.backward(g)
            return (
                expected,
                [
                    Suspect(
                        [withReLU, Solutions.softmax(withReLU)],
                        hint: "a ReLU follows the only Dense layer: ReLUs go between Dense layers, so [4, 3] has none"),
                    Suspect(
                        [nil, nil, layer.weight.gradient, layer.bias.gradient, dxWithoutSoftmaxBackward],
                        hint: "softmax's backward is missing: turn ∂L/∂probabilities into ∂L/∂logits first"),
                ]
            )
        }
        // Backward is checked only on the right forward pass.
        let forwardIsRight = zip(actual.prefix(2), expected.prefix(2)).allSatisfy { mismatch($0, $1) == nil }
        expectAllClose(
            forwardIsRight ? actual : Array(actual.prefix(2)), expected, names: names, likelyMistakes: suspects)
    }
}
