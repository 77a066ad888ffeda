import Foundation
import NeuralKit

extension Command {
    static let bench = Command(.bench) { arguments, kit in
        var forwarded = arguments
        forwarded.flags.remove("numpy")
        let status = try TrainingRunner.run(.bench, forwarded, kit: kit)
        guard status == 0, arguments.flag("numpy") else { return status }
        guard Shell.which("python3") != nil else {
            printError("kit bench --numpy: python3 is not in PATH")
            return ExitStatus.failure
        }
        print("")
        let lenet = arguments.string("model") == "lenet"
        let script = lenet ? "Tests/Benchmarks/lenet_numpy.py" : "Tests/Benchmarks/mlp_numpy.py"
        // lenet_numpy.py times one epoch of 60,000 at batch 64 (its options: --batch, --epochs, --dtype);
        // mlp_numpy.py takes the same names.
        let numpyWords =
            lenet
            ? arguments.string("batch-size").map { ["--batch", $0] } ?? []
            : ["epochs", "batch-size", "examples", "hidden", "seed"].flatMap { name in
                arguments.string(name).map { ["--" + name, $0] } ?? []
            }
                + (arguments.flag("json") ? ["--json"] : [])
        return try Shell.interactive(["python3", script] + numpyWords, in: kit.root)
    }
}
