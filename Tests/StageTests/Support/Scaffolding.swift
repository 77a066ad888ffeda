import NeuralKit

// Models and optimizers of the checks' own, built from the core alone, for the checks of
// predictions and training loops (stages 7–9). The student's code and the reference's run on
// identical copies, so that a difference is the stage's, never an earlier stage's. None of them
// is an answer of a stage: no Dense layer, no SGD with momentum.

/// An optimizer that changes nothing and keeps the gradient each parameter had when it was stepped.
final class OptimizerSpy: Optimizer {
    private var given: [(parameter: ObjectIdentifier, gradient: Tensor)] = []

    func step(_ parameters: [Parameter]) { given += parameters.map { (ObjectIdentifier($0), $0.gradient) } }

    /// How many times `parameter` was given to `step`.
    func steps(of parameter: Parameter) -> Int { given.filter { $0.parameter == ObjectIdentifier(parameter) }.count }

    /// The gradient `parameter` had when it was last given to `step`.
    func gradient(of parameter: Parameter) -> Tensor? {
        given.last { $0.parameter == ObjectIdentifier(parameter) }?.gradient
    }
}

/// Gradient descent without momentum: w ← w − η·∂L/∂w for every parameter given.
final class PlainStep: Optimizer {
    let learningRate: Double
    init(learningRate: Double) { self.learningRate = learningRate }

    func step(_ parameters: [Parameter]) {
        for parameter in parameters { parameter.value = parameter.value - learningRate * parameter.gradient }
    }
}

/// A classifier with nothing to learn whose logits are a fixed function of its input, x·W.
final class FixedScores: Classifier {
    let weight: Tensor
    private var rows = 0

    init(_ weight: Tensor) { self.weight = weight }

    func logits(_ input: Tensor) -> Tensor {
        rows = input.rowCount
        return input.matmul(weight)
    }

    @discardableResult
    func backward(logitsGradient: Tensor) -> Tensor { Tensor(zeros: [rows, weight.rowCount]) }

    var parameters: [Parameter] { [] }
}

/// A model whose logits for example i are row i of its one parameter, `table`; example i is
/// the input row whose first value is i. Each example moves only its own row, so after an
/// epoch that visits every example once, the table does not depend on the order of the batches:
/// the checks of a training loop can accept any shuffle.
final class ExampleTable: Classifier {
    let table: Parameter
    private var indices: [Int] = []
    private var shapeOfInput: [Int] = [0, 0]

    init(_ table: Tensor) { self.table = Parameter("table", table) }

    func logits(_ input: Tensor) -> Tensor {
        shapeOfInput = input.shape
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
        return Tensor(zeros: shapeOfInput)
    }

    var parameters: [Parameter] { [table] }
}
