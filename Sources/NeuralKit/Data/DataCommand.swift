import Foundation

/// `kit data …`: the arguments after `data`.
///
///     kit data                          the datasets, and which files the data directory has
///     kit data mnist                    download MNIST (no-op when the verified files are there)
///     kit data fashion-mnist --data-dir DIR --mirror URL …
///
/// Status goes to `output` (standard output by default), progress bars to
/// standard error. Throws a `KitError` the caller prints (exit status 1).
public func runDataCommand(arguments: [String],
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           output: (String) -> Void = { print($0) }) throws {
    var arguments = arguments
    let directory = try DataDirectory.resolve(consuming: &arguments, environment: environment)
    var mirrors: [String] = []
    var names: [String] = []
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        switch argument {
        case "-h", "--help", "help":
            output(dataCommandUsage)
            return
        case "--mirror":
            guard index + 1 < arguments.count else { throw KitError("--mirror needs a base URL: --mirror https://example.org/mnist/") }
            mirrors.append(arguments[index + 1])
            index += 1
        case _ where argument.hasPrefix("--mirror="):
            mirrors.append(String(argument.dropFirst("--mirror=".count)))
        case _ where argument.hasPrefix("-"):
            throw KitError("kit data: unknown option \(argument)\n\n" + dataCommandUsage)
        default:
            names.append(argument)
        }
        index += 1
    }

    guard !names.isEmpty else {
        output(dataCommandUsage + "\n\n" + dataStatus(in: directory))
        return
    }
    let datasets = try names.map { try DatasetCatalog.named($0) }
    for dataset in datasets {
        let folder = directory.downloadFolder(for: dataset)
        output("\(dataset.title) → \(folder)")
        let printers = PrinterTable()
        let report = try download(dataset: dataset, into: folder, mirrors: mirrors.isEmpty ? nil : mirrors) { event in
            printers.handle(event)
        }
        if report.downloaded.isEmpty {
            output("Already present and verified: \(report.alreadyPresent.joined(separator: ", ")). Nothing to do.")
        } else {
            output("Downloaded and verified \(report.downloaded.count) file\(report.downloaded.count == 1 ? "" : "s")"
                   + (report.alreadyPresent.isEmpty ? "" : " (\(report.alreadyPresent.count) already present)") + ".")
        }
    }
    if directory.source == .standard {
        output("Commands find the data in \(directory.path) (run them from this folder, or pass \(DataDirectory.option) \(DataDirectory.quoted(directory.path)) or set \(DataDirectory.environmentVariable)).")
    }
}

public let dataCommandUsage = """
    Usage: swift run kit data [DATASET…] [--data-dir DIR] [--mirror URL…]

    Downloads a dataset's files from its public mirrors (tried in order),
    checks them against the published checksums and stores them in
    DIR/<dataset>/. Nothing happens when the verified files are already there.

    Datasets:
    \(DatasetCatalog.all.map { "  \($0.name.padding(toLength: 15, withPad: " ", startingAt: 0))\($0.title) (\($0.source))" }.joined(separator: "\n"))

    Options:
      --data-dir DIR   where datasets live (default: $\(DataDirectory.environmentVariable), else ./data)
      --mirror URL     a base URL to download from instead of the known mirrors (repeatable)
    """

/// Which files each dataset has in `directory`.
public func dataStatus(in directory: DataDirectory) -> String {
    var lines = ["Data directory: \(directory.path) (\(directory.source.rawValue))"]
    for dataset in DatasetCatalog.all {
        var parts: [String] = []
        for split in DatasetSplit.allCases {
            let names = dataset.fileNames(for: split)
            let found = [names.images, names.labels].compactMap { try? directory.locate($0, of: dataset) }
            let state = found.count == 2 ? "present" : found.isEmpty ? "missing" : "incomplete"
            parts.append("\(split.rawValue) \(state)")
        }
        lines.append("  \(dataset.name.padding(toLength: 15, withPad: " ", startingAt: 0))\(parts.joined(separator: ", "))")
    }
    return lines.joined(separator: "\n")
}

/// One progress bar a file, drawn as events arrive.
private final class PrinterTable: @unchecked Sendable {
    private let lock = NSLock()
    private var printers: [String: ProgressPrinter] = [:]
    private var hosts: [String: String] = [:]

    func handle(_ event: DownloadEvent) {
        lock.lock(); defer { lock.unlock() }
        let write = ProgressPrinter.standardError
        switch event {
        case .alreadyPresent(let file):
            write("\(file): already present, checksums match\n")
        case .replacingMismatch(let file):
            write("\(file): present but does not match the published checksums; downloading it again\n")
        case .started(let file, let url, let expected):
            hosts[file] = URL(string: url)?.host ?? url
            printers[file] = ProgressPrinter(ProgressBar(label: file, total: expected, unit: .bytes))
        case .received(let file, let bytes, let expected):
            printers[file]?.update(completed: bytes, total: expected)
        case .finished(let file, let bytes):
            printers[file]?.finish(completed: bytes, message: "✓ verified (from \(hosts[file] ?? "?"))")
            printers[file] = nil
        case .mirrorFailed(let file, let url, let reason):
            if let printer = printers[file] {
                printer.abandon(message: "✗ \(url): \(reason)")
            } else {
                write("\(file) ✗ \(url): \(reason)\n")
            }
            printers[file] = nil
        }
    }
}
