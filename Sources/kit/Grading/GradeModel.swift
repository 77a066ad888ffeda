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
    /// The part of the check each message is about, from its mark (`PartMarker`), or nil.
    var parts: [String?] = []

    var passed: Bool { status == .passed }

    /// "StageTests.Stage02DenseLayer/backwardWorkedExample()": the suite and the function, without
    /// the source location, so that it stays the same when the suite's file changes (checks.csv).
    var stableID: String {
        // The last component is the source location ("File.swift:70:6"); nested suites have more before it.
        var parts = id.split(separator: "/")
        if parts.count >= 3, parts.last?.contains(".swift:") == true { parts.removeLast() }
        return parts.joined(separator: "/")
    }

    /// "backwardWorkedExample()": the function's name, for rubric files.
    var functionName: String {
        String(stableID.split(separator: "/").last ?? Substring(id))
    }
}

/// The checks of one stage in one build of the grading copy.
struct StageRun: Sendable, Equatable {
    var checks: [CheckOutcome]
    /// What stopped the stage's process early ("crashed while running …", "timed out …").
    var incidents: [String] = []
    var crashed = false
    var timedOut = false
    /// It was stopped because its output reached the cap.
    var outputLimited = false
    /// It was not run: the submission's time for runs that do not finish was used up.
    var notRun = false
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
        maximum = PointUnits.rounded(stageRubric.points)
        bonusMaximum = PointUnits.rounded(stageRubric.bonus)
        (points, bonus, checkPoints) = (0, 0, [:])
        asIsPoints = nil
        guard let run = chosen else { return }
        (points, bonus, checkPoints) = StageGrade.points(of: run, rubric: rubric, stage: stageRubric)
        if usedReference, let asIs {
            asIsPoints = StageGrade.points(of: asIs, rubric: rubric, stage: stageRubric).0
        }
    }

    /// The points of each check of `run` in ten-thousandths, passed checks first, rounded so that every
    /// running sum is the unrounded one, rounded: the maxima add up to the stage's points, a passed check
    /// earns its whole maximum, and the stage earns its exact share, rounded; so the points shown add up.
    private static func points(of run: StageRun, rubric: Rubric, stage: Rubric.StageRubric)
        -> (Double, Double, [String: (earned: Double, maximum: Double)])
    {
        var byID: [String: (earned: Double, maximum: Double)] = [:]
        var sums = (0.0, 0.0)
        for bonus in [false, true] {
            let checks = run.checks.filter { $0.isBonus == bonus }
            let shares = rubric.score(checks, sharing: bonus ? stage.bonus : stage.points)
            let fractions = shares.map { $0.maximum > 0 ? $0.earned / $0.maximum : 0 }
            let order = checks.indices.sorted { (fractions[$0], $1) > (fractions[$1], $0) }
            let maxima = PointUnits.roundKeepingSums(order.map { shares[$0].maximum })
            let earned = PointUnits.roundKeepingSums(order.map { shares[$0].earned })
            for (position, index) in order.enumerated() {
                let points = (
                    PointUnits.points(min(earned[position], maxima[position])), PointUnits.points(maxima[position])
                )
                byID[checks[index].id] = points
                if bonus { sums.1 += points.0 } else { sums.0 += points.0 }
            }
        }
        return (PointUnits.rounded(sums.0), PointUnits.rounded(sums.1), byID)
    }

    /// The stage was tried: its file is not the stub (it may still not compile).
    var attempted: Bool { disposition != .notInKit && disposition != .notAttempted }

    /// What went wrong in the stage, as far as it counted; nil when it went normally.
    var problem: StageProblem? {
        switch disposition {
        case .compileError: return StageProblem(kind: .compileError, stage: stage.number)
        case .forbidden: return StageProblem(kind: .forbidden, stage: stage.number)
        default: break
        }
        guard let chosen else { return nil }
        if let kind = StageProblem.Kind(of: chosen) { return StageProblem(kind: kind, stage: stage.number) }
        // The graded run went normally; the one with the student's own earlier stages may not have.
        if usedReference, let asIs, let kind = StageProblem.Kind(of: asIs) {
            return StageProblem(
                kind: kind, stage: stage.number, asSubmittedOnly: true, referenceStages: referenceStages,
                passedOnReference: chosen.checks.allSatisfy { $0.passed || $0.isBonus })
        }
        return nil
    }

    /// "crash in stage 5", "compile error in stage 3", … or nil when the stage went normally.
    var statusNote: String? { problem?.text }
}

/// Something that went wrong in a stage: a column of grades.csv says it, the summary counts it.
struct StageProblem: Sendable, Equatable {
    enum Kind: String, Sendable {
        case compileError = "compile error"
        case forbidden = "forbidden code"
        case timeout
        case outputLimit = "output limit"
        case crash
        case notRun = "not run (the time for hangs was used up)"

        /// A run's problem: a timeout outweighs a crash, as it cost the checks that never ran.
        init?(of run: StageRun) {
            if run.timedOut {
                self = .timeout
            } else if run.outputLimited {
                self = .outputLimit
            } else if run.crashed {
                self = .crash
            } else if run.notRun {
                self = .notRun
            } else {
                return nil
            }
        }
    }

    let kind: Kind
    let stage: Int
    /// It happened with the student's own earlier stages only; the run that counted, on the
    /// reference of `referenceStages`, went without it.
    var asSubmittedOnly = false
    var referenceStages: [Int] = []
    /// That run passed all its required checks.
    var passedOnReference = false

    /// "crash in stage 8", "crash in stage 8 as submitted (passed on the reference of stage 7)".
    var text: String {
        let base = "\(kind.rawValue) in stage \(stage)"
        guard asSubmittedOnly else { return base }
        let stages =
            (referenceStages.count == 1 ? "stage " : "stages ")
            + referenceStages.map(String.init).joined(separator: ", ")
        return base + " as submitted ("
            + (passedOnReference
                ? "passed on the reference of \(stages))" : "none on the reference of \(stages), which counted)")
    }

    /// The summary's heading for it: "crash", "crash as submitted".
    var summaryKind: String { kind.rawValue + (asSubmittedOnly ? " as submitted" : "") }
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
    /// Why the submission has no report, when the course requires one (`kit grade --require-report`):
    /// it scores 0.
    var missingReport: String?

    var points: Double { PointUnits.rounded(stages.reduce(0) { $0 + $1.points }) }
    var bonus: Double { PointUnits.rounded(stages.reduce(0) { $0 + $1.bonus }) }
    /// The stages' points and the bonus before the cap: a mistake the bonus hides in the total shows here.
    var uncappedTotal: Double { PointUnits.rounded(points + bonus) }

    func total(cap: Double?) -> Double {
        if missingReport != nil { return 0 }
        return cap.map { min($0, uncappedTotal) } ?? uncappedTotal
    }

    /// At least one stage file is not the stub.
    var attemptedAnyStage: Bool { stages.contains(where: \.attempted) }

    /// "ok", "not attempted", or what went wrong, stage by stage ("crash in stage 5; timeout in stage 6").
    var status: String {
        if let internalError { return "grader error: \(internalError)" }
        if !attemptedAnyStage { return SubmissionGrade.notAttempted }
        let notes = (missingReport == nil ? [] : [SubmissionGrade.noReport]) + stages.compactMap(\.statusNote)
        return notes.isEmpty ? "ok" : notes.joined(separator: "; ")
    }

    /// The status of a submission whose stage files are all missing or still the stubs.
    static let notAttempted = "not attempted"

    /// The status of a submission without the report the course requires.
    static let noReport = "no report"

    mutating func score(with rubric: Rubric) {
        for index in stages.indices { stages[index].score(with: rubric) }
    }
}

/// Points are kept in ten-thousandths of a point, so that the points shown add up to the totals shown.
enum PointUnits {
    static let perPoint = 10_000.0

    /// `value` rounded to a ten-thousandth (sums of rounded points drift by a few ulps).
    static func rounded(_ value: Double) -> Double { (value * perPoint).rounded() / perPoint }

    static func points(_ units: Int) -> Double { Double(units) / perPoint }

    /// `values` in ten-thousandths, each rounded so that every running sum is the unrounded running sum,
    /// rounded: the first k add up to the first k values' sum, rounded, for every k.
    static func roundKeepingSums(_ values: [Double]) -> [Int] {
        var sum = 0.0
        var roundedSum = 0
        return values.map { value in
            sum += value * perPoint
            let next = Int(sum.rounded())
            defer { roundedSum = next }
            return next - roundedSum
        }
    }
}

extension Double {
    /// 1.25 → "1.25", 4.0 → "4", 0.659722 → "0.6597": points as people write them, to a ten-thousandth,
    /// the precision they are kept in, so that the points shown add up.
    var points: String {
        let rounded = PointUnits.rounded(self)
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.4f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
