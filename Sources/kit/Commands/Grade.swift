import Foundation
import NeuralKit

extension Command {
    static let grade = Command(
        name: "grade", summary: "Instructors: grade a folder of submissions (or one, in a Gradescope container).",
        details: """
            Grades every submission in DIR (one folder per student, holding their Exercises/ folder \
            or a whole copy of the kit, of which only the stage files are taken) in a grading copy of \
            this kit, and writes grades.csv, checks.csv (each check's failures across the class), \
            feedback/<student>.md, results/<student>/results.json \
            (Gradescope's format) and run.json (the salt and settings, to reproduce the run) to the \
            output folder. With --gradescope, grades /autograder/submission into \
            /autograder/results/results.json. See docs/instructors.md.

            Examples:
              swift run kit grade --submissions DIR --out DIR
              swift run kit grade --submissions DIR --out DIR --rubric rubric.json --jobs 2
              swift run kit grade --gradescope
            """,
        options: [
            Option("submissions", .path, "DIR", help: "one folder per student"),
            Option("out", .path, "DIR", help: "where the grades, feedback and results go"),
            Option("rubric", .path, "FILE", help: "points per stage and check (JSON; default: the course's)"),
            Option("hidden-tests", .path, "DIR", help: "extra suites, added to the grading copy only"),
            Option("timeout", .number, "SECONDS", help: "limit of one run of a stage's checks", default: "60"),
            Option(
                "salt", .text, "TEXT",
                help: "the secret mixed into the checks' inputs (default: random, recorded in run.json)"),
            Option(
                "work", .path, "DIR", help: "the grading copy, kept warm between runs", default: ".build-grader/worker"),
            Option(
                "jobs", .integer, "N",
                help: "grade N submissions at once, each in its own grading copy (DIR, DIR-2, …)",
                default: "1"),
            .flag(
                "no-sandbox",
                help: "grade without the OS sandbox (bubblewrap), where there is none: see docs/instructors.md"),
            .flag(
                "check-sandbox", help: "only say whether student code can be sandboxed here (exit 0) or not (exit 1)"),
            .flag("gradescope", help: "grade /autograder/submission into /autograder/results/results.json"),
            .flag(
                "require-report",
                help: "score 0 when a submission has no written report (report.md or report.pdf), as lecture 001 rules"),
            .flag("warm-up", help: "only build the grading copy and the one that records the reference (for setup.sh)"),
            .flag("print-rubric", help: "print the rubric (default or --rubric) as JSON, to edit"),
            Option("expect", .path, "FILE", help: "compare with the expected scores (the grader's own tests)"),
            .flag("verbose", help: "say what is being built and run"),
        ],
        maximumPositionals: 0,
        // Grading needs the reference: the student edition does not list it.
        hidden: (try? Kit.locate())?.hasReference != true
    ) { arguments, kit in
        var command = GradeCommand(arguments: arguments, kit: kit)
        return try command.run()
    }
}

struct GradeCommand {
    let arguments: Arguments
    let kit: Kit
    /// What run.json says of the sandbox.
    var sandboxDescription = ""
    var terminal: Terminal { kit.terminal }

    mutating func run() throws -> Int32 {
        var rubric = Rubric.course
        if let path = arguments.options["rubric"] { rubric = try Rubric.load(URL(fileURLWithPath: path)) }
        if arguments.flag("print-rubric") {
            print(rubric.json)
            return 0
        }
        var timeout = 60.0
        if let text = arguments.options["timeout"] {
            guard let value = Double(text), value > 0 else {
                throw UsageError("--timeout needs a number of seconds, not \"\(text)\"")
            }
            timeout = value
        }
        let hidden = arguments.options["hidden-tests"].map { URL(fileURLWithPath: $0).standardizedFileURL }
        if let hidden, !FileManager.default.fileExists(atPath: hidden.path) {
            throw UsageError("there is no folder \(hidden.path) (--hidden-tests)")
        }
        let work =
            arguments.options["work"].map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? kit.url(".build-grader/worker")
        let salt = arguments.options["salt"] ?? GradeCommand.randomSalt()
        guard !salt.isEmpty else {
            throw UsageError("--salt needs some text: an empty salt would grade with the public seeds")
        }
        var jobs = 1
        if let text = arguments.options["jobs"] {
            guard let value = Int(text), (1...64).contains(value) else {
                throw UsageError("--jobs needs a number from 1 to 64, not \"\(text)\"")
            }
            jobs = value
        }
        if arguments.flag("gradescope") { jobs = 1 }

        if arguments.flag("check-sandbox") {
            switch Sandbox.detect() {
            case .success(let sandbox):
                print("Sandbox: \(sandbox.description).")
                return 0
            case .failure(let unavailable):
                print("No sandbox: \(unavailable.reason).")
                return 1
            }
        }
        // Every process that builds or runs student code is sandboxed, or the instructor says not to.
        var sandboxes: [Sandbox?] = []
        if arguments.flag("no-sandbox") {
            sandboxes = Array(repeating: nil, count: jobs)
            printError(
                "kit grade: grading WITHOUT a sandbox (--no-sandbox): student code runs as \(NSUserName()) and can read "
                    + "and write what that user can. Use this only where each submission is isolated otherwise (Gradescope's container)."
            )
        } else {
            for job in 0..<jobs {
                switch Sandbox.detect(job: job) {
                case .success(let sandbox): sandboxes.append(sandbox)
                case .failure(let unavailable):
                    throw KitError(
                        "no sandbox for student code: \(unavailable.reason).\nInstall bubblewrap, or grade with "
                            + "--no-sandbox where each submission is isolated otherwise (a Gradescope container); see docs/instructors.md."
                    )
                }
            }
        }
        sandboxDescription = sandboxes.first??.description ?? "none (--no-sandbox)"

        var graders: [Grader] = []
        for job in 0..<jobs {
            let root = job == 0 ? work : URL(fileURLWithPath: work.path + "-\(job + 1)")
            try WorkLock.acquire(root)
            var workspace = GradingWorkspace(instructor: kit, root: root, hiddenTests: hidden)
            workspace.sandbox = sandboxes[job]
            var grader = try Grader(workspace: workspace, rubric: rubric, salt: salt, timeout: timeout)
            grader.requiresReport = arguments.flag("require-report")
            if arguments.flag("verbose") {
                let prefix = jobs == 1 ? "" : "[\(job + 1)] "
                grader.log = { print(Terminal.standard.dim(prefix + $0)) }
            }
            graders.append(grader)
        }
        var grader = graders[0]

        if arguments.flag("warm-up") {
            let copies =
                jobs == 1
                ? "the grading copy in \(work.path)"
                : "the grading copies \(work.path) and " + (2...jobs).map { "-\($0)" }.joined(separator: ", ")
            print("Building \(copies), and the copy that records the reference beside it…")
            let started = Date()
            try grader.warmUp()
            for other in graders.dropFirst() { try other.warmUpGradingCopy() }
            print("Ready (\(Reports.duration(Date().timeIntervalSince(started)))).")
            return 0
        }
        print("Sandbox: \(sandboxDescription).")
        if arguments.flag("gradescope") {
            // The salt goes to stdout, which Gradescope shows to instructors only.
            print("Grading with salt \(grader.salt), timeout \(Int(grader.timeout)) s")
            let recorded = try grader.recordReference()
            print("Recorded the reference for this salt (\(Reports.duration(recorded))).")
            return try gradescope(grader)
        }
        guard let submissions = arguments.options["submissions"], let out = arguments.options["out"] else {
            throw UsageError("give --submissions DIR and --out DIR (or --gradescope)")
        }
        return try batch(
            &grader, others: Array(graders.dropFirst()),
            submissions: URL(fileURLWithPath: submissions).standardizedFileURL,
            out: URL(fileURLWithPath: out).standardizedFileURL)
    }

    /// A salt from the kit's generator seeded by the time and the process: 16 hex digits.
    static func randomSalt() -> String {
        let seed = UInt64(Date().timeIntervalSince1970 * 1_000_000) ^ (UInt64(getpid()) << 40)
        var generator = SeededGenerator(seed: seed)
        _ = generator.next()
        let value = generator.next()
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A student's folder name, safe as a file name.
    static func safeName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+")
        let cleaned = String(name.map { allowed.contains($0) ? $0 : "_" })
        return cleaned.hasPrefix(".") ? "_" + cleaned.dropFirst() : (cleaned.isEmpty ? "_" : cleaned)
    }

    // MARK: Gradescope

    func gradescope(_ grader: Grader) throws -> Int32 {
        let submission = URL(fileURLWithPath: arguments.options["submissions"] ?? "/autograder/submission")
        let out = URL(fileURLWithPath: arguments.options["out"] ?? "/autograder/results")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        print("Grading \(submission.path)")
        let grade = grader.grade(student: "submission", submission: submission)
        try Reports.json(Reports.gradescope(grade, rubric: grader.rubric)).write(
            to: out.appendingPathComponent("results.json"))
        print(Reports.feedback(grade, rubric: grader.rubric))
        print(
            "Wrote \(out.appendingPathComponent("results.json").path): \(grade.total(cap: grader.rubric.cap).points) points, "
                + "\(grade.status), \(Int(grade.seconds.rounded())) s.")
        return 0
    }

    // MARK: A class

    func batch(_ grader: inout Grader, others: [Grader], submissions: URL, out: URL) throws -> Int32 {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: submissions.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("there is no folder \(submissions.path) (--submissions)")
        }
        let students = try fileManager.contentsOfDirectory(atPath: submissions.path).filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".")
                && fileManager.fileExists(atPath: submissions.appendingPathComponent(name).path, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
        guard !students.isEmpty else {
            throw KitError("\(submissions.path) holds no submission folders (one folder per student)")
        }
        for folder in ["feedback", "results"] {
            try fileManager.createDirectory(at: out.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let rubric = grader.rubric
        try writeRunRecord(grader, submissions: submissions, out: out, students: students, grades: [])
        print(
            "Grading \(students.count) submission\(students.count == 1 ? "" : "s") from \(submissions.path) "
                + "(grading copy: \(grader.workspace.root.path); salt recorded in \(out.path)/run.json)")

        let recorded = try grader.recordReference()
        print(
            "Recorded the reference's values for this salt\(grader.workspace.hiddenTests == nil ? "" : " and the hidden suites") "
                + "in a copy of the kit without student code, and checked that they answer every check "
                + "(\(Reports.duration(recorded))).")
        let started = Date()
        var graders = [grader]
        for var other in others {
            other.share(from: grader)
            graders.append(other)
        }
        // The other jobs' copies are built before the first submission, side by side.
        let warm = DispatchGroup()
        let warmUpFailure = ErrorBox()
        for other in others {
            warm.enter()
            Thread {
                do { try other.warmUpGradingCopy() } catch { warmUpFailure.keep(error) }
                warm.leave()
            }.start()
        }
        warm.wait()
        if let error = warmUpFailure.error { throw error }
        let queue = GradingQueue(students: students)
        // One thread per job: each grades the next submission in its own grading copy. Results are
        // written in the students' order, so that the files are the same for any number of jobs.
        let finishedAll = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        let jobs = graders.count
        for jobGrader in graders {
            let thread = Thread { [self] in
                defer { finishedAll.signal() }
                while let index = queue.take() {
                    if jobs == 1 { progress(index, of: students.count, students[index], started: started) }
                    var grade = jobGrader.grade(
                        student: students[index], submission: submissions.appendingPathComponent(students[index]))
                    grade = SubmissionGrade(
                        student: GradeCommand.safeName(grade.student), stages: grade.stages,
                        ignoredFiles: grade.ignoredFiles, hiddenTestsUsed: grade.hiddenTestsUsed,
                        seconds: grade.seconds, internalError: grade.internalError, missingReport: grade.missingReport)
                    grade.score(with: rubric)
                    do {
                        try queue.finish(index, grade) { grades, done in
                            try write(grade, finished: grades, out: out, rubric: rubric)
                            finished(done - 1, of: students.count, grade, rubric: rubric, started: started)
                        }
                    } catch {
                        failure.keep(error)
                        queue.stop()
                    }
                }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        for _ in graders { finishedAll.wait() }
        if let error = failure.error { throw error }
        let grades = queue.grades
        try writeRunRecord(grader, submissions: submissions, out: out, students: students, grades: grades)
        print("")
        print(Reports.summary(grades, rubric: rubric, seconds: Date().timeIntervalSince(started), terminal: terminal))
        print("")
        print("Wrote \(out.path)/grades.csv, checks.csv, feedback/, results/ and run.json.")
        if let expected = arguments.options["expect"] {
            return try compare(grades, with: URL(fileURLWithPath: expected), rubric: rubric) ? 0 : 1
        }
        return 0
    }

    /// Writes a submission's feedback and results.json, and grades.csv with every submission graded
    /// so far, in the students' order. Written as it goes: an interrupted run still leaves every finished submission's files.
    private func write(_ grade: SubmissionGrade, finished grades: [SubmissionGrade], out: URL, rubric: Rubric) throws {
        var rows = [Reports.csvHeader(), Reports.csvMaximumRow(rubric: rubric)]
        rows += grades.map { Reports.csvRow($0, rubric: rubric) }
        let name = grade.student
        try Data(Reports.feedback(grade, rubric: rubric).utf8).write(
            to: out.appendingPathComponent("feedback/\(name).md"))
        let results = out.appendingPathComponent("results/\(name)")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        try Reports.json(Reports.gradescope(grade, rubric: rubric)).write(
            to: results.appendingPathComponent("results.json"))
        try Data(Reports.csv(rows).utf8).write(to: out.appendingPathComponent("grades.csv"))
        try Data(Reports.checksCSV(grades).utf8).write(to: out.appendingPathComponent("checks.csv"))
    }

    private func progress(_ index: Int, of count: Int, _ student: String, started: Date) {
        let bar = terminal.bar(Double(index) / Double(count), width: 20)
        let line = "\(bar) \(index + 1)/\(count) \(student)…"
        if terminal.colour && !arguments.flag("verbose") {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line).utf8))
        } else {
            print(line)
        }
    }

    private func finished(_ index: Int, of count: Int, _ grade: SubmissionGrade, rubric: Rubric, started: Date) {
        let elapsed = Date().timeIntervalSince(started)
        let remaining = elapsed / Double(index + 1) * Double(count - index - 1)
        let line =
            "  \(grade.student): \(grade.total(cap: rubric.cap).points) (\(grade.status), \(Int(grade.seconds.rounded())) s)"
            + (index + 1 < count ? terminal.dim(" · about \(Reports.duration(remaining)) left") : "")
        if terminal.colour && !arguments.flag("verbose") {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line + "\n").utf8))
        } else {
            print(line)
        }
    }

    /// run.json: what is needed to grade the same way again.
    private func writeRunRecord(
        _ grader: Grader, submissions: URL, out: URL, students: [String], grades: [SubmissionGrade]
    ) throws {
        var commit: String?
        if let result = try? Shell.capture(["git", "rev-parse", "HEAD"], in: kit.root), result.status == 0 {
            commit = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let reproduce =
            "swift run kit grade --submissions \(submissions.path) --out OUT --salt \(grader.salt)"
            + (arguments.options["rubric"].map { " --rubric \($0)" } ?? "")
            + (grader.workspace.hiddenTests.map { " --hidden-tests \($0.path)" } ?? "")
            + " --timeout \(Int(grader.timeout))" + (arguments.flag("no-sandbox") ? " --no-sandbox" : "")
        let record = RunRecord(
            date: ISO8601DateFormatter().string(from: Date()), salt: grader.salt, timeout: grader.timeout,
            submissions: submissions.path, hiddenTests: grader.workspace.hiddenTests?.path, rubric: grader.rubric,
            kit: kit.root.path, kitCommit: commit, students: students.count, sandbox: sandboxDescription,
            jobs: Int(arguments.options["jobs"] ?? "1") ?? 1,
            hangLimit: "a submission's checks may spend at most \(Int(Grader.hangLimit)) × the timeout not finishing",
            reproduce: reproduce,
            seconds: grades.isEmpty
                ? nil
                : Dictionary(uniqueKeysWithValues: grades.map { ($0.student, ($0.seconds * 10).rounded() / 10) }))
        try Reports.json(record).write(to: out.appendingPathComponent("run.json"))
    }

    // MARK: The grader's own tests

    /// Compares with a file of expected scores:
    /// `{"submissions": {"name": {"stages": {"2": 1.25}, "bonus": 0, "total": 3.75, "status": "ok"}}}`.
    /// Listed stages, bonus, total and status must match (points within 0.01).
    func compare(_ grades: [SubmissionGrade], with url: URL, rubric: Rubric) throws -> Bool {
        let expected = try JSONFiles.decode(
            ExpectedScoresFile.self, from: Data(contentsOf: url), name: url.path,
            format: "it must be {\"submissions\": {name: {stages, bonus, total, status}}}"
        ).submissions
        var problems: [String] = []
        for grade in grades {
            guard let expectation = expected[grade.student] else {
                problems.append("\(grade.student): no expected scores in \(url.lastPathComponent)")
                continue
            }
            func differs(_ actual: Double, _ wanted: Double?) -> Bool {
                guard let wanted else { return false }
                // The expected scores have four decimals.
                return abs(actual - wanted) > 0.0005
            }
            for (key, wanted) in expectation.stages ?? [:] {
                let actual = grade.stages.first { String($0.stage.number) == key }?.points ?? 0
                if differs(actual, wanted) {
                    problems.append("\(grade.student): stage \(key) scored \(actual.points), expected \(wanted.points)")
                }
            }
            if let bonus = expectation.bonus, differs(grade.bonus, bonus) {
                problems.append("\(grade.student): bonus \(grade.bonus.points), expected \(bonus.points)")
            }
            if let total = expectation.total, differs(grade.total(cap: rubric.cap), total) {
                problems.append(
                    "\(grade.student): total \(grade.total(cap: rubric.cap).points), expected \(total.points)")
            }
            if let status = expectation.status, grade.status != status {
                problems.append("\(grade.student): status \"\(grade.status)\", expected \"\(status)\"")
            }
        }
        for name in expected.keys where !grades.contains(where: { $0.student == name }) {
            problems.append("\(name): expected, but there is no such submission")
        }
        print("")
        if problems.isEmpty {
            print(
                terminal.green(
                    "\(terminal.pass) Every submission scored as \(url.lastPathComponent) expects (\(grades.count))."))
            return true
        }
        print(
            terminal.red(
                "\(terminal.fail) \(problems.count) difference\(problems.count == 1 ? "" : "s") from \(url.lastPathComponent):"
            ))
        for problem in problems { print("  " + problem) }
        return false
    }
}

/// A file of expected scores (`kit grade --expect`), e.g. Tests/GraderFixtures/expected.json.
struct ExpectedScoresFile: Codable {
    var submissions: [String: ExpectedScores]
}

/// What one submission must score: the stages listed (by number), bonus, total and status; what is left out is not compared.
struct ExpectedScores: Codable {
    var stages: [String: Double]?
    var bonus: Double?
    var total: Double?
    var status: String?
}

/// The submissions of a batch, handed to the jobs one at a time, and their grades, kept in the
/// students' order whatever order the jobs finish in.
final class GradingQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var next = 0
    private var stopped = false
    private var results: [SubmissionGrade?]

    init(students: [String]) {
        count = students.count
        results = Array(repeating: nil, count: students.count)
    }

    /// The index of the next submission to grade, or nil when there is none (or the batch stopped).
    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Keeps a grade, and runs `report` with every grade so far (in order) and how many there are,
    /// one job at a time.
    func finish(_ index: Int, _ grade: SubmissionGrade, report: ([SubmissionGrade], Int) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        results[index] = grade
        let finished = results.compactMap { $0 }
        try report(finished, finished.count)
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    /// Every grade, in the students' order.
    var grades: [SubmissionGrade] {
        lock.lock()
        defer { lock.unlock() }
        return results.compactMap { $0 }
    }
}

/// The first error of the jobs of a batch.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?

    func keep(_ error: Error) {
        lock.lock()
        if first == nil { first = error }
        lock.unlock()
    }

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }
}

/// run.json: the settings of a grading run, to grade the same way again, and the time each
/// submission took.
struct RunRecord: Encodable {
    let date: String
    let salt: String
    let timeout: Double
    let submissions: String
    let hiddenTests: String?
    let rubric: Rubric
    let kit: String
    let kitCommit: String?
    let students: Int
    /// "bubblewrap (/usr/bin/bwrap), as user 64000 (setpriv, inside)", or "none (--no-sandbox)".
    let sandbox: String
    let jobs: Int
    let hangLimit: String
    let reproduce: String
    /// Seconds per student, once graded.
    let seconds: [String: Double]?

    /// Absent values are written as null, so that every run.json has the same keys.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(date, forKey: .date)
        try container.encode(salt, forKey: .salt)
        try container.encode(timeout, forKey: .timeout)
        try container.encode(submissions, forKey: .submissions)
        try container.encode(hiddenTests, forKey: .hiddenTests)
        try container.encode(rubric, forKey: .rubric)
        try container.encode(kit, forKey: .kit)
        try container.encode(kitCommit, forKey: .kitCommit)
        try container.encode(students, forKey: .students)
        try container.encode(sandbox, forKey: .sandbox)
        try container.encode(jobs, forKey: .jobs)
        try container.encode(hangLimit, forKey: .hangLimit)
        try container.encode(reproduce, forKey: .reproduce)
        try container.encodeIfPresent(seconds, forKey: .seconds)
    }

    enum CodingKeys: String, CodingKey {
        case date, salt, timeout, submissions, hiddenTests, rubric, kit, kitCommit, students, sandbox, jobs, hangLimit,
            reproduce, seconds
    }
}
