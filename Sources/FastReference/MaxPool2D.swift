import NeuralKit
import Solutions

// The max pooling `kit train` and `kit bench` train LeNet-5 with: the reference `MaxPool2D`
// (stage 10) on raw buffers, every channel of every image shared out over the cores. The same
// numbers as the reference (FastReferenceTests).

/// Max pooling over `window × window` patches, moved by `stride`, on every channel:
/// `[N, C, H, W] → [N, C, H′, W′]` with `H′ = ⌊(H − F) / S⌋ + 1`.
///
/// Backward sends each output's gradient to the one input that held the
/// maximum of its window. Ties: the first maximum in row-major order within
/// the window (top row first, left to right) gets the gradient.
public final class MaxPool2D: Layer {
    public let window: Int
    public let stride: Int
    /// The shape of the input of the last forward pass.
    public private(set) var inputShape: [Int]?
    /// For each output value (row-major), the flat row-major index into the
    /// input of the value that was the maximum of its window.
    public private(set) var maxPositions: [Int] = []

    /// A pooling layer; the stride defaults to the window (windows that touch, without overlap).
    public init(window: Int, stride: Int? = nil) {
        self.window = window
        self.stride = stride ?? window
    }

    public func forward(_ input: Tensor) -> Tensor {
        guard
            let (n, c, h, w, outH, outW) = poolingGeometry(
                input.shape, window: window, stride: stride, name: "MaxPool2D")
        else { return Tensor(zeros: [input.shape.first ?? 0, 1, 1, 1]) }
        inputShape = input.shape
        var out = [Double](repeating: 0, count: n * c * outH * outW)
        var positions = [Int](repeating: 0, count: out.count)
        let (f, s) = (window, stride)
        input.withUnsafeScalars { x in
            out.withUnsafeMutableBufferPointer { y in
                positions.withUnsafeMutableBufferPointer { winners in
                    // Every channel of every image on its own: shared out over the cores.
                    Parallel.forEachChunk(n * c, minimumChunk: 16) { planes in
                        for plane in planes {
                            let base = plane * h * w
                            var o = plane * outH * outW
                            for i in 0..<outH {
                                for j in 0..<outW {
                                    var best = base + i * s * w + j * s
                                    var largest = x[best]
                                    for u in 0..<f {
                                        let row = base + (i * s + u) * w + j * s
                                        for v in 0..<f where x[row + v] > largest {
                                            best = row + v
                                            largest = x[best]
                                        }
                                    }
                                    y[o] = largest
                                    winners[o] = best
                                    o += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        maxPositions = positions
        return Tensor(shape: [n, c, outH, outW], scalars: out)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let shape = inputShape ?? [0, 0, 0, 0]
        guard outputGradient.count == maxPositions.count else {
            Problems.invalidShape(
                "MaxPool2D.backward: the output gradient has shape \(outputGradient.shape), "
                    + "but the forward pass gave \(maxPositions.count) values")
            return Tensor(zeros: shape)
        }
        var dx = [Double](repeating: 0, count: shape.reduce(1, *))
        outputGradient.withUnsafeScalars { g in
            maxPositions.withUnsafeBufferPointer { positions in
                dx.withUnsafeMutableBufferPointer { d in
                    for o in 0..<positions.count { d[positions[o]] += g[o] }
                }
            }
        }
        return Tensor(shape: shape, scalars: dx)
    }
}

/// `(N, C, H, W, H′, W′)` for pooling, or nil with a recorded problem.
private func poolingGeometry(_ shape: [Int], window: Int, stride: Int, name: String)
    -> (Int, Int, Int, Int, Int, Int)?
{
    guard shape.count == 4 else {
        Problems.invalidShape("\(name): the input must have shape [batch, channels, height, width], got \(shape)")
        return nil
    }
    do {
        let outH = try poolingOutputSize(input: shape[2], window: window, stride: stride)
        let outW = try poolingOutputSize(input: shape[3], window: window, stride: stride)
        return (shape[0], shape[1], shape[2], shape[3], outH, outW)
    } catch {
        Problems.invalidShape("\(name) on input \(shape): \(error)")
        return nil
    }
}
