import Foundation

/// Where datasets live: `--data-dir DIR` on a command, else the environment
/// variable `NEURALKIT_DATA`, else `./data` under the current directory.
///
/// Within it, a dataset's files are found in a subfolder named for it
/// (`mnist/`, `fashion-mnist/`, …) or directly in the folder, compressed
/// (`.gz`) or not.
public struct DataDirectory: Sendable, Equatable {
    /// How the directory was chosen, for messages.
    public enum Source: String, Sendable {
        case option = "--data-dir"
        case environment = "NEURALKIT_DATA"
        case standard = "the default"
    }

    /// An absolute path.
    public var path: String
    public var source: Source

    public static let environmentVariable = "NEURALKIT_DATA"
    public static let option = "--data-dir"

    public init(
        path: String, source: Source = .option, currentDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.path = DataDirectory.absolute(path, from: currentDirectory)
        self.source = source
    }

    /// `--data-dir` (when given) > `NEURALKIT_DATA` > `./data`.
    public static func resolve(
        option: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> DataDirectory {
        if let option, !option.isEmpty {
            return DataDirectory(path: option, source: .option, currentDirectory: currentDirectory)
        }
        if let variable = environment[environmentVariable], !variable.isEmpty {
            return DataDirectory(path: variable, source: .environment, currentDirectory: currentDirectory)
        }
        return DataDirectory(path: "data", source: .standard, currentDirectory: currentDirectory)
    }

    /// The folders searched for `dataset`'s files, in order: its subfolders, then the directory itself.
    public func searchFolders(for dataset: DatasetDescription) -> [String] {
        dataset.folderNames.map { (path as NSString).appendingPathComponent($0) } + [path]
    }

    /// Where `kit data` puts `dataset`'s files.
    public func downloadFolder(for dataset: DatasetDescription) -> String {
        (path as NSString).appendingPathComponent(dataset.folderNames[0])
    }

    /// The path of `fileName` (a `.gz` name as published) for `dataset`: the
    /// first search folder holding it, compressed or not. Throws a message that
    /// lists where it looked and how to get the files.
    public func locate(_ fileName: String, of dataset: DatasetDescription) throws -> String {
        let plain = fileName.hasSuffix(".gz") ? String(fileName.dropLast(3)) : fileName
        let names = plain == fileName ? [fileName] : [fileName, plain]
        let folders = searchFolders(for: dataset)
        for folder in folders {
            for name in names {
                let candidate = (folder as NSString).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue
                {
                    return candidate
                }
            }
        }
        throw missingFile(names.joined(separator: " or "), of: dataset, looked: folders)
    }

    func missingFile(_ names: String, of dataset: DatasetDescription, looked folders: [String]) -> KitError {
        let chosen: String
        switch source {
        case .option: chosen = "given with \(DataDirectory.option)"
        case .environment: chosen = "from \(DataDirectory.environmentVariable)"
        case .standard:
            chosen =
                "the default; change it with \(DataDirectory.option) DIR or \(DataDirectory.environmentVariable)=DIR"
        }
        let download =
            source == .option
            ? "swift run kit data \(dataset.name) \(DataDirectory.option) \(DataDirectory.quoted(path))"
            : "swift run kit data \(dataset.name)"
        return KitError(
            """
            \(dataset.title): cannot find \(names) in the data directory \(path) (\(chosen)).
            Looked in:
            \(folders.map { "  \($0)" }.joined(separator: "\n"))
            To get the files, run: \(download)   (downloads into \(downloadFolder(for: dataset)))
            or point to a folder that has them with \(DataDirectory.option) DIR or \(DataDirectory.environmentVariable)=DIR.
            """)
    }

    /// `path` from `currentDirectory`, with a leading `~` meaning home, standardized (`.` and `..` resolved).
    public static func absolute(_ path: String, from currentDirectory: String) -> String {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") {
            expanded = NSHomeDirectory() + expanded.dropFirst()
        }
        if !expanded.hasPrefix("/") {
            expanded = (currentDirectory as NSString).appendingPathComponent(expanded)
        }
        return (expanded as NSString).standardizingPath
    }

    static func quoted(_ path: String) -> String {
        path.contains(where: { " '\"$\\".contains($0) })
            ? "'\(path.replacingOccurrences(of: "'", with: "'\\''"))'" : path
    }
}
