import Foundation
import KitCommandLine
import NeuralKit

/// `kit train`: trains the 784-100-10 network (or the toy datasets' 2-100-k one)
/// with live progress, per-epoch figures, pictures and an optional JSON summary.
enum TrainCommand {
    struct Options {
        var dataset = "spirals"
        var model = "mlp"
        var epochs: Int?
        var batchSizeOption: Int?
        var learningRate: Double?
        var momentum = 0.9
        var decayOption: Double?
        var hidden = 100
        var seed: UInt64 = 1
        var limit: Int?
        var trainSplit = DatasetSplit.train
        var trainRange: Range<Int>?
        var testRange: Range<Int>?
        var output: String?
        var pictures = true
        /// Augment every training mini-batch (stage 9's bonus).
        var augment = false
        /// Train the student's code (`--student`); the student edition, which has no reference, always does.
        var student = !StudentEdition.hasReference
        /// Whether `--student` was given: without it, the student edition says that it trains the student's code.
        var studentAsked = false
        var json = false
        var dataDirectory = DataDirectory.resolve()

        var toy: ToyDataset? { ToyDataset(rawValue: dataset) }
        var isLeNet: Bool { model == "lenet" }
        /// Augmentation mirrors clothes but not digits: a mirrored 2 or 7 is no longer a digit.
        var mirrors: Bool { dataset == "fashion-mnist" }
        /// LeNet-5: batches of 32, 0.02 × 0.8 per epoch (≥ 89% on Fashion-MNIST, ≥ 97.5% on MNIST 8k/2k in 10 epochs).
        var batchSize: Int { batchSizeOption ?? (isLeNet ? 32 : 64) }
        /// Images: 10 epochs; the toy sets are small, so more epochs take no longer.
        var epochCount: Int { epochs ?? (toy == nil ? 10 : 200) }
        /// Images: 0.05 × 0.85 per epoch (≥ 87% on Fashion-MNIST, ≥ 94.5% on MNIST 8k/2k in 10 epochs);
        /// toy datasets: 0.1, constant (spirals: about 99% in 200 epochs).
        var rate: Double { learningRate ?? (isLeNet ? 0.02 : toy == nil ? 0.05 : 0.1) }
        var decay: Double { decayOption ?? (isLeNet ? 0.8 : toy == nil ? 0.85 : 1) }

        /// The options of `kit train`, as declared in `CommandDeclaration.train`; a
        /// combination that cannot work is a `UsageError`.
        init(_ arguments: Arguments) throws {
            dataset = arguments.string("dataset") ?? dataset
            model = arguments.string("model") ?? model
            epochs = arguments.integer("epochs")
            batchSizeOption = arguments.integer("batch-size")
            learningRate = arguments.number("learning-rate")
            momentum = arguments.number("momentum") ?? momentum
            decayOption = arguments.number("decay")
            hidden = arguments.integer("hidden") ?? hidden
            seed = arguments.integer("seed").map { UInt64(truncatingIfNeeded: $0) } ?? seed
            limit = arguments.integer("limit")
            trainSplit = arguments.string("train-split").flatMap(DatasetSplit.init(rawValue:)) ?? trainSplit
            trainRange = try arguments.range("train-range")
            testRange = try arguments.range("test-range")
            output = arguments.string("output")
            pictures = !arguments.flag("no-pictures")
            augment = arguments.flag("augment")
            studentAsked = arguments.flag("student")
            student = student || studentAsked
            json = arguments.flag("json")
            dataDirectory = arguments.dataDirectory
            if isLeNet, toy != nil {
                throw UsageError("--model lenet needs images: --dataset mnist or fashion-mnist")
            }
            if augment, toy != nil {
                throw UsageError("--augment changes images: --dataset mnist or fashion-mnist")
            }
            guard epochCount > 0, batchSize > 0, hidden > 0, rate > 0, (limit ?? 1) > 0 else {
                throw UsageError("--epochs, --batch-size, --hidden, --learning-rate and --limit must be positive")
            }
        }
    }

    /// What a run produced: the per-epoch figures and what the pictures need.
    struct Epoch {
        var number: Int
        var loss: Double
        /// The test set's mean cross-entropy after the epoch, in evaluation mode.
        var testLoss: Double
        var trainAccuracy: Double
        var testAccuracy: Double
        var seconds: Double
        var examples: Int
        /// Mean loss of each twentieth of the epoch, for the curves.
        var lossSteps: [Double]
    }

    static func run(_ arguments: Arguments) -> Int32 {
        do {
            try train(try Options(arguments))
            return ExitStatus.success
        } catch let error as UsageError {
            return CommandDeclaration.train.reportUsageError("\(error)")
        } catch {
            FileHandle.standardError.write(Data("kit train: \(error)\n".utf8))
            return ExitStatus.failure
        }
    }

    static func train(_ options: Options) throws {
        let code = options.student ? TrainingCode.student : try TrainingCode.reference
        let log: (String) -> Void = { line in
            // With --json, standard output ends with the JSON object; the figures go there too, before it.
            print(line)
            fflush(nil)
        }
        if !StudentEdition.hasReference, !options.studentAsked { log(StudentEdition.trainsYourCode) }

        // The data.
        var (train, test, images, description) = try loadData(options, code: code, log: log)
        let inputs = train.inputs.columnCount
        var initializer = SeededGenerator(seed: options.seed)
        var shuffling = SeededGenerator(seed: options.seed &+ 1_000_003)
        let network: any Classifier
        let architecture: String
        if options.isLeNet, let images {
            // LeNet-5 sees each example as a 1-channel image: [N, 784] → [N, 1, 28, 28].
            train.inputs = train.inputs.reshaped([train.count, 1, images.height, images.width])
            test.inputs = test.inputs.reshaped([test.count, 1, images.height, images.width])
            network = try code.makeLeNet(images.height, train.classCount, &initializer)
            architecture = "LeNet-5"
        } else {
            network = try code.makeNetwork(inputs, options.hidden, train.classCount, &initializer)
            architecture = "\(inputs)-\(options.hidden)-\(train.classCount)"
        }
        let optimizer = try code.makeOptimizer(options.rate, options.momentum)
        let parameters = network.parameters.reduce(0) { $0 + $1.value.count }
        let trainee = try augmenting(network, options, code: code, train: train, images: images)
        log("\(description)")
        log(
            "Network \(architecture) (\(parameters.formatted) parameters), \(code.name); "
                + "SGD learning rate \(options.rate) × \(options.decay) per epoch, momentum \(options.momentum), "
                + "batches of \(options.batchSize), seed \(options.seed)"
                + (options.augment
                    ? "; every mini-batch augmented (shifts, zooms\(options.mirrors ? ", mirroring" : ""))" : ""))
        #if DEBUG
        log("(a debug build: for full speed, swift run -c release kit train ...)")
        #endif

        var epochs: [Epoch] = []
        var lastPredictions: [Int] = []
        for epoch in 1...options.epochCount {
            code.setLearningRate(optimizer, options.rate * pow(options.decay, Double(epoch - 1)))
            let progress = EpochProgress(
                label: "epoch \(epoch)/\(options.epochCount)", examples: train.count,
                enabled: !options.json)
            var failure: (batch: Int, loss: Double)?
            var lossBins = [Double](repeating: 0, count: 20)
            var binCounts = [Int](repeating: 0, count: 20)
            let start = Date()
            let report = try code.trainEpoch(trainee, train, options.batchSize, optimizer, &shuffling) { batch in
                guard batch.loss.isFinite else {
                    failure = (batch.batch, batch.loss)
                    return false
                }
                let bin = min(19, (batch.batch - 1) * 20 / max(batch.batchCount, 1))
                lossBins[bin] += batch.loss
                binCounts[bin] += 1
                progress.update(batch)
                return true
            }
            let seconds = Date().timeIntervalSince(start)
            progress.finish()
            if let failure {
                throw KitError(
                    """
                    the loss became \(failure.loss) at epoch \(epoch), batch \(failure.batch): the steps are too large and \
                    the weights blew up. Try a lower learning rate, e.g. --learning-rate \(String(format: "%g", options.rate / 10))\
                    \(options.student ? " (or check your SGD and backward passes)" : "").
                    """)
            }
            let (predictions, testLoss) = try evaluate(code, network, test)
            lastPredictions = predictions
            let testAccuracy = try code.accuracy(predictions, test.labels)
            let steps = zip(lossBins, binCounts).filter { $0.1 > 0 }.map { $0.0 / Double($0.1) }
            epochs.append(
                Epoch(
                    number: epoch, loss: report.loss, testLoss: testLoss, trainAccuracy: report.accuracy,
                    testAccuracy: testAccuracy,
                    seconds: seconds, examples: report.examples, lossSteps: steps))
            let every = max(1, options.epochCount / 20)
            if epoch % every == 0 || epoch == 1 || epoch == options.epochCount {
                log(
                    "epoch \(pad(String(epoch), String(options.epochCount).count))/\(options.epochCount)  "
                        + "loss \(fixed(report.loss, 4))  test loss \(fixed(testLoss, 4))  "
                        + "train \(percent(report.accuracy))  test \(percent(testAccuracy))  "
                        + "\(fixed(seconds, 2)) s  \(Int(Double(report.examples) / max(seconds, 1e-9)).formatted) samples/s"
                )
            }
        }

        // Summary.
        let last = epochs[epochs.count - 1]
        let trainingSeconds = epochs.reduce(0) { $0 + $1.seconds }
        let examples = epochs.reduce(0) { $0 + $1.examples }
        let summary = TrainingSummary(
            dataset: options.dataset, model: options.model, student: options.student,
            testAccuracy: rounded(last.testAccuracy, 6), trainAccuracy: rounded(last.trainAccuracy, 6),
            finalLoss: rounded(last.loss, 6), testLoss: rounded(last.testLoss, 6), epochs: epochs.count,
            secondsPerEpoch: rounded(trainingSeconds / Double(epochs.count), 4),
            samplesPerSecond: Int(Double(examples) / max(trainingSeconds, 1e-9)),
            parameters: parameters,
            layerSizes: options.isLeNet ? nil : "\(test.inputs.columnCount),\(options.hidden),\(train.classCount)",
            seed: options.seed, batchSize: options.batchSize,
            learningRate: options.rate, momentum: options.momentum, decay: options.decay,
            trainExamples: train.count, testExamples: test.count)

        // Pictures, and the run's record beside them for `kit report` and `kit notebook`.
        let confusion = try code.confusionMatrix(lastPredictions, test.labels, train.classCount)
        var written: [String] = []
        if options.pictures {
            let folder =
                options.output ?? "runs/\(options.dataset)-\(options.model)\(options.augment ? "-augmented" : "")"
            written = try writePictures(
                to: folder, options: options, epochs: epochs, confusion: confusion,
                classNames: train.classNames, network: network, test: test, images: images,
                predictions: lastPredictions)
            var record = summary
            record.history = epochs.map {
                .init(
                    epoch: $0.number, loss: rounded($0.loss, 6), testLoss: rounded($0.testLoss, 6),
                    trainAccuracy: rounded($0.trainAccuracy, 6), testAccuracy: rounded($0.testAccuracy, 6),
                    seconds: rounded($0.seconds, 4))
            }
            let path = (folder as NSString).appendingPathComponent("run.json")
            try (record.jsonLine + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            written.append(path)
        }

        log(
            "Test accuracy \(percent(last.testAccuracy)) (\(test.count.formatted) test examples), train accuracy during the last "
                + "epoch \(percent(last.trainAccuracy)); \(fixed(trainingSeconds / Double(epochs.count), 2)) s per epoch, "
                + "\(Int(Double(examples) / max(trainingSeconds, 1e-9)).formatted) samples/s")
        if !written.isEmpty { log("Pictures: " + written.joined(separator: ", ")) }
        if options.json { print(summary.jsonLine) }
    }

    /// What `trainEpoch` trains: the network, or with --augment the network behind an `AugmentingClassifier`
    /// whose draws have a generator of their own (the same seed initializes and shuffles as without).
    static func augmenting(
        _ network: any Classifier, _ options: Options, code: TrainingCode, train: Dataset, images: ImageDataset?
    ) throws -> any Classifier {
        guard options.augment, let images, train.count > 0 else { return network }
        let generator = SeededGenerator(seed: options.seed &+ 2_000_003)
        let (height, width, mirrors) = (images.height, images.width, options.mirrors)
        // One image first: a stub or a shape problem shows now, not after an epoch of training.
        var trial = generator
        let first = train.inputs.rows([0])
        _ = try TrainingCode.checked {
            code.augment(first.reshaped([1, first.count / (height * width), height, width]), mirrors, &trial)
        }
        return AugmentingClassifier(network, height: height, width: width, generator: generator) { batch, generator in
            code.augment(batch, mirrors, &generator)
        }
    }

    // MARK: Data

    /// The training and test sets; for image datasets also the raw test images (for pictures).
    static func loadData(_ options: Options, code: TrainingCode, log: (String) -> Void) throws
        -> (train: Dataset, test: Dataset, testImages: ImageDataset?, description: String)
    {
        if let toy = options.toy {
            guard options.trainRange == nil, options.testRange == nil, options.trainSplit == .train else {
                throw KitError("--train-split, --train-range and --test-range are for image datasets")
            }
            let count = options.limit.map { max($0 * 5 / 4, 10) } ?? 1000
            let (train, test) = toy.trainTestSplit(count: count, seed: options.seed)
            return (
                train, test, nil,
                "\(toy.rawValue): \(train.count) training and \(test.count) test points "
                    + "(generated from seed \(options.seed), no download needed)"
            )
        }
        let known = try? DatasetCatalog.named(options.dataset)
        guard let description = known else {
            throw KitError(
                "there is no dataset \"\(options.dataset)\": use mnist, fashion-mnist, or a toy dataset ("
                    + ToyDataset.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        let directory = options.dataDirectory
        let trainAll: ImageDataset
        do {
            trainAll = try ImageDataset.load(description, split: options.trainSplit, from: directory)
        } catch let error as KitError where options.trainSplit == .train {
            if (try? ImageDataset.load(description, split: .test, from: directory)) != nil {
                throw KitError(
                    """
                    \(error.message)
                    This data directory has only the test split of \(description.name). To train and test on separate \
                    parts of it, say so explicitly:
                      --train-split test --train-range 0:8000 --test-range 8000:10000
                    """)
            }
            throw error
        }
        let testAll =
            options.trainSplit == .test ? trainAll : try ImageDataset.load(description, split: .test, from: directory)
        var trainRange = options.trainRange ?? 0..<trainAll.count
        if let limit = options.limit {
            trainRange = trainRange.lowerBound..<min(trainRange.upperBound, trainRange.lowerBound + limit)
        }
        let testRange = options.testRange ?? 0..<testAll.count
        guard trainRange.upperBound <= trainAll.count, testRange.upperBound <= testAll.count else {
            throw KitError(
                "the ranges go past the images: the \(options.trainSplit.rawValue) split has \(trainAll.count) "
                    + "images" + (options.trainSplit == .test ? "" : ", the test split \(testAll.count)"))
        }
        if options.trainSplit == .test {
            guard options.testRange != nil, options.trainRange != nil || options.limit != nil else {
                throw KitError(
                    "--train-split test trains on test images: give --train-range and --test-range that do not "
                        + "overlap, e.g. --train-range 0:8000 --test-range 8000:10000")
            }
            guard trainRange.upperBound <= testRange.lowerBound || testRange.upperBound <= trainRange.lowerBound else {
                throw KitError(
                    "--train-range \(trainRange.lowerBound):\(trainRange.upperBound) and --test-range \(testRange.lowerBound):\(testRange.upperBound) overlap: the test accuracy would "
                        + "count images the network trained on")
            }
        }
        let trainImages = trainAll.subset(trainRange)
        let testImages = testAll.subset(testRange)
        let train = try code.dataset(trainImages)
        let test = try code.dataset(testImages)
        let split = options.trainSplit.rawValue
        return (
            train, test, testImages,
            "\(description.title): training on \(split) images \(trainRange.lowerBound):"
                + "\(trainRange.upperBound) (\(train.count.formatted)), testing on test images \(testRange.lowerBound):"
                + "\(testRange.upperBound) (\(test.count.formatted)), from \(directory.path)"
        )
    }

    /// The network's predictions for the test set and its mean cross-entropy there, in evaluation mode
    /// (dropout passes everything through), in chunks of 2,000 examples.
    static func evaluate(_ code: TrainingCode, _ network: any Classifier, _ test: Dataset) throws
        -> (predictions: [Int], loss: Double)
    {
        try evaluating(network) {
            var predictions: [Int] = []
            predictions.reserveCapacity(test.count)
            var lossTimesExamples = 0.0
            var start = 0
            while start < test.count {
                let rows = start..<min(test.count, start + 2000)
                let inputs = test.inputs.rows(rows)
                predictions += try code.predict(network, inputs)
                let logits = try TrainingCode.checked { network.logits(inputs) }
                lossTimesExamples +=
                    try code.loss(logits, Array(test.labels[rows]), test.classCount) * Double(rows.count)
                start = rows.upperBound
            }
            return (predictions, lossTimesExamples / Double(max(test.count, 1)))
        }
    }

    // MARK: Pictures

    static func writePictures(
        to folder: String, options: Options, epochs: [Epoch], confusion: [[Int]],
        classNames: [String], network: any Classifier, test: Dataset, images: ImageDataset?,
        predictions: [Int]
    ) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var written: [String] = []
        func write(_ name: String, _ svg: String) throws {
            let path = (folder as NSString).appendingPathComponent(name)
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
            written.append(path)
        }
        let title =
            options.isLeNet
            ? "\(options.dataset), LeNet-5"
            : "\(options.dataset), \(test.inputs.columnCount)-\(options.hidden)-\(classNames.count) MLP"
        let duringEpochs = epochs.flatMap { epoch in
            epoch.lossSteps.enumerated().map { index, value in
                (x: Double(epoch.number - 1) + (Double(index) + 0.5) / Double(epoch.lossSteps.count), y: value)
            }
        }
        try write(
            "loss.svg",
            LineChart(
                title: "Training \(title): cross-entropy loss", xLabel: "epoch", yLabel: "loss",
                series: [
                    .init(name: "train, during the epoch", points: duringEpochs),
                    .init(name: "train, epoch mean", points: epochs.map { (Double($0.number), $0.loss) }),
                    .init(name: "test (after the epoch)", points: epochs.map { (Double($0.number), $0.testLoss) }),
                ],
                wholeXTicks: true
            ).svg())
        try write(
            "accuracy.svg",
            LineChart(
                title: "Training \(title): accuracy", xLabel: "epoch", yLabel: "accuracy (%)",
                series: [
                    .init(
                        name: "train (during the epoch)",
                        points: epochs.map { (Double($0.number), 100 * $0.trainAccuracy) }),
                    .init(
                        name: "test (after the epoch)",
                        points: epochs.map { (Double($0.number), 100 * $0.testAccuracy) }),
                ],
                wholeXTicks: true, includesZero: false, yLimits: 0...100
            ).svg())
        if let toy = ToyDataset(rawValue: options.dataset) {
            let plot = DecisionBoundaryPlot(
                title:
                    "\(toy.rawValue.capitalized): learned regions, test accuracy \(percent(epochs.last?.testAccuracy ?? 0))",
                data: test
            ) { grid in
                (try? TrainingCode.checked { evaluating(network) { network.logits(grid) }.argmax(alongAxis: 1) }) ?? []
            }
            try write("decision-boundary.svg", plot.svg())
        }
        try write(
            "confusion.svg",
            ImagePictures.confusionMatrix(
                confusion, classNames: classNames,
                title: "Confusion matrix: \(title), test set"))
        guard let images, images.count == predictions.count else { return written }

        // Misclassified test images, in test order, with the network's confidence.
        let wrong = predictions.indices.filter { predictions[$0] != images.labels[$0] }.prefix(40)
        let logits = try TrainingCode.checked { evaluating(network) { network.logits(test.inputs.rows(Array(wrong))) } }
        var captioned: [ImagePictures.CaptionedImage] = []
        for (row, index) in wrong.enumerated() {
            let scores = (0..<logits.columnCount).map { logits[row, $0] }
            let top = scores.max() ?? 0
            let exps = scores.map { Foundation.exp($0 - top) }
            let confidence = exps[predictions[index]] / exps.reduce(0, +)
            captioned.append(
                .init(
                    pixels: Array(images.image(index)),
                    caption: "#\(index): \(name(classNames, images.labels[index]))",
                    secondLine: "→ \(name(classNames, predictions[index])) (\(Int((confidence * 100).rounded()))%)",
                    highlight: true))
        }
        let total = predictions.indices.filter { predictions[$0] != images.labels[$0] }.count
        try write(
            "misclassified.svg",
            ImagePictures.imageGrid(
                captioned, height: images.height, width: images.width, columns: 8,
                title: "Misclassified test images: \(total) of \(predictions.count)",
                subtitle:
                    "the first \(captioned.count): index: true class → predicted class (the network's probability)"))

        // The first layer's weights: what each hidden unit looks for.
        if let first = network.parameters.first, first.value.rank == 2,
            first.value.shape[0] == images.height * images.width
        {
            try write(
                "weights.svg",
                ImagePictures.weightImages(
                    first.value, height: images.height, width: images.width, columns: 10,
                    title:
                        "First-layer weights: \(first.value.shape[1]) units as \(images.height)×\(images.width) images",
                    subtitle:
                        "red: ink at that pixel raises the unit's input, blue lowers it (each unit scaled to its own largest weight)"
                ))
        } else if let first = network.parameters.first, first.value.rank == 4, first.value.shape[1] == 1 {
            // LeNet-5's first convolution: each filter [1, F, F] as an F×F image.
            let (filters, height, width) = (first.value.shape[0], first.value.shape[2], first.value.shape[3])
            try write(
                "filters.svg",
                ImagePictures.weightImages(
                    first.value.reshaped([filters, height * width]).transposed(), height: height, width: width,
                    columns: filters, title: "First-layer filters: \(filters) learned \(height)×\(width) kernels",
                    subtitle: "red: ink there raises the response, blue lowers it", scale: 12))
        }
        return written
    }

    static func name(_ names: [String], _ index: Int) -> String { index < names.count ? names[index] : String(index) }

    // MARK: Formatting

    static func fixed(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "\(value)"
    }

    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

    static func rounded(_ value: Double, _ digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// The live line of an epoch on a terminal (standard error), redrawn at most
/// ten times a second: bar, samples, samples/s, ETA, batch, loss, accuracy.
/// Not drawn when standard error is not a terminal (logs, CI) or with --json.
final class EpochProgress {
    private let bar: ProgressBar
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(label: String, examples: Int, enabled: Bool) {
        bar = ProgressBar(label: label, total: Int64(examples), unit: .items("samples"))
        self.enabled = enabled && isatty(2) == 1
    }

    func update(_ batch: TrainingCode.BatchReport) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        drawn = true
        let line =
            bar.render(completed: Int64(batch.examples), elapsed: now.timeIntervalSince(start))
            + " · batch \(batch.batch)/\(batch.batchCount) · loss \(String(format: "%.4f", batch.meanLoss))"
            + " · accuracy \(String(format: "%.1f%%", batch.accuracy * 100))"
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
