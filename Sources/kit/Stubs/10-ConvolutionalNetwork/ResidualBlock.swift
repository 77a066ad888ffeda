import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — bonus: a residual block
//
// A residual block learns a correction to its input instead of a whole new
// map: y = relu(x + F(x)), with F = conv → ReLU → conv. The shortcut carries
// the gradient straight back, which is what lets very deep networks train.
//
// Walkthrough: docs/10-convolutional-network.md · Check: swift test --filter Stage10

/// `y = relu(x + conv₂(relu(conv₁(x))))`; both convolutions keep the shape
/// `[N, C, H, W]` (3×3 kernels, stride 1, padding 1, C filters).
public final class ResidualBlock: Layer {
    public let first: Conv2D
    public let second: Conv2D
    /// `x + conv₂(relu(conv₁(x)))` of the last forward pass, before the final ReLU.
    public private(set) var sum: Tensor?
    /// `conv₁(x)` of the last forward pass, before the inner ReLU.
    public private(set) var hidden: Tensor?

    /// (Given.)
    public init(first: Conv2D, second: Conv2D) {
        self.first = first
        self.second = second
    }

    /// A block for `channels` channels with He-normal 3×3 kernels. (Given.)
    public convenience init(channels: Int, using generator: inout SeededGenerator) {
        self.init(
            first: Conv2D(inputChannels: channels, filters: channels, kernel: 3, padding: 1, using: &generator),
            second: Conv2D(inputChannels: channels, filters: channels, kernel: 3, padding: 1, using: &generator))
    }

    public var parameters: [Parameter] { first.parameters + second.parameters }

    public func forward(_ input: Tensor) -> Tensor {
        // TODO: h = first(x), cache it; s = x + second(relu(h)), cache it; return relu(s).
        return notImplemented("ResidualBlock.forward", placeholder: input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: through the last ReLU (at s); then the gradient splits: one copy goes straight
        // to x (the shortcut), the other back through second, the inner ReLU (at h) and first.
        // ∂L/∂x is the sum of the two.
        return notImplemented("ResidualBlock.backward", placeholder: outputGradient)
    }
}

// MARK: - Description (given)

extension ResidualBlock {
    /// The two convolutions, in order. (Given.)
    public var sublayers: [any Layer] { [first, second] }

    /// The input's shape, which the convolutions must keep for the sum `x + F(x)`. (Given.)
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let branch = try second.outputShape(for: first.outputShape(for: inputShape))
        guard branch == inputShape else {
            throw KitError(
                "\(description): its convolutions turn \(inputShape) into \(branch), "
                    + "which cannot be added to the input")
        }
        return inputShape
    }

    /// `residual block`. (Given.)
    public var description: String { "residual block" }
}
