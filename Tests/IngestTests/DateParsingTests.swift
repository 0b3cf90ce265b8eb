import XCTest
import AdherenceAnalysis
@testable import SessionIngest

/// The fast reading of `YYYY-MM-DDTHH:MM:SS` must read exactly what the general reading reads.
final class DateParsingTests: XCTestCase {
    private func iso(_ s: String) -> ParsedDate? {
        Array(s.utf8).withUnsafeBufferPointer { DateParsing.isoDateTime($0) }
    }

    private func general(_ s: String) -> ParsedDate? {
        Array(s.utf8).withUnsafeBufferPointer {
            if case .success(let d) = DateParsing.parseAnyShape($0, order: nil) { return d }
            return nil
        }
    }

    private func same(_ a: ParsedDate?, _ b: ParsedDate?) -> Bool {
        a?.day == b?.day && a?.seconds == b?.seconds && a?.offsetMinutes == b?.offsetMinutes
    }

    func testTheCommonShapeByHand() {
        // 12:00:00 is 43,200 seconds; 23:59 and a leap second (60, read as 59) is 86,399.
        XCTAssertEqual(iso("2025-11-08T12:00:00")?.day, Day(year: 2025, month: 11, day: 8))
        XCTAssertEqual(iso("2025-11-08T12:00:00")?.seconds, 43_200)
        XCTAssertEqual(iso("2024-02-29 23:59:60")?.seconds, 86_399)
        XCTAssertNil(iso("2024-02-29 23:59:60")?.offsetMinutes)
        // Not a day (2023 is not a leap year), hour 24, a year outside 1900-2199, another shape:
        // left to the general reading, which says why.
        for s in ["2023-02-29T10:00:00", "2025-11-08T24:00:00", "1899-12-31T10:00:00", "2025-11-08T12:00",
                  "2025-11-08T12:00:00Z", "2025/11/08T12:00:00", "2025-1-08T12:00:000"] {
            XCTAssertNil(iso(s), s)
        }
        Array("2023-02-29T10:00:00".utf8).withUnsafeBufferPointer {
            guard case .failure(.impossible) = DateParsing.parse($0, order: nil) else { return XCTFail("29 February 2023") }
        }
    }

    func testTheFastReadingIsTheGeneralOneOnEveryNearShape() {
        // Time stamps of the common shape with one byte changed at a time, among digits, the
        // separators and a few others: wherever the fast reading reads one, the general reading
        // reads the same; and a string of the shape the general one reads, the fast one reads.
        var generator = SystemRandomNumberGenerator()
        let bytes = Array("0123456789-T :/.Z+".utf8)
        var read = 0
        for _ in 0..<40_000 {
            let y = Int.random(in: 1890...2210, using: &generator), mo = Int.random(in: 0...13, using: &generator)
            let d = Int.random(in: 0...32, using: &generator), h = Int.random(in: 0...25, using: &generator)
            let mi = Int.random(in: 0...61, using: &generator), s = Int.random(in: 0...61, using: &generator)
            var text = Array(String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s).utf8)
            if Bool.random(using: &generator) { text[Int.random(in: 0..<19, using: &generator)] = bytes.randomElement(using: &generator)! }
            let string = String(decoding: text, as: UTF8.self)
            let fast = iso(string), slow = general(string)
            if fast != nil { read += 1; XCTAssertTrue(same(fast, slow), string) }
            let shaped = text.count == 19 && text[4] == 45 && text[7] == 45 && (text[10] == 84 || text[10] == 32)
                && text[13] == 58 && text[16] == 58
                && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18].allSatisfy { text[$0] >= 48 && text[$0] <= 57 }
            if shaped && slow != nil { XCTAssertNotNil(fast, string) }
        }
        XCTAssertGreaterThan(read, 1_000)
    }
}
