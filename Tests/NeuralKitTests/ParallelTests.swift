import Foundation
import NeuralKit
import Synchronization
import Testing

/// Counts how often each item of `0..<count` is handed out by `Parallel.forEachChunk`,
/// and the sizes of the chunks.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var seen: [Int]
    private(set) var chunkSizes: [Int] = []

    init(_ count: Int) { seen = Array(repeating: 0, count: count) }

    func record(_ chunk: Range<Int>) {
        lock.lock()
        defer { lock.unlock() }
        for i in chunk { seen[i] += 1 }
        chunkSizes.append(chunk.count)
    }
}

@Suite("Parallel · work shared between cores")
struct ParallelWork {
    @Test(
        "every item is handed out exactly once, in chunks of at least minimumChunk",
        arguments: [(1, 1), (7, 1), (64, 1), (64, 32), (100, 7), (78_400, 39_200), (1_000, 1_000), (5, 10)])
    func everyItemOnce(count: Int, minimumChunk: Int) {
        let tally = Tally(count)
        Parallel.forEachChunk(count, minimumChunk: minimumChunk) { tally.record($0) }
        #expect(tally.seen.allSatisfy { $0 == 1 })
        #expect(tally.chunkSizes.allSatisfy { $0 >= min(minimumChunk, count) })
        #expect(tally.chunkSizes.count <= max(4 * Parallel.cores, 1))
    }

    @Test("no items: the body is not called")
    func nothingToDo() {
        let tally = Tally(0)
        Parallel.forEachChunk(0) { tally.record($0) }
        #expect(tally.chunkSizes.isEmpty)
    }

    @Test(
        "a chunk may share out work of its own, and several threads may share work at once",
        .timeLimit(.minutes(1)))
    func nestedAndConcurrent() {
        let outer = Tally(8)
        let inner = (0..<8).map { _ in Tally(1_000) }
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            Parallel.forEachChunk(2) { chunk in
                for i in chunk {
                    let item = 2 * thread + i
                    outer.record(item..<(item + 1))
                    Parallel.forEachChunk(1_000, minimumChunk: 10) { inner[item].record($0) }
                }
            }
        }
        #expect(outer.seen.allSatisfy { $0 == 1 })
        #expect(inner.allSatisfy { $0.seen.allSatisfy { $0 == 1 } })
    }

    @Test("work comes after the helping threads have gone to sleep, and is still done", .timeLimit(.minutes(1)))
    func afterAPause() {
        for _ in 0..<3 {
            let tally = Tally(64)
            Parallel.forEachChunk(64, minimumChunk: 8) { tally.record($0) }
            #expect(tally.seen.allSatisfy { $0 == 1 })
            Thread.sleep(forTimeInterval: 0.01) // longer than a helper watches for work
        }
    }

    @Test("a tensor's results do not depend on how the work was shared")
    func sameNumbersAnyChunking() {
        var g = SeededGenerator(seed: 11)
        for k in [200, 784] {
            let a = Tensor.normal(shape: [300, k], using: &g)
            let b = Tensor.normal(shape: [k, 70], using: &g)
            let whole = a.matmul(b)
            // Row by row: each row's product on its own, on one thread.
            var rows = [Double]()
            for i in 0..<300 { rows += a.rows([i]).matmul(b).scalars }
            #expect(whole.scalars == rows)
            #expect(a.transposed().transposedMatmul(b).scalars == rows)
        }
    }
}
