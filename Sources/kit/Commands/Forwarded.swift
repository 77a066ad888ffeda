import Foundation
import NeuralKit

// Commands that run on the course code (the reference solutions or the
// student's), so `kit` builds `kit-demos` and passes the words on to it.

extension Command {
    static let shape = forwarded(
        name: "shape", summary: "Output shape, parameters and cost of one layer: conv2d, pool or dense.",
        usage: """
        swift run kit shape conv2d --input 3x32x32 --kernel 5 --filters 6 [--stride S] [--padding P] [--dilation D]
               swift run kit shape pool --input 6x28x28 --window 2 [--stride 2]
               swift run kit shape dense --inputs 784 --outputs 100
        """,
        details: "Prints each number with its formula (docs/formulas.md), and explains in words a combination that cannot work.")

    static let summary = forwarded(
        name: "summary", summary: "A model's layers: output shape, activations, parameters, multiply-accumulates.",
        usage: "swift run kit summary lenet | mlp [--sizes 784,100,10]",
        details: "Like the lecture's LeNet-5 table and Keras' model.summary(), from the layers' sizes and the lectures' formulas.")

    /// A command that `kit-demos` carries out.
    static func forwarded(name: String, summary: String, usage: String, details: String,
                          configuration: String = "debug") -> Command {
        Command(name: name, summary: summary, usage: usage, details: details,
                maximumPositionals: .max, parsesItsOwnArguments: true) { arguments, kit in
            try runKitDemos([name] + arguments.positionals, kit: kit, configuration: configuration)
        }
    }
}

/// Builds `kit-demos` in `configuration` (explaining a compile error the way
/// `kit check` does) and runs it with `words`; returns its exit status.
func runKitDemos(_ words: [String], kit: Kit, configuration: String = "debug",
                 checking stage: Stage? = nil) throws -> Int32 {
    let build = try Shell.capture(["swift", "build", "-c", configuration, "--product", "kit-demos"], in: kit.root)
    if build.status != 0 {
        let failures = CheckRunner.compileFailures(in: build.output, root: kit.root)
        StageCheck(kit: kit).explain(failures.isEmpty ? .other(output: build.output) : .compile(failures, output: build.output),
                                     checking: stage ?? Course.stages[0])
        return 1
    }
    return try Shell.interactive(["swift", "run", "-c", configuration, "--skip-build", "kit-demos"] + words, in: kit.root)
}
