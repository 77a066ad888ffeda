import Foundation
import NeuralKit

/// Grades submissions, one at a time, in the grading copy of the kit.
///
/// First, once per run (`recordReference`): in a second copy of the kit that holds no student
/// code, the reference solutions run every stage suite with this run's salt and the hidden
/// suites, and their values are recorded. The grading copy has no Solutions/: its `Solutions`
/// module is built from the stubs, and every student build replays the recording, so the
/// reference of a stage is never in the process that runs the student's code for it.
///
/// For each submission:
/// 1. take its stage files (and nothing else); a file that is still the stub is
///    "not attempted"; a file with forbidden constructs scores 0 with the reason;
/// 2. build with all its files ("as is"); a file that does not compile is set
///    aside (the stub goes back) and the build is repeated;
/// 3. run each stage's checks in its own limited process; after a crash or a
///    timeout, re-run the checks that did not finish one by one;
/// 4. for the stages that did not pass and build on a stage that did not pass,
///    build again with the reference versions of those earlier stages and run
///    them again ("on the reference"); the better result counts. Stages form a
///    chain at worst, so this takes one extra build per level (usually one).
struct Grader {
    let workspace: GradingWorkspace
    let rubric: Rubric
    let salt: String
    /// Seconds one run of a stage's checks may take.
    let timeout: TimeInterval
    var buildTimeout: TimeInterval = 1200
    /// Progress messages (verbose mode).
    var log: @Sendable (String) -> Void = { _ in }
    /// A submission without a written report scores 0 (`--require-report`; see `SubmittedReport`).
    var requiresReport = false

    /// The instructor's files as a student's build sees them, read once.
    let base: [String: Data]
    /// The instructor's reference solutions (Solutions/…), read once.
    let referenceFiles: [String: Data]
    /// The file names of the hidden suites: a check declared in one is hidden (a suite file's name is
    /// unique in its target, and the event stream names it by its file ID, "StageTests/Name.swift").
    let hiddenFiles: Set<String>
    /// The copy of the kit that records the reference: the base, the reference solutions, no student code.
    let referenceCopy: GradingWorkspace
    /// Where this run's recording of the reference is made; it is read into `recorded` and removed.
    let recording: URL
    /// This run's recording (file name → contents), kept in the grader's memory: before each run
    /// of a stage's checks, only that stage's values are written out, afresh (`recordingFor`), so
    /// that a student process sees no other stage's values and cannot change what later runs read.
    var recorded: [String: Data] = [:]
    /// The checks of each stage in this run (the reference's files graded in the grading copy, replayed).
    var expected: [Int: [CheckOutcome]] = [:]

    init(workspace: GradingWorkspace, rubric: Rubric, salt: String, timeout: TimeInterval) throws {
        self.workspace = workspace
        self.rubric = rubric
        self.salt = salt
        self.timeout = timeout
        self.base = try workspace.baseTree()
        self.referenceFiles = try workspace.referenceTree()
        self.hiddenFiles = Set(
            base.keys.filter { $0.hasPrefix(GradingWorkspace.hiddenFolder + "/") }
                .map { String($0.split(separator: "/").last ?? "") })
        var referenceCopy = GradingWorkspace(
            instructor: workspace.instructor,
            root: URL(fileURLWithPath: workspace.root.path + "-reference"),
            hiddenTests: workspace.hiddenTests)
        referenceCopy.buildsReference = true
        self.referenceCopy = referenceCopy
        self.recording = URL(fileURLWithPath: workspace.root.path + "-recording")
    }

    var stages: [Stage] { workspace.stages }

    /// Builds the grading copy with the stubs, and the copy that records the reference: the
    /// warm start of later builds.
    func warmUp() throws {
        try build(referenceCopy, base.merging(referenceFiles) { $1 })
        try warmUpGradingCopy()
    }

    /// Builds the grading copy with the stubs (the other jobs' copies of `--jobs`).
    func warmUpGradingCopy() throws {
        try build(workspace, base)
    }

    /// Takes another job's recording of this run and the checks it found, instead of recording again.
    mutating func share(from other: Grader) {
        recorded = other.recorded
        expected = other.expected
    }

    /// The checks of `stage` that the reference's run in the grading copy had (none before it ran).
    func expectedChecks(_ stage: Stage) -> [CheckOutcome] { expected[stage.number] ?? [] }

    /// `check`, not run, with `message`.
    func notRun(_ check: CheckOutcome, _ message: String) -> CheckOutcome {
        var check = check
        check.status = .notRun
        check.messages = [message]
        check.parts = [nil]
        return check
    }

    @discardableResult
    private func build(_ copy: GradingWorkspace, _ tree: [String: Data]) throws -> LimitedResult {
        try copy.apply(tree)
        let (result, failures) = try copy.build(timeout: buildTimeout)
        if !result.succeeded {
            throw KitError(
                "the instructor's kit does not build in \(copy.root.path):\n"
                    + (failures.isEmpty
                        ? String(result.output.suffix(3000))
                        : failures.flatMap(\.errors).prefix(30).joined(separator: "\n")))
        }
        return result
    }

    /// Records the reference's values for this run's salt and hidden suites: the reference runs
    /// every stage suite in the copy without student code, and every check must pass there. Then
    /// the reference's files are graded in the grading copy, replaying the recording: every check
    /// must pass there too, so that no check (a hidden one) asks the reference outside the door,
    /// which the grading copy's stub-built `Solutions` module cannot answer.
    mutating func recordReference() throws -> TimeInterval {
        let started = Date()
        log("  recording the reference in \(referenceCopy.root.path)")
        try build(referenceCopy, base.merging(referenceFiles) { $1 })
        try? FileManager.default.removeItem(at: recording)
        defer { try? FileManager.default.removeItem(at: recording) }
        let (run, result, ended) = try referenceCopy.runChecks(
            filter: "StageTests\\.", salt: salt,
            limits: .checks(seconds: max(timeout, 120) * 4),
            reference: .record(recording))
        try Grader.requireAllPassed(
            run, result, ended,
            "the reference solutions do not pass their own checks with this "
                + "run's salt and hidden suites, so they cannot be recorded (\(referenceCopy.root.path))")
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: recording.path) where name.hasSuffix(".json") {
            files[name] = try Data(contentsOf: recording.appendingPathComponent(name))
        }
        guard files["manifest.json"] != nil else {
            throw KitError("the recording of the reference wrote no manifest.json")
        }
        recorded = files

        log("  grading the reference's files in the grading copy, replayed")
        var tree = base
        for stage in stages {
            for key in tree.keys where key.hasPrefix("Exercises/\(stage.folder)/") { tree[key] = nil }
            for (name, data) in workspace.references(stage, in: referenceFiles) {
                tree["Exercises/\(stage.folder)/\(name)"] = data
            }
        }
        try build(workspace, tree)
        let (replayed, replayedResult, replayedEnded) = try workspace.runChecks(
            filter: "StageTests\\.", salt: salt, limits: .checks(seconds: max(timeout, 120) * 4),
            reference: .replay(try recordingFor(nil)))
        try Grader.requireAllPassed(
            replayed, replayedResult, replayedEnded,
            "the reference solutions do not pass every "
                + "check in the grading copy, replaying the recording: a check asks the reference outside reference(…) "
                + "(a hidden suite?), or depends on something its reference(…) call does not name")
        expected = Dictionary(grouping: replayed.checks.filter { !$0.skipped }.map(outcome), by: \.stage)
        return Date().timeIntervalSince(started)
    }

    private static func requireAllPassed(_ run: CheckRun, _ result: LimitedResult, _ ended: Bool, _ what: String) throws
    {
        let failed = run.checks.filter { !$0.passed && !$0.skipped }
        guard ended, result.status == 0, failed.isEmpty, !run.checks.isEmpty else {
            let details = failed.prefix(5).map { "\($0.name): \($0.issues.first ?? "failed")" }
            throw KitError(
                what + ":\n" + (details.isEmpty ? Grader.crashSummary(result) : details.joined(separator: "\n")))
        }
    }

    /// Writes the recording a run of `stage`'s checks needs (every stage's for nil) afresh, and
    /// returns its folder: the manifest, and of each suite file only the values of that stage's checks.
    func recordingFor(_ stage: Stage?) throws -> URL {
        guard let manifest = recorded["manifest.json"] else {
            throw KitError("the reference has not been recorded for this run")
        }
        let fileManager = FileManager.default
        try? fileManager.removeItem(at: recording)
        // Readable by the sandbox's user whatever the grader's umask.
        try fileManager.createDirectory(
            at: recording, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try manifest.write(to: recording.appendingPathComponent("manifest.json"))
        for (name, data) in recorded where name != "manifest.json" {
            guard let stage else {
                try data.write(to: recording.appendingPathComponent(name))
                continue
            }
            // {"values": {"Stage05OneHotEncoding/check() @File.swift:12 <inputs>": value, …}} (a bonus
            // check's key starts "Bonus05…"): the values are
            // passed on as they are, only the keys are filtered.
            guard let values = try? JSONDecoder().decode(RecordedSuite.self, from: data).values else {
                throw KitError("the recording's \(name) is not {\"values\": {…}}")
            }
            let kept = values.filter { $0.key.hasPrefix(stage.filter) || $0.key.hasPrefix(stage.bonusFilter) }
            if kept.isEmpty { continue }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(RecordedSuite(values: kept)).write(to: recording.appendingPathComponent(name))
        }
        for name in try fileManager.contentsOfDirectory(atPath: recording.path) {
            try fileManager.setAttributes(
                [.posixPermissions: 0o644], ofItemAtPath: recording.appendingPathComponent(name).path)
        }
        return recording
    }

    // MARK: One submission

    func grade(student: String, submission: URL) -> SubmissionGrade {
        let started = Date()
        var grade: SubmissionGrade
        do {
            grade = try gradeOrThrow(student: student, submission: submission)
        } catch {
            grade = SubmissionGrade(
                student: student, stages: Course.stages.map { StageGrade(stage: $0, disposition: .notAttempted) })
            grade.internalError = "\(error)"
        }
        grade.hiddenTestsUsed = workspace.hiddenTests != nil
        if requiresReport { grade.missingReport = SubmittedReport.missing(in: submission) }
        grade.seconds = Date().timeIntervalSince(started)
        grade.score(with: rubric)
        return grade
    }

    private func gradeOrThrow(student: String, submission: URL) throws -> SubmissionGrade {
        let available = stages
        let stubs = Dictionary(uniqueKeysWithValues: available.map { ($0.number, workspace.stubs($0, in: base)) })
        let references = Dictionary(
            uniqueKeysWithValues: available.map { ($0.number, workspace.references($0, in: referenceFiles)) })
        let found = SubmissionFiles.collect(from: submission, stageFiles: available.map { ($0, $0.files) })

        var grades: [Int: StageGrade] = [:]
        /// The student's files of the stages that will be built.
        var candidates: [Int: [String: Data]] = [:]
        for stage in Course.stages {
            var grade = StageGrade(stage: stage, disposition: .notInKit)
            defer { grades[stage.number] = grade }
            guard let stub = stubs[stage.number] else { continue }
            grade.fileProblem = found.problems[stage.number]
            guard var files = found.files[stage.number], !files.isEmpty else {
                grade.disposition = .notAttempted
                continue
            }
            files.merge(stub) { mine, _ in mine }
            if files == stub {
                grade.disposition = .notAttempted
                continue
            }
            let findings = stage.files.filter { files[$0] != nil }.flatMap { name in
                SourceScanner.scan(String(decoding: files[name]!, as: UTF8.self)).map { finding in
                    var finding = finding
                    finding.file = name
                    return finding
                }
            }
            if !findings.isEmpty {
                grade.disposition = .forbidden(findings)
                continue
            }
            grade.disposition = .graded
            candidates[stage.number] = files
        }

        // As is: every file the student wrote.
        log("  building \(student) as submitted")
        let asIs =
            candidates.isEmpty
            ? BuildOutcome(built: [:])
            : try buildSettingAside(candidates, reference: [], stubs: stubs, references: references)
        for (number, errors) in asIs.setAside { grades[number]?.disposition = .compileError(errors) }
        var hangTime = Grader.hangLimit * timeout
        var hung = Set<Int>()
        for number in asIs.built.keys.sorted() {
            guard let stage = Course.stage(number) else { continue }
            // A stage that builds on one that hangs would hang the same way: it is graded on the
            // reference of the earlier stages only, and the hang is paid for once.
            let hungEarlier = Grader.prerequisites(of: stage).intersection(hung).sorted()
            if !hungEarlier.isEmpty {
                grades[number]?.asIs = StageRun(
                    checks: [],
                    incidents: [
                        "Not run as submitted: stage\(hungEarlier.count == 1 ? "" : "s") "
                            + hungEarlier.map(String.init).joined(separator: ", ")
                            + ", which this stage builds on, did not finish in time."
                    ])
                continue
            }
            log("  checks of stage \(number)")
            let run = try runStage(stage, hangTime: &hangTime)
            if run.timedOut { hung.insert(number) }
            grades[number]?.asIs = run
        }

        // On the reference: stages held down by an earlier stage that does not pass.
        // A stage that hung counts as broken even when only a bonus check hung: the stages that build
        // on it were not run as submitted, and must be graded on its reference.
        let broken = Set(
            available.map(\.number).filter { number in
                guard let run = grades[number]?.asIs else { return true }
                return !run.checks.filter { !$0.isBonus }.allSatisfy(\.passed) || run.checks.isEmpty
                    || hung.contains(number)
            })
        var retry = Set(
            candidates.keys.filter { number in
                guard broken.contains(number), let stage = Course.stage(number) else { return false }
                return !Grader.prerequisites(of: stage).isDisjoint(with: broken)
            })
        while !retry.isEmpty {
            let swapped = retry.reduce(into: Set<Int>()) { set, number in
                set.formUnion(Grader.prerequisites(of: Course.stage(number)!).intersection(broken))
            }
            let graded = retry.subtracting(swapped)
            var files: [Int: [String: Data]] = [:]
            for (number, contents) in candidates
            where !swapped.contains(number)
                && (graded.contains(number) || asIs.built[number] != nil)
            {
                files[number] = contents
            }
            log(
                "  building \(student) on the reference of stage\(swapped.count == 1 ? "" : "s") \(swapped.sorted().map(String.init).joined(separator: ", "))"
            )
            let build = try buildSettingAside(files, reference: swapped, stubs: stubs, references: references)
            for number in graded.sorted() {
                guard let stage = Course.stage(number) else { continue }
                let referenceStages = swapped.filter { Grader.prerequisites(of: stage).contains($0) }.sorted()
                grades[number]?.referenceStages = referenceStages
                if let problem = build.problem {
                    grades[number]?.referenceProblem = problem
                } else if let errors = build.setAside[number] {
                    grades[number]?.referenceProblem =
                        "it does not compile with the reference versions of stages "
                        + referenceStages.map(String.init).joined(separator: ", ") + ":\n"
                        + errors.prefix(10).joined(separator: "\n")
                } else if build.built[number] != nil {
                    log("  checks of stage \(number) on the reference")
                    grades[number]?.onReference = try runStage(stage, hangTime: &hangTime)
                    if case .compileError(let errors) = grades[number]?.disposition {
                        grades[number]?.disposition = .graded
                        grades[number]?.asIsCompileErrors = errors
                    }
                }
            }
            retry = retry.intersection(swapped)
        }

        var result = SubmissionGrade(student: student, stages: Course.stages.compactMap { grades[$0.number] })
        result.ignoredFiles = found.ignored
        return result
    }

    /// The stages a stage builds on, directly or through others.
    static func prerequisites(of stage: Stage) -> Set<Int> {
        var result = Set<Int>()
        var pending = stage.buildsOn
        while let number = pending.popLast() {
            if result.insert(number).inserted, let earlier = Course.stage(number) { pending += earlier.buildsOn }
        }
        return result
    }

    struct BuildOutcome {
        /// The student files that were built, by stage.
        var built: [Int: [String: Data]]
        /// The stages set aside, with the compiler's errors.
        var setAside: [Int: [String]] = [:]
        /// When the build failed for reasons no student file explains.
        var problem: String?
    }

    /// Builds the student's `files` (and the reference of the stages in `reference`,
    /// stubs elsewhere); a stage file that does not compile is set aside and the
    /// build repeated.
    private func buildSettingAside(
        _ files: [Int: [String: Data]], reference: Set<Int>,
        stubs: [Int: [String: Data]], references: [Int: [String: Data]]
    ) throws -> BuildOutcome {
        func build(_ built: [Int: [String: Data]]) throws -> (result: LimitedResult, failures: [CompileFailure]) {
            var tree = base
            for (number, stageFiles) in built {
                guard let stage = Course.stage(number) else { continue }
                for (name, data) in stageFiles { tree["Exercises/\(stage.folder)/\(name)"] = data }
            }
            for number in reference {
                guard let stage = Course.stage(number) else { continue }
                for key in tree.keys where key.hasPrefix("Exercises/\(stage.folder)/") { tree[key] = nil }
                for (name, data) in references[number] ?? [:] { tree["Exercises/\(stage.folder)/\(name)"] = data }
            }
            try workspace.apply(tree)
            return try workspace.build(timeout: buildTimeout)
        }
        var outcome = BuildOutcome(built: files)
        var builtStageByStage = false
        while true {
            let (result, failures) = try build(outcome.built)
            if result.succeeded { return outcome }
            // Which student files are to blame: their own errors, or errors in the
            // checks of their stage (a declaration renamed or with another type).
            var blamed: [Int: [String]] = [:]
            for failure in failures {
                guard let stage = Course.stage(containing: failure.file) ?? failure.stage,
                    failure.file.hasPrefix("Exercises/") || failure.file.hasPrefix("Tests/StageTests/")
                else { continue }
                if outcome.built[stage.number] != nil {
                    blamed[stage.number, default: []] += failure.errors
                } else {
                    // The checks or the stub of a stage the student did not write fail to compile:
                    // the declarations they use come from the earlier stages the student wrote.
                    for number in Grader.prerequisites(of: stage) where outcome.built[number] != nil {
                        blamed[number, default: []] += failure.errors
                    }
                }
            }
            if blamed.isEmpty || result.timedOut {
                let errors =
                    result.timedOut
                    ? ["the build took longer than \(Int(buildTimeout)) s"]
                    : failures.isEmpty ? [String(result.output.suffix(2000))] : failures.flatMap(\.errors)
                if outcome.built.isEmpty && reference.isEmpty {
                    throw KitError("the instructor's kit does not build:\n" + errors.prefix(30).joined(separator: "\n"))
                }
                if !reference.isEmpty {
                    // With the reference swapped in: give up on this build (the as-is results stand).
                    outcome.problem =
                        "it does not build with the reference versions of earlier stages:\n"
                        + errors.prefix(10).joined(separator: "\n")
                    outcome.built = [:]
                    return outcome
                }
                if result.timedOut {
                    for number in outcome.built.keys { outcome.setAside[number] = Array(errors.prefix(40)) }
                    outcome.built = [:]
                    continue
                }
                // The errors name no student file (a linker error, a crash of the compiler): add the
                // stages one at a time, in order, and set aside each one whose addition breaks the
                // build, so that only the culprit pays. Once: what is kept then built.
                guard !builtStageByStage else {
                    throw KitError(
                        "the build failed again after the stages that broke it were set aside:\n"
                            + errors.prefix(20).joined(separator: "\n"))
                }
                builtStageByStage = true
                log("  the compiler's errors name no stage file: building stage by stage to find the one to blame")
                var kept: [Int: [String: Data]] = [:]
                var lastBuilt = true
                for number in outcome.built.keys.sorted() {
                    var trial = kept
                    trial[number] = outcome.built[number]
                    let (trialResult, trialFailures) = try build(trial)
                    lastBuilt = trialResult.succeeded
                    if trialResult.succeeded {
                        kept = trial
                    } else {
                        outcome.setAside[number] =
                            trialResult.timedOut
                            ? ["the build took longer than \(Int(buildTimeout)) s"]
                            : !trialFailures.isEmpty
                                ? Array(trialFailures.flatMap(\.errors).prefix(40))
                                : Grader.buildErrorLines(trialResult.output)
                    }
                }
                outcome.built = kept
                if lastBuilt { return outcome }
                continue
            }
            for (number, errors) in blamed {
                outcome.setAside[number] = Array(errors.prefix(40))
                outcome.built[number] = nil
            }
        }
    }

    /// The lines of a build's output that say what failed (the linker's among them), without its progress lines.
    static func buildErrorLines(_ output: String) -> [String] {
        let lines = output.split(separator: "\n").map(String.init).filter { line in
            ["error:", "duplicate symbol", "undefined reference", "multiple definition", "ld:"].contains {
                line.contains($0)
            }
        }
        return lines.isEmpty ? [String(output.suffix(1500))] : Array(lines.prefix(20).map { String($0.prefix(400)) })
    }

    // MARK: Running a stage

    /// Runs the stage's checks (required, bonus and hidden) in one process; when it
    /// crashes or hangs, re-runs the checks that did not finish one at a time.
    ///
    /// `hangTime` is what is left of the submission's time for runs that do not finish (3 × the
    /// time limit in all): each run that is stopped at its limit spends it, and no run may take
    /// more than is left, so that a hang costs a submission at most 3 × `timeout`.
    func runStage(_ stage: Stage, hangTime: inout TimeInterval) throws -> StageRun {
        let started = Date()
        // A run starts only with its full limit left, so that a slow but finishing run is never cut short.
        guard hangTime >= timeout else {
            return StageRun(
                checks: expectedChecks(stage).map { notRun($0, Grader.hangTimeSpent(timeout)) },
                incidents: [Grader.hangTimeSpent(timeout)], notRun: true)
        }
        let filter = "StageTests\\.(\(stage.filter)|\(stage.bonusFilter))"
        let (run, result, ended) = try workspace.runChecks(
            filter: filter, salt: salt, limits: .checks(seconds: timeout),
            reference: .replay(try recordingFor(stage)))
        if result.timedOut { hangTime -= result.seconds }
        try Grader.refuseRecordingProblems(run)
        // A check that skipped itself (real data not on this machine) did not run: it earns and costs nothing.
        var outcomes = run.checks.filter { $0.stage == stage.number && !$0.skipped }.map(outcome)
        // The checks are those the reference's run had, whatever the stream says: a check the stream
        // does not report (cut short, or rewritten by the student's code) has not run, and a check the
        // reference's run did not have (declared in a stage file) counts for nothing.
        let expected = expectedChecks(stage)
        if !expected.isEmpty {
            let reported = Set(outcomes.map(\.id))
            let skipped = Set(run.checks.filter(\.skipped).map(\.id))
            outcomes = outcomes.filter { check in expected.contains { $0.id == check.id } }
            outcomes += expected.filter { !reported.contains($0.id) && !skipped.contains($0.id) }
                .map { notRun($0, "the check did not report a result") }
        }
        var stageRun = StageRun(checks: outcomes)
        if ended && !result.timedOut {
            for index in outcomes.indices where outcomes[index].status != .passed && outcomes[index].status != .failed {
                outcomes[index].status = .failed
                outcomes[index].messages = ["the check did not finish"]
            }
            stageRun.checks = outcomes
            stageRun.seconds = Date().timeIntervalSince(started)
            return stageRun
        }
        stageRun.timedOut = result.timedOut
        stageRun.outputLimited = result.outputLimited
        stageRun.crashed = !result.timedOut && !result.outputLimited
        let again = " The checks that had not finished were run again one at a time."
        stageRun.incidents.append(
            result.timedOut
                ? "The checks were stopped after \(Int(result.seconds.rounded())) s: is there a loop that never ends?"
                    + again
                : result.outputLimited
                    ? "The checks were stopped when their output reached \(ResourceLimits.checks(seconds: 0).outputMegabytes) MB: "
                        + "is something printing in a loop?" + again
                    : "The checks crashed: \(Grader.crashSummary(result))." + again)
        if outcomes.isEmpty {
            stageRun.seconds = Date().timeIntervalSince(started)
            return stageRun
        }
        // Re-run the unfinished checks alone: first those that had not started (in all likelihood
        // innocent), then those that were running when the run stopped. Only re-runs that do not
        // finish spend time, at most 2 × the limit for the stage and what is left of the submission's.
        let perCheck = max(5, timeout / 4)
        let running = Set(run.checks.filter { $0.started && !$0.ended }.map(\.id))
        let unfinished = outcomes.indices.filter { outcomes[$0].status == .notRun }
        var stageHangTime = 2 * timeout
        for index in unfinished.filter({ !running.contains(outcomes[$0].id) })
            + unfinished.filter({ running.contains(outcomes[$0].id) })
        {
            if min(hangTime, stageHangTime) < perCheck {
                outcomes[index].messages = [
                    hangTime < perCheck
                        ? Grader.hangTimeSpent(timeout)
                        : "not run: this stage's checks had already used up the time they may spend not finishing "
                            + "(2 × \(Int(timeout)) s)"
                ]
                continue
            }
            let id = outcomes[index].id
            let (single, alone, singleEnded) = try workspace.runChecks(
                filter: NSRegularExpression.escapedPattern(for: id), salt: salt,
                limits: .checks(seconds: perCheck), reference: .replay(try recordingFor(stage)))
            if alone.timedOut {
                hangTime -= alone.seconds
                stageHangTime -= alone.seconds
            }
            try Grader.refuseRecordingProblems(single)
            if singleEnded, !alone.timedOut, let check = single.checks.first(where: { $0.id == id }), check.ended {
                outcomes[index] = outcome(check)
            } else if alone.timedOut {
                outcomes[index].status = .timedOut
                outcomes[index].messages = [
                    "did not finish within \(Int(alone.seconds.rounded())) s: is there a loop that never ends?"
                ]
            } else {
                outcomes[index].status = .crashed
                outcomes[index].messages = ["crashed: " + Grader.crashSummary(alone)]
            }
        }
        stageRun.checks = outcomes
        stageRun.seconds = Date().timeIntervalSince(started)
        return stageRun
    }

    /// The most time a submission's hangs may cost, in all: `hangLimit × timeout`.
    static let hangLimit = 3.0

    static func hangTimeSpent(_ timeout: TimeInterval) -> String {
        "not run: this submission's checks had already used up the time they may spend not finishing "
            + "(\(Int(hangLimit)) × \(Int(timeout)) s in all)"
    }

    /// A check the recording cannot answer is the kit's problem, never the student's: grading stops
    /// with an error for the instructor instead of charging the submission.
    static func refuseRecordingProblems(_ run: CheckRun) throws {
        for check in run.checks {
            if let message = check.issues.first(where: { $0.contains(recordingProblemPrefix) }) {
                throw KitError("the recording of the reference does not fit the check \"\(check.name)\": \(message)")
            }
        }
    }

    /// How the stage suites begin a message about the recording (Tests/StageTests/Support/Reference.swift).
    static let recordingProblemPrefix = "The kit's recording of the reference"

    private func outcome(_ check: CheckResult) -> CheckOutcome {
        let status: CheckOutcome.Status = !check.ended ? .notRun : check.passed ? .passed : .failed
        return CheckOutcome(
            id: check.id, name: check.name, stage: check.stage, isBonus: check.isBonus,
            isHidden: hiddenFiles.contains(String(check.fileID.split(separator: "/").last ?? "")),
            status: status, messages: check.issues, parts: check.issueParts)
    }

    /// What a crashed process said: the runtime's error line, or its signal.
    static func crashSummary(_ result: LimitedResult) -> String {
        let lines = result.output.split(separator: "\n").map { String($0.prefix(300)) }
        let telling = lines.filter { line in
            [
                "Fatal error", "fatal error", "Precondition failed", "Assertion failed", "Illegal instruction",
                "Segmentation fault", "Out of memory", "Abort", "error:",
            ].contains { line.contains($0) }
        }
        var text = telling.suffix(2).map { line in
            // "*** Program crashed: Illegal instruction at 0x00007f… ***": the address says nothing to a student.
            line.replacingOccurrences(of: #" at 0x[0-9a-f]+"#, with: "", options: .regularExpression)
        }.joined(separator: " · ")
        var signalName: String?
        if let signal = result.signal {
            switch signal {
            case SIGILL, SIGTRAP: signalName = "a runtime trap (index out of range, `!` on nil, overflow, fatalError…)"
            case SIGSEGV, SIGBUS: signalName = "a memory fault (often endless recursion)"
            case SIGABRT: signalName = "an abort"
            case SIGKILL: signalName = "being killed (the memory limit?)"
            case SIGXCPU: signalName = "the CPU time limit"
            case SIGXFSZ:
                signalName = "the output limit (it printed \(ResourceLimits.checks(seconds: 0).outputMegabytes) MB)"
            default: signalName = "signal \(signal)"
            }
        }
        if let signalName { text += (text.isEmpty ? "" : " — ") + "stopped by " + signalName }
        if text.isEmpty { text = "the test process exited with status \(result.status)" }
        return text
    }
}

/// A suite file's recording, `{"values": {"Stage05OneHotEncoding/check() @File.swift:12 <inputs>": value, …}}`,
/// whose values the grader passes on as they are.
struct RecordedSuite: Codable {
    var values: [String: JSONValue]
}
