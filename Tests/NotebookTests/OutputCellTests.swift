import Foundation
import NeuralKit
import Testing

@testable import kit

@Suite("The notebook's output cells")
struct OutputCellTests {
    let stage = Course.stages[0]
    let name = "softmax of [1, 2, 3], step by step"

    func run(_ check: CheckResult, values: [ComparedValue] = []) -> NotebookEvidence {
        var run = CheckRun(checks: [check])
        run.comparedValues = values
        return .ran(run)
    }

    func check(issues: [String] = [], ended: Bool = true) -> CheckResult {
        var check = CheckResult(
            id: "StageTests.Stage01WorkedExamples/softmaxStepByStep()", name: name, stage: 1, isBonus: false, line: 1)
        check.started = true
        check.ended = ended
        check.issues = issues
        return check
    }

    func value(_ name: String, _ yours: String, _ passed: Bool) -> ComparedValue {
        ComparedValue(check: self.name, name: name, yours: yours, expected: "[[0.09, 0.2447, 0.6652]]", passed: passed)
    }

    @Test("a passing check shows ✓ and the computed values beside the expected ones")
    func passing() {
        let html = OutputCell(
            checkName: name, stage: stage,
            evidence: run(check(), values: [value("softmax([1, 2, 3])", "[[0.09, 0.2447, 0.6652]]", true)])
        ).html
        #expect(html.contains("data-verdict=\"✓ matches\""))
        #expect(html.contains("<code>softmax([1, 2, 3])</code>"))
        #expect(html.contains("class=\"cell pass\""))
    }

    @Test("a failing check shows ✗, the row that differs and the kit's diagnostic, escaped")
    func failing() {
        let html = OutputCell(
            checkName: name, stage: stage,
            evidence: run(
                check(issues: ["softmax([1, 2, 3]) has nan at [0, 0]: subtract each row's maximum <before> exp"]),
                values: [value("softmax([1, 2, 3])", "[[nan, nan, nan]]", false)])
        ).html
        #expect(html.contains("data-verdict=\"✗ differs\""))
        #expect(html.contains("<span class=\"bad\">✗</span> <code>softmax([1, 2, 3])</code>"))
        #expect(html.contains("[[nan, nan, nan]]"))
        #expect(html.contains("subtract each row&apos;s maximum &lt;before&gt; exp"))
    }

    @Test("an unwritten stub reads 'not implemented yet', a build that failed 'not run', a crash 'stopped'")
    func pending() {
        let stub = OutputCell(
            checkName: name, stage: stage,
            evidence: run(
                check(issues: ["`softmax` is not implemented yet (Exercises/01-Activations/Activations.swift)."]))
        ).html
        #expect(stub.contains("data-verdict=\"✗ not implemented yet\""))
        #expect(stub.contains("`softmax` is not implemented yet"))
        let notBuilt = OutputCell(checkName: name, stage: stage, evidence: .notBuilt("Not run: X does not compile."))
            .html
        #expect(notBuilt.contains("data-verdict=\"not run\"") && notBuilt.contains("X does not compile"))
        let crashed = OutputCell(checkName: name, stage: stage, evidence: run(check(ended: false))).html
        #expect(crashed.contains("data-verdict=\"✗ stopped\""))
    }

    @Test("a marker naming no check that ran says the walkthrough and the suite disagree")
    func unknownCheck() {
        let html = OutputCell(checkName: "no such check", stage: stage, evidence: run(check())).html
        #expect(html.contains("data-verdict=\"not run\"") && html.contains("the walkthrough and the suite disagree"))
    }

    @Test("a check over several seeds shows each comparison once, the first that differed if any")
    func rowsOncePerName() {
        let rows = OutputCell.rows([
            value("dx", "[1]", true), value("dx", "[2]", false), value("dx", "[3]", false), value("dW", "[4]", true),
        ])
        #expect(rows.map(\.name) == ["dx", "dW"])
        #expect(rows[0].yours == "[2]" && !rows[0].passed)
    }

    @Test(
        "tensors are written as a reader would: rows on their own lines, an image of a batch as its matrix, a large one by its shape"
    )
    func describingTensors() {
        #expect(ComparedValue.describe(Tensor([[1, 2], [3, 4.5]])) == "[[1, 2],\n [3, 4.5]]")
        #expect(ComparedValue.describe(Tensor([1, 2, 3])) == "[1, 2, 3]")
        #expect(
            ComparedValue.describe(Tensor(shape: [1, 1, 2, 2], scalars: [-5, -4, 0, 8]))
                == "shape [1, 1, 2, 2]:\n[[-5, -4],\n [0, 8]]")
        #expect(
            ComparedValue.describe(Tensor(shape: [3, 1, 1, 1], scalars: [300, 300, 100]))
                == "shape [3, 1, 1, 1]:\n[300, 300, 100]")
        #expect(ComparedValue.describe(Tensor([[0.5, 1]])) == "[[0.5, 1]]")
        let large = ComparedValue.describe(Tensor(zeros: [10, 10]))
        #expect(large.hasPrefix("shape [10, 10], first values [0, 0, 0, 0, 0, 0, …]"))
    }
}
