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
public protocol Layer: AnyObject {
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
    /// Whether the layer is training (dropout drops only while training).
    var isTraining: Bool { get set }
}

extension Layer {
    /// `layer(x)` is `layer.forward(x)`.
    public func callAsFunction(_ input: Tensor) -> Tensor { forward(input) }

    public func backwardSkippingInput(_ outputGradient: Tensor) { _ = backward(outputGradient) }

    public var parameters: [Parameter] { [] }

    public var isTraining: Bool {
        get { true }
        set {}
    }

    /// The number of learned scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
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
        first.backwardSkippingInput(layers.dropFirst().reversed().reduce(outputGradient) { g, layer in layer.backward(g) })
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public var isTraining: Bool {
        get { layers.first?.isTraining ?? true }
        set { for layer in layers { layer.isTraining = newValue } }
    }
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
