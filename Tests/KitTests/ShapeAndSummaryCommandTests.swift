import Foundation
import TestSupport
import Testing

/// `kit shape` and `kit summary` as a student runs them (through the built `kit-demos`).
@Suite("kit shape and kit summary · output")
struct ShapeAndSummaryCommandTests {
    @Test("lecture 001's quiz: 3×5×C (W×H×C), 3×3 kernel, 2 filters, padding 2×1, stride 2×2 gives 2×3×3")
    func lectureQuizGivesTwoByThreeByThree() throws {
        let quiz = try kitDemos(
            "shape", "conv2d", "--input", "3x5x1", "--layout", "whc", "--kernel", "3", "--filters", "2",
            "--padding", "2x1", "--stride", "2x2")
        #expect(quiz.status == 0, "\(quiz.text)")
        #expect(quiz.text.contains("input read as W×H×C = 3×5×1: 1 channel, height 5, width 3"), "\(quiz.text)")
        #expect(quiz.text.contains("output shape: 2×3×3 (C×H×W), that is 3×3×2 as W×H×C"), "\(quiz.text)")
        // The same layer in the kit's order: the pair follows the input's order, height×width.
        let kitOrder = try kitDemos(
            "shape", "conv2d", "--input", "1x5x3", "--kernel", "3", "--filters", "2", "--padding", "1x2", "--stride",
            "2")
        #expect(kitOrder.text.contains("output shape: 2×3×3 (C×H×W)"), "\(kitOrder.text)")
        // Swapping the padding's two sizes changes the answer, so each one reaches its own dimension.
        let swapped = try kitDemos(
            "shape", "conv2d", "--input", "3x5x1", "--layout", "whc", "--kernel", "3", "--filters", "2",
            "--padding", "1x2", "--stride", "2x2")
        #expect(swapped.text.contains("output shape: 2×4×2 (C×H×W)"), "\(swapped.text)")
    }

    @Test("kit help shape shows lecture 001's quiz and says which size of a pair is the height")
    func helpShowsTheQuiz() throws {
        let help = try kitDemos("shape", "--help")
        let flowing = help.text.split(whereSeparator: \.isNewline).joined(separator: " ")
        #expect(flowing.contains("--input 3x5x1 --layout whc --kernel 3 --filters 2 --padding 2x1 --stride 2x2"))
        #expect(flowing.contains("height×width, or width×height with --layout whc"), "\(help.text)")
    }

    @Test("the lectures' 32x32x3 without --layout is refused with both readings named, never read as C×H×W")
    func channelsLastInputIsNeverMisread() throws {
        let pasted = try kitDemos("shape", "conv2d", "--input", "32x32x3", "--kernel", "5", "--filters", "6")
        #expect(pasted.status == 2)
        #expect(pasted.text.contains("looks like the lectures' W×H×C"), "\(pasted.text)")
        #expect(pasted.text.contains("--layout whc") && pasted.text.contains("--layout chw"), "\(pasted.text)")
        #expect(!pasted.text.contains("output shape"), "\(pasted.text)")
        let lectures = try kitDemos(
            "shape", "conv2d", "--input", "32x32x3", "--layout", "whc", "--kernel", "5", "--filters", "6")
        #expect(lectures.text.contains("input read as W×H×C = 32×32×3: 3 channels"), "\(lectures.text)")
        #expect(lectures.text.contains("output shape: 6×28×28 (C×H×W), that is 28×28×6 as W×H×C"))
        #expect(lectures.text.contains("= 456"), "\(lectures.text)")
        // The quiz's 3×5×C with C = 1 would be 3 channels of 5×1.
        let quiz = try kitDemos("shape", "conv2d", "--input", "3x5x1", "--kernel", "3", "--filters", "2")
        #expect(quiz.status == 2 && quiz.text.contains("--layout whc"), "\(quiz.text)")
        // Meant channels first, it says so: 16 feature maps of 3×3.
        let maps = try kitDemos(
            "shape", "conv2d", "--input", "16x3x3", "--layout", "chw", "--kernel", "3", "--filters", "4")
        #expect(maps.text.contains("input read as C×H×W = 16×3×3: 16 channels"), "\(maps.text)")
        #expect(maps.text.contains("output shape: 4×1×1 (C×H×W)"), "\(maps.text)")
        // Lecture 001's pooling quiz, 32x32x16 with window 2 and stride 2: 16x16x16.
        let pooling = try kitDemos("shape", "pool", "--input", "32x32x16", "--window", "2", "--stride", "2")
        #expect(pooling.status == 2, "\(pooling.text)")
        let pooled = try kitDemos(
            "shape", "pool", "--input", "32x32x16", "--layout", "hwc", "--window", "2", "--stride", "2")
        #expect(pooled.text.contains("output shape: 16×16×16 (C×H×W)"), "\(pooled.text)")
        // The kit's own order is read as it always was, and says so.
        let kit = try kitDemos("shape", "conv2d", "--input", "3x32x32", "--kernel", "5", "--filters", "6")
        #expect(kit.text.contains("input read as C×H×W = 3×32×32: 3 channels, height 32, width 32"), "\(kit.text)")
        #expect(kit.text.contains("output shape: 6×28×28 (C×H×W)\n"), "\(kit.text)")
    }

    @Test("a stride or padding of three sizes, or not numbers, is a usage error that says what is expected")
    func badPairIsAUsageError() throws {
        for value in ["2x1x1", "two", "2x"] {
            let result = try kitDemos(
                "shape", "conv2d", "--input", "3x32x32", "--kernel", "5", "--filters", "6", "--stride", value)
            #expect(result.status == 2, "\(value): \(result.text)")
            #expect(result.text.contains("--stride takes 1 or 2 whole numbers"), "\(value): \(result.text)")
        }
    }

    @Test(
        "kit summary counts each lecture architecture's published parameters from its sizes",
        arguments: [
            ("alexnet", "61,100,840", 8), ("vgg16", "138,357,544", 16), ("resnet50", "25,557,032", 18),
            ("lenet", "44,426", 5),
        ])
    func publishedParameterCounts(model: String, parameters: String, learnedRows: Int) throws {
        let summary = try kitDemos("summary", model)
        #expect(summary.status == 0, "\(summary.text)")
        let rows = Self.rows(summary.text)
        #expect(rows.last?[0] == "total")
        #expect(rows.last?[2] == parameters, "\(summary.text)")
        // AlexNet's 8 and VGG-16's 16 learned layers; ResNet-50's stem, 16 blocks and head.
        #expect(rows.dropLast().filter { $0.count == 5 && $0[3] != "0" }.count == learnedRows, "\(summary.text)")
    }

    @Test("the big networks' multiply-accumulates round to torchvision's published GFLOPS: 0.71, 15.47, 4.089")
    func multiplyAccumulatesMatchTorchvision() throws {
        for (model, published, digits) in [("alexnet", 0.71, 2), ("vgg16", 15.47, 2), ("resnet50", 4.089, 3)] {
            let rows = Self.rows(try kitDemos("summary", model).text)
            let macs = Double(rows.last?[3].replacingOccurrences(of: ",", with: "") ?? "") ?? 0
            let scale = pow(10, Double(digits))
            #expect((macs / 1e9 * scale).rounded() / scale == published, "\(model): \(macs)")
        }
    }

    @Test("LeNet-5 has 61,706 parameters on 32×32 images; the ImageNet networks take --classes")
    func sizesAndClassesChangeTheCount() throws {
        #expect(Self.rows(try kitDemos("summary", "lenet", "--image-size", "32").text).last?[2] == "61,706")
        // AlexNet's last layer for 10 classes: (4096 + 1)·10 instead of (4096 + 1)·1000.
        let ten = Self.rows(try kitDemos("summary", "alexnet", "--classes", "10").text)
        #expect(ten.last?[2] == "57,044,810")
        let tiny = try kitDemos("summary", "vgg16", "--image-size", "16")
        #expect(tiny.status == 1 && tiny.text.contains("fits nowhere"), "\(tiny.text)")
    }

    @Test("docs/formulas.md's table of the large networks and docs/10's counts are what kit summary prints")
    func docsAgreeWithTheCommand() throws {
        let docs = packageRoot.appendingPathComponent("docs")
        let formulas = try String(contentsOf: docs.appendingPathComponent("formulas.md"), encoding: .utf8)
        let walkthrough = try String(
            contentsOf: docs.appendingPathComponent("10-convolutional-network.md"), encoding: .utf8
        ).split(whereSeparator: \.isNewline).joined(separator: " ")
        var counts: [String] = []
        for (model, title) in [("alexnet", "AlexNet"), ("vgg16", "VGG-16"), ("resnet50", "ResNet-50")] {
            let total = Self.rows(try kitDemos("summary", model).text).last ?? []
            #expect(
                Self.rows(formulas).contains([title, "3×224×224"] + total.suffix(2)),
                "formulas.md should have the row: \(title)   3×224×224   \(total.suffix(2).joined(separator: "   "))")
            counts.append(total.count == 4 ? total[2] : "?")
        }
        #expect(
            walkthrough.contains("counted from their sizes: \(counts[0]), \(counts[1]) and \(counts[2]) parameters"),
            "docs/10 should give \(counts)")
    }

    /// The table's rows below its header, as cells: the columns are 3 or more spaces apart, and
    /// names have single spaces. The total has no output shape, so its parameters are its third cell.
    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { line in
            line.components(separatedBy: "   ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }.filter { $0.count >= 4 && $0[0] != "layer" }
    }
}
