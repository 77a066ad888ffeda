import Foundation
import NeuralKit

/// The notebook's first page: every stage with its progress (from the last run of its checks) and a link to its page.
struct IndexPage {
    let kit: Kit
    let notebook: Notebook
    let buildProblem: BuildProblem?

    var html: String {
        let state = kit.loadState()
        var html = "<h1>NeuralKit · your notebook</h1>\n"
        html +=
            "<p>One page per stage: the walkthrough, your code's results after each worked example, the checks, "
            + "the demo and the pictures of your runs. <code>swift run kit notebook</code> brings every page up to date; "
            + "<code>swift run kit watch</code> keeps the open stage's page fresh while you work.</p>\n"
        if let buildProblem, case .compile(let failures, _) = buildProblem {
            let files = failures.map { "<code>\(Markdown.escape($0.file))</code>" }.joined(separator: ", ")
            html +=
                "<p class=\"bad\">The kit does not compile now (\(files)): the results below are from the last run that did.</p>\n"
        }
        html +=
            "<div class=\"table\"><table><thead><tr><th>Stage</th><th>Checks</th><th>Bonus</th><th>State</th></tr></thead><tbody>\n"
        var done = 0
        for stage in kit.courseStages {
            let available = kit.isAvailable(stage)
            let result = available ? state.result(stage) : nil
            let title = Markdown.escape("\(stage.number). \(stage.title)")
            let link = available ? "<a href=\"\(notebook.pageName(stage))\">\(title)</a>" : title
            var checks = "—"
            var bonus = "—"
            var status = available ? "not started" : "coming soon"
            if let result, result.total > 0 {
                let percent = Int((Double(result.passed) / Double(result.total) * 100).rounded())
                checks =
                    "<span class=\"progress\" role=\"img\" aria-label=\"\(percent)%\"><span style=\"width: \(percent)%\"></span></span> "
                    + "\(result.passed)/\(result.total)"
                if result.bonusTotal > 0 { bonus = "\(result.bonusPassed)/\(result.bonusTotal)" }
                status = result.isDone ? "<span class=\"ok\">✓ passes</span>" : "in progress"
                if result.isDone { done += 1 }
            }
            html += "<tr><td>\(link)</td><td>\(checks)</td><td>\(bonus)</td><td>\(status)</td></tr>\n"
        }
        html += "</tbody></table></div>\n"
        html += "<p>\(done) of \(kit.courseStages.count) stages pass.</p>\n"
        return html
    }
}
