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
        let workers = min(items.count, ParallelMap.threads)
        var threads: [Thread] = []
        let done = DispatchGroup()
        for _ in 1..<max(workers, 1) {
            done.enter()
            let t = Thread { work(); done.leave() }
            t.stackSize = 1 << 22
            threads.append(t)
            t.start()
        }
        work()
        done.wait()
        // Moved out, not copied: the buffer is freed without releasing what it holds.
        return results.indices.map { results.moveElement(from: $0)! }
    }
}

package struct UncheckedSendable<T>: @unchecked Sendable {
    package let value: T
    package init(_ value: T) { self.value = value }
}
