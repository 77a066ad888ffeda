import Foundation
import NeuralKit

extension Command {
    static let data = Command(dataDeclaration) { arguments, _ in
        guard !arguments.positionals.isEmpty else {
            print(dataDeclaration.help + "\n" + dataStatus(in: arguments.dataDirectory))
            return ExitStatus.success
        }
        try fetchDatasets(arguments.positionals, into: arguments.dataDirectory, mirrors: arguments.strings("mirror"))
        return ExitStatus.success
    }

    private static let dataDeclaration = CommandDeclaration(
        name: "data", summary: "Download MNIST or Fashion-MNIST, verified, into the data folder.",
        positionals: "[<dataset>…]",
        details: """
            Downloads the four files of each dataset named, trying the public mirrors in order, \
            checks them against the published checksums and writes them atomically into \
            DIR/<dataset>/: a failed download leaves no half file. Files already present and \
            verified are not fetched again. Without a dataset, lists which files the data folder holds.

            Datasets:
            """ + "\n"
                + DatasetCatalog.all.map { "  " + pad($0.name, 15) + "\($0.title) (\($0.source))" }.joined(
                    separator: "\n"),
        options: [
            .dataDirectory,
            Option(
                "mirror", .text, "URL", help: "a base URL to download from instead of the known mirrors",
                repeatable: true),
        ],
        maximumPositionals: .max)
}
