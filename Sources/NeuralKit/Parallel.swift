import Dispatch
import Foundation
import Synchronization

/// Work split over the machine's cores.
public enum Parallel {
    /// Calls `body` with contiguous chunks that together cover `0..<count`,
    /// on all cores, and returns when all are done. Chunks have at least
    /// `minimumChunk` items (so small jobs stay on one thread); there are at
    /// most a few per core, handed out as cores become free, so that a core
    /// busy with another program does not hold the others up. Unless another
    /// job is running, the calling thread takes the first: a job in one chunk
    /// per core gives the same chunk to the same core each time it runs.
    ///
    /// `body` may run on several threads at once: for different items it must
    /// write to different memory. Results must not depend on how the items are
    /// chunked (each item computed on its own), so that they are the same on
    /// any number of cores.
    public static func forEachChunk(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = Swift.min(4 * cores, count / Swift.max(minimumChunk, 1))
        guard cores > 1, chunks > 1 else {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let chunk = { (index: Int) in body((count * index / chunks)..<(count * (index + 1) / chunks)) }
            // (The workers' ticket packs three numbers in one 64-bit word.)
            #if arch(x86_64) || arch(arm64)
            if #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *), Workers.shared.run(chunks, chunk) {
                return
            }
            #endif
            // Called from inside a chunk, or by a second thread while the workers
            // are busy (tests run in parallel): Dispatch's threads take it.
            let task = UncheckedSendable(chunk)
            DispatchQueue.concurrentPerform(iterations: chunks) { task.value($0) }
        }
    }

    /// The number of cores, asked once: `activeProcessorCount` reads it from
    /// the system on every call (16 µs on Linux, longer than a small product).
    public static let cores = ProcessInfo.processInfo.activeProcessorCount

    private struct UncheckedSendable<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}

/// One thread per core but the caller's, which wait for chunks of work by
/// watching a counter for a while before they sleep.
///
/// Waking a sleeping thread takes 15–40 µs on a virtual machine (measured
/// with `DispatchQueue.concurrentPerform`), as long as a whole product of one
/// training step: the second core then joins too late to help. A thread
/// that watches for work starts within a fraction of a microsecond.
@available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *)
final class Workers: @unchecked Sendable {
    static let shared = Workers(threads: Parallel.cores - 1)

    /// How long a thread watches for the next job before it sleeps: longer
    /// than the gap between two products of a training step.
    static let watchNanoseconds: UInt64 = 1_000_000

    /// The job's number (bits 32…62), its number of chunks (16…31) and the
    /// next chunk to hand out (0…15): one word, so that a thread claims a chunk
    /// of the job it saw, or none.
    private let ticket = Atomic<Int>(0)
    /// Chunks of the current job done.
    private let finished = Atomic<Int>(0)
    /// Whether a job is running: a second caller meanwhile is turned away.
    private let busy = Atomic<Bool>(false)
    /// One for each thread: whether it sleeps, and the signal that wakes it.
    private let sleepers: [Sleeper]
    /// The current job's chunks; read only by a thread that has claimed one.
    private var job: ((Int) -> Void)?
    private var jobNumber = 0

    private final class Sleeper: Sendable {
        let asleep = Atomic<Bool>(false)
        let wakeUp = DispatchSemaphore(value: 0)
    }

    private init(threads: Int) {
        sleepers = (0..<max(threads, 0)).map { _ in Sleeper() }
        for sleeper in sleepers {
            let thread = Thread { [unowned self] in self.work(sleeper) }
            thread.qualityOfService = .userInitiated
            thread.start()
        }
    }

    /// Runs `chunk(0)`, …, `chunk(count − 1)` on the workers and the calling
    /// thread, and returns when all are done; false (having run none) when
    /// another job is running.
    func run(_ count: Int, _ chunk: @escaping (Int) -> Void) -> Bool {
        guard count <= 0xFFFF, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        job = chunk
        finished.store(0, ordering: .relaxed)
        jobNumber = (jobNumber + 1) & 0x7FFF_FFFF
        // The caller takes the first chunk itself, so that a job split in two runs the
        // same half on the same core every time, and finds that half's data in its cache.
        ticket.store(jobNumber << 32 | count << 16 | 1, ordering: .sequentiallyConsistent)
        for sleeper in sleepers where sleeper.asleep.exchange(false, ordering: .sequentiallyConsistent) {
            sleeper.wakeUp.signal()
        }
        chunk(0)
        finished.add(1, ordering: .releasing)
        runChunks(of: jobNumber)
        while finished.load(ordering: .acquiring) < count {}
        job = nil
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Claims and runs chunks of job `number` until none are left.
    private func runChunks(of number: Int) {
        while true {
            let t = ticket.load(ordering: .acquiring)
            let next = t & 0xFFFF
            let count = (t >> 16) & 0xFFFF
            guard t >> 32 == number, next < count else { return }
            if ticket.compareExchange(expected: t, desired: t + 1, ordering: .acquiringAndReleasing).exchanged {
                job?(next)
                finished.add(1, ordering: .releasing)
            }
        }
    }

    /// A worker's life: wait for a job it has not seen, help with it, again.
    private func work(_ sleeper: Sleeper) {
        var seen = 0
        while true {
            seen = nextJob(after: seen, sleeper)
            runChunks(of: seen)
        }
    }

    /// Watches the ticket for a job other than `seen` for `watchNanoseconds`, then sleeps until one is posted.
    private func nextJob(after seen: Int, _ sleeper: Sleeper) -> Int {
        var deadline: UInt64 = 0
        var looks = 0
        while true {
            let number = ticket.load(ordering: .acquiring) >> 32
            if number != seen { return number }
            looks += 1
            guard looks % 1024 == 0 else { continue }
            let now = DispatchTime.now().uptimeNanoseconds
            if deadline == 0 {
                deadline = now + Self.watchNanoseconds
                continue
            }
            guard now > deadline else { continue }
            // Marked asleep before the last look, so that `run` either sees the mark
            // (and signals) or posted its job before that look.
            sleeper.asleep.store(true, ordering: .sequentiallyConsistent)
            if ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen
                || !sleeper.asleep.exchange(false, ordering: .sequentiallyConsistent)
            {
                // Asleep, or `run` took the mark away and signals: take its signal.
                sleeper.wakeUp.wait()
            }
            deadline = 0
        }
    }
}
