import Foundation
import KitCommandLine
import NeuralKit

/// `kit bench`: the speed of one training epoch of the reference 784-100-10
/// network on 60,000 examples of 28×28, with the same loop as `kit train`
/// (stage 9's `trainEpoch`: forward, loss, accuracy, backward, SGD with momentum).
/// The student edition, which has no reference, times the student's code.
///
/// The examples are random pixels in [0, 1) from a seeded generator (the speed
/// does not depend on the values), so the benchmark needs no download.
/// `Tests/Benchmarks/mlp_numpy.py` runs the same network in numpy (float64,
/// same batch size and initialization) for a side-by-side figure.
enum BenchCommand {
    /// The options as declared in `CommandDeclaration.bench` (`--numpy` is kit's: it runs numpy afterwards).
    static func run(_ arguments: Arguments) -> Int32 {
        let epochs = arguments.integer("epochs") ?? 3
        let batchSize = arguments.integer("batch-size") ?? 64
        let examples = arguments.integer("examples") ?? 60_000
        let hidden = arguments.integer("hidden") ?? 100
        let seed = UInt64(truncatingIfNeeded: arguments.integer("seed") ?? 1)
        let json = arguments.flag("json")
        let lenet = arguments.string("model") == "lenet"
        guard epochs > 0, batchSize > 0, examples > 0, hidden > 0 else {
            return CommandDeclaration.bench.reportUsageError(
                "--epochs, --batch-size, --examples and --hidden must be positive")
        }

        var generator = SeededGenerator(seed: seed)
        let inputs = Tensor.uniform(
            shape: lenet ? [examples, 1, 28, 28] : [examples, 784], low: 0, high: 1, using: &generator)
        let labels = (0..<examples).map { _ in generator.nextInt(below: 10) }
        guard let data = try? Dataset(inputs: inputs, labels: labels, classCount: 10) else { return 1 }
        func failed(_ error: Error) -> Int32 {
            fflush(nil)
            FileHandle.standardError.write(Data("kit bench: \(error)\n".utf8))
            return 1
        }
        let code: TrainingCode
        let network: any Classifier
        let optimizer: any Optimizer
        do {
            if StudentEdition.hasReference {
                code = try TrainingCode.reference
            } else {
                code = TrainingCode.student
                // With --json, standard output holds only the JSON object.
                if json {
                    FileHandle.standardError.write(Data((StudentEdition.trainsYourCode + "\n").utf8))
                } else {
                    print(StudentEdition.trainsYourCode)
                    fflush(nil)
                }
            }
            network = try lenet ? code.makeLeNet(28, 10, &generator) : code.makeNetwork(784, hidden, 10, &generator)
            optimizer = try code.makeOptimizer(0.05, 0.9)
        } catch {
            return failed(error)
        }
        var configuration = "release"
        #if DEBUG
        configuration = "debug"
        print("warning: a debug build; measure with: swift run -c release kit bench")
        #endif
        if !json {
            print(
                "One epoch of \(lenet ? "LeNet-5" : "the 784-\(hidden)-10 network") (\(code.name == "reference" ? "the reference" : code.name), stage 9's trainEpoch) on \(examples.formatted) "
                    + "random 28×28 examples, batches of \(batchSize), SGD with momentum, Double (float64); \(configuration) build, "
                    + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        }
        var times: [Double] = []
        for epoch in 1...epochs {
            let start = Date()
            let report: TrainingCode.EpochReport
            do {
                report = try code.trainEpoch(network, data, batchSize, optimizer, &generator, { _ in true })
            } catch {
                return failed(error)
            }
            let seconds = Date().timeIntervalSince(start)
            times.append(seconds)
            if !json {
                print(
                    "epoch \(epoch): \(String(format: "%.3f", seconds)) s, \(Int(Double(report.examples) / seconds).formatted) "
                        + "samples/s (loss \(String(format: "%.4f", report.loss)))")
            }
        }
        let best = times.min() ?? 1
        if json {
            let summary = BenchSummary(
                model: lenet ? "lenet" : "mlp", examples: examples, batchSize: batchSize,
                secondsPerEpoch: (best * 10_000).rounded() / 10_000,
                samplesPerSecond: Int(Double(examples) / best), configuration: configuration)
            print(summary.jsonLine)
        } else {
            print(
                "NeuralKit, \(lenet ? "LeNet-5" : "784-\(hidden)-10"), batch \(batchSize): best epoch \(String(format: "%.3f", best)) s, "
                    + "\(Int(Double(examples) / best).formatted) samples/s")
            print(
                "numpy, same network and batch size: python3 Tests/Benchmarks/"
                    + (lenet ? "lenet_numpy.py --batch \(batchSize)" : "mlp_numpy.py --batch-size \(batchSize)"))
        }
        return 0
    }
}
