import Dispatch
import Foundation

/// Runs a function over items on all cores, keeping the results in the items' order.
package enum ParallelMap {
    /// Worker threads: one per core, or `ADHERE_THREADS` (the tests use 1 to show the output
    /// does not depend on it).
    package static var threads: Int {
        if let v = ProcessInfo.processInfo.environment["ADHERE_THREADS"], let n = Int(v), n >= 1 { return min(n, 64) }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    package static func map<T: Sendable, R>(_ items: [T], _ body: @escaping @Sendable (T) -> R) -> [R] {
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let slots = UncheckedSendable(results)
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        let work: @Sendable () -> Void = {
            while true {
                lock.lock()
                let i = next
                next += 1
                lock.unlock()
                guard i < items.count else { return }
                slots.value[i] = body(items[i])
            }
        }
        let done = start(min(items.count, ParallelMap.threads) - 1, work)
        work()
        done.wait()
        // Moved out, not copied: the buffer is freed without releasing what it holds.
        return results.indices.map { results.moveElement(from: $0)! }
    }

    /// Runs `body` over the items on `threads` threads, the calling thread one of them, and
    /// hands each result to `consume` on the calling thread, in the items' order, as soon as it
    /// and all before it are done (the calling thread consumes what is ready before it runs
    /// another item).
    ///
    /// At most `ahead` items (or one per thread, if more) are begun and not yet taken to be
    /// consumed: a thread that would run further ahead waits, so that results do not pile up
    /// behind a slow one.
    package static func forEachInOrder<T: Sendable, R>(_ items: [T], threads: Int = ParallelMap.threads, ahead: Int,
                                                        _ body: @escaping @Sendable (T) -> R, consume: (Int, R) -> Void) {
        let workers = max(1, min(items.count, threads))
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }  // every result is moved out below
        let slots = UncheckedSendable(results)
        let queue = InOrderQueue(count: items.count, ahead: max(ahead, workers))
        let done = start(workers - 1) {
            while let i = queue.begin() {
                slots.value[i] = body(items[i])
                queue.finished(i)
            }
        }
        var oldest = 0
        while oldest < items.count {
            switch queue.turn(oldest: oldest) {
            case .run(let i):
                slots.value[i] = body(items[i])
                queue.finished(i)
            case .consume:
                let result = results.moveElement(from: oldest)!
                queue.taken(oldest)
                consume(oldest, result)
                oldest += 1
            }
        }
        done.wait()
    }

    /// Runs `side` on a thread of its own while the calling thread runs `main`; returns what
    /// `side` returned, once both are done.
    package static func alongside<S: Sendable>(_ side: @escaping @Sendable () -> S, _ main: () -> Void) -> S {
        let box = UncheckedBox<S>()
        let done = start(1) { box.value = side() }
        main()
        done.wait()
        // The wait orders the side thread's write before this read.
        guard let s = box.value else { preconditionFailure("the side work ended without a result") }
        return s
    }

    /// Starts `count` threads running `work`; the group is left by each when its work returns.
    private static func start(_ count: Int, _ work: @escaping @Sendable () -> Void) -> DispatchGroup {
        let done = DispatchGroup()
        for _ in 0..<max(count, 0) {
            done.enter()
            let t = Thread { work(); done.leave() }
            t.stackSize = 1 << 22
            t.start()
        }
        return done
    }
}

/// The bookkeeping of ``ParallelMap/forEachInOrder(_:threads:ahead:_:consume:)``: which item
/// is next to begin, which are done, how many are taken; all under one condition.
private final class InOrderQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let ahead: Int
    private var next = 0
    private var takenCount = 0
    private var ready: [Bool]

    init(count: Int, ahead: Int) {
        self.count = count
        self.ahead = ahead
        ready = [Bool](repeating: false, count: count)
    }

    /// The next item to run, once it is fewer than `ahead` past the oldest not taken;
    /// nil when every item is begun.
    func begin() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while next < count {
            if let i = beginNext() { return i }
            condition.wait()
        }
        return nil
    }

    /// The next item, begun, if it is fewer than `ahead` past the oldest not taken (under the lock).
    private func beginNext() -> Int? {
        guard next < count && next < takenCount + ahead else { return nil }
        next += 1
        return next - 1
    }

    /// Item `i`'s result is in its slot.
    func finished(_ i: Int) {
        condition.lock()
        ready[i] = true
        condition.broadcast()
        condition.unlock()
    }

    /// What the calling thread does next.
    enum Turn {
        /// Consume the oldest result not taken: it is in its slot.
        case consume
        /// Run this item.
        case run(Int)
    }

    /// The calling thread's next turn: the oldest result not taken once it is in its slot, or
    /// else the next item if one may begin; waits until one of them can.
    func turn(oldest: Int) -> Turn {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if ready[oldest] { return .consume }
            if let i = beginNext() { return .run(i) }
            condition.wait()
        }
    }

    /// Item `i`'s result is taken out of its slot: one more item may begin.
    func taken(_ i: Int) {
        condition.lock()
        takenCount = i + 1
        condition.broadcast()
        condition.unlock()
    }
}

/// A value written by one thread and read by another after waiting for it.
private final class UncheckedBox<T>: @unchecked Sendable {
    var value: T?
}

package struct UncheckedSendable<T>: @unchecked Sendable {
    package let value: T
    package init(_ value: T) { self.value = value }
}
