import Foundation
import XCTest
import TestSupport

/// Therapist names that differ only in case, spacing or punctuation are one group: one
/// workbook under one stable file name, shown as the spelling used most, and the merge is said.
final class GroupNameTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,performed_at,exercise,side,sets,reps,notes\n"

    func workbooks(_ out: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".xlsx") })
    }

    func testNamesDifferingOnlyInCaseSpacingOrPunctuationAreOneWorkbook() throws {
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try writeText(header
            + "P1,Ann,Dana Whitfield,2026-10-05,Step-ups,,1,10,\n"
            + "P2,Bo,Dana Whitfield,2026-10-05,Step-ups,,1,10,\n"
            + "P6,Fay,Dana Whitfield,2026-10-05,Step-ups,,1,10,\n"
            + "P3,Cy,Sam Okafor,2026-10-05,Step-ups,,1,10,\n"
            + "P7,Gus,Lee Park,2026-10-05,Step-ups,,1,10,\n", to: inputs.appendingPathComponent("a.csv"))
        let out = dir.appendingPathComponent("out")
        let args = ["report", "--month", "2026-10", "--out", out.path, "--json", dir.appendingPathComponent("r.json").path, inputs.path]
        let first = try AdhereProcess.run(args)
        XCTAssertEqual(first.code, 0, first.stderr)
        let names: Set = ["adhere-2026-10-Dana-Whitfield.xlsx", "adhere-2026-10-Sam-Okafor.xlsx", "adhere-2026-10-Lee-Park.xlsx",
                          "adhere-2026-10-overview.xlsx"]
        XCTAssertEqual(try workbooks(out), names)

        // One row for P2 in capitals (its last row, so P2's therapist is written that way), a
        // new patient with two spaces and a full stop, a rejected row with a hyphen; Sam and Lee
        // written two ways once each (ties).
        try writeText(header
            + "P2,Bo,DANA WHITFIELD,2026-10-06,Step-ups,,1,10,\n"
            + "P4,Di,dana  whitfield.,2026-10-06,Step-ups,,1,10,\n"
            + "P5,Ed,Dana-Whitfield,2026-10-07,Step-ups,,1,x,\n"
            + "P8,Hal,SAM OKAFOR,2026-10-06,Step-ups,,1,10,\n"
            + "P9,Ida,Lee  Park,2026-10-06,Step-ups,,1,10,\n", to: inputs.appendingPathComponent("b.csv"))
        let second = try AdhereProcess.run(args)
        XCTAssertEqual(second.code, 0, second.stderr)
        XCTAssertEqual(try workbooks(out), names, "the same three workbooks: no second Dana workbook, no -2")
        let notes = second.stderr.split(separator: "\n").filter { $0.contains("differ only in case") }
        XCTAssertEqual(notes, ["adhere: note: names that differ only in case, spacing or punctuation are read as one, shown as the spelling used most (see Data issues): "
            + "therapist 'Dana Whitfield' (also written 'Dana-Whitfield', 'DANA WHITFIELD', 'dana  whitfield.'); "
            + "therapist 'Lee  Park' (also written 'Lee Park'); therapist 'Sam Okafor' (also written 'SAM OKAFOR')"])

        // Dana: P1, P6 as written most (2); P2 (capitals), P4 and the rejected row once each.
        let dump = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-Dana-Whitfield.xlsx").path)
        let summary = try XCTUnwrap(dump.sheet("Summary"))
        XCTAssertEqual(Set(summary.summaryIDs), ["P1", "P2", "P4", "P6"])
        // All four are shown under the one spelling: the therapist every patient shares is said
        // once, in the title, and no Therapist column repeats it.
        XCTAssertEqual(summary["A1"]?.v.string?.hasPrefix("Adherence report 2026-10, Dana Whitfield,"), true, summary["A1"]?.v.string ?? "")
        XCTAssertNil(summary.column(titled: "Therapist"))
        XCTAssertTrue(summary.texts(inColumn: "A").contains("Note: The therapist 'Dana Whitfield' is also written 'Dana-Whitfield', 'DANA WHITFIELD', 'dana  whitfield.' in the exports: read as one name, shown as the spelling used most. See Data issues."),
                      summary.texts(inColumn: "A").joined(separator: "\n"))
        let issues = try XCTUnwrap(dump.sheet("Data issues"))
        XCTAssertEqual(issues["B3"]?.v.number, 4, "the rejected row is filed with Dana's workbook")
        let top = try XCTUnwrap(issues.row(is: "Therapist and clinic names written more than one way (read as one name, shown as the spelling used most)"))
        // Ties: mixed case before capitals or small letters, then code-point order (a space
        // before a letter, so "Lee  Park" with two spaces comes first).
        let expected: [[String]] = [
            ["therapist", "Dana Whitfield", "Dana Whitfield", "2"],
            ["therapist", "Dana Whitfield", "Dana-Whitfield", "1"],
            ["therapist", "Dana Whitfield", "DANA WHITFIELD", "1"],
            ["therapist", "Dana Whitfield", "dana  whitfield.", "1"],
            ["therapist", "Lee  Park", "Lee  Park", "1"],
            ["therapist", "Lee  Park", "Lee Park", "1"],
            ["therapist", "Sam Okafor", "Sam Okafor", "1"],
            ["therapist", "Sam Okafor", "SAM OKAFOR", "1"],
        ]
        for (i, row) in expected.enumerated() {
            let r = top + 2 + i
            let got = [issues["A\(r)"]?.v.string, issues["B\(r)"]?.v.string, issues["C\(r)"]?.v.string,
                       issues["D\(r)"]?.v.number.map { String(Int($0)) }]
            XCTAssertEqual(got, row, "Data issues row \(r)")
        }
        let sam = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-Sam-Okafor.xlsx").path)
        XCTAssertEqual(Set(try XCTUnwrap(sam.sheet("Summary")).summaryIDs), ["P3", "P8"])
        XCTAssertEqual(sam.sheet("Summary")?["A1"]?.v.string, "Adherence report 2026-10, Sam Okafor, as of 2026-10-31")
        let json = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        XCTAssertFalse(json.contains("DANA WHITFIELD"), "the JSON shows the chosen spelling too")
    }
}
