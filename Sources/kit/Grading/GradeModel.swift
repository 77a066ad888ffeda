import Foundation
import NeuralKit

/// One check of one grading run.
struct CheckOutcome: Sendable, Equatable {
    enum Status: String, Sendable {
        case passed, failed
        /// The test process crashed while the check ran (also when re-run alone).
        case crashed
        /// It did not finish in time (also when re-run alone).
        case timedOut
        /// It was not run: the stage's time budget was spent on checks that hang.
        case notRun
    }

    /// Swift Testing's ID: "StageTests.Stage02DenseLayer/backwardWorkedExample()/Stage02DenseLayerTests.swift:70:6".
    let id: String
    let name: String
    let stage: Int
    let isBonus: Bool
    /// From the instructor's hidden tests.
    let isHidden: Bool
    var status: Status
    var messages: [String]

    var passed: Bool { status == .passed }

    /// "backwardWorkedExample()": the function's name, for rubric files.
    var functionName: String {
        let parts = id.split(separator: "/")
        return parts.count >= 2 ? String(parts[1]) : id
    }
}

/// The checks of one stage in one build of the grading copy.
struct StageRun: Sendable, Equatable {
    var checks: [CheckOutcome]
    /// What stopped the stage's process early ("crashed while running …", "timed out …").
    var incidents: [String] = []
    var crashed = false
    var timedOut = false
    var seconds: TimeInterval = 0
}

/// What happened to a stage of a submission.
struct StageGrade: Sendable {
    let stage: Stage
    enum Disposition: Sendable, Equatable {
        /// The stage is not in the instructor's kit (still being written).
        case notInKit
        /// The student's file is the original stub (or missing).
        case notAttempted
        /// The file uses something a graded file may not use.
        case forbidden([SourceScanner.Finding])
        /// The file does not compile (even on the reference versions of earlier stages).
        case compileError([String])
        /// Graded: see `asIs` and `onReference`.
        case graded
    }
    var disposition: Disposition
    /// Why the file was not taken from the submission ("larger than 512 KB", "a symbolic link").
    var fileProblem: String?
    /// The checks with the student's own earlier stages.
    var asIs: StageRun?
    /// The checks with the reference versions of the earlier stages it builds on
    /// (run only when the as-is result could have been held down by them).
    var onReference: StageRun?
    /// The earlier stages swapped for the reference in `onReference`.
    var referenceStages: [Int] = []
    /// Why the stage could not be graded on the reference (it did not compile there).
    var referenceProblem: String?
    /// Compiler errors of the as-is build when the file compiled only on the reference.
    var asIsCompileErrors: [String] = []

    /// The run the points come from: the better of the two.
    var chosen: StageRun? {
        guard let asIs else { return onReference }
        guard let onReference else { return asIs }
        return onReference.checks.filter(\.passed).count >= asIs.checks.filter(\.passed).count ? onReference : asIs
    }

    var usedReference: Bool {
        guard let onReference else { return false }
        return chosen == onReference && asIs != onReference
    }

    // Filled in by `score(with:)`.
    var points: Double = 0
    var maximum: Double = 0
    var bonus: Double = 0
    var bonusMaximum: Double = 0
    var asIsPoints: Double?
    /// Points per check of `chosen`, by check ID: (earned, maximum).
    var checkPoints: [String: (earned: Double, maximum: Double)] = [:]

    mutating func score(with rubric: Rubric) {
        let stageRubric = rubric.stage(stage.number)
        maximum = stageRubric.points
        bonusMaximum = stageRubric.bonus
        (points, bonus, checkPoints) = (0, 0, [:])
        asIsPoints = nil
        guard let run = chosen else { return }
        (points, bonus, checkPoints) = StageGrade.points(of: run, rubric: rubric, stage: stageRubric)
        if usedReference, let asIs {
            asIsPoints = StageGrade.points(of: asIs, rubric: rubric, stage: stageRubric).0
        }
    }

    private static func points(of run: StageRun, rubric: Rubric, stage: Rubric.StageRubric)
        -> (Double, Double, [String: (earned: Double, maximum: Double)]) {
        var byID: [String: (earned: Double, maximum: Double)] = [:]
        var sums = (0.0, 0.0)
        for bonus in [false, true] {
            let checks = run.checks.filter { $0.isBonus == bonus }
            for (check, score) in zip(checks, rubric.score(checks, sharing: bonus ? stage.bonus : stage.points)) {
                byID[check.id] = (score.earned, score.maximum)
                if bonus { sums.1 += score.earned } else { sums.0 += score.earned }
            }
        }
        return (sums.0, sums.1, byID)
    }

    /// "crash in stage 5", "compile error in stage 3", … or nil when the stage went normally.
    var statusNote: String? {
        switch disposition {
        case .compileError: return "compile error in stage \(stage.number)"
        case .forbidden: return "forbidden code in stage \(stage.number)"
        default: break
        }
        let runs = [asIs, onReference].compactMap { $0 }
        if runs.contains(where: \.timedOut) { return "timeout in stage \(stage.number)" }
        if runs.contains(where: \.crashed) { return "crash in stage \(stage.number)" }
        return nil
    }
}

/// The grade of one submission.
struct SubmissionGrade: Sendable {
    let student: String
    var stages: [StageGrade]
    /// Files of the submission that were not taken (only the stage files are graded).
    var ignoredFiles: [String] = []
    var hiddenTestsUsed = false
    var seconds: TimeInterval = 0
    /// Set when grading itself failed (a bug or a broken kit): the submission scores 0.
    var internalError: String?

    var points: Double { stages.reduce(0) { $0 + $1.points } }
    var bonus: Double { stages.reduce(0) { $0 + $1.bonus } }

    func total(cap: Double?) -> Double {
        let sum = points + bonus
        return cap.map { min($0, sum) } ?? sum
    }

    /// "ok", or what went wrong, stage by stage ("crash in stage 5; timeout in stage 6").
    var status: String {
        if let internalError { return "grader error: \(internalError)" }
        let notes = stages.compactMap(\.statusNote)
        return notes.isEmpty ? "ok" : notes.joined(separator: "; ")
    }

    mutating func score(with rubric: Rubric) {
        for index in stages.indices { stages[index].score(with: rubric) }
    }
}

extension Double {
    /// 1.25 → "1.25", 4.0 → "4", 0.83333 → "0.83": points as people write them.
    var points: String {
        let rounded = (self * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
