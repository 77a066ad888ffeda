import NeuralKit
import Testing

@testable import kit

@Suite("kit solution · what it says before the reference")
struct SolutionGateTests {
    let stage = Course.stage(1)!

    @Test("the checks in one line: how many pass, or that the stage passes")
    func summary() {
        let failing = StageResult(passed: 7, total: 9, bonusPassed: 0, bonusTotal: 5)
        #expect(SolutionGate.summary(stage, failing) == "Stage 1: 7/9 checks pass.")
        let done = StageResult(passed: 9, total: 9, bonusPassed: 0, bonusTotal: 5)
        #expect(SolutionGate.summary(stage, done) == "Stage 1 passes: 9/9 checks.")
    }

    @Test("the advice follows the hints seen: the first hint, the next one, then the walkthrough and no hint")
    func adviceByHintsSeen() {
        let count = stage.hints.count
        let walkthrough = "docs/01-activations.md"
        let none = SolutionGate.advice(stage, hintsSeen: 0, walkthrough: walkthrough)
        #expect(none.contains("try `swift run kit hint 1` first (\(count) hints"), "\(none)")
        let some = SolutionGate.advice(stage, hintsSeen: 1, walkthrough: walkthrough)
        #expect(some.contains("you have seen hint 1 of \(count); `swift run kit hint 1` gives the next"), "\(some)")
        for seen in [count, count + 1] {
            let all = SolutionGate.advice(stage, hintsSeen: seen, walkthrough: walkthrough)
            #expect(all.contains("you have seen all \(count) hints; the walkthrough, \(walkthrough)"), "\(all)")
            #expect(!all.contains("kit hint"), "no hint is left to try: \(all)")
        }
    }
}
