import NeuralKit

// The commands that run on the course code (the reference or the student's):
// `kit` checks their words and shows their help, then passes the words on to
// `kit-demos`, which links the course code and parses them with the same
// declarations. Each option is declared here only.

extension Option {
    /// Where the datasets are: `DataDirectory.resolve(option:)` reads it.
    public static let dataDirectory = Option(
        String(DataDirectory.option.dropFirst(2)), .path, "DIR", help: "where the datasets are",
        default: "$\(DataDirectory.environmentVariable), else ./data")
    static let seed = Option(
        "seed", .integer, "S", help: "initialization and shuffling: same seed, same numbers",
        default: "1")
    static let hidden = Option("hidden", .integer, "H", help: "hidden units of the MLP", default: "100")
    /// The networks `kit-demos` trains.
    public static let models = ["mlp", "lenet"]
    /// Every dataset `kit train` knows: the downloaded ones and the generated toy ones.
    public static let datasets = DatasetCatalog.all.map(\.name) + ToyDataset.allCases.map(\.rawValue)
}

extension Arguments {
    /// The data folder: `--data-dir`, else `NEURALKIT_DATA`, else ./data.
    public var dataDirectory: DataDirectory { DataDirectory.resolve(option: string(Option.dataDirectory.name)) }
}

extension CommandDeclaration {
    /// Every command `kit-demos` carries out.
    public static let forwarded: [CommandDeclaration] = [run, train, bench, shape, summary]

    public static let run = CommandDeclaration(
        name: "run", summary: "Run a stage's demo on your code: the walkthrough's \"notebook cell\".",
        positionals: "<stage>",
        details: """
            Builds the demos with your code (only what changed) and runs the one of the \
            stage. A function you have not written yet prints "not implemented yet" \
            instead of numbers. What each stage shows:
            """ + "\n" + Course.stages.map { "  \($0.number)  \($0.demo)" }.joined(separator: "\n"),
        options: [
            Option(
                "dataset", .choice(ToyDataset.allCases.map(\.rawValue)), help: "stage 8: the toy dataset",
                default: "spirals"),
            .flag("reference", help: "stages 7–8: train the reference solution instead of your code"),
            Option(
                "output", .path, "DIR",
                help: "stages 7–10: where to write the pictures (default: runs/07-learning-rates, runs/08-<dataset>, "
                    + "runs/09-augmentation, runs/10-convolutional-network)"),
            .dataDirectory,
        ])

    public static let train = CommandDeclaration(
        name: "train",
        summary: "Train the 784-100-10 network or LeNet-5 (MNIST, Fashion-MNIST or a toy dataset); "
            + "pictures go to runs/.",
        program: "swift run -c release kit",
        details: """
            Trains the reference network of stages 4–9 (with --student: your code), or LeNet-5 \
            (stage 10) with --model lenet, with a live progress bar, prints each epoch's loss, \
            train and test accuracy and time, and writes pictures (loss and accuracy curves, \
            confusion matrix, misclassified test images, the first layer's weights) to \
            runs/<dataset>-<model>/. Without options it trains on the toy spirals, which need no \
            download. Build with -c release for full speed: kit builds its training code in the \
            same configuration as itself.

            Examples:
              swift run -c release kit train
              swift run kit data fashion-mnist && swift run -c release kit train --dataset fashion-mnist
              swift run -c release kit train --dataset mnist --train-split test --train-range 0:8000 --test-range 8000:10000
            """,
        options: [
            Option("dataset", .choice(Option.datasets), help: "the dataset", default: "spirals"),
            Option(
                "model", .choice(Option.models),
                help: "the network: mlp (784-H-10, stages 4–9) or lenet (LeNet-5, stage 10)", default: "mlp"),
            .dataDirectory,
            Option("epochs", .integer, "E", help: "passes over the training set", default: "10; toy datasets 200"),
            Option("batch-size", .integer, "B", help: "examples per mini-batch", default: "64; lenet 32"),
            Option(
                "learning-rate", .number, "η", help: "the first epoch's learning rate",
                default: "0.05; lenet 0.02; toy datasets 0.1"),
            Option("momentum", .number, "μ", help: "SGD momentum", default: "0.9"),
            Option(
                "decay", .number, "d", help: "the learning rate is multiplied by d after each epoch",
                default: "0.85; lenet 0.8; toy datasets 1"),
            .hidden,
            .seed,
            Option("limit", .integer, help: "train on the first N training images only"),
            Option(
                "train-split", .choice(DatasetSplit.allCases.map(\.rawValue)), "SPLIT",
                help: "where the training images come from: train or test", default: "train"),
            Option("train-range", .range, help: "the training images' indices in their split (A included, B not)"),
            Option("test-range", .range, help: "the test images' indices in the test split"),
            .flag(
                "augment",
                help: "change every training mini-batch anew: small shifts and zooms, and mirroring for fashion-mnist "
                    + "(stage 9 bonus)"),
            Option(
                "output", .path, "DIR", help: "where the pictures go",
                default: "runs/<dataset>-<model>, with --augment runs/<dataset>-<model>-augmented"),
            .flag("no-pictures", help: "write no pictures"),
            .flag("student", help: "train your code (stages 4–9, or 10 with --model lenet) instead of the reference"),
            .flag(
                "json",
                help: "end with one JSON object: test_accuracy, train_accuracy, epochs, seconds_per_epoch, ..."),
        ],
        maximumPositionals: 0)

    public static let bench = CommandDeclaration(
        name: "bench",
        summary: "Measure the speed of one training epoch (784-100-10 or LeNet-5 on 60,000 examples); "
            + "compare with numpy.",
        program: "swift run -c release kit",
        details: """
            Trains the reference network (784-100-10, or LeNet-5 with --model lenet) for a few epochs \
            on 60,000 random 28×28 examples (the speed does not depend on the values, so nothing is \
            downloaded) and prints samples/s of the fastest epoch. --numpy then runs the same network in \
            numpy (Tests/Benchmarks/mlp_numpy.py, float64, or lenet_numpy.py, im2col) for a side-by-side \
            figure on this machine. Build with -c release: a debug build measures nothing useful.
            """,
        options: [
            Option("model", .choice(Option.models), help: "the network", default: "mlp"),
            Option("epochs", .integer, "E", help: "epochs to time; the fastest counts", default: "3"),
            Option("batch-size", .integer, "B", help: "examples per mini-batch", default: "64"),
            Option("examples", .integer, help: "examples per epoch", default: "60000"),
            .hidden,
            .seed,
            .flag("numpy", help: "then run the same network in numpy (python3 with numpy)"),
            .flag("json", help: "one JSON object per implementation"),
        ],
        maximumPositionals: 0)

    public static let shape = CommandDeclaration(
        name: "shape", summary: "Output shape, parameters and cost of one layer: conv2d, pool or dense.",
        positionals: "conv2d|pool|dense",
        details: """
            Prints each number with its formula (docs/formulas.md), and explains in words a combination that cannot work.

            Orders: --input lists the sizes in the order --layout names: chw (the default) is the layers' \
            channels×height×width; the lectures write volumes width×height×channels, which is --layout whc. \
            The answer starts with how the input was read. Without --layout, an input that looks channels-last \
            (32x32x3) is refused rather than guessed. --stride and --padding take one size for both dimensions, \
            or two in the input's order: height×width, or width×height with --layout whc.

            Examples:
              swift run kit shape conv2d --input 3x32x32 --kernel 5 --filters 6
              swift run kit shape conv2d --input 32x32x3 --layout whc --kernel 5 --filters 6
              swift run kit shape pool --input 6x28x28 --window 2
              swift run kit shape dense --inputs 784 --outputs 100
            Lecture 001's quiz: a 3×5×C input (W×H×C), a 3×3 kernel, 2 filters, padding 2×1, stride 2×2 \
            gives 2×3×3 (C×H×W) whatever C is (here 1):
              swift run kit shape conv2d --input 3x5x1 --layout whc --kernel 3 --filters 2 --padding 2x1 --stride 2x2
            """,
        options: [
            Option(
                "input", .text, "AxBxC",
                help: "conv2d, pool: the input volume in --layout's order (two sizes: one channel)"),
            Option(
                "layout", .choice(["chw", "hwc", "whc"]), "ORDER",
                help: "conv2d, pool: the order of --input's sizes: chw, hwc or whc (the lectures' W×H×C)",
                default: "chw"),
            Option("kernel", .integer, "F", help: "conv2d: the filters' size F×F"),
            Option("filters", .integer, "K", help: "conv2d: how many filters"),
            Option(
                "stride", .text, "S|AxB", help: "conv2d, pool: the step, per dimension in --input's order",
                default: "1; pool: the window"),
            Option(
                "padding", .text, "P|AxB", help: "conv2d: zeros on each side, per dimension in --input's order",
                default: "0"),
            Option("dilation", .integer, "D", help: "conv2d: the gap between the kernel's taps", default: "1"),
            Option("window", .integer, "F", help: "pool: the window's size F×F"),
            Option("inputs", .integer, "M", help: "dense: inputs"),
            Option("outputs", .integer, "N", help: "dense: outputs"),
        ])

    public static let summary = CommandDeclaration(
        name: "summary", summary: "A model's layers: output shape, activations, parameters, multiply-accumulates.",
        positionals: "lenet|mlp|alexnet|vgg16|resnet50",
        details: """
            Like the lecture's LeNet-5 table and Keras' model.summary(), from the layers' sizes and the lectures' \
            formulas. lenet and mlp are the course's networks, built from your layers (the reference's in the \
            maintainers' edition). alexnet, vgg16 and resnet50 are lecture 001's classic networks as torchvision \
            defines them, counted from their sizes without allocating their weights; each row folds in the ReLU \
            and batch normalization after its layer.

            Examples:
              swift run kit summary lenet
              swift run kit summary lenet --image-size 32
              swift run kit summary vgg16
            """,
        options: [
            Option(
                "image-size", .integer, help: "lenet, alexnet, vgg16, resnet50: the input image's side",
                default: "28 for lenet, else 224"),
            Option(
                "classes", .integer, help: "lenet, alexnet, vgg16, resnet50: the classes",
                default: "10 for lenet, else 1000"),
            Option("sizes", .text, "M,H,…,N", help: "mlp: the layers' sizes", default: "784,100,10"),
        ])
}
