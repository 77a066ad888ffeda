import Foundation
import NeuralKit

extension Command {
    static let run = Command(
        name: "run", summary: "Run a stage's demo on your code: the walkthrough's \"notebook cell\".",
        usage: "swift run kit run <stage> [options]",
        details: """
        Builds the demos with your code (only what changed) and runs the one of the \
        stage. A function you have not written yet prints "not implemented yet" \
        instead of numbers. What each stage shows:
        """ + "\n" + Course.stages.map { "  \($0.number)  \($0.demo)" }.joined(separator: "\n"),
        options: [
            Option(name: "dataset", takesValue: true, usage: "--dataset NAME   stage 8: blobs, moons, circles, spirals (default) or xor"),
            Option(name: "reference", usage: "--reference      stages 7–8: train the reference solution instead of your code"),
            Option(name: "output", takesValue: true, usage: "--output DIR     stages 7–8: where to write the pictures (default: runs/)"),
        ]
    ) { arguments, kit in
        let stage = try arguments.stage(in: kit)
        guard kit.isAvailable(stage) else { print(kit.comingSoon(stage)); return 1 }
        if let dataset = arguments.options["dataset"], ToyDataset(rawValue: dataset) == nil {
            throw UsageError("there is no dataset \"\(dataset)\": use one of "
                + ToyDataset.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if arguments.flag("reference"), !kit.hasReference {
            throw KitError("--reference: \(Kit.referenceIsInInstructorsEdition). Leave out --reference to run your code.")
        }
        print(kit.terminal.dim("Building the demos with your code… (only what changed)"))
        var demoArguments = [String(stage.number)]
        if let dataset = arguments.options["dataset"] { demoArguments += ["--dataset", dataset] }
        if arguments.flag("reference") { demoArguments.append("--reference") }
        if let output = arguments.options["output"] { demoArguments += ["--output", output] }
        return try runKitDemos(demoArguments, kit: kit, checking: stage)
    }
}
