import Foundation
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
    _ = mallopt(-3, 32 << 20)   // M_MMAP_THRESHOLD: the largest allowed, 32 MB
    _ = mallopt(-1, 1 << 30)    // M_TRIM_THRESHOLD
}
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "shape": exit(runShapeCommand(Array(arguments.dropFirst())))
case "summary": exit(runSummaryCommand(Array(arguments.dropFirst())))
case "train": exit(TrainCommand.run(Array(arguments.dropFirst())))
case "bench": exit(BenchCommand.run(Array(arguments.dropFirst())))
default: break
}
guard let first = arguments.first, let number = Int(first), let stage = Course.stage(number) else {
    FileHandle.standardError.write(Data("usage: kit-demos <stage> [--dataset NAME] [--reference] [--output DIR] | train | bench | shape | summary\n".utf8))
    exit(2)
}
var options: [String: String] = [:]
var index = 1
while index < arguments.count {
    let word = arguments[index]
    if word == "--dataset", index + 1 < arguments.count { options["dataset"] = arguments[index + 1]; index += 1 }
    if word == "--output", index + 1 < arguments.count { options["output"] = arguments[index + 1]; index += 1 }
    if word == "--reference" { options["reference"] = "yes" }
    index += 1
}
if options["reference"] != nil, !StudentEdition.hasReference {
    FileHandle.standardError.write(Data("error: \(StudentEdition.noReference(instead: "Leave out --reference to run the demo on your code."))\n".utf8))
    exit(1)
}
print(stage.heading + " · demo: " + stage.demo)
print("")
exit(StageDemos.run(stage, options: options))
