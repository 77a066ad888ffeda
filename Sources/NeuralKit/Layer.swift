/// A tensor a layer learns, with the gradient of the loss with respect to it.
///
/// A reference type, so that an optimizer holding a layer's parameters
/// updates the layer itself: `parameter.value -= learningRate * parameter.gradient`.
public final class Parameter {
    /// A name for messages and summaries, such as `"weight"`.
    public let name: String
    /// The current value.
    public var value: Tensor
    /// ∂L/∂value from the last backward pass (zeros until then).
    public var gradient: Tensor

    public init(_ name: String, _ value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
    }
}

/// A differentiable building block: a forward pass, and a backward pass that
/// turns the gradient of the loss with respect to the output into the
/// gradient with respect to the input.
///
/// `forward` caches what `backward` needs (the input, a mask, the output);
/// `backward` also fills the gradients of the layer's parameters. A model is
/// layers in a `Sequential`, and reads like its diagram.
public protocol Layer: AnyObject, CustomStringConvertible {
    /// y = f(x), caching what `backward` needs.
    func forward(_ input: Tensor) -> Tensor
    /// ∂L/∂x from ∂L/∂y, using the cache of the last `forward`; fills the
    /// parameters' gradients.
    func backward(_ outputGradient: Tensor) -> Tensor
    /// What `backward` does to the parameters' gradients, without computing
    /// ∂L/∂x: for the first layer of a model, whose input is the data and
    /// needs no gradient. (Given: the default calls `backward`. A layer may
    /// skip the work, as the fast layers `kit train` runs do.)
    func backwardSkippingInput(_ outputGradient: Tensor)
    /// The tensors the layer learns (none for an activation).
    var parameters: [Parameter] { get }
    /// The layers this one holds, in the order the input goes through them
    /// (none for a layer that holds none). The training switch and the
    /// summary reach every layer of a model through them.
    var sublayers: [any Layer] { get }
    /// The shape of the output for an input of `inputShape` (batch included),
    /// or a `KitError` that says why the layer cannot take it.
    /// (Default: the sublayers in order; a layer with none keeps the shape, as an activation does.)
    func outputShape(for inputShape: [Int]) throws -> [Int]
    /// The multiply-accumulates of one forward pass on an input of `inputShape` (batch included).
    /// (Default: the sublayers' sum; a layer with none does none, as an activation.)
    func multiplyAccumulates(for inputShape: [Int]) throws -> Int
    /// A short name for tables, such as `dense 120` (default: the type's name in lower case).
    var description: String { get }
}

extension Layer {
    /// `layer(x)` is `layer.forward(x)`.
    public func callAsFunction(_ input: Tensor) -> Tensor { forward(input) }

    public func backwardSkippingInput(_ outputGradient: Tensor) { _ = backward(outputGradient) }

    public var parameters: [Parameter] { [] }

    public var sublayers: [any Layer] { [] }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        try sublayers.reduce(inputShape) { shape, layer in try layer.outputShape(for: shape) }
    }

    public func multiplyAccumulates(for inputShape: [Int]) throws -> Int {
        var shape = inputShape
        var total = 0
        for layer in sublayers {
            total += try layer.multiplyAccumulates(for: shape)
            shape = try layer.outputShape(for: shape)
        }
        return total
    }

    public var description: String { String(describing: type(of: self)).lowercased() }

    /// The number of learned scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// This layer and every layer it holds, at any depth, in order.
    public var layerTree: [any Layer] { [self] + sublayers.flatMap(\.layerTree) }

    /// Switches every layer of the tree that behaves differently in training
    /// (dropout) to training (`true`) or to evaluation (`false`).
    public func setTraining(_ training: Bool) {
        for case let layer as any TrainingModeLayer in layerTree { layer.isTraining = training }
    }

    /// Runs `body` with the whole tree in evaluation mode, then puts back the
    /// mode each layer had: for predicting and measuring a model in training.
    public func evaluating<T>(_ body: () throws -> T) rethrows -> T {
        let layers = layerTree.compactMap { $0 as? any TrainingModeLayer }
        let modes = layers.map(\.isTraining)
        defer { for (layer, mode) in zip(layers, modes) { layer.isTraining = mode } }
        for layer in layers { layer.isTraining = false }
        return try body()
    }
}

/// A layer that computes differently while training and at evaluation, such
/// as dropout, which drops values only while training. Its mode is its own;
/// `setTraining(_:)` and `evaluating(_:)` on a model set the modes of all of them.
public protocol TrainingModeLayer: Layer {
    /// Whether the layer computes as in training.
    var isTraining: Bool { get set }
}

/// Runs `body` with `model` in evaluation mode (see `Layer.evaluating(_:)`),
/// then puts back its modes. A classifier that is not a layer has no modes: `body` just runs.
public func evaluating<T>(_ model: any Classifier, _ body: () throws -> T) rethrows -> T {
    guard let layer = model as? any Layer else { return try body() }
    return try layer.evaluating(body)
}

/// Layers applied one after another: forward in order, backward in reverse.
public final class Sequential: Layer {
    public var layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    public func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { x, layer in layer.forward(x) }
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        layers.reversed().reduce(outputGradient) { g, layer in layer.backward(g) }
    }

    /// Backward through every layer but the first, which only fills its parameters' gradients.
    public func backwardSkippingInput(_ outputGradient: Tensor) {
        guard let first = layers.first else { return }
        first.backwardSkippingInput(
            layers.dropFirst().reversed().reduce(outputGradient) { g, layer in layer.backward(g) })
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public var sublayers: [any Layer] { layers }
}

/// A model that scores classes: the training loop needs its logits, a
/// backward pass from the gradient of the loss with respect to them, and
/// its parameters.
public protocol Classifier: AnyObject {
    /// The scores before softmax, `[batch, classes]`.
    func logits(_ input: Tensor) -> Tensor
    /// Backward from `∂L/∂logits`, filling every parameter's gradient; returns `∂L/∂input`.
    @discardableResult
    func backward(logitsGradient: Tensor) -> Tensor
    /// Backward from `∂L/∂logits` for training: fills every parameter's
    /// gradient, and may skip `∂L/∂input`, which training does not use.
    /// (Given: the default calls `backward(logitsGradient:)`.)
    func backwardSkippingInput(logitsGradient: Tensor)
    var parameters: [Parameter] { get }
}

extension Classifier {
    public func backwardSkippingInput(logitsGradient: Tensor) { backward(logitsGradient: logitsGradient) }
}

extension Sequential: Classifier {
    /// A `Sequential` that ends in its last linear layer is a classifier: its output is the logits.
    public func logits(_ input: Tensor) -> Tensor { forward(input) }

    @discardableResult
    public func backward(logitsGradient: Tensor) -> Tensor { backward(logitsGradient) }

    public func backwardSkippingInput(logitsGradient: Tensor) { backwardSkippingInput(logitsGradient) }
}

/// Updates parameters from their gradients: SGD, momentum, Adam.
public protocol Optimizer: AnyObject {
    /// One update of every parameter from its current gradient.
    func step(_ parameters: [Parameter])
}
