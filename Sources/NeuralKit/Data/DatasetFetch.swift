import Foundation

/// Downloads each of `names` (a catalog name: `mnist`, `fashion-mnist`) into
/// `directory`, from `mirrors` when given, else the catalog's mirrors: what
/// `kit data mnist` does. Status goes to `output`, progress bars to standard
/// error. Throws a `KitError` (an unknown name, a download that failed).
public func fetchDatasets(
    _ names: [String], into directory: DataDirectory, mirrors: [String] = [],
    output: (String) -> Void = { print($0) }
) throws {
    let datasets = try names.map { try DatasetCatalog.named($0) }
    for dataset in datasets {
        let folder = directory.downloadFolder(for: dataset)
        output("\(dataset.title) → \(folder)")
        let printers = PrinterTable()
        let report: DownloadReport
        do {
            report = try download(dataset: dataset, into: folder, mirrors: mirrors.isEmpty ? nil : mirrors) { event in
                printers.handle(event)
            }
        } catch let failure as DownloadFailure {
            // Each mirror's failure was printed as it came: the error only sums up and advises.
            throw KitError(failure.summary)
        }
        if report.downloaded.isEmpty {
            output("Already present and verified: \(report.alreadyPresent.joined(separator: ", ")). Nothing to do.")
        } else {
            output(
                "Downloaded and verified \(report.downloaded.count) file\(report.downloaded.count == 1 ? "" : "s")"
                    + (report.alreadyPresent.isEmpty ? "" : " (\(report.alreadyPresent.count) already present)") + ".")
        }
    }
    if directory.source == .standard {
        output(
            "Commands find the data in \(directory.path) (run them from this folder, or pass \(DataDirectory.option) \(DataDirectory.quoted(directory.path)) or set \(DataDirectory.environmentVariable))."
        )
    }
}

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
        lines.append(
            "  \(dataset.name.padding(toLength: 15, withPad: " ", startingAt: 0))\(parts.joined(separator: ", "))")
    }
    return lines.joined(separator: "\n")
}

/// One progress bar a file, drawn as events arrive.
private final class PrinterTable: @unchecked Sendable {
    private let lock = NSLock()
    private var printers: [String: ProgressPrinter] = [:]
    private var hosts: [String: String] = [:]

    func handle(_ event: DownloadEvent) {
        lock.lock()
        defer { lock.unlock() }
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
