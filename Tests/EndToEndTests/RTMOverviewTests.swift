import Foundation
import XCTest
import TestSupport

/// RTM periods and the clinic overview through the real `adhere` process, on a small clinic
/// worked out by hand (October 2026, one workbook per therapist):
///
/// | id | therapist, clinic | prescription | entries (step-ups, 10 reps) |
/// |---|---|---|---|
/// | A1 | Ann Lee, North | plan: step-ups 7/week from 09-02 | 09-02 .. 09-17 (16 days), 10-02 .. 10-31 (30) |
/// | A2 | Ann Lee, North | the same plan | 09-02, 09-03 |
/// | B1 | Bo Park, @South | default protocol | every third day from 01-05 (day 0) to 10-29 (day 297); the rows before July in a file of their own |
/// | B2 | Bo Park, @South | default protocol | 08-20, 08-22; then 09-25 .. 10-10 (16 days) |
/// | U1 | none, North | plan: step-ups 7/week 09-07 .. 09-20 | 09-07 .. 09-20 (14 days), 10-01 |
///
/// RTM periods ending in October (30 days from the start of monitoring):
/// - A1: 09-02 .. 10-01 with 16 data days (98977); 10-02 .. 10-31 with 30 (98977).
/// - A2: 09-02 .. 10-01 with 2 (98985); 10-02 .. 10-31 with 0 (no code).
/// - B1: monitoring began 01-05, long before the entries a report keeps (from 04-04: the six
///   months' history, 05-01, less 27 days), so its earliest days are read again. 10-01 is 269
///   days after 01-05: periods 240 .. 269 (09-02 .. 10-01) and 270 .. 299 (10-02 .. 10-31), each
///   with the multiples of 3 in it: 10 data days (98985).
/// - B2: series 1 (08-20, 08-22) is discharged after 09-18 (08-22 + 27); its period
///   08-20 .. 09-18 is September's and the next would begin after the discharge. 09-25 (33 days
///   after 08-22) starts series 2: 09-25 .. 10-24 with 6 + 10 = 16 data days (98977).
/// - U1: plan ended 09-20 (not active in October, so in no Summary), period 09-07 .. 10-06 with
///   14 + 1 = 15 data days (98985): listed for billing all the same.
///
/// October figures (the monthly report's rules):
/// - A1: step-ups on 30 of 31 expected days: 30/31, adherent, on track. September: 16/29.
/// - A2: 0 in October: low; last entry 58 days back: not logging. September: 2/29.
/// - B1: step-ups on 10 of 31 days, hip and calf none: (10/31)/3 = 10/93, low; last entry 2 days
///   back: review. September: 9 days of 30, 9/90.
/// - B2: 10 days of 31: 10/93, low; stopped 21 days ago: call now. September: active 09-01 .. 09-18
///   and 09-25 .. 09-30 (24 days), 6 step-up days: (6/24)/3 = 1/12.
/// - U1: September only: 14 of 14, adherent.
final class RTMOverviewTests: XCTestCase {
    static let header = "patient_id,patient_name,therapist,clinic,performed_at,exercise,reps\n"
    static let names = ["Alma Quist", "Arto Vane", "Bruna Osei", "Boris Lund", "Uma Ruiz"]

    func day(_ s: String) -> Date {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let f = DateFormatter()
        f.calendar = c
        f.timeZone = c.timeZone
        f.dateFormat = "yyyy-MM-dd"
        return f.date(from: s)!
    }

    func iso(_ d: Date) -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: d)
    }

    func dates(_ from: String, _ to: String, every step: Int = 1) -> [String] {
        var out: [String] = []
        var d = day(from)
        while d <= day(to) {
            out.append(iso(d))
            d = d.addingTimeInterval(Double(step) * 86_400)
        }
        return out
    }

    func rows(_ id: String, _ name: String, _ therapist: String, _ clinic: String, _ days: [String]) -> String {
        days.map { "\(id),\(name),\(therapist),\(clinic),\($0),Step-ups,10\n" }.joined()
    }

    /// The clinic above, written into `dir/in` (two export files) and `dir/plans.csv`.
    func writeClinic(_ dir: URL) throws {
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let b1 = dates("2026-01-05", "2026-10-29", every: 3)
        XCTAssertEqual(b1.count, 100, "days 0 .. 297")
        let early = b1.filter { $0 < "2026-07-01" }, late = b1.filter { $0 >= "2026-07-01" }
        try Data((RTMOverviewTests.header + rows("B1", "Bruna Osei", "Bo Park", "@South", early)).utf8)
            .write(to: input.appendingPathComponent("export-2026-h1.csv"))
        var text = RTMOverviewTests.header
        text += rows("A1", "Alma Quist", "Ann Lee", "North", dates("2026-09-02", "2026-09-17") + dates("2026-10-02", "2026-10-31"))
        text += rows("A2", "Arto Vane", "Ann Lee", "North", ["2026-09-02", "2026-09-03"])
        text += rows("B1", "Bruna Osei", "Bo Park", "@South", late)
        text += rows("B2", "Boris Lund", "Bo Park", "@South", ["2026-08-20", "2026-08-22"] + dates("2026-09-25", "2026-10-10"))
        text += rows("U1", "Uma Ruiz", "", "North", dates("2026-09-07", "2026-09-20") + ["2026-10-01"])
        try Data(text.utf8).write(to: input.appendingPathComponent("export-2026-h2.csv"))
        let plans = """
        patient_id,exercise,reps_per_side,hold_seconds,sessions_per_week,start_date,end_date
        A1,step_up,,,7,2026-09-02,
        A2,step_up,,,7,2026-09-02,
        U1,step_up,,,7,2026-09-07,2026-09-20

        """
        try Data(plans.utf8).write(to: dir.appendingPathComponent("plans.csv"))
    }

    func run(_ dir: URL, _ extra: [String] = [], out: String = "out") throws -> AdhereProcess.Result {
        try AdhereProcess.run(["report", "--month", "2026-10", "--plans", dir.appendingPathComponent("plans.csv").path,
                               "--out", dir.appendingPathComponent(out).path] + extra + [dir.appendingPathComponent("in").path])
    }

    static let octoberCSV = """
    patient_id,therapist,clinic,period_start,period_end,data_days,code
    A1,Ann Lee,North,2026-09-02,2026-10-01,16,98977
    A2,Ann Lee,North,2026-09-02,2026-10-01,2,98985
    B1,Bo Park,"'@South",2026-09-02,2026-10-01,10,98985
    U1,,North,2026-09-07,2026-10-06,15,98985
    B2,Bo Park,"'@South",2026-09-25,2026-10-24,16,98977
    A1,Ann Lee,North,2026-10-02,2026-10-31,30,98977
    A2,Ann Lee,North,2026-10-02,2026-10-31,0,
    B1,Bo Park,"'@South",2026-10-02,2026-10-31,10,98985

    """

    func testRTMFileListsTheMonthsClosedPeriodsByEndDateWithIdsOnly() throws {
        let dir = try temporaryFolder(self)
        try writeClinic(dir)
        let json = dir.appendingPathComponent("figures.json")
        let r = try run(dir, ["--json", json.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let out = dir.appendingPathComponent("out")
        let csvPath = out.appendingPathComponent("rtm-2026-10.csv").path
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        // Text a spreadsheet would run as a formula ('@South') is guarded as in the rejects file.
        XCTAssertEqual(csv, RTMOverviewTests.octoberCSV)
        for n in RTMOverviewTests.names { XCTAssertFalse(csv.contains(n), "no patient names in the RTM file") }
        let mode = try FileManager.default.attributesOfItem(atPath: csvPath)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
        XCTAssertTrue(r.stdout.contains("adhere-2026-10-overview.xlsx: the clinic overview, 8 RTM periods closed"), r.stdout)

        // The same periods in the JSON, per patient; U1 (not in the report) on its own.
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let patients = try XCTUnwrap(doc["patients"] as? [[String: Any]])
        XCTAssertEqual(patients.compactMap { $0["patient_id"] as? String }.sorted(), ["A1", "A2", "B1", "B2"])
        func periods(_ p: [String: Any]?) -> [String] {
            ((p?["rtm_periods"] as? [[String: Any]]) ?? []).map { q in
                "\(q["start"] as? String ?? "?") \(q["end"] as? String ?? "?") \((q["data_days"] as? NSNumber)?.intValue ?? -1) \(q["code"] as? String ?? "null")"
            }
        }
        XCTAssertEqual(periods(patients.first { $0["patient_id"] as? String == "A2" }),
                       ["2026-09-02 2026-10-01 2 98985", "2026-10-02 2026-10-31 0 null"])
        XCTAssertEqual(periods(patients.first { $0["patient_id"] as? String == "B1" }),
                       ["2026-09-02 2026-10-01 10 98985", "2026-10-02 2026-10-31 10 98985"])
        XCTAssertEqual(periods(patients.first { $0["patient_id"] as? String == "B2" }), ["2026-09-25 2026-10-24 16 98977"])
        let others = try XCTUnwrap(doc["rtm_other_patients"] as? [[String: Any]])
        XCTAssertEqual(others.count, 1)
        XCTAssertEqual(others.first?["patient_id"] as? String, "U1")
        XCTAssertEqual(periods(others.first), ["2026-09-07 2026-10-06 15 98985"])
        let a2 = try XCTUnwrap(patients.first { $0["patient_id"] as? String == "A2" }?["rtm_periods"] as? [[String: Any]])
        XCTAssertTrue(a2[1]["code"] is NSNull, "no code is null, not left out")

        // `trend` reads the patient's whole history and says the same.
        let t = try AdhereProcess.run(["trend", "B1", "--as-of", "2026-10-31", "--json", dir.appendingPathComponent("in").path])
        XCTAssertEqual(t.code, 0, t.stderr)
        let trend = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(t.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(periods(trend["patient"] as? [String: Any]), ["2026-09-02 2026-10-01 10 98985", "2026-10-02 2026-10-31 10 98985"])
    }

    func testMonthToDateListsThePeriodsEndedByTheAsOfDate() throws {
        // As of 10-30: the periods ending 10-31 have not ended.
        let dir = try temporaryFolder(self)
        try writeClinic(dir)
        let r = try run(dir, ["--as-of", "2026-10-30"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let csv = try String(contentsOfFile: dir.appendingPathComponent("out/rtm-2026-10.csv").path, encoding: .utf8)
        let expected = RTMOverviewTests.octoberCSV.split(separator: "\n").filter { !$0.contains("2026-10-31") }.joined(separator: "\n") + "\n"
        XCTAssertEqual(csv, expected)
        XCTAssertEqual(csv.split(separator: "\n").count, 6, "header and five periods")
    }

    func testRTMSheetOfEachWorkbookHasTotalsThenPeriodsByEndDate() throws {
        let dir = try temporaryFolder(self)
        try writeClinic(dir)
        XCTAssertEqual(try run(dir).code, 0)
        let out = dir.appendingPathComponent("out")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }.sorted()
        // U1 has no therapist and no October figures, but a period to bill: unassigned has a workbook.
        XCTAssertEqual(files, ["adhere-2026-10-Ann-Lee.xlsx", "adhere-2026-10-Bo-Park.xlsx", "adhere-2026-10-overview.xlsx",
                               "adhere-2026-10-unassigned.xlsx", "rejects-2026-10.csv", "rtm-2026-10.csv"])
        let dump = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-Ann-Lee.xlsx").path)
        XCTAssertEqual(dump.sheets.map(\.name), ["Summary", "Trends", "Charts", "RTM", "Data issues", "About"])
        let s = try XCTUnwrap(dump.sheet("RTM"))
        func total(_ label: String) -> Double? { s.row(is: label).flatMap { s["B\($0)"]?.v.number } }
        XCTAssertEqual(total("98977"), 2)
        XCTAssertEqual(total("98985"), 1)
        XCTAssertEqual(total("no code"), 1)
        XCTAssertEqual(total("All periods"), 4)
        let top = try XCTUnwrap(s.row(is: "Patient ID"))
        XCTAssertLessThan(try XCTUnwrap(s.row(is: "98977")), top, "totals at the top")
        let expected: [(String, String, String, Double, String?)] = [
            ("A1", "2026-09-02", "2026-10-01", 16, "98977"), ("A2", "2026-09-02", "2026-10-01", 2, "98985"),
            ("A1", "2026-10-02", "2026-10-31", 30, "98977"), ("A2", "2026-10-02", "2026-10-31", 0, nil),
        ]
        for (i, e) in expected.enumerated() {
            let r = top + 1 + i
            XCTAssertEqual(s["A\(r)"]?.v.string, e.0)
            XCTAssertEqual(s["D\(r)"]?.t, "date")
            XCTAssertEqual(s["D\(r)"]?.v.string, e.1)
            XCTAssertEqual(s["E\(r)"]?.v.string, e.2)
            XCTAssertEqual(s["F\(r)"]?.t, "number")
            XCTAssertEqual(s["F\(r)"]?.v.number, e.3)
            XCTAssertEqual(s["G\(r)"]?.v.string, e.4)
        }
        XCTAssertNil(s["A\(top + 5)"], "four periods")
        // The About sheet states the rule, in the same words as the RTM sheet.
        let about = try XCTUnwrap(dump.sheet("About"))
        let rule = try XCTUnwrap(s["A2"]?.v.string)
        XCTAssertTrue(rule.hasPrefix("Remote-monitoring (RTM) periods: consecutive 30-day periods"), rule)
        XCTAssertTrue(about.texts(inColumn: "A").contains(rule), "the About sheet says the RTM sheet's rule")
        // U1's period is in the unassigned workbook.
        let u = try XCTUnwrap(WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-unassigned.xlsx").path).sheet("RTM"))
        let uTop = try XCTUnwrap(u.row(is: "Patient ID"))
        XCTAssertEqual(u["A\(uTop + 1)"]?.v.string, "U1")
        XCTAssertEqual(u["F\(uTop + 1)"]?.v.number, 15)
    }

    func testOverviewCellsAreTheHandWorkedFigures() throws {
        let dir = try temporaryFolder(self)
        try writeClinic(dir)
        XCTAssertEqual(try run(dir).code, 0)
        let path = dir.appendingPathComponent("out/adhere-2026-10-overview.xlsx").path
        let dump = try WorkbookDump.read(path)
        XCTAssertEqual(dump.sheets.map(\.name), ["Overview", "Six months", "About"])
        let s = try XCTUnwrap(dump.sheet("Overview"))
        let header = try XCTUnwrap(s.row(is: "Therapist"))
        let titles = ["Patients", "Call now", "Review", "Not logging", "On track", "Share adherent", "Median overall adherence",
                      "Change vs last month (pts)", "RTM periods closed", "RTM 98977", "RTM 98985", "RTM no code"]
        let letters = ["B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M"]
        for (t, l) in zip(titles, letters) { XCTAssertEqual(s["\(l)\(header)"]?.v.string, t) }
        /// Expected figures of a row: counts, share, median, change (points), RTM counts; nil = empty.
        func check(_ row: Int, _ label: String, _ values: [Double?], file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(s["A\(row)"]?.v.string, label, file: file, line: line)
            for (l, v) in zip(letters, values) {
                assertClose(s["\(l)\(row)"]?.v.number, v, "\(label) \(l)", accuracy: 1e-9, file: file, line: line)
            }
        }
        // Ann: A1 on track, A2 not logging; 1 of 2 adherent (50%; September 0 of 2: +50 pts);
        // median of 0 and 30/31 = 15/31; periods 16 (98977), 2 (98985), 30 (98977), 0 (none).
        check(header + 1, "Ann Lee", [2, 0, 0, 1, 1, 0.5, 15.0 / 31, 50, 4, 2, 1, 1])
        // Bo: B2 call now, B1 review; none adherent (September none either: 0 pts); median 10/93.
        check(header + 2, "Bo Park", [2, 1, 1, 0, 0, 0, 10.0 / 93, 0, 3, 1, 2, 0])
        // Nobody without a therapist in October (U1's plan ended): no share, median or change.
        check(header + 3, "unassigned", [0, 0, 0, 0, 0, nil, nil, nil, 1, 0, 1, 0])
        // All: 1 of 4 adherent (25%); September 1 of 5 (U1): +5 pts; median of 0, 10/93, 10/93,
        // 30/31 = 10/93.
        check(header + 4, "All patients", [4, 1, 1, 1, 1, 0.25, 10.0 / 93, 5, 8, 3, 4, 1])
        // Two clinics: a row each. North (A1, A2; September A1, A2, U1: 1 of 3): 50% - 33.3% = +16.7 pts.
        let clinic = try XCTUnwrap(s.row(is: "Clinic"))
        check(clinic + 1, "@South", [2, 1, 1, 0, 0, 0, 10.0 / 93, 0, 3, 1, 2, 0])
        check(clinic + 2, "North", [2, 0, 0, 1, 1, 0.5, 15.0 / 31, 100.0 / 6, 5, 2, 2, 1])
        check(clinic + 3, "All patients", [4, 1, 1, 1, 1, 0.25, 10.0 / 93, 5, 8, 3, 4, 1])
        XCTAssertEqual(s["G\(header + 1)"]?.fmt, "0.0%")
        XCTAssertEqual(s["I\(header + 1)"]?.fmt, "+0\" pts\";-0\" pts\";0\" pts\"")

        // Six months: May to October, a column per therapist and the whole clinic.
        let h = try XCTUnwrap(dump.sheet("Six months"))
        let top = try XCTUnwrap(h.row(is: "Month"))
        XCTAssertEqual(["B", "C", "D", "E"].map { h["\($0)\(top)"]?.v.string }, ["Ann Lee", "Bo Park", "unassigned", "All patients"])
        XCTAssertEqual((1...6).map { h["A\(top + $0)"]?.v.string }, ["2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01"])
        XCTAssertEqual(h["A\(top + 1)"]?.t, "date")
        // May: only B1 (10 step-up days of 31: low): Bo 0%; Ann and unassigned had nobody: empty.
        XCTAssertEqual(["B", "C", "D", "E"].map { h["\($0)\(top + 1)"]?.v.number }, [nil, 0, nil, 0])
        // September: Ann 0 of 2, Bo 0 of 2, U1 adherent, all 1 of 5.
        XCTAssertEqual(["B", "C", "D", "E"].map { h["\($0)\(top + 5)"]?.v.number }, [0, 0, 1, 0.2])
        XCTAssertEqual(["B", "C", "D", "E"].map { h["\($0)\(top + 6)"]?.v.number }, [0.5, 0, nil, 0.25])
        XCTAssertEqual(dump.charts.count, 1, "one chart")
        XCTAssertTrue(dump.charts.first?.hasPrefix("Share adherent per therapist") == true, "\(dump.charts)")

        // No patient names or ids anywhere in the overview.
        for sheet in dump.sheets {
            for (ref, cell) in sheet.cells {
                guard let text = cell.v.string else { continue }
                for n in RTMOverviewTests.names + ["A1", "A2", "B1", "B2", "U1"] where text == n || (n.contains(" ") && text.contains(n)) {
                    XCTFail("\(sheet.name)!\(ref) shows \(n)")
                }
            }
        }
        let about = try XCTUnwrap(dump.sheet("About"))
        XCTAssertTrue(about.texts(inColumn: "A").contains { $0.hasPrefix("Share adherent = patients whose overall adherence is 80% or more") })
    }

    func testOverviewOpensInLibreOfficeWithoutRepair() throws {
        let office = try XCTUnwrap(LibreOffice.binary, "LibreOffice is needed for this check; scripts/test.sh installs it")
        let dir = try temporaryFolder(self)
        try writeClinic(dir)
        XCTAssertEqual(try run(dir).code, 0)
        let conv = try temporaryFolder(self)
        let r = try LibreOffice.convertToCSV(office, dir.appendingPathComponent("out/adhere-2026-10-overview.xlsx").path,
                                             into: conv, profile: try temporaryFolder(self))
        XCTAssertEqual(r.code, 0, r.stderr)
        let produced = try FileManager.default.contentsOfDirectory(atPath: conv.path)
        let overview = try XCTUnwrap(produced.first { $0.contains("Overview") }, "LibreOffice produced \(produced): \(r.stderr)")
        let text = try String(contentsOf: conv.appendingPathComponent(overview), encoding: .utf8)
        XCTAssertTrue(text.contains("Ann Lee") && text.contains("All patients"), text)
        XCTAssertFalse((r.stdout + r.stderr).lowercased().contains("repair"), r.stderr)
    }

    func testRerunsAreByteIdenticalAndLeaveUnchangedFilesAlone() throws {
        let dir = try temporaryFolder(self)
        try writeClinic(dir)
        XCTAssertEqual(try run(dir).code, 0)
        let out = dir.appendingPathComponent("out")
        let names = ["adhere-2026-10-overview.xlsx", "rtm-2026-10.csv"]
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        var before: [String: Data] = [:]
        for n in names {
            before[n] = try Data(contentsOf: out.appendingPathComponent(n))
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: out.appendingPathComponent(n).path)
        }
        XCTAssertEqual(try run(dir, ["--quiet"]).code, 0)
        for n in names {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(n)), before[n], n)
            let attributes = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(n).path)
            XCTAssertEqual(attributes[.modificationDate] as? Date, old, "\(n) was rewritten")
            XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, n)
        }
        // One thread or many: the same bytes.
        XCTAssertEqual(try AdhereProcess.run(["report", "--month", "2026-10", "--plans", dir.appendingPathComponent("plans.csv").path,
                                               "--out", dir.appendingPathComponent("one").path, "--quiet",
                                               dir.appendingPathComponent("in").path], environment: ["ADHERE_THREADS": "1"]).code, 0)
        for n in names {
            XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("one/\(n)")), before[n], "\(n) with one thread")
        }
    }

    func testCodesComeFromTheConfigFile() throws {
        let dir = try temporaryFolder(self)
        try writeClinic(dir)
        // A payer asking 20 days for 98977: the 16-day periods of A1 and B2 meet 98985 only.
        let conf = dir.appendingPathComponent("adhere.conf")
        try Data("rtm-period-days = 30\nrtm-code = 98977 20\nrtm-code = 98985 2\n".utf8).write(to: conf)
        let r = try run(dir, ["--config", conf.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let csv = try String(contentsOfFile: dir.appendingPathComponent("out/rtm-2026-10.csv").path, encoding: .utf8)
        XCTAssertTrue(csv.contains("A1,Ann Lee,North,2026-09-02,2026-10-01,16,98985\n"), csv)
        XCTAssertTrue(csv.contains("B2,Bo Park,\"'@South\",2026-09-25,2026-10-24,16,98985\n"), csv)
        XCTAssertTrue(csv.contains("A1,Ann Lee,North,2026-10-02,2026-10-31,30,98977\n"), csv)
        // A bad line stops the run with its line number.
        try Data("# codes\nrtm-code = 98977\n".utf8).write(to: conf)
        let bad = try run(dir, ["--config", conf.path], out: "bad")
        XCTAssertEqual(bad.code, 64, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("line 2") && bad.stderr.contains("rtm-code"), bad.stderr)
    }
}
