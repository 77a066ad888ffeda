import NeuralKit
import Testing

/// Records the order in which test layers run.
private final class CallLog {
    var calls: [String] = []
}

/// y = w · x, with a learned scalar w (a `[1]` parameter).
private final class Scale: Layer {
    let name: String, log: CallLog
    let weight: Parameter
    var input: Tensor?
    var training = true

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
    var isTraining: Bool {
        get { training }
        set { training = newValue }
    }
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

/// y = x + 1, with no parameters (the protocol's defaults).
private final class AddOne: Layer {
    let log: CallLog
    init(log: CallLog) { self.log = log }
    func forward(_ input: Tensor) -> Tensor { log.calls.append("addOne.forward"); return input + 1 }
    func backward(_ outputGradient: Tensor) -> Tensor { log.calls.append("addOne.backward"); return outputGradient }
}

@Suite("Layer · Sequential and Parameter")
struct SequentialTests {
    @Test("Sequential runs forward in order and backward in reverse order")
    func order() {
        let log = CallLog()
        let model = Sequential(Scale("a", 2, log: log), AddOne(log: log), Scale("b", 3, log: log))
        let y = model(Tensor([[1, 2]]))
        #expect(y == Tensor([[9, 15]]))                  // 3 · (2x + 1)
        let dx = model.backward(Tensor([[1, 1]]))
        #expect(dx == Tensor([[6, 6]]))                  // d/dx of 3(2x + 1)
        #expect(log.calls == ["a.forward", "addOne.forward", "b.forward", "b.backward", "addOne.backward", "a.backward"])
    }

    @Test("backward fills every parameter's gradient: the chain rule through the stack")
    func gradients() {
        let log = CallLog()
        let a = Scale("a", 2, log: log), b = Scale("b", 3, log: log)
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
        let a = Scale("a", 2, log: log), b = Scale("b", 3, log: log)
        let model = Sequential([a, AddOne(log: log), b])
        _ = model.forward(Tensor([[1, 2]]))
        log.calls = []
        model.backwardSkippingInput(logitsGradient: Tensor([[1, 1]]))
        #expect(b.weight.gradient == Tensor([8]))
        #expect(a.weight.gradient == Tensor([9]))
        // Scale has no backwardSkippingInput of its own: the default runs its backward.
        #expect(log.calls == ["b.backward", "addOne.backward", "a.backward"])
        // A first layer that has one is asked for it, and for nothing else.
        let first = SkippingScale("first", 2, log: log), last = Scale("last", 3, log: log)
        let skipping = Sequential([first, AddOne(log: log), last])
        _ = skipping.forward(Tensor([[1, 2]]))
        log.calls = []
        skipping.backwardSkippingInput(logitsGradient: Tensor([[1, 1]]))
        #expect(log.calls == ["last.backward", "addOne.backward", "first.backwardSkippingInput"])
        #expect(first.scale.weight.gradient == Tensor([9]) && last.weight.gradient == Tensor([8]))
        Sequential().backwardSkippingInput(Tensor([[1]]))   // no layers: nothing to do, no crash
    }

    @Test("parameters are collected in layer order, and counted")
    func parameters() {
        let log = CallLog()
        let a = Scale("a", 2, log: log), b = Scale("b", 3, log: log)
        let model = Sequential(a, AddOne(log: log), b)
        #expect(model.parameters.map { ObjectIdentifier($0) } == [ObjectIdentifier(a.weight), ObjectIdentifier(b.weight)])
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

    @Test("setting isTraining on a Sequential sets it on every layer")
    func training() {
        let log = CallLog()
        let a = Scale("a", 2, log: log), b = Scale("b", 3, log: log)
        let model = Sequential(a, AddOne(log: log), b)
        #expect(model.isTraining)
        model.isTraining = false
        #expect(!a.training && !b.training && !model.isTraining)
        #expect(AddOne(log: log).isTraining)             // the default
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
