import XCTest
@testable import SessionIngest

/// The table gives back what was kept for the same bytes, and nothing for other bytes.
final class ByteKeyTableTests: XCTestCase {
    func testWhatWasKeptIsFoundByItsBytesOnly() {
        var table = ByteKeyTable()
        // 20,000 keys (the table grows from 64 slots many times): ids, their prefixes and
        // the same ids with one more byte, so keys share their first bytes and their lengths.
        let keys = (0..<10_000).flatMap { ["P\($0)", "P\($0)x"] }
        for (k, key) in keys.enumerated() {
            var print = RowFingerprint()
            print.add(UInt64(k))
            Array(key.utf8).withUnsafeBufferPointer { table.keep($0, value: Int32(k), print: print) }
        }
        for (k, key) in keys.enumerated() {
            let found = Array(key.utf8).withUnsafeBufferPointer { table.find($0) }
            XCTAssertEqual(found?.value, Int32(k), key)
            var print = RowFingerprint()
            print.add(UInt64(k))
            XCTAssertEqual(found?.print, print, key)
        }
        for absent in ["P", "P10000", "P1y", "p1", "P1xx", ""] {
            XCTAssertNil(Array(absent.utf8).withUnsafeBufferPointer { table.find($0) }, absent)
        }
    }
}
