import NeuralKit
import Solutions
import Testing

/// A container that learns a tensor of its own besides its sublayers': `y = g · inner(x)`.
private final class Gated: Layer {
    let inner: any Layer
    let gate = Parameter("gate", Tensor(ones: [3]))

    init(_ inner: any Layer) { self.inner = inner }

    func forward(_ input: Tensor) -> Tensor { inner.forward(input) }
    func backward(_ outputGradient: Tensor) -> Tensor { inner.backward(outputGradient) }
    var parameters: [Parameter] { inner.parameters + [gate] }
    var sublayers: [any Layer] { [inner] }
}

/// `kit summary` of any model built from the kit's layers: the rows' parameters add up to the
/// model's own count, whatever holds them.
@Suite("Layers · summaries of any model")
struct ModelSummaryTests {
    @Test("a model with a residual block and activation layers: one row per layer, parameters adding up to the model's")
    func residualBlockAndActivations() throws {
        var generator = SeededGenerator(seed: 5)
        let model = Sequential(
            Conv2D(inputChannels: 1, filters: 4, kernel: 3, padding: 1, using: &generator), Tanh(),
            ResidualBlock(channels: 4, using: &generator), Sigmoid(), MaxPool2D(window: 2), ReLU(), Flatten(),
            Dense(inputs: 4 * 4 * 4, outputs: 10))
        let rows = try model.summary(for: [1, 1, 8, 8])
        #expect(
            rows.map(\.name) == [
                "conv 3×3, 4 filters, padding 1", "tanh", "conv 3×3, 4 filters, padding 1",
                "conv 3×3, 4 filters, padding 1", "sigmoid", "max pool 2×2, stride 2", "relu", "flatten", "dense 10",
            ])
        // 40 for the first convolution, 2·(3·3·4 + 1)·4 = 296 in the block, 65·10 = 650 for the dense layer.
        #expect(rows.map(\.parameterCount) == [40, 0, 148, 148, 0, 0, 0, 0, 650])
        #expect(rows.reduce(0) { $0 + $1.parameterCount } == model.parameterCount)
        #expect(rows.map(\.outputShape).last == [1, 10])
        #expect(rows.reduce(0) { $0 + $1.multiplyAccumulates } == (try model.multiplyAccumulates(for: [1, 1, 8, 8])))
    }

    @Test("a container's own parameters get a row of their own, so the total is still the model's")
    func containersOwnParameters() throws {
        let model = Sequential(Gated(Sequential(Dense(inputs: 2, outputs: 3), Sigmoid())), Dense(inputs: 3, outputs: 1))
        let rows = try model.summary(for: [1, 2])
        #expect(rows.map(\.name) == ["dense 3", "sigmoid", "gated (its own parameters)", "dense 1"])
        #expect(rows.map(\.parameterCount) == [9, 0, 3, 4])
        #expect(rows.reduce(0) { $0 + $1.parameterCount } == model.parameterCount)
        #expect(rows[2].outputShape == [1, 3] && rows[3].inputShape == [1, 3])
    }
}
