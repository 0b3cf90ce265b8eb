import Foundation
import XCTest
import TestSupport

/// No single value stops the run: text longer than a cell is cut with a mark and said once, file
/// names are bounded in bytes, a workbook with more patients than a sheet has links for is
/// written. The real `adhere` process on real files; workbooks read back with openpyxl.
final class ValueLimitTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,performed_at,exercise,side,sets,reps,notes\n"

    /// The "note: ... cut" lines of a run's standard error.
    func cutLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains("longer than a spreadsheet cell holds") }
    }

    /// A patient name of 32,760 characters fits a cell, but the Trends heading that repeats it
    /// does not: the heading is cut with the mark, the Summary keeps the name whole, the other
    /// therapist's workbook is written too, and the cut is said once (without the text).
    func testANameOf32760CharactersDoesNotStopTheRun() throws {
        let dir = try temporaryFolder(self)
        let name = String(repeating: "N", count: 32_760)
        let input = dir.appendingPathComponent("in/export.csv")
        try writeText(header + "P1,\(name),Dana,2026-10-05,Step-ups,,1,10,ok\n"
                      + "P2,Bo,Sam,2026-10-05,Step-ups,,1,10,ok\n", to: input)
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", out.path, input.path])
        XCTAssertEqual(r.code, 0, "was 73, nothing written: \(r.stderr)")
        XCTAssertEqual(cutLines(r.stderr).count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("note: 1 text was longer than a spreadsheet cell holds (32,767 characters) and was cut in the workbooks of 2026-10 (sheets: Trends)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("NNNN"), "the text itself is never said")
        let dump = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-Dana.xlsx").path)
        let summary = try XCTUnwrap(dump.sheet("Summary"))
        let row = try XCTUnwrap(summary.row(is: "P1"))
        let patient = try XCTUnwrap(summary.column(titled: "Patient"))
        XCTAssertEqual(summary["\(patient)\(row)"]?.v.string, name, "32,760 characters fit a cell")
        // "P1 — " (5) + 32,760 + " (Dana)" (7) = 32,772: cut to 32,760 units + "… [cut]" (7).
        // Trends: the title (row 1), the introduction (row 2), a blank row, the first block's heading.
        let heading = try XCTUnwrap(dump.sheet("Trends")?["A4"]?.v.string)
        XCTAssertEqual(heading, "P1 — " + String(repeating: "N", count: 32_755) + "… [cut]")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("adhere-2026-10-Sam.xlsx").path))
    }

    /// A rejected row whose text fits a cell in characters but not once combining accents count
    /// (as Excel counts: UTF-16 units), and a reason that repeats a 32,760-character date: each
    /// cut to fit on Data issues; the rejects file keeps the rows whole.
    func testRejectedRowsLongerThanACellAreCutOnDataIssuesAndKeptWholeInTheRejectsFile() throws {
        let dir = try temporaryFolder(self)
        // 20,000 "é" written as e + U+0301: 20,000 characters, 40,000 UTF-16 units (notes are
        // never checked against the cell size, so the row is rejected for its reps only).
        let accents = String(repeating: "e\u{301}", count: 20_000)
        let longDate = String(repeating: "x", count: 32_760)
        let input = dir.appendingPathComponent("in/export.csv")
        try writeText(header + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n"
                      + "P2,Bo,Dana,2026-10-05,Step-ups,,1,x,\(accents)\n"
                      + "P3,Cy,Dana,\(longDate),Step-ups,,1,10,\n", to: input)
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", out.path, input.path])
        XCTAssertEqual(r.code, 0, "was 73, nothing written: \(r.stderr)")
        XCTAssertEqual(cutLines(r.stderr).count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("note: 3 texts were longer than a spreadsheet cell holds (32,767 characters) and were cut in the workbooks of 2026-10 (sheets: Data issues)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("xxxx") || r.stderr.contains("e\u{301}e\u{301}"), "the text itself is never said")
        let issues = try XCTUnwrap(WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-Dana.xlsx").path).sheet("Data issues"))
        // Row 3 (P2): "P2,Bo,Dana,2026-10-05,Step-ups,,1,x," is 36 units; 32,760 - 36 = 32,724
        // units = 16,362 accented e's, then the mark.
        XCTAssertEqual(issues["B3"]?.v.number, 3)
        XCTAssertEqual(issues["D3"]?.v.string, "P2,Bo,Dana,2026-10-05,Step-ups,,1,x," + String(repeating: "e\u{301}", count: 16_362) + "… [cut]")
        // Row 4 (P3): the reason "unreadable date '" (17) + 32,760 x + "'" is cut after 32,743 x;
        // the raw row "P3,Cy,Dana," (11) + 32,760 x + ... after 32,749 x.
        XCTAssertEqual(issues["C4"]?.v.string, "unreadable date '" + String(repeating: "x", count: 32_743) + "… [cut]")
        XCTAssertEqual(issues["D4"]?.v.string, "P3,Cy,Dana," + String(repeating: "x", count: 32_749) + "… [cut]")
        let rejects = try pythonCSV(out.appendingPathComponent("rejects-2026-10.csv").path)
        let raw = try XCTUnwrap(rejects.first?.firstIndex(of: "raw"))
        XCTAssertEqual(rejects.count, 3)
        XCTAssertEqual(rejects[1][raw], "P2,Bo,Dana,2026-10-05,Step-ups,,1,x,\(accents)", "kept whole")
        XCTAssertEqual(rejects[2][raw], "P3,Cy,Dana,\(longDate),Step-ups,,1,10,", "kept whole")
    }

    /// A therapist named in 60 four-byte letters (240 bytes) made a file name longer than the
    /// 255 bytes a name may have: now the name part is cut to 150 bytes between letters.
    func testATherapistNameIn4ByteLettersGivesAFileNameThatFits() throws {
        let dir = try temporaryFolder(self)
        let therapist = String(repeating: "\u{1D400}", count: 60)   // MATHEMATICAL BOLD CAPITAL A
        let input = dir.appendingPathComponent("in/export.csv")
        try writeText(header + "P1,Ann,\(therapist),2026-10-05,Step-ups,,1,10,ok\nP2,Bo,Sam,2026-10-05,Step-ups,,1,10,ok\n", to: input)
        let out = dir.appendingPathComponent("out")
        for _ in 0..<2 {
            let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", out.path, input.path])
            XCTAssertEqual(r.code, 0, "was 73 (File name too long): \(r.stderr)")
        }
        // 37 letters x 4 bytes = 148 bytes; the same name both runs.
        let expected = "adhere-2026-10-" + String(repeating: "\u{1D400}", count: 37) + ".xlsx"
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".xlsx") }
        XCTAssertEqual(Set(names), [expected, "adhere-2026-10-Sam.xlsx", "adhere-2026-10-overview.xlsx"])
        XCTAssertEqual(expected.utf8.count, 168)
        let dump = try WorkbookDump.read(out.appendingPathComponent(expected).path)
        XCTAssertEqual(dump.sheet("Summary")?["A1"]?.v.string, "Adherence report 2026-10, \(therapist), as of 2026-10-31", "the name is shown whole")
    }

    /// libxlsxwriter refuses a sheet's 65,532nd link, which stopped every workbook (exit 73). The
    /// first 65,530 patients (in report order) get their links both ways; the others are on
    /// Summary and Trends without one, and the Summary says so. Reads the workbook's XML with
    /// Python (openpyxl would take minutes on 65,532 patients).
    func testMoreThan65530PatientsInOneWorkbook() throws {
        let dir = try temporaryFolder(self)
        var text = "patient_id,therapist,performed_at,exercise,reps\n"
        for i in 0..<65_532 { text += "P\(String(format: "%05d", i)),Dana,2026-10-01,Step-ups,10\n" }
        let input = dir.appendingPathComponent("in/export.csv")
        try writeText(text, to: input)
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--as-of", "2026-10-01", "--by", "all", "--out", out.path, input.path])
        XCTAssertEqual(r.code, 0, "was 73 (Maximum number of worksheet URLs exceeded): \(r.stderr)")
        let script = #"""
        import json, re, sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        shared = [re.sub(r"<[^>]*>", "", s) for s in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
        def sheet(i): return z.read("xl/worksheets/sheet%d.xml" % i).decode()
        def cell(xml, ref):
            m = re.search(r'<c r="%s"(?: s="[0-9]+")? t="s"><v>([0-9]+)</v>' % ref, xml)
            return shared[int(m.group(1))] if m else None
        summary, trends = sheet(1), sheet(2)
        out = {"summary_links": re.findall(r'<hyperlink ref="([A-Z]+[0-9]+)" location="([^"]*)" display="([^"]*)"', summary),
               "trends_links": re.findall(r'<hyperlink ref="([A-Z]+[0-9]+)" location="([^"]*)"', trends),
               "cells": {ref: cell(summary, ref) for ref in ["A5", "A8", "A9", "A65538", "A65539", "A65540"]},
               "trends": {ref: cell(trends, ref) for ref in ["A4", "A720823", "A720834", "A720845"]}}
        json.dump(out, sys.stdout)
        """#
        let x = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["python3", "-c", script, out.appendingPathComponent("adhere-2026-10-all.xlsx").path])
        XCTAssertEqual(x.code, 0, x.stderr)
        struct Read: Decodable {
            let summary_links: [[String]]
            let trends_links: [[String]]
            let cells: [String: String?]
            let trends: [String: String?]
        }
        let read = try JSONDecoder().decode(Read.self, from: Data(x.stdout.utf8))
        // Notices on rows 2-5 (no pain, hold, side columns; the links), the worklist's counts on
        // row 6, the header on row 8.
        XCTAssertEqual(read.cells["A8"], "Patient ID")
        XCTAssertEqual(read.cells["A5"], "Note: A sheet holds at most 65,530 links: the IDs of the first 65530 patients link to their weeks on Trends; for the other 2, find the ID on Trends (Ctrl+F).")
        // Every patient needs attention with the same adherence: report order is by id.
        XCTAssertEqual(read.summary_links.count, 65_530)
        XCTAssertEqual(read.summary_links.first, ["A9", "'Trends'!A4", "P00000"])
        // Each patient has 7 weeks (Mondays 17 Aug to 28 Sep: the look-back's first day, 21 Aug,
        // is in the week of 17 Aug), so a block is 4 + 7 = 11 rows (heading, reasons, header,
        // weeks, a blank row), the first on row 4. The 65,530th patient (P65529) is on Summary's
        // row 9 + 65,529 = 65,538; its block on Trends starts on row 4 + 65,529 x 11 = 720,823.
        XCTAssertEqual(read.summary_links.last, ["A65538", "'Trends'!A720823", "P65529"])
        XCTAssertEqual(read.trends_links.count, 65_530)
        // The link back sits in the last two of the 14 table columns, merged (M:N), written in M.
        XCTAssertEqual(read.trends_links.last, ["M720823", "'Summary'!A65538"])
        // The last two patients: on Summary without a link, with their blocks on Trends.
        XCTAssertEqual(read.cells["A65539"], "P65530")
        XCTAssertEqual(read.cells["A65540"], "P65531")
        XCTAssertEqual(read.trends["A720823"], "P65529 (Dana)")
        XCTAssertEqual(read.trends["A720834"], "P65530 (Dana)")
        XCTAssertEqual(read.trends["A720845"], "P65531 (Dana)")
    }
}
