import Foundation
import NeuralKit

extension Command {
    static let train = Command(.train) { arguments, kit in
        try TrainingRunner.run(.train, arguments, kit: kit)
    }
}

/// Builds `kit-demos` (which links the course code) and runs its `train` or
/// `bench` command, in the configuration kit itself was built in: release when
/// started with `swift run -c release kit ...`, debug otherwise.
enum TrainingRunner {
    static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    static func run(_ declaration: CommandDeclaration, _ arguments: Arguments, kit: Kit) throws -> Int32 {
        if configuration == "debug" {
            printError(
                kit.terminal.dim(
                    "A debug build: training is several times slower. "
                        + "For full speed: swift run -c release kit \(declaration.name) …"))
        }
        printError(kit.terminal.dim("Building the training code (\(configuration))… (only what changed)"))
        return try runKitDemos(
            declaration, arguments, kit: kit, configuration: configuration,
            checking: Course.stage(9))
    }
}
