import NeuralKit
import Testing

/// Records the order in which test layers run.
private final class CallLog {
    var calls: [String] = []
}

/// y = w · x, with a learned scalar w (a `[1]` parameter), and a training mode of its own.
private final class Scale: TrainingModeLayer {
    let name: String, log: CallLog
    let weight: Parameter
    var input: Tensor?
    var isTraining = true

    init(_ name: String, _ w: Double, log: CallLog) {
        self.name = name
        self.log = log
        weight = Parameter("weight", Tensor([w]))
    }

    func forward(_ input: Tensor) -> Tensor {
        log.calls.append("\(name).forward")
        self.input = input
        return input * weight.value
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        log.calls.append("\(name).backward")
        weight.gradient = Tensor([(outputGradient * (input ?? outputGradient)).sum()])
        return outputGradient * weight.value
    }

    var parameters: [Parameter] { [weight] }
}

/// `Scale` with a `backwardSkippingInput` of its own, which computes ∂L/∂w only.
private final class SkippingScale: Layer {
    let scale: Scale
    init(_ name: String, _ w: Double, log: CallLog) { scale = Scale(name, w, log: log) }
    func forward(_ input: Tensor) -> Tensor { scale.forward(input) }
    func backward(_ outputGradient: Tensor) -> Tensor { scale.backward(outputGradient) }
    func backwardSkippingInput(_ outputGradient: Tensor) {
        scale.log.calls.append("\(scale.name).backwardSkippingInput")
        scale.weight.gradient = Tensor([(outputGradient * (scale.input ?? outputGradient)).sum()])
    }
    var parameters: [Parameter] { scale.parameters }
}

/// `[n, m] → [n, 2m]`: each row twice, side by side; `n · m` multiply-accumulates (to test the summary's sums).
private final class Twice: Layer {
    func forward(_ input: Tensor) -> Tensor { input }
    func backward(_ outputGradient: Tensor) -> Tensor { outputGradient }
    func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 else { throw KitError("twice takes [batch, features], not \(inputShape)") }
        return [inputShape[0], 2 * inputShape[1]]
    }
    func multiplyAccumulates(for inputShape: [Int]) throws -> Int { inputShape.reduce(1, *) }
    var description: String { "twice" }
}

/// y = x + 1, with no parameters (the protocol's defaults).
private final class AddOne: Layer {
    let log: CallLog
    init(log: CallLog) { self.log = log }
    func forward(_ input: Tensor) -> Tensor {
        log.calls.append("addOne.forward")
        return input + 1
    }
    func backward(_ outputGradient: Tensor) -> Tensor {
        log.calls.append("addOne.backward")
        return outputGradient
    }
}

@Suite("Layer · Sequential and Parameter")
struct SequentialTests {
    @Test("Sequential runs forward in order and backward in reverse order")
    func order() {
        let log = CallLog()
        let model = Sequential(Scale("a", 2, log: log), AddOne(log: log), Scale("b", 3, log: log))
        let y = model(Tensor([[1, 2]]))
        #expect(y == Tensor([[9, 15]])) // 3 · (2x + 1)
        let dx = model.backward(Tensor([[1, 1]]))
        #expect(dx == Tensor([[6, 6]])) // d/dx of 3(2x + 1)
        #expect(
            log.calls == ["a.forward", "addOne.forward", "b.forward", "b.backward", "addOne.backward", "a.backward"])
    }

    @Test("backward fills every parameter's gradient: the chain rule through the stack")
    func gradients() {
        let log = CallLog()
        let a = Scale("a", 2, log: log)
        let b = Scale("b", 3, log: log)
        let model = Sequential([a, AddOne(log: log), b])
        let x = Tensor([[1, 2]])
        _ = model.forward(x)
        _ = model.backward(Tensor([[1, 1]]))
        // L = Σ 3(2x + 1): ∂L/∂b = Σ (2x + 1) = 8, ∂L/∂a = Σ 3x = 9.
        #expect(b.weight.gradient == Tensor([8]))
        #expect(a.weight.gradient == Tensor([9]))
        // The same by finite differences on the parameters.
        let numericA = numericalGradient(at: a.weight.value) { w in
            a.weight.value = w
            return model.forward(x).sum()
        }
        #expect(isClose(numericA, Tensor([9]), tolerance: 1e-8))
    }

    @Test("backwardSkippingInput fills the same gradients as backward, and never asks the first layer for ∂L/∂x")
    func skippingTheInputGradient() {
        let log = CallLog()
        let a = Scale("a", 2, log: log)
        let b = Scale("b", 3, log: log)
        let model = Sequential([a, AddOne(log: log), b])
        _ = model.forward(Tensor([[1, 2]]))
        log.calls = []
        model.backwardSkippingInput(logitsGradient: Tensor([[1, 1]]))
        #expect(b.weight.gradient == Tensor([8]))
        #expect(a.weight.gradient == Tensor([9]))
        // Scale has no backwardSkippingInput of its own: the default runs its backward.
        #expect(log.calls == ["b.backward", "addOne.backward", "a.backward"])
        // A first layer that has one is asked for it, and for nothing else.
        let first = SkippingScale("first", 2, log: log)
        let last = Scale("last", 3, log: log)
        let skipping = Sequential([first, AddOne(log: log), last])
        _ = skipping.forward(Tensor([[1, 2]]))
        log.calls = []
        skipping.backwardSkippingInput(logitsGradient: Tensor([[1, 1]]))
        #expect(log.calls == ["last.backward", "addOne.backward", "first.backwardSkippingInput"])
        #expect(first.scale.weight.gradient == Tensor([9]) && last.weight.gradient == Tensor([8]))
        Sequential().backwardSkippingInput(Tensor([[1]])) // no layers: nothing to do, no crash
    }

    @Test("parameters are collected in layer order, and counted")
    func parameters() {
        let log = CallLog()
        let a = Scale("a", 2, log: log)
        let b = Scale("b", 3, log: log)
        let model = Sequential(a, AddOne(log: log), b)
        #expect(
            model.parameters.map { ObjectIdentifier($0) } == [ObjectIdentifier(a.weight), ObjectIdentifier(b.weight)])
        #expect(model.parameterCount == 2)
        #expect(AddOne(log: log).parameters.isEmpty && AddOne(log: log).parameterCount == 0)
    }

    @Test("a new Parameter has a zero gradient of its value's shape; updates through it reach the layer")
    func parameterIsShared() {
        let p = Parameter("weight", Tensor([[1, 2, 3], [4, 5, 6]]))
        #expect(p.name == "weight" && p.gradient == Tensor(zeros: [2, 3]))
        let layer = Scale("a", 2, log: CallLog())
        let shared = layer.parameters[0]
        shared.value -= Tensor([0.5])
        #expect(layer.weight.value == Tensor([1.5]))
    }

    @Test("setTraining reaches every layer with a mode, at any depth, and nothing else")
    func training() {
        let log = CallLog()
        let a = Scale("a", 2, log: log)
        let b = Scale("b", 3, log: log)
        let model = Sequential(a, Sequential(AddOne(log: log), Sequential(b)))
        model.setTraining(false)
        #expect(!a.isTraining && !b.isTraining)
        model.setTraining(true)
        #expect(a.isTraining && b.isTraining)
        #expect(model.layerTree.count == 6) // three Sequentials, a, AddOne, b
        #expect(model.layerTree.first === model && model.layerTree.last === b)
    }

    @Test("evaluating runs in evaluation mode, then puts back each layer's own mode, even after a throw")
    func evaluating() throws {
        let log = CallLog()
        let a = Scale("a", 2, log: log)
        let b = Scale("b", 3, log: log)
        b.isTraining = false
        let model = Sequential(a, Sequential(b))
        let seen = model.evaluating { [a.isTraining, b.isTraining] }
        #expect(seen == [false, false])
        #expect(a.isTraining && !b.isTraining)
        #expect(throws: KitError.self) { try model.evaluating { throw KitError("stop") } }
        #expect(a.isTraining && !b.isTraining)
        // Through a classifier, as training code holds its network.
        let network: any Classifier = model
        #expect(NeuralKit.evaluating(network) { a.isTraining } == false)
        #expect(a.isTraining)
    }

    @Test("a layer without sublayers keeps the shape and costs nothing; a Sequential chains and sums its layers")
    func shapes() throws {
        let log = CallLog()
        let addOne = AddOne(log: log)
        #expect(try addOne.outputShape(for: [3, 5, 7]) == [3, 5, 7])
        #expect(try addOne.multiplyAccumulates(for: [3, 5, 7]) == 0)
        #expect(addOne.description == "addone") // the default: the type's name in lower case
        let model = Sequential(Twice(), addOne, Twice())
        #expect(try model.outputShape(for: [3, 2]) == [3, 8])
        #expect(try model.multiplyAccumulates(for: [3, 2]) == 3 * 2 + 3 * 4)
        let rows = try model.summary(for: [3, 2])
        #expect(rows.map(\.name) == ["twice", "addone", "twice"])
        #expect(rows.map(\.inputShape) == [[3, 2], [3, 4], [3, 4]])
        #expect(rows.map(\.outputShape) == [[3, 4], [3, 4], [3, 8]])
        #expect(rows.map(\.multiplyAccumulates) == [6, 0, 12])
        #expect(try Sequential(Scale("a", 2, log: log)).summary(for: [1, 1]).map(\.parameterCount) == [1])
    }

    @Test("a shape a layer cannot take throws its reason, from inside any container")
    func shapeErrors() {
        let model = Sequential(Sequential(Twice()))
        #expect(throws: KitError.self) { try model.outputShape(for: [2, 3, 4]) }
        #expect(throws: KitError.self) { try model.summary(for: [2, 3, 4]) }
        #expect(throws: KitError.self) { try model.multiplyAccumulates(for: [5]) }
    }

    @Test("windowPositions is ⌊(size + 2·padding − span) / stride⌋ + 1, and throws when the window fits nowhere")
    func windowPositions() throws {
        #expect(try NeuralKit.windowPositions(size: 28, span: 5, stride: 1, layer: "conv") == 24)
        #expect(try NeuralKit.windowPositions(size: 7, span: 3, stride: 2, padding: 1, layer: "conv") == 4)
        #expect(try NeuralKit.windowPositions(size: 3, span: 5, stride: 1, padding: 1, layer: "conv") == 1)
        #expect(throws: KitError.self) {
            try NeuralKit.windowPositions(size: 3, span: 6, stride: 1, padding: 1, layer: "conv")
        }
        #expect(throws: KitError.self) { try NeuralKit.windowPositions(size: 8, span: 2, stride: 0, layer: "pool") }
    }

    @Test("a Sequential is a Classifier whose logits are its output")
    func classifier() {
        let log = CallLog()
        let model: any Classifier = Sequential(Scale("a", 2, log: log))
        #expect(model.logits(Tensor([[1, -1]])) == Tensor([[2, -2]]))
        #expect(model.backward(logitsGradient: Tensor([[1, 1]])) == Tensor([[2, 2]]))
        #expect(model.parameters.count == 1)
    }

    @Test("an empty Sequential is the identity")
    func empty() {
        let model = Sequential([])
        #expect(model(Tensor([1, 2])) == Tensor([1, 2]) && model.backward(Tensor([3])) == Tensor([3]))
    }
}
