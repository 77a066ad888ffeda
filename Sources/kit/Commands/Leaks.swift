import Foundation
import NeuralKit

extension Command {
    static let leaks = Command(
        name: "leaks",
        summary: "Maintainers: show where a folder (a student edition) holds code of the reference solutions.",
        positionals: "DIR",
        details: """
            Takes every answer of this kit's Solutions/ and every body of its fast versions \
            (Sources/FastReference/): each body of a function, initializer or computed property \
            that the stage's stub does not have, as tokens (whitespace, comments and the text of \
            strings do not count), and searches every text file under DIR for it. \
            Exits 1 and lists the places when one is found. `kit release` runs it on the edition it writes.
            """,
        maximumPositionals: 1, hidden: true
    ) { arguments, kit in
        guard let folder = arguments.positionals.first else { throw UsageError("give the folder to search") }
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        let answers = try ReferenceLeaks.answers(inKitAt: kit.root)
        let leaks = try ReferenceLeaks.find(answers, under: root)
        for leak in leaks { print(leak) }
        if leaks.isEmpty {
            print(
                "No reference code in \(root.path): none of the \(answers.count) answers of Solutions/ and Sources/FastReference/ "
                    + "(bodies of \(ReferenceLeaks.minimumTokens) tokens or more) appears in its files.")
            return 0
        }
        print("\(leaks.count) place\(leaks.count == 1 ? "" : "s") in \(root.path) hold reference code.")
        return 1
    }
}
