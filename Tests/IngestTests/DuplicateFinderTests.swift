import XCTest
@testable import SessionIngest

/// The partitioned duplicate search must give exactly what inserting the fingerprints one by
/// one into a plain `Set` gives: the first occurrence kept, every later one a duplicate.
final class DuplicateFinderTests: XCTestCase {
    /// The rule, written the simple way.
    func reference(_ lists: [[RowFingerprint]]) -> [[Bool]] {
        var seen = Set<RowFingerprint>()
        return lists.map { list in list.map { !seen.insert($0).inserted } }
    }

    func fingerprint(_ n: Int) -> RowFingerprint {
        var fp = RowFingerprint()
        fp.add(UInt64(n))
        return fp
    }

    func testManyFilesOverlappingLikeRepeatedExports() {
        // 12 "monthly" files of 20,000 rows; each repeats the last 3,000 rows of the one before
        // (an overlapping export), and every 97th row is repeated inside its own file.
        var lists: [[RowFingerprint]] = []
        var expectedDuplicates = 0
        for f in 0..<12 {
            var list: [RowFingerprint] = []
            let first = f * 20_000 - (f > 0 ? 3_000 : 0)
            if f > 0 { expectedDuplicates += 3_000 }
            for n in first..<(f * 20_000 + 20_000) {
                list.append(fingerprint(n))
                if n % 97 == 0 && n >= f * 20_000 {
                    list.append(fingerprint(n))
                    expectedDuplicates += 1
                }
            }
            lists.append(list)
        }
        let found = DuplicateFinder.duplicates(lists)
        XCTAssertEqual(found, reference(lists))
        XCTAssertEqual(found.joined().filter { $0 }.count, expectedDuplicates)
        XCTAssertEqual(found.map(\.count), lists.map(\.count))
        // The first file's first row is never a duplicate; a repeat right after its original is.
        XCTAssertFalse(found[0][0])
        XCTAssertTrue(found[0][1], "row 0 is repeated at once (0 is a multiple of 97)")
    }

    func testTensOfThousandsOfSmallFiles() {
        // 70,000 files of 3 rows, each repeating one row of the file before (fewer partitions
        // are used so the per-file counters stay bounded; the answer must not change).
        var lists: [[RowFingerprint]] = []
        for f in 0..<70_000 {
            var list = [fingerprint(2 * f), fingerprint(2 * f + 1)]
            if f > 0 { list.append(fingerprint(2 * f - 1)) }
            lists.append(list)
        }
        let found = DuplicateFinder.duplicates(lists)
        XCTAssertEqual(found, reference(lists))
        XCTAssertEqual(found.joined().filter { $0 }.count, 69_999)
    }

    func testEmptyAndSingleLists() {
        XCTAssertEqual(DuplicateFinder.duplicates([]), [])
        XCTAssertEqual(DuplicateFinder.duplicates([[], []]), [[], []])
        let one = [fingerprint(1), fingerprint(2), fingerprint(1), fingerprint(1)]
        XCTAssertEqual(DuplicateFinder.duplicates([one, [], [fingerprint(2)]]), [[false, false, true, true], [], [true]])
    }
}
