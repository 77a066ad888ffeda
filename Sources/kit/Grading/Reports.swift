import Foundation
import NeuralKit

/// What the grader writes: grades.csv, feedback/<student>.md, results/<student>/results.json, the summary.
enum Reports {
    // MARK: grades.csv

    static func csvHeader() -> [String] {
        ["student"] + Course.stages.map { "stage" + $0.twoDigits } + ["bonus", "total", "status", "seconds"]
    }

    static func csvRow(_ grade: SubmissionGrade, rubric: Rubric) -> [String] {
        [grade.student] + grade.stages.map { $0.points.points } + [
            grade.bonus.points, grade.total(cap: rubric.cap).points, grade.status, String(Int(grade.seconds.rounded())),
        ]
    }

    static func csv(_ rows: [[String]]) -> String {
        rows.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A field quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: feedback/<student>.md

    static func feedback(_ grade: SubmissionGrade, rubric: Rubric) -> String {
        var lines: [String] = []
        let total = grade.total(cap: rubric.cap)
        lines.append("# NeuralKit: feedback for \(grade.student)")
        lines.append("")
        let capNote = rubric.cap.map { grade.points + grade.bonus > $0 ? " (capped at \($0.points))" : "" } ?? ""
        lines.append("**Total: \(total.points) / \(rubric.maximum.points)**\(capNote) — stages \(grade.points.points), "
            + "bonus \(grade.bonus.points). Status: \(grade.status).")
        lines.append("")
        if let error = grade.internalError {
            lines.append("The grader could not grade this submission: \(error). Please tell your instructor.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("| Stage | Points | Bonus | |")
        lines.append("|---|---|---|---|")
        for stage in grade.stages where stage.disposition != .notInKit {
            let bonus = stage.bonusMaximum > 0 ? "\(stage.bonus.points) / \(stage.bonusMaximum.points)" : "—"
            lines.append("| \(stage.stage.heading) | \(stage.points.points) / \(stage.maximum.points) | \(bonus) | \(summary(of: stage)) |")
        }
        lines.append("")
        for stage in grade.stages where stage.disposition != .notInKit && stage.disposition != .notAttempted {
            lines += section(stage, rubric: rubric)
        }
        // What was not graded, and why.
        var notGraded: [String] = []
        for stage in grade.stages {
            switch stage.disposition {
            case .notInKit: notGraded.append("\(stage.stage.heading): not in the kit yet.")
            case .notAttempted: notGraded.append("\(stage.stage.heading): not attempted (the file is missing or still the original stub)."
                + (stage.fileProblem.map { " " + $0 + "." } ?? ""))
            default: break
            }
        }
        if !grade.ignoredFiles.isEmpty {
            let shown = grade.ignoredFiles.prefix(8).joined(separator: ", ")
            notGraded.append("Only the stage files (Exercises/NN-Name/File.swift) are graded; these files were ignored: "
                + shown + (grade.ignoredFiles.count > 8 ? " and \(grade.ignoredFiles.count - 8) more" : "") + ".")
        }
        if !notGraded.isEmpty {
            lines.append("## Not graded")
            lines.append("")
            lines += notGraded.map { "- " + $0 }
            lines.append("")
        }
        lines.append("Graded in \(Int(grade.seconds.rounded())) s. Each stage is graded on top of the reference versions "
            + "of the stages it builds on when one of yours does not pass, so an early mistake costs points once.")
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary(of stage: StageGrade) -> String {
        switch stage.disposition {
        case .notInKit: return "not in the kit yet"
        case .notAttempted: return "not attempted"
        case .forbidden: return "0: uses something a graded file may not use"
        case .compileError: return "0: does not compile"
        case .graded: break
        }
        guard let run = stage.chosen else { return stage.referenceProblem ?? "" }
        let required = run.checks.filter { !$0.isBonus }
        var text = "\(required.filter(\.passed).count)/\(required.count) checks"
        if stage.usedReference, let asIs = stage.asIsPoints { text += ", on the reference of earlier stages (as is: \(asIs.points))" }
        if let note = stage.statusNote { text += "; " + note }
        return text
    }

    static func section(_ stage: StageGrade, rubric: Rubric) -> [String] {
        var lines = ["## \(stage.stage.heading) — \(stage.points.points) / \(stage.maximum.points)"
            + (stage.bonusMaximum > 0 ? " · bonus \(stage.bonus.points) / \(stage.bonusMaximum.points)" : ""), ""]
        if let problem = stage.fileProblem { lines += ["- " + problem, ""] }
        switch stage.disposition {
        case .notInKit, .notAttempted:
            lines.append(stage.disposition == .notInKit ? "Not in the kit yet." : "Not attempted: the file is missing or still the original stub.")
            return lines + [""]
        case .forbidden(let findings):
            lines.append("This file scores 0: it uses something a graded file may not use "
                + "(only Foundation and NeuralKit, no reference code, no files, processes or symbol tricks):")
            lines += findings.prefix(10).map { "- `\(stage.stage.exercisePath)` \($0)" }
            return lines + [""]
        case .compileError(let errors):
            lines.append("This file does not compile, so its checks could not run. It was set aside (the stub was put back) "
                + "to grade the other stages. The compiler said:")
            lines += ["", "```"] + errors.prefix(30).map { String($0.prefix(300)) } + ["```", ""]
            if !errors.contains(where: { $0.hasPrefix(stage.stage.exercisePath) }) {
                lines.append("The errors are in other files, which use the declarations of this one: each exercise must keep "
                    + "the names and types of its stub.")
                lines.append("")
            }
            return lines
        case .graded: break
        }
        if !stage.asIsCompileErrors.isEmpty {
            lines.append("As submitted, this file did not compile with your earlier stages; it was graded with their reference versions. The compiler said:")
            lines += ["", "```"] + stage.asIsCompileErrors.prefix(15).map { String($0.prefix(300)) } + ["```", ""]
        }
        if stage.usedReference {
            let stages = stage.referenceStages.map(String.init).joined(separator: ", ")
            lines.append("Graded with the reference versions of stage\(stage.referenceStages.count == 1 ? "" : "s") \(stages), "
                + "which yours build on and which do not pass all their checks. As submitted (with your own earlier stages): "
                + "\((stage.asIsPoints ?? 0).points) / \(stage.maximum.points).")
            lines.append("")
        } else if let problem = stage.referenceProblem {
            lines.append("Could not be graded with the reference versions of the earlier stages: " + problem.split(separator: "\n").first.map(String.init)! + ".")
            lines.append("")
        }
        guard let run = stage.chosen else { return lines }
        for incident in run.incidents { lines += ["**" + incident + "**", ""] }
        let visible = run.checks.filter { !$0.isHidden || rubric.hiddenChecks == .show }
        for bonus in [false, true] {
            let checks = visible.filter { $0.isBonus == bonus }
            if checks.isEmpty { continue }
            if bonus { lines += ["", "Bonus" + (stage.stage.bonus.map { " (" + $0 + ")" } ?? "") + ":", ""] }
            for check in checks {
                let points = stage.checkPoints[check.id].map { " (\($0.earned.points) / \($0.maximum.points))" } ?? ""
                lines.append("- \(check.passed ? "✓" : "✗") \(check.name)\(points)" + (check.isHidden ? " (hidden check)" : ""))
                if !check.passed {
                    for message in check.messages.prefix(3) {
                        lines.append("  - " + String(message.prefix(600)).replacingOccurrences(of: "\n", with: "\n    "))
                    }
                }
            }
        }
        let hidden = run.checks.filter(\.isHidden)
        if !hidden.isEmpty, rubric.hiddenChecks == .count {
            let earned = hidden.compactMap { stage.checkPoints[$0.id] }.reduce((0.0, 0.0)) { ($0.0 + $1.earned, $0.1 + $1.maximum) }
            lines.append("- \(hidden.count) hidden check\(hidden.count == 1 ? "" : "s") ran: \(hidden.filter(\.passed).count) passed "
                + "(\(earned.0.points) / \(earned.1.points)).")
        }
        let failing = run.checks.filter { !$0.isBonus && !$0.passed }
        if !failing.isEmpty, stage.stage.isWritten, let hint = stage.stage.hints.first {
            lines += ["", "Hint: " + hint + " (Walkthrough: \(stage.stage.walkthroughPath); `swift run kit hint \(stage.stage.number)` for more.)"]
        }
        return lines + [""]
    }

    // MARK: results/<student>/results.json (Gradescope)

    /// Gradescope's autograder results: https://gradescope-autograders.readthedocs.io/en/latest/specs/
    static func gradescope(_ grade: SubmissionGrade, rubric: Rubric) -> [String: Any] {
        var tests: [[String: Any]] = []
        func test(_ name: String, number: String, score: Double, maximum: Double, passed: Bool, output: String) {
            tests.append([
                "name": name, "number": number,
                "score": rounded(score), "max_score": rounded(maximum),
                "status": passed ? "passed" : "failed",
                "output": String(output.prefix(8000)), "visibility": "visible",
            ])
        }
        for stage in grade.stages where stage.disposition != .notInKit {
            let prefix = "Stage \(stage.stage.number)"
            switch stage.disposition {
            case .graded:
                guard let run = stage.chosen else {
                    test("\(prefix) · \(stage.stage.title)", number: "\(stage.stage.number)", score: 0, maximum: stage.maximum,
                         passed: false, output: stage.referenceProblem ?? "not graded")
                    continue
                }
                var note = run.incidents.joined(separator: "\n")
                if stage.usedReference {
                    note += (note.isEmpty ? "" : "\n") + "Graded with the reference versions of stages "
                        + stage.referenceStages.map(String.init).joined(separator: ", ") + " (as submitted: \((stage.asIsPoints ?? 0).points))."
                }
                var index = 0
                for check in run.checks where !check.isHidden || rubric.hiddenChecks == .show {
                    index += 1
                    let points = stage.checkPoints[check.id] ?? (0, 0)
                    let output = (check.passed ? "" : check.messages.prefix(3).joined(separator: "\n")) + (index == 1 && !note.isEmpty ? "\n" + note : "")
                    test("\(prefix)\(check.isBonus ? " bonus" : "") · \(check.name)", number: "\(stage.stage.number).\(index)",
                         score: points.earned, maximum: points.maximum, passed: check.passed,
                         output: output.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                let hidden = run.checks.filter(\.isHidden)
                if !hidden.isEmpty, rubric.hiddenChecks == .count {
                    let earned = hidden.compactMap { stage.checkPoints[$0.id] }.reduce((0.0, 0.0)) { ($0.0 + $1.earned, $0.1 + $1.maximum) }
                    test("\(prefix) · hidden checks", number: "\(stage.stage.number).h", score: earned.0, maximum: earned.1,
                         passed: hidden.allSatisfy(\.passed), output: "\(hidden.filter(\.passed).count) of \(hidden.count) hidden checks passed.")
                }
            default:
                let output = section(stage, rubric: rubric).dropFirst(2).joined(separator: "\n")
                test("\(prefix) · \(stage.stage.title)", number: "\(stage.stage.number)", score: 0,
                     maximum: stage.maximum + stage.bonusMaximum, passed: false, output: output)
            }
        }
        let total = grade.total(cap: rubric.cap)
        var summary = "Total: \(total.points) / \(rubric.maximum.points) (stages \(grade.points.points), bonus \(grade.bonus.points)). "
            + "Status: \(grade.status)."
        if let error = grade.internalError { summary += "\nThe grader could not grade this submission: \(error)" }
        return [
            "score": rounded(total),
            "execution_time": Int(grade.seconds.rounded()),
            "output": summary,
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": tests,
        ]
    }

    private static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
    }

    // MARK: The summary in the terminal

    static func summary(_ grades: [SubmissionGrade], rubric: Rubric, seconds: TimeInterval, terminal: Terminal) -> String {
        guard !grades.isEmpty else { return "No submissions graded." }
        var lines: [String] = []
        let totals = grades.map { $0.total(cap: rubric.cap) }
        let mean = totals.reduce(0, +) / Double(totals.count)
        let sorted = totals.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        lines.append(terminal.bold("Graded \(grades.count) submission\(grades.count == 1 ? "" : "s")")
            + " in \(duration(seconds)) (\(duration(seconds / Double(grades.count))) each)."
            + " Mean \(mean.points), median \(median.points) of \(rubric.maximum.points).")
        lines.append("")
        lines.append("Totals:")
        let maximum = max(rubric.maximum, 1)
        let binCount = 10
        var bins = [Int](repeating: 0, count: binCount)
        for total in totals { bins[min(binCount - 1, Int(total / maximum * Double(binCount)))] += 1 }
        let largest = max(bins.max() ?? 1, 1)
        for (index, count) in bins.enumerated() {
            let low = maximum * Double(index) / Double(binCount), high = maximum * Double(index + 1) / Double(binCount)
            let label = pad("\(low.points)–\(high.points)", 11)
            lines.append("  \(label) " + String(repeating: "█", count: Int((Double(count) / Double(largest) * 30).rounded(.up)))
                + (count > 0 ? " \(count)" : ""))
        }
        var failures: [String: Int] = [:]
        for grade in grades {
            for stage in grade.stages {
                for check in stage.chosen?.checks ?? [] where !check.passed && !check.isBonus {
                    let name = check.isHidden ? "Stage \(check.stage) · (hidden) \(check.name)" : "Stage \(check.stage) · \(check.name)"
                    failures[name, default: 0] += 1
                }
            }
        }
        if !failures.isEmpty {
            lines.append("")
            lines.append("Checks failed most often (by students who attempted the stage):")
            for (name, count) in failures.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }).prefix(10) {
                lines.append("  " + pad("\(count)×", 5) + name)
            }
        }
        var statuses: [String: Int] = [:]
        for grade in grades where grade.status != "ok" {
            for note in grade.status.components(separatedBy: "; ") {
                statuses[note.replacingOccurrences(of: #" in stage \d+"#, with: "", options: .regularExpression), default: 0] += 1
            }
        }
        if !statuses.isEmpty {
            lines.append("")
            lines.append("Problems: " + statuses.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}
