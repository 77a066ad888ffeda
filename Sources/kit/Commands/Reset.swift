import Foundation
import NeuralKit

extension Command {
    static let reset = Command(
        name: "reset", summary: "Put back the original stub of a stage, saving your file first.",
        positionals: "<stage>",
        details: """
            Your file is saved in Saved/NN-Name/ (with the date in its name) before the \
            original stub is put back, so nothing is lost. Use it to start a stage over, \
            or to set aside a file that does not compile while you work on another stage.
            """,
        options: [.flag("dry-run", help: "say what would be done, change nothing")]
    ) { arguments, kit in
        let stage = try arguments.stage(in: kit)
        return try Resetter(kit: kit).reset(stage, dryRun: arguments.flag("dry-run"))
    }
}

struct Resetter {
    let kit: Kit

    func reset(_ stage: Stage, dryRun: Bool) throws -> Int32 {
        guard kit.isAvailable(stage) else {
            print(kit.comingSoon(stage))
            return 1
        }
        let originals = kit.pristineFiles(stage)
        guard !originals.isEmpty else {
            printError(
                "The original stub of stage \(stage.number) is missing: \(Kit.stubsFolder)/\(stage.folder)/ should "
                    + "hold it. Get it from the kit's repository (the same path), or, with git: "
                    + "git checkout <the kit's first commit> -- Exercises/\(stage.folder)")
            return 1
        }
        let fileManager = FileManager.default
        let folder = kit.url("Exercises/\(stage.folder)")
        let names = Set(originals.map(\.name))
        let current = ((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
            $0.hasSuffix(".swift")
        }
        // The student's files that differ from the stubs, and files they added.
        let changed = current.filter { name in
            guard let original = originals.first(where: { $0.name == name }) else { return true }
            return (try? Data(contentsOf: folder.appendingPathComponent(name))) != original.contents
        }.sorted()
        let missing = names.subtracting(current)
        if changed.isEmpty, missing.isEmpty {
            print("\(stage.exerciseLocation) is already the original stub: nothing to do.")
            return 0
        }
        let stamp = Resetter.timestamp()
        let saved = kit.url("Saved/\(stage.folder)")
        if !dryRun, !changed.isEmpty { try fileManager.createDirectory(at: saved, withIntermediateDirectories: true) }
        for name in changed {
            let base = (name as NSString).deletingPathExtension
            let target = saved.appendingPathComponent("\(base)-\(stamp).swift")
            print("Saving your \(name) as Saved/\(stage.folder)/\(target.lastPathComponent)")
            if !dryRun {
                try fileManager.copyItem(at: folder.appendingPathComponent(name), to: target)
                if !names.contains(name) { try fileManager.removeItem(at: folder.appendingPathComponent(name)) }
            }
        }
        for original in originals where changed.contains(original.name) || missing.contains(original.name) {
            print("Putting back the original Exercises/\(stage.folder)/\(original.name)")
            if !dryRun {
                try original.contents.write(to: folder.appendingPathComponent(original.name), options: .atomic)
            }
        }
        if !dryRun {
            kit.updateState { $0.results[String(stage.number)] = nil }
        }
        print(
            dryRun
                ? "(Nothing was changed: --dry-run.)"
                : "Stage \(stage.number) is back to its stub. Your work is in Saved/\(stage.folder)/.")
        return 0
    }

    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
}
