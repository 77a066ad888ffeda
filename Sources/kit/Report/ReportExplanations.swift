/// The parts of the report the student writes: one headed section each, with a placeholder
/// that says what to write.
///
/// They follow the assignment in lecture 001 (Deep learning, lecture 3: "Assignment"): the
/// report "explains all the work done", the exercises come in four parts (Quiz 1–4 build the
/// network, 5–7 train it, 8 tests it on a toy example, 9–10 classify handwritten digits), and
/// "More work" adds multilayer networks and convolutional networks (4 points each).
struct ReportExplanation: Equatable {
    let heading: String
    /// One sentence on one line, without Markdown's special characters, so that it reads the same in
    /// report.md and report.html (the grader looks for it to tell an unwritten draft).
    let placeholder: String

    /// The mark that starts every placeholder.
    static let mark = "✎ Write here:"

    /// The placeholder as the draft writes it: in italics, on a line of its own.
    var markdown: String { "*\(placeholder)*" }

    static let introduction = ReportExplanation(
        heading: "Introduction",
        placeholder: "\(mark) what you set out to build, how this report is organized, and your name and course.")

    /// Part 1 to Part 4 of the exercises (lecture 001), in order.
    static let parts = [
        ReportExplanation(
            heading: "Part 1 · Building the network (Quiz 1–4)",
            placeholder:
                "\(mark) how your softmax and ReLU, the fully-connected layer, the initialization and the two-layer "
                + "network work, forward and backward, and why each gradient is what it is."),
        ReportExplanation(
            heading: "Part 2 · Training the network (Quiz 5–7)",
            placeholder:
                "\(mark) the one-hot encoding, the cross-entropy and its gradient, and how stochastic gradient "
                + "descent with momentum adjusts the weights; say which choices you made and why."),
        ReportExplanation(
            heading: "Part 3 · A toy example (Quiz 8)",
            placeholder:
                "\(mark) how your network classifies the toy points, what its decision boundary shows, and how the "
                + "learning rate, the hidden width and the number of epochs changed the result (see the runs below)."),
        ReportExplanation(
            heading: "Part 4 · Handwritten digits (Quiz 9–10)",
            placeholder:
                "\(mark) how you trained on MNIST, the accuracy you reached, which digits the confusion matrix and "
                + "the misclassified images show your network confuses, and what its first-layer weights look like."),
    ]

    /// "Add more to the framework" (lecture 001): one section each for its two parts.
    static let moreWork = [
        ReportExplanation(
            heading: "Multilayer neural networks",
            placeholder:
                "\(mark) what you added for networks of any depth, more activations (tanh, leaky ReLU, ELU, SELU), "
                + "dropout or new datasets, how you checked it works, and what it changed in your results."),
        ReportExplanation(
            heading: "Convolutional neural networks",
            placeholder:
                "\(mark) your convolution and max-pooling layers, how you built LeNet-5, and how it did on MNIST "
                + "compared with the two-layer network."),
    ]

    static let conclusion = ReportExplanation(
        heading: "Conclusion",
        placeholder: "\(mark) what worked, what did not, what you learned, and what you would try next.")

    /// Every section the student writes, in the report's order.
    static let all = [introduction] + parts + moreWork + [conclusion]
}
