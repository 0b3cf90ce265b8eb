import Foundation
import TestSupport
import WriterCases
import XCTest
import XLSXWriter

/// libxlsxwriter prints nothing of its own: checked in a real process (writer-exercise), whose
/// standard error is read whole.
final class LibraryOutputTests: FolderTestCase {
    func exercise(_ mode: String) throws -> AdhereProcess.Result {
        let binary = AdhereProcess.executable(named: "writer-exercise")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path),
                          "writer-exercise is not built: run swift build --build-tests first")
        return try Process.runCollecting(binary, [mode, folder.path])
    }

    /// Each input the library would print a [WARNING] or [ERROR] about is refused (or written
    /// correctly) by the wrapper, and the process's stderr stays empty.
    func testValidatedInputsLeaveStandardErrorEmpty() throws {
        let r = try exercise("validated")
        XCTAssertEqual(r.code, 0, r.stdout)
        XCTAssertFalse(r.stderr.contains("[ERROR]") || r.stderr.contains("[WARNING]"), r.stderr)
        XCTAssertEqual(r.stderr, "")
        let passed = Set(r.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.map { String($0.dropFirst(3)) })
        XCTAssertEqual(passed, Set(ValidatedCase.all.map(\.name)), r.stdout)
    }

    /// Faults only the library sees (every write to /dev/full fails) on four threads at once,
    /// while the main thread prints through C's `stderr`: the library's lines end up in the
    /// errors, and every line of the other thread still reaches stderr, whole and in order.
    func testLibraryFaultsAreKeptPerThreadWhileOtherThreadsPrint() throws {
        let r = try exercise("library-fault")
        XCTAssertEqual(r.code, 0, r.stdout)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let count = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("markers ") }.flatMap { Int($0.dropFirst(8)) })
        XCTAssertGreaterThanOrEqual(count, 100)
        XCTAssertEqual(Array(lines), (0..<count).map { "marker \($0)"[...] }, "stderr holds the markers and nothing else")
        XCTAssertTrue(r.stdout.contains("No space left on device"), "the error says the library's words: \(r.stdout)")
    }

    /// In-process, one case at a time: each throws exactly its code (the process test above
    /// shows the same cases leave stderr empty).
    func testEachValidatedInputThrowsItsCode() throws {
        for (i, c) in ValidatedCase.all.enumerated() {
            XCTAssertNil(c.run(in: folder.path, index: i), c.name)
        }
    }

    /// A disk that fills up while the file is written: the library's code, its words, and no
    /// file left behind.
    func testAFailureOnlyTheLibraryCanSeeCarriesItsCodeAndWords() throws {
        let wb = try Workbook(path: "/dev/full", properties: .init(title: "t", created: 0))
        try wb.addWorksheet("A").write("x", row: 0, column: 0)
        XCTAssertThrowsError(try wb.close()) { e in
            let error = e as? XLSXError
            // minizip reports a failed write of the zip as ZIP_ERRNO, which libxlsxwriter
            // returns as LXW_ERROR_ZIP_FILE_OPERATION.
            XCTAssertEqual(error?.code, .library(.zipFileOperation), "\(e)")
            XCTAssertEqual(error?.operation, "writing workbook /dev/full")
            XCTAssertTrue(error?.message.contains("No space left on device") == true, "\(e)")
        }
    }
}
