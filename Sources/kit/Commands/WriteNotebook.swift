import Foundation
import NeuralKit

extension Command {
    static let notebook = Command(
        name: "notebook", summary: "Write the course as notebook pages: prose, your results and pictures together.",
        positionals: "[<stage>]",
        details: """
            Builds your code, runs the checks and the demos, and writes one HTML page per stage \
            to notebook/ (with a stage: that stage's page only) and an index with your progress. \
            Each page is the stage's walkthrough with your code's result after each worked example, \
            the stage's checks and hint, what `kit run N` shows and the pictures of your runs under runs/. \
            The pages work offline in any browser. `kit watch` keeps the open stage's page fresh.
            """,
        maximumPositionals: 1
    ) { arguments, kit in
        let stages =
            arguments.positionals.isEmpty ? kit.courseStages.filter(kit.isAvailable) : [try arguments.stage(in: kit)]
        let notebook = Notebook(kit: kit)
        let written = try notebook.write(stages) { print(kit.terminal.dim($0)) }
        print("")
        print("Wrote \(written.count) page\(written.count == 1 ? "" : "s") in notebook/. Open in your browser:")
        let first =
            stages.count == 1 ? notebook.pageURL(stages[0]) : notebook.folder.appendingPathComponent("index.html")
        print("  " + first.absoluteString)
        return 0
    }
}
