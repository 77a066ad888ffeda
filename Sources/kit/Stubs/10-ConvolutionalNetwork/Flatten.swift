import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — flatten
//
// Between the convolutional part and the dense part, each example's
// channels × height × width values become one row. The order is row-major,
// the order the scalars already have in memory: channel, then row, then column.
//
// Walkthrough: docs/10-convolutional-network.md · Check: swift test --filter Stage10

/// `[N, C, H, W] → [N, C·H·W]`: `y[n, (c·H + h)·W + w] = x[n, c, h, w]`.
/// Backward puts the gradient back into the input's shape, in the same order.
public final class Flatten: Layer {
    /// The shape of the input of the last forward pass.
    public private(set) var inputShape: [Int]?

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        // TODO: remember the input's shape; the scalars are already in (c, h, w) order
        // (`reshaped(_:)` or `flattenedBatch()`).
        return notImplemented("Flatten.forward", placeholder: input)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        // TODO: undo exactly what forward did.
        return notImplemented("Flatten.backward", placeholder: outputGradient)
    }
}

// MARK: - Description (given)

extension Flatten {
    /// `[N, C, H, W] → [N, C·H·W]`. (Given.)
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard let batch = inputShape.first else { throw KitError("flatten needs a batch, not a scalar") }
        return [batch, inputShape.dropFirst().reduce(1, *)]
    }
}
