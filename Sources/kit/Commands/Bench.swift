import Foundation
import NeuralKit

extension Command {
    static let bench = Command(
        name: "bench",
        summary: "Measure the speed of one training epoch (784-100-10 or LeNet-5 on 60,000 examples); compare with numpy.",
        usage: "swift run -c release kit bench [--model mlp|lenet] [--epochs E] [--batch-size B] [--numpy] [--json]",
        details: """
        Trains the reference network (784-100-10, or LeNet-5 with --model lenet) for a few epochs \
        on 60,000 random 28×28 examples (the speed does not depend on the values, so nothing is \
        downloaded) and prints samples/s of the fastest epoch. --numpy then runs the same network in \
        numpy (Tests/Benchmarks/mlp_numpy.py, float64, or lenet_numpy.py, im2col) for a side-by-side \
        figure on this machine. Build with -c release: a debug build measures nothing useful.
        """,
        options: [
            Option(name: "model", takesValue: true, usage: "--model NAME     mlp (default) or lenet"),
            Option(name: "epochs", takesValue: true, usage: "--epochs E       epochs to time; the fastest counts (default 3)"),
            Option(name: "batch-size", takesValue: true, usage: "--batch-size B   examples per mini-batch (default 64)"),
            Option(name: "examples", takesValue: true, usage: "--examples N     examples per epoch (default 60000)"),
            Option(name: "numpy", usage: "--numpy          also run Tests/Benchmarks/mlp_numpy.py (python3 with numpy)"),
            Option(name: "json", usage: "--json           one JSON object per implementation"),
        ],
        maximumPositionals: 0
    ) { arguments, kit in
        var words: [String] = []
        for name in ["model", "epochs", "batch-size", "examples"] {
            if let value = arguments.options[name] { words += ["--" + name, value] }
        }
        if arguments.flag("json") { words.append("--json") }
        let status = try TrainingRunner.run("bench", words, kit: kit)
        guard status == 0, arguments.flag("numpy") else { return status }
        guard Shell.which("python3") != nil else {
            printError("kit bench --numpy: python3 is not in PATH")
            return 1
        }
        print("")
        let script = arguments.options["model"] == "lenet" ? "Tests/Benchmarks/lenet_numpy.py" : "Tests/Benchmarks/mlp_numpy.py"
        // lenet_numpy.py times one epoch of 60,000 at batch 64 (its options: --batch, --epochs, --dtype).
        let numpyWords = arguments.options["model"] == "lenet"
            ? arguments.options["batch-size"].map { ["--batch", $0] } ?? []
            : words.filter { $0 != "--model" && $0 != "mlp" }
        return try Shell.interactive(["python3", script] + numpyWords, in: kit.root)
    }
}
