import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 7: shuffled mini-batches, the SGD update (momentum, weight decay), one training step.
@Suite("Stage 7 · SGD")
struct Stage07SGD {
    // MARK: Mini-batches

    @Test("mini-batches hold every index exactly once", arguments: [(10, 4), (12, 4), (3, 5), (7, 1), (50, 8)])
    func miniBatchesCoverEveryIndexOnce(count: Int, batchSize: Int) throws {
        var generator = testGenerator(seed: 70)
        let batches = try student(7) { Exercises.miniBatches(count: count, batchSize: batchSize, using: &generator) }
        let all = batches.flatMap { $0 }
        let missing = Set(0..<count).subtracting(all).sorted()
        let repeated = Dictionary(grouping: all, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        check(
            missing.isEmpty,
            "miniBatches(count: \(count), batchSize: \(batchSize)) never gives the indices \(missing): "
                + "every example must be in one batch of the epoch"
                + (missing.count == count % batchSize
                    ? " (is the last, shorter batch dropped?)" : ""))
        check(
            repeated.isEmpty,
            "miniBatches(count: \(count), batchSize: \(batchSize)) gives \(repeated) more than once: "
                + "shuffle a permutation of the indices instead of drawing them at random")
        check(
            all.allSatisfy { (0..<count).contains($0) },
            "miniBatches(count: \(count), …) gives indices outside 0..<\(count): \(all.filter { !(0..<count).contains($0) })"
        )
    }

    @Test(
        "mini-batches have batchSize examples, and the last one keeps the rest (10 by 4 → 4, 4, 2)",
        arguments: [(10, 4, [4, 4, 2]), (12, 4, [4, 4, 4]), (3, 5, [3]), (9, 2, [2, 2, 2, 2, 1])])
    func miniBatchSizes(count: Int, batchSize: Int, expected: [Int]) throws {
        var generator = testGenerator(seed: 71)
        let sizes = try student(7) { Exercises.miniBatches(count: count, batchSize: batchSize, using: &generator) }.map(
            \.count)
        var message =
            "miniBatches(count: \(count), batchSize: \(batchSize)) has batches of \(sizes) examples, expected \(expected)"
        if sizes == Array(expected.dropLast()) {
            message += ": the last, shorter batch was dropped; keep it, or those examples are never trained on"
        } else if sizes.count == 1, count > batchSize {
            message += ": cut the shuffled indices into consecutive slices of batchSize"
        }
        check(sizes == expected, message)
    }

    @Test("each call (each epoch) shuffles into a new order")
    func miniBatchesShuffleEachEpoch() throws {
        var generator = testGenerator(seed: 72)
        let (first, second) = try student(7) {
            (
                Exercises.miniBatches(count: 20, batchSize: 6, using: &generator),
                Exercises.miniBatches(count: 20, batchSize: 6, using: &generator)
            )
        }
        check(
            first.flatMap { $0 } != Array(0..<20),
            "miniBatches gave the examples in their original order 0, 1, 2, …: shuffle them (`generator.permutation(count)`)"
        )
        check(
            first != second,
            "two epochs drawn from one generator gave the same batches \(first): draw the order from "
                + "the generator passed in (`using: &generator`), not from a new SeededGenerator made inside")
    }

    @Test("the same seed gives the same mini-batches")
    func miniBatchesAreReproducible() throws {
        var a = testGenerator(seed: 73)
        var b = testGenerator(seed: 73)
        let (first, second) = try student(7) {
            (
                Exercises.miniBatches(count: 15, batchSize: 4, using: &a),
                Exercises.miniBatches(count: 15, batchSize: 4, using: &b)
            )
        }
        check(
            first == second,
            "two generators with the same seed gave different batches (\(first) and \(second)): "
                + "draw the order only from `generator`, never from the system's random numbers, so that runs can be repeated"
        )
    }

    // MARK: The SGD update

    @Test("an SGD step of the walkthrough's worked example: w = [1, −2], ∇w = [0.5, 0.5], η = 0.1")
    func sgdWorkedExample() throws {
        // docs/07-sgd.md: plain, with momentum 0.9 over three steps, and with weight decay 0.01.
        func run(momentum: Double, weightDecay: Double, steps: Int) throws -> Tensor {
            let w = Parameter("w", Tensor([1, -2]))
            let optimizer = try student(7) {
                Exercises.SGD(learningRate: 0.1, momentum: momentum, weightDecay: weightDecay)
            }
            for _ in 0..<steps {
                w.gradient = Tensor([0.5, 0.5])
                try student(7) { optimizer.step([w]) }
            }
            return w.value
        }
        expectClose(
            try run(momentum: 0, weightDecay: 0, steps: 1), Tensor([0.95, -2.05]), "w after one step",
            hint: "w ← w − η∇w: subtract the step, do not add it")
        expectClose(
            try run(momentum: 0.9, weightDecay: 0, steps: 3), Tensor([0.7195, -2.2805]),
            "w after three steps with momentum 0.9",
            hint: "Δw(n) = αΔw(n−1) − η∇w and w ← w + Δw(n): the steps are −0.05, −0.095, −0.1355")
        expectClose(
            try run(momentum: 0, weightDecay: 0.01, steps: 1), Tensor([0.949, -2.048]),
            "w after one step with weight decay 0.01", hint: "weight decay adds λw to the gradient: ∇w + λw")
    }

    @Test("a plain SGD step matches the reference on two parameters", arguments: seeds)
    func sgdStepMatchesReference(seed: UInt64) throws {
        let start = ParameterStart(seed: seed)
        let mine = start.parameters()
        try student(7) { Exercises.SGD(learningRate: 0.05).step(mine) }
        let expected = try reference(start) { () -> [Tensor] in
            let theirs = start.parameters()
            Solutions.SGD(learningRate: 0.05).step(theirs)
            return theirs.map(\.value)
        }
        for (a, b) in zip(mine, expected) {
            expectClose(a.value, b, "\(a.name) after one step", hint: "w ← w − η∇w, for every parameter passed in")
        }
    }

    @Test("momentum carries each parameter's last step over three steps, like the reference", arguments: seeds)
    func momentumMatchesReference(seed: UInt64) throws {
        let start = ParameterStart(seed: seed)
        // A new gradient each step, the same for both.
        let gradients = start.stepGradients(steps: 3, seed: seed &* 31)
        let expected = try reference(start, gradients) {
            referenceSteps(from: start, gradients: gradients, by: Solutions.SGD(learningRate: 0.05, momentum: 0.9))
        }
        let mine = start.parameters()
        let myOptimizer = try student(7) { Exercises.SGD(learningRate: 0.05, momentum: 0.9) }
        for step in 1...3 {
            for (a, gradient) in zip(mine, gradients[step - 1]) { a.gradient = gradient }
            try student(7) { myOptimizer.step(mine) }
            for (a, b) in zip(mine, expected[step - 1]) {
                expectClose(
                    a.value, b, "\(a.name) after momentum step \(step)",
                    hint: step == 1
                        ? "the first step has no previous Δw: it is −η∇w, as without momentum"
                        : "Δw(n) = αΔw(n−1) − η∇w, then w ← w + Δw(n); keep one Δw per parameter "
                            + "(`velocities[ObjectIdentifier(parameter)]`) and store the new one each step")
            }
        }
    }

    @Test("weight decay adds λw to the gradient, like the reference", arguments: seeds)
    func weightDecayMatchesReference(seed: UInt64) throws {
        let start = ParameterStart(seed: seed)
        let mine = start.parameters()
        try student(7) { Exercises.SGD(learningRate: 0.05, weightDecay: 0.1).step(mine) }
        let expected = try reference(start) { () -> [Tensor] in
            let theirs = start.parameters()
            Solutions.SGD(learningRate: 0.05, weightDecay: 0.1).step(theirs)
            return theirs.map(\.value)
        }
        for (a, b) in zip(mine, expected) {
            expectClose(
                a.value, b, "\(a.name) after a step with weight decay 0.1",
                hint: "the step uses ∇w + λw: weight decay pulls every weight towards 0")
        }
    }

    // MARK: A training step

    @Test(
        "trainStep returns the loss before the update and gives the optimizer the reference's gradients",
        arguments: seeds)
    func trainStepMatchesReference(seed: UInt64) throws {
        let weights = NetworkWeights(seed: seed)
        let mine = try weights.studentNetwork()
        // Six different examples, each with its own class, so that rows paired with the wrong targets show.
        let x = randomTensor([6, 5], seed: seed &+ 500)
        let y = oneHotTargets([2, 0, 1, 1, 2, 0], classes: 3)
        let myOptimizer = OptimizerSpy()
        let myLoss = try student(7) { Exercises.trainStep(mine, inputs: x, targets: y, optimizer: myOptimizer) }
        let (theirLoss, theirGradients) = try reference(weights, x, y) { () -> (Double, [Tensor?]) in
            let (network, optimizer) = (weights.referenceNetwork(), OptimizerSpy())
            let loss = Solutions.trainStep(network, inputs: x, targets: y, optimizer: optimizer)
            return (loss, network.parameters.map(optimizer.gradient(of:)))
        }
        expectClose(
            myLoss, theirLoss, "trainStep's loss",
            hint: "return the mean cross-entropy of softmax(logits) against the targets, computed before the update")
        let names = ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]
        for ((parameter, expected), name) in zip(zip(mine.parameters, theirGradients), names) {
            let steps = myOptimizer.steps(of: parameter)
            guard steps == 1, let gradient = myOptimizer.gradient(of: parameter), let expected else {
                Issue.record(
                    Comment(
                        rawValue: "trainStep gave \(name) to optimizer.step \(steps) times: give every parameter "
                            + "once, after backward (optimizer.step(network.parameters))"))
                continue
            }
            expectClose(
                gradient, expected, "\(name)'s gradient when trainStep calls optimizer.step",
                hint: "backward from ∂L/∂logits = (softmax(z) − y)/N through the whole network first, "
                    + "then one optimizer.step(network.parameters): stepping before every gradient is computed "
                    + "uses stale gradients")
        }
    }

    @Test("the loss on a fixed batch falls over 20 training steps")
    func lossFallsOnAFixedBatch() throws {
        let mine = try NetworkWeights(seed: 77).studentNetwork()
        let x = randomTensor([8, 5], seed: 78)
        let y = oneHotTargets([0, 1, 2, 0, 1, 2, 0, 1], classes: 3)
        let losses = try student(7) { () -> [Double] in
            let optimizer = Exercises.SGD(learningRate: 0.3, momentum: 0.7)
            return (0..<20).map { _ in Exercises.trainStep(mine, inputs: x, targets: y, optimizer: optimizer) }
        }
        guard let first = losses.first, let last = losses.last else { return }
        check(
            last < 0.7 * first,
            "20 training steps on one batch took the loss from \(describe(first)) to \(describe(last)); "
                + "it should fall by 30% or more (the reference: by more than half). "
                + (last > first
                    ? "It grew: is the step added instead of subtracted (w ← w − η∇w)?"
                    : "Is every parameter updated, with its own gradient?"))
    }
}

// MARK: - Helpers

/// Two parameters of different shapes ([3, 4] and [4]) with random values and gradients.
struct ParameterStart: ReferenceInput {
    let values: [Tensor]
    let gradients: [Tensor]

    init(seed: UInt64) {
        let shapes = [[3, 4], [4]]
        values = shapes.indices.map { randomTensor(shapes[$0], seed: seed &* 13 &+ UInt64($0)) }
        gradients = shapes.indices.map { randomTensor(shapes[$0], seed: seed &* 17 &+ UInt64($0) &+ 1000) }
    }

    var record: Record { [values, gradients].record }

    /// New parameters ("weight", "bias") holding these values and gradients.
    func parameters() -> [Parameter] {
        zip(values, gradients).enumerated().map { index, start in
            let parameter = Parameter(index == 0 ? "weight" : "bias", start.0)
            parameter.gradient = start.1
            return parameter
        }
    }

    /// A new random gradient for each parameter at each step.
    func stepGradients(steps: Int, seed: UInt64) -> [[Tensor]] {
        (1...steps).map { step in
            values.indices.map { randomTensor(values[$0].shape, seed: seed &+ UInt64(10 * step + $0)) }
        }
    }
}

/// The values after each step of `optimizer`, each step with its own gradients (call it inside `reference`).
func referenceSteps(from start: ParameterStart, gradients: [[Tensor]], by optimizer: any Optimizer)
    -> [[Tensor]]
{
    let parameters = start.parameters()
    return gradients.map { step in
        for (parameter, gradient) in zip(parameters, step) { parameter.gradient = gradient }
        optimizer.step(parameters)
        return parameters.map(\.value)
    }
}

/// The weights of a two-layer network 5 → 7 → 3.
private struct NetworkWeights: ReferenceInput {
    let w1, b1, w2, b2: Tensor

    init(seed: UInt64) {
        (w1, b1) = (
            randomTensor([5, 7], seed: seed &+ 300, scale: 0.6), randomTensor([7], seed: seed &+ 301, scale: 0.1)
        )
        (w2, b2) = (
            randomTensor([7, 3], seed: seed &+ 302, scale: 0.6), randomTensor([3], seed: seed &+ 303, scale: 0.1)
        )
    }

    var record: Record { [w1, b1, w2, b2].record }

    func studentNetwork() throws -> Exercises.TwoLayerNetwork {
        try student(7) {
            Exercises.TwoLayerNetwork(
                hidden: Exercises.Dense(weight: w1, bias: b1), output: Exercises.Dense(weight: w2, bias: b2))
        }
    }

    /// The reference network with these weights (call it inside `reference`).
    func referenceNetwork() -> Solutions.TwoLayerNetwork {
        Solutions.TwoLayerNetwork(
            hidden: Solutions.Dense(weight: w1, bias: b1), output: Solutions.Dense(weight: w2, bias: b2))
    }
}

/// One-hot rows, built here so that these checks do not depend on stage 5.
private func oneHotTargets(_ labels: [Int], classes: Int) -> Tensor {
    Tensor(shape: [labels.count, classes]) { $0 % classes == labels[$0 / classes] ? 1 : 0 }
}
