import Exercises
import NeuralKit
import Solutions
import Testing

/// Stage 1, optional: more activations and their derivatives.
@Suite("Stage 1 · Bonus: sigmoid, tanh, leaky ReLU, ELU, SELU")
struct Bonus01Activations {
    /// An activation's forward and backward, student and reference.
    struct Activation: CustomTestStringConvertible, Sendable {
        let name: String
        let student: @Sendable (Tensor) -> Tensor
        let reference: @Sendable (Tensor) -> Tensor
        let studentBackward: @Sendable (Tensor, Tensor) -> Tensor
        var testDescription: String { name }
    }

    static let activations: [Activation] = [
        Activation(
            name: "sigmoid", student: { Exercises.sigmoid($0) }, reference: { Solutions.sigmoid($0) },
            studentBackward: { Exercises.sigmoidBackward($0, input: $1) }),
        Activation(
            name: "tanh", student: { Exercises.tanh($0) }, reference: { Solutions.tanh($0) },
            studentBackward: { Exercises.tanhBackward($0, input: $1) }),
        Activation(
            name: "leakyReLU", student: { Exercises.leakyReLU($0, slope: 0.1) },
            reference: { Solutions.leakyReLU($0, slope: 0.1) },
            studentBackward: { Exercises.leakyReLUBackward($0, input: $1, slope: 0.1) }),
        Activation(
            name: "elu", student: { Exercises.elu($0, alpha: 0.7) }, reference: { Solutions.elu($0, alpha: 0.7) },
            studentBackward: { Exercises.eluBackward($0, input: $1, alpha: 0.7) }),
        Activation(
            name: "selu", student: { Exercises.selu($0) }, reference: { Solutions.selu($0) },
            studentBackward: { Exercises.seluBackward($0, input: $1) }),
    ]

    @Test("forward matches the reference", arguments: activations)
    func forwardMatchesReference(activation: Activation) throws {
        let x = randomTensor([3, 6], seed: 21, scale: 2)
        let actual = try student(1) { activation.student(x) }
        expectClose(actual, try reference(x, activation.name) { activation.reference(x) }, "\(activation.name)(x)")
    }

    @Test("backward matches finite differences", arguments: activations)
    func backwardMatchesFiniteDifferences(activation: Activation) throws {
        let x = randomTensor([3, 6], seed: 22, scale: 2).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
        let g = randomTensor([3, 6], seed: 23)
        let actual = try student(1) { activation.studentBackward(g, x) }
        let numeric = try reference(x, g, activation.name) {
            numericalGradient(at: x) { weightedSum(activation.reference($0), g) }
        }
        expectClose(actual, numeric, "\(activation.name)Backward", tolerance: .gradient)
    }

    @Test("sigmoid stays finite for inputs of ±1000")
    func sigmoidIsStable() throws {
        let y = try student(1) { Exercises.sigmoid(Tensor([[-1000, 1000]])) }
        expectClose(y, Tensor([[0, 1]]), "sigmoid([-1000, 1000])")
    }
}
