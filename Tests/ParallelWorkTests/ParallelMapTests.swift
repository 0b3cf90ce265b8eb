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
}
