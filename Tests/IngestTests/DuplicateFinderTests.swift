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

    /// The search over the lists as the reader gives them (``FingerprintList``).
    func search(_ lists: [[RowFingerprint]]) -> [[Bool]] {
        DuplicateFinder.duplicates(lists.map(FingerprintList.init))
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
        let found = search(lists)
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
        let found = search(lists)
        XCTAssertEqual(found, reference(lists))
        XCTAssertEqual(found.joined().filter { $0 }.count, 69_999)
    }

    func testEmptyAndSingleLists() {
        XCTAssertEqual(search([]), [])
        XCTAssertEqual(search([[], []]), [[], []])
        let one = [fingerprint(1), fingerprint(2), fingerprint(1), fingerprint(1)]
        XCTAssertEqual(search([one, [], [fingerprint(2)]]), [[false, false, true, true], [], [true]])
    }

    func testListsOfManySegmentsAndSmallOnesBetween() {
        // A list of 200,000 rows is four segments (65,536 rows each, the last shorter); small
        // lists between large ones are searched put together. Rows repeat across segment
        // boundaries and across lists: list 1 (small) repeats the big list's rows 65,530 to
        // 65,545 (around its first segment boundary), list 2 (large) repeats every row of list
        // 1 and of list 3, read after it, is new but its first row, which repeats row 0.
        let big = (0..<200_000).map(fingerprint)
        let small1 = (65_530..<65_546).map(fingerprint) + [fingerprint(1_000_000)]
        let large2 = (300_000..<380_000).map(fingerprint) + small1
        let small3 = [fingerprint(0)] + (400_000..<400_010).map(fingerprint)
        var lists = [big, small1, large2, small3]
        for k in 0..<40 { lists.append([fingerprint(500_000 + k), fingerprint(500_000 + k / 2)]) }
        let found = search(lists)
        XCTAssertEqual(found, reference(lists))
        XCTAssertEqual(found[0].filter { $0 }.count, 0)
        XCTAssertEqual(found[1], Array(repeating: true, count: 16) + [false])
        XCTAssertEqual(found[2].filter { $0 }.count, 17, "the 17 rows of list 1, at its end")
        XCTAssertEqual(found[3], [true] + Array(repeating: false, count: 10))
        // Each small list: (k, k / 2); k / 2 < k for k >= 1 was already read: 39 repeats,
        // and list 0's (500000, 500000) repeats its own first row.
        XCTAssertEqual(found[4...].joined().filter { $0 }.count, 40)
        let list = FingerprintList(big)
        XCTAssertEqual(list.segments.map(\.prints.count), [65_536, 65_536, 65_536, 3_392])
        XCTAssertEqual(list.segments.map(\.first), [0, 65_536, 131_072, 196_608])
    }
}
