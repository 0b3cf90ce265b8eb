import Foundation
import XCTest
import TestSupport

/// `adhere report` with the output folder's history cache (.adhere-history): old exports
/// unchanged since the last run are not read again, and every output stays what a run without
/// the cache writes, to the byte.
final class HistoryCacheRunTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes\n"

    /// March (a rejected row, a row with a bad value, an unknown exercise name, a note), April's
    /// first days, and the report's month. October's history days start on 4 April (five
    /// months back, less the 27 days before them that keep a patient active), so March and
    /// April are before them: their rows are read for patient, day and names only (the row
    /// with too few fields is rejected; the bad sets and the unknown name are not looked at).
    func writeExports(_ folder: URL) throws {
        try writeText(header + """
            P001,Avery Lindqvist,Dana Whitfield,Northside PT,2026-03-02T08:00:00,Step-ups,left,1,12,,2,knee fine
            P001,Avery Lindqvist,Dana Whitfield,Northside PT,2026-03-02T08:01:00,Moonwalk,left,1,10,,,
            P002,Bo Strand,Sam Okafor,Northside PT,2026-03-03T09:00:00,Calf stretch,both,x,10,,,
            P003,,,,,

            """, to: folder.appendingPathComponent("export-2026-03.csv"))
        try writeText(header + """
            P002,Bo Strand,Sam Okafor,Northside PT,2026-04-01T09:00:00,Calf stretch,both,1,10,,1,
            P004,Cy Berg,Sam Okafor,Northside PT,2026-04-02T10:00:00,Hip flexor stretch,left,1,10,10,,

            """, to: folder.appendingPathComponent("export-2026-04.csv"))
        var october = header
        for day in 1...20 {
            let d = String(format: "2026-10-%02d", day)
            october += "P001,Avery Lindqvist,Dana Whitfield,Northside PT,\(d)T07:00:00,Step-ups,left,1,15,,1,\n"
            october += "P002,Bo Strand,Sam Okafor,Northside PT,\(d)T07:30:00,Calf stretch,both,1,10,,3,\n"
        }
        try writeText(october, to: folder.appendingPathComponent("export-2026-10.csv"))
    }

    /// One run: what it wrote (workbooks member by member, docProps/core.xml aside, which
    /// holds the time of writing), said and returned, and how many files it took from the cache.
    struct Run: Equatable {
        var outputs: [String: String]
        var stdout: String
        var stderr: String
        var code: Int32
        var fromCache: Int?
    }

    func report(_ input: URL, _ out: URL, _ extra: [String] = []) throws -> Run {
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--plans", "Fixtures/plans.csv", "--out", out.path,
                                       "--json", out.appendingPathComponent("figures.json").path, input.path] + extra,
                                      environment: ["ADHERE_TIMINGS": "1"])
        var fromCache: Int?
        var said: [Substring] = []
        for line in r.stderr.split(separator: "\n") {
            if line.hasPrefix("timing: read ") {
                // "timing: read 3 files (2 from .adhere-history) 1.2 ms"
                fromCache = line.split(separator: "(").last.flatMap { Int($0.prefix { $0.isNumber }) }
            } else if !line.hasPrefix("timing: ") {
                said.append(line)
            }
        }
        let script = """
            import hashlib, json, os, sys, zipfile
            out, result = sys.argv[1], {}
            for name in sorted(os.listdir(out)):
                path = os.path.join(out, name)
                if name.startswith('.'): continue
                if name.endswith('.xlsx'):
                    with zipfile.ZipFile(path) as z:
                        for m in z.namelist():
                            if m != 'docProps/core.xml': result[name + ':' + m] = hashlib.sha256(z.read(m)).hexdigest()
                else:
                    result[name] = hashlib.sha256(open(path, 'rb').read()).hexdigest()
            json.dump(result, sys.stdout)
            """
        let dump = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, out.path])
        XCTAssertEqual(dump.code, 0, dump.stderr)
        let outputs = try JSONDecoder().decode([String: String].self, from: Data(dump.stdout.utf8))
        return Run(outputs: outputs, stdout: r.stdout.replacingOccurrences(of: out.path, with: "OUT"),
                   stderr: said.joined(separator: "\n").replacingOccurrences(of: out.path, with: "OUT"), code: r.code, fromCache: fromCache)
    }

    /// A run into a folder of its own: no cache.
    func uncached(_ input: URL, _ extra: [String] = []) throws -> Run {
        let out = try temporaryFolder(self).appendingPathComponent("out")
        let run = try report(input, out, extra)
        XCTAssertEqual(run.fromCache, 0)
        return run
    }

    func testOldExportsAreNotReadAgainAndTheOutputsStayTheSame() throws {
        let root = try temporaryFolder(self)
        let input = root.appendingPathComponent("in"), out = root.appendingPathComponent("out")
        try writeExports(input)
        // Settled: the cache keeps only files that last changed some seconds ago.
        Thread.sleep(forTimeInterval: 3.1)
        let cold = try report(input, out)
        XCTAssertEqual(cold.code, 0, cold.stderr)
        XCTAssertEqual(cold.fromCache, 0)
        let cache = out.appendingPathComponent(".adhere-history")
        let attributes = try FileManager.default.attributesOfItem(atPath: cache.path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        // The fixture's own expectations: March's row of too few fields rejected; March's 3
        // other rows and April's 2 read for their day only, Moonwalk among them (not said).
        XCTAssertTrue(cold.stdout.contains("read 3 files, 46 rows: 1 rejected"), cold.stdout)
        XCTAssertTrue(cold.stdout.contains("5 rows dated before 2026-04-04 were read for patient, day and names only"), cold.stdout)
        XCTAssertFalse(cold.stderr.contains("exercise name"), cold.stderr)
        XCTAssertEqual(cold.outputs.keys.filter { $0.hasPrefix("rejects-") }.count, 1)
        // The workbooks (About, and Data issues under the rejected rows) and the JSON say it too.
        let book = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-Dana-Whitfield.xlsx").path)
        let about = try XCTUnwrap(book.sheet("About"))
        let row = try XCTUnwrap(about.row(is: "Rows checked"))
        let said = "5 rows dated before 2026-04-04 were read for patient, day and names only "
            + "(this report uses nothing else of them); 'adhere check' checks every field of every row"
        XCTAssertEqual(about["B\(row)"]?.v, .string(said))
        let issues = try XCTUnwrap(book.sheet("Data issues"))
        XCTAssertNotNil(issues.row(is: "Not checked: " + said + "."), "Data issues says what was not checked")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("figures.json"))) as? [String: Any])
        XCTAssertEqual(json["rows_read_for_day_only"] as? Int, 5)
        XCTAssertEqual(json["checked_in_full_from"] as? String, "2026-04-04")

        // Warm: March and April (before October's history days) are not read.
        let warm = try report(input, out)
        XCTAssertEqual(warm.fromCache, 2)
        XCTAssertEqual(warm, Run(outputs: cold.outputs, stdout: cold.stdout, stderr: cold.stderr, code: 0, fromCache: 2))

        // A garbled cache: everything is read, the same is written, the cache is made again.
        try Data("garbled".utf8).write(to: cache)
        let garbled = try report(input, out)
        XCTAssertEqual(garbled.fromCache, 0)
        XCTAssertEqual(garbled.outputs, cold.outputs)
        XCTAssertEqual(garbled.stdout, cold.stdout)
        XCTAssertEqual(try report(input, out).fromCache, 2, "the cache was written again")

        // Another day/month order: every file is read again.
        XCTAssertEqual(try report(input, out, ["--date-order", "dmy"]).fromCache, 0)
        XCTAssertEqual(try report(input, out, ["--date-order", "dmy"]).fromCache, 2)
    }

    func testAChangedExportIsReadAgain() throws {
        let root = try temporaryFolder(self)
        let input = root.appendingPathComponent("in"), out = root.appendingPathComponent("out")
        try writeExports(input)
        Thread.sleep(forTimeInterval: 3.1)
        XCTAssertEqual(try report(input, out).fromCache, 0)
        XCTAssertEqual(try report(input, out).fromCache, 2)

        // March rewritten with one more bad row (line 6, an impossible date, which old rows are
        // held to): it is read, and its reject listed.
        let march = input.appendingPathComponent("export-2026-03.csv")
        let bad = "P002,Bo Strand,Sam Okafor,Northside PT,2026-03-34T09:00:00,Calf stretch,both,1,10,,,\n"
        try writeText(String(decoding: try Data(contentsOf: march), as: UTF8.self) + bad, to: march)
        let changed = try report(input, out)
        XCTAssertEqual(changed.fromCache, 1, "April only")
        XCTAssertTrue(changed.stdout.contains("47 rows: 2 rejected"), changed.stdout)
        let rejects = try pythonCSV(out.appendingPathComponent("rejects-2026-10.csv").path)
        let line = try XCTUnwrap(rejects.first?.firstIndex(of: "rejected_line"))
        XCTAssertEqual(rejects.dropFirst().map { $0[line] }, ["5", "6"])
        XCTAssertEqual(changed, try uncached(input).with(fromCache: 1))

        // April gains a row in October: it is read (and not kept while it has one).
        let april = input.appendingPathComponent("export-2026-04.csv")
        let octoberRow = "P004,Cy Berg,Sam Okafor,Northside PT,2026-10-21T10:00:00,Hip flexor stretch,left,1,10,10,,\n"
        try writeText(String(decoding: try Data(contentsOf: april), as: UTF8.self) + octoberRow, to: april)
        Thread.sleep(forTimeInterval: 3.1)
        let inWindow = try report(input, out)
        XCTAssertEqual(inWindow.fromCache, 0, "March changed last run (not kept yet), April has an October row")
        XCTAssertEqual(inWindow, try uncached(input))
        XCTAssertEqual(try report(input, out).fromCache, 1, "March, settled, kept; April still read")
    }
}

extension HistoryCacheRunTests.Run {
    func with(fromCache: Int) -> Self {
        var r = self
        r.fromCache = fromCache
        return r
    }
}
