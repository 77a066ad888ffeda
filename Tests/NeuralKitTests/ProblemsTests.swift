import Foundation
import NeuralKit
import Testing

@Suite("Problems · recording and notImplemented")
struct ProblemsTests {
    @Test("collect returns the body's result and the problems it recorded, in order")
    func collectReturnsProblems() {
        let (value, problems) = Problems.collect { () -> Int in
            Problems.invalidShape("first")
            Problems.invalidShape("second")
            return 42
        }
        #expect(value == 42)
        #expect(problems.map(\.message) == ["first", "second"])
        #expect(problems.allSatisfy { $0.kind == .invalidShape && $0.file == nil })
    }

    @Test("collect passes errors through")
    func collectRethrows() {
        #expect(throws: KitError("boom")) { try Problems.collect { () throws -> Int in throw KitError("boom") } }
    }

    @Test("concurrent collects each see only their own problems")
    func taskLocalIsolation() async {
        let results = await withTaskGroup(of: (Int, [String]).self) { group in
            for task in 0..<8 {
                group.addTask {
                    let (_, problems) = Problems.collect {
                        for step in 0..<3 {
                            Problems.invalidShape("task \(task) step \(step)")
                            Thread.sleep(forTimeInterval: 0.002)
                        }
                    }
                    return (task, problems.map(\.message))
                }
            }
            return await group.reduce(into: [Int: [String]]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 8)
        for (task, messages) in results {
            #expect(messages == (0..<3).map { "task \(task) step \($0)" })
        }
    }

    @Test("a nested collect keeps its problems to itself")
    func nestedCollect() {
        let (inner, outer) = Problems.collect { () -> [Problem] in
            Problems.invalidShape("outer")
            return Problems.collect { Problems.invalidShape("inner") }.problems
        }
        #expect(inner.map(\.message) == ["inner"])
        #expect(outer.map(\.message) == ["outer"])
    }

    @Test("notImplemented returns the placeholder and names the function and its kit-relative file")
    func notImplementedMessage() {
        let (value, problems) = Problems.collect {
            notImplemented(
                "softmax", placeholder: Tensor([1, 2]),
                file: "/home/me/NeuralKit/Exercises/01-Activations/Activations.swift")
        }
        #expect(value == Tensor([1, 2]))
        let problem = problems.first
        #expect(problems.count == 1)
        #expect(problem?.kind == .notImplemented)
        #expect(problem?.message == "`softmax` is not implemented yet (Exercises/01-Activations/Activations.swift)")
        #expect(problem?.file == "Exercises/01-Activations/Activations.swift")
        #expect(problem?.function == "softmax")
        #expect(problem?.stage == 1)
    }

    @Test("the kit-relative path uses the last Exercises/ or Solutions/ in the path")
    func kitRelativePath() {
        let (_, problems) = Problems.collect {
            _ = notImplemented(
                "dense", placeholder: 0, file: "/Users/Exercises/kits/NeuralKit/Exercises/02-Dense/Dense.swift")
            _ = notImplemented("loss", placeholder: 0, file: "/work/NeuralKit/Solutions/03-Loss/Loss.swift")
            _ = notImplemented("other", placeholder: 0, file: "/tmp/Scratch.swift")
        }
        #expect(
            problems.map(\.file) == [
                "Exercises/02-Dense/Dense.swift", "Solutions/03-Loss/Loss.swift", "/tmp/Scratch.swift",
            ])
        #expect(problems.map(\.stage) == [2, 3, nil])
    }

    @Test("a problem recorded many times (a stub called in a loop) is listed once")
    func deduplicated() {
        let (_, problems) = Problems.collect {
            for _ in 0..<100 {
                _ = notImplemented("relu", placeholder: 0, file: "/k/Exercises/01-Activations/Activations.swift")
            }
            for _ in 0..<100 { Problems.invalidShape("same") }
        }
        #expect(problems.map(\.function) == ["relu", nil])
    }

    @Test("at most 20 distinct problems are kept")
    func capped() {
        let (_, problems) = Problems.collect { for i in 0..<50 { Problems.invalidShape("problem \(i)") } }
        #expect(problems.count == 20)
        #expect(problems.first?.message == "problem 0" && problems.last?.message == "problem 19")
    }

    @Test("a tensor operation's shape problem is recorded with its message")
    func tensorProblemRecorded() {
        let (_, problems) = Problems.collect { Tensor([1, 2]) + Tensor([1, 2, 3]) }
        #expect(problems.count == 1 && problems.first?.kind == .invalidShape)
        #expect(problems.first?.description == problems.first?.message)
    }
}
