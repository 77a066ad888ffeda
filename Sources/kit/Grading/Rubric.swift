import Foundation
import NeuralKit

/// How many points each stage and each check is worth.
///
/// A rubric file is JSON (`kit grade --print-rubric` prints the default one to start from):
///
///     {
///       "cap": 20,
///       "hiddenChecks": "count",
///       "stages": {
///         "2": { "points": 1.25, "bonus": 0,
///                "checks": { "StageTests.Stage02DenseLayer/backwardWorkedExample()":
///                              { "weight": 2, "parts": ["∂L/∂W", "∂L/∂b", "∂L/∂X"] },
///                            "forwardWorkedExample()": 0.5 } }
///       }
///     }
///
/// A stage's points are shared among its required checks in proportion to their
/// weights (1 unless the rubric says otherwise); its bonus points among its bonus
/// checks the same way. A check is named by its stable identifier (suite and
/// function, as in checks.csv), by its function name, or by the name the student sees. A check with `parts` gives partial credit: the stage suites mark
/// each issue of such a check with the part it is about ("(part ∂L/∂W)", see
/// `part(_:_:)` in Tests/StageTests/Support), and the check earns the share of its
/// parts that no issue is marked with (nothing if an issue has no mark, e.g. "not
/// implemented yet"). Stages the file does not list keep the course's points.
struct Rubric: Sendable, Equatable {
    struct CheckWeight: Sendable, Equatable {
        var weight: Double = 1
        var parts: [String] = []
    }

    struct StageRubric: Sendable, Equatable {
        var points: Double
        var bonus: Double
        var checks: [String: CheckWeight] = [:]
    }

    /// What the feedback says about hidden checks.
    enum HiddenChecks: String, Sendable {
        /// How many ran and how many passed, per stage.
        case count
        /// Their names and messages, like the public checks.
        case show
    }

    /// The most a submission can score (bonus included); nil: no cap. Never below the stages' points
    /// (a rubric file with one is refused): it limits only what the bonus adds.
    var cap: Double?
    var stages: [Int: StageRubric]
    var hiddenChecks: HiddenChecks = .count

    /// The points of stage `number` (0 when the rubric does not grade it).
    func stage(_ number: Int) -> StageRubric {
        stages[number] ?? StageRubric(points: 0, bonus: 0)
    }

    /// The most a submission can score: the stages' points and the bonus, capped.
    var maximum: Double {
        let sum = stages.values.reduce(0) { $0 + $1.points + $1.bonus }
        return cap.map { min($0, sum) } ?? sum
    }

    /// Lecture 001's "multilayer neural networks" extras (more activations, a network of any
    /// depth, dropout, new datasets: stages 1, 4, 7 and 8's bonus suites) are worth this much in
    /// all, shared among the stages' bonus suites in proportion to the manifest's `bonusPoints`.
    /// Its "convolutional neural networks" extras, 4 points too, are stage 10's required checks.
    static let extrasPoints = 4.0

    /// The course's rubric: the ten lecture quizzes at 1.25 points spread over
    /// stages 1–9 (stage 9 covers two), stage 10 (the CNN extras) worth 4, the multilayer extras 4,
    /// capped at 20 as lecture 001's table is.
    static let course: Rubric = {
        let bonusTotal = Course.stages.reduce(0) { $0 + $1.bonusPoints }
        var stages: [Int: StageRubric] = [:]
        for stage in Course.stages {
            let bonus = bonusTotal > 0 ? (extrasPoints * stage.bonusPoints / bonusTotal) : 0
            stages[stage.number] = StageRubric(points: stage.points, bonus: (bonus * 1000).rounded() / 1000)
        }
        // Checks that compare several results give credit for each one (their issues are marked by part).
        stages[2]?.checks = [
            "StageTests.Stage02DenseLayer/backwardWorkedExample()": CheckWeight(
                weight: 1, parts: ["∂L/∂W", "∂L/∂b", "∂L/∂X"]),
            "StageTests.Stage02DenseLayer/gradientShapes()": CheckWeight(
                weight: 1, parts: ["∂L/∂W", "∂L/∂b", "∂L/∂X"]),
        ]
        return Rubric(cap: 20, stages: stages)
    }()

    // MARK: Reading and writing

    /// Reads a rubric file; stages it does not list keep `base`'s points.
    static func load(_ url: URL, over base: Rubric = .course) throws -> Rubric {
        let data = try Data(contentsOf: url)
        return try parse(data, over: base, name: url.lastPathComponent)
    }

    static func parse(_ data: Data, over base: Rubric = .course, name: String = "the rubric") throws -> Rubric {
        guard let object = (try? JSONDecoder().decode(JSONValue.self, from: data))?.object else {
            throw KitError("\(name) is not a JSON object (see `swift run kit grade --print-rubric` for the format)")
        }
        var rubric = base
        for key in object.keys where !["cap", "hiddenChecks", "stages", "comment"].contains(key) {
            throw KitError("\(name): unknown key \"\(key)\" (it takes cap, hiddenChecks, stages, comment)")
        }
        if let cap = object["cap"] {
            if cap == .null {
                rubric.cap = nil
            } else {
                guard let value = cap.double, value > 0 else {
                    throw KitError("\(name): \"cap\" must be a positive number or null")
                }
                rubric.cap = value
            }
        }
        if let hidden = object["hiddenChecks"] {
            guard let text = hidden.string, let value = HiddenChecks(rawValue: text) else {
                throw KitError("\(name): \"hiddenChecks\" must be \"count\" or \"show\"")
            }
            rubric.hiddenChecks = value
        }
        if let stages = object["stages"] {
            guard let stages = stages.object else {
                throw KitError("\(name): \"stages\" must be an object keyed by stage number")
            }
            for (key, value) in stages {
                guard let number = Int(key), Course.stage(number) != nil else {
                    throw KitError("\(name): there is no stage \"\(key)\" in the course")
                }
                guard let fields = value.object else { throw KitError("\(name): stage \(key) must be an object") }
                var stage = rubric.stages[number] ?? StageRubric(points: 0, bonus: 0)
                for field in fields.keys where !["points", "bonus", "checks", "comment"].contains(field) {
                    throw KitError("\(name): stage \(key): unknown key \"\(field)\" (it takes points, bonus, checks)")
                }
                if let points = fields["points"] {
                    guard let value = points.double, value >= 0 else {
                        throw KitError("\(name): stage \(key): \"points\" must be a number ≥ 0")
                    }
                    stage.points = value
                }
                if let bonus = fields["bonus"] {
                    guard let value = bonus.double, value >= 0 else {
                        throw KitError("\(name): stage \(key): \"bonus\" must be a number ≥ 0")
                    }
                    stage.bonus = value
                }
                if let checks = fields["checks"] {
                    guard let checks = checks.object else {
                        throw KitError("\(name): stage \(key): \"checks\" must be an object")
                    }
                    stage.checks = [:]
                    for (check, spec) in checks {
                        if let weight = spec.double {
                            guard weight >= 0 else {
                                throw KitError("\(name): check \"\(check)\": the weight must be ≥ 0")
                            }
                            stage.checks[check] = CheckWeight(weight: weight)
                        } else if let spec = spec.object {
                            var entry = CheckWeight()
                            if let weight = spec["weight"] {
                                guard let value = weight.double, value >= 0 else {
                                    throw KitError("\(name): check \"\(check)\": \"weight\" must be a number ≥ 0")
                                }
                                entry.weight = value
                            }
                            if let parts = spec["parts"] {
                                guard let parts = parts.list(of: \.string), !parts.isEmpty else {
                                    throw KitError(
                                        "\(name): check \"\(check)\": \"parts\" must be a list of the parts the check marks its issues with"
                                    )
                                }
                                entry.parts = parts
                            }
                            stage.checks[check] = entry
                        } else {
                            throw KitError(
                                "\(name): check \"\(check)\" must be a weight or {\"weight\": …, \"parts\": […]}")
                        }
                    }
                }
                rubric.stages[number] = stage
            }
        }
        // Below the stages' points, a cap would make some required checks worth nothing to a strong
        // student, and Gradescope's per-test maxima could not add up to it.
        let stagePoints = rubric.stages.values.reduce(0) { $0 + $1.points }
        if let cap = rubric.cap, cap < stagePoints - 1e-9 {
            throw KitError(
                "\(name): \"cap\" (\(cap.points)) is below the stages' points (\(stagePoints.points)); a cap only limits "
                    + "what the bonus adds: raise it, make it null, or lower the stages' points")
        }
        return rubric
    }

    /// The rubric as a JSON file (`Encodable`, below), which `parse` reads back.
    var json: String { String(decoding: Reports.json(self), as: UTF8.self) }

    // MARK: Scoring

    /// The weight of a check, looked up by its stable identifier ("StageTests.Stage02DenseLayer/
    /// backwardWorkedExample()"), its function name, or the name the student sees.
    func weight(of check: CheckOutcome) -> CheckWeight {
        let stage = stage(check.stage)
        return stage.checks[check.stableID] ?? stage.checks[check.functionName] ?? stage.checks[check.name]
            ?? CheckWeight()
    }

    /// The points each of `checks` earns, given that together they share `points`.
    func score(_ checks: [CheckOutcome], sharing points: Double) -> [(maximum: Double, earned: Double)] {
        let weights = checks.map { weight(of: $0) }
        let total = weights.reduce(0) { $0 + $1.weight }
        return zip(checks, weights).map { check, weight in
            let maximum = total > 0 ? points * weight.weight / total : 0
            return (maximum, maximum * Rubric.fraction(check, parts: weight.parts))
        }
    }

    /// The share of a check earned: 1 when it passed; with parts, the share of parts that no issue
    /// is marked with (`PartMarker`: the stage suites mark each issue of a check with parts); 0 when
    /// an issue has no mark, or one the rubric does not list ("not implemented yet", a crash).
    static func fraction(_ check: CheckOutcome, parts: [String]) -> Double {
        if check.passed { return 1 }
        guard !parts.isEmpty, check.status == .failed, !check.messages.isEmpty,
            check.parts.count == check.messages.count
        else { return 0 }
        var failed = Set<String>()
        for part in check.parts {
            guard let part, parts.contains(part) else { return 0 }
            failed.insert(part)
        }
        return Double(parts.count - failed.count) / Double(parts.count)
    }
}

/// A rubric file's shape: `{"cap": 20, "hiddenChecks": "count", "stages": {"2": {"points": 1.25,
/// "bonus": 0, "checks": {"…": 1 or {"weight": 1, "parts": […]}}}}}`. (Reading goes through
/// `Rubric.parse`, which names what is wrong in a file an instructor wrote.)
extension Rubric: Encodable {
    enum CodingKeys: String, CodingKey { case cap, hiddenChecks, stages }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cap, forKey: .cap) // null when there is none
        try container.encode(hiddenChecks.rawValue, forKey: .hiddenChecks)
        try container.encode(
            Dictionary(uniqueKeysWithValues: stages.map { (String($0.key), $0.value) }), forKey: .stages)
    }
}

extension Rubric.StageRubric: Encodable {
    enum CodingKeys: String, CodingKey { case points, bonus, checks }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(points, forKey: .points)
        try container.encode(bonus, forKey: .bonus)
        if !checks.isEmpty { try container.encode(checks, forKey: .checks) }
    }
}

extension Rubric.CheckWeight: Encodable {
    enum CodingKeys: String, CodingKey { case weight, parts }

    /// A plain weight as a number; with parts, `{"weight": …, "parts": […]}`.
    func encode(to encoder: Encoder) throws {
        if parts.isEmpty {
            var container = encoder.singleValueContainer()
            try container.encode(weight)
        } else {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(weight, forKey: .weight)
            try container.encode(parts, forKey: .parts)
        }
    }
}
