import NeuralKit
import Testing

@Suite("LayerArithmetic · output sizes, parameters and multiply-accumulates (kit shape, kit summary)")
struct LayerArithmeticTests {
    @Test("a convolution's output size is ⌊(W − D(F − 1) − 1 + 2P) / S⌋ + 1 on the lectures' cases")
    func convolutionOutputSizes() throws {
        // (input, kernel, stride, padding, dilation, expected): LeNet-5's layers, stride, padding, dilation, a floor.
        let cases = [(32, 5, 1, 0, 1, 28), (28, 5, 1, 0, 1, 24), (7, 3, 2, 0, 1, 3), (7, 3, 1, 1, 1, 7),
                     (10, 3, 2, 0, 1, 4), (7, 3, 1, 0, 2, 3), (3, 5, 1, 1, 1, 1)]
        for (w, f, s, p, d, expected) in cases {
            #expect(try LayerArithmetic.convolutionOutputSize(input: w, kernel: f, stride: s, padding: p, dilation: d) == expected,
                    "input \(w), kernel \(f), stride \(s), padding \(p), dilation \(d)")
        }
    }

    @Test("a kernel or window that does not fit, a stride below 1 or a negative padding is an error that says why")
    func impossibleLayersThrow() {
        func message(_ body: () throws -> Int) -> String {
            do { return "returned \(try body())" } catch { return "\(error)" }
        }
        #expect(message { try LayerArithmetic.convolutionOutputSize(input: 5, kernel: 7) }.contains("larger than the padded input"))
        #expect(message { try LayerArithmetic.convolutionOutputSize(input: 5, kernel: 3, dilation: 3) }.contains("dilated kernel"))
        #expect(message { try LayerArithmetic.convolutionOutputSize(input: 5, kernel: 3, stride: 0) }.contains("stride"))
        #expect(message { try LayerArithmetic.convolutionOutputSize(input: 5, kernel: 3, padding: -1) }.contains("padding"))
        #expect(message { try LayerArithmetic.poolingOutputSize(input: 3, window: 4, stride: 1) }.contains("larger than the input"))
    }

    @Test("pooling's output size is ⌊(W − F) / S⌋ + 1")
    func poolingOutputSizes() throws {
        for (w, f, s, expected) in [(24, 2, 2, 12), (8, 2, 2, 4), (7, 3, 2, 3), (5, 2, 2, 2), (6, 3, 1, 4)] {
            #expect(try LayerArithmetic.poolingOutputSize(input: w, window: f, stride: s) == expected)
        }
    }

    @Test("LeNet-5's counts: 156 and 2,416 parameters in the convolutions, 30,840 in the first dense layer; 86,400 and 153,600 multiply-accumulates")
    func leNetCounts() {
        #expect(LayerArithmetic.convolutionParameterCount(kernel: 5, inputChannels: 1, filters: 6) == 156)
        #expect(LayerArithmetic.convolutionParameterCount(kernel: 5, inputChannels: 6, filters: 16) == 2_416)
        #expect(LayerArithmetic.denseParameterCount(inputs: 256, outputs: 120) == 30_840)
        #expect(LayerArithmetic.convolutionMultiplyAccumulates(kernel: 5, inputChannels: 1, filters: 6, outputHeight: 24, outputWidth: 24) == 86_400)
        #expect(LayerArithmetic.convolutionMultiplyAccumulates(kernel: 5, inputChannels: 6, filters: 16, outputHeight: 8, outputWidth: 8) == 153_600)
        #expect(LayerArithmetic.denseMultiplyAccumulates(inputs: 784, outputs: 100) == 78_400)
    }
}
