import Foundation
import NeuralKit

/// The output cell the notebook puts after a worked example: what the check that verifies the example found
/// in the student's code now — ✓ or ✗, the student's values beside the expected ones, and on a mismatch the
/// kit's diagnostic.
struct OutputCell {
    /// The check's display name, as the walkthrough's marker gives it.
    let checkName: String
    let stage: Stage
    /// What the run of the checks found, or why there is none.
    let evidence: NotebookEvidence

    var html: String {
        switch evidence {
        case .notBuilt(let why):
            return Self.cell(
                "pending", verdict: "not run", title: checkName,
                body: "<p class=\"message\">\(Markdown.escape(why))</p>")
        case .ran(let run):
            guard let check = run.checks.first(where: { $0.stage == stage.number && $0.name == checkName }) else {
                let why =
                    run.interrupted != nil || run.timedOut
                    ? "The checks stopped before this one ran: see “Your checks” below."
                    : "No check of stage \(stage.number) is called “\(checkName)”: the walkthrough and the suite disagree."
                return Self.cell(
                    "pending", verdict: "not run", title: checkName,
                    body: "<p class=\"message\">\(Markdown.escape(why))</p>")
            }
            let values = Self.rows(run.comparedValues.filter { $0.check == checkName })
            var body = values.isEmpty ? "" : Self.table(values)
            if check.skipped {
                return Self.cell("pending", verdict: "skipped", title: checkName, body: body)
            }
            if !check.ended {
                body += "<p class=\"message\">The checks stopped while this one ran (a crash or an endless loop).</p>"
                return Self.cell("fail", verdict: "✗ stopped", title: checkName, body: body)
            }
            if check.passed { return Self.cell("pass", verdict: "✓ matches", title: checkName, body: body) }
            let notWritten = check.issues.allSatisfy { $0.contains("not implemented yet") }
            for issue in check.issues.prefix(3) {
                body += "<p class=\"message\">\(Markdown.escape(issue))</p>"
            }
            if check.issues.count > 3 {
                body += "<p class=\"muted\">(and \(check.issues.count - 3) more)</p>"
            }
            return Self.cell(
                notWritten ? "pending" : "fail", verdict: notWritten ? "✗ not implemented yet" : "✗ differs",
                title: checkName, body: body)
        }
    }

    /// One row per thing compared: the first time it was compared, or the first time it differed
    /// (a check over several seeds compares the same names once a seed).
    static func rows(_ values: [ComparedValue]) -> [ComparedValue] {
        var rows: [ComparedValue] = []
        for value in values {
            if let index = rows.firstIndex(where: { $0.name == value.name }) {
                if rows[index].passed && !value.passed { rows[index] = value }
            } else {
                rows.append(value)
            }
        }
        return Array(rows.prefix(12))
    }

    static func table(_ rows: [ComparedValue]) -> String {
        var html =
            "<div class=\"table\"><table><thead><tr><th></th><th>computed</th><th>expected</th></tr></thead><tbody>"
        for row in rows {
            let mark = row.passed ? "<span class=\"ok\">✓</span>" : "<span class=\"bad\">✗</span>"
            html +=
                "<tr><td>\(mark) <code>\(Markdown.escape(row.name))</code></td>"
                + "<td><pre><code>\(Markdown.escape(row.yours))</code></pre></td>"
                + "<td><pre><code>\(Markdown.escape(row.expected))</code></pre></td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    static func cell(_ kind: String, verdict: String, title: String, body: String) -> String {
        """
        <section class="cell \(kind)" data-check="\(Markdown.escape(title))" data-verdict="\(Markdown.escape(verdict))">
        <div class="cell-title">Output · your code</div>
        <p><span class="verdict">\(Markdown.escape(verdict))</span> — \(Markdown.escape(title))</p>
        \(body)
        </section>
        """
    }
}

/// What the notebook knows about the student's code when it writes a page.
enum NotebookEvidence {
    /// The checks ran (to the end or not).
    case ran(CheckRun)
    /// They could not: the code does not compile, or the stage is not handed out yet.
    case notBuilt(String)
}
