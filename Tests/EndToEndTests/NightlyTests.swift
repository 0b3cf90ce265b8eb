import Foundation
import XCTest
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `adhere nightly` for real: reruns, concurrent runs, kill -9, faults.
final class NightlyTests: XCTestCase {
    func nightly(_ out: URL, _ extra: [String] = [], today: String = "2026-11-02") throws -> AdhereProcess.Result {
        try AdhereProcess.run(["nightly", "--config", "Fixtures/adhere.conf", "--out", out.path, "--today", today,
                               "--settle-seconds", "0"] + extra)
    }

    func files(_ dir: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where !name.hasPrefix(".") {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDir), isDir.boolValue { continue }
            result[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return result
    }

    func testWritesThisMonthAsOfYesterdayAndLastMonthInItsFirstDays() throws {
        let out = try temporaryFolder(self)
        let r = try nightly(out)
        XCTAssertEqual(r.code, 0, r.stderr)
        // The sample export has one exercise name nobody settled ('Wall sit'): said once per run.
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("adhere: warning: 3 rows of 2 patients use 1 exercise name adhere does not know (adhere check and the workbooks' Data issues list them)"), r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 1, "one summary line: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("2026-10 as of 2026-10-31") && r.stdout.contains("2026-11 as of 2026-11-01"), r.stdout)
        let names = try files(out).keys.sorted()
        // Each month: three therapists' workbooks and the clinic overview, and its RTM file.
        XCTAssertEqual(names.filter { $0.hasPrefix("adhere-2026-10-") }.count, 4)
        XCTAssertEqual(names.filter { $0.hasPrefix("adhere-2026-11-") }.count, 4)
        XCTAssertTrue(names.contains("adhere-2026-10-overview.xlsx") && names.contains("adhere-2026-11-overview.xlsx"), "\(names)")
        XCTAssertTrue(names.contains("rtm-2026-10.csv") && names.contains("rtm-2026-11.csv"), "\(names)")
        // Later in the month, only the running month.
        let later = try temporaryFolder(self)
        let l = try nightly(later, today: "2026-11-10")
        XCTAssertEqual(l.code, 0, l.stderr)
        XCTAssertTrue(try files(later).keys.allSatisfy { !$0.hasPrefix("adhere-2026-10") })
        let dump = try WorkbookDump.read(later.appendingPathComponent("adhere-2026-11-Sam-Okafor.xlsx").path)
        let about = try XCTUnwrap(dump.sheet("About"))
        XCTAssertEqual(about.row(is: "As of").flatMap { about["B\($0)"]?.v.string }, "2026-11-09", "as of yesterday")
    }

    func testRerunIsByteIdenticalAndLeavesUnchangedFilesAlone() throws {
        let out = try temporaryFolder(self)
        XCTAssertEqual(try nightly(out).code, 0)
        let first = try files(out)
        // Age every file, then rerun: nothing may be rewritten.
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        for name in first.keys {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: out.appendingPathComponent(name).path)
        }
        let r = try nightly(out)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("(0 updated, 4 unchanged)"), r.stdout)
        XCTAssertEqual(try files(out), first, "same inputs, same bytes")
        for name in first.keys {
            let m = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path)[.modificationDate] as? Date
            XCTAssertEqual(m, old, "\(name) was rewritten")
        }
    }

    func testCommandLineWinsOverTheConfigFileAndQuietIsQuiet() throws {
        let out = try temporaryFolder(self)
        let log = out.appendingPathComponent("nightly.log")
        let r = try nightly(out, ["--by", "all", "--quiet", "--log-file", log.path], today: "2026-11-10")
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(try files(out).keys.filter { $0.hasSuffix(".xlsx") }.sorted(), ["adhere-2026-11-all.xlsx", "adhere-2026-11-overview.xlsx"])
        let text = try String(contentsOf: log, encoding: .utf8)
        XCTAssertTrue(text.contains(" nightly: 2026-11 as of 2026-11-09"), text)
        for p in FixtureExpectations.october { XCTAssertFalse(text.contains(p.name), "no patient names in the log") }
    }

    func testASecondRunWhileOneHoldsTheLockExitsAtOnceWith75() throws {
        let out = try temporaryFolder(self)
        // Hold the lock the way a running nightly does.
        let fd = open(out.appendingPathComponent(".adhere.lock").path, O_RDWR | O_CREAT, 0o600)
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        let r = try nightly(out)
        XCTAssertEqual(r.code, 75)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "a one-line message: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("another adhere run"), r.stderr)
        XCTAssertEqual(try files(out).count, 0, "nothing written")
        close(fd)
        XCTAssertEqual(try nightly(out).code, 0, "the lock goes with its holder")
    }

    func testConcurrentRunsNeverCorruptTheOutput() throws {
        let reference = try temporaryFolder(self)
        XCTAssertEqual(try nightly(reference).code, 0)
        let expected = try files(reference)
        let out = try temporaryFolder(self)
        let args = ["nightly", "--config", "Fixtures/adhere.conf", "--out", out.path, "--today", "2026-11-02", "--settle-seconds", "0"]
        let codes = try (0..<4).map { _ -> Process in
            let p = Process()
            p.executableURL = AdhereProcess.binary
            p.arguments = args
            p.currentDirectoryURL = AdhereProcess.packageRoot
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }.map { p -> Int32 in p.waitUntilExit(); return p.terminationStatus }
        XCTAssertTrue(codes.allSatisfy { $0 == 0 || $0 == 75 }, "\(codes)")
        XCTAssertTrue(codes.contains(0), "\(codes)")
        XCTAssertEqual(try nightly(out).code, 0)
        XCTAssertEqual(try files(out), expected)
    }

    func testKilledAtAnyMomentLeavesThePreviousWorkbooksIntact() throws {
        // A few megabytes of synthetic exports, so a run takes long enough to be interrupted.
        let data = try temporaryFolder(self)
        let gen = AdhereProcess.binary.deletingLastPathComponent().appendingPathComponent("synth-export")
        let g = try Process.runCollecting(gen, ["--out", data.path, "--patients", "120", "--days", "120", "--start", "2026-07-15", "--files", "4"])
        XCTAssertEqual(g.code, 0, g.stderr)
        let out = try temporaryFolder(self)
        let args = ["nightly", "--out", out.path, "--today", "2026-11-02", "--settle-seconds", "0", "--timezone", "UTC",
                    "--plans", data.appendingPathComponent("plans.csv").path, data.appendingPathComponent("sessions").path]
        let first = try AdhereProcess.run(args)
        XCTAssertEqual(first.code, 0, first.stderr)
        let reference = try files(out)
        XCTAssertGreaterThan(reference.count, 10)
        // Time one run, then kill runs at spread-out moments inside it.
        let start = Date()
        _ = try AdhereProcess.run(args)
        let duration = Date().timeIntervalSince(start)
        var rng = SystemRandomNumberGenerator()
        for k in 0..<8 {
            let p = Process()
            p.executableURL = AdhereProcess.binary
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let delay = duration * (Double(k) + Double.random(in: 0..<1, using: &rng)) / 8
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            // Whatever the moment: every file under a final name is a whole, unchanged file.
            XCTAssertEqual(try files(out), reference, "after kill -9 at \(String(format: "%.2f", delay)) s")
        }
        // The next run cleans up what the killed ones left and finishes normally.
        let after = try AdhereProcess.run(args)
        XCTAssertEqual(after.code, 0, after.stderr)
        XCTAssertEqual(try files(out), reference)
        let hidden = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(hidden.filter { $0 != ".adhere-inputs" }, [".adhere.lock"], "temporary files left over")
    }

    func testConfigFilesAsAdminsWriteThem() throws {
        // Saved on Windows: a byte-order mark and CRLF line ends; paths relative to the file.
        let dir = try temporaryFolder(self)
        try FileManager.default.copyItem(at: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions"),
                                         to: dir.appendingPathComponent("exports"))
        let text = "# clinic settings\r\ninput = exports\r\nout = reports\r\nby = all\r\ncolumn = Patient #=patient_id\r\n"
        try (Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)).write(to: dir.appendingPathComponent("adhere.conf"))
        let elsewhere = try temporaryFolder(self)
        let r = try AdhereProcess.run(["nightly", "--config", dir.appendingPathComponent("adhere.conf").path,
                                       "--today", "2026-11-10", "--settle-seconds", "0"], cwd: elsewhere)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports/adhere-2026-11-all.xlsx").path))
        // Adherence thresholds are percentages with their sign; nonsense is refused with its line.
        for (line, message) in [("adherent = 0.8", "percentage"), ("partial = 90%", "must not be above adherent"),
                                ("building = -0.5", "building must be a number"), ("low-adherence = 150%", "from 0% to 100%")] {
            try Data("input = exports\n\(line)\n".utf8).write(to: dir.appendingPathComponent("bad.conf"))
            let bad = try AdhereProcess.run(["nightly", "--config", dir.appendingPathComponent("bad.conf").path, "--today", "2026-11-10"])
            XCTAssertEqual(bad.code, 64, line)
            XCTAssertTrue(bad.stderr.contains(message) && bad.stderr.contains("line 2"), "\(line): \(bad.stderr)")
        }
        let json = try AdhereProcess.run(["nightly", "--config", dir.appendingPathComponent("adhere.conf").path, "--json", "-"])
        XCTAssertEqual(json.code, 64, "nightly writes one JSON file per month, never to stdout")
    }

    func testAMissingInputOrAFutureTimeStampDoesNotStopTheRest() throws {
        let dir = try temporaryFolder(self)
        let exports = dir.appendingPathComponent("exports")
        try FileManager.default.copyItem(at: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions"), to: exports)
        // Clock skew: a file dated next year is not "still being written" (the other one was
        // finished an hour ago).
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(365 * 86_400)],
                                              ofItemAtPath: exports.appendingPathComponent("export-2026-10.csv").path)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)],
                                              ofItemAtPath: exports.appendingPathComponent("export-2026-09.csv").path)
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["nightly", "--out", out.path, "--today", "2026-11-10", "--by", "all",
                                       exports.path, dir.appendingPathComponent("unmounted-share").path])
        XCTAssertEqual(r.code, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("unmounted-share: it does not exist"), r.stderr)
        XCTAssertFalse(r.stderr.contains("changed less than"), r.stderr)
        XCTAssertTrue(r.stdout.contains("1158 rows read"), r.stdout)
    }

    func testFaults() throws {
        // A bad file among good ones: reported, and the rest still makes the reports (exit 2).
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        for name in ["export-2026-09.csv", "export-2026-10.csv"] {
            try FileManager.default.copyItem(at: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions/\(name)"),
                                             to: inputs.appendingPathComponent(name))
        }
        try Data("%PDF-1.4 not a csv".utf8).write(to: inputs.appendingPathComponent("scan.csv"))
        let out = dir.appendingPathComponent("out")
        let r = try AdhereProcess.run(["nightly", "--out", out.path, "--today", "2026-11-10", "--settle-seconds", "0", inputs.path])
        XCTAssertEqual(r.code, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("scan.csv: not a CSV export"), r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("adhere-2026-11-Sam-Okafor.xlsx").path))
        // Files still being written (changed just now): nothing is rewritten, code 75.
        let written = try files(out)
        let fresh = try AdhereProcess.run(["nightly", "--out", out.path, "--today", "2026-11-10", "--settle-seconds", "3600", inputs.path])
        XCTAssertEqual(fresh.code, 75, fresh.stderr)
        XCTAssertTrue(fresh.stderr.contains("export-2026-10.csv: changed 0 s ago, probably still being written by the export"), fresh.stderr)
        XCTAssertTrue(fresh.stderr.contains("kept the previous workbooks of 2026-11 as they were"), fresh.stderr)
        XCTAssertEqual(try files(out), written)
        // An output folder that cannot be written: clear error, code 73, earlier workbooks untouched.
        let before = try files(out)
        try FileManager.default.removeItem(at: out.appendingPathComponent("adhere-2026-11-Dana-Whitfield.xlsx"))
        try FileManager.default.createDirectory(at: out.appendingPathComponent("adhere-2026-11-Dana-Whitfield.xlsx"), withIntermediateDirectories: true)
        let blocked = try AdhereProcess.run(["nightly", "--out", out.path, "--today", "2026-11-10", "--settle-seconds", "0", inputs.path])
        XCTAssertEqual(blocked.code, 73, blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("adhere-2026-11-Dana-Whitfield.xlsx"), blocked.stderr)
        var after = try files(out)
        after["adhere-2026-11-Dana-Whitfield.xlsx"] = before["adhere-2026-11-Dana-Whitfield.xlsx"]
        XCTAssertEqual(after, before)
        let notAFolder = try AdhereProcess.run(["nightly", "--out", inputs.appendingPathComponent("scan.csv").path, "--today", "2026-11-10", inputs.path])
        XCTAssertEqual(notAFolder.code, 73, notAFolder.stderr)
        // Bad settings are bad usage.
        let zone = try AdhereProcess.run(["nightly", "--timezone", "Mars/Olympus", "--out", out.path, inputs.path])
        XCTAssertEqual(zone.code, 64)
        XCTAssertTrue(zone.stderr.contains("unknown time zone"), zone.stderr)
    }

    /// Starts a real process that writes `lines` to `path` one at a time, `interval` seconds
    /// apart (an export job writing its file), and returns it running.
    func startWriter(_ path: String, lines: [String], interval: Double, append: Bool = false) throws -> Process {
        let script = """
        import sys, time
        path, interval, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
        with open(path, mode) as f:
            for line in sys.stdin.read().splitlines():
                f.write(line + "\\n"); f.flush(); time.sleep(interval)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path, String(interval), append ? "a" : "w"]
        let stdin = Pipe()
        p.standardInput = stdin
        try p.run()
        stdin.fileHandleForWriting.write(Data(lines.joined(separator: "\n").utf8))
        try stdin.fileHandleForWriting.close()
        return p
    }

    /// Every file's bytes and modification time.
    func stamps(_ dir: URL) throws -> [String: Date] {
        var result: [String: Date] = [:]
        for name in try files(dir).keys {
            result[name] = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[.modificationDate] as? Date
        }
        return result
    }

    /// An export job still writing a file when the nightly run starts: the run writes nothing,
    /// keeps the previous workbooks (same bytes, same file times), says which file and why,
    /// and exits 75. Once the file has settled, the next run reads it.
    func testAnExportStillBeingWrittenKeepsThePreviousWorkbooks() throws {
        let dir = try temporaryFolder(self)
        let exports = dir.appendingPathComponent("exports")
        try FileManager.default.copyItem(at: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions"), to: exports)
        for name in try FileManager.default.contentsOfDirectory(atPath: exports.path) {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)],
                                                  ofItemAtPath: exports.appendingPathComponent(name).path)
        }
        let out = dir.appendingPathComponent("out")
        let args = ["nightly", "--out", out.path, "--today", "2026-11-10", "--settle-seconds", "2", exports.path]
        let first = try AdhereProcess.run(args)
        XCTAssertEqual(first.code, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("1158 rows read"), first.stdout)
        let before = try files(out)
        let times = try stamps(out)

        // The export job writes November's file: a header and 40 rows, 0.1 s apart.
        let late = exports.appendingPathComponent("export-2026-11.csv")
        let rows = (1...40).map { i in "P001,Avery Lindqvist,Dana Whitfield,Northside PT,2026-11-0\(1 + i % 9)T07:\(String(format: "%02d", i)):00,Step-ups,both,1,10,,," }
        let writer = try startWriter(late.path, lines: ["patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes"] + rows, interval: 0.1)
        defer { if writer.isRunning { writer.terminate() } }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertTrue(writer.isRunning, "the export is still being written")
        let during = try AdhereProcess.run(args)
        XCTAssertTrue(writer.isRunning, "the run took longer than the export: the test proves nothing")
        XCTAssertEqual(during.code, 75, during.stderr)
        XCTAssertTrue(during.stderr.contains("adhere: \(late.path): changed 0 s ago, probably still being written by the export"), during.stderr)
        XCTAssertTrue(during.stderr.contains("adhere: kept the previous workbooks of 2026-11 as they were, and wrote nothing"), during.stderr)
        XCTAssertEqual(during.stdout, "")
        XCTAssertEqual(try files(out), before, "no workbook replaced")
        XCTAssertEqual(try stamps(out), times, "not even rewritten with the same bytes")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }, [".adhere.lock"])

        // Finished and settled: the next run reads every row of it.
        writer.waitUntilExit()
        XCTAssertEqual(writer.terminationStatus, 0)
        Thread.sleep(forTimeInterval: 2.2)
        let after = try AdhereProcess.run(args)
        XCTAssertEqual(after.code, 0, after.stderr)
        XCTAssertTrue(after.stdout.contains("1198 rows read"), "1158 + 40: \(after.stdout)")
        XCTAssertNotEqual(try files(out)["adhere-2026-11-Dana-Whitfield.xlsx"], before["adhere-2026-11-Dana-Whitfield.xlsx"])
    }

    /// A file that changes while it is being read (an export job that starts writing after the
    /// settle check, here one row every 5 ms): read part-way, so the previous workbooks stay.
    func testAFileChangingWhileItIsReadKeepsThePreviousWorkbooks() throws {
        let data = try temporaryFolder(self)
        let gen = AdhereProcess.binary.deletingLastPathComponent().appendingPathComponent("synth-export")
        let g = try Process.runCollecting(gen, ["--out", data.path, "--patients", "120", "--days", "120", "--start", "2026-07-15", "--files", "2"])
        XCTAssertEqual(g.code, 0, g.stderr)
        let sessions = data.appendingPathComponent("sessions")
        let out = try temporaryFolder(self)
        // settle-seconds 0: only a change during the read can hold the run back.
        let args = ["nightly", "--out", out.path, "--today", "2026-11-02", "--settle-seconds", "0", "--timezone", "UTC", sessions.path]
        let first = try AdhereProcess.run(args)
        XCTAssertEqual(first.code, 0, first.stderr)
        let before = try files(out)
        let target = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: sessions.path).sorted().last)
        let row = try XCTUnwrap(try String(contentsOf: sessions.appendingPathComponent(target), encoding: .utf8).split(separator: "\n").last)
        let writer = try startWriter(sessions.appendingPathComponent(target).path, lines: Array(repeating: String(row), count: 4000),
                                     interval: 0.005, append: true)
        defer { if writer.isRunning { writer.terminate() } }
        Thread.sleep(forTimeInterval: 0.2)
        let during = try AdhereProcess.run(args)
        XCTAssertTrue(writer.isRunning, "the writer stopped before the run: the test proves nothing")
        XCTAssertEqual(during.code, 75, during.stderr)
        XCTAssertTrue(during.stderr.contains("\(target): changed while adhere was reading it"), during.stderr)
        // October's run reads first and sees the change (unless the writer stalled through the
        // whole read: then October was read whole and written, and November is kept).
        XCTAssertTrue(during.stderr.contains("kept the previous workbooks of 2026-10 and 2026-11 as they were")
                      || during.stderr.contains("kept the previous workbooks of 2026-11 as they were"), during.stderr)
        let november = { (f: [String: Data]) in f.filter { $0.key.contains("2026-11") } }
        XCTAssertEqual(november(try files(out)), november(before))
        if during.stderr.contains("of 2026-10 and") { XCTAssertEqual(try files(out), before) }
    }
}
