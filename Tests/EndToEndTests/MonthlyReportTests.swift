import Foundation
import XCTest
import TestSupport

/// `adhere report` run as a real process on the sample export in Fixtures, with its workbooks
/// read back by openpyxl and checked against figures worked out by hand
/// (FixtureExpectations.swift).
final class MonthlyReportTests: XCTestCase {
    nonisolated(unsafe) static var runs: [String: (AdhereProcess.Result, URL)] = [:]

    /// The output folders kept for the class's tests are removed once they all ran.
    override class func tearDown() {
        for (_, out) in runs.values { try? FileManager.default.removeItem(at: out) }
        runs = [:]
        super.tearDown()
    }

    /// Runs `adhere report` once per distinct set of arguments and keeps the output folder.
    func report(_ extra: [String], asOf: String? = nil) throws -> (AdhereProcess.Result, URL) {
        let key = extra.joined(separator: " ") + (asOf ?? "")
        if let r = MonthlyReportTests.runs[key] { return r }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-e2e-\(UUID().uuidString)")
        var args = ["report", "--month", "2026-10", "--plans", "Fixtures/plans.csv", "--out", out.path]
        if let asOf { args += ["--as-of", asOf] }
        args += extra + ["Fixtures/sessions"]
        let r = try AdhereProcess.run(args)
        MonthlyReportTests.runs[key] = (r, out)
        return (r, out)
    }

    func allWorkbook(asOf: String? = nil) throws -> WorkbookDump {
        let (r, out) = try report(["--by", "all"], asOf: asOf)
        XCTAssertEqual(r.code, 0, r.stderr)
        return try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-all.xlsx").path)
    }

    // MARK: - Summary figures

    func checkSummary(_ dump: WorkbookDump, _ expected: [ExpectedPatient], urgency: [String: String], asOf: String) throws {
        let s = try XCTUnwrap(dump.sheet("Summary"))
        func col(_ title: String) throws -> String { try XCTUnwrap(s.column(titled: title), "no column \(title)") }
        for e in expected {
            let row = try XCTUnwrap(s.row(is: e.id), "patient \(e.id) missing from Summary")
            func cell(_ title: String) throws -> WorkbookDump.Cell? { s["\(try col(title))\(row)"] }
            func number(_ title: String) throws -> Double? {
                guard let c = try cell(title) else { return nil }
                XCTAssertEqual(c.t, "number", "\(e.id) \(title) should be a number cell")
                return c.v.number
            }
            let who = "\(e.id) (as of \(asOf))"
            XCTAssertEqual(try cell("Patient")?.v.string, e.name, "\(who) name")
            XCTAssertEqual(try cell("Therapist")?.v.string ?? "", e.therapist, "\(who) therapist")
            assertClose(try number("Overall adherence"), e.overall, "\(who) overall adherence")
            XCTAssertEqual(try cell("Band")?.v.string, e.band, "\(who) band")
            for (key, title) in [("hip_flexor_stretch", "Hip flexor stretch"), ("calf_stretch", "Calf stretch"), ("step_up", "Step-ups")] {
                let expectedValue: Double? = e.adherence[key] ?? nil
                assertClose(try number(title), expectedValue, "\(who) \(title) adherence")
            }
            assertClose(try number("Sessions/week"), e.sessionsPerWeek.map(Double.init), "\(who) sessions/week")
            assertClose(try number("Expected sessions"), e.expectedSessions, "\(who) expected sessions")
            assertClose(try number("Session days"), e.sessionDays, "\(who) session days")
            assertClose(try number("Monitoring days (30)"), Double(e.monitoringDays), "\(who) monitoring days")
            assertClose(try number("Step-up reps"), e.stepUpReps.map(Double.init), "\(who) step-up reps")
            assertClose(try number("Step-up trend (%/week)"), e.trendPct, "\(who) trend %/week", accuracy: 1e-6)
            XCTAssertEqual(try cell("Step-up trend")?.v.string, e.trendLabel, "\(who) trend label")
            assertClose(try number("Side balance"), e.sideBalance, "\(who) side balance")
            assertClose(try number("Pain change"), e.painChange, "\(who) pain change")
            assertClose(try number("Max pain"), e.maxPain, "\(who) max pain")
            // In percentage points.
            assertClose(try number("Change vs last month (pts)"), e.changeVsLastMonth.map { $0 * 100 }, "\(who) change vs last month",
                        accuracy: 1e-7)
            let last = try cell("Last entry")
            XCTAssertEqual(last?.v.string, e.lastEntry, "\(who) last entry")
            if last != nil { XCTAssertEqual(last?.t, "date", "\(who) last entry should be a date cell") }
            // The reasons are in the therapist's words (ClinicalFiguresTests checks them word for
            // word); the rules' own words are in the JSON.
            let reasons = try cell("Needs attention")?.v.string ?? ""
            XCTAssertEqual(reasons.isEmpty, e.needsAttention.isEmpty, "\(who) needs attention: \(reasons)")
            XCTAssertEqual(try cell("Urgency")?.v.string, urgency[e.id], "\(who) urgency")
        }
    }

    func testOctoberSummaryMatchesHandWorkedFigures() throws {
        let dump = try allWorkbook()
        try checkSummary(dump, FixtureExpectations.october, urgency: FixtureExpectations.octoberUrgency, asOf: "2026-10-31")
        let s = try XCTUnwrap(dump.sheet("Summary"))
        XCTAssertEqual(s.summaryIDs, FixtureExpectations.octoberOrder,
                       "call now, review, not logging, then the rest; each by lowest overall adherence, then id")
        for id in FixtureExpectations.notInOctober { XCTAssertNil(s.row(is: id), "\(id) must not be in October") }
    }

    func testMonthToDateSummaryMatchesHandWorkedFigures() throws {
        let dump = try allWorkbook(asOf: "2026-10-15")
        try checkSummary(dump, FixtureExpectations.octoberMidMonth, urgency: FixtureExpectations.midOctoberUrgency, asOf: "2026-10-15")
    }

    func testOneWorkbookPerTherapistWithUnassignedLast() throws {
        let (r, out) = try report([])
        XCTAssertEqual(r.code, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".adhere") }.sorted()
        XCTAssertEqual(files, ["adhere-2026-10-Dana-Whitfield.xlsx", "adhere-2026-10-Sam-Okafor.xlsx",
                               "adhere-2026-10-overview.xlsx", "adhere-2026-10-unassigned.xlsx", "rejects-2026-10.csv",
                               "rtm-2026-10.csv"])
        var seen: [String] = []
        for (file, therapist) in [("adhere-2026-10-Dana-Whitfield.xlsx", "Dana Whitfield"),
                                  ("adhere-2026-10-Sam-Okafor.xlsx", "Sam Okafor"),
                                  ("adhere-2026-10-unassigned.xlsx", "")] {
            let s = try XCTUnwrap(WorkbookDump.read(out.appendingPathComponent(file).path).sheet("Summary"))
            let ids = s.summaryIDs
            let expected = FixtureExpectations.octoberOrder.filter { id in
                FixtureExpectations.october.first { $0.id == id }?.therapist == therapist
            }
            XCTAssertEqual(ids, expected, "patients of \(file), in report order")
            seen += ids
        }
        XCTAssertEqual(seen.sorted(), FixtureExpectations.octoberOrder.sorted())
        // One line per workbook, the overview's, then the total line.
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, r.stdout)
        let dana = FixtureExpectations.october.filter { $0.therapist == "Dana Whitfield" }
        XCTAssertTrue(lines[0].hasSuffix("adhere-2026-10-Dana-Whitfield.xlsx: \(dana.count) patients, \(dana.filter { !$0.needsAttention.isEmpty }.count) need attention"), lines[0])
        XCTAssertTrue(lines[3].hasSuffix("adhere-2026-10-overview.xlsx: the clinic overview, 12 RTM periods closed (see \(out.path)/rtm-2026-10.csv)"), lines[3])
        XCTAssertTrue(lines[4].contains("read 2 files, \(FixtureExpectations.rowsRead) rows: \(FixtureExpectations.rowsRejected) rejected"), lines[4])
        XCTAssertTrue(lines[4].contains("\(FixtureExpectations.duplicatesDropped) duplicates dropped"), lines[4])
        for p in FixtureExpectations.october {
            XCTAssertFalse(r.stdout.contains(p.name) || r.stderr.contains(p.name), "patient name in output")
        }
    }

    // MARK: - Layout a therapist relies on

    func testSummaryLayout() throws {
        let dump = try allWorkbook()
        let s = try XCTUnwrap(dump.sheet("Summary"))
        let n = FixtureExpectations.october.count
        // Title (every patient is at Northside PT: said once there, no Clinic column), one notice
        // (the fixture's unknown name 'Wall sit'), the worklist's counts (octoberUrgency: 4 to call
        // now, 4 to review, 1 not logging, the other 3 of 12 on track), a blank row, the table.
        XCTAssertEqual(s["A1"]?.v.string, "Adherence report 2026-10, all (Northside PT), as of 2026-10-31")
        XCTAssertEqual(s["A2"]?.v.string?.hasPrefix("Note: Exercise names adhere does not know ('Wall sit')"), true)
        XCTAssertEqual(s["A3"]?.v.string, "To call now: 4 · To review: 4 · Not logging: 1 · On track: 3")
        XCTAssertEqual(s.tableHeaderRow, 5)
        XCTAssertEqual(s.freeze, "C6", "header row and patient columns frozen")
        let lastColumn = try XCTUnwrap(s.column(titled: "Other reps"))
        XCTAssertEqual(s.autofilter, "A5:\(lastColumn)\(n + 5)")
        // Printed: landscape at full size (never shrunk to fit), the header on every page, the
        // worklist's columns (id to step-up trend) on the page's width.
        XCTAssertEqual(s.orientation, "landscape")
        XCTAssertFalse(s.fit_to_page)
        XCTAssertEqual(s.scale ?? 100, 100)
        XCTAssertEqual(s.print_title_rows, "$5:$5", "header repeated on every page")
        let titles = ["Patient ID", "Patient", "Therapist", "Urgency", "Needs attention", "Latest note", "Sessions/week",
                      "Expected sessions", "Overall adherence", "Hip flexor stretch", "Calf stretch", "Step-ups",
                      "Hip flexor stretch holds", "Session days", "Monitoring days (30)", "Step-up reps",
                      "Step-up trend (%/week)", "Step-up trend", "Side balance", "Pain change", "Max pain",
                      "Change vs last month (pts)", "Last entry", "Days since last entry", "Engagement"]
        for t in titles { XCTAssertNotNil(s.column(titled: t), "Summary header \(t)") }
        XCTAssertNil(s.column(titled: "Clinic"), "one clinic for all: in the title")
        let change = try XCTUnwrap(s.column(titled: "Change vs last month (pts)"))
        XCTAssertEqual(s["\(change)6"]?.fmt, "+0\" pts\";-0\" pts\";0\" pts\"")
        // Fractions are percentages; the name column is wide enough for the longest name.
        let overall = try XCTUnwrap(s.column(titled: "Overall adherence"))
        XCTAssertEqual(s["\(overall)6"]?.fmt, "0.0%")
        let nameCol = try XCTUnwrap(s.column(titled: "Patient"))
        let longest = FixtureExpectations.october.map(\.name.count).max()!
        XCTAssertGreaterThanOrEqual(s.widths[nameCol] ?? 0, Double(longest))
        // Adherence bands: green >= 80%, amber 50-79%, red < 50%, blanks untouched.
        let rules = s.conditional.filter { $0.range == "\(overall)6:\(overall)\(n + 5)" }
        XCTAssertEqual(Set(rules.flatMap(\.formula)), [
            "AND(ISNUMBER(\(overall)6),\(overall)6>=0.8)",
            "AND(ISNUMBER(\(overall)6),\(overall)6>=0.5,\(overall)6<0.8)",
            "AND(ISNUMBER(\(overall)6),\(overall)6<0.5)"])
        XCTAssertEqual(Set(rules.compactMap(\.fill)), ["FFC6EFCE", "FFFFEB9C", "FFFFC7CE"])
        // Each patient id links to its block on Trends, whose heading names the patient.
        let trends = try XCTUnwrap(dump.sheet("Trends"))
        for e in FixtureExpectations.october {
            let row = try XCTUnwrap(s.row(is: e.id))
            let link = try XCTUnwrap(s.links["A\(row)"], "\(e.id) has no link")
            let target = try XCTUnwrap(link.split(separator: "!").last.map(String.init))
            XCTAssertEqual(trends[target]?.v.string?.hasPrefix("\(e.id) — \(e.name)"), true, "\(e.id) link lands on \(target)")
        }
        XCTAssertEqual(dump.properties.created?.hasPrefix("2026-10-31"), true, "creation time pinned to the as-of date")
    }

    func testTrendsSheetHasWeeklyFiguresAndCharts() throws {
        let dump = try allWorkbook()
        let t = try XCTUnwrap(dump.sheet("Trends"))
        // Charts where they help: the worklist's pain callers get the pain chart (P008 pain up
        // and above 5, P013 pain above 5), the step-ups declining the step-up chart (P007); on
        // the Charts sheet. Everybody else's weeks are in the table, with bars in the cells.
        XCTAssertEqual(dump.charts.map { String($0.prefix { $0 != "," }) }.sorted(),
                       ["P007: step-ups per day", "P008: pain per week (0-10) pain", "P013: pain per week (0-10) pain"])
        for s in dump.chart_series { XCTAssertTrue(s.values?.hasPrefix("Trends!") == true, "\(s.chart) draws from Trends") }
        XCTAssertEqual(t.conditional.filter { $0.type == "dataBar" }.count, 3 * FixtureExpectations.october.count,
                       "bars of adherence, step-ups per day and pain in every block")
        // Every block's heading says the step-up direction at a glance.
        for e in FixtureExpectations.october {
            let heading = try XCTUnwrap((1...t.max_row).first { t["A\($0)"]?.v.string?.hasPrefix("\(e.id) — ") == true })
            let direction = try XCTUnwrap(t["H\(heading)"]?.v.string, e.id)
            switch e.trendLabel {
            case "building": XCTAssertTrue(direction.hasPrefix("Step-ups ↑ building"), "\(e.id): \(direction)")
            case "declining": XCTAssertTrue(direction.hasPrefix("Step-ups ↓ declining"), "\(e.id): \(direction)")
            case "steady": XCTAssertTrue(direction.hasPrefix("Step-ups → steady"), "\(e.id): \(direction)")
            default: XCTAssertTrue(direction == "Step-ups: too few days for a trend" || direction == "No step-ups prescribed", "\(e.id): \(direction)")
            }
        }
        // A block's weekly rows start with a date cell (first block row: heading, then reason,
        // then header).
        let top = try XCTUnwrap(t.row(is: "Week starting"))
        XCTAssertEqual(t["A\(top + 1)"]?.t, "date")
        // Whole weeks: the first row is the Monday of the look-back's first day (Sun 20 Sept).
        XCTAssertEqual(t["A\(top + 1)"]?.v.string, "2026-09-14")
        // Every block links back to its patient's Summary row.
        let summary = try XCTUnwrap(dump.sheet("Summary"))
        for e in FixtureExpectations.october {
            let heading = try XCTUnwrap((1...t.max_row).first { t["A\($0)"]?.v.string?.hasPrefix("\(e.id) — ") == true })
            let back = try XCTUnwrap(t.links.first { $0.key.hasSuffix("\(heading)") && Int($0.key.drop { $0.isLetter }) == heading }?.value,
                                     "\(e.id) block has no link back")
            let target = try XCTUnwrap(back.split(separator: "!").last.map(String.init))
            XCTAssertEqual(summary[target]?.v.string, e.id)
        }
        // P012 (never started, plan from Monday 28 Sep): the weeks of 14 and 21 Sep are before
        // the start, empty; from 28 Sep its step-ups are real zeros.
        let p12 = try XCTUnwrap((1...t.max_row).first { t["A\($0)"]?.v.string?.hasPrefix("P012 — ") == true }) + 2
        let stepCol = try XCTUnwrap(t.column(titled: "Step-up reps", headerRow: p12))
        XCTAssertEqual(t["B\(p12 + 1)"]?.v.string, "14 Sep, before the start")
        XCTAssertNil(t["\(stepCol)\(p12 + 1)"])
        XCTAssertEqual(t["\(stepCol)\(p12 + 3)"]?.t, "number")
        XCTAssertEqual(t["\(stepCol)\(p12 + 3)"]?.v.number, 0)
    }

    // MARK: - Data issues, About, rejects file, JSON

    func testDataIssuesListEveryRejectedRowDuplicateAndUnknownName() throws {
        let dump = try allWorkbook()
        let d = try XCTUnwrap(dump.sheet("Data issues"))
        for r in FixtureExpectations.rejects {
            let match = (1...d.max_row).first { row in
                d["A\(row)"]?.v.string?.hasSuffix(r.file) == true && d["B\(row)"]?.v.number == Double(r.line)
            }
            let row = try XCTUnwrap(match, "rejected line \(r.line) of \(r.file) not listed")
            XCTAssertTrue(d["C\(row)"]?.v.string?.lowercased().contains(r.reasonContains) == true,
                          "line \(r.line): reason \(d["C\(row)"]?.v.string ?? "-") should mention \(r.reasonContains)")
            XCTAssertEqual(d["D\(row)"]?.t, "text", "raw text kept")
            XCTAssertFalse(d["D\(row)"]?.v.string?.isEmpty ?? true)
        }
        let octoberFile = try XCTUnwrap((1...d.max_row).first { d["A\($0)"]?.v.string?.hasSuffix("export-2026-10.csv") == true && d["B\($0)"]?.fmt == "0" && d["C\($0)"] == nil })
        XCTAssertEqual(d["B\(octoberFile)"]?.v.number, Double(FixtureExpectations.duplicatesDropped))
        for (name, rows) in FixtureExpectations.unknownExercises {
            let row = try XCTUnwrap(d.row(is: name), "unknown exercise \(name) not listed")
            XCTAssertEqual(d["B\(row)"]?.v.number, Double(rows))
        }
    }

    func testRejectsFileKeepsFileLineReasonAndRawTextAndCanBeFedBackIn() throws {
        let (_, out) = try report(["--by", "all"])
        let rejectsURL = out.appendingPathComponent("rejects-2026-10.csv")
        let text = try String(contentsOf: rejectsURL, encoding: .utf8)
        // RFC 4180: every record ends in CRLF (these rows hold no line break of their own).
        XCTAssertTrue(text.hasSuffix("\r\n"))
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains(where: { $0 == "\n" || $0 == "\r" }), "no bare LF or CR")
        let lines = text.components(separatedBy: "\r\n").dropLast()
        XCTAssertEqual(lines.first, "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes,rejected_file,rejected_line,rejected_reason,raw")
        XCTAssertEqual(lines.count - 1, FixtureExpectations.rowsRejected)
        let source = try String(contentsOf: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions/export-2026-10.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        for r in FixtureExpectations.rejects {
            let raw = String(source[r.line - 1])
            XCTAssertTrue(text.contains("\(r.file),\(r.line),"), "line \(r.line) in rejects file")
            XCTAssertTrue(text.contains(raw) || text.contains("\"" + raw.replacingOccurrences(of: "\"", with: "\"\"") + "\""),
                          "raw text of line \(r.line) kept exactly")
        }
        let attrs = try FileManager.default.attributesOfItem(atPath: rejectsURL.path)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        // Fixed (the 7.5 reps made 8) and given back: that row now counts, the rest are still rejected.
        let fixed = try temporaryFolder(self)
        let edited = text.replacingOccurrences(of: ",Hip flexor stretch,both,1,7.5,", with: ",Hip flexor stretch,both,1,8,")
        XCTAssertNotEqual(edited, text)
        try Data(edited.utf8).write(to: fixed.appendingPathComponent("fixed.csv"))
        let again = try AdhereProcess.run(["check", fixed.appendingPathComponent("fixed.csv").path])
        XCTAssertEqual(again.code, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("rows: \(FixtureExpectations.rowsRejected) read, 1 accepted, \(FixtureExpectations.rowsRejected - 1) rejected"), again.stdout)
    }

    func testAboutSheetNamesInputsSettingsAndRules() throws {
        let dump = try allWorkbook()
        let a = try XCTUnwrap(dump.sheet("About"))
        func value(_ key: String) -> WorkbookDump.Cell? { a.row(is: key).flatMap { a["B\($0)"] } }
        XCTAssertEqual(value("Month")?.v.string, "2026-10")
        XCTAssertEqual(value("As of")?.v.string, "2026-10-31")
        XCTAssertEqual(value("As of")?.t, "date")
        XCTAssertNotNil(value("Generated at"))
        XCTAssertEqual(value("Tool")?.v.string?.hasPrefix("adhere "), true)
        XCTAssertEqual(value("Plans file")?.v.string, "Fixtures/plans.csv")
        // SHA-256 of each input, checked with the system's sha256sum.
        for name in ["export-2026-09.csv", "export-2026-10.csv"] {
            let path = "Fixtures/sessions/\(name)"
            let sum = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum", path], cwd: AdhereProcess.packageRoot)
            let digest = String(sum.stdout.prefix(64))
            let row = try XCTUnwrap(a.row(is: path), "\(path) not listed")
            XCTAssertEqual(a["A\(row + 1)"]?.v.string, digest, "\(path) SHA-256, on the line below")
            XCTAssertGreaterThan(a["B\(row)"]?.v.number ?? 0, 0)
        }
        let rules = a.texts(inColumn: "A").filter { $0.count > 60 }
        XCTAssertTrue(rules.contains { $0.contains("80%") && $0.contains("adherent") }, "band thresholds stated")
        XCTAssertTrue(rules.contains { $0.contains("declining") && $0.contains("42 days") }, "trend rule stated")
        XCTAssertTrue(rules.contains { $0.contains("28 days") }, "discharge rule stated")
    }

    func testJSONCarriesTheSameFiguresAsTheWorkbook() throws {
        let out = try temporaryFolder(self)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--plans", "Fixtures/plans.csv", "--by", "all",
                                       "--out", out.path, "--json", "-", "Fixtures/sessions"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["month"] as? String, "2026-10")
        XCTAssertEqual(doc["as_of"] as? String, "2026-10-31")
        XCTAssertEqual(doc["rows_read"] as? Int, FixtureExpectations.rowsRead)
        XCTAssertEqual(doc["rows_rejected"] as? Int, FixtureExpectations.rowsRejected)
        XCTAssertEqual(doc["duplicates_dropped"] as? Int, FixtureExpectations.duplicatesDropped)
        let patients = try XCTUnwrap(doc["patients"] as? [[String: Any]])
        XCTAssertEqual(patients.map { $0["patient_id"] as? String }, FixtureExpectations.octoberOrder)
        for e in FixtureExpectations.october {
            let p = try XCTUnwrap(patients.first { $0["patient_id"] as? String == e.id })
            func num(_ k: String) -> Double? { (p[k] as? NSNumber)?.doubleValue }
            assertClose(num("overall_adherence"), e.overall, "\(e.id) overall_adherence")
            assertClose(num("expected_sessions"), e.expectedSessions, "\(e.id) expected_sessions")
            assertClose(num("session_days"), e.sessionDays, "\(e.id) session_days")
            assertClose(num("step_up_trend_pct_per_week"), e.trendPct, "\(e.id) trend", accuracy: 1e-6)
            assertClose(num("change_vs_previous_month"), e.changeVsLastMonth, "\(e.id) change")
            assertClose(num("pain_change"), e.painChange, "\(e.id) pain change")
            XCTAssertEqual(p["band"] as? String, e.band)
            XCTAssertEqual(p["step_up_trend"] as? String, e.trendLabel)
            XCTAssertEqual(p["monitoring_days"] as? Int, e.monitoringDays)
            XCTAssertEqual(p["step_up_reps"] as? Int, e.stepUpReps)
            XCTAssertEqual(p["last_entry"] as? String, e.lastEntry)
            XCTAssertEqual(p["needs_attention"] as? [String], e.needsAttention)
            XCTAssertEqual(p["therapist"] as? String ?? "", e.therapist)
            let adherence = try XCTUnwrap(p["adherence"] as? [String: Any])
            XCTAssertEqual(Set(adherence.keys), Set(e.adherence.keys), "\(e.id) prescribed exercises")
            for (k, v) in e.adherence {
                assertClose((adherence[k] as? NSNumber)?.doubleValue, v, "\(e.id) adherence \(k)")
            }
            for k in ["patient_id", "therapist", "clinic", "side_balance", "max_pain", "last_entry"] {
                XCTAssertTrue(p.keys.contains(k), "\(e.id) JSON has \(k)")
            }
        }
        // The human lines go to stderr when JSON goes to stdout.
        XCTAssertTrue(r.stderr.contains("adhere-2026-10-all.xlsx: \(FixtureExpectations.october.count) patients"), r.stderr)
    }

    // MARK: - Properties an admin relies on

    func testSameInputsGiveByteIdenticalOwnerOnlyFiles() throws {
        let a = try temporaryFolder(self), b = try temporaryFolder(self)
        for out in [a, b] {
            let r = try AdhereProcess.run(["report", "--month", "2026-10", "--plans", "Fixtures/plans.csv", "--out", out.path, "Fixtures/sessions"])
            XCTAssertEqual(r.code, 0, r.stderr)
        }
        // The workbooks, the rejects file and the inputs' digests (.adhere-inputs: the fixtures are unchanged).
        let files = try FileManager.default.contentsOfDirectory(atPath: a.path).filter { $0 != ".adhere.lock" }.sorted()
        XCTAssertEqual(files.count, 7, "three workbooks, the overview, the rejects and RTM files, the inputs' digests")
        for f in files {
            let x = try Data(contentsOf: a.appendingPathComponent(f)), y = try Data(contentsOf: b.appendingPathComponent(f))
            XCTAssertEqual(x, y, "\(f) differs between two runs")
            let mode = try FileManager.default.attributesOfItem(atPath: a.appendingPathComponent(f).path)[.posixPermissions] as? NSNumber
            XCTAssertEqual(mode?.intValue, 0o600, "\(f) must be owner-only")
        }
        XCTAssertFalse(files.contains { $0.hasPrefix(".") && $0 != ".adhere-inputs" }, "no temporary files left behind")
    }

    func testOneThreadOrManyGiveTheSameBytes() throws {
        var outputs: [[String: Data]] = []
        for threads in ["1", "2", "5"] {
            let out = try temporaryFolder(self)
            let r = try AdhereProcess.run(["report", "--month", "2026-10", "--plans", "Fixtures/plans.csv", "--out", out.path,
                                           "--json", out.appendingPathComponent("figures.json").path,
                                           "Fixtures/sessions/export-2026-09.csv", "Fixtures/sessions/export-2026-10.csv",
                                           "Fixtures/dialects/vendor-b"], environment: ["ADHERE_THREADS": threads])
            XCTAssertEqual(r.code, 0, r.stderr)
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where !name.hasPrefix(".adhere") {
                files[name] = try Data(contentsOf: out.appendingPathComponent(name))
            }
            outputs.append(files)
        }
        XCTAssertEqual(outputs[0].count, 7)
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0], outputs[2])
    }

    /// LibreOffice opens the workbook and reads what openpyxl reads: every sheet, every text
    /// cell in its place with the same text, and a value in every number or date cell. A
    /// workbook LibreOffice had to repair or could not read fully fails here, cell by cell.
    func testWorkbookOpensInLibreOfficeWithEveryCellInPlace() throws {
        let office = try XCTUnwrap(LibreOffice.binary, "LibreOffice is needed for this check; scripts/test.sh installs it")
        let (_, out) = try report(["--by", "all"])
        let workbook = out.appendingPathComponent("adhere-2026-10-all.xlsx")
        let conv = try temporaryFolder(self)
        let profile = try temporaryFolder(self)
        // Sheet -1: every sheet to its own CSV file, named after the workbook and the sheet.
        let r = try Process.runCollecting(URL(fileURLWithPath: office),
                                          ["-env:UserInstallation=file://\(profile.path)", "--headless", "--norestore",
                                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                                           "--outdir", conv.path, workbook.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let dump = try WorkbookDump.read(workbook.path)
        XCTAssertGreaterThanOrEqual(dump.sheets.count, 3)
        var textCells = 0
        for sheet in dump.sheets {
            let file = conv.appendingPathComponent("adhere-2026-10-all-\(sheet.name).csv")
            let csv = try XCTUnwrap(try? String(contentsOf: file, encoding: .utf8),
                                    "LibreOffice wrote no \(sheet.name) sheet: \(r.stderr)")
            let rows = CSVText.rows(csv)
            for (ref, cell) in sheet.cells {
                let (column, row) = CSVText.position(ref)
                let seen = row < rows.count && column < rows[row].count ? rows[row][column] : ""
                switch (cell.t, cell.v) {
                case ("text", .string(let text)):
                    XCTAssertEqual(seen, text, "\(sheet.name)!\(ref)")
                    textCells += 1
                case ("number", _), ("date", _):
                    XCTAssertFalse(seen.isEmpty, "\(sheet.name)!\(ref) holds a value LibreOffice does not show")
                default: break
                }
            }
        }
        XCTAssertGreaterThan(textCells, 100)
        for id in FixtureExpectations.octoberOrder {
            XCTAssertNotNil(dump.sheet("Summary")?.row(is: id) ?? dump.sheet("Summary")?.row(where: "B", is: id), id)
        }
    }
}

/// The little of CSV the LibreOffice check needs: rows of fields (quotes, doubled quotes,
/// line breaks inside quotes), and a cell reference's column and row (0-based).
enum CSVText {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = chars.next() { if n == "\"" { field.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    static func position(_ ref: String) -> (column: Int, row: Int) {
        let letters = ref.prefix { $0.isLetter }
        let column = letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
        return (column, Int(ref.dropFirst(letters.count))! - 1)
    }
}
