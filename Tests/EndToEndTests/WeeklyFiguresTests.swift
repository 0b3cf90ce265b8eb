import Foundation
import XCTest
import TestSupport

/// Weekly tables and charts (docs/RULES.md, "Weekly figures") on the patients of
/// Fixtures/weekly (see its README), read back with openpyxl: empty before the start, the cut-short
/// week marked partial and drawn per day, no chart of an exercise not prescribed or of pain nobody
/// recorded, one chart label per week on its Monday; and "Expected sessions" as sessions.
///
/// Calendar: October 2026 starts on a Thursday. Wednesday 14 October is in the ISO week of Monday
/// 12 October (12-14 Oct: 3 days); Saturday 31 October in the week of Monday 26 October (6 days).
/// Look-back as of 14 Oct: 3 Sep..14 Oct, so the Trends weeks start on Monday 31 Aug; as of 31 Oct:
/// 20 Sep..31 Oct, from Monday 14 Sep.
final class WeeklyFiguresTests: XCTestCase {
    let base = ["--plans", "Fixtures/weekly/plans.csv", "Fixtures/weekly/sessions"]

    func workbook(asOf: String) throws -> WorkbookDump {
        let out = try temporaryFolder(self)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--as-of", asOf, "--by", "all", "--out", out.path] + base)
        XCTAssertEqual(r.code, 0, r.stderr)
        return try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-all.xlsx").path)
    }

    /// One patient's block on Trends: the row of its table header and its week rows, by label.
    struct Block {
        let sheet: WorkbookDump.Sheet
        let header: Int
        let rows: Int

        func cell(_ week: Int, _ title: String) -> JSONValue? {
            guard let c = sheet.column(titled: title, headerRow: header) else { return nil }
            return sheet["\(c)\(header + 1 + week)"]?.v
        }

        var labels: [String] { (0..<rows).map { cell($0, "Week")?.string ?? "" } }
    }

    func block(_ id: String, in dump: WorkbookDump, weeks: Int) throws -> Block {
        let t = try XCTUnwrap(dump.sheet("Trends"))
        let heading = try XCTUnwrap((1...t.max_row).first { t["A\($0)"]?.v.string?.hasPrefix("\(id) — ") == true }, id)
        // Heading, then the reasons line, then the table's header.
        XCTAssertEqual(t["A\(heading + 2)"]?.v.string, "Week starting")
        return Block(sheet: t, header: heading + 2, rows: weeks)
    }

    /// The figure columns of the weekly table (all but the week's date and label).
    let figureColumns = ["Days logged", "Overall adherence", "Hip flexor stretch", "Calf stretch", "Step-ups", "Step-up reps",
                         "Step-ups per day", "Reps per session", "Step-ups left", "Step-ups right", "Mean pain", "Max pain"]

    // MARK: - Month to date, as of Wednesday 14 October

    func testTrendsSheetAsOfWednesday() throws {
        let dump = try workbook(asOf: "2026-10-14")

        // W01, default protocol, first entry Thursday 8 Oct. Weeks 31 Aug..28 Sep are before the
        // start: labelled so and empty (not 0, so not drawn). Week of 5 Oct counts 8-11 Oct (4 of
        // 7 days), week of 12 Oct counts 12-14 Oct (3 of 7): both partial.
        let w01 = try block("W01", in: dump, weeks: 7)
        XCTAssertEqual(w01.labels, ["31 Aug, before the start", "7 Sep, before the start", "14 Sep, before the start",
                                    "21 Sep, before the start", "28 Sep, before the start",
                                    "5 Oct, partial (4 of 7 days)", "12 Oct, partial (3 of 7 days)"])
        for week in 0..<5 {
            for title in figureColumns { XCTAssertNil(w01.cell(week, title), "W01 week \(week) \(title) is empty") }
        }
        // 5 Oct: 4 days logged; expected 7 x 4 / 7 = 4 sessions per exercise, 4 full doses: 100%.
        // Step-ups 4 days x 10 `both` = 40 (40 left, 40 right), 40 / 4 = 10 a day.
        // 12 Oct: 3 days x 12 = 36 step-ups, 36 / 3 = 12 a day. The weekly total falls (40 to
        // 36); the per-day figure, which the chart draws, rises (10 to 12), as the patient did.
        let expected: [(days: Double, reps: Double, perDay: Double)] = [(4, 40, 10), (3, 36, 12)]
        for (k, e) in expected.enumerated() {
            let week = 5 + k
            XCTAssertEqual(w01.cell(week, "Days logged")?.number, e.days)
            XCTAssertEqual(w01.cell(week, "Overall adherence")?.number, 1)
            XCTAssertEqual(w01.cell(week, "Step-up reps")?.number, e.reps)
            XCTAssertEqual(w01.cell(week, "Step-ups per day")?.number, e.perDay)
            XCTAssertEqual(w01.cell(week, "Reps per session")?.number, e.perDay)
            XCTAssertEqual(w01.cell(week, "Step-ups left")?.number, e.reps)
            XCTAssertEqual(w01.cell(week, "Step-ups right")?.number, e.reps)
            // The export has a pain column, but W01 never rated pain: empty.
            XCTAssertNil(w01.cell(week, "Max pain"))
        }

        // W02, plan from Monday 21 Sep: hip and calf 3 a week, no step-ups; Mon/Wed/Fri, pain 3.
        // 31 Aug..14 Sep before the start. 21 Sep, 28 Sep, 5 Oct: whole weeks, 3 sessions each of
        // 3 x 7 / 7 = 3 expected: 100%. 12 Oct: 12 and 14 Oct logged (2 days) of 3 x 3 / 7 = 9/7
        // expected: min(1, 2 / (9/7)) = 100%. No step-up figure in any week (not prescribed).
        let w02 = try block("W02", in: dump, weeks: 7)
        XCTAssertEqual(w02.labels, ["31 Aug, before the start", "7 Sep, before the start", "14 Sep, before the start",
                                    "21 Sep", "28 Sep", "5 Oct", "12 Oct, partial (3 of 7 days)"])
        XCTAssertEqual((3..<7).map { w02.cell($0, "Days logged")?.number }, [3, 3, 3, 2])
        XCTAssertEqual((3..<7).map { w02.cell($0, "Overall adherence")?.number }, [1, 1, 1, 1])
        XCTAssertEqual((3..<7).map { w02.cell($0, "Max pain")?.number }, [3, 3, 3, 3])
        for week in 0..<7 {
            for title in ["Step-ups", "Step-up reps", "Step-ups per day", "Reps per session", "Step-ups left", "Step-ups right"] {
                XCTAssertNil(w02.cell(week, title), "W02 week \(week) \(title): step-ups are not prescribed")
            }
        }

        // W03, default protocol, every day from Monday 14 Sep, in the export without a pain
        // column. 20 step-ups a day: 140 a whole week, 60 in the 3 days of 12 Oct, 20 a day in
        // every week: the partial week is not a fall.
        let w03 = try block("W03", in: dump, weeks: 7)
        XCTAssertEqual(w03.labels, ["31 Aug, before the start", "7 Sep, before the start", "14 Sep", "21 Sep", "28 Sep", "5 Oct",
                                    "12 Oct, partial (3 of 7 days)"])
        XCTAssertEqual((2..<7).map { w03.cell($0, "Step-up reps")?.number }, [140, 140, 140, 140, 60])
        XCTAssertEqual((2..<7).map { w03.cell($0, "Step-ups per day")?.number }, [20, 20, 20, 20, 20])
        XCTAssertEqual((0..<7).compactMap { w03.cell($0, "Mean pain") }, [], "no pain column: no pain figure")

        // Charts only for the worklist's pain and declining step-ups: none of W01-W03 (W02's pain
        // is 3); the in-cell bars draw every block's weeks: empty cells get no bar.
        XCTAssertEqual(dump.charts, [])
        let bars = w01.sheet.conditional.filter { $0.type == "dataBar" }
        let perDay = try XCTUnwrap(w01.sheet.column(titled: "Step-ups per day", headerRow: w01.header))
        XCTAssertTrue(bars.contains { $0.range == "\(perDay)\(w01.header + 1):\(perDay)\(w01.header + 7)" }, "\(bars.map(\.range))")

        // The one-patient workbook draws the same table: its step-up chart's categories are the
        // Week labels (text: one per week, on its Monday), its values the per-day column; empty
        // cells are gaps, not zeros.
        let path = try temporaryFolder(self).appendingPathComponent("W01.xlsx").path
        let r = try AdhereProcess.run(["trend", "W01", "--as-of", "2026-10-14", "--weeks", "7", "--xlsx", path] + base)
        XCTAssertEqual(r.code, 0, r.stderr)
        let one = try WorkbookDump.read(path)
        let weekly = try XCTUnwrap(one.sheet("Weekly"))
        let header = try XCTUnwrap(weekly.row(is: "Week starting"))
        let steps = try XCTUnwrap(one.chart_series.first { $0.chart.hasPrefix("Step-ups per day, week by week") })
        XCTAssertEqual(steps.category_kind, "text")
        let (catColumn, catRows) = try range(steps.categories)
        let (valColumn, valRows) = try range(steps.values)
        XCTAssertEqual(catColumn, weekly.column(titled: "Week", headerRow: header))
        XCTAssertEqual(valColumn, weekly.column(titled: "Step-ups per day", headerRow: header))
        XCTAssertEqual(catRows, (header + 1)...(header + 7))
        XCTAssertEqual(valRows, catRows)
        for r in catRows {
            // The label starts with the Monday in column A ("5 Oct" for 2026-10-05).
            let monday = try XCTUnwrap(weekly["A\(r)"]?.v.string)
            let label = try XCTUnwrap(weekly["\(catColumn)\(r)"]?.v.string)
            XCTAssertTrue(label.hasPrefix(shortDate(monday)), "\(label) is on \(monday)")
        }
        for s in one.chart_series { XCTAssertEqual(s.category_kind, "text", s.chart) }
    }

    /// "Trends!$B$6:$B$12" as column B and rows 6...12.
    func range(_ ref: String?) throws -> (String, ClosedRange<Int>) {
        let parts = try XCTUnwrap(ref?.split(separator: "!").last).split(separator: ":")
        func split(_ s: Substring) -> (String, Int) {
            let t = s.replacingOccurrences(of: "$", with: "")
            return (String(t.prefix { $0.isLetter }), Int(t.drop { $0.isLetter })!)
        }
        let (c1, r1) = split(parts[0]), (c2, r2) = split(parts[1])
        XCTAssertEqual(c1, c2)
        return (c1, r1...r2)
    }

    /// "2026-10-05" as "5 Oct".
    func shortDate(_ iso: String) -> String {
        let p = iso.split(separator: "-").map { Int($0)! }
        return "\(p[2]) \(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][p[1] - 1])"
    }

    // MARK: - The whole month, as of Saturday 31 October

    func testWholeMonthLastWeekIsPartialAndARealStopStaysZero() throws {
        let dump = try workbook(asOf: "2026-10-31")
        // Weeks 14 Sep..26 Oct (7). W01 started on 8 Oct and stopped after the 14th; as a
        // default-protocol patient it is active until 28 days pass (10 Nov). The week of 26 Oct
        // ends with the month on Saturday 31st: partial, 6 of 7 days; nothing logged: 0 days,
        // 0% (6 sessions expected, none done), 0 step-ups a day. A real stop shows as 0.
        let w01 = try block("W01", in: dump, weeks: 7)
        XCTAssertEqual(w01.labels, ["14 Sep, before the start", "21 Sep, before the start", "28 Sep, before the start",
                                    "5 Oct, partial (4 of 7 days)", "12 Oct", "19 Oct", "26 Oct, partial (6 of 7 days)"])
        // 12 Oct is now whole: 12-14 Oct logged, 3 x 12 = 36 step-ups over 7 days; 3 of 7
        // sessions: 3/7 for each exercise.
        XCTAssertEqual(w01.cell(4, "Days logged")?.number, 3)
        XCTAssertEqual(w01.cell(4, "Overall adherence")?.number ?? -1, 3.0 / 7.0, accuracy: 1e-9)
        XCTAssertEqual(w01.cell(4, "Step-ups per day")?.number ?? -1, 36.0 / 7.0, accuracy: 1e-9)
        XCTAssertEqual(w01.cell(6, "Days logged")?.number, 0)
        XCTAssertEqual(w01.cell(6, "Overall adherence")?.number, 0)
        XCTAssertEqual(w01.cell(6, "Step-ups per day")?.number, 0)

        // Expected sessions, as sessions: W02 3 a week x 31 days / 7 = 93/7 = 13 2/7 (shown
        // "13 2/7", not 13.3 beside a percentage); W01 active 8-31 Oct, 7 x 24 / 7 = 24; W03
        // all 31 days: 31. The cell keeps the exact number; the format shows sevenths.
        let s = try XCTUnwrap(dump.sheet("Summary"))
        let col = try XCTUnwrap(s.column(titled: "Expected sessions"))
        for (id, value) in [("W01", 24.0), ("W02", 93.0 / 7.0), ("W03", 31.0)] {
            let cell = try XCTUnwrap(s["\(col)\(try XCTUnwrap(s.row(is: id)))"], id)
            XCTAssertEqual(cell.v.number ?? -1, value, accuracy: 1e-9, id)
            XCTAssertEqual(cell.fmt, "# ?/7", id)
        }
    }

    // MARK: - trend

    func testTrendInTheTerminalMarksThePartialWeeksWordForWord() throws {
        // W01 as of Wednesday 14 Oct, 3 weeks: 28 Sep (before the start: dashes), 5 Oct (8-11
        // Oct, 4 of 7 days), 12 Oct (12-14 Oct, 3 of 7 days), figures as in the Trends test
        // above. Columns right-aligned, two spaces apart (72 characters in all). The sparkline
        // draws step-ups per day: a space before the start, then 10 and 12 on a scale to 12:
        // 10/12 x 7 = 5.8, block 6 of 0-7 (▇); 12 is the top (█).
        let r = try AdhereProcess.run(["trend", "W01", "--as-of", "2026-10-14", "--weeks", "3"] + base)
        XCTAssertEqual(r.code, 0, r.stderr)
        let expected = """
        Week of      Days  Hip %  Calf %  Step %  Step-ups  Per day    L/R  Pain
        2026-09-28      –      –       –       –         –        –      –     –
        2026-10-05*     4   100%    100%    100%        40     10.0  40/40     –
        2026-10-12*     3   100%    100%    100%        36     12.0  36/36     –
        Per day: step-ups a day over the week's days counted. L/R: left/right.
        Pain: the week's mean/highest rating.
        Weeks before the start on 8 Oct: empty, not 0.
        * 2026-10-05: partial (4 of 7 days, 8-11 Oct): compare per day, not totals.
        * 2026-10-12: partial (3 of 7 days, 12-14 Oct): compare per day, not totals.

        Step-ups per day      ▇█

        """
        XCTAssertTrue(r.stdout.contains(expected), r.stdout)
        XCTAssertFalse(r.stdout.contains("Pain (max) per week"), "nobody rated pain: no pain line")
        for line in r.stdout.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
    }

    func testTrendJSONAndWorkbookFollowTheSameRules() throws {
        func weeks(_ id: String) throws -> [[String: Any]] {
            let r = try AdhereProcess.run(["trend", id, "--as-of", "2026-10-14", "--weeks", "3", "--json"] + base)
            XCTAssertEqual(r.code, 0, r.stderr)
            let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            return try XCTUnwrap((doc["patient"] as? [String: Any])?["weeks"] as? [[String: Any]])
        }
        // W01: 28 Sep before the start (nothing counted: null, not 0); 5 Oct 4 days, 12 Oct 3 days.
        let w01 = try weeks("W01")
        XCTAssertEqual(w01.map { $0["days_counted"] as? Int }, [0, 4, 3])
        XCTAssertEqual(w01.map { $0["partial"] as? Bool }, [false, true, true])
        XCTAssertTrue(w01[0]["days_logged"] is NSNull)
        XCTAssertTrue(w01[0]["step_up_reps"] is NSNull)
        XCTAssertTrue(w01[0]["overall_adherence"] is NSNull)
        XCTAssertEqual(w01.dropFirst().map { ($0["step_ups_per_day"] as? NSNumber)?.doubleValue }, [10, 12])
        XCTAssertEqual(w01.dropFirst().map { $0["step_up_reps"] as? Int }, [40, 36])
        // W02: no step-ups in the plan: null in every week.
        for w in try weeks("W02") {
            XCTAssertTrue(w["step_up_reps"] is NSNull && w["step_ups_per_day"] is NSNull, "\(w)")
        }

        // One-patient workbooks: W02 gets adherence and pain charts but no step-up chart; W03
        // step-ups and adherence but no pain chart (its export has no pain column).
        let dir = try temporaryFolder(self)
        for (id, charts) in [("W02", ["Adherence per week", "Pain per week (0-10)"]), ("W03", ["Step-ups per day, week by week", "Adherence per week"])] {
            let path = dir.appendingPathComponent("\(id).xlsx").path
            let r = try AdhereProcess.run(["trend", id, "--as-of", "2026-10-14", "--weeks", "4", "--xlsx", path] + base)
            XCTAssertEqual(r.code, 0, r.stderr)
            let dump = try WorkbookDump.read(path)
            XCTAssertEqual(dump.charts.count, charts.count, "\(id): \(dump.charts)")
            for (title, expected) in zip(dump.charts, charts) { XCTAssertTrue(title.hasPrefix(expected), "\(id): \(title)") }
            for s in dump.chart_series { XCTAssertEqual(s.category_kind, "text", "\(id) \(s.chart): one label per week") }
        }
    }
}
