import Foundation
import XCTest
import TestSupport

/// Input made to break things, or broken by accident: the real `adhere` process on real files.
final class HostileInputTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,performed_at,exercise,side,sets,reps,notes\n"

    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Reads a CSV file with Python's csv module (an independent reader) into rows of fields.
    func pythonCSV(_ path: String) throws -> [[String]] {
        let script = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f:\n    json.dump(list(csv.reader(f)), sys.stdout)\n"
        let r = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, path])
        XCTAssertEqual(r.code, 0, r.stderr)
        return try JSONDecoder().decode([[String]].self, from: Data(r.stdout.utf8))
    }

    /// The rejects file is RFC 4180 CSV that a spreadsheet cannot run as formulas, numbers stay
    /// numbers, and once fixed it reads back in with the guards removed.
    func testRejectsFileIsCorrectCSVWithFormulasGuardedAndReadsBackIn() throws {
        let dir = try temporaryFolder(self)
        let input = dir.appendingPathComponent("in/export.csv")
        try write(header
            + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n"
            + "=P7,Bo,Dana,2026-10-05,Step-ups,,1,-3,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n"
            + "P8,Cy,Dana,2026-10-06,@Step-ups,,1,x,\"line one\r\nline two\"\n", to: input)
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--by", "all", "--out", out.path, input.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let rejects = out.appendingPathComponent("rejects-2026-10.csv")
        let rows = try pythonCSV(rejects.path)
        XCTAssertEqual(rows.count, 3, "header and two rejected rows: \(rows)")
        let h = rows[0]
        func cell(_ row: Int, _ column: String) -> String? { h.firstIndex(of: column).map { rows[row][$0] } }
        XCTAssertEqual(cell(1, "patient_id"), "'=P7")
        XCTAssertEqual(cell(1, "reps"), "-3", "a negative number is not a formula")
        XCTAssertEqual(cell(1, "notes"), "'=HYPERLINK(\"http://x\",\"y\")")
        XCTAssertEqual(cell(1, "raw"), "'=P7,Bo,Dana,2026-10-05,Step-ups,,1,-3,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        XCTAssertEqual(cell(2, "exercise"), "'@Step-ups")
        XCTAssertEqual(cell(2, "notes"), "line one\r\nline two", "a CRLF inside a field is kept, quoted")
        XCTAssertEqual(cell(2, "rejected_line"), "4")

        // Fixed (-3 made 3) and given back by name: the row counts, under the patient id as exported.
        let text = try String(contentsOf: rejects, encoding: .utf8)
        let edited = text.replacingOccurrences(of: ",1,-3,", with: ",1,3,")
        XCTAssertNotEqual(edited, text)
        let fixed = dir.appendingPathComponent("fixed.csv")
        try Data(edited.utf8).write(to: fixed)
        let again = try AdhereProcess.run(["report", "--month", "2026-10", "--by", "all", "--out", dir.appendingPathComponent("out2").path,
                                           "--json", "-", fixed.path])
        XCTAssertEqual(again.code, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("\"patient_id\":\"=P7\"") || again.stdout.contains("\"patient_id\" : \"=P7\""), again.stdout)
        XCTAssertFalse(again.stdout.contains("'=P7"), "the guard is removed on reading back")
    }
}
