import NeuralKit

/// One of the lectures' classic networks (lecture 001: AlexNet, VGG-16, ResNet-50) as sizes only:
/// `kit summary` works out each step's output shape, parameters and multiply-accumulates from the
/// layers' formulas, so VGG-16's 138 million parameters are counted, never allocated.
struct PublishedArchitecture: Sendable {
    /// The command's word: "alexnet".
    let name: String
    let title: String
    /// The parameter count its authors publish for 1000 classes, with where it comes from.
    let publishedParameters: Int
    let source: String
    let steps: @Sendable (_ classes: Int) -> [ArchitectureStep]

    static let all = [alexNet, vgg16, resNet50]

    /// torchvision's AlexNet (64, 192, 384, 256, 256 filters, from Krizhevsky's "One weird trick" paper),
    /// whose count the issue asks for; the 2012 paper's two-GPU version has 96, 256, 384, 384, 256.
    static let alexNet = PublishedArchitecture(
        name: "alexnet", title: "AlexNet (torchvision's)", publishedParameters: 61_100_840,
        source: "torchvision's AlexNet_Weights; lecture 001: 60 million",
        steps: { classes in
            [
                .convolution(filters: 64, kernel: 11, stride: 4, padding: 2), .maxPool(window: 3, stride: 2),
                .convolution(filters: 192, kernel: 5, padding: 2), .maxPool(window: 3, stride: 2),
                .convolution(filters: 384, kernel: 3, padding: 1), .convolution(filters: 256, kernel: 3, padding: 1),
                .convolution(filters: 256, kernel: 3, padding: 1), .maxPool(window: 3, stride: 2),
                .averagePool(to: 6), .flatten, .dense(outputs: 4096), .dense(outputs: 4096),
                .dense(outputs: classes, relu: false),
            ]
        })

    /// VGG-16, configuration D of Simonyan and Zisserman: thirteen 3×3 convolutions in five blocks.
    static let vgg16 = PublishedArchitecture(
        name: "vgg16", title: "VGG-16", publishedParameters: 138_357_544,
        source: "torchvision's VGG16_Weights; lecture 001: 138 million",
        steps: { classes in
            [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]].flatMap { block in
                block.map { ArchitectureStep.convolution(filters: $0, kernel: 3, padding: 1) }
                    + [.maxPool(window: 2, stride: 2)]
            } + [
                .averagePool(to: 7), .flatten, .dense(outputs: 4096), .dense(outputs: 4096),
                .dense(outputs: classes, relu: false),
            ]
        })

    /// ResNet-50 (He et al.): a 7×7 stem, then 3, 4, 6 and 3 bottleneck blocks; torchvision's
    /// version, which strides in each stage's 3×3 convolution (the count is the same either way).
    static let resNet50 = PublishedArchitecture(
        name: "resnet50", title: "ResNet-50", publishedParameters: 25_557_032,
        source: "torchvision's ResNet50_Weights; lecture 001: 25 million",
        steps: { classes in
            let stages = [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)].flatMap { width, blocks, stride in
                (0..<blocks).map { ArchitectureStep.bottleneck(width: width, stride: $0 == 0 ? stride : 1) }
            }
            return [
                .convolution(filters: 64, kernel: 7, stride: 2, padding: 3, batchNorm: true),
                .maxPool(window: 3, stride: 2, padding: 1),
            ] + stages + [.averagePool(to: 1), .flatten, .dense(outputs: classes, relu: false)]
        })

    /// The table's rows for one `channels`×`size`×`size` image (shapes with a batch of 1, as a model's
    /// summary), or the first step's reason when the image is too small.
    func summary(channels: Int = 3, size: Int, classes: Int) throws -> [LayerSummary] {
        var shape = [1, channels, size, size]
        return try steps(classes).map { step in
            let row = try step.summary(for: shape)
            shape = row.outputShape
            return row
        }
    }
}
