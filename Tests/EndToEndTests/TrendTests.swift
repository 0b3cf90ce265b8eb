import Foundation
import XCTest
import TestSupport

/// `adhere trend` as a real process: same figures as the monthly report, ids only in errors,
/// colour only on a terminal, and a one-patient workbook read back with openpyxl.
final class TrendTests: XCTestCase {
    let base = ["--plans", "Fixtures/plans.csv", "Fixtures/sessions"]

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testFiguresAreTheMonthlyReportsFiguresForTheSameWindow() throws {
        let out = try temporaryFolder(self)
        for asOf in ["2026-10-31", "2026-10-15"] {
            let report = try AdhereProcess.run(["report", "--month", "2026-10", "--as-of", asOf, "--by", "all",
                                                "--out", out.path, "--json", "-"] + base)
            XCTAssertEqual(report.code, 0, report.stderr)
            let patients = try XCTUnwrap(try json(report.stdout)["patients"] as? [[String: Any]])
            for expected in FixtureExpectations.october {
                let t = try AdhereProcess.run(["trend", expected.id, "--as-of", asOf, "--json"] + base)
                XCTAssertEqual(t.code, 0, t.stderr)
                let doc = try json(t.stdout)
                XCTAssertEqual(doc["as_of"] as? String, asOf)
                var mine = try XCTUnwrap(doc["patient"] as? [String: Any])
                var theirs = try XCTUnwrap(patients.first { $0["patient_id"] as? String == expected.id })
                mine["weeks"] = nil
                theirs["weeks"] = nil
                XCTAssertEqual(NSDictionary(dictionary: mine), NSDictionary(dictionary: theirs), "\(expected.id) as of \(asOf)")
            }
        }
        // And they are the hand-worked figures.
        let p8 = try json(try AdhereProcess.run(["trend", "P008", "--as-of", "2026-10-31", "--json"] + base).stdout)
        let e = try XCTUnwrap(FixtureExpectations.october.first { $0.id == "P008" })
        let patient = try XCTUnwrap(p8["patient"] as? [String: Any])
        XCTAssertEqual((patient["overall_adherence"] as? NSNumber)?.doubleValue ?? -1, e.overall ?? -2, accuracy: 1e-9)
        XCTAssertEqual(patient["needs_attention"] as? [String], e.needsAttention)
    }

    func testWeeksAddUpToTheEntriesOfEachWeek() throws {
        // P004 logs at weekends only. The 4 ISO weeks ending on Sunday 2026-10-25 start on
        // Monday 28 September, 5, 12 and 19 October. Expected days and step-ups per week are
        // counted straight from the CSV text here, independently of adhere's reader.
        let t = try AdhereProcess.run(["trend", "P004", "--as-of", "2026-10-25", "--weeks", "4", "--json"] + base)
        XCTAssertEqual(t.code, 0, t.stderr)
        let weeks = try XCTUnwrap((try json(t.stdout)["patient"] as? [String: Any])?["weeks"] as? [[String: Any]])
        XCTAssertEqual(weeks.map { $0["week_start"] as? String }, ["2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19"])
        let csv = try String(contentsOf: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions/export-2026-10.csv"), encoding: .utf8)
            + (try String(contentsOf: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions/export-2026-09.csv"), encoding: .utf8))
        var days = Set<String>()
        var stepUps: [String: Int] = [:]
        for line in csv.split(separator: "\n") where line.hasPrefix("P004,") {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 12 else { continue } // the rejected short row
            let day = String(f[4].prefix(10))
            days.insert(day)
            if f[5] == "Step-ups" || f[5] == "step_up" { stepUps[day, default: 0] += (Int(f[7]) ?? 1) * (Int(f[8]) ?? 0) }
        }
        for w in weeks {
            let start = try XCTUnwrap(w["week_start"] as? String)
            let inWeek = days.filter { $0 >= start && $0 <= (w["last_day"] as? String ?? "") }
            XCTAssertEqual(w["days_logged"] as? Int, inWeek.count, "week of \(start)")
            XCTAssertEqual(w["step_up_reps"] as? Int, inWeek.map { stepUps[$0] ?? 0 }.reduce(0, +), "week of \(start)")
        }
    }

    /// The second trend on unchanged exports reads them through the patient index, and shows
    /// exactly what a read of every byte shows, for every patient, as text, JSON and workbook.
    func testATrendThroughThePatientIndexIsTheTrendOfAFullRead() throws {
        let dir = try temporaryFolder(self)
        let sessions = dir.appendingPathComponent("sessions")
        try FileManager.default.copyItem(at: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions"), to: sessions)
        let index = dir.appendingPathComponent("index").path
        let args = ["--as-of", "2026-10-31", "--plans", "Fixtures/plans.csv", sessions.path]
        // A file that changed in the last 2 seconds is not indexed (a file changing within the
        // clock's grain could keep its stamp): modified "in an hour", the exports count as
        // changing whatever the machine's speed; dated back, they settle 2 seconds later.
        let names = try FileManager.default.contentsOfDirectory(atPath: sessions.path).filter { $0.hasSuffix(".csv") }
        func date(_ offset: TimeInterval) throws {
            for n in names {
                try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(offset)],
                                                      ofItemAtPath: sessions.appendingPathComponent(n).path)
            }
        }
        try date(3600)
        let early = try AdhereProcess.run(["trend", "P001", "--index-dir", index] + args)
        XCTAssertEqual(early.code, 0, early.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: index), "nothing indexed while the files may still change")
        try date(-86_400)
        Thread.sleep(forTimeInterval: 3.1)
        let files = names.count
        for (k, p) in FixtureExpectations.october.enumerated() {
            for format in [["--json"], [], ["--weeks", "12"]] {
                let full = try AdhereProcess.run(["trend", p.id, "--no-index"] + format + args)
                XCTAssertEqual(full.code, 0, full.stderr)
                let indexed = try AdhereProcess.run(["trend", p.id, "--index-dir", index] + format + args, environment: ["ADHERE_TIMINGS": "1"])
                XCTAssertEqual(indexed.code, 0, indexed.stderr)
                XCTAssertEqual(indexed.stdout, full.stdout, "\(p.id) \(format)")
                // The first run indexes them. October is read in full for P001 (a note over two
                // lines) and for the patients with a rejected row there, whose lines must be the
                // file's: P002 (line 541), P004 (347), P006 (190, 507), P008 (242), as adhere
                // check lists them.
                let inFull: Set = ["P001", "P002", "P004", "P006", "P008"]
                let through = k == 0 && format == ["--json"] ? 0 : inFull.contains(p.id) ? files - 1 : files
                XCTAssertTrue(indexed.stderr.contains("timing: \(through) of \(files) files read through the patient index"), indexed.stderr)
            }
        }
        // A patient's rejected rows are said, with their lines in the file, either way: P006's
        // reps of -10 (line 190) and 7.5 (line 507) in October (the header is line 1).
        let october = sessions.appendingPathComponent("export-2026-10.csv").path
        for extra in [["--no-index"], ["--index-dir", index]] {
            let r = try AdhereProcess.run(["trend", "P006"] + extra + args, environment: ["ADHERE_TIMINGS": "1"])
            XCTAssertEqual(r.code, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("warning: 2 rows of P006 were rejected and are not in these figures ("
                + "\(october) line 190: reps must be a whole number 0 or more; \(october) line 507: reps must be a whole number 0 or more)"), r.stderr)
            XCTAssertFalse(r.stderr.contains("Farah"), "no names")
        }
        // The one-patient workbook too (its cells, read back).
        let a = dir.appendingPathComponent("a.xlsx").path, b = dir.appendingPathComponent("b.xlsx").path
        XCTAssertEqual(try AdhereProcess.run(["trend", "P008", "--no-index", "--xlsx", a] + args).code, 0)
        XCTAssertEqual(try AdhereProcess.run(["trend", "P008", "--index-dir", index, "--xlsx", b] + args).code, 0)
        let (da, db) = (try WorkbookDump.read(a), try WorkbookDump.read(b))
        XCTAssertEqual(da.sheets.map(\.name), db.sheets.map(\.name))
        for (x, y) in zip(da.sheets, db.sheets) {
            XCTAssertEqual(x.cells.mapValues(\.v), y.cells.mapValues(\.v), x.name)
        }
        // --no-index neither reads nor writes one.
        let other = dir.appendingPathComponent("other").path
        XCTAssertEqual(try AdhereProcess.run(["trend", "P001", "--no-index", "--index-dir", other] + args).code, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other))
        // The default folder is the user's cache folder ($XDG_CACHE_HOME/adhere here).
        let cache = dir.appendingPathComponent("cache").path
        XCTAssertEqual(try AdhereProcess.run(["trend", "P001"] + args, environment: ["XDG_CACHE_HOME": cache]).code, 0)
        let kept = try FileManager.default.contentsOfDirectory(atPath: cache + "/adhere").filter { $0.hasSuffix(".adhere-index") }
        XCTAssertEqual(kept.count, files)
    }

    /// A history of many exports read through the index holds no descriptor per export: with
    /// 300 exports and at most 64 open files, the second (indexed) trend is the full read's.
    func testManyExportsThroughTheIndexStayWithinTheOpenFileLimit() throws {
        let dir = try temporaryFolder(self)
        let sessions = dir.appendingPathComponent("sessions")
        try FileManager.default.createDirectory(at: sessions, withIntermediateDirectories: true)
        let header = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes\n"
        let start = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-01-01T12:00:00Z"))
        for k in 0..<300 {
            let day = ISO8601DateFormatter().string(from: start.addingTimeInterval(Double(k) * 86_400)).prefix(10)
            let rows = "P001,Ann,Dana,North,\(day),Step-ups,left,1,\(10 + k % 5),,,\nP002,Bo,Dana,North,\(day),Step-ups,left,1,8,,,\n"
            try Data((header + rows).utf8).write(to: sessions.appendingPathComponent(String(format: "e%03d.csv", k)))
        }
        Thread.sleep(forTimeInterval: 3.1)
        let index = dir.appendingPathComponent("index").path
        let trend = "'\(AdhereProcess.binary.path)' trend P001 --as-of 2026-10-31 --json"
        func shell(_ line: String) throws -> AdhereProcess.Result {
            try Process.runCollecting(URL(fileURLWithPath: "/bin/sh"), ["-c", line], environment: AdhereProcess.testEnvironment)
        }
        let full = try shell("\(trend) --no-index '\(sessions.path)'")
        XCTAssertEqual(full.code, 0, full.stderr)
        XCTAssertTrue(full.stdout.contains("\"patient_id\" : \"P001\"") || full.stdout.contains("\"patient_id\":\"P001\""), full.stdout)
        XCTAssertEqual(try shell("\(trend) --index-dir '\(index)' '\(sessions.path)'").code, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: index).count, 300)
        let limited = try shell("ulimit -n 64 && ADHERE_TIMINGS=1 \(trend) --index-dir '\(index)' '\(sessions.path)'")
        XCTAssertEqual(limited.code, 0, limited.stderr)
        XCTAssertEqual(limited.stdout, full.stdout)
        XCTAssertTrue(limited.stderr.contains("timing: 300 of 300 files read through the patient index"), limited.stderr)
    }

    func testUnknownIdSuggestsNearestIdsWithoutNames() throws {
        let r = try AdhereProcess.run(["trend", "P08", "--as-of", "2026-10-31"] + base)
        XCTAssertEqual(r.code, 66)
        XCTAssertTrue(r.stderr.contains("no patient 'P08'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("P008"), r.stderr)
        for p in FixtureExpectations.october { XCTAssertFalse(r.stderr.contains(p.name), "no names in errors") }
    }

    func testColourOnlyOnATerminalAndNeverWithNoColor() throws {
        let piped = try AdhereProcess.run(["trend", "P008", "--as-of", "2026-10-31"] + base)
        XCTAssertEqual(piped.code, 0)
        XCTAssertFalse(piped.stdout.contains("\u{1B}["), "no colour when piped")
        // The report's words, urgent reasons first: highest pain 6, last on Friday 30 Oct (6 on even
        // dates from 10-18); pain change 85/26 = 3.27 points (FixtureExpectations).
        XCTAssertTrue(piped.stdout.contains("Call now: pain 6/10 on 30 Oct; pain up 3.3 pts"), piped.stdout)
        XCTAssertTrue(piped.stdout.contains("Step-ups per day"))
        let command = ([AdhereProcess.binary.path, "trend", "P008", "--as-of", "2026-10-31"] + base).joined(separator: " ")
        // NO_COLOR set but empty counts as not set (no-color.org); it overrides any inherited value.
        let tty = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/script"), ["-q", "-c", command, "/dev/null"],
                                            environment: ["NO_COLOR": ""], cwd: AdhereProcess.packageRoot)
        XCTAssertTrue(tty.stdout.contains("\u{1B}["), "colour on a terminal: \(tty.stdout.prefix(300)) \(tty.stderr)")
        let noColor = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/script"), ["-q", "-c", command, "/dev/null"],
                                                environment: ["NO_COLOR": "1"], cwd: AdhereProcess.packageRoot)
        XCTAssertFalse(noColor.stdout.contains("\u{1B}["), "NO_COLOR is respected")
        XCTAssertTrue(noColor.stdout.contains("P008"))
    }

    func testOnePatientWorkbook() throws {
        let dir = try temporaryFolder(self)
        let path = dir.appendingPathComponent("p008.xlsx").path
        let r = try AdhereProcess.run(["trend", "P008", "--as-of", "2026-10-31", "--weeks", "6", "--json", "--xlsx", path] + base)
        XCTAssertEqual(r.code, 0, r.stderr)
        let weeks = try XCTUnwrap((try json(r.stdout)["patient"] as? [String: Any])?["weeks"] as? [[String: Any]])
        let dump = try WorkbookDump.read(path)
        let ws = try XCTUnwrap(dump.sheet("Weekly"))
        let header = try XCTUnwrap(ws.row(is: "Week starting"))
        let reps = try XCTUnwrap(ws.column(titled: "Step-up reps", headerRow: header))
        for (k, w) in weeks.enumerated() {
            XCTAssertEqual(ws["A\(header + 1 + k)"]?.v.string, w["week_start"] as? String)
            XCTAssertEqual(ws["A\(header + 1 + k)"]?.t, "date")
            XCTAssertEqual(ws["\(reps)\(header + 1 + k)"]?.v.number, (w["step_up_reps"] as? NSNumber)?.doubleValue)
        }
        XCTAssertEqual(dump.charts.count, 3, "step-ups, adherence and pain charts: \(dump.charts)")
        let log = try XCTUnwrap(dump.sheet("Daily log"))
        XCTAssertGreaterThan(log.max_row, 1)
        XCTAssertEqual(log["A2"]?.t, "date")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
    }
}
