import Foundation
import NeuralKit

extension Command {
    static let train = Command(
        name: "train",
        summary: "Train the 784-100-10 network (MNIST, Fashion-MNIST or a toy dataset); pictures go to runs/.",
        usage: "swift run -c release kit train [--dataset NAME] [--epochs E] [options]",
        details: """
        Trains the reference network of stages 4–9 (with --student: your code) with a live \
        progress bar, prints each epoch's loss, train and test accuracy and time, and writes \
        pictures (loss and accuracy curves, confusion matrix, misclassified test images, the \
        first layer's weights) to runs/<dataset>-mlp/. Without options it trains on the toy \
        spirals, which need no download. Build with -c release for full speed: kit builds \
        its training code in the same configuration as itself.

        Examples:
          swift run -c release kit train
          swift run kit data fashion-mnist && swift run -c release kit train --dataset fashion-mnist
          swift run -c release kit train --dataset mnist --train-split test --train-range 0:8000 --test-range 8000:10000
        """,
        options: [
            Option(name: "dataset", takesValue: true, usage: "--dataset NAME        mnist, fashion-mnist, or spirals (default), moons, circles, blobs, xor"),
            Option(name: "data-dir", takesValue: true, usage: "--data-dir DIR        where the datasets are (default: NEURALKIT_DATA, else ./data)"),
            Option(name: "epochs", takesValue: true, usage: "--epochs E            passes over the training set (default 10; toy datasets 200)"),
            Option(name: "batch-size", takesValue: true, usage: "--batch-size B        examples per mini-batch (default 64)"),
            Option(name: "learning-rate", takesValue: true, usage: "--learning-rate η     the first epoch's learning rate (default 0.05; toy datasets 0.1)"),
            Option(name: "momentum", takesValue: true, usage: "--momentum μ          SGD momentum (default 0.9)"),
            Option(name: "decay", takesValue: true, usage: "--decay d             the learning rate is multiplied by d after each epoch (default 0.85; toy datasets 1)"),
            Option(name: "hidden", takesValue: true, usage: "--hidden H            hidden units (default 100)"),
            Option(name: "seed", takesValue: true, usage: "--seed S              initialization and shuffling (default 1): same seed, same numbers"),
            Option(name: "limit", takesValue: true, usage: "--limit N             train on the first N training images only"),
            Option(name: "train-split", takesValue: true, usage: "--train-split S       train (default) or test: where the training images come from"),
            Option(name: "train-range", takesValue: true, usage: "--train-range A:B     the training images' indices in their split (A included, B not)"),
            Option(name: "test-range", takesValue: true, usage: "--test-range A:B      the test images' indices in the test split"),
            Option(name: "output", takesValue: true, usage: "--output DIR          where the pictures go (default runs/<dataset>-mlp)"),
            Option(name: "no-pictures", usage: "--no-pictures         write no pictures"),
            Option(name: "model", takesValue: true, usage: "--model mlp           the network (only mlp so far)"),
            Option(name: "student", usage: "--student             train your code (stages 4–9) instead of the reference"),
            Option(name: "json", usage: "--json                end with one JSON object: test_accuracy, train_accuracy, epochs, seconds_per_epoch, ..."),
        ],
        maximumPositionals: 0
    ) { arguments, kit in
        var words: [String] = []
        for (name, value) in arguments.options.sorted(by: { $0.key < $1.key }) {
            // Paths are relative to where kit was started; the training runs in the kit's folder.
            let isPath = name == "data-dir" || name == "output"
            words += ["--" + name, isPath ? absolutePath(value) : value]
        }
        words += arguments.flags.sorted().map { "--" + $0 }
        return try TrainingRunner.run("train", words, kit: kit)
    }

    private static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("~") { return path }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path).standardizedFileURL.path
    }
}

/// Builds `kit-demos` (which links the course code) and runs its `train` or
/// `bench` command, in the configuration kit itself was built in: release when
/// started with `swift run -c release kit ...`, debug otherwise.
enum TrainingRunner {
    static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    static func run(_ command: String, _ words: [String], kit: Kit) throws -> Int32 {
        if configuration == "debug" {
            printError(kit.terminal.dim("A debug build: training is several times slower. For full speed: swift run -c release kit \(command) …"))
        }
        printError(kit.terminal.dim("Building the training code (\(configuration))… (only what changed)"))
        let build = try Shell.capture(["swift", "build", "-c", configuration, "--product", "kit-demos"], in: kit.root)
        if build.status != 0 {
            let failures = CheckRunner.compileFailures(in: build.output, root: kit.root)
            StageCheck(kit: kit).explain(failures.isEmpty ? .other(output: build.output) : .compile(failures, output: build.output),
                                         checking: Course.stage(9))
            return 1
        }
        return try Shell.interactive(["swift", "run", "-c", configuration, "--skip-build", "kit-demos", command] + words,
                                     in: kit.root)
    }
}
