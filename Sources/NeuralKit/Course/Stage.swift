/// One stage of the course, as the `kit` command, the grader and the docs
/// index see it. The stages themselves are listed in `Course.stages`.
public struct Stage: Sendable, Identifiable {
    /// 1, 2, … : the order of the course.
    public let number: Int
    /// "Dense layer".
    public let title: String
    /// The stage's folder in `Exercises/` and `Solutions/`: "02-DenseLayer".
    public let folder: String
    /// The files the student edits, in `folder`, in the order the walkthrough teaches them:
    /// ["Dense.swift"]; stage 10 has seven. The stubs, their pristine copies and the
    /// reference have exactly these files (`kit validate` checks it).
    public let files: [String]
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

    public init(
        number: Int, title: String, folder: String, files: [String],
        goals: [String], hints: [String], bonus: String? = nil,
        points: Double, bonusPoints: Double = 0, buildsOn: [Int] = [],
        demo: String, isWritten: Bool = true
    ) {
        self.number = number
        self.title = title
        self.folder = folder
        self.files = files
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

    /// "Stage03": `swift test --filter Stage03` runs the stage's required checks, and only those.
    public var filter: String { "Stage" + twoDigits }

    /// "Bonus03": `swift test --filter Bonus03` runs the stage's optional bonus checks. (Not "Stage03Bonus",
    /// which `filter` would match: the required checks' command would run the bonus too.)
    public var bonusFilter: String { "Bonus" + twoDigits }

    /// The type name of the stage's suite of checks, from the folder: "02-DenseLayer" → "Stage02DenseLayer".
    public var suite: String { "Stage" + folder.filter { $0 != "-" } }

    /// The type name of the stage's optional bonus suite, when it has one: "Bonus04TwoLayerNetwork".
    public var bonusSuite: String { "Bonus" + folder.filter { $0 != "-" } }

    /// "Exercises/03-Initialization/Initialization.swift" for each of `files`, relative to the kit's root.
    public var exercisePaths: [String] { files.map { "Exercises/\(folder)/\($0)" } }

    /// "Solutions/03-Initialization/Initialization.swift" for each of `files`.
    public var solutionPaths: [String] { files.map { "Solutions/\(folder)/\($0)" } }

    /// What the student edits: the one file, "Exercises/03-Initialization/Initialization.swift",
    /// or the folder of a stage of several files, "Exercises/10-ConvolutionalNetwork/".
    public var exerciseLocation: String { files.count == 1 ? exercisePaths[0] : "Exercises/\(folder)/" }

    /// Where to start: `exerciseLocation`, and for a stage of several files the first one,
    /// "Exercises/10-ConvolutionalNetwork/ (7 files; start with ShapeArithmetic.swift)".
    public var exerciseDescription: String {
        guard files.count > 1, let first = files.first else { return exerciseLocation }
        return "\(exerciseLocation) (\(files.count) files; start with \(first))"
    }

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
