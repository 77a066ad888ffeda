import Foundation
import NeuralKit

/// The sample submissions of the grader's own tests, stored as descriptions
/// rather than copies of the reference: `Tests/GraderFixtures/submissions/<name>/`
/// holds a `fixture.json`,
///
/// ```json
/// {
///   "comment": "dW = Gᵀ·X in stage 2",
///   "solutions": [1, 2, 3, 4],
///   "stubs": [5],
///   "edits": [{"file": "02-DenseLayer/Dense.swift",
///              "replace": "x.transposedMatmul(outputGradient)",
///              "with": "outputGradient.transposed().matmul(x)"}],
///   "root": "NeuralKit-main"
/// }
/// ```
///
/// and, beside it, the files that are genuinely the student's (a manifest, an
/// edited suite, a README), at their place in the submission. `build` makes the
/// real submission: the files of the `solutions` stages from `Solutions/`, of the
/// `stubs` stages from the original stubs, each edit applied to a file of
/// `<root>/Exercises/` (its text must occur exactly once, so that a change of the
/// reference that the edit no longer fits is an error, not a silently right
/// submission), and the other files copied. `replace` and `with` are a string or
/// a list of lines. `kit fixtures --out DIR` writes them all for `kit grade`.
struct SampleSubmissions {
    /// Where the descriptions are, in the kit.
    static let folder = "Tests/GraderFixtures/submissions"
    static let descriptionName = "fixture.json"
    /// Left in an output folder, so that a later run may replace what it wrote (and nothing else).
    static let marker = ".kit-fixtures"

    struct Edit: Equatable {
        var file: String
        var replace: String
        var with: String
    }

    struct Description: Equatable {
        var solutions: [Int] = []
        var stubs: [Int] = []
        var edits: [Edit] = []
        /// The folder the submission's `Exercises/` is in ("" or, for a whole copy of the kit, "NeuralKit-main").
        var root = ""
    }

    let kit: Kit

    /// The names of the described submissions in `source` (every folder; each must have a fixture.json).
    static func names(in source: URL) throws -> [String] {
        let fileManager = FileManager.default
        guard let entries = try? fileManager.contentsOfDirectory(atPath: source.path) else {
            throw KitError("there is no folder \(source.path) of sample submissions")
        }
        return entries.filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".")
                && fileManager.fileExists(atPath: source.appendingPathComponent(name).path, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
    }

    /// Reads and checks a fixture.json.
    static func parse(_ data: Data, in file: String) throws -> Description {
        func fail(_ message: String) -> KitError { KitError("\(file): \(message)") }
        let object: JSONValue
        do { object = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw fail("not valid JSON (\(error.localizedDescription))")
        }
        guard let top = object.object else { throw fail("not a JSON object") }
        let keys: Set<String> = ["comment", "solutions", "stubs", "edits", "root"]
        if let unknown = top.keys.sorted().first(where: { !keys.contains($0) }) {
            throw fail("unknown key \"\(unknown)\" (the keys are \(keys.sorted().joined(separator: ", ")))")
        }
        func stages(_ key: String) throws -> [Int] {
            guard let value = top[key] else { return [] }
            guard let result = value.list(of: \.integer) else {
                throw fail("\"\(key)\" must be a list of stage numbers")
            }
            if let wrong = result.first(where: { Course.stage($0) == nil }) {
                throw fail("\"\(key)\": there is no stage \(wrong)")
            }
            if Set(result).count != result.count { throw fail("\"\(key)\" lists a stage twice") }
            return result
        }
        /// A string, or a list of lines joined with line breaks.
        func text(_ value: JSONValue?, _ key: String, _ index: Int) throws -> String {
            if let string = value?.string { return string }
            if let lines = value?.list(of: \.string), !lines.isEmpty {
                return lines.joined(separator: "\n")
            }
            throw fail("edit \(index + 1): \"\(key)\" must be a string or a list of lines")
        }
        var description = Description()
        description.solutions = try stages("solutions")
        description.stubs = try stages("stubs")
        if let both = description.solutions.first(where: description.stubs.contains) {
            throw fail("stage \(both) is in both \"solutions\" and \"stubs\"")
        }
        if let root = top["root"] {
            guard let root = root.string, !root.isEmpty, !root.hasPrefix("/"),
                !root.split(separator: "/").contains("..")
            else {
                throw fail("\"root\" must be a relative folder, like \"NeuralKit-main\"")
            }
            description.root = root
        }
        if let edits = top["edits"] {
            guard let list = edits.list(of: \.object) else {
                throw fail("\"edits\" must be a list of {file, replace, with}")
            }
            for (index, entry) in list.enumerated() {
                let editKeys: Set<String> = ["file", "replace", "with", "comment"]
                if let unknown = entry.keys.sorted().first(where: { !editKeys.contains($0) }) {
                    throw fail(
                        "edit \(index + 1): unknown key \"\(unknown)\" (the keys are file, replace, with, comment)")
                }
                guard let path = entry["file"]?.string, path.split(separator: "/").count == 2, !path.contains("..")
                else {
                    throw fail("edit \(index + 1): \"file\" must be a stage file, like \"02-DenseLayer/Dense.swift\"")
                }
                let edit = Edit(
                    file: path, replace: try text(entry["replace"], "replace", index),
                    with: try text(entry["with"], "with", index))
                if edit.replace.isEmpty { throw fail("edit \(index + 1): \"replace\" is empty") }
                if edit.replace == edit.with { throw fail("edit \(index + 1): \"replace\" and \"with\" are the same") }
                description.edits.append(edit)
            }
        }
        return description
    }

    /// The files of the submission described in `folder`: path in the submission → contents.
    func build(_ folder: URL) throws -> [String: Data] {
        let root = kit.root.standardizedFileURL.path + "/"
        let place =
            folder.standardizedFileURL.path.hasPrefix(root)
            ? String(folder.standardizedFileURL.path.dropFirst(root.count)) : folder.path
        let shown = "\(place)/\(SampleSubmissions.descriptionName)"
        let descriptionURL = folder.appendingPathComponent(SampleSubmissions.descriptionName)
        guard let data = try? Data(contentsOf: descriptionURL) else {
            throw KitError(
                "\(place) has no \(SampleSubmissions.descriptionName) (every sample submission is described by one)")
        }
        let description = try SampleSubmissions.parse(data, in: shown)
        func fail(_ message: String) -> KitError { KitError("\(shown): \(message)") }

        var tree: [String: Data] = [:]
        /// Where each file came from, for the message of a conflict.
        var origin: [String: String] = [:]
        func add(_ path: String, _ contents: Data, from source: String) throws {
            if let earlier = origin[path] { throw fail("\(path) comes both from \(earlier) and from \(source)") }
            tree[path] = contents
            origin[path] = source
        }
        for (path, contents) in try SampleSubmissions.files(in: folder) where path != SampleSubmissions.descriptionName
        {
            try add(path, contents, from: "\(place)/\(path)")
        }
        let exercises = description.root.isEmpty ? "Exercises" : description.root + "/Exercises"
        for number in description.solutions {
            let stage = Course.stage(number)!
            let files = try SampleSubmissions.files(in: kit.url("Solutions/\(stage.folder)")).filter {
                $0.key.hasSuffix(".swift")
            }
            if files.isEmpty { throw fail("stage \(number): Solutions/\(stage.folder)/ has no .swift file") }
            for (file, contents) in files {
                try add("\(exercises)/\(stage.folder)/\(file)", contents, from: "Solutions/\(stage.folder)/\(file)")
            }
        }
        for number in description.stubs {
            let stage = Course.stage(number)!
            let files = kit.pristineFiles(stage)
            if files.isEmpty { throw fail("stage \(number): \(Kit.stubsFolder)/\(stage.folder)/ has no stub") }
            for (file, contents) in files {
                try add(
                    "\(exercises)/\(stage.folder)/\(file)", contents, from: "\(Kit.stubsFolder)/\(stage.folder)/\(file)"
                )
            }
        }
        for (index, edit) in description.edits.enumerated() {
            let path = "\(exercises)/\(edit.file)"
            let label = "edit \(index + 1) of \(edit.file)"
            guard let contents = tree[path] else {
                throw fail("\(label): the submission has no such file (list its stage in \"solutions\")")
            }
            let text = String(decoding: contents, as: UTF8.self)
            let count = SampleSubmissions.occurrences(of: edit.replace, in: text)
            guard count == 1 else {
                throw fail(
                    "\(label): the text to replace occurs \(count) times in \(origin[path] ?? edit.file), "
                        + "it must occur exactly once"
                        + (count == 0
                            ? " (did the reference change? update the edit):\n\(edit.replace)"
                            : " (give more of the text around it):\n\(edit.replace)"))
            }
            tree[path] = Data(text.replacingOccurrences(of: edit.replace, with: edit.with).utf8)
        }
        return tree
    }

    /// The files of every submission of `source`; the errors of all the descriptions that do not build, together.
    func buildAll(from source: URL, names: [String]) throws -> [[String: Data]] {
        var trees: [[String: Data]] = []
        var errors: [String] = []
        for name in names {
            do { trees.append(try build(source.appendingPathComponent(name))) } catch let error as KitError {
                errors.append(error.message)
            }
        }
        if !errors.isEmpty { throw KitError(errors.joined(separator: "\n")) }
        return trees
    }

    /// Builds every submission of `source` into `out/<name>/`. `out` must be new,
    /// empty, or written by an earlier run (its contents are then replaced).
    /// Returns each name with the number of stage files and edits.
    @discardableResult
    func write(from source: URL, to out: URL) throws -> [(name: String, files: Int, edits: Int)] {
        let fileManager = FileManager.default
        let names = try SampleSubmissions.names(in: source)
        guard !names.isEmpty else { throw KitError("\(source.path) holds no sample submissions") }
        // Everything is built before anything is written: a wrong description leaves no half-written folder.
        let trees = try buildAll(from: source, names: names)
        if fileManager.fileExists(atPath: out.path) {
            let existing = try fileManager.contentsOfDirectory(atPath: out.path)
            if !existing.isEmpty {
                guard existing.contains(SampleSubmissions.marker) else {
                    throw KitError("\(out.path) is not empty and was not written by `kit fixtures`: give a new folder")
                }
                for entry in existing { try fileManager.removeItem(at: out.appendingPathComponent(entry)) }
            }
        }
        try fileManager.createDirectory(at: out, withIntermediateDirectories: true)
        try Data(
            "Written by `swift run kit fixtures`: sample submissions built from \(SampleSubmissions.folder).\n".utf8
        )
        .write(to: out.appendingPathComponent(SampleSubmissions.marker))
        var summary: [(name: String, files: Int, edits: Int)] = []
        for (name, tree) in zip(names, trees) {
            let folder = out.appendingPathComponent(name)
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            for (path, contents) in tree {
                let url = folder.appendingPathComponent(path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try contents.write(to: url)
            }
            let data = try Data(
                contentsOf: source.appendingPathComponent(name).appendingPathComponent(
                    SampleSubmissions.descriptionName))
            let description = try SampleSubmissions.parse(data, in: name)
            summary.append((name, tree.keys.filter { $0.contains("Exercises/") }.count, description.edits.count))
        }
        return summary
    }

    /// The files under `folder` (relative paths → contents), without hidden files.
    static func files(in folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let fileManager = FileManager.default
        var pending: [(URL, String)] = [(folder, "")]
        while let (directory, prefix) = pending.popLast() {
            guard let names = try? fileManager.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names where !name.hasPrefix(".") {
                let url = directory.appendingPathComponent(name)
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                var isFolder: ObjCBool = false
                guard fileManager.fileExists(atPath: url.path, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue {
                    pending.append((url, relative))
                } else {
                    result[relative] = try Data(contentsOf: url)
                }
            }
        }
        return result
    }

    /// How many times `needle` occurs in `text`, without overlaps.
    static func occurrences(of needle: String, in text: String) -> Int {
        var count = 0
        var rest = text[...]
        while let range = rest.range(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
