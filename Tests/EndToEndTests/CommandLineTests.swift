import Foundation
import XCTest
import TestSupport

/// What an admin sees: help, errors, exit codes, file safety.
final class CommandLineTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,performed_at,exercise,side,sets,reps\n"

    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func testHelpExplainsEveryOptionAndTheExitCodes() throws {
        let r = try AdhereProcess.run(["report", "--help"])
        XCTAssertEqual(r.code, 0)
        for option in ["--month", "--as-of", "--plans", "--by", "--out", "--json", "--strict", "--date-order", "--column", "--quiet"] {
            XCTAssertTrue(r.stdout.contains(option), "help mentions \(option)")
        }
        for code in ["0", "1", "2", "64", "65", "66", "73", "75"] {
            XCTAssertTrue(r.stdout.contains("\n  \(code.count == 1 ? " " : "")\(code)  "), "help documents exit code \(code)")
        }
        let v = try AdhereProcess.run(["--version"])
        XCTAssertEqual(v.code, 0)
        XCTAssertTrue(v.stdout.hasPrefix("0."), v.stdout)
    }

    func testBadUsageIs64WithAMessageSayingWhatToDo() throws {
        let r = try AdhereProcess.run(["report", "--month", "October", "Fixtures/sessions"])
        XCTAssertEqual(r.code, 64)
        XCTAssertTrue(r.stderr.contains("YYYY-MM"), r.stderr)
        let asOf = try AdhereProcess.run(["report", "--month", "2026-10", "--as-of", "2026-11-02", "Fixtures/sessions"])
        XCTAssertEqual(asOf.code, 64)
        XCTAssertTrue(asOf.stderr.contains("not in the month 2026-10"), asOf.stderr)
        let none = try AdhereProcess.run(["report", "--month", "2026-10"])
        XCTAssertEqual(none.code, 64)
        XCTAssertEqual(try AdhereProcess.run(["report", "--month", "0001-01", "Fixtures/sessions"]).code, 64, "no crash on year 1")
    }

    func testNoInputIs66() throws {
        let dir = try temporaryFolder(self)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", dir.appendingPathComponent("out").path, dir.path])
        XCTAssertEqual(r.code, 66)
        XCTAssertTrue(r.stderr.contains("no CSV files found"), r.stderr)
        let missing = try AdhereProcess.run(["report", "--month", "2026-10", dir.appendingPathComponent("nope").path])
        XCTAssertEqual(missing.code, 66)
        XCTAssertTrue(missing.stderr.contains("does not exist"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path), "nothing written")
    }

    func testBadPlansFileIs65AndWritesNothing() throws {
        let dir = try temporaryFolder(self)
        try write("patient_id,exercise,reps_per_side,hold_seconds,sessions_per_week,start_date,end_date\nP1,Yoga,10,,3,2026-09-01,\n",
                  to: dir.appendingPathComponent("plans.csv"))
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--plans", dir.appendingPathComponent("plans.csv").path,
                                       "--out", out.path, "Fixtures/sessions"])
        XCTAssertEqual(r.code, 65)
        XCTAssertTrue(r.stderr.contains("line 2: the exercise is not in the catalog"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testAnUnreadableFileAmongGoodOnesIsReportedAndTheRestStillReported() throws {
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try write(header + "P1,Ann,Dana,2026-10-01,Step-ups,,1,10\n", to: inputs.appendingPathComponent("a.csv"))
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0]).write(to: inputs.appendingPathComponent("b.csv"))
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", out.path, inputs.path])
        XCTAssertEqual(r.code, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("b.csv: not a CSV export"), r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("adhere-2026-10-Dana.xlsx").path))
    }

    func testStrictExitsWith1WhenRowsWereRejected() throws {
        let out = try temporaryFolder(self)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--strict", "--quiet", "--out", out.path, "Fixtures/sessions"])
        XCTAssertEqual(r.code, 1)
        XCTAssertEqual(r.stdout, "", "--quiet")
        XCTAssertTrue(r.stderr.contains("6 rows were rejected"), r.stderr)
    }

    func testOutputThatCannotBeWrittenIs73AndLeavesEarlierReportsIntact() throws {
        let dir = try temporaryFolder(self)
        let blocker = dir.appendingPathComponent("file")
        try write("x", to: blocker)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", blocker.appendingPathComponent("out").path, "Fixtures/sessions"])
        XCTAssertEqual(r.code, 73)
        XCTAssertTrue(r.stderr.contains("cannot write"), r.stderr)
        // A workbook name taken by a folder: the earlier files stay as they were, no temporary file is left.
        let out = dir.appendingPathComponent("out")
        XCTAssertEqual(try AdhereProcess.run(["report", "--month", "2026-10", "--by", "all", "--out", out.path, "Fixtures/sessions"]).code, 0)
        let rejects = out.appendingPathComponent("rejects-2026-10.csv")
        let before = try Data(contentsOf: rejects)
        try FileManager.default.removeItem(at: out.appendingPathComponent("adhere-2026-10-all.xlsx"))
        try FileManager.default.createDirectory(at: out.appendingPathComponent("adhere-2026-10-all.xlsx"), withIntermediateDirectories: true)
        let again = try AdhereProcess.run(["report", "--month", "2026-10", "--by", "all", "--out", out.path, "Fixtures/sessions"])
        XCTAssertEqual(again.code, 73, again.stderr)
        XCTAssertEqual(try Data(contentsOf: rejects), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") && $0 != ".adhere.lock" && $0 != ".adhere-inputs" }, [],
                       "no temporary file left (the lock and the inputs' digests are adhere's own)")
    }

    func testGroupNamesCannotLeaveTheOutputFolderAndCSVTextStaysText() throws {
        let dir = try temporaryFolder(self)
        let input = dir.appendingPathComponent("in/x.csv")
        try write(header + """
        P1,"=HYPERLINK(""http://evil"")",../../etc,2026-10-01,Step-ups,,1,10
        P2,+1 Smith,../../etc,2026-10-01,Step-ups,,1,10
        P3,@Jones,/abs/path,2026-10-01,-cmd,,1,10

        """, to: input)
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", out.path, input.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0 != ".adhere.lock" }.sorted()
        XCTAssertEqual(files, ["adhere-2026-10-abs-path.xlsx", "adhere-2026-10-etc.xlsx", "adhere-2026-10-overview.xlsx",
                               "rejects-2026-10.csv", "rtm-2026-10.csv"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["in", "out"])
        let dump = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-etc.xlsx").path)
        let s = try XCTUnwrap(dump.sheet("Summary"))
        let names = s.texts(inColumn: "B")
        XCTAssertTrue(names.contains("=HYPERLINK(\"http://evil\")"))
        XCTAssertTrue(names.contains("+1 Smith"))
        let top = s.tableHeaderRow
        XCTAssertEqual(s["B\(top + 1)"]?.t, "text")
        XCTAssertEqual(s["B\(top + 2)"]?.t, "text")
        let other = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-abs-path.xlsx").path)
        let issues = try XCTUnwrap(other.sheet("Data issues"))
        XCTAssertNotNil(issues.row(is: "-cmd"), "unknown exercise name listed as text")
        XCTAssertFalse(r.stdout.contains("Smith") || r.stderr.contains("Smith"), "no patient names in messages")
    }

    func testTheOutputFolderInsideTheInputFolderIsNotReadBack() throws {
        let dir = try temporaryFolder(self)
        try FileManager.default.copyItem(at: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions"),
                                         to: dir.appendingPathComponent("exports"))
        let exports = dir.appendingPathComponent("exports")
        for _ in 0..<2 {
            let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", exports.appendingPathComponent("reports").path, exports.path])
            XCTAssertEqual(r.code, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("read 2 files"), r.stdout)
        }
    }

    func testJSONIsTheSameBytesEveryRun() throws {
        let out = try temporaryFolder(self)
        let runs = try (0..<3).map { _ in
            try AdhereProcess.run(["report", "--month", "2026-10", "--plans", "Fixtures/plans.csv", "--out", out.path, "--json", "-", "Fixtures/sessions"]).stdout
        }
        XCTAssertEqual(Set(runs).count, 1)
    }

    func testReportTakesTheConfigFileAndItsThresholds() throws {
        let dir = try temporaryFolder(self)
        let config = dir.appendingPathComponent("adhere.conf")
        // P006 is at exactly 80% in October (FixtureExpectations): adherent by default,
        // partial once the adherent threshold is raised to 90%.
        let root = AdhereProcess.packageRoot.path
        try write("""
        input = \(root)/Fixtures/sessions
        plans = \(root)/Fixtures/plans.csv
        by = all
        adherent = 90%

        """, to: config)
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["report", "--config", config.path, "--month", "2026-10", "--out", out.path, "--json", "-"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let p6 = try XCTUnwrap((doc["patients"] as? [[String: Any]])?.first { $0["patient_id"] as? String == "P006" })
        XCTAssertEqual(FixtureExpectations.october.first { $0.id == "P006" }?.band, "adherent")
        XCTAssertEqual(p6["band"] as? String, "partial")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("adhere-2026-10-all.xlsx").path))
        let dump = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-all.xlsx").path)
        let about = try XCTUnwrap(dump.sheet("About"))
        XCTAssertTrue(about.texts(inColumn: "A").contains { $0.contains("90% or more adherent") }, "the About sheet states the threshold in force")
        // A bad setting is bad usage, with the file named.
        try write("adherent = lots\n", to: config)
        let bad = try AdhereProcess.run(["report", "--config", config.path, "--month", "2026-10", "Fixtures/sessions"])
        XCTAssertEqual(bad.code, 64)
        XCTAssertTrue(bad.stderr.contains("adhere.conf") && bad.stderr.contains("adherent"), bad.stderr)
    }

    func testDefaultMonthIsTheLastFullMonth() throws {
        let out = try temporaryFolder(self)
        let r = try AdhereProcess.run(["report", "--today", "2026-11-25", "--by", "all", "--out", out.path, "Fixtures/sessions"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("adhere-2026-10-all.xlsx").path))
    }
}
