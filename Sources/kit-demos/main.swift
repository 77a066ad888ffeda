import Foundation
import KitCommandLine
import NeuralKit

// kit-demos: what `swift run kit run N` runs. It links the student's code
// (the Exercises module), so `kit` itself builds even when a stage does not compile.

#if canImport(Glibc)
import Glibc
// Training makes and frees the same large buffers (a batch, a weight matrix's
// gradient) at every step. glibc gives freed blocks of more than 128 KB back
// to the system, and each new one then costs page faults and zeroing: have it
// keep them for reuse instead, as macOS's allocator does. (`mallopt` is in
// <malloc.h>, which Swift's Glibc module does not include.)
if let symbol = dlsym(nil, "mallopt") {
    let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    _ = mallopt(-3, 32 << 20) // M_MMAP_THRESHOLD: the largest allowed, 32 MB
    _ = mallopt(-1, 1 << 30) // M_TRIM_THRESHOLD
}
#endif

// The words come from `kit` (Commands/Forwarded.swift), which checked them with
// the same declarations (KitCommandLine's ForwardedCommands.swift).
let words = Array(CommandLine.arguments.dropFirst())
let names = CommandDeclaration.forwarded.map(\.name)
guard let name = words.first, let declaration = CommandDeclaration.forwarded.first(where: { $0.name == name }) else {
    let near = words.first.flatMap { Suggestion.closest(to: $0, among: names) }.map { " (did you mean `\($0)`?)" } ?? ""
    let message = "kit-demos: unknown command\(near); use one of \(names.joined(separator: ", "))\n"
    FileHandle.standardError.write(Data(message.utf8))
    exit(ExitStatus.usage)
}
let arguments: Arguments
do {
    arguments = try declaration.parse(Array(words.dropFirst()))
} catch {
    exit(declaration.reportUsageError("\(error)"))
}
if arguments.flag("help") {
    print(declaration.help)
    exit(ExitStatus.success)
}
switch name {
case "shape": exit(runShapeCommand(arguments))
case "summary": exit(runSummaryCommand(arguments))
case "train": exit(TrainCommand.run(arguments))
case "bench": exit(BenchCommand.run(arguments))
default: exit(StageDemos.run(arguments))
}
