import Foundation
import NeuralKit

/// The student's copy of the kit: its folders, and the progress kept in `.kit/`.
struct Kit: Sendable {
    /// The folder holding Package.swift and Exercises/.
    let root: URL
    let terminal: Terminal

    /// The kit around the current directory (or one of its parents).
    static func locate(terminal: Terminal = .standard) throws -> Kit {
        let environment = ProcessInfo.processInfo.environment
        var directory = URL(fileURLWithPath: environment["KIT_ROOT"] ?? FileManager.default.currentDirectoryPath)
            .standardizedFileURL
        while true {
            let manifest = directory.appendingPathComponent("Package.swift").path
            let exercises = directory.appendingPathComponent("Exercises").path
            if FileManager.default.fileExists(atPath: manifest), FileManager.default.fileExists(atPath: exercises) {
                return Kit(root: directory, terminal: terminal)
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path {
                throw KitError(
                    "this is not inside a NeuralKit folder (no Package.swift next to an Exercises/ folder). "
                        + "Run kit from the kit's folder: cd NeuralKit && swift run kit")
            }
            directory = parent
        }
    }

    func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    func exists(_ relativePath: String) -> Bool { FileManager.default.fileExists(atPath: url(relativePath).path) }

    /// Whether the stage's files are in this copy of the kit (stages still
    /// being written are listed in the course, but have no folder yet), and,
    /// in a student edition, the stage is part of its course.
    func isAvailable(_ stage: Stage) -> Bool {
        exists("Exercises/\(stage.folder)") && (edition?.stages.contains(stage.number) ?? true)
    }

    /// The stage numbered `argument` ("3", "03"), or a usage error naming the stages.
    func stage(_ argument: String) throws -> Stage {
        guard let number = Int(argument), let stage = Course.stage(number) else {
            let range = "\(Course.stages.first?.number ?? 1)–\(Course.stages.last?.number ?? 1)"
            throw UsageError(
                "there is no stage \"\(argument)\": stages are numbered \(range) (see `swift run kit status`)")
        }
        return stage
    }

    /// The walkthrough of `stage`, as it is named in this copy (docs/NN-*.md), or the expected name.
    func walkthrough(_ stage: Stage) -> String {
        let docs = url("docs")
        if let names = try? FileManager.default.contentsOfDirectory(atPath: docs.path),
            let name = names.sorted().first(where: { $0.hasPrefix(stage.twoDigits + "-") && $0.hasSuffix(".md") })
        {
            return "docs/" + name
        }
        return stage.walkthroughPath
    }

    /// The message for a stage that has no files yet.
    func comingSoon(_ stage: Stage) -> String {
        if let edition, !edition.stages.contains(stage.number), exists("Exercises/\(stage.folder)") {
            return "\(stage.heading) is not part of this course: this edition holds stages "
                + StudentEdition.compact(Set(edition.stages)).replacingOccurrences(of: ",", with: ", ") + "."
        }
        return
            "\(stage.heading) is coming soon: its files (Exercises/\(stage.folder)/) are not in this copy of the kit yet. "
            + "Update your copy when it is published (see README, \"Getting updates\")."
    }

    // MARK: Pristine stubs

    /// Where `kit reset` finds the original stubs: `Sources/kit/Stubs/` mirrors `Exercises/`
    /// as it was handed out. It is a plain folder of the kit, so it is there on
    /// a fresh clone, in a zip download and after the student commits.
    static let stubsFolder = "Sources/kit/Stubs"

    /// The original files of `stage` (the manifest's, in its order) that are there, with their contents.
    func pristineFiles(_ stage: Stage) -> [(name: String, contents: Data)] {
        let folder = url("\(Kit.stubsFolder)/\(stage.folder)")
        return stage.files.compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { (name, $0) }
        }
    }

    /// Whether the student's files of `stage` are still the original stubs.
    func isUntouched(_ stage: Stage) -> Bool? {
        let originals = pristineFiles(stage)
        guard !originals.isEmpty else { return nil }
        return originals.allSatisfy { original in
            (try? Data(contentsOf: url("Exercises/\(stage.folder)/\(original.name)"))) == original.contents
        }
    }

    // MARK: Progress

    var stateURL: URL { url(".kit/state.json") }

    func loadState() -> KitState {
        guard let data = try? Data(contentsOf: stateURL),
            let state = try? JSONDecoder().decode(KitState.self, from: data)
        else { return KitState() }
        return state
    }

    func save(_ state: KitState) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try FileManager.default.createDirectory(
                at: stateURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(state).write(to: stateURL, options: .atomic)
        } catch {
            printError("warning: could not save progress in .kit/state.json: \(error.localizedDescription)")
        }
    }

    /// Changes the saved progress.
    func updateState(_ change: (inout KitState) -> Void) {
        var state = loadState()
        change(&state)
        save(state)
    }
}

/// What the kit remembers between runs, in `.kit/state.json` (not committed).
struct KitState: Codable {
    /// How many hints of each stage the student has seen, by stage number.
    var hintsSeen: [String: Int] = [:]
    /// The last results of each stage's checks, by stage number.
    var results: [String: StageResult] = [:]

    func hintsSeen(_ stage: Stage) -> Int { hintsSeen[String(stage.number)] ?? 0 }
    func result(_ stage: Stage) -> StageResult? { results[String(stage.number)] }

    init() {}

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hintsSeen = try container.decodeIfPresent([String: Int].self, forKey: .hintsSeen) ?? [:]
        results = (try? container.decodeIfPresent([String: StageResult].self, forKey: .results)) ?? [:]
    }
}

/// The counts of one run of a stage's checks.
struct StageResult: Codable, Equatable {
    var passed: Int
    var total: Int
    var bonusPassed: Int
    var bonusTotal: Int

    var isDone: Bool { total > 0 && passed == total }
}
