import Foundation
import NeuralKit

/// The stage files found in a submission folder: the student's `Exercises/`
/// folder, a whole copy of the kit (at any depth), or loose files named like the
/// stage files (a Gradescope upload). Nothing else is taken.
struct SubmissionFiles {
    /// Stage number → file name → contents.
    var files: [Int: [String: Data]] = [:]
    /// Stage number → why its file was not taken.
    var problems: [Int: String] = [:]
    /// Other files of the submission (relative paths), ignored: tests, manifests, …
    var ignored: [String] = []

    static let largestFile = 512 * 1024
    static let skippedFolders: Set<String> = [
        ".build", ".git", ".swiftpm", ".kit", "Saved", "node_modules", "__MACOSX",
    ]

    /// `stageFiles`: for each stage, the names of its files (from the stubs).
    static func collect(from folder: URL, stageFiles: [(stage: Stage, names: [String])]) -> SubmissionFiles {
        var result = SubmissionFiles()
        let root = folder.standardizedFileURL.resolvingSymlinksInPath()
        // (stage, name) → candidates (relative path, is under Exercises/<folder>/).
        var candidates: [String: [(path: String, exact: Bool, url: URL)]] = [:]
        let fileManager = FileManager.default
        var seen = 0
        var pending: [(URL, String, Int)] = [(root, "", 0)]
        while let (directory, prefix, depth) = pending.popLast() {
            guard let names = try? fileManager.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names.sorted() {
                seen += 1
                if seen > 20_000 { break }
                let url = directory.appendingPathComponent(name)
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                guard let attributes = try? fileManager.attributesOfItem(atPath: url.path),
                    let type = attributes[.type] as? FileAttributeType
                else { continue }
                if type == .typeDirectory {
                    if depth < 8, !skippedFolders.contains(name) { pending.append((url, relative, depth + 1)) }
                    continue
                }
                var matched = false
                for (stage, stageNames) in stageFiles {
                    for fileName in stageNames where name == fileName {
                        let exact =
                            relative == "Exercises/\(stage.folder)/\(fileName)"
                            || relative.hasSuffix("/Exercises/\(stage.folder)/\(fileName)")
                        let elsewhere = ["Solutions/", "Stubs/", "Tests/"].contains { relative.contains($0) }
                        if exact || !elsewhere {
                            candidates["\(stage.number)/\(fileName)", default: []].append((relative, exact, url))
                            matched = true
                        }
                    }
                }
                if !matched, name.hasSuffix(".swift") || name == "Package.swift" || name.hasSuffix(".json") {
                    result.ignored.append(relative)
                }
            }
        }
        for (stage, stageNames) in stageFiles {
            for fileName in stageNames {
                guard let found = candidates["\(stage.number)/\(fileName)"], !found.isEmpty else { continue }
                let best = found.min {
                    ($0.exact ? 0 : 1, $0.path.count, $0.path) < ($1.exact ? 0 : 1, $1.path.count, $1.path)
                }!
                // The other copies are ignored.
                result.ignored += found.filter { $0.path != best.path }.map(\.path)
                let attributes = try? fileManager.attributesOfItem(atPath: best.url.path)
                if attributes?[.type] as? FileAttributeType == .typeSymbolicLink {
                    result.problems[stage.number] = "\(best.path) is a symbolic link, not a file: it was not graded"
                    continue
                }
                if attributes?[.type] as? FileAttributeType != .typeRegular {
                    result.problems[stage.number] = "\(best.path) is not a regular file: it was not graded"
                    continue
                }
                if let size = attributes?[.size] as? Int, size > largestFile {
                    result.problems[stage.number] =
                        "\(best.path) is larger than \(largestFile / 1024) KB: it was not graded"
                    continue
                }
                guard let data = try? Data(contentsOf: best.url) else {
                    result.problems[stage.number] = "\(best.path) could not be read"
                    continue
                }
                result.files[stage.number, default: [:]][fileName] = data
            }
        }
        result.ignored.sort()
        return result
    }
}
