import Foundation
import XCTest
import TestSupport

/// Input made to break things, or broken by accident: the real `adhere` process on real files.
final class HostileInputTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,performed_at,exercise,side,sets,reps,notes\n"

    func write(_ text: String, to url: URL) throws { try writeText(text, to: url) }

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

        // Records end in CRLF (RFC 4180); the CRLF inside P8's quoted note is its own (in the
        // notes and the raw text: the last field, with the row's closing quote doubled).
        let text = try String(contentsOf: rejects, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("line two\"\"\"\r\n"), text.debugDescription)
        XCTAssertTrue(text.hasPrefix(rows[0].joined(separator: ",") + "\r\n"), "the header too")
        XCTAssertEqual(text.components(separatedBy: "\r\n").count, 6, "three records, and P8's CRLF in its notes and raw text")
        // Fixed (-3 made 3) and given back by name: the row counts, under the patient id as exported.
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

    /// Runs adhere with a time limit: a run that hangs (reading a FIFO) is killed and reported.
    func run(_ arguments: [String], seconds: Double = 60, asUser user: Int32? = nil) throws -> AdhereProcess.Watched {
        let r = try AdhereProcess.runWatched(arguments, seconds: seconds, asUser: user)
        XCTAssertFalse(r.timedOut, "adhere \(arguments.joined(separator: " ")) hung and was killed after \(seconds) s")
        return r
    }

    /// A named pipe called x.csv, in a folder or named on the command line, is never opened
    /// (it would block the run forever): report, check, nightly and trend name it and finish,
    /// with the partial-input code 2.
    func testAFIFONamedCSVIsNeverOpenedAndIsSaid() throws {
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try write(header + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n", to: inputs.appendingPathComponent("a.csv"))
        let fifo = inputs.appendingPathComponent("x.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let out = dir.appendingPathComponent("out").path
        let report = try run(["report", "--month", "2026-10", "--by", "all", "--out", out, inputs.path], seconds: 30)
        XCTAssertEqual(report.code, 2, report.stderr)
        XCTAssertTrue(report.stderr.contains("\(fifo): is a named pipe (FIFO), not a file"), report.stderr)
        XCTAssertTrue(report.stdout.contains("read 1 file, 1 rows"), "the FIFO is not counted as read: \(report.stdout)")
        let dump = try WorkbookDump.read(out + "/adhere-2026-10-all.xlsx")
        let issues = try XCTUnwrap(dump.sheet("Data issues"))
        XCTAssertTrue(issues.cells.values.contains { $0.v.string?.contains("named pipe") == true }, "named in Data issues")
        let explicit = try run(["report", "--month", "2026-10", "--by", "all", "--out", out, inputs.appendingPathComponent("a.csv").path, fifo], seconds: 30)
        XCTAssertEqual(explicit.code, 2, explicit.stderr)
        XCTAssertTrue(explicit.stderr.contains("named pipe"), explicit.stderr)
        let check = try run(["check", inputs.path], seconds: 30)
        XCTAssertEqual(check.code, 2, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("named pipe"), check.stdout)
        let nightly = try run(["nightly", "--today", "2026-10-20", "--settle-seconds", "0", "--out", out, inputs.path], seconds: 30)
        XCTAssertEqual(nightly.code, 2, nightly.stderr)
        XCTAssertTrue(nightly.stderr.contains("named pipe"), nightly.stderr)
        let trend = try run(["trend", "P1", "--as-of", "2026-10-20", inputs.path], seconds: 30)
        XCTAssertEqual(trend.code, 2, trend.stderr)
        XCTAssertTrue(trend.stderr.contains("named pipe"), trend.stderr)
    }

    /// A link back into the folder being read, and two links pointing at each other: named as
    /// loops, the rest read once, exit 2.
    func testSymbolicLinkLoopsAreSaidAndTheRestIsReadOnce() throws {
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try write(header + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n", to: inputs.appendingPathComponent("sub/a.csv"))
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: inputs.appendingPathComponent("sub/back").path, withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: inputs.appendingPathComponent("p.csv").path, withDestinationPath: "q.csv")
        try fm.createSymbolicLink(atPath: inputs.appendingPathComponent("q.csv").path, withDestinationPath: "p.csv")
        let out = dir.appendingPathComponent("out").path
        let r = try run(["report", "--month", "2026-10", "--by", "all", "--out", out, inputs.path], seconds: 30)
        XCTAssertEqual(r.code, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("sub/back: is a symbolic link loop"), r.stderr)
        XCTAssertTrue(r.stderr.contains("p.csv: is a symbolic link loop"), r.stderr)
        XCTAssertTrue(r.stderr.contains("q.csv: is a symbolic link loop"), r.stderr)
        XCTAssertTrue(r.stdout.contains("1 rows"), "a.csv read once: \(r.stdout)")
    }

    /// A folder that cannot be listed is named, the rest is reported, exit 2. Root reads any
    /// folder whatever its mode, so as root adhere runs as `nobody` (setpriv) for this test.
    func testAFolderThatCannotBeReadIsSaid() throws {
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try write(header + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n", to: inputs.appendingPathComponent("a.csv"))
        try write(header + "P2,Bo,Dana,2026-10-05,Step-ups,,1,10,ok\n", to: inputs.appendingPathComponent("locked/b.csv"))
        let locked = inputs.appendingPathComponent("locked").path
        XCTAssertEqual(chmod(locked, 0o000), 0)
        defer { chmod(locked, 0o755) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        var user: Int32?
        if geteuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { throw XCTSkip("running as root without setpriv") }
            user = 65534
        }
        let r = try run(["report", "--month", "2026-10", "--by", "all", "--out", out.path, inputs.path], seconds: 30, asUser: user)
        XCTAssertEqual(r.code, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(locked): is a folder that cannot be read (Permission denied)"), r.stderr)
        XCTAssertTrue(r.stdout.contains("1 rows"), r.stdout)
    }

    /// A rejects file in an input folder (by its name, or by its columns under another name) is
    /// not read as an export, and that is said; named on the command line, it is read.
    func testARejectsFileInAnInputFolderIsNotReadAsData() throws {
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try write(header + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n", to: inputs.appendingPathComponent("a.csv"))
        let rejectsHeader = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes,rejected_file,rejected_line,rejected_reason,raw\n"
        let row = "P2,Bo,Dana,,2026-10-05,Step-ups,,1,10,,,,x.csv,3,missing reps,raw\n"
        try write(rejectsHeader + row, to: inputs.appendingPathComponent("rejects-2026-09.csv"))
        try write(rejectsHeader + row, to: inputs.appendingPathComponent("fixed-by-hand.csv"))
        let out = dir.appendingPathComponent("out").path
        let r = try run(["report", "--month", "2026-10", "--by", "all", "--out", out, inputs.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("read 1 file, 1 rows"), r.stdout)
        for name in ["rejects-2026-09.csv", "fixed-by-hand.csv"] {
            XCTAssertTrue(r.stderr.contains("not read: \(inputs.path)/\(name) is a rejects file written by adhere"), r.stderr)
        }
        let check = try run(["check", inputs.path])
        XCTAssertTrue(check.stdout.contains("not read: a rejects file written by adhere"), check.stdout)
        let named = try run(["report", "--month", "2026-10", "--by", "all", "--out", out, inputs.path,
                             inputs.appendingPathComponent("fixed-by-hand.csv").path])
        XCTAssertEqual(named.code, 0, named.stderr)
        XCTAssertTrue(named.stdout.contains("read 2 files, 2 rows"), named.stdout)
    }

    /// A headerless export or plans file: the messages never show its first row (a patient's name).
    func testAHeaderlessExportOrPlansFileIsNotPrinted() throws {
        let dir = try temporaryFolder(self)
        let export = dir.appendingPathComponent("export.csv")
        try write("P1,Avery Lindqvist,Dana,2026-10-05,Step-ups,,1,10,Completed\n", to: export)
        let good = dir.appendingPathComponent("good.csv")
        try write(header + "P1,Avery Lindqvist,Dana,2026-10-05,Step-ups,,1,10,ok\n", to: good)
        let plans = dir.appendingPathComponent("plans.csv")
        try write("P1,Step-ups,,,5,2026-09-01,,Dana,Avery Lindqvist\n", to: plans)
        let out = dir.appendingPathComponent("out").path
        for args in [["report", "--month", "2026-10", "--out", out, export.path],
                     ["report", "--month", "2026-10", "--out", out, "--plans", plans.path, good.path],
                     ["check", export.path], ["check", "--plans", plans.path, good.path]] {
            let r = try run(args)
            XCTAssertNotEqual(r.code, 0, args.joined(separator: " "))
            XCTAssertTrue((r.stdout + r.stderr).contains("no header row"), r.stdout + r.stderr)
            XCTAssertFalse((r.stdout + r.stderr).contains("Avery"), "a patient's name printed: \(r.stdout + r.stderr)")
        }
    }

    /// A lock file planted as a symbolic link is never followed: the run stops (73) and the
    /// link's target is neither created nor touched.
    func testTheLockFileIsNeverFollowedThroughASymbolicLink() throws {
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try write(header + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n", to: inputs.appendingPathComponent("a.csv"))
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let victim = dir.appendingPathComponent("victim").path
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent(".adhere.lock").path, withDestinationPath: victim)
        for args in [["nightly", "--today", "2026-10-20", "--settle-seconds", "0", "--out", out.path, inputs.path],
                     ["report", "--month", "2026-10", "--out", out.path, inputs.path]] {
            let r = try run(args)
            XCTAssertEqual(r.code, 73, r.stderr)
            XCTAssertTrue(r.stderr.contains("the lock file is a symbolic link"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: victim), "the link's target was created")
        }
    }

    /// Each file renamed into place is followed by an fsync of the output folder (seen with strace).
    func testTheOutputFolderIsFlushedAfterEachRename() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") else { throw XCTSkip("strace is not installed") }
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try write(header + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\nP2,Bo,Sam,2026-10-05,Step-ups,,1,10,ok\n",
                  to: inputs.appendingPathComponent("a.csv"))
        let out = dir.appendingPathComponent("out").path
        let trace = dir.appendingPathComponent("trace.txt").path
        let r = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/strace"),
                                          ["-f", "-o", trace, "-e", "trace=openat,rename,renameat,renameat2,fsync",
                                           AdhereProcess.binary.path, "report", "--month", "2026-10", "--out", out, inputs.path])
        guard r.code == 0 else { throw XCTSkip("strace cannot trace here: \(r.stderr)") }
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map(String.init)
        // Final names: the two workbooks, the overview, the rejects file and the RTM file.
        let renames = lines.indices.filter { lines[$0].contains("rename") && lines[$0].contains(".tmp\"") && lines[$0].hasSuffix("= 0") }
        XCTAssertEqual(renames.count, 5, lines.joined(separator: "\n"))
        for i in renames {
            let pid = lines[i].split(separator: " ").first.map(String.init) ?? ""
            let after = lines[(i + 1)...].filter { $0.hasPrefix(pid + " ") }.prefix(2)
            guard let open = after.first, open.contains("openat("), open.contains("O_DIRECTORY"), open.contains("\"\(out)\""),
                  let fd = open.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) else {
                XCTFail("no open of the output folder after \(lines[i]): \(Array(after))"); continue
            }
            XCTAssertTrue(after.dropFirst().first?.contains("fsync(\(fd))") == true, "fsync of the folder after \(lines[i]): \(Array(after))")
        }
    }

    /// A NUL inside a patient id (a truncated C string, a bad export) made a second patient
    /// beside the real one. Now the row is rejected, with the character and where it is, in a
    /// UTF-8 and a UTF-16 file alike; and `trend` never offers such an id as a suggestion.
    func testANULInsideAnIdIsRejectedWithItsReasonNotANewPatient() throws {
        let dir = try temporaryFolder(self)
        let rows = "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n"
            + "P1\u{0},Ann,Dana,2026-10-06,Step-ups,,1,10,ok\n"
            + "\u{0}P1,Ann,Dana,2026-10-07,Step-ups,,1,10,ok\n"
            + "P\u{0}1,Ann,Dana,2026-10-08,Step-ups,,1,10,ok\n"
            + "P\u{1B}[2J1,Ann,Dana,2026-10-09,Step-ups,,1,10,ok\n"
        let utf8 = dir.appendingPathComponent("utf8/export.csv")
        try write(header + rows, to: utf8)
        let utf16 = dir.appendingPathComponent("utf16/export.csv")
        try FileManager.default.createDirectory(at: utf16.deletingLastPathComponent(), withIntermediateDirectories: true)
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in (header + rows).utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: utf16)
        struct JSON: Decodable {
            struct Patient: Decodable { let patient_id: String }
            struct Reject: Decodable { let line: Int; let reason: String }
            let rows_read: Int
            let rows_rejected: Int
            let patients: [Patient]
            let rejected_rows: [Reject]
        }
        for input in [utf8, utf16] {
            let out = dir.appendingPathComponent("out-\(input.deletingLastPathComponent().lastPathComponent)")
            let r = try run(["report", "--month", "2026-10", "--by", "all", "--out", out.path, "--json", "-", input.path])
            XCTAssertEqual(r.code, 0, r.stderr)
            let json = try JSONDecoder().decode(JSON.self, from: Data(r.stdout.utf8))
            XCTAssertEqual(json.patients.map(\.patient_id), ["P1"], "one patient, not two: \(input.path)")
            XCTAssertEqual(json.rows_read, 5)
            XCTAssertEqual(json.rows_rejected, 4)
            XCTAssertEqual(json.rejected_rows.map(\.line), [3, 4, 5, 6])
            XCTAssertEqual(json.rejected_rows.map(\.reason), [
                "patient id holds a control character, found U+0000 (NUL) at character 3",
                "patient id holds a control character, found U+0000 (NUL) at character 1",
                "patient id holds a control character, found U+0000 (NUL) at character 2",
                "patient id holds a control character, found U+001B (escape) at character 2"])
            XCTAssertFalse(r.stderr.contains("\u{0}") || r.stderr.contains("\u{1B}"), r.stderr)
            // The workbook opens, the raw rows shown with U+FFFD in place of the control characters.
            let issues = try XCTUnwrap(WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-all.xlsx").path).sheet("Data issues"))
            XCTAssertEqual(issues["D3"]?.v.string, "P1\u{FFFD},Ann,Dana,2026-10-06,Step-ups,,1,10,ok")
            XCTAssertEqual(issues["C3"]?.v.string, "patient id holds a control character, found U+0000 (NUL) at character 3")
        }
        // trend: an unknown id gets suggestions, never one holding a control character.
        let trend = try run(["trend", "P2", "--as-of", "2026-10-31", utf8.path])
        XCTAssertEqual(trend.code, 66, trend.stderr)
        XCTAssertTrue(trend.stderr.contains("P1"), "the real patient is suggested: \(trend.stderr)")
        XCTAssertFalse(trend.stderr.contains("\u{0}") || trend.stderr.contains("\u{1B}"), "no control character printed: \(trend.stderr.debugDescription)")
    }

    /// Runs adhere under strace, killed with SIGKILL at its `n`th rename (a real kill -9 at the
    /// worst moment: the temporary file is complete, not yet in place).
    func runKilledAtRename(_ n: Int, _ arguments: [String]) throws -> Int32 {
        let r = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/strace"),
                                          ["-f", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
                                           "-e", "inject=rename,renameat,renameat2:signal=KILL:when=\(n)",
                                           AdhereProcess.binary.path] + arguments)
        return r.code
    }

    /// Every temporary file a run makes is cleaned by the next run wherever it was made: the
    /// JSON file outside the output folder (report and nightly), a catalog draft, a trend
    /// workbook. Was: only the output folder was cleaned, so these stayed forever.
    func testTemporaryFilesOfKilledRunsAreCleanedWhereverTheyWereMade() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") else { throw XCTSkip("strace is not installed") }
        let dir = try temporaryFolder(self)
        let input = dir.appendingPathComponent("in/a.csv")
        try write(header + "P1,Ann,Dana,2026-10-05,Step-ups,,1,10,ok\n", to: input)
        let elsewhere = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        func hidden() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).filter { $0.hasPrefix(".") }.sorted()
        }
        let out = dir.appendingPathComponent("out").path
        let json = elsewhere.appendingPathComponent("figures.json").path
        // A run still going (this test's own process id) keeps its file.
        let live = ".figures.json.\(getpid())-0.tmp"
        try write("{}", to: elsewhere.appendingPathComponent(live))
        // Renames: the workbook (1), the overview (2), the RTM file (3), the rejects file (4), the
        // JSON (5). (No digest index: an input written a moment ago is not kept in it.)
        let report = ["report", "--month", "2026-10", "--by", "all", "--out", out, "--json", json, input.path]
        let killed = try runKilledAtRename(5, report)
        guard killed != 0 else { throw XCTSkip("strace cannot inject signals here") }
        let leftovers = try hidden().filter { $0 != live }
        XCTAssertEqual(leftovers.count, 1, "the killed run's JSON: \(leftovers)")
        let again = try run(report)
        XCTAssertEqual(again.code, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("removed \(leftovers.first ?? "?"), left over from an interrupted run"), again.stderr)
        XCTAssertEqual(try hidden(), [live])

        // nightly: each month's JSON (figures-2026-10.json) beside the configured figures.json.
        // A new output folder, so the rejects file is renamed too (an unchanged file is not).
        let nightly = ["nightly", "--today", "2026-10-20", "--settle-seconds", "0", "--by", "all", "--out", out + "-nightly", "--json", json, input.path]
        _ = try runKilledAtRename(5, nightly)
        let monthly = try hidden().filter { $0 != live }
        XCTAssertEqual(monthly.count, 1)
        XCTAssertTrue(monthly.first?.hasPrefix(".figures-2026-10.json.") == true, "\(monthly)")
        let n = try run(nightly)
        XCTAssertEqual(n.code, 0, n.stderr)
        XCTAssertTrue(n.stderr.contains("removed \(monthly.first ?? "?")"), n.stderr)
        XCTAssertEqual(try hidden(), [live])

        // A catalog draft and a trend workbook: their one rename.
        for (name, args) in [("catalog.csv", ["check", "--write-catalog", elsewhere.appendingPathComponent("catalog.csv").path, input.path]),
                             ("p1.xlsx", ["trend", "P1", "--as-of", "2026-10-20", "--xlsx", elsewhere.appendingPathComponent("p1.xlsx").path, input.path])] {
            _ = try runKilledAtRename(1, args)
            let left = try hidden().filter { $0 != live }
            XCTAssertEqual(left.count, 1, name)
            XCTAssertTrue(left.first?.hasPrefix(".\(name).") == true, "\(left)")
            let r = try run(args)
            XCTAssertEqual(r.code, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("removed \(left.first ?? "?"), left over from an interrupted run"), r.stderr)
            XCTAssertEqual(try hidden(), [live], name)
        }
    }
}
