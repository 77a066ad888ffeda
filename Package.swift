// swift-tools-version: 6.0
import PackageDescription

/// `NEURALKIT_REFERENCE=1 swift test` builds the student module from
/// `Solutions/`, so every check runs against the reference: the maintainers'
/// proof that the autograder can be passed.
let reference = Context.environment["NEURALKIT_REFERENCE"] == "1"

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
        .target(name: "Exercises", dependencies: ["NeuralKit"],
                path: reference ? "Solutions" : "Exercises"),
        reference
            ? .target(name: "Solutions", dependencies: ["Exercises"], path: "Sources/SolutionsShim")
            : .target(name: "Solutions", dependencies: ["NeuralKit"], path: "Solutions"),
        // The `kit` command does not link the student's code, so that it still
        // runs, and can say which file is wrong, when a stage does not compile.
        // Stubs/ holds the original stubs that `kit reset` puts back.
        .executableTarget(name: "kit", dependencies: ["NeuralKit"], exclude: ["Stubs"]),
        // What `kit` runs on the course code: the stages' demos, training, benchmarks.
        .executableTarget(name: "kit-demos", dependencies: ["NeuralKit", "Exercises", "Solutions"],
                          path: "Sources/kit-demos"),
        .testTarget(name: "StageTests", dependencies: ["NeuralKit", "Exercises", "Solutions"]),
        .testTarget(name: "NeuralKitTests", dependencies: ["NeuralKit"]),
        // Runs the `kit` command on a scratch copy of the kit (slow: only with NEURALKIT_KIT_TESTS=1).
        .testTarget(name: "KitTests", dependencies: ["NeuralKit"]),
        // The instructor's grader (`kit grade`): unit tests always; grading the sample
        // submissions in Tests/GraderFixtures/ (not a target) end to end only with NEURALKIT_GRADER_TESTS=1.
        .testTarget(name: "GraderTests", dependencies: ["kit", "NeuralKit"]),
    ]
)
