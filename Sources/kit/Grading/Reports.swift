import Foundation
import NeuralKit

/// What the grader writes: grades.csv, feedback/<student>.md, results/<student>/results.json, the summary.
enum Reports {
    // MARK: grades.csv

    /// The columns: the stages' points, the bonus, the total before and after the cap, the status. The
    /// time each submission took is in run.json, so that grades.csv is the same for any `--jobs`.
    static func csvHeader() -> [String] {
        ["student"] + Course.stages.map { "stage" + $0.twoDigits } + ["bonus", "uncapped", "total", "status"]
    }

    /// The student column of the row under the header; never a student's name, which is made safe as a file name.
    static let maximumRowName = "(maximum)"

    /// The row under the header: the most each column can hold. A row rather than maxima in the column
    /// names, so that the names stay the same from rubric to rubric and formulas can use the numbers.
    static func csvMaximumRow(rubric: Rubric) -> [String] {
        let stages = Course.stages.map { rubric.stage($0.number) }
        let bonus = stages.reduce(0) { $0 + $1.bonus }
        let uncapped = stages.reduce(0) { $0 + $1.points } + bonus
        let capNote = rubric.cap.map { $0 < uncapped ? "the total is capped at \($0.points)" : "" } ?? ""
        return [maximumRowName] + stages.map { $0.points.points } + [
            bonus.points, uncapped.points, rubric.maximum.points, capNote,
        ]
    }

    /// A student's row. A stage not attempted is an empty cell (it counts as 0 in a sum, and a column's
    /// average is over the students who tried the stage); one attempted that scored nothing is 0.
    static func csvRow(_ grade: SubmissionGrade, rubric: Rubric) -> [String] {
        [grade.student] + grade.stages.map { $0.attempted ? $0.points.points : "" } + [
            grade.bonus.points, grade.uncappedTotal.points, grade.total(cap: rubric.cap).points, grade.status,
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
        let capNote =
            total < grade.uncappedTotal && grade.missingReport == nil
            ? " (capped; \(grade.uncappedTotal.points) before the cap)" : ""
        lines.append(
            "**Total: \(total.points) / \(rubric.maximum.points)**\(capNote) — stages \(grade.points.points), "
                + "bonus \(grade.bonus.points). Status: \(grade.status).")
        lines.append("")
        if let missingReport = grade.missingReport {
            lines.append("**\(missingReport)** The points below are what the checks alone would earn.")
            lines.append("")
        }
        if let error = grade.internalError {
            lines.append("The grader could not grade this submission: \(error). Please tell your instructor.")
            return lines.joined(separator: "\n") + "\n"
        }
        if !grade.attemptedAnyStage {
            lines.append(
                "Nothing was graded: every stage file is missing or still the original stub. Upload your "
                    + "Exercises/ folder (or its stage files, or a zip of your kit) with your work in it.")
            lines.append("")
        }
        lines.append("| Stage | Points | Bonus | |")
        lines.append("|---|---|---|---|")
        for stage in grade.stages where stage.disposition != .notInKit {
            let bonus = stage.bonusMaximum > 0 ? "\(stage.bonus.points) / \(stage.bonusMaximum.points)" : "—"
            lines.append(
                "| \(stage.stage.heading) | \(stage.points.points) / \(stage.maximum.points) | \(bonus) | \(summary(of: stage)) |"
            )
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
            case .notAttempted:
                notGraded.append(
                    "\(stage.stage.heading): not attempted (the file is missing or still the original stub)."
                        + (stage.fileProblem.map { " " + $0 + "." } ?? ""))
            default: break
            }
        }
        if !grade.ignoredFiles.isEmpty {
            let shown = grade.ignoredFiles.prefix(8).joined(separator: ", ")
            notGraded.append(
                "Only the stage files (Exercises/NN-Name/File.swift) are graded; these files were ignored: "
                    + shown + (grade.ignoredFiles.count > 8 ? " and \(grade.ignoredFiles.count - 8) more" : "") + ".")
        }
        if !notGraded.isEmpty {
            lines.append("## Not graded")
            lines.append("")
            lines += notGraded.map { "- " + $0 }
            lines.append("")
        }
        lines.append(
            "Graded in \(Int(grade.seconds.rounded())) s. Each stage is graded on top of the reference versions "
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
        if stage.usedReference, let asIs = stage.asIsPoints {
            text += ", on the reference of earlier stages (as is: \(asIs.points))"
        }
        if let note = stage.statusNote { text += "; " + note }
        return text
    }

    static func section(_ stage: StageGrade, rubric: Rubric) -> [String] {
        var lines = [
            "## \(stage.stage.heading) — \(stage.points.points) / \(stage.maximum.points)"
                + (stage.bonusMaximum > 0 ? " · bonus \(stage.bonus.points) / \(stage.bonusMaximum.points)" : ""), "",
        ]
        if let problem = stage.fileProblem { lines += ["- " + problem, ""] }
        switch stage.disposition {
        case .notInKit, .notAttempted:
            lines.append(
                stage.disposition == .notInKit
                    ? "Not in the kit yet." : "Not attempted: the file is missing or still the original stub.")
            return lines + [""]
        case .forbidden(let findings):
            lines.append(
                "This file scores 0: it uses something a graded file may not use "
                    + "(only Foundation and NeuralKit, no reference code, no files, processes or symbol tricks):")
            lines += findings.prefix(10).map {
                "- `Exercises/\(stage.stage.folder)/\($0.file ?? stage.stage.files[0])` \($0)"
            }
            return lines + [""]
        case .compileError(let errors):
            lines.append(
                "This file does not compile, so its checks could not run. It was set aside (the stub was put back) "
                    + "to grade the other stages. The compiler said:")
            lines += ["", "```"] + errors.prefix(30).map { String($0.prefix(300)) } + ["```", ""]
            if errors.contains(where: {
                ["duplicate symbol", "undefined reference", "multiple definition", "link"].contains(where: $0.contains)
            }) {
                lines.append(
                    "Linking failed when this file was added to the others (the errors name no file): the kit's build "
                        + "was tried stage by stage to find it. Does it declare something that exists once only, such as an "
                        + "`@main` type or a C symbol?")
                lines.append("")
            } else if !errors.contains(where: { error in stage.stage.exercisePaths.contains(where: error.hasPrefix) }) {
                lines.append(
                    "The errors are in other files, which use the declarations of this one: each exercise must keep "
                        + "the names and types of its stub.")
                lines.append("")
            }
            return lines
        case .graded: break
        }
        if !stage.asIsCompileErrors.isEmpty {
            lines.append(
                "As submitted, this file did not compile with your earlier stages; it was graded with their reference versions. The compiler said:"
            )
            lines += ["", "```"] + stage.asIsCompileErrors.prefix(15).map { String($0.prefix(300)) } + ["```", ""]
        }
        if stage.usedReference {
            let stages = stage.referenceStages.map(String.init).joined(separator: ", ")
            lines.append(
                "Graded with the reference versions of stage\(stage.referenceStages.count == 1 ? "" : "s") \(stages), "
                    + "which yours build on and which do not pass all their checks. As submitted (with your own earlier stages): "
                    + "\((stage.asIsPoints ?? 0).points) / \(stage.maximum.points).")
            lines.append("")
        } else if let problem = stage.referenceProblem {
            lines.append(
                "Could not be graded with the reference versions of the earlier stages: " + problem.split(
                    separator: "\n"
                ).first.map(String.init)! + ".")
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
                lines.append(
                    "- \(check.passed ? "✓" : "✗") \(check.name)\(points)" + (check.isHidden ? " (hidden check)" : ""))
                if !check.passed {
                    for message in check.messages.prefix(3) {
                        lines.append(
                            "  - " + String(message.prefix(600)).replacingOccurrences(of: "\n", with: "\n    "))
                    }
                }
            }
        }
        let hidden = run.checks.filter(\.isHidden)
        if !hidden.isEmpty, rubric.hiddenChecks == .count {
            let earned = hiddenPoints(hidden, of: stage)
            lines.append(
                "- \(hidden.count) hidden check\(hidden.count == 1 ? "" : "s") ran: \(hidden.filter(\.passed).count) passed "
                    + "(\(earned.earned.points) / \(earned.maximum.points)).")
        }
        let failing = run.checks.filter { !$0.isBonus && !$0.passed }
        if !failing.isEmpty, stage.stage.isWritten, let hint = stage.stage.hints.first {
            lines += [
                "",
                "Hint: " + hint
                    + " (Walkthrough: \(stage.stage.walkthroughPath); `swift run kit hint \(stage.stage.number)` for more.)",
            ]
        }
        return lines + [""]
    }

    // MARK: results/<student>/results.json (Gradescope)

    /// Gradescope's autograder results: https://gradescope-autograders.readthedocs.io/en/latest/specs/
    ///
    /// The tests' `max_score`s add up to the rubric's maximum, and their scores to the (capped) total,
    /// which is also the top-level `score`: one test per required check (hidden ones counted in one test
    /// per stage), one per stage that was not graded, and one "Extras" test for all the bonus checks,
    /// out of what the cap leaves them (20 − 16.5 = 3.5 for the course). It scores the bonus that counts
    /// in the total, which is more than its `max_score` (extra credit, as Gradescope allows) when the
    /// bonus makes up for points lost in the stages; its output lists each bonus check.
    static func gradescope(_ grade: SubmissionGrade, rubric: Rubric) -> GradescopeResults {
        var tests: [GradescopeResults.Test] = []
        func test(_ name: String, number: String, score: Double, maximum: Double, passed: Bool, output: String) {
            tests.append(
                GradescopeResults.Test(
                    name: name, number: number, score: rounded(score), maxScore: rounded(maximum),
                    status: passed ? "passed" : "failed", output: String(output.prefix(8000))))
        }
        for stage in grade.stages {
            let prefix = "Stage \(stage.stage.number)"
            switch stage.disposition {
            case .graded:
                guard let run = stage.chosen else {
                    test(
                        "\(prefix) · \(stage.stage.title)", number: "\(stage.stage.number)", score: 0,
                        maximum: stage.maximum,
                        passed: false, output: stage.referenceProblem ?? "not graded")
                    continue
                }
                var note = run.incidents.joined(separator: "\n")
                if stage.usedReference {
                    note +=
                        (note.isEmpty ? "" : "\n") + "Graded with the reference versions of stages "
                        + stage.referenceStages.map(String.init).joined(separator: ", ")
                        + " (as submitted: \((stage.asIsPoints ?? 0).points))."
                }
                var index = 0
                for check in run.checks where !check.isBonus && (!check.isHidden || rubric.hiddenChecks == .show) {
                    index += 1
                    let points = stage.checkPoints[check.id] ?? (0, 0)
                    let output =
                        (check.passed ? "" : check.messages.prefix(3).joined(separator: "\n"))
                        + (index == 1 && !note.isEmpty ? "\n" + note : "")
                    test(
                        "\(prefix) · \(check.name)", number: "\(stage.stage.number).\(index)",
                        score: points.earned, maximum: points.maximum, passed: check.passed,
                        output: output.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                let hidden = run.checks.filter { $0.isHidden && !$0.isBonus }
                if !hidden.isEmpty, rubric.hiddenChecks == .count {
                    let earned = hiddenPoints(hidden, of: stage)
                    test(
                        "\(prefix) · hidden checks", number: "\(stage.stage.number).h", score: earned.earned,
                        maximum: earned.maximum,
                        passed: hidden.allSatisfy(\.passed),
                        output: "\(hidden.filter(\.passed).count) of \(hidden.count) hidden checks passed.")
                }
            case .notInKit:
                test(
                    "\(prefix) · \(stage.stage.title)", number: "\(stage.stage.number)", score: 0,
                    maximum: stage.maximum,
                    passed: false, output: "Not in the kit yet.")
            default:
                let output = section(stage, rubric: rubric).dropFirst(2).joined(separator: "\n")
                test(
                    "\(prefix) · \(stage.stage.title)", number: "\(stage.stage.number)", score: 0,
                    maximum: stage.maximum, passed: false, output: output)
            }
        }
        let total = grade.total(cap: rubric.cap)
        let required = grade.stages.reduce(0) { $0 + $1.maximum }
        let bonusMaximum = grade.stages.reduce(0) { $0 + $1.bonusMaximum }
        // What the cap leaves the bonus: the tests' maxima then add up to the rubric's maximum.
        let extrasMaximum = max(0, rubric.maximum - required)
        if bonusMaximum > 0 || extrasMaximum > 0 {
            let counted = max(0, total - grade.points)
            test(
                "Extras · bonus checks"
                    + (extrasMaximum < bonusMaximum ? " (up to the cap of \(rubric.maximum.points))" : ""),
                number: "\(grade.stages.count + 1)", score: counted, maximum: extrasMaximum,
                passed: extrasMaximum > 0 && counted >= extrasMaximum - 1e-9,
                output: extrasOutput(
                    grade, rubric: rubric, required: required, bonusMaximum: bonusMaximum, extrasMaximum: extrasMaximum)
            )
        }
        var summary =
            "Total: \(total.points) / \(rubric.maximum.points) (stages \(grade.points.points), bonus \(grade.bonus.points)"
            + (total < grade.uncappedTotal && grade.missingReport == nil
                ? "; \(grade.uncappedTotal.points) before the cap" : "")
            + "). Status: \(grade.status)."
        if let missingReport = grade.missingReport { summary += "\n" + missingReport }
        if let error = grade.internalError { summary += "\nThe grader could not grade this submission: \(error)" }
        return GradescopeResults(
            score: rounded(total), executionTime: Int(grade.seconds.rounded()), output: summary, tests: tests)
    }

    /// The points of `checks` (a stage's hidden ones): (earned, maximum).
    private static func hiddenPoints(_ checks: [CheckOutcome], of stage: StageGrade) -> (
        earned: Double, maximum: Double
    ) {
        checks.compactMap { stage.checkPoints[$0.id] }.reduce((0.0, 0.0)) { ($0.0 + $1.earned, $0.1 + $1.maximum) }
    }

    /// The Extras test's text: how the bonus counts, then each bonus check (hidden ones counted per stage).
    private static func extrasOutput(
        _ grade: SubmissionGrade, rubric: Rubric, required: Double, bonusMaximum: Double,
        extrasMaximum: Double
    ) -> String {
        var lines = [
            "The bonus checks are worth \(bonusMaximum.points) points in all; you earned \(grade.bonus.points)."
        ]
        if extrasMaximum < bonusMaximum {
            lines.append(
                "The total is capped at \(rubric.maximum.points) and the stages are worth \(required.points), so this test is "
                    + "out of \(extrasMaximum.points). It scores the bonus that counts in your total: more than \(extrasMaximum.points) "
                    + "when bonus points make up for points lost in the stages, never past the cap.")
        }
        lines.append("")
        for stage in grade.stages where stage.bonusMaximum > 0 {
            let prefix = "Stage \(stage.stage.number)"
            guard stage.disposition == .graded, let run = stage.chosen else {
                lines.append("\(prefix): 0 / \(stage.bonusMaximum.points) (\(summary(of: stage)))")
                continue
            }
            for check in run.checks where check.isBonus && (!check.isHidden || rubric.hiddenChecks == .show) {
                let points = stage.checkPoints[check.id] ?? (0, 0)
                lines.append(
                    "\(check.passed ? "✓" : "✗") \(prefix) · \(check.name): \(points.earned.points) / \(points.maximum.points)"
                )
                if !check.passed, let message = check.messages.first {
                    lines.append("    " + String(message.prefix(300)))
                }
            }
            let hidden = run.checks.filter { $0.isHidden && $0.isBonus }
            if !hidden.isEmpty, rubric.hiddenChecks == .count {
                let points = hiddenPoints(hidden, of: stage)
                lines.append(
                    "\(prefix): \(hidden.filter(\.passed).count) of \(hidden.count) hidden bonus checks passed: "
                        + "\(points.earned.points) / \(points.maximum.points)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    /// `value` as pretty-printed JSON with sorted keys.
    static func json<Value: Encodable>(_ value: Value) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    // MARK: checks.csv

    /// One check across the class: how many students failed it, and with what.
    struct CheckStatistics: Equatable {
        let stage: Int
        /// The suite and the function ("StageTests.Stage02DenseLayer/backwardWorkedExample()").
        let id: String
        let name: String
        let isBonus: Bool
        let isHidden: Bool
        /// Students who attempted the stage (its file is not the stub).
        var attempted = 0
        /// Students whose graded run of the stage has this check (their file compiled).
        var ran = 0
        var failed = 0
        /// The first line of each failing student's first message, and how many students had it.
        var messages: [String: Int] = [:]

        /// The message most failing students had (the first in alphabetical order on a tie).
        var commonMessage: (text: String, count: Int)? {
            messages.min { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
        }
    }

    /// Every check that ran for some student, by stage, in the order the suites report them.
    static func checkStatistics(_ grades: [SubmissionGrade]) -> [CheckStatistics] {
        var statistics: [CheckStatistics] = []
        var indexByID: [String: Int] = [:]
        var attempted: [Int: Int] = [:]
        for grade in grades where grade.internalError == nil {
            for stage in grade.stages where stage.attempted {
                attempted[stage.stage.number, default: 0] += 1
                for check in stage.chosen?.checks ?? [] {
                    let index =
                        indexByID[check.stableID]
                        ?? {
                            statistics.append(
                                CheckStatistics(
                                    stage: check.stage, id: check.stableID, name: check.name,
                                    isBonus: check.isBonus, isHidden: check.isHidden))
                            indexByID[check.stableID] = statistics.count - 1
                            return statistics.count - 1
                        }()
                    statistics[index].ran += 1
                    if !check.passed {
                        statistics[index].failed += 1
                        statistics[index].messages[failureLine(check), default: 0] += 1
                    }
                }
            }
        }
        for index in statistics.indices { statistics[index].attempted = attempted[statistics[index].stage] ?? 0 }
        // A stable sort: by stage, then in the order first seen.
        return statistics.enumerated().sorted { ($0.element.stage, $0.offset) < ($1.element.stage, $1.offset) }.map(
            \.element)
    }

    /// The first line of a failed check's first message, or what stopped it.
    static func failureLine(_ check: CheckOutcome) -> String {
        if let line = check.messages.first?.split(separator: "\n", omittingEmptySubsequences: true).first {
            return String(line.trimmingCharacters(in: .whitespaces).prefix(300))
        }
        switch check.status {
        case .crashed: return "crashed"
        case .timedOut: return "timed out"
        case .notRun: return "not run (the stage's time ran out)"
        case .passed, .failed: return "failed"
        }
    }

    /// checks.csv: one row per check, with how many students attempted its stage, ran it and failed it,
    /// and the most common first line of the failure messages.
    static func checksCSV(_ grades: [SubmissionGrade]) -> String {
        let header = [
            "stage", "check", "name", "kind", "attempted", "ran", "failed", "most common message", "students with it",
        ]
        let rows = checkStatistics(grades).map { check -> [String] in
            let kind = (check.isHidden ? "hidden " : "") + (check.isBonus ? "bonus" : "required")
            let message = check.commonMessage
            return [
                String(check.stage), check.id, check.name, kind, String(check.attempted), String(check.ran),
                String(check.failed),
                message?.text ?? "", message.map { String($0.count) } ?? "",
            ]
        }
        return csv([header] + rows)
    }

    // MARK: The summary in the terminal

    static func summary(_ grades: [SubmissionGrade], rubric: Rubric, seconds: TimeInterval, terminal: Terminal)
        -> String
    {
        guard !grades.isEmpty else { return "No submissions graded." }
        var lines: [String] = []
        let totals = grades.map { $0.total(cap: rubric.cap) }
        let mean = totals.reduce(0, +) / Double(totals.count)
        let sorted = totals.sorted()
        let median =
            sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        lines.append(
            terminal.bold("Graded \(grades.count) submission\(grades.count == 1 ? "" : "s")")
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
            let low = maximum * Double(index) / Double(binCount)
            let high = maximum * Double(index + 1) / Double(binCount)
            let label = pad("\(low.points)–\(high.points)", 11)
            lines.append(
                "  \(label) " + String(repeating: "█", count: Int((Double(count) / Double(largest) * 30).rounded(.up)))
                    + (count > 0 ? " \(count)" : ""))
        }
        let failing = checkStatistics(grades).filter { !$0.isBonus && $0.failed > 0 }
            .sorted { ($1.failed, $0.stage, $0.name) < ($0.failed, $1.stage, $1.name) }
        if !failing.isEmpty {
            lines.append("")
            lines.append("Checks failed most often (students failing / whose checks ran; all in checks.csv):")
            for check in failing.prefix(10) {
                let label = pad("\(check.failed)/\(check.ran)", 7)
                lines.append(
                    "  " + label + "Stage \(check.stage) · " + (check.isHidden ? "(hidden) " : "") + check.name)
                if let message = check.commonMessage {
                    lines.append(
                        "  " + pad("", 7) + terminal.dim("\(message.count)× " + String(message.text.prefix(100))))
                }
            }
        }
        var problems: [String: Int] = [:]
        for grade in grades where grade.internalError == nil {
            if !grade.attemptedAnyStage { problems[SubmissionGrade.notAttempted, default: 0] += 1 }
            if grade.missingReport != nil { problems[SubmissionGrade.noReport, default: 0] += 1 }
            for kind in Set(grade.stages.compactMap { $0.problem?.summaryKind }) { problems[kind, default: 0] += 1 }
        }
        let errors = grades.filter { $0.internalError != nil }.count
        if errors > 0 { problems["grader error", default: 0] += errors }
        if !problems.isEmpty {
            lines.append("")
            lines.append(
                "Problems (submissions): "
                    + problems.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", "))
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

/// Gradescope's results.json: the fields its specification documents
/// (https://gradescope-autograders.readthedocs.io/en/latest/specs/), those the grader writes.
struct GradescopeResults: Codable, Equatable {
    /// The submission's score: the capped total, which overrides the sum of the tests' scores.
    var score: Double
    var executionTime: Int
    var output: String
    var visibility = "visible"
    /// The grader's standard output holds the salt: instructors only.
    var stdoutVisibility = "hidden"
    var tests: [Test]

    struct Test: Codable, Equatable {
        var name: String
        var number: String
        var score: Double
        var maxScore: Double
        /// "passed" or "failed".
        var status: String
        var output: String
        var visibility = "visible"

        enum CodingKeys: String, CodingKey {
            case name, number, score, status, output, visibility
            case maxScore = "max_score"
        }
    }

    enum CodingKeys: String, CodingKey {
        case score, output, visibility, tests
        case executionTime = "execution_time"
        case stdoutVisibility = "stdout_visibility"
    }
}
