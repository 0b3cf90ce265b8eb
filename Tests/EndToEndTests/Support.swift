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

/// Writes `text` (UTF-8) to `url`, creating its folder.
func writeText(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

/// Reads a CSV file with Python's csv module (an independent reader) into rows of fields.
func pythonCSV(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String]] {
    let script = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f:\n    json.dump(list(csv.reader(f)), sys.stdout)\n"
    let r = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, path])
    XCTAssertEqual(r.code, 0, r.stderr, file: file, line: line)
    return try JSONDecoder().decode([[String]].self, from: Data(r.stdout.utf8))
}
