import Foundation

/// The stages of the course: the one place that lists them.
///
/// The `kit` command (status, checks, hints, demos), the instructor's grader
/// and the docs index read this list. Adding a stage means adding an entry
/// here, its folders `Exercises/NN-Name/`, `Solutions/NN-Name/` and `Sources/kit/Stubs/NN-Name/`
/// with the files the entry lists, its suite `Tests/StageTests/StageNN<Name>Tests.swift`, its
/// walkthrough `docs/NN-name.md` and its demo (Sources/kit-demos/StageDemos.swift).
/// `swift run kit validate` (and the CourseTests suite) checks that they agree.
public enum Course {
    public static let stages: [Stage] = [
        Stage(
            number: 1, title: "Activations",
            folder: "01-Activations", files: ["Activations.swift"],
            goals: [
                "Write ReLU and softmax, and the backward pass of each from the chain rule.",
                "Keep softmax finite on large logits by subtracting each row's maximum.",
                "Check a backward pass against finite differences.",
            ],
            hints: [
                "ReLU and its backward work value by value: `x.map { ... }` and "
                    + "`Tensor.zip(outputGradient, input) { g, x in ... }` are all you need. Softmax works row by "
                    + "row: each row of logits becomes non-negative numbers that sum to 1.",
                "Softmax: `let shifted = logits - logits.max(alongAxis: 1, keepingDimension: true)`, then `exp(shifted)`, "
                    + "then divide by the row sums (`sum(alongAxis: 1, keepingDimension: true)`). Keeping the dimension "
                    + "makes the [batch, 1] column broadcast across each row.",
                "reluBackward is `Tensor.zip(outputGradient, input) { g, x in x > 0 ? g : 0 }`. softmaxBackward: "
                    + "`let dot = (outputGradient * output).sum(alongAxis: 1, keepingDimension: true)`, "
                    + "and the answer is `output * (outputGradient - dot)`.",
            ],
            bonus: "sigmoid, tanh, leaky ReLU, ELU and SELU, forward and backward",
            points: 1.25, bonusPoints: 1,
            demo: "softmax and ReLU of the walkthrough's examples"),
        Stage(
            number: 2, title: "Dense layer",
            folder: "02-DenseLayer", files: ["Dense.swift"],
            goals: [
                "Compute a whole batch at once: Y = XW + b, with the bias broadcast over the rows.",
                "Derive ∂L/∂W = XᵀG, ∂L/∂b = Σ over the batch of G, and ∂L/∂X = GWᵀ.",
                "Cache in forward what backward needs.",
            ],
            hints: [
                "Write the shapes down: X is [batch, inputs], W is [inputs, outputs], G = ∂L/∂Y is [batch, outputs]. "
                    + "A gradient has the shape of what it is the gradient of: pick the product whose shapes fit.",
                "Forward stores the input (`self.input = input`) and returns `input.matmul(weight.value) + bias.value`. "
                    + "Backward sets `weight.gradient` and `bias.gradient`, and returns ∂L/∂X.",
                "`weight.gradient = x.transposed().matmul(outputGradient)`, "
                    + "`bias.gradient = outputGradient.sum(alongAxis: 0)`, and return "
                    + "`outputGradient.matmul(weight.value.transposed())`.",
            ],
            points: 1.25,
            demo: "a 3 → 2 layer on a batch of 2: forward, backward and the gradients' shapes"),
        Stage(
            number: 3, title: "Initialization",
            folder: "03-Initialization", files: ["Initialization.swift"],
            goals: [
                "Explain why equal weights never become different, and why random ones do.",
                "Choose the scale of random weights from fan-in and fan-out: Xavier for tanh and sigmoid, He for ReLU.",
                "Draw reproducible random numbers from a seeded generator.",
            ],
            hints: [
                "Both functions return an [inputs, outputs] tensor of random numbers drawn with the generator they are "
                    + "given (`Tensor.uniform` and `Tensor.normal` take `using: &generator`). Only the scale differs.",
                "Xavier uniform draws from U(−a, a) with a = √(6 / (inputs + outputs)). He normal draws from N(0, σ²) "
                    + "with σ = √(2 / inputs). The `Dense` initializer picks one by `initialization`; biases start at zero.",
                "`Tensor.uniform(shape: [inputs, outputs], low: -a, high: a, using: &generator)` and "
                    + "`Tensor.normal(shape: [inputs, outputs], standardDeviation: (2 / Double(inputs)).squareRoot(), "
                    + "using: &generator)`; in the initializer, `switch initialization` and end with "
                    + "`self.init(weight: weight, bias: Tensor(zeros: [outputs]))`.",
            ],
            points: 1.25, buildsOn: [2],
            demo: "the spread of He and Xavier weights, and of a signal through ten layers"),
        Stage(
            number: 4, title: "Two-layer network",
            folder: "04-TwoLayerNetwork", files: ["TwoLayerNetwork.swift"],
            goals: [
                "Compose layers: forward in order, backward in reverse.",
                "End a classifier with softmax and backpropagate through it.",
                "Collect a model's parameters from its layers.",
            ],
            hints: [
                "The network is Dense → ReLU → Dense → softmax, and each of these already has its forward and "
                    + "backward (stages 1 and 2). This stage only chains them.",
                "`logits(x)` runs `hidden`, `activation` and `output` in that order; `forward` applies `softmax` to "
                    + "the logits and stores the probabilities. The backward passes call the same layers in reverse.",
                "`backward(logitsGradient: g)` is `hidden.backward(activation.backward(output.backward(g)))`; "
                    + "`backward(_ g:)` first goes through softmax: `softmaxBackward(g, output: probabilities)`. "
                    + "`parameters` is `hidden.parameters + output.parameters`.",
            ],
            bonus: "MultilayerNetwork: a network of any depth",
            points: 1.25, bonusPoints: 1, buildsOn: [1, 2, 3],
            demo: "class probabilities of an untrained 2 → 8 → 3 network"),
        Stage(
            number: 5, title: "One-hot encoding",
            folder: "05-OneHotEncoding", files: ["OneHot.swift"],
            goals: [
                "Turn class labels into one-hot rows, and rows of scores back into classes.",
                "Reject bad input with a clear error (`throw KitError(...)`) instead of crashing.",
            ],
            hints: [
                "`oneHot` builds a [labels.count, classes] matrix of zeros with one 1 per row. "
                    + "`classIndices` goes back: the column of each row's largest value.",
                "Check `classes > 0` and that every label is in `0..<classes` before writing, and throw a "
                    + "`KitError(\"...\")` that names the bad label. `Tensor(zeros:)` and `encoded[row, label] = 1` do the rest.",
                "`for (row, label) in labels.enumerated() { guard (0..<classes).contains(label) else { throw KitError(...) }; "
                    + "encoded[row, label] = 1 }`. `classIndices` is `encoded.argmax(alongAxis: 1)`.",
            ],
            points: 1.25,
            demo: "labels [2, 0, 3] one-hot encoded and decoded back, and a label out of range"),
        Stage(
            number: 6, title: "Cross-entropy",
            folder: "06-CrossEntropy", files: ["CrossEntropy.swift"],
            goals: [
                "Compute the mean cross-entropy −(1/N) Σ y · log p of a batch, without ever taking log 0.",
                "Derive that softmax followed by cross-entropy has the gradient (p − y) / N with respect to the logits.",
            ],
            hints: [
                "With one-hot targets only the probability of the right class counts: Σₖ yₖ log pₖ picks it out. "
                    + "Average over the N rows of the batch, and keep `log` away from 0.",
                "`crossEntropy` is `-(targets * log(max(probabilities, probabilityFloor))).sum() / N`. "
                    + "Its backward is −y / (N · p), with p floored the same way.",
                "`softmaxCrossEntropyBackward` is `(softmax(logits) - targets) / N` with `N = Double(logits.rowCount)`; "
                    + "`crossEntropyBackward` is `-targets / (max(probabilities, probabilityFloor) * N)`.",
            ],
            points: 1.25, buildsOn: [1, 5],
            demo: "the loss of a confident right, an unsure and a confident wrong prediction"),
        Stage(
            number: 7, title: "SGD",
            folder: "07-SGD", files: ["SGD.swift", "MoreOptimizers.swift"],
            goals: [
                "Cut an epoch into shuffled mini-batches from a seeded permutation.",
                "Update parameters by gradient descent, with momentum and weight decay.",
                "Write one training step: forward, loss, backward, update.",
            ],
            hints: [
                "An epoch visits every example once, in a new random order: shuffle the indices with the generator, "
                    + "then cut them into batches. An optimizer step moves each parameter a little against its gradient.",
                "`miniBatches`: `generator.permutation(count)`, then slices of `batchSize` (the last keeps the rest). "
                    + "`SGD.step`: add `weightDecay * value` to the gradient; without momentum, "
                    + "`value -= learningRate * gradient`; with momentum, keep one velocity per parameter "
                    + "(keyed by `ObjectIdentifier(parameter)`).",
                "Momentum: `velocity = momentum * previous - learningRate * gradient`, then `value += velocity`. "
                    + "`trainStep`: `let logits = network.logits(inputs)`, the loss `crossEntropy(softmax(logits), targets:)`, "
                    + "`network.backward(logitsGradient: softmaxCrossEntropyBackward(...))`, "
                    + "`optimizer.step(network.parameters)`, and return the loss from before the update.",
            ],
            bonus: "Adam and dropout; AdaGrad and RMSProp",
            points: 1.25, bonusPoints: 1, buildsOn: [4, 5, 6],
            demo: "the loss falling while a small network learns two half moons"),
        Stage(
            number: 8, title: "Toy classification",
            folder: "08-ToyClassification",
            files: ["ToyClassification.swift", "NewDatasets.swift", "ModelSelection.swift"],
            goals: [
                "Train a network end to end and measure its accuracy on held-out data.",
                "Read a loss curve and a decision boundary.",
            ],
            hints: [
                "All the pieces exist: `predict` is the class of the largest logit, `accuracy` the fraction of "
                    + "predictions that match, and `train` loops over epochs and mini-batches calling `trainStep`.",
                "`predict` is `classIndices(network.logits(inputs))`. `accuracy` counts the equal pairs in "
                    + "`zip(predicted, labels)` (0 for an empty list). `train`: for each epoch, "
                    + "`miniBatches(count:batchSize:using:)`, one-hot the batch's labels, and `trainStep` on "
                    + "`data.inputs.rows(batch)`.",
                "Return one loss per epoch, the mean over the examples: weight each batch's loss by its size "
                    + "(`total += loss * Double(batch.count)`) and divide by `Double(data.count)` at the end of the epoch.",
            ],
            bonus: "your network of any depth on new datasets: circles, xor and blobs, standardized; "
                + "model selection: a validation split, and keeping the weights of the best validation epoch",
            points: 1.25, bonusPoints: 1, buildsOn: [7],
            demo: "training on two spirals; writes the decision boundary to runs/"),
        Stage(
            number: 9, title: "MNIST",
            folder: "09-MNIST", files: ["MNIST.swift", "Augmentation.swift"],
            goals: [
                "Train a classifier of handwritten digits: preprocess images, loop over epochs and mini-batches, and evaluate on held-out images.",
                "Turn raw pixels into network inputs: flatten 28×28 to 784 and scale 0…255 to [0, 1], the same way in training and when classifying one image.",
                "Read a confusion matrix: which classes are mistaken for which.",
            ],
            hints: [
                "Nothing new in the math: this stage assembles stages 1–7. `preprocess` is one reshape and one division; "
                    + "`trainEpoch` is stage 8's inner loop plus bookkeeping (right answers, progress, stopping); "
                    + "`confusionMatrix` counts pairs (true class, predicted class).",
                "`preprocess`: `pixels.flattenedBatch() / 255`. `trainEpoch`: for each batch of `miniBatches(count: data.count, "
                    + "batchSize:, using: &generator)`: `oneHot` the labels, `let logits = network.logits(data.inputs.rows(batch))`, "
                    + "the loss `crossEntropy(softmax(logits), targets:)`, count where `classIndices(logits)` equals the labels, "
                    + "`network.backward(logitsGradient: softmaxCrossEntropyBackward(...))`, `optimizer.step(network.parameters)`.",
                "Keep `totalLoss += loss * Double(batch.count)`, `correct`, `seen`; after each step build "
                    + "`BatchProgress(batch: index + 1, batchCount: batches.count, examples: seen, loss: loss, meanLoss: totalLoss / Double(seen), "
                    + "accuracy: Double(correct) / Double(seen))` and `if !afterBatch(progress) { break }`. `confusionMatrix`: `matrix[label][prediction] += 1`. "
                    + "`classify`: `preprocess(image.reshaped([1] + image.shape))`, `softmax` of the logits, label = `classIndices(p)[0]`, "
                    + "probabilities = `p.scalars`.",
            ],
            bonus: "data augmentation: flips, shifts and zooms that keep the size and never zero-pad (lecture 001)",
            points: 2.5, buildsOn: [5, 6, 7, 8],
            demo:
                "preprocessing and a confusion matrix; with MNIST on disk, 2 epochs of your loop and one digit classified"
        ),
        Stage(
            number: 10, title: "Convolution, pooling, LeNet-5",
            folder: "10-ConvolutionalNetwork",
            files: [
                "ShapeArithmetic.swift", "Conv2D.swift", "Pooling.swift", "Flatten.swift", "LeNet5.swift",
                "ResidualBlock.swift", "ActivationLayers.swift", "ConvolutionAsMatrix.swift", "TransferLearning.swift",
            ],
            goals: [
                "Predict a layer's output shape, parameters and cost before running it, and see why weight "
                    + "sharing beats dense layers on images.",
                "Derive the backward pass of a layer with shared weights: gradients are sums over positions and "
                    + "the batch, and max pooling routes each gradient to one input.",
                "Assemble LeNet-5 from your own layers and check it end to end with finite differences.",
            ],
            hints: [
                "Start with ShapeArithmetic.swift: draw the kernel sliding over W + 2P cells. How many full steps "
                    + "of S fit after the first position? Integer `/` already floors; with dilation the kernel spans "
                    + "D(F − 1) + 1 cells.",
                "Conv2D forward as seven nested loops (n, k, i, j, then c, u, v), reading "
                    + "x[n, c, i·S − P + u, j·S − P + v] and skipping reads outside the image, plus the bias b[k]. "
                    + "Cross-correlation: do not flip the kernel.",
                "Conv2D backward is the same loops: where forward did y += w·x, do dw += g·x and dx += g·w; and "
                    + "db[k] += g once per output position and example (a sum, not a mean).",
                "MaxPool2D: remember where each window's maximum was (replace it only on a strictly larger value); "
                    + "backward starts from zeros and adds each gradient at that one position (+=: windows may "
                    + "overlap). AvgPool2D gives g/(F·F) to every input of the window. Flatten is a reshape to "
                    + "[N, C·H·W] and back.",
                "LeNet5 follows the table in its file: conv 5×5×6, ReLU, max pool 2, conv 5×5×16, ReLU, max pool 2, "
                    + "flatten, dense 120, ReLU, dense 84, ReLU, dense 10 — no softmax at the end (the loss adds it).",
            ],
            bonus: "strided and 1×1 convolutions, dilation, a residual block, sigmoid and tanh layers, a convolution's "
                + "matrix and its transpose (upsampling), the shift equivariance of your convolution and pooling, "
                + "transfer learning (freeze layers, replace the head, fine-tune)",
            // The assignment's 4 points for CNNs are this stage's required checks; its bonus goes beyond the
            // assignment's table and earns nothing by default (a rubric can give it points).
            points: 4, buildsOn: [1, 2, 3, 7],
            demo: "the lectures' convolution and pooling examples, your LeNet-5 layer by layer with its parameter "
                + "count, a picture of shift equivariance, and a chart of transfer learning from digits to letters"),
    ]

    /// The stage numbered `number`, if the course has one.
    public static func stage(_ number: Int) -> Stage? {
        stages.first { $0.number == number }
    }

    /// The stage a test ID or file path belongs to: "StageTests.Stage04TwoLayerNetwork/…" → 4,
    /// "Exercises/07-SGD/SGD.swift" → 7.
    public static func stage(containing identifier: String) -> Stage? {
        // "Stage03…" names a stage's required suite, "Bonus03…" its bonus suite.
        for prefix in ["Stage", "Bonus"] {
            var searched = identifier.startIndex..<identifier.endIndex
            while let range = identifier.range(of: prefix, range: searched) {
                let digits = identifier[range.upperBound...].prefix(while: \.isNumber)
                if digits.count == 2, let number = Int(digits) { return stage(number) }
                searched = range.upperBound..<identifier.endIndex
            }
        }
        for component in identifier.split(separator: "/") {
            let digits = component.prefix(while: \.isNumber)
            if digits.count == 2, component.dropFirst(2).first == "-", let number = Int(digits) { return stage(number) }
        }
        return nil
    }

    /// The stages that build on `stage`, directly.
    public static func stages(buildingOn stage: Int) -> [Stage] {
        stages.filter { $0.buildsOn.contains(stage) }
    }

    /// The stages as a Markdown table, for the docs index.
    public static var markdownIndex: String {
        var lines = [
            "| Stage | Title | You will | Builds on | Points |",
            "|---|---|---|---|---|",
        ]
        for stage in stages {
            let builds = stage.buildsOn.isEmpty ? "—" : stage.buildsOn.map(String.init).joined(separator: ", ")
            let bonus =
                stage.bonusPoints > 0
                ? " + \(stage.bonusPoints.formatted) bonus" : stage.bonus == nil ? "" : " + bonus for practice"
            let title =
                stage.isWritten
                ? "[\(stage.title)](\(stage.walkthroughPath.dropFirst(5)))" : stage.title + " (coming soon)"
            lines.append(
                "| \(stage.number) | \(title) | \(stage.goals.first ?? "") | \(builds) | \(stage.points.formatted)\(bonus) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension Double {
    /// 1.25 → "1.25", 4.0 → "4".
    fileprivate var formatted: String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
