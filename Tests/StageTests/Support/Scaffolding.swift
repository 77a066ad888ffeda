import NeuralKit

// Models and optimizers of the checks' own, built from the core alone, for the checks of a
// training loop (stages 7–9). The student's loop and the reference's run on identical copies,
// so that a difference is the loop's, never an earlier stage's.

/// An optimizer that changes nothing and keeps the gradient each parameter had when it was stepped.
final class OptimizerSpy: Optimizer {
    private var given: [(parameter: ObjectIdentifier, gradient: Tensor)] = []

    func step(_ parameters: [Parameter]) { given += parameters.map { (ObjectIdentifier($0), $0.gradient) } }

    /// How many times `parameter` was given to `step`.
    func steps(of parameter: Parameter) -> Int { given.filter { $0.parameter == ObjectIdentifier(parameter) }.count }

    /// The gradient `parameter` had when it was last given to `step`.
    func gradient(of parameter: Parameter) -> Tensor? { given.last { $0.parameter == ObjectIdentifier(parameter) }?.gradient }
}

/// Gradient descent without momentum: w ← w − η·∂L/∂w for every parameter given.
final class PlainStep: Optimizer {
    let learningRate: Double
    init(learningRate: Double) { self.learningRate = learningRate }

    func step(_ parameters: [Parameter]) {
        for parameter in parameters { parameter.value = parameter.value - learningRate * parameter.gradient }
    }
}

/// Softmax regression's scores: logits = x·W + b, with W `[inputs, classes]` and b `[classes]`.
final class LinearModel: Classifier {
    let weight: Parameter
    let bias: Parameter
    private var input: Tensor?

    init(weight: Tensor, bias: Tensor) {
        self.weight = Parameter("weight", weight)
        self.bias = Parameter("bias", bias)
    }

    func logits(_ input: Tensor) -> Tensor {
        self.input = input
        return input.matmul(weight.value) + bias.value
    }

    @discardableResult
    func backward(logitsGradient g: Tensor) -> Tensor {
        if let input { weight.gradient = input.transposed().matmul(g) }
        bias.gradient = g.sum(alongAxis: 0)
        return g.matmul(weight.value.transposed())
    }

    var parameters: [Parameter] { [weight, bias] }
}

/// A model whose logits for example i are row i of its one parameter, `table`; example i is
/// the input row whose first value is i. Each example moves only its own row, so after an
/// epoch that visits every example once, the table does not depend on the order of the batches:
/// the checks of a training loop can accept any shuffle.
final class ExampleTable: Classifier {
    let table: Parameter
    private var indices: [Int] = []
    private var inputShape: [Int] = [0, 0]

    init(_ table: Tensor) { self.table = Parameter("table", table) }

    func logits(_ input: Tensor) -> Tensor {
        inputShape = input.shape
        indices = (0..<input.rowCount).map { min(max(Int(input[$0, 0].rounded()), 0), table.value.rowCount - 1) }
        return table.value.rows(indices)
    }

    @discardableResult
    func backward(logitsGradient g: Tensor) -> Tensor {
        let columns = table.value.columnCount
        var gradient = [Double](repeating: 0, count: table.value.count)
        for (row, index) in indices.enumerated() where row < g.rowCount {
            for column in 0..<columns { gradient[index * columns + column] += g[row, column] }
        }
        table.gradient = Tensor(shape: table.value.shape, scalars: gradient)
        return Tensor(zeros: inputShape)
    }

    var parameters: [Parameter] { [table] }
}
