/// One row of a model's summary: a layer that holds no other layers, with what
/// it does to the shape it receives in the model.
public struct LayerSummary {
    /// The layer's short name (its `description`).
    public let name: String
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let parameterCount: Int
    public let multiplyAccumulates: Int

    /// A row; `kit summary` also builds rows from published architectures' sizes, without layers.
    public init(name: String, inputShape: [Int], outputShape: [Int], parameterCount: Int, multiplyAccumulates: Int) {
        self.name = name
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.parameterCount = parameterCount
        self.multiplyAccumulates = multiplyAccumulates
    }
}

extension Layer {
    /// The rows of the model's summary for an input of `inputShape` (batch
    /// included): the layers that hold no others, in order, each fed the shape
    /// the one before it returns. Every layer of the tree checks the shape it
    /// is given, so a model that cannot take the input throws the first layer's reason.
    /// The rows' parameters add up to the model's `parameterCount`: a container that
    /// learns tensors of its own (not its sublayers') gets a row for them after its sublayers.
    public func summary(for inputShape: [Int]) throws -> [LayerSummary] {
        guard !sublayers.isEmpty else {
            return [
                LayerSummary(
                    name: description, inputShape: inputShape,
                    outputShape: try outputShape(for: inputShape), parameterCount: parameterCount,
                    multiplyAccumulates: try multiplyAccumulates(for: inputShape))
            ]
        }
        var rows: [LayerSummary] = []
        var shape = inputShape
        for layer in sublayers {
            rows += try layer.summary(for: shape)
            shape = rows.last?.outputShape ?? shape
        }
        let output = try outputShape(for: inputShape) // a container's own check, such as a residual block's sum
        let held = Set(sublayers.flatMap(\.parameters).map(ObjectIdentifier.init))
        let own = parameters.filter { !held.contains(ObjectIdentifier($0)) }.reduce(0) { $0 + $1.value.count }
        if own > 0 {
            rows.append(
                LayerSummary(
                    name: "\(description) (its own parameters)", inputShape: shape, outputShape: output,
                    parameterCount: own, multiplyAccumulates: 0))
        }
        return rows
    }
}
