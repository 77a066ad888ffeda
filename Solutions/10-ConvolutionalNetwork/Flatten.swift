import NeuralKit

// Stage 10 · Convolution, pooling, LeNet-5 — flatten
//
// Between the convolutional part and the dense part, each example's
// channels × height × width values become one row. The order is row-major,
// the order the scalars already have in memory: channel, then row, then column.

/// `[N, C, H, W] → [N, C·H·W]`: `y[n, (c·H + h)·W + w] = x[n, c, h, w]`.
/// Backward puts the gradient back into the input's shape, in the same order.
public final class Flatten: Layer {
    /// The shape of the input of the last forward pass.
    public private(set) var inputShape: [Int]?

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        inputShape = input.shape
        return input.flattenedBatch()
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        outputGradient.reshaped(inputShape ?? outputGradient.shape)
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
