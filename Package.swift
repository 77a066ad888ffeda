// swift-tools-version: 6.0
import PackageDescription

/// `NEURALKIT_REFERENCE=1 swift test` builds the student module from
/// `Solutions/`, so every check runs against the reference: the maintainers'
/// proof that the autograder can be passed.
let reference = Context.environment["NEURALKIT_REFERENCE"] == "1"

/// The core is compiled optimized even in debug builds, so that students'
/// `swift test` runs stay quick while their own code stays debuggable.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "NeuralKit",
    products: [
        .library(name: "NeuralKit", targets: ["NeuralKit"]),
        .executable(name: "kit", targets: ["kit"]),
    ],
    targets: [
        .target(name: "NeuralKit", swiftSettings: optimized),
        .target(name: "Exercises", dependencies: ["NeuralKit"],
                path: reference ? "Solutions" : "Exercises"),
        reference
            ? .target(name: "Solutions", dependencies: ["Exercises"], path: "Sources/SolutionsShim")
            : .target(name: "Solutions", dependencies: ["NeuralKit"], path: "Solutions"),
        .executableTarget(name: "kit", dependencies: ["NeuralKit", "Exercises", "Solutions"]),
        .testTarget(name: "StageTests", dependencies: ["NeuralKit", "Exercises", "Solutions"]),
        .testTarget(name: "NeuralKitTests", dependencies: ["NeuralKit"]),
    ]
)
