import Foundation
import NeuralKit

/// The settings of a student edition made by `kit release`, in `.kit-edition.json` at the
/// edition's root (committed with it; the instructor's kit has no such file). `kit` shows only
/// the stages of the edition's course (`courseStages`).
struct EditionSettings: Codable, Equatable {
    static let fileName = ".kit-edition.json"
    static let currentFormat = 1

    var format = EditionSettings.currentFormat
    /// "student": made by `kit release`.
    var edition = "student"
    /// The stages the edition holds.
    var stages: [Int]
    /// Made without each stage's last hint (the one that nearly gives the answer): its
    /// Course.swift does not hold them (for information; `kit` reads the hints from the manifest).
    var withoutLastHints: Bool
    /// The instructor's kit commit the edition was made from, when known.
    var kitCommit: String?

    init(stages: [Int], withoutLastHints: Bool, kitCommit: String?) {
        self.stages = stages
        self.withoutLastHints = withoutLastHints
        self.kitCommit = kitCommit
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decodeIfPresent(Int.self, forKey: .format) ?? EditionSettings.currentFormat
        edition = try container.decodeIfPresent(String.self, forKey: .edition) ?? "student"
        stages = try container.decodeIfPresent([Int].self, forKey: .stages) ?? Course.stages.map(\.number)
        withoutLastHints = try container.decodeIfPresent(Bool.self, forKey: .withoutLastHints) ?? false
        kitCommit = try container.decodeIfPresent(String.self, forKey: .kitCommit)
    }

    var data: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}

extension Kit {
    /// Whether this copy has the reference solutions (Solutions/): the instructor's kit does,
    /// the student edition does not.
    var hasReference: Bool { exists("Solutions") }

    /// The edition's settings, or nil in the instructor's kit (or when the file cannot be read).
    var edition: EditionSettings? {
        guard let data = try? Data(contentsOf: url(EditionSettings.fileName)) else { return nil }
        return try? JSONDecoder().decode(EditionSettings.self, from: data)
    }

    /// The stages of this copy's course: every stage of the manifest, or in a student edition the ones it holds.
    var courseStages: [Stage] {
        guard let edition else { return Course.stages }
        return Course.stages.filter { edition.stages.contains($0.number) }
    }

    /// Package.swift for a copy without Solutions/ (the student edition, the grading copy): the same
    /// manifest with `let hasReference = false`. The mode is in the manifest's text because SwiftPM
    /// caches what a manifest computes by its text, not by the folders beside it.
    static func manifestWithoutReference(_ manifest: Data) throws -> Data {
        let text = String(decoding: manifest, as: UTF8.self)
        let line = "let hasReference = true"
        guard text.components(separatedBy: "\n").filter({ $0 == line }).count == 1 else {
            throw KitError(
                "Package.swift has no line `\(line)` (exactly once), which copies without Solutions/ set to false")
        }
        return Data(text.replacingOccurrences(of: "\n" + line + "\n", with: "\nlet hasReference = false\n").utf8)
    }

    /// The sentence for commands that need the reference, in the student edition.
    static let referenceIsInInstructorsEdition =
        "this copy of the kit is the student edition, which has no reference solutions (they are in the instructor's edition of the kit)"
}
