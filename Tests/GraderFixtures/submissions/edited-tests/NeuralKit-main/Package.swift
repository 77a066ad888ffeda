// swift-tools-version: 6.0
// A student's edited manifest: the exercises are built from the reference
// solutions, so that every stage would pass. The grader uses its own manifest.
import PackageDescription

let package = Package(
    name: "NeuralKit",
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "NeuralKit", dependencies: ["CZlib"]),
        .target(name: "Exercises", dependencies: ["NeuralKit"], path: "Solutions"),
        .target(name: "Solutions", dependencies: ["Exercises"], path: "Sources/SolutionsShim"),
        .testTarget(name: "StageTests", dependencies: ["NeuralKit", "Exercises", "Solutions"]),
    ]
)
