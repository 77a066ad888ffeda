import Foundation
import NeuralKit

extension Command {
    static let bench = Command(
        name: "bench",
        summary: "Measure the speed of one training epoch (784-100-10 on 60,000 examples); compare with numpy.",
        usage: "swift run -c release kit bench [--epochs E] [--batch-size B] [--numpy] [--json]",
        details: """
        Trains the reference 784-100-10 network for a few epochs on 60,000 random 28×28 \
        examples (the speed does not depend on the values, so nothing is downloaded) and \
        prints samples/s of the fastest epoch. --numpy then runs the same network in numpy \
        (Tests/Benchmarks/mlp_numpy.py: float64, same batch size and initialization) for a \
        side-by-side figure on this machine. Build with -c release: a debug build measures nothing useful.
        """,
        options: [
            Option(name: "epochs", takesValue: true, usage: "--epochs E       epochs to time; the fastest counts (default 3)"),
            Option(name: "batch-size", takesValue: true, usage: "--batch-size B   examples per mini-batch (default 64)"),
            Option(name: "examples", takesValue: true, usage: "--examples N     examples per epoch (default 60000)"),
            Option(name: "numpy", usage: "--numpy          also run Tests/Benchmarks/mlp_numpy.py (python3 with numpy)"),
            Option(name: "json", usage: "--json           one JSON object per implementation"),
        ],
        maximumPositionals: 0
    ) { arguments, kit in
        var words: [String] = []
        for name in ["epochs", "batch-size", "examples"] {
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
        return try Shell.interactive(["python3", "Tests/Benchmarks/mlp_numpy.py"] + words, in: kit.root)
    }
}
