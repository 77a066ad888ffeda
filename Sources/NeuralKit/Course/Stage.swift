/// One stage of the course, as the `kit` command, the grader and the docs
/// index see it. The stages themselves are listed in `Course.stages`.
public struct Stage: Sendable, Identifiable {
    /// 1, 2, … : the order of the course.
    public let number: Int
    /// "Dense layer".
    public let title: String
    /// The stage's folder in `Exercises/` and `Solutions/`: "02-DenseLayer".
    public let folder: String
    /// The file the student edits, in `folder`: "Dense.swift".
    public let file: String
    /// The type name of the stage's suite of checks: "Stage02DenseLayer".
    /// (Its optional bonus suite is `Stage02Bonus`; see `bonusSuite`.)
    public let suite: String
    /// What the student can do after the stage.
    public let goals: [String]
    /// Hints from a nudge to nearly the answer; `kit hint N` shows the next one.
    public let hints: [String]
    /// What the optional bonus checks ask for, or nil when the stage has none.
    public let bonus: String?
    /// Points of the required checks, for the instructor's grader.
    public let points: Double
    /// Points of the bonus checks, scored separately.
    public let bonusPoints: Double
    /// The earlier stages whose code this stage calls.
    public let buildsOn: [Int]
    /// What `kit run N` shows: the "notebook cell" of the walkthrough.
    public let demo: String
    /// False while the stage's text (goals, hints) is a placeholder still to be written.
    public let isWritten: Bool

    public init(number: Int, title: String, folder: String, file: String, suite: String,
                goals: [String], hints: [String], bonus: String? = nil,
                points: Double, bonusPoints: Double = 0, buildsOn: [Int] = [],
                demo: String, isWritten: Bool = true) {
        self.number = number
        self.title = title
        self.folder = folder
        self.file = file
        self.suite = suite
        self.goals = goals
        self.hints = hints
        self.bonus = bonus
        self.points = points
        self.bonusPoints = bonusPoints
        self.buildsOn = buildsOn
        self.demo = demo
        self.isWritten = isWritten
    }

    public var id: Int { number }

    /// "03": stage numbers are written with two digits in folders and suites.
    public var twoDigits: String { number < 10 ? "0\(number)" : "\(number)" }

    /// "Stage03": `swift test --filter Stage03` runs the stage's checks (bonus included).
    public var filter: String { "Stage" + twoDigits }

    /// "Stage03Bonus": the suite of the optional checks.
    public var bonusSuite: String { filter + "Bonus" }

    /// "Exercises/03-Initialization/Initialization.swift", relative to the kit's root.
    public var exercisePath: String { "Exercises/\(folder)/\(file)" }

    /// "Solutions/03-Initialization/Initialization.swift".
    public var solutionPath: String { "Solutions/\(folder)/\(file)" }

    /// "docs/03-initialization.md": the walkthrough (the folder name in kebab case).
    public var walkthroughPath: String {
        var name = ""
        for character in folder {
            if character.isUppercase, let last = name.last, last.isLowercase { name.append("-") }
            name.append(character)
        }
        return "docs/" + name.lowercased() + ".md"
    }

    /// "Stage 3 · Initialization".
    public var heading: String { "Stage \(number) · \(title)" }
}
