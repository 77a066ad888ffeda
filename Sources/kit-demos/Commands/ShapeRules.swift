import Exercises
import NeuralKit
#if !NEURALKIT_NO_REFERENCE
import Solutions
#endif

/// The shape arithmetic of stage 10 (ShapeArithmetic.swift) that `kit shape` and `kit summary`
/// compute with: the reference's in the instructor's kit; the student's own in the student
/// edition, which has no reference (and whose core holds no copy of these answers). A student
/// function not written yet is an error that says so.
struct ShapeRules: Sendable {
    let convolutionOutputSize: @Sendable (_ input: Int, _ kernel: Int, _ stride: Int, _ padding: Int, _ dilation: Int) throws -> Int
    let poolingOutputSize: @Sendable (_ input: Int, _ window: Int, _ stride: Int) throws -> Int
    let convolutionParameterCount: @Sendable (_ kernel: Int, _ inputChannels: Int, _ filters: Int) throws -> Int
    let denseParameterCount: @Sendable (_ inputs: Int, _ outputs: Int) throws -> Int
    let convolutionMultiplyAccumulates: @Sendable (_ kernel: Int, _ inputChannels: Int, _ filters: Int,
                                                   _ outputHeight: Int, _ outputWidth: Int) throws -> Int
    let denseMultiplyAccumulates: @Sendable (_ inputs: Int, _ outputs: Int) throws -> Int

    static var current: ShapeRules { StudentEdition.hasReference ? reference : student }

    #if NEURALKIT_NO_REFERENCE
    private static var reference: ShapeRules { student }
    #else
    private static let reference = ShapeRules(
        convolutionOutputSize: { try Solutions.convolutionOutputSize(input: $0, kernel: $1, stride: $2, padding: $3, dilation: $4) },
        poolingOutputSize: { try Solutions.poolingOutputSize(input: $0, window: $1, stride: $2) },
        convolutionParameterCount: { Solutions.convolutionParameterCount(kernel: $0, inputChannels: $1, filters: $2) },
        denseParameterCount: { Solutions.denseParameterCount(inputs: $0, outputs: $1) },
        convolutionMultiplyAccumulates: {
            Solutions.convolutionMultiplyAccumulates(kernel: $0, inputChannels: $1, filters: $2, outputHeight: $3, outputWidth: $4)
        },
        denseMultiplyAccumulates: { Solutions.denseMultiplyAccumulates(inputs: $0, outputs: $1) })
    #endif

    private static let student = ShapeRules(
        convolutionOutputSize: { input, kernel, stride, padding, dilation in
            try yours { try Exercises.convolutionOutputSize(input: input, kernel: kernel, stride: stride, padding: padding, dilation: dilation) }
        },
        poolingOutputSize: { input, window, stride in try yours { try Exercises.poolingOutputSize(input: input, window: window, stride: stride) } },
        convolutionParameterCount: { kernel, channels, filters in
            try yours { Exercises.convolutionParameterCount(kernel: kernel, inputChannels: channels, filters: filters) }
        },
        denseParameterCount: { inputs, outputs in try yours { Exercises.denseParameterCount(inputs: inputs, outputs: outputs) } },
        convolutionMultiplyAccumulates: { kernel, channels, filters, height, width in
            try yours {
                Exercises.convolutionMultiplyAccumulates(kernel: kernel, inputChannels: channels, filters: filters,
                                                         outputHeight: height, outputWidth: width)
            }
        },
        denseMultiplyAccumulates: { inputs, outputs in try yours { Exercises.denseMultiplyAccumulates(inputs: inputs, outputs: outputs) } })

    /// Runs one of the student's functions; one not written yet is an error that says what to do.
    private static func yours<T>(_ body: () throws -> T) throws -> T {
        let (value, problems) = try Problems.collect(body)
        if let problem = problems.first {
            throw KitError("in the student edition, kit shape and kit summary compute with your stage 10 shape arithmetic "
                + "(Exercises/10-ConvolutionalNetwork/ShapeArithmetic.swift), and \(problem.message). Write it "
                + "(swift run kit check 10), or work the numbers out with docs/formulas.md")
        }
        return value
    }
}
