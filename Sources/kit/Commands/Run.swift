import Foundation
import NeuralKit

extension Command {
    static let run = Command(.run) { arguments, kit in
        let stage = try arguments.stage(in: kit)
        guard kit.isAvailable(stage) else {
            print(kit.comingSoon(stage))
            return ExitStatus.failure
        }
        if arguments.flag("reference"), !kit.hasReference {
            throw KitError(
                "--reference: \(Kit.referenceIsInInstructorsEdition). Leave out --reference to run your code.")
        }
        print(kit.terminal.dim("Building the demos with your code… (only what changed)"))
        return try runKitDemos(.run, arguments, kit: kit, checking: stage)
    }
}
