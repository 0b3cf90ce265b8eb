import Foundation
import ParallelWork
import XCTest

/// The thread pool's results come back in the items' order, however the threads finish.
final class ParallelMapTests: XCTestCase {
    /// Counts events from any thread.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }

    /// A result that counts its release.
    final class Tracked: Sendable {
        let freed: Counter
        init(_ freed: Counter) { self.freed = freed }
        deinit { freed.increment() }
    }

    func testMapKeepsTheItemsOrder() {
        XCTAssertEqual(ParallelMap.map(Array(0..<100)) { $0 * 2 }, (0..<100).map { $0 * 2 })
    }

    /// The results are moved out of the pool's slots, not copied: once the caller lets them go
    /// they are freed (a parsed file's rows were held to the end of the run).
    func testMapReleasesItsResults() {
        let freed = Counter()
        do {
            let results = ParallelMap.map(Array(0..<50)) { _ in Tracked(freed) }
            withExtendedLifetime(results) { XCTAssertEqual(freed.value, 0) }
        }
        XCTAssertEqual(freed.value, 50)
    }

    /// Items that finish in the reverse of their order (the first sleeps longest) are still
    /// consumed in order, and no thread runs more than `ahead` items (or one per thread) past
    /// the oldest not taken; each result is freed once consumed.
    func testForEachInOrderConsumesInOrderAndStaysWithinAhead() {
        let items = Array(0..<40)
        for (threads, ahead) in [(4, 3), (3, 8), (2, 1), (1, 4)] {
            let begun = Counter(), freed = Counter()
            var consumed: [Int] = []
            ParallelMap.forEachInOrder(items, threads: threads, ahead: ahead) { item -> (Int, Tracked) in
                begun.increment()
                usleep(UInt32((items.count - item) * 200))
                return (item * 10, Tracked(freed))
            } consume: { i, result in
                XCTAssertEqual(result.0, i * 10)
                XCTAssertLessThanOrEqual(begun.value, i + 1 + max(ahead, threads), "\(threads) threads, \(ahead) ahead")
                consumed.append(i)
            }
            XCTAssertEqual(consumed, items, "\(threads) threads, \(ahead) ahead")
            XCTAssertEqual(freed.value, items.count, "every result freed once consumed")
        }
    }

    func testAlongsideRunsBoth() {
        var main = 0
        let side = ParallelMap.alongside({ (1...100).reduce(0, +) }, { main = 7 })
        XCTAssertEqual(side, 5050)
        XCTAssertEqual(main, 7)
    }
}
