import Foundation
import XCTest
import TestSupport

/// Hold quality, engagement, days since the last entry, urgency and its order, the reasons
/// "never started" and "holds short", and the latest note, on the patients of
/// Fixtures/clinical (see its README), through `adhere report --json` and `adhere trend --json`.
///
/// Every expected value is worked out by hand from docs/RULES.md below. Calendar: October 2026
/// starts on a Thursday; Wednesday 14 October is in the ISO week of Monday 12 October. August
/// and October have 31 days, September 30.
final class ClinicalFiguresTests: XCTestCase {
    let base = ["--plans", "Fixtures/clinical/plans.csv", "Fixtures/clinical/sessions"]

    /// The report's patients, as JSON, for October to date as of `asOf`.
    func patients(asOf: String) throws -> [[String: Any]] {
        let out = try temporaryFolder(self)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--as-of", asOf, "--by", "all",
                                       "--out", out.path, "--json", "-"] + base)
        XCTAssertEqual(r.code, 0, r.stderr)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(doc["patients"] as? [[String: Any]])
    }

    func patient(_ id: String, in patients: [[String: Any]]) throws -> [String: Any] {
        try XCTUnwrap(patients.first { $0["patient_id"] as? String == id }, "\(id) missing")
    }

    func number(_ p: [String: Any], _ key: String) -> Double? { (p[key] as? NSNumber)?.doubleValue }

    /// `hold_quality` of one exercise: `nil` when absent, `.some(nil)` when null.
    func hold(_ p: [String: Any], _ key: String) throws -> [String: Double]?? {
        let map = try XCTUnwrap(p["hold_quality"] as? [String: Any], "hold_quality is an object")
        guard let v = map[key] else { return nil }
        if v is NSNull { return .some(nil) }
        let o = try XCTUnwrap(v as? [String: Any])
        return .some(o.compactMapValues { ($0 as? NSNumber)?.doubleValue })
    }

    /// The hip flexor stretch's hold quality: share held, mean hold (s), reps with a recorded hold.
    func assertHip(_ p: [String: Any], share: Double, mean: Double, reps: Double,
                   file: StaticString = #filePath, line: UInt = #line) throws {
        let hip = try XCTUnwrap(try hold(p, "hip_flexor_stretch") ?? nil, "hip has hold figures", file: file, line: line)
        XCTAssertEqual(hip["share_held"], share, "share held", file: file, line: line)
        XCTAssertEqual(hip["mean_hold_seconds"], mean, "mean hold", file: file, line: line)
        XCTAssertEqual(hip["reps_with_recorded_hold"], reps, "reps with a recorded hold", file: file, line: line)
        XCTAssertEqual(hip["prescribed_hold_seconds"], 10, "prescribed hold", file: file, line: line)
    }

    func assertNote(_ p: [String: Any], _ date: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let note = try XCTUnwrap(p["latest_note"] as? [String: Any], "a latest note", file: file, line: line)
        XCTAssertEqual(note["date"] as? String, date, file: file, line: line)
        XCTAssertEqual(note["text"] as? String, text, file: file, line: line)
    }

    // MARK: - Month to date, as of Wednesday 14 October

    // Window 10-01..10-14 (14 days); previous month 09-01..09-30; the stop threshold is "no entry
    // in the 7 days 10-08..10-14"; "not logging" is a last entry more than 28 days back.

    func testShortHolderIsToldApartFromSomeoneWhoDoesNothing() throws {
        let p = try patient("C01", in: try patients(asOf: "2026-10-14"))
        // Hip: 14 days x (10 left + 10 right) = 280 reps with a recorded hold of 6 s; none held
        // the 10 s prescribed: share 0/280 = 0, mean (280 x 6) / 280 = 6 s.
        try assertHip(p, share: 0, mean: 6, reps: 280)
        // Calf and step-ups have no prescribed hold: no entry at all.
        XCTAssertTrue(try hold(p, "calf_stretch") == nil, "no hold entry for calf stretches")
        XCTAssertTrue(try hold(p, "step_up") == nil, "no hold entry for step-ups")
        // Adherence: hip 0 (no rep qualifies), calf 14/14, step-ups 14/14 -> (0 + 1 + 1) / 3 = 2/3.
        // September (active 09-21..09-30, same pattern) was 2/3 too: change 0, not a drop.
        XCTAssertEqual(number(p, "overall_adherence") ?? -1, 2.0 / 3.0, accuracy: 1e-9)
        // 280 reps >= 10 with a recorded hold and 0% < 50% held: holds short, the only reason.
        XCTAssertEqual(p["needs_attention"] as? [String], ["holds short"])
        XCTAssertEqual(p["urgency"] as? String, "review")
        XCTAssertEqual(p["engagement"] as? String, "active")
        XCTAssertEqual(p["days_since_last_entry"] as? Int, 0, "logged on 10-14; the 10-20 row is after the as-of date")
        // Notes on 10-05 and 10-12 (and 10-20, after the as-of date): the 10-12 one, as written.
        try assertNote(p, "2026-10-12", "thigh shakes after 6 seconds, so I let go")
    }

    func testNeverStartedRecentStopDropOutAndDischarged() throws {
        let all = try patients(asOf: "2026-10-14")

        // C02: plan from 10-05, nothing logged. 10-14 - 10-05 + 1 = 10 days >= 7: never started.
        // Expected 7 x 10 / 7 = 10 sessions per exercise, 0 done: overall 0. No plan in September:
        // no change figure. The hip's prescribed hold has no recorded rep: null, not 0.
        let c02 = try patient("C02", in: all)
        XCTAssertEqual(c02["engagement"] as? String, "never started")
        XCTAssertEqual(c02["needs_attention"] as? [String], ["adherence below 50%", "never started"])
        XCTAssertEqual(c02["urgency"] as? String, "call now")
        XCTAssertTrue(c02["days_since_last_entry"] is NSNull, "nothing logged: empty, not 0")
        XCTAssertEqual(number(c02, "overall_adherence"), 0)
        XCTAssertTrue(c02["change_vs_previous_month"] is NSNull)
        XCTAssertEqual(try hold(c02, "hip_flexor_stretch").map { $0 == nil }, true, "hip hold quality is null")
        XCTAssertTrue(c02["latest_note"] is NSNull)

        // C03: last entry 10-02, 12 days before 10-14. Default protocol: active while the last
        // entry is fewer than 28 days back, so still active; nothing in 10-08..10-14: stopped.
        // October: 14 active days, full doses on 10-01 and 10-02: 2/14 = 1/7 for each exercise.
        // September: first entry 09-14, 17 active days all done: 1. Change 1/7 - 1 = -6/7 (-86 points).
        // Stopped at most 28 days back: call now.
        let c03 = try patient("C03", in: all)
        XCTAssertEqual(c03["engagement"] as? String, "stopped")
        XCTAssertEqual(c03["days_since_last_entry"] as? Int, 12)
        XCTAssertEqual(number(c03, "overall_adherence") ?? -1, 1.0 / 7.0, accuracy: 1e-9)
        XCTAssertEqual(number(c03, "change_vs_previous_month") ?? 1, -6.0 / 7.0, accuracy: 1e-9)
        XCTAssertEqual(c03["needs_attention"] as? [String],
                       ["adherence below 50%", "adherence down 20+ points vs last month", "no entry in last 7 days"])
        XCTAssertEqual(c03["urgency"] as? String, "call now")
        // Hip on 10-01 and 10-02: 10 `both` reps each held 10 s: 20 reps, all held, mean 10 s.
        try assertHip(c03, share: 1, mean: 10, reps: 20)

        // C04: open plan from 08-03, last entry 08-20: 11 days to 08-31, 30 in September, 14 in
        // October = 55 days back. Still active (the plan is open), so stopped, but more than 28
        // days back: not logging. October and September both 0: change 0, no drop.
        let c04 = try patient("C04", in: all)
        XCTAssertEqual(c04["engagement"] as? String, "stopped")
        XCTAssertEqual(c04["days_since_last_entry"] as? Int, 55)
        XCTAssertEqual(c04["last_entry"] as? String, "2026-08-20", "known though August is outside the span read in full")
        XCTAssertEqual(c04["needs_attention"] as? [String], ["adherence below 50%", "no entry in last 7 days"])
        XCTAssertEqual(c04["urgency"] as? String, "not logging")
        XCTAssertEqual((c04["hold_quality"] as? [String: Any])?.count, 0, "no exercise of the plan has a hold")

        // C05: default protocol, last entry 09-15, 29 days before 10-14. Active while fewer than
        // 28 days have passed: through 10-12 (27 days); on 10-14 discharged. October: 12 active
        // days, nothing done: 0. September: 30 active days, 15 done: 1/2. Change -1/2: down 20+.
        // Not active, so not "no entry in last 7 days"; 29 > 28 days back: not logging.
        let c05 = try patient("C05", in: all)
        XCTAssertEqual(c05["engagement"] as? String, "discharged")
        XCTAssertEqual(c05["days_since_last_entry"] as? Int, 29)
        XCTAssertEqual(number(c05, "expected_sessions"), 12)
        XCTAssertEqual(number(c05, "change_vs_previous_month"), -0.5)
        XCTAssertEqual(c05["needs_attention"] as? [String], ["adherence below 50%", "adherence down 20+ points vs last month"])
        XCTAssertEqual(c05["urgency"] as? String, "not logging")
        XCTAssertEqual(try hold(c05, "hip_flexor_stretch").map { $0 == nil }, true, "hip prescribed, no rep in the window")
        XCTAssertTrue(c05["latest_note"] is NSNull, "the 09-15 note is before the window")
    }

    func testPainCallsNowAndShowsTheDayAndTheNote() throws {
        let all = try patients(asOf: "2026-10-14")
        // C07: everything done every day (overall 1, September 1 too); pain 2 every day but 7 on
        // 10-13 (that day's highest). Max pain 7 > 5: pain above 5, a call now. Pain change is
        // empty: the look-back's first 14 days (09-03..09-16) have no rating.
        let c07 = try patient("C07", in: all)
        XCTAssertEqual(number(c07, "overall_adherence"), 1)
        XCTAssertEqual(number(c07, "max_pain"), 7)
        XCTAssertEqual(c07["needs_attention"] as? [String], ["pain above 5"])
        XCTAssertEqual(c07["urgency"] as? String, "call now")
        XCTAssertEqual(c07["engagement"] as? String, "active")
        try assertNote(c07, "2026-10-13", "knee sore after step-ups")
        // Hip: 14 days x 10 reps held 12 s: all 140 held, mean 12 s.
        try assertHip(c07, share: 1, mean: 12, reps: 140)

        // C06: everything done every day, step-ups rising: nothing to call about.
        let c06 = try patient("C06", in: all)
        XCTAssertEqual(c06["needs_attention"] as? [String], [])
        XCTAssertTrue(c06["urgency"] is NSNull)
        XCTAssertEqual(c06["step_up_trend"] as? String, "building")
    }

    func testOrderIsCallNowThenReviewThenNotLoggingThenTheRest() throws {
        // As of 10-14 (overall adherence from the tests above):
        //   call now:    C02 (0), C03 (1/7), C07 (1)       - lowest adherence first within a group
        //   review:      C01 (2/3)                         - holds short
        //   not logging: C04 (0), C05 (0)                  - a tie on adherence: by id
        //   the rest:    C06 (1)
        // The pain patient at 100% comes before the August drop-out at 0%.
        let ids = try patients(asOf: "2026-10-14").map { $0["patient_id"] as? String }
        XCTAssertEqual(ids, ["C02", "C03", "C07", "C01", "C04", "C05", "C06"])
    }

    // MARK: - The whole of October (as of 10-31)

    func testTheWholeMonth() throws {
        let all = try patients(asOf: "2026-10-31")
        // C03: last entry 10-02, now 29 days back: active through 10-29, discharged on 10-31, so no
        // longer "stopped"; 29 > 28: not logging. October: 29 active days, 2 done: 2/29.
        let c03 = try patient("C03", in: all)
        XCTAssertEqual(c03["engagement"] as? String, "discharged")
        XCTAssertEqual(c03["days_since_last_entry"] as? Int, 29)
        XCTAssertEqual(number(c03, "overall_adherence") ?? -1, 2.0 / 29.0, accuracy: 1e-9)
        XCTAssertEqual(c03["needs_attention"] as? [String], ["adherence below 50%", "adherence down 20+ points vs last month"])
        XCTAssertEqual(c03["urgency"] as? String, "not logging")

        // C01: the 10-20 row now counts: last entry 10-20, 11 days back, still active (default
        // protocol), nothing in 10-25..10-31: stopped, a call now. October: hip 0, calf 14/31,
        // step-ups 15/31 -> 29/93; September 2/3 = 62/93: change -33/93 (-35 points).
        // Holds short still (280 hip reps, none held). The latest note is now the 10-20 one.
        let c01 = try patient("C01", in: all)
        XCTAssertEqual(c01["engagement"] as? String, "stopped")
        XCTAssertEqual(c01["days_since_last_entry"] as? Int, 11)
        XCTAssertEqual(number(c01, "overall_adherence") ?? -1, 29.0 / 93.0, accuracy: 1e-9)
        XCTAssertEqual(c01["needs_attention"] as? [String],
                       ["adherence below 50%", "adherence down 20+ points vs last month", "no entry in last 7 days", "holds short"])
        XCTAssertEqual(c01["urgency"] as? String, "call now")
        try assertNote(c01, "2026-10-20", "after the as-of date")

        // C04: 08-20 to 10-31 = 11 + 30 + 31 = 72 days. C05: 09-15 to 10-31 = 15 + 31 = 46 days.
        XCTAssertEqual(try patient("C04", in: all)["days_since_last_entry"] as? Int, 72)
        XCTAssertEqual(try patient("C05", in: all)["days_since_last_entry"] as? Int, 46)

        // C06 and C07 stopped on 10-14 (17 days back): active, stopped, a call now; each
        // 14/31 for every exercise. C07 keeps its pain above 5 (10-13 is in the window).
        //   call now:    C02 (0), C01 (29/93 = 0.31), C06 (14/31), C07 (14/31: tie, by id)
        //   not logging: C04 (0), C05 (0), C03 (2/29 = 0.07)
        let ids = all.map { $0["patient_id"] as? String }
        XCTAssertEqual(ids, ["C02", "C01", "C06", "C07", "C04", "C05", "C03"])
    }

    // MARK: - The Summary as a worklist

    func testSummaryIsAWorklistInTherapistWords() throws {
        let out = try temporaryFolder(self)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--as-of", "2026-10-14", "--by", "all",
                                       "--out", out.path] + base)
        XCTAssertEqual(r.code, 0, r.stderr)
        let dump = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-all.xlsx").path)
        let s = try XCTUnwrap(dump.sheet("Summary"))
        // Every patient is Dana Whitfield's at Northside PT: said in the title, not in columns.
        XCTAssertEqual(s["A1"]?.v.string, "Adherence report 2026-10, all (therapist Dana Whitfield, Northside PT), as of 2026-10-14")
        XCTAssertNil(s.column(titled: "Therapist"))
        XCTAssertNil(s.column(titled: "Clinic"))
        // No notices (every clinical column recorded, every name known): the counts come next.
        XCTAssertEqual(s["A2"]?.v.string, "To call now: 3 · To review: 1 · Not logging: 2 · On track: 1")
        XCTAssertEqual(s.summaryIDs, ["C02", "C03", "C07", "C01", "C04", "C05", "C06"])
        func cell(_ id: String, _ title: String) throws -> WorkbookDump.Cell? {
            let row = try XCTUnwrap(s.row(is: id)), col = try XCTUnwrap(s.column(titled: title), title)
            return s["\(col)\(row)"]
        }
        // The reason behind the urgency first, in a therapist's words:
        //  C02 never started (plan from 5 Oct), then adherence 0%;
        //  C03 stopped 12 days ago, adherence 1/7 = 14.3% (shown rounded down: 14%), change
        //      -6/7 = -85.7 points (rounded: 86);
        //  C07 highest pain 7 on 13 Oct;
        //  C01 mean hold 6 s of the 10 s prescribed;
        //  C04 stopped 55 days ago, adherence 0%;
        //  C05 discharged: no reason says how long ago, so the last entry first (15 Sep, 29
        //      days back), then adherence 0% and September's 50% to 0%.
        let expected: [String: (urgency: String?, words: String?, note: String?)] = [
            "C02": ("call now", "never started, plan began 5 Oct; adherence 0%", nil),
            "C03": ("call now", "stopped 12 days ago; adherence 14%; down 86 pts vs Sep", nil),
            "C07": ("call now", "pain 7/10 on 13 Oct", "13 Oct: knee sore after step-ups"),
            "C01": ("review", "holds 6 s of 10 s", "12 Oct: thigh shakes after 6 seconds, so I let go"),
            "C04": ("not logging", "stopped 55 days ago; adherence 0%", nil),
            "C05": ("not logging", "last entry 29 days ago (15 Sep); adherence 0%; down 50 pts vs Sep", nil),
            "C06": (nil, nil, nil),
        ]
        for (id, e) in expected {
            XCTAssertEqual(try cell(id, "Urgency")?.v.string, e.urgency, "\(id) urgency")
            XCTAssertEqual(try cell(id, "Needs attention")?.v.string, e.words, "\(id) reasons")
            XCTAssertEqual(try cell(id, "Latest note")?.v.string, e.note, "\(id) note")
        }
        // Change in points: C03 -6/7 x 100 = -85.71, C05 -50.
        XCTAssertEqual(try cell("C03", "Change vs last month (pts)")?.v.number ?? 0, -600.0 / 7.0, accuracy: 1e-9)
        XCTAssertEqual(try cell("C05", "Change vs last month (pts)")?.v.number, -50)
        // Hold quality beside adherence: C01 6 s, none held; C02 prescribed, nothing recorded;
        // C04's plan has no hold; C07 12 s, all held.
        XCTAssertEqual(try cell("C01", "Hip flexor stretch holds")?.v.string, "6 s of 10 s, 0% held")
        XCTAssertEqual(try cell("C02", "Hip flexor stretch holds")?.v.string, "not recorded")
        XCTAssertNil(try cell("C04", "Hip flexor stretch holds"))
        XCTAssertEqual(try cell("C07", "Hip flexor stretch holds")?.v.string, "12 s of 10 s, 100% held")
        XCTAssertEqual(try cell("C04", "Days since last entry")?.v.number, 55)
        XCTAssertEqual(try cell("C05", "Engagement")?.v.string, "discharged")
        // The Trends sheet says the same, with the note.
        let t = try XCTUnwrap(dump.sheet("Trends"))
        XCTAssertTrue(t.texts(inColumn: "A").contains("Call now: pain 7/10 on 13 Oct   Latest note, 13 Oct: knee sore after step-ups"))
    }

    // MARK: - trend says the same

    func testTrendCarriesTheSameNewFigures() throws {
        let report = try patients(asOf: "2026-10-14")
        for id in ["C01", "C02", "C03", "C04", "C05", "C06", "C07"] {
            let t = try AdhereProcess.run(["trend", id, "--as-of", "2026-10-14", "--json"] + base)
            XCTAssertEqual(t.code, 0, t.stderr)
            let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(t.stdout.utf8)) as? [String: Any])
            let mine = try XCTUnwrap(doc["patient"] as? [String: Any])
            let theirs = try patient(id, in: report)
            for k in ["hold_quality", "engagement", "days_since_last_entry", "urgency", "needs_attention", "latest_note"] {
                XCTAssertTrue(mine.keys.contains(k), "\(id) trend JSON has \(k)")
                XCTAssertEqual(NSDictionary(dictionary: [k: mine[k] as Any]), NSDictionary(dictionary: [k: theirs[k] as Any]), "\(id) \(k)")
            }
        }
    }

    func testTrendFitsEightyColumnsAndSaysTheReportsWords() throws {
        // Every line of every patient's view, in this fixture and the sample, fits 80 columns,
        // and says the urgency and reasons exactly as the Summary does.
        let runs: [(base: [String], asOf: String, ids: [String])] = [
            (base, "2026-10-14", ["C01", "C02", "C03", "C04", "C05", "C06", "C07"]),
            (["--plans", "Fixtures/plans.csv", "Fixtures/sessions"], "2026-10-31",
             ["P001", "P002", "P003", "P004", "P005", "P006", "P007", "P008", "P009", "P011", "P012", "P013"]),
        ]
        for run in runs {
            let out = try temporaryFolder(self)
            let r = try AdhereProcess.run(["report", "--month", "2026-10", "--as-of", run.asOf, "--by", "all", "--out", out.path] + run.base)
            XCTAssertEqual(r.code, 0, r.stderr)
            let s = try XCTUnwrap(try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-all.xlsx").path).sheet("Summary"))
            let urgencyColumn = try XCTUnwrap(s.column(titled: "Urgency")), reasonsColumn = try XCTUnwrap(s.column(titled: "Needs attention"))
            for id in run.ids {
                let t = try AdhereProcess.run(["trend", id, "--as-of", run.asOf] + run.base)
                XCTAssertEqual(t.code, 0, t.stderr)
                for line in t.stdout.split(separator: "\n") {
                    XCTAssertLessThanOrEqual(line.count, 80, "\(id): \(line)")
                }
                let row = try XCTUnwrap(s.row(is: id))
                let said = t.stdout.replacingOccurrences(of: "\n  ", with: " ")
                if let urgency = s["\(urgencyColumn)\(row)"]?.v.string, let reasons = s["\(reasonsColumn)\(row)"]?.v.string {
                    let line = urgency.prefix(1).uppercased() + urgency.dropFirst() + ": " + reasons
                    XCTAssertTrue(said.contains(line), "\(id) trend says '\(line)':\n\(t.stdout)")
                } else {
                    XCTAssertTrue(said.contains("On track: no reason to call."), "\(id)")
                }
            }
        }
    }
}
