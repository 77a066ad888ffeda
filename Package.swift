// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// `NEURALKIT_REFERENCE=1 swift test` is the maintainers' check: it builds the
/// student module from `Solutions/`, so every check runs against the reference
/// (the proof that the autograder can be passed), and it adds the kit's own
/// suites (the core, the docs' numbers, the `kit` command, the grader).
let maintainers = Context.environment["NEURALKIT_REFERENCE"] == "1"

/// Whether this copy has the reference solutions (Solutions/). The student
/// edition (`kit release`) and the grader's copies do not, and say `false`
/// here: their `Solutions` module is built from the stubs, which declare the
/// same API with no answers in it, and the stage suites replay the reference's
/// values from a recording instead (Tests/StageTests/Support/Reference.swift).
/// It is written here, not read from the folder, because SwiftPM caches what a
/// manifest computes by the manifest's text, not by the folders beside it.
/// (`kit release` and the grader find this line by its text.)
let hasReference = true
if maintainers && !hasReference {
    fatalError(
        "NEURALKIT_REFERENCE=1 needs the reference solutions (Solutions/), which this copy of the kit does not have.")
}
/// Code that may run the reference knows when it is only the stubs.
let withoutReference: [SwiftSetting] = hasReference ? [] : [.define("NEURALKIT_NO_REFERENCE")]
/// The edition's recording of the reference for the public seeds (data, not sources).
let recording =
    FileManager.default.fileExists(atPath: Context.packageDirectory + "/Tests/StageTests/Recording")
    ? ["Recording"] : []

/// The core is compiled optimized even in debug builds, so that students'
/// `swift test` runs stay quick while their own code stays debuggable. On
/// x86-64 it also uses the build machine's vector instructions, so that its
/// fused multiply-adds (`addingProduct`) are single instructions rather than
/// calls into the C library. A fused multiply-add is rounded once, as IEEE 754
/// defines it, however it is computed: the numbers stay the same bits on every
/// machine, in debug and release. (ARM64 always has it.)
///
/// A build that will run on other machines than the one that builds it (a
/// Gradescope image) names a processor they all have instead:
/// `NEURALKIT_TARGET_CPU=haswell` (AVX2 and FMA: Intel's processors since 2013's Haswell and AMD's
/// since 2015, though not some later budget Celeron, Pentium and Atom chips).
///
/// SwiftPM does not rebuild when the processor changes: a `.build` folder made on one machine
/// and reused on an older one can stop with "illegal instruction". `swift package clean` fixes that.
#if arch(x86_64)
let targetCPU = Context.environment["NEURALKIT_TARGET_CPU"].flatMap { $0.isEmpty ? nil : $0 } ?? "native"
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-target-cpu", targetCPU])]
#else
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]
#endif

let package = Package(
    name: "NeuralKit",
    products: [
        .library(name: "NeuralKit", targets: ["NeuralKit"]),
        .executable(name: "kit", targets: ["kit"]),
    ],
    targets: [
        // The system zlib (inflate for `.gz` data files): a module map that links
        // `-lz`. Linux: `zlib1g-dev`; macOS: in the SDK.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "NeuralKit", dependencies: ["CZlib"], swiftSettings: optimized),
        // Optimized for maintainers only: there it is the reference, whose plain loops (Conv2D's) the
        // suites, the docs' checks and the recording run many times. A student's code stays debuggable.
        .target(
            name: "Exercises", dependencies: ["NeuralKit"],
            path: maintainers ? "Solutions" : "Exercises", swiftSettings: maintainers ? optimized : []),
        maintainers
            ? .target(name: "Solutions", dependencies: ["Exercises"], path: "Sources/SolutionsShim")
            : hasReference
                ? .target(name: "Solutions", dependencies: ["NeuralKit"], path: "Solutions")
                : .target(
                    name: "Solutions", dependencies: ["NeuralKit"], path: "Sources/kit/Stubs", exclude: ["README.md"]),
        // The command-line layer of `kit` and `kit-demos`: options declared once, typed,
        // with generated help, one exit-status convention, and "did you mean …?".
        .target(name: "KitCommandLine", dependencies: ["NeuralKit"]),
        // The `kit` command does not link the student's code, so that it still
        // runs, and can say which file is wrong, when a stage does not compile.
        // Stubs/ holds the original stubs that `kit reset` puts back.
        .executableTarget(name: "kit", dependencies: ["NeuralKit", "KitCommandLine"], exclude: ["Stubs"]),
        // What `kit` runs on the course code: the stages' demos, training, benchmarks.
        .executableTarget(
            name: "kit-demos", dependencies: ["NeuralKit", "KitCommandLine", "Exercises", "Solutions"] + fastReference,
            path: "Sources/kit-demos", swiftSettings: withoutReference),
        // The stage suites: all a student's `swift test` runs.
        .testTarget(
            name: "StageTests", dependencies: ["NeuralKit", "Exercises", "Solutions"],
            exclude: recording, swiftSettings: withoutReference),
    ] + fastReferenceTargets + (maintainers ? maintainersTests : [])
)

/// The fast versions of the reference's layers and optimizer (im2col convolution, in-place
/// updates) that `kit train` and `kit bench` run, so that Solutions/ can read like a student's
/// answer. Only where the reference is: the student edition has neither.
/// (The grader's copy that records the reference has Solutions/ but not them: there training
/// runs the readable reference.)
var hasFastReference: Bool {
    hasReference && FileManager.default.fileExists(atPath: Context.packageDirectory + "/Sources/FastReference")
}
var fastReferenceTargets: [Target] {
    hasFastReference ? [.target(name: "FastReference", dependencies: ["NeuralKit", "Solutions"])] : []
}
var fastReference: [Target.Dependency] { hasFastReference ? ["FastReference"] : [] }

/// The kit's own suites, for maintainers and CI (`NEURALKIT_REFERENCE=1`): those whose folder is
/// here (the grader records the reference in a copy that has only the stage suites).
var maintainersTests: [Target] {
    [
        .testTarget(name: "NeuralKitTests", dependencies: ["NeuralKit"]),
        // The walkthroughs' numbers and formulas.md, computed with the reference.
        .testTarget(name: "DocsTests", dependencies: ["NeuralKit", "Solutions"]),
        // Runs the `kit` command on a scratch copy of the kit (slow: only with NEURALKIT_KIT_TESTS=1).
        .testTarget(name: "KitTests", dependencies: ["NeuralKit", "TestSupport"]),
        // The instructor's grader (`kit grade`): unit tests always; grading the sample
        // submissions in Tests/GraderFixtures/ (not a target) end to end only with NEURALKIT_GRADER_TESTS=1.
        .testTarget(name: "GraderTests", dependencies: ["kit", "NeuralKit", "TestSupport"]),
        // The command-line layer: parsing, generated help, suggestions, and every command's declaration.
        .testTarget(name: "CommandLineTests", dependencies: ["KitCommandLine", "kit", "NeuralKit"]),
        // The fast versions that `kit train` runs give the reference's values (Sources/FastReference).
        .testTarget(name: "FastReferenceTests", dependencies: ["NeuralKit", "Solutions", "FastReference"]),
        // The notebook's and the report's pages: the Markdown renderer, the page, the output cells.
        .testTarget(name: "NotebookTests", dependencies: ["kit", "NeuralKit", "TestSupport"]),
        // That every stage's folders, stubs, suite, walkthrough, demo and rubric agree with the manifest.
        .testTarget(name: "CourseTests", dependencies: ["kit", "NeuralKit", "TestSupport"]),
        // What the kit's own suites share (the kit's folder, the `kit` executable).
        .target(name: "TestSupport", dependencies: ["NeuralKit"], path: "Tests/TestSupport"),
    ].filter { FileManager.default.fileExists(atPath: Context.packageDirectory + "/Tests/" + $0.name) }
}
