import Foundation
import XCTest
import TestSupport

/// A fresh temporary folder, removed when the test ends.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

func assertClose(_ actual: Double?, _ expected: Double?, _ what: String, accuracy: Double = 1e-9,
                 file: StaticString = #filePath, line: UInt = #line) {
    switch (actual, expected) {
    case (nil, nil): return
    case let (a?, e?): XCTAssertEqual(a, e, accuracy: accuracy, what, file: file, line: line)
    default: XCTFail("\(what): got \(String(describing: actual)), expected \(String(describing: expected))", file: file, line: line)
    }
}
