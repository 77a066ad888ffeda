import Foundation
import NeuralKit

/// The body of one stage's notebook page: the walkthrough's prose with an output cell after each worked
/// example, then the stage's checks and hint, what `kit run N` shows, and the pictures of the student's runs.
struct StagePage {
    let kit: Kit
    let stage: Stage
    let evidence: NotebookEvidence
    let buildProblem: BuildProblem?
    let demo: DemoOutput?
    let pictures: [RunPictures.Run]
    let notebook: Notebook

    var html: String {
        var parts: [String] = []
        if let buildProblem { parts.append(Self.buildBanner(buildProblem, page: stage)) }
        parts.append(prose)
        parts.append(checksSection)
        parts.append(demoSection)
        parts.append(picturesSection)
        return parts.joined(separator: "\n")
    }

    /// The walkthrough, rendered, with the output cells where its markers are.
    var prose: String {
        let path = kit.walkthrough(stage)
        guard let markdown = try? String(contentsOf: kit.url(path), encoding: .utf8) else {
            return
                "<h1>\(Markdown.escape(stage.heading))</h1><p class=\"missing\">(\(Markdown.escape(path)) is missing.)</p>"
        }
        var renderer = Markdown()
        let docs = kit.url(path).deletingLastPathComponent()
        renderer.resolveImage = { HTMLPage.dataURI(of: docs.appendingPathComponent($0)) }
        renderer.resolveLink = { target in
            // Another walkthrough is another page of the notebook; anything else opens from the kit's folder.
            let (file, anchor) = Self.split(target)
            if let other = kit.courseStages.first(where: { (kit.walkthrough($0) as NSString).lastPathComponent == file }
            ) {
                return notebook.pageName(other) + anchor
            }
            if file.isEmpty { return anchor }
            return docs.appendingPathComponent(file).absoluteString + anchor
        }
        renderer.insert = { line in
            OutputMarker.check(in: line).map { OutputCell(checkName: $0, stage: stage, evidence: evidence).html }
        }
        return renderer.html(markdown)
    }

    private static func split(_ target: String) -> (file: String, anchor: String) {
        guard let hash = target.firstIndex(of: "#") else { return (target, "") }
        return (String(target[..<hash]), String(target[hash...]))
    }

    // MARK: Checks

    var checksSection: String {
        var html = "<h2 id=\"your-checks\">Your checks</h2>\n"
        guard case .ran(let run) = evidence else {
            if case .notBuilt(let why) = evidence { html += "<p class=\"message\">\(Markdown.escape(why))</p>" }
            return html
        }
        let required = run.checks(of: stage, bonus: false)
        let bonus = run.checks(of: stage, bonus: true)
        guard !required.isEmpty else {
            return html + "<p>No check of stage \(stage.number) ran.</p>"
        }
        let passed = required.filter(\.passed).count
        html +=
            "<p><span class=\"verdict \(passed == required.count ? "ok" : "bad")\">\(passed)/\(required.count) checks pass</span>"
            + (bonus.isEmpty ? "" : " · bonus \(bonus.filter(\.passed).count)/\(bonus.count)")
            + " <span class=\"muted\">(as <code>swift run kit check \(stage.number)</code> runs them)</span></p>\n"
        html += checkList(required)
        if !bonus.isEmpty {
            html += "<h3>Bonus (optional\(stage.bonus.map { ": " + Markdown.escape($0) } ?? ""))</h3>\n"
            html += checkList(bonus)
        }
        if let interrupted = run.interrupted {
            html +=
                "<p class=\"message bad\">The checks \(run.timedOut ? "were stopped (too slow: an endless loop?)" : "crashed") "
                + "while running “\(Markdown.escape(interrupted.name))”.</p>"
        }
        if passed < required.count, let hint = currentHint {
            html +=
                "<p><strong>Hint \(hint.number) of \(stage.hints.count):</strong> \(Markdown.escape(hint.text))</p>\n"
        }
        return html
    }

    private func checkList(_ checks: [CheckResult]) -> String {
        var html = "<ul class=\"checks\">\n"
        for check in checks {
            let mark = check.passed ? "<span class=\"ok\">✓</span>" : "<span class=\"bad\">✗</span>"
            html += "<li>\(mark) \(Markdown.escape(check.name))"
            if let issue = check.issues.first {
                html += "<div class=\"message muted\">\(Markdown.escape(issue))</div>"
            }
            html += "</li>\n"
        }
        return html + "</ul>\n"
    }

    /// The hint the student has reached with `kit hint` (at least the first).
    private var currentHint: (number: Int, text: String)? {
        guard stage.isWritten, !stage.hints.isEmpty else { return nil }
        let number = min(max(kit.loadState().hintsSeen(stage), 1), stage.hints.count)
        return (number, stage.hints[number - 1])
    }

    // MARK: Demo and pictures

    var demoSection: String {
        var html = "<h2 id=\"kit-run\">What <code>kit run \(stage.number)</code> shows</h2>\n"
        html += "<p class=\"muted\">\(Markdown.escape(stage.demo)), on your code.</p>\n"
        guard let demo else {
            let why =
                buildProblem == nil
                ? "Not run yet: while <code>kit watch</code> runs, the demo runs once the stage passes; "
                    + "<code>swift run kit notebook \(stage.number)</code> runs it now."
                : "Not run: the code does not build."
            return html + "<p class=\"muted\">\(why)</p>\n"
        }
        if demo.timedOut { html += "<p class=\"bad\">The demo was stopped after two minutes.</p>\n" }
        return html + "<pre><code>\(Markdown.escape(demo.text))</code></pre>\n"
    }

    var picturesSection: String {
        guard !pictures.isEmpty || stage.number >= 7 else { return "" }
        var html = "<h2 id=\"your-runs\">Pictures of your runs</h2>\n"
        if pictures.isEmpty {
            return html
                + "<p class=\"muted\">No run of this stage yet. "
                + "<code>\(Markdown.escape(RunPictures.suggestedCommand(for: stage)))</code> makes one.</p>\n"
        }
        for run in pictures {
            html += "<h3>\(Markdown.escape(run.title))</h3>\n"
            if !run.facts.isEmpty { html += "<p class=\"muted\">\(Markdown.escape(run.facts))</p>\n" }
            for picture in run.pictures {
                if let source = HTMLPage.dataURI(of: picture.url) {
                    html += "<img src=\"\(source)\" alt=\"\(Markdown.escape(picture.alt))\">\n"
                } else {
                    html += "<p class=\"missing\">(picture not found: \(Markdown.escape(picture.url.path)))</p>\n"
                }
            }
        }
        return html
    }

    // MARK: A build that failed

    /// The compiler's message, at the top of every page while the kit does not compile.
    static func buildBanner(_ problem: BuildProblem, page stage: Stage) -> String {
        var html = "<section class=\"cell fail\"><div class=\"cell-title\">The kit does not compile</div>\n"
        switch problem {
        case .compile(let failures, _):
            for failure in failures {
                let own = failure.stage?.number == stage.number
                let whose =
                    failure.stage.map { own ? " (this stage's file)" : " (stage \($0.number), \($0.title))" } ?? ""
                html +=
                    "<p><strong>\(Markdown.escape(failure.file))</strong> does not compile\(Markdown.escape(whose)):</p>\n"
                html +=
                    "<pre><code>\(Markdown.escape(failure.errors.prefix(20).joined(separator: "\n")))</code></pre>\n"
                if let broken = failure.stage, !own {
                    html +=
                        "<p>No check can run until it compiles. <code>swift run kit reset \(broken.number)</code> "
                        + "sets it aside and puts back the stub.</p>\n"
                }
            }
        case .other(let output):
            let tail = output.split(separator: "\n").suffix(30).joined(separator: "\n")
            html += "<pre><code>\(Markdown.escape(tail))</code></pre>\n"
        }
        return html + "</section>\n"
    }
}
