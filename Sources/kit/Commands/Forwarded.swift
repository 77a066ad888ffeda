import Foundation
import NeuralKit

// Commands that run on the course code (the reference solutions or the
// student's), so `kit` builds `kit-demos` and passes the words on to it. Their
// options are declared once, in KitCommandLine (ForwardedCommands.swift):
// kit checks the words and shows the help, kit-demos parses the same words.

extension Command {
    static let shape = forwarded(.shape)
    static let summary = forwarded(.summary)

    /// A command that `kit-demos` carries out as it is, in a debug build.
    static func forwarded(_ declaration: CommandDeclaration) -> Command {
        Command(declaration) { arguments, kit in
            try runKitDemos(declaration, arguments, kit: kit)
        }
    }
}

/// Builds `kit-demos` in `configuration` (explaining a compile error the way
/// `kit check` does, as a failure of `stage`) and runs `declaration`'s command
/// with `arguments`; returns its exit status.
func runKitDemos(
    _ declaration: CommandDeclaration, _ arguments: Arguments, kit: Kit, configuration: String = "debug",
    checking stage: Stage? = nil
) throws -> Int32 {
    let build = try Shell.capture(["swift", "build", "-c", configuration, "--product", "kit-demos"], in: kit.root)
    if build.status != 0 {
        let failures = CheckRunner.compileFailures(in: build.output, root: kit.root)
        StageCheck(kit: kit).explain(
            failures.isEmpty ? .other(output: build.output) : .compile(failures, output: build.output),
            checking: stage ?? Course.stages[0])
        return ExitStatus.failure
    }
    // kit-demos runs in the kit's folder: paths are made absolute from where kit was started.
    let words = declaration.words(for: arguments, relativeTo: FileManager.default.currentDirectoryPath)
    return try Shell.interactive(
        ["swift", "run", "-c", configuration, "--skip-build", "kit-demos", declaration.name] + words,
        in: kit.root)
}
