import Foundation
import NeuralKit

extension Command {
    static let data = Command(
        name: "data", summary: "Download MNIST or Fashion-MNIST, verified, into the data folder.",
        usage: "swift run kit data [mnist] [fashion-mnist] [--data-dir DIR] [--mirror URL]",
        details: """
        Downloads the four files of each dataset named, trying the public mirrors in order, \
        checks them against the published checksums and writes them atomically: a failed \
        download leaves no half file. Files already present and verified are not fetched again. \
        Without a dataset, lists which files the data folder holds. The data folder is \
        --data-dir DIR, else the NEURALKIT_DATA environment variable, else ./data.
        """,
        maximumPositionals: .max,
        parsesItsOwnArguments: true
    ) { arguments, _ in
        try runDataCommand(arguments: arguments.positionals)
        return 0
    }
}
