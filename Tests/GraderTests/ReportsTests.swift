import Foundation
import NeuralKit
import Testing

@testable import kit

// The reports are built from grades made by hand: no build, no test run.

/// Synthetic grade: a graded stage (passing, failing, hidden and bonus checks), a
/// compile error, forbidden code, a crash, and stages not attempted.
func sampleGrade(rubric: Rubric = .course) -> SubmissionGrade {
    func outcome(
        _ stage: Int, _ name: String, _ status: CheckOutcome.Status, hidden: Bool = false, bonus: Bool = false,
        messages: [String] = []
    ) -> CheckOutcome {
        CheckOutcome(
            id: "StageTests.Stage0\(stage)X/\(name.replacingOccurrences(of: " ", with: ""))()/f.swift:\(name.count):1",
            name: name, stage: stage, isBonus: bonus, isHidden: hidden, status: status, messages: messages)
    }
    var stages = Course.stages.map { StageGrade(stage: $0, disposition: $0.number <= 8 ? .notAttempted : .notInKit) }
    stages[0].disposition = .graded
    stages[0].asIs = StageRun(checks: [
        outcome(1, "relu works", .passed),
        outcome(1, "softmax, \"quoted\", works", .failed, messages: ["softmax differs at [0, 1]: got 1, expected 0.5"]),
        outcome(1, "the secret hidden check", .failed, hidden: true, messages: ["a secret message"]),
        outcome(1, "sigmoid", .passed, bonus: true),
    ])
    stages[1].disposition = .compileError(["Exercises/02-DenseLayer/Dense.swift:3:1: error: expected declaration"])
    stages[2].disposition = .forbidden([SourceScanner.Finding(line: 2, construct: "import Solutions", reason: "no")])
    stages[4].disposition = .graded
    stages[4].asIs = StageRun(
        checks: [outcome(5, "oneHot", .passed), outcome(5, "oneHot throws", .crashed, messages: ["crashed: trap"])],
        incidents: ["The checks crashed: trap."], crashed: true)
    var grade = SubmissionGrade(
        student: "ada, lovelace", stages: stages, ignoredFiles: ["Package.swift"], seconds: 12.4)
    grade.score(with: rubric)
    return grade
}

/// Checks a results.json against Gradescope's format
/// (https://gradescope-autograders.readthedocs.io/en/latest/specs/); returns the problems. It reads the
/// file as any JSON, not as the kit's own types, so that what those types write is checked against the spec.
func gradescopeProblems(_ data: Data) -> [String] {
    var problems: [String] = []
    guard let top = (try? JSONDecoder().decode(JSONValue.self, from: data))?.object else {
        return ["the top level is not an object"]
    }
    let visibilities: Set<String> = ["hidden", "after_due_date", "after_published", "visible"]
    let formats: Set<String> = ["text", "html", "simple_format", "md", "ansi"]
    let topKeys: Set<String> = [
        "score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
        "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard",
    ]
    for key in top.keys where !topKeys.contains(key) { problems.append("unknown top-level key \(key)") }
    /// Whether `value` is text among `allowed`.
    func isOne(of allowed: Set<String>, _ value: JSONValue) -> Bool { value.string.map(allowed.contains) ?? false }
    if top["score"] == nil && top["tests"] == nil { problems.append("neither score nor tests") }
    if let score = top["score"], score.double == nil { problems.append("score is not a number") }
    if let time = top["execution_time"], time.double == nil { problems.append("execution_time is not a number") }
    if let output = top["output"], output.string == nil { problems.append("output is not a string") }
    for key in ["visibility", "stdout_visibility"] {
        if let value = top[key], !isOne(of: visibilities, value) { problems.append("\(key) is \(value)") }
    }
    if let format = top["output_format"], !isOne(of: formats, format) { problems.append("output_format") }
    guard let tests = top["tests"]?.list(of: \.object) else {
        if top["tests"] != nil { problems.append("tests is not a list of objects") }
        return problems
    }
    let testKeys: Set<String> = [
        "score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
        "tags", "visibility", "extra_data",
    ]
    for (index, test) in tests.enumerated() {
        let label = "tests[\(index)]"
        for key in test.keys where !testKeys.contains(key) { problems.append("\(label): unknown key \(key)") }
        if top["score"] == nil, test["score"] == nil { problems.append("\(label): no score") }
        if let score = test["score"], score.double == nil { problems.append("\(label): score is not a number") }
        if let maximum = test["max_score"], maximum.double == nil {
            problems.append("\(label): max_score is not a number")
        }
        // A score above max_score is extra credit, which Gradescope allows; a negative one is not ours to give.
        if let score = test["score"]?.double, score < 0 {
            problems.append("\(label): score \(score) below 0")
        }
        if let status = test["status"], !isOne(of: ["passed", "failed"], status) {
            problems.append("\(label): status is \(status)")
        }
        for key in ["name", "number", "output"] {
            if let value = test[key], value.string == nil { problems.append("\(label): \(key) is not a string") }
        }
        if let value = test["visibility"], !isOne(of: visibilities, value) {
            problems.append("\(label): visibility is \(value)")
        }
    }
    return problems
}

@Suite("grader · reports")
struct ReportTests {
    @Test("CSV fields with commas, quotes or line breaks are quoted (RFC 4180)")
    func csvQuoting() {
        #expect(Reports.csvField("plain") == "plain")
        #expect(Reports.csvField("a, b") == "\"a, b\"")
        #expect(Reports.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(Reports.csvField("two\nlines") == "\"two\nlines\"")
        let grade = sampleGrade()
        let text = Reports.csv([Reports.csvHeader(), Reports.csvRow(grade, rubric: .course)])
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(
            lines[0]
                == "student,stage01,stage02,stage03,stage04,stage05,stage06,stage07,stage08,stage09,stage10,bonus,uncapped,total,status"
        )
        #expect(lines[1].hasPrefix("\"ada, lovelace\","))
        #expect(lines[1].contains("compile error in stage 2; forbidden code in stage 3; crash in stage 5"))
    }

    @Test("scores: shares of the stage's points, bonus apart, the failing checks' points lost")
    func scores() {
        let grade = sampleGrade()
        let stage1 = grade.stages[0]
        // Three required checks share 1.25 (one hidden); one passes.
        #expect(abs(stage1.points - 1.25 / 3) < 0.0001)
        #expect(abs(stage1.bonus - Rubric.course.stage(1).bonus) < 1e-9)
        #expect(abs(grade.stages[4].points - 1.25 / 2) < 0.0001)
        #expect(grade.stages[1].points == 0 && grade.stages[2].points == 0)
        #expect(abs(grade.total(cap: 20) - (stage1.points + stage1.bonus + grade.stages[4].points)) < 1e-9)
        #expect(grade.total(cap: 0.5) == 0.5)
    }

    @Test("results.json follows Gradescope's format, and hidden checks are counted, not named")
    func gradescopeFormat() throws {
        let grade = sampleGrade()
        let data = Reports.json(Reports.gradescope(grade, rubric: .course))
        #expect(gradescopeProblems(data) == [])
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("the secret hidden check") && !text.contains("a secret message"))
        #expect(text.contains("hidden checks"))
        let top = try #require(try JSONDecoder().decode(JSONValue.self, from: data).object)
        let tests = try #require(top["tests"]?.list(of: \.object))
        #expect(abs(sum(tests, "score") - (top["score"]?.double ?? -1)) < 0.001)
        #expect(tests.contains { $0["output"]?.string?.contains("expected declaration") == true })
        #expect(tests.contains { $0["output"]?.string?.contains("import Solutions") == true })
        // With hiddenChecks "show", they are named.
        var rubric = Rubric.course
        rubric.hiddenChecks = .show
        let shown = String(
            decoding: Reports.json(Reports.gradescope(sampleGrade(rubric: rubric), rubric: rubric)), as: UTF8.self)
        #expect(shown.contains("the secret hidden check"))
    }

    @Test("the validator itself refuses what Gradescope would")
    func validatorCatchesMistakes() {
        func problems(_ json: String) -> [String] { gradescopeProblems(Data(json.utf8)) }
        #expect(!problems(#"{"tests": [{"score": 1, "max_score": "1"}]}"#).isEmpty)
        #expect(!problems(#"{"tests": [{"score": -1, "max_score": 1}]}"#).isEmpty)
        // Extra credit: a score above max_score.
        #expect(
            problems(#"{"score": 2, "tests": [{"score": 2, "max_score": 1, "status": "passed", "name": "a"}]}"#).isEmpty
        )
        #expect(!problems(#"{"score": 1, "tests": [{"status": "ok"}]}"#).isEmpty)
        #expect(!problems(#"{"score": 1, "visibility": "students"}"#).isEmpty)
        #expect(!problems(#"{"score": "1"}"#).isEmpty)
        #expect(!problems(#"{"score": true}"#).isEmpty)
        #expect(
            problems(#"{"score": 1.5, "tests": [{"score": 1, "max_score": 1, "status": "passed", "name": "a"}]}"#)
                .isEmpty)
    }

    @Test("feedback shows each check with its message, the hidden checks as a count, and what was not graded")
    func feedback() {
        let text = Reports.feedback(sampleGrade(), rubric: .course)
        #expect(text.contains("✓ relu works"))
        #expect(text.contains("✗ softmax, \"quoted\", works"))
        #expect(text.contains("softmax differs at [0, 1]"))
        #expect(text.contains("1 hidden check ran: 0 passed"))
        #expect(!text.contains("the secret hidden check"))
        #expect(text.contains("does not compile") && text.contains("expected declaration"))
        #expect(text.contains("import Solutions"))
        #expect(text.contains("Stage 9 · MNIST: not in the kit yet"))
        #expect(text.contains("Stage 4 · Two-layer network: not attempted"))
        #expect(text.contains("these files were ignored: Package.swift"))
        #expect(text.contains("Hint: "))
    }

    @Test("the summary shows the distribution of totals and the checks failed most often")
    func summary() {
        let text = Reports.summary(
            [sampleGrade(), sampleGrade()], rubric: .course, seconds: 30, terminal: Terminal(colour: false))
        #expect(text.contains("Graded 2 submissions in 30 s (15 s each)"))
        #expect(text.contains("2/2    Stage 1 · softmax, \"quoted\", works"))
        #expect(text.contains("2× softmax differs at [0, 1]: got 1, expected 0.5"))
        #expect(text.contains("Problems (submissions): 2 × compile error, 2 × crash, 2 × forbidden code"))
    }
}

/// A check of stage `stage` for the hand-made grades below.
func checkOutcome(
    _ stage: Int, _ name: String, _ status: CheckOutcome.Status = .passed, bonus: Bool = false, hidden: Bool = false,
    messages: [String] = []
) -> CheckOutcome {
    CheckOutcome(
        id: "StageTests.Stage\(stage)/\(name.replacingOccurrences(of: " ", with: ""))()/f.swift:\(name.count):3",
        name: name, stage: stage, isBonus: bonus, isHidden: hidden, status: status, messages: messages)
}

/// A grade in which the stages of `runs` are graded with those runs and the others are not attempted.
func handMadeGrade(_ student: String = "ada", runs: [Int: StageRun], rubric: Rubric = .course) -> SubmissionGrade {
    let stages = Course.stages.map { stage -> StageGrade in
        var grade = StageGrade(stage: stage, disposition: runs[stage.number] == nil ? .notAttempted : .graded)
        grade.asIs = runs[stage.number]
        return grade
    }
    var grade = SubmissionGrade(student: student, stages: stages, seconds: 3)
    grade.score(with: rubric)
    return grade
}

/// A stage run of `passed` passing and `failed` failing required checks, and bonus checks.
func run(
    _ stage: Int, passed: Int, failed: Int = 0, bonusPassed: Int = 0, bonusFailed: Int = 0,
    message: String = "differs at [0, 0]"
) -> StageRun {
    StageRun(
        checks: (0..<passed).map { checkOutcome(stage, "passing \($0)") }
            + (0..<failed).map { checkOutcome(stage, "failing \($0)", .failed, messages: [message]) }
            + (0..<bonusPassed).map { checkOutcome(stage, "bonus \($0)", bonus: true) }
            + (0..<bonusFailed).map {
                checkOutcome(stage, "bonus failing \($0)", .failed, bonus: true, messages: ["no"])
            })
}

/// Every stage right, all bonus checks passed: 16.5 + 4 before the cap of 20.
func fullMarks(_ student: String = "ada") -> SubmissionGrade {
    handMadeGrade(
        student,
        runs: Dictionary(
            uniqueKeysWithValues: Course.stages.map { ($0.number, run($0.number, passed: 12, bonusPassed: 3)) }))
}

/// The tests of a results.json and its top-level score.
func gradescopeTests(_ grade: SubmissionGrade, rubric: Rubric) throws -> (tests: [[String: JSONValue]], score: Double) {
    let object = try #require(
        try JSONDecoder().decode(JSONValue.self, from: Reports.json(Reports.gradescope(grade, rubric: rubric))).object)
    return (try #require(object["tests"]?.list(of: \.object)), try #require(object["score"]?.double))
}

func sum(_ tests: [[String: JSONValue]], _ key: String) -> Double {
    tests.reduce(0) { $0 + ($1[key]?.double ?? 0) }
}

@Suite("grader · points that add up")
struct PointsTests {
    @Test("points are written to a ten-thousandth, trimmed")
    func formatting() {
        #expect(0.659722.points == "0.6597")
        #expect(1.25.points == "1.25")
        #expect(4.0.points == "4")
        #expect((1.25 / 3).points == "0.4167")
        #expect(20.5.points == "20.5")
    }

    @Test("shares are rounded so that every running sum is the running sum, rounded")
    func roundKeepingSums() {
        let units = PointUnits.roundKeepingSums([Double](repeating: 1.25 / 12, count: 12))
        #expect(units.reduce(0, +) == 12_500)
        #expect(Set(units) == [1041, 1042])
        // 11 of the 12: the 11/12 of 1.25 a person computes, 1.1458.
        #expect(units.prefix(11).reduce(0, +) == 11_458)
        #expect(PointUnits.roundKeepingSums([0.125, 0.125]) == [1250, 1250])
        #expect(PointUnits.roundKeepingSums([]) == [])
    }

    @Test("a stage's points are its share of the checks passed, rounded, and its checks' points add up to them")
    func stagePoints() {
        let grade = handMadeGrade(runs: [3: run(3, passed: 5, failed: 7), 10: run(10, passed: 6, failed: 6)])
        #expect(grade.stages[2].points == 0.5208)
        #expect(grade.stages[9].points == 2)
        let earned = grade.stages[2].checkPoints.values.reduce(0) { $0 + $1.earned }
        #expect(abs(earned - 0.5208) < 1e-9)
        // A passed check earns its whole maximum, a failed one nothing.
        #expect(grade.stages[2].checkPoints.values.allSatisfy { $0.earned == 0 || $0.earned == $0.maximum })
    }

    @Test(
        "the points shown for the checks add up to the stage's, and the stages' to the total, in feedback, CSV and results.json"
    )
    func shownPointsAddUp() throws {
        // 5 of 12 checks pass, and one with parts earns 2 of its 3: 1.25 × 5.67 / 12 in all, not a round number.
        var rubric = Rubric.course
        rubric.stages[2]?.checks = ["failing 0": Rubric.CheckWeight(weight: 1, parts: ["dW", "db", "dx"])]
        var stage2 = run(2, passed: 5, failed: 7)
        stage2.checks[5].messages = ["dW differs at [0, 0]"]
        let grade = handMadeGrade(
            runs: [1: run(1, passed: 2, failed: 1), 2: stage2, 3: run(3, passed: 10, failed: 3)], rubric: rubric)
        let stage = grade.stages[1]
        let shown = stage.checkPoints.values.map { Double($0.earned.points)! }
        #expect(abs(shown.reduce(0, +) - Double(stage.points.points)!) < 1e-9)
        let maxima = stage.checkPoints.values.map { Double($0.maximum.points)! }
        #expect(abs(maxima.reduce(0, +) - 1.25) < 1e-9)
        // The stages' points as shown add up to the total as shown.
        let stages = grade.stages.map { Double($0.points.points)! }
        #expect(abs(stages.reduce(0, +) - Double(grade.points.points)!) < 1e-9)
        #expect(stage.points.points.count > 4, "\(stage.points.points) is not a round number")

        let row = Reports.csvRow(grade, rubric: rubric)
        let cells = row[1...10].map { Double($0) ?? 0 }
        #expect(abs(cells.reduce(0, +) + Double(row[11])! - Double(row[13])!) < 1e-9)

        let feedback = Reports.feedback(grade, rubric: rubric)
        #expect(feedback.contains("— \(stage.points.points) / 1.25"))
        #expect(feedback.contains("stages \(grade.points.points)"))

        let results = try gradescopeTests(grade, rubric: rubric)
        let stage2Tests = results.tests.filter { $0["number"]?.string?.hasPrefix("2.") == true }
        #expect(abs(sum(stage2Tests, "score") - stage.points) < 1e-9)
        #expect(abs(sum(results.tests, "score") - results.score) < 1e-9)
    }
}

@Suite("grader · grades.csv")
struct GradesCSVTests {
    @Test("the row under the header holds each column's maximum, the uncapped sum beside the capped total")
    func maximumRow() {
        let row = Reports.csvMaximumRow(rubric: .course)
        #expect(
            Reports.csv([row])
                == "(maximum),1.25,1.25,1.25,1.25,1.25,1.25,1.25,1.25,2.5,4,4,20.5,20,the total is capped at 20\n")
        #expect(row.count == Reports.csvHeader().count)
        var uncapped = Rubric.course
        uncapped.cap = nil
        #expect(Reports.csvMaximumRow(rubric: uncapped)[12...14] == ["20.5", "20.5", ""])
        // A student's name is made safe as a file name: it can never be the maximum row's.
        #expect(GradeCommand.safeName(Reports.maximumRowName) != Reports.maximumRowName)
    }

    @Test("a mistake the bonus hides in the capped total shows in the uncapped one")
    func uncappedTotal() {
        var grade = fullMarks()
        grade.stages[1].asIs = run(2, passed: 11, failed: 1, bonusPassed: 3)
        grade.score(with: .course)
        let row = Reports.csvRow(grade, rubric: .course)
        let header = Reports.csvHeader()
        #expect(row[header.firstIndex(of: "total")!] == "20")
        #expect(row[header.firstIndex(of: "uncapped")!] == (20.5 - 1.25 / 12).points)
        #expect(row[header.firstIndex(of: "stage02")!] == (1.25 * 11 / 12).points)
        #expect(
            Reports.feedback(grade, rubric: .course).contains(
                "**Total: 20 / 20** (capped; \((20.5 - 1.25 / 12).points) before the cap)"))
    }
}

@Suite("grader · statuses")
struct StatusTests {
    @Test(
        "a submission that attempts no stage is \"not attempted\": empty stage cells, a note to the student, counted in the summary"
    )
    func notAttempted() {
        let empty = handMadeGrade("empty", runs: [:])
        #expect(empty.status == "not attempted")
        let row = Reports.csvRow(empty, rubric: .course)
        #expect(row[1...10].allSatisfy { $0.isEmpty })
        #expect(row[11...13] == ["0", "0", "0"])
        #expect(
            Reports.feedback(empty, rubric: .course).contains("every stage file is missing or still the original stub"))
        let summary = Reports.summary(
            [empty, fullMarks()], rubric: .course, seconds: 1, terminal: Terminal(colour: false))
        #expect(summary.contains("1 × not attempted"))
        // A stage tried that scores nothing is 0, not empty; the others stay empty.
        var compileError = empty
        compileError.stages[2].disposition = .compileError(["error: expected declaration"])
        compileError.score(with: .course)
        #expect(compileError.status == "compile error in stage 3")
        #expect(Reports.csvRow(compileError, rubric: .course)[3] == "0")
        #expect(Reports.csvRow(compileError, rubric: .course)[4] == "")
        // A grader error says so, even with nothing attempted.
        var broken = empty
        broken.internalError = "the kit did not build"
        #expect(broken.status == "grader error: the kit did not build")
    }

    @Test("a crash as submitted that the run on the reference passed is reported as such; one that counted, plainly")
    func crashAsSubmitted() {
        var grade = handMadeGrade(runs: [
            7: run(7, passed: 3, failed: 1), 8: run(8, passed: 2, failed: 2, message: "crashed"),
        ])
        grade.stages[7].asIs?.crashed = true
        grade.stages[7].onReference = run(8, passed: 4)
        grade.stages[7].referenceStages = [7]
        grade.score(with: .course)
        #expect(grade.stages[7].usedReference)
        #expect(grade.status == "crash in stage 8 as submitted (passed on the reference of stage 7)")
        #expect(
            Reports.feedback(grade, rubric: .course).contains(
                "crash in stage 8 as submitted (passed on the reference of stage 7)"))

        // On the reference too some checks fail, without a crash: the crash still did not count.
        grade.stages[7].onReference = run(8, passed: 3, failed: 1)
        grade.stages[7].referenceStages = [6, 7]
        grade.score(with: .course)
        #expect(grade.status == "crash in stage 8 as submitted (none on the reference of stages 6, 7, which counted)")
        let summary = Reports.summary([grade], rubric: .course, seconds: 1, terminal: Terminal(colour: false))
        #expect(summary.contains("1 × crash as submitted"))

        // The run that counted crashed: a plain crash.
        grade.stages[7].onReference?.crashed = true
        grade.score(with: .course)
        #expect(grade.status == "crash in stage 8")

        // The as-submitted run counted and the one on the reference crashed: nothing to report.
        grade.stages[7].asIs = run(8, passed: 4)
        grade.stages[7].onReference = run(8, passed: 1, failed: 3)
        grade.stages[7].onReference?.crashed = true
        grade.score(with: .course)
        #expect(grade.status == "ok")
    }
}

@Suite("grader · results.json's maxima")
struct GradescopeMaximaTests {
    @Test("the tests' max_scores add up to the rubric's maximum, their scores to the capped total, which is the score")
    func courseRubric() throws {
        for grade in [
            fullMarks(), sampleGrade(), handMadeGrade(runs: [:]),
            handMadeGrade(runs: [1: run(1, passed: 1, failed: 1, bonusPassed: 2)]),
        ] {
            let results = try gradescopeTests(grade, rubric: .course)
            #expect(abs(sum(results.tests, "max_score") - 20) < 1e-9, "\(grade.student)")
            #expect(abs(results.score - grade.total(cap: 20)) < 1e-9)
            #expect(abs(sum(results.tests, "score") - results.score) < 1e-9)
        }
        // Full marks: 16.5 from the stages, 3.5 of the 4 bonus points count.
        let extras = try gradescopeTests(fullMarks(), rubric: .course).tests.last!
        #expect(extras["name"]?.string?.hasPrefix("Extras · bonus checks") == true)
        #expect(extras["max_score"]?.double == 3.5)
        #expect(extras["score"]?.double == 3.5)
        #expect(extras["output"]?.string?.contains("out of 3.5") == true)
    }

    @Test("the Extras test scores more than its maximum when the bonus makes up for points lost in the stages")
    func extraCredit() throws {
        var grade = fullMarks()
        grade.stages[9].asIs = run(10, passed: 6, failed: 6, bonusPassed: 3)
        grade.score(with: .course)
        let results = try gradescopeTests(grade, rubric: .course)
        #expect(results.score == 18.5)
        let extras = results.tests.last!
        #expect(extras["score"]?.double == 4)
        #expect(extras["status"]?.string == "passed")
        #expect(abs(sum(results.tests, "max_score") - 20) < 1e-9)
        #expect(abs(sum(results.tests, "score") - 18.5) < 1e-9)
        #expect(gradescopeProblems(Reports.json(Reports.gradescope(grade, rubric: .course))) == [])
    }

    @Test("with a rubric without a cap the maxima add up to every point, bonus included")
    func noCap() throws {
        let rubric = try Rubric.parse(Data(#"{"cap": null, "stages": {"2": {"points": 3, "bonus": 1}}}"#.utf8))
        #expect(abs(rubric.maximum - 23.25) < 1e-9)
        for grade in [
            handMadeGrade(runs: [2: run(2, passed: 2, failed: 1, bonusPassed: 1)], rubric: rubric),
            sampleGrade(rubric: rubric),
        ] {
            let results = try gradescopeTests(grade, rubric: rubric)
            #expect(abs(sum(results.tests, "max_score") - rubric.maximum) < 1e-9)
            #expect(abs(sum(results.tests, "score") - results.score) < 1e-9)
            #expect(gradescopeProblems(Reports.json(Reports.gradescope(grade, rubric: rubric))) == [])
        }
    }

    @Test("a rubric whose cap is below the stages' points is refused")
    func capBelowStages() {
        #expect(throws: KitError.self) { try Rubric.parse(Data(#"{"cap": 10}"#.utf8)) }
        #expect(throws: Never.self) { try Rubric.parse(Data(#"{"cap": 16.5}"#.utf8)) }
    }
}

@Suite("grader · checks.csv")
struct ChecksCSVTests {
    @Test("each check: students who attempted its stage, ran it and failed it, and the most common message")
    func counts() throws {
        let wrong = run(1, passed: 1, failed: 2, message: "softmax differs at [0, 1]\nexpected 0.5")
        var other = wrong
        other.checks[1].messages = ["softmax is not implemented yet"]
        let grades = [
            handMadeGrade("a", runs: [1: wrong]), handMadeGrade("b", runs: [1: wrong]),
            handMadeGrade("c", runs: [1: other]),
            handMadeGrade(
                "d",
                runs: [
                    1: StageRun(
                        checks: wrong.checks.map {
                            var check = $0
                            check.status = .passed
                            return check
                        })
                ]),
            handMadeGrade("e", runs: [:]),
        ]
        var compileError = handMadeGrade("f", runs: [:])
        compileError.stages[0].disposition = .compileError(["error"])
        let statistics = Reports.checkStatistics(grades + [compileError])
        #expect(statistics.map(\.name) == ["passing 0", "failing 0", "failing 1"])
        let failing = statistics[1]
        #expect(failing.id == "StageTests.Stage1/failing0()")
        #expect((failing.attempted, failing.ran, failing.failed) == (5, 4, 3))
        #expect(failing.commonMessage! == ("softmax differs at [0, 1]", 2))
        #expect(statistics[0].failed == 0 && statistics[0].commonMessage == nil)

        let csv = Reports.checksCSV(grades + [compileError]).split(separator: "\n")
        #expect(csv[0] == "stage,check,name,kind,attempted,ran,failed,most common message,students with it")
        #expect(csv[2] == "1,StageTests.Stage1/failing0(),failing 0,required,5,4,3,\"softmax differs at [0, 1]\",2")
        #expect(csv.count == 4)
    }

    @Test("a check that crashed or timed out without a message is counted under what stopped it")
    func failureLines() {
        #expect(Reports.failureLine(checkOutcome(1, "x", .crashed)) == "crashed")
        #expect(Reports.failureLine(checkOutcome(1, "x", .timedOut)) == "timed out")
        #expect(Reports.failureLine(checkOutcome(1, "x", .failed, messages: ["  first\nsecond"])) == "first")
    }
}
