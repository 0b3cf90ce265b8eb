import XCTest
@testable import SessionIngest
import AdherenceAnalysis

final class FieldParsingTests: XCTestCase {
    func parse(_ s: String, _ order: DateOrder? = nil) -> Result<ParsedDate, DateProblem> {
        Array(s.utf8).withUnsafeBufferPointer { DateParsing.parse($0, order: order) }
    }

    func day(_ s: String, _ order: DateOrder? = nil) -> String? {
        if case .success(let d) = parse(s, order) { return d.day.description }
        return nil
    }

    func testDateFormats() {
        XCTAssertEqual(day("2026-10-05"), "2026-10-05")
        XCTAssertEqual(day("2026-10-05T23:40:00"), "2026-10-05", "late evening stays on its written day")
        XCTAssertEqual(day("2026-10-05T23:40:00-05:00"), "2026-10-05", "offset does not move the written day")
        XCTAssertEqual(day("2026-10-05 07:15"), "2026-10-05")
        XCTAssertEqual(day("2026-10-05T07:15:30.250Z"), "2026-10-05")
        XCTAssertEqual(day("05.10.2026"), "2026-10-05")
        XCTAssertEqual(day("05.10.2026 18:30"), "2026-10-05")
        XCTAssertEqual(day("5.10.26"), "2026-10-05")
        XCTAssertEqual(day("10/05/2026", .monthFirst), "2026-10-05")
        XCTAssertEqual(day("05/10/2026", .dayFirst), "2026-10-05")
        XCTAssertEqual(day("25/10/2026"), "2026-10-25", "a first number above 12 can only be the day")
        XCTAssertEqual(day("10/25/2026 7:05 PM"), "2026-10-25")
        if case .success(let d) = parse("10/25/2026 7:05 PM") { XCTAssertEqual(d.seconds, 19 * 3600 + 5 * 60) }
        if case .success(let d) = parse("2026-10-05T12:00:00+02:30") { XCTAssertEqual(d.offsetMinutes, 150) }
    }

    func testBadDates() {
        guard case .failure(.impossible) = parse("2026-02-31") else { return XCTFail("31 February is impossible") }
        guard case .failure(.impossible) = parse("31.02.2026") else { return XCTFail("31.02. is impossible") }
        guard case .failure(.ambiguousSlash) = parse("05/10/2026") else { return XCTFail("05/10 needs an order") }
        guard case .failure(.unreadable) = parse("yesterday") else { return XCTFail() }
        guard case .failure(.unreadable) = parse("2026-10-05T25") else { return XCTFail() }
        guard case .failure(.impossible) = parse("2026-10-05T25:00") else { return XCTFail("hour 25") }
    }

    func testNumbersAndSides() {
        func whole(_ s: String) -> Int? { Array(s.utf8).withUnsafeBufferPointer { FieldParsing.wholeNumber($0) } }
        func centis(_ s: String, comma: Bool = false) -> Int? { Array(s.utf8).withUnsafeBufferPointer { FieldParsing.centis($0, decimalComma: comma) } }
        XCTAssertEqual(whole("12"), 12)
        XCTAssertEqual(whole("12.0"), 12)
        XCTAssertNil(whole("7.5"))
        XCTAssertNil(whole("-3"))
        XCTAssertNil(whole("ten"))
        func wholeComma(_ s: String) -> Int? { Array(s.utf8).withUnsafeBufferPointer { FieldParsing.wholeNumber($0, decimalComma: true) } }
        XCTAssertEqual(wholeComma("10,0"), 10)
        XCTAssertNil(wholeComma("1.000"), "a thousands separator is refused, not read as 1")
        XCTAssertEqual(centis("7.5"), 750)
        XCTAssertEqual(centis("7,5", comma: true), 750)
        XCTAssertNil(centis("7,5"))
        XCTAssertEqual(centis("10"), 1000)
        XCTAssertEqual(centis("3.456"), 345, "cut, never rounded up")
        XCTAssertEqual(centis("9.995"), 999, "a 9.995 s hold is not 10 s")
        func side(_ s: String) -> Side?? { Array(s.utf8).withUnsafeBufferPointer { FieldParsing.side($0) } }
        XCTAssertEqual(side("L"), .some(.left))
        XCTAssertEqual(side("Right"), .some(.right))
        XCTAssertEqual(side("bilateral"), .some(.both))
        XCTAssertEqual(side(""), .some(.both))
        XCTAssertEqual(side("up"), .none)
        for word in ["l", "LEFT", "Lt"] { XCTAssertEqual(side(word), .some(.left), word) }
        for word in ["r", "right", "RT"] { XCTAssertEqual(side(word), .some(.right), word) }
        for word in ["b", "Both", "BILATERAL", "bil", "L+R", "l/r"] { XCTAssertEqual(side(word), .some(.both), word) }
        for word in ["xilateral", "bilaterals", "lef", "leftt", "rightt", "l r"] { XCTAssertEqual(side(word), .none, word) }
    }

    func testHeaderSynonymsAndMissingColumns() throws {
        let m = HeaderMatcher()
        XCTAssertEqual(m.column(for: "Client ID"), .patientID)
        XCTAssertEqual(m.column(for: "MRN"), .patientID)
        XCTAssertEqual(m.column(for: "Completed at"), .performedAt)
        XCTAssertEqual(m.column(for: "Repetitions"), .reps)
        XCTAssertEqual(m.column(for: "Hold (s)"), .holdSeconds)
        XCTAssertEqual(m.column(for: "Pain (0-10)"), .pain)
        XCTAssertEqual(m.column(for: "PATIENT_ID"), .patientID)
        XCTAssertThrowsError(try m.map(headers: ["Patient ID", "Dat", "Exercise", "Reps"], file: "x.csv")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("performed_at"), text)
            XCTAssertTrue(text.contains("'Dat'"), "lists the columns found: \(text)")
            XCTAssertTrue(text.contains("'Dat' for performed_at"), "suggests the nearest: \(text)")
            XCTAssertTrue(text.contains("--column"), "says how to fix it: \(text)")
        }
        XCTAssertEqual(m.competing(headers: ["Date", "Patient ID", "Completed at"]),
                       ["columns 'Date' and 'Completed at' both look like performed_at; 'Date' is read (name the other with --column to use it)"])
    }
}

final class SessionLogReaderTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func file(_ name: String, _ text: String) throws -> String {
        try file(name, Data(text.utf8))
    }

    func file(_ name: String, _ data: Data) throws -> String {
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    func read(_ files: [String], asOf: String = "2026-10-31", options: ((inout IngestOptions) -> Void)? = nil) -> IngestResult {
        var o = IngestOptions(span: DayRange(Day(iso: "2026-01-01")!, Day(iso: asOf)!), asOf: Day(iso: asOf)!)
        options?(&o)
        return SessionLogReader(options: o).read(files: files)
    }

    let header = "patient_id,patient_name,therapist,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes\n"

    func testRepeatedRowsAreFoundAcrossFilesWhateverTheirLayout() throws {
        // The same three rows in two exports written differently: other column order, quotes,
        // spaces, "L" for "left", "10.0" for "10". An exercise the catalog does not know must
        // be recognised as the same too (its name, not its place in a file, identifies it).
        let a = try file("a.csv", header + """
        P1,Ann,Dana,2026-10-01 08:00,Wall sit,left,1,10,,2,
        P1,Ann,Dana,2026-10-01 08:00,Calf stretch,left,1,10,30,2,
        P1,Ann,Dana,2026-10-02,Step-ups,,1,12,,,felt fine

        """)
        let b = try file("b.csv", """
        performed_at,patient_id,exercise,side,reps,sets,pain,hold_seconds,notes,therapist,patient_name
        2026-10-02,P1,Step-ups,,12,1,,,"felt fine",Dana,Ann
        2026-10-01 08:00,P1,"Wall sit",L,10.0,1,2,,,Dana,Ann
        2026-10-01 08:00, P1 ,Calf stretch,left,10,1,2,30,,Dana,Ann
        2026-10-01 08:00,P1,Calf stretch,left,10,1,2,30,,Dana,Anne

        """)
        let r = read([a, b])
        XCTAssertEqual(r.rowsRejected, 0)
        XCTAssertEqual(r.files.map(\.duplicates), [0, 3], "three repeats; a different name makes a different row")
        XCTAssertEqual(r.patients.first?.entries.count, 4)
    }

    func testTheLatestNoteIsCarriedPerPatient() throws {
        // P1: notes on 10-03 (a.csv) and 10-05 (a.csv, then a blank note later that day, then
        // b.csv): the latest by day, then file, then row is b.csv's 10-05 note. The note on
        // 10-20 is after the as-of date (10-15) and does not count. P2 never wrote one.
        let a = try file("a.csv", header + """
        P1,Ann,Dana,2026-10-05,Step-ups,,1,12,,,"sore, then fine"
        P1,Ann,Dana,2026-10-03,Step-ups,,1,12,,,first note
        P1,Ann,Dana,2026-10-05,Calf stretch,,1,10,,,
        P1,Ann,Dana,2026-10-20,Calf stretch,,1,10,,,too late
        P2,Bo,Dana,2026-10-06,Calf stretch,,1,10,,,

        """)
        let b = try file("b.csv", header + """
        P1,Ann,Dana,2026-10-05,Hip flexor stretch,,1,10,10,,  knee sore after step-ups
        P1,Ann,Dana,2026-10-04,Hip flexor stretch,,1,10,10,,older

        """)
        let r = read([a, b], asOf: "2026-10-15")
        let p1 = try XCTUnwrap(r.patients.first { $0.id == "P1" })
        XCTAssertEqual(p1.latestNote, Note(day: Day(iso: "2026-10-05")!, text: "knee sore after step-ups"))
        XCTAssertNil(r.patients.first { $0.id == "P2" }?.latestNote)
        // Read in the other order, a.csv's 10-05 note is the later one.
        XCTAssertEqual(read([b, a], asOf: "2026-10-15").patients.first { $0.id == "P1" }?.latestNote?.text, "sore, then fine")
    }

    /// A one-patient read (trend): the patient's rows are checked as in any read, with their
    /// lines; every other row is counted as read and skipped unchecked, whatever its shape,
    /// whether it was passed over unsplit (no quote near) or split (a quoted field, a CRLF
    /// file, a blank line); the other ids are listed only when asked for, and only from rows
    /// of a sound shape (as before the pass-over). Worked by hand:
    /// a.csv has 6 rows, P7's three are lines 2, 5 (pain 12: rejected) and 7; b.csv (CRLF,
    /// quotes) has 4, P7's one on line 4 after a blank line.
    func testAOnePatientReadChecksOnlyThatPatientsRowsAndCountsEveryRow() throws {
        let a = try file("a.csv", header + """
        P7,Ann,Dana,2026-10-01,Step-ups,,1,12,,,
        P70,Bo,Dana,2026-10-01,Step-ups,,1,12,,,
        Q1,Cy,Dana,2026-10-01,Step-ups,,1,oops
        P7,Ann,Dana,2026-10-02,Step-ups,,1,12,,12,
        Q2,"Di ""P7"" Ko",Dana,2026-10-02,Step-ups,,1,-4,,,
        P7,Ann,Dana,2026-10-03,Step-ups,,1,14,,,"knee, fine"

        """)
        let b = try file("b.csv", Data((header + "Q3,Ed,Dana,2026-10-01,Step-ups,,1,x,,,\nQ4,\"Fay\",Dana,2026-10-01,Step-ups,,1,9,,,\n\nP7,Ann,Dana,2026-10-04,Calf stretch,left,1,10,,,\nQ5,Gus\n")
            .replacingOccurrences(of: "\n", with: "\r\n").utf8))
        for list in [false, true] {
            let r = read([a, b]) { $0.onlyPatient = "P7"; $0.listOtherPatients = list }
            XCTAssertEqual(r.files.map(\.rows), [6, 4])
            XCTAssertEqual(r.files.map(\.accepted), [2, 1])
            XCTAssertEqual(r.files.map(\.rejected), [1, 0])
            XCTAssertEqual(r.files.map(\.skipped), [3, 3])
            XCTAssertEqual(r.rejects.map(\.line), [5])
            XCTAssertEqual(r.patients.map(\.id), ["P7"])
            XCTAssertEqual(r.patients.first?.entries.map(\.day), ["2026-10-01", "2026-10-03", "2026-10-04"].map { Day(iso: $0)! })
            // Q1 and Q5 are rows of too few fields: not suggested.
            XCTAssertEqual(r.otherPatientIDs, list ? ["P70", "Q2", "Q3", "Q4"] : [])
        }
    }

    /// A report reads rows dated before the first day it keeps for their patient, day and names
    /// only (``IngestOptions/checkOldRows`` false); a check reads every field. Worked by hand,
    /// the span being October: lines 2-5, 9 and 13 are such rows, and of them 3 (pain 11),
    /// 5 (reps -3) and 13 (reps "x") break a value rule and 4 names an exercise nobody knows;
    /// lines 6 (31 February), 7 (no id) and 8 (too few fields) break a rule of the shape, id or
    /// date, which every row is held to; line 11 (pain 11) and 12 (unknown) are October's.
    /// The same file with CRLF line ends and with some rows quoted reads the same.
    func testOldRowsAreReadForTheirDayOnlyWhenAskedAndInFullOtherwise() throws {
        let text = header + """
        P1,Ann,Dana,2026-08-03 08:00,Calf stretch,left,1,10,30,2,
        P1,Ann,Dana,2026-08-03 08:00,Calf stretch,right,1,10,30,11,
        P1,Ann,Dana,2026-08-04 08:00,Frog hops,left,1,10,,,
        P1,Ann,Dana,2026-08-05 08:00,Calf stretch,left,1,-3,30,,
        P1,Ann,Dana,2026-02-31 08:00,Calf stretch,left,1,10,30,,
        ,Ann,Dana,2026-08-06 08:00,Calf stretch,left,1,10,30,,
        P1,Ann,Dana,2026-08-07 08:00,Calf stretch,left,1,10
        P2,Bo,Sam,2026-09-30 21:00,Step-ups,,1,12,,,
        P1,Ann B,Dana,2026-10-02 08:00,Calf stretch,left,1,10,30,2,
        P1,Ann B,Dana,2026-10-02 08:00,Calf stretch,right,1,10,30,11,
        P1,Ann B,Dana,2026-10-03 08:00,Frog hops,left,1,10,,,
        P2,Bo,Sam,2026-09-29 21:00,Step-ups,,1,x,,,

        """
        let quoted = text.replacingOccurrences(of: "P1,Ann,Dana,2026-08-03 08:00,Calf stretch,right",
                                               with: "\"P1\",Ann,\"Dana\",2026-08-03 08:00,\"Calf stretch\",right")
            .replacingOccurrences(of: "P2,Bo,Sam,2026-09-29", with: "P2,\"Bo\",Sam,2026-09-29")
        let shapes = [("lf.csv", text), ("crlf.csv", text.replacingOccurrences(of: "\n", with: "\r\n")), ("quoted.csv", quoted)]
        func days(_ r: IngestResult, _ id: String) -> [String] {
            (r.patients.first { $0.id == id }?.entryDays?.days ?? []).map(\.description)
        }
        for (name, body) in shapes {
            let f = try file(name, body)
            let report = read([f]) { $0.span = DayRange(Day(iso: "2026-10-01")!, Day(iso: "2026-10-31")!); $0.keepEntryDays = true; $0.checkOldRows = false }
            XCTAssertEqual(report.files.map(\.rows), [12], name)
            XCTAssertEqual(report.rejects.map(\.line), [6, 7, 8, 11], name)
            XCTAssertEqual(report.files.map(\.accepted), [8], name)
            XCTAssertEqual(report.files.map(\.readForDayOnly), [6], name)
            XCTAssertEqual(report.checkedFrom, Day(iso: "2026-10-01"), name)
            XCTAssertEqual(report.unknownExercises.map { "\($0.name) \($0.rows)" }, ["Frog hops 1"], name)
            XCTAssertEqual(days(report, "P1"), ["2026-08-03", "2026-08-04", "2026-08-05", "2026-10-02", "2026-10-03"], name)
            XCTAssertEqual(days(report, "P2"), ["2026-09-29", "2026-09-30"], name)
            XCTAssertEqual(report.patients.first { $0.id == "P1" }?.name, "Ann B", name)

            let full = read([f]) { $0.span = DayRange(Day(iso: "2026-10-01")!, Day(iso: "2026-10-31")!); $0.keepEntryDays = true }
            XCTAssertEqual(full.rejects.map(\.line), [3, 5, 6, 7, 8, 11, 13], name)
            XCTAssertEqual(full.files.map(\.accepted), [5], name)
            XCTAssertEqual(full.files.map(\.readForDayOnly), [0], name)
            XCTAssertNil(full.checkedFrom, name)
            XCTAssertEqual(full.unknownExercises.map { "\($0.name) \($0.rows)" }, ["Frog hops 2"], name)
            XCTAssertEqual(days(full, "P1"), ["2026-08-03", "2026-08-04", "2026-10-02", "2026-10-03"], name)
            XCTAssertEqual(days(full, "P2"), ["2026-09-30"], name)

            // A check keeps no entries: every row is read in full whatever the option says.
            let check = read([f]) { $0.keepEntries = false; $0.checkOldRows = false }
            XCTAssertEqual(check.rejects.map(\.line), [3, 5, 6, 7, 8, 11, 13], name)
            XCTAssertEqual(check.files.map(\.readForDayOnly), [0], name)
        }
    }

    /// Whether an old row is read for its day does not hang on the row before it: a row of a
    /// shape the rules allow but that is not the plain one (notes longer than a cell, extra
    /// empty fields at the end) is read for its day like any other, before or after a row read
    /// so. (A reviewer's cases: a long line after an old row was checked in full, as were extra
    /// empty fields.)
    func testAnOldRowIsReadForItsDayWhateverTheRowBeforeIt() throws {
        let rows = [
            "P1,Ann,Dana,2026-08-03 08:00,Calf stretch,left,1,10,30,2,",
            "P1,Ann,Dana,2026-08-04 08:00,Calf stretch,left,1,10,30,11," + String(repeating: "x", count: 32_800),
            "P1,Ann,Dana,2026-08-05 08:00,Calf stretch,left,1,10,30,11,,,",
        ]
        for (name, order) in [("first.csv", [0, 1, 2]), ("last.csv", [1, 2, 0]), ("middle.csv", [2, 0, 1])] {
            let f = try file(name, header + order.map { rows[$0] }.joined(separator: "\n") + "\n")
            let report = read([f]) { $0.span = DayRange(Day(iso: "2026-10-01")!, Day(iso: "2026-10-31")!); $0.keepEntryDays = true; $0.checkOldRows = false }
            XCTAssertEqual(report.rejects.map(\.line), [], name)
            XCTAssertEqual(report.files.map(\.readForDayOnly), [3], name)
            XCTAssertEqual((report.patients.first?.entryDays?.days ?? []).map(\.description), ["2026-08-03", "2026-08-04", "2026-08-05"], name)
            let full = read([f]) { $0.span = DayRange(Day(iso: "2026-10-01")!, Day(iso: "2026-10-31")!); $0.keepEntryDays = true }
            XCTAssertEqual(full.rejects.map(\.line), order.enumerated().filter { $0.element != 0 }.map { $0.offset + 2 }, name)
        }
    }

    /// Rows take the values of an earlier row whose value columns (exercise to pain) are
    /// written with the same bytes, and the names of a row whose name columns are: nothing
    /// else. Worked by hand: each row's own date; a trailing space, quotes or another column
    /// order read to the same values; a row like an accepted one but without an id, or with
    /// pain 11, is rejected each time; a name that changes is the latest; two rows the same but
    /// for the clinic are not duplicates, the same in every field are.
    func testRowsAlikeInBytesShareValuesAndNothingElse() throws {
        let head = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes\n"
        let a = try file("a.csv", head + """
        P1,Ann,Dana,North,2026-10-01,Calf stretch,left,1,10,30,2,
        P1,Ann,Dana,North,2026-10-02,Calf stretch,left,1,10,30,2,
        P1,Ann,Dana,North,2026-10-03,Calf stretch,left,1,10,30,2 ,
        P1,Ann,Dana,North,2026-10-04,"Calf stretch",left,1,10,30,2,
        ,Ann,Dana,North,2026-10-05,Calf stretch,left,1,10,30,2,
        P1,Ann,Dana,North,2026-10-05,Calf stretch,left,1,10,30,11,
        P1,Ann,Dana,North,2026-10-05,Calf stretch,left,1,10,30,11,
        P1,Ann,Dana,North,2026-10-06,Calf stretch,left,1,10,3,2,
        P1,Ann,Dana,North,2026-10-06,Calf stretch,left,1,1,30,2,
        P1,Ann B,Dana,North,2026-10-07,Calf stretch,right,2,10,30,,
        P1,Ann B,Dana,South,2026-10-07,Calf stretch,right,2,10,30,,
        P1,Ann B,Dana,South,2026-10-07,Calf stretch,right,2,10,30,,

        """)
        let r = read([a])
        XCTAssertEqual(r.rejects.map(\.line), [6, 7, 8])
        XCTAssertEqual(r.files.map(\.duplicates), [1])
        let p1 = try XCTUnwrap(r.patients.first { $0.id == "P1" })
        XCTAssertEqual(p1.name, "Ann B")
        XCTAssertEqual(p1.clinic, "South")
        let calf = ExerciseCatalog.standard.id(forKey: "calf_stretch")
        let got = p1.entries.map { "\($0.day) \($0.exercise == calf) \($0.side) \($0.reps) \($0.holdCentis.map(String.init) ?? "-") \($0.painCentis.map(String.init) ?? "-")" }
        XCTAssertEqual(got, [
            "2026-10-01 true left 10 3000 200", "2026-10-02 true left 10 3000 200", "2026-10-03 true left 10 3000 200",
            "2026-10-04 true left 10 3000 200", "2026-10-06 true left 10 300 200", "2026-10-06 true left 1 3000 200",
            "2026-10-07 true right 20 3000 -", "2026-10-07 true right 20 3000 -",
        ])
    }

    /// The memos' keys are the columns' bytes with their quotes: `"Squat,",5` and `Squat,",5"`
    /// are the same bytes between the outer quotes but not the same fields (exercise `Squat,`
    /// with 5 reps; exercise `Squat` with reps `,5`, rejected). Likewise names: `"Ann,",Bob`
    /// and `Ann,",Bob"` are two patients' different names, and not a repeated row. (A
    /// reviewer's cases: without the quotes in the key, line 3 took line 2's values, and the
    /// second row was dropped as a duplicate.)
    func testMemoKeysTellQuotedFieldsApart() throws {
        let v = try file("v.csv", "patient_id,performed_at,exercise,reps\nP001,2026-10-01,\"Squat,\",5\nP001,2026-10-02,Squat,\",5\"\n")
        let r = read([v])
        XCTAssertEqual(r.files.map(\.accepted), [1])
        XCTAssertEqual(r.rejects.map(\.line), [3])
        XCTAssertEqual(r.unknownExercises.map(\.name), ["Squat,"])
        XCTAssertEqual(r.unknownExercises.map(\.rows), [1])

        let d = try file("d.csv", "patient_id,patient_name,therapist,performed_at,exercise,reps\n"
            + "P001,\"Ann,\",Bob,2026-10-01,Squat,5\nP001,Ann,\",Bob\",2026-10-01,Squat,5\nP002,Ann,\",Bob\",2026-10-02,Squat,5\n")
        let t = read([d])
        XCTAssertEqual(t.files.map(\.accepted), [3])
        XCTAssertEqual(t.files.map(\.duplicates), [0])
        XCTAssertEqual(t.patients.first { $0.id == "P002" }?.name, "Ann")
        XCTAssertEqual(t.patients.first { $0.id == "P002" }?.therapist, ",Bob")
    }

    /// A note starting with a quote that never closes, on row 4 of 2,000: that row is
    /// rejected with its file and line, and every other row counts.
    func testAStrayQuoteIsRejectedAloneAndEveryOtherRowCounts() throws {
        var text = header
        for i in 1...2_000 {
            let day = 1 + i % 28
            let note = i == 4 ? "\"knee sore after" : (i == 9 ? "\"sore, then fine\"" : "ok")
            text += "P\(i % 7),Ann,Dana,2026-10-\(day < 10 ? "0" : "")\(day)T08:\(i % 60 < 10 ? "0" : "")\(i % 60),Step-ups,,1,\(i),,,\(note)\n"
        }
        let f = try file("stray.csv", text)
        let r = read([f])
        XCTAssertNil(r.files[0].error)
        XCTAssertEqual(r.rowsRead, 2_000)
        XCTAssertEqual(r.rowsRejected, 1)
        XCTAssertEqual(r.files[0].accepted, 1_999)
        XCTAssertEqual(r.rowsRead, r.files[0].accepted + r.duplicatesDropped + r.rowsRejected)
        XCTAssertEqual(r.rejects.first?.line, 5, "row 4 is on line 5, after the header")
        XCTAssertEqual(r.rejects.first?.file, f)
        XCTAssertEqual(r.rejects.first?.reason, "malformed CSV: a quote opens a field that is not closed before the next row")
        XCTAssertEqual(r.patients.reduce(0) { $0 + $1.entries.count }, 1_999)
    }

    /// A fixed rejects file read back: the `'` that kept a field from running as a formula is
    /// removed, once; in any other file a leading `'` is the export's own text.
    func testAGuardedFieldOfARejectsFileLosesItsQuoteWhenReadBack() throws {
        let rejectsHeader = (Column.canonical.map(\.rawValue) + RejectsFormat.extraColumns).joined(separator: ",") + "\n"
        let fixed = try file("fixed.csv", rejectsHeader
            + "\"'=P7\",Bo,Dana,,2026-10-05,Step-ups,,1,3,,,\"'@home\",x.csv,3,reps,raw\n"
            + "\"''-P8\",Bo,Dana,,2026-10-05,Step-ups,,1,3,,,,x.csv,4,reps,raw\n"
            + "'P9,Bo,Dana,,2026-10-05,Step-ups,,1,3,,,,x.csv,5,reps,raw\n")
        let r = read([fixed])
        XCTAssertEqual(r.rowsRejected, 0, "\(r.rejects)")
        XCTAssertEqual(r.patients.map(\.id).sorted(), ["'-P8", "'P9", "=P7"])
        let export = try file("export.csv", header + "'=P7,Bo,Dana,2026-10-05,Step-ups,,1,3,,,\n")
        XCTAssertEqual(read([export]).patients.map(\.id), ["'=P7"], "only a rejects file is unguarded")
    }

    /// A patient id with a NUL, an escape, a tab inside or DEL names nobody: the row is rejected.
    func testPatientIdsWithControlCharactersAreRejected() throws {
        let f = try file("ids.csv", header
            + "P1,Ann,Dana,2026-10-01,Step-ups,,1,10,,,\n"
            + "P\u{0}2,Bo,Dana,2026-10-01,Step-ups,,1,10,,,\n"
            + "P\u{1B}[2J3,Cy,Dana,2026-10-01,Step-ups,,1,10,,,\n"
            + "P\t4,Di,Dana,2026-10-01,Step-ups,,1,10,,,\n"
            + "P5\u{7F},Ed,Dana,2026-10-01,Step-ups,,1,10,,,\n"
            + "\tP1 ,Ann,Dana,2026-10-02,Step-ups,,1,10,,,\n")
        let r = read([f])
        XCTAssertEqual(r.rowsRead, 6)
        XCTAssertEqual(r.rejects.map(\.line), [3, 4, 5, 6])
        XCTAssertEqual(r.rejects.map(\.reason), ["patient id holds a control character, found U+0000 (NUL) at character 2",
                                                "patient id holds a control character, found U+001B (escape) at character 2",
                                                "patient id holds a control character, found U+0009 (tab) at character 2",
                                                "patient id holds a control character, found U+007F (DEL) at character 3"])
        XCTAssertEqual(Set(r.rejects.map(\.category)), ["patient id holds a control character"], "one group in check")
        XCTAssertEqual(r.patients.map(\.id), ["P1"], "a tab around the id is trimmed, not a control character inside it")
        XCTAssertEqual(r.patients.first?.entries.count, 2)
    }

    func testEveryRowIsAcceptedDroppedOrRejectedWithItsLineAndReason() throws {
        let a = try file("a.csv", header + """
        P1,Ann,Dana,2026-10-01T08:00,Calf stretch,left,1,10,,2,
        P1,Ann,Dana,2026-10-01T08:05,Calf stretch,right,2,5,,,
        ,Nobody,Dana,2026-10-01,Calf stretch,both,1,10,,,
        P2,Bo,Sam,2026-02-31,Step-ups,,1,10,,,
        P2,Bo,Sam,2026-10-02,Step-ups,,1,-10,,,
        P2,Bo,Sam,2026-10-02,Step-ups,,1,7.5,,,
        P2,Bo,Sam,2026-10-02,Step-ups,,1,10,,11,
        P2,Bo,Sam,2026-10-02,Step-ups
        P2,Bo,Sam,2026-10-02,Wall sit,,1,10,,,
        P2,Bo,Sam,2026-10-02,Step-ups,up,1,10,,,

        """)
        let b = try file("b.csv", header + """
        P1,Ann,Dana,2026-10-01T08:00,Calf stretch,left,1,10,,2,
        P1,Ann,Dana,2026-11-03,Calf stretch,left,1,10,,2,

        """)
        let r = read([a, b])
        XCTAssertEqual(r.rowsRead, 12)
        XCTAssertEqual(r.rowsRejected, 7)
        XCTAssertEqual(r.duplicatesDropped, 1, "the same row in an overlapping export counts once")
        XCTAssertEqual(r.files[1].duplicates, 1)
        XCTAssertEqual(r.rowsAfterAsOf, 1)
        XCTAssertEqual(r.files.map(\.accepted).reduce(0, +) + r.rowsRejected + r.duplicatesDropped, r.rowsRead)
        XCTAssertEqual(r.rejects.map(\.line), [4, 5, 6, 7, 8, 9, 11])
        let reasons = r.rejects.map(\.reason)
        XCTAssertEqual(reasons[0], "missing patient id")
        XCTAssertEqual(reasons[1], "impossible date '2026-02-31'")
        XCTAssertTrue(reasons[2].hasPrefix("reps must be a whole number"), reasons[2])
        XCTAssertTrue(reasons[3].contains("'7.5'"), reasons[3])
        XCTAssertTrue(reasons[4].hasPrefix("pain must be a number from 0 to 10"), reasons[4])
        XCTAssertEqual(reasons[5], "wrong number of fields: expected 11, found 5")
        XCTAssertTrue(reasons[6].hasPrefix("side must be"), reasons[6])
        XCTAssertEqual(r.rejects[5].raw, "P2,Bo,Sam,2026-10-02,Step-ups")
        XCTAssertEqual(r.rejects[0].therapist, "Dana", "rejected rows keep their therapist to be filed with the right report")
        for reject in r.rejects { XCTAssertFalse(reject.reason.contains("Ann") || reject.reason.contains("Bo,"), "no names in reasons") }
        XCTAssertEqual(r.unknownExercises.map(\.name), ["Wall sit"])
        let p1 = try XCTUnwrap(r.patients.first { $0.id == "P1" })
        XCTAssertEqual(p1.entries.count, 2)
        XCTAssertEqual(p1.entries[1].reps, 10, "sets x reps")
        XCTAssertEqual(p1.entries[0].painCentis, 200)
        XCTAssertEqual(p1.lastEntry?.description, "2026-10-01", "rows after the as-of date do not count")
        XCTAssertEqual(p1.therapist, "Dana")
    }

    func testEdgeValues() throws {
        let f = try file("edge.csv", header + """
        P1,Ann,Dana,1026-10-05,Step-ups,,1,10,,,
        P1,Ann,Dana,2026-10-05,Step-ups,,1,10,,10.004,
        P1,Ann,Dana,2026-10-05,Step-ups,,1,1000000001,,,
        P1,Ann,Dana,2026-10-06,Hip flexor stretch,,1,10,9.995,10,\(String(repeating: "n", count: 40_000))
        P1,Ann\u{0}x,Dana,2026-10-07,Step-ups,,0,10,,,

        """)
        let r = read([f])
        XCTAssertNil(r.files[0].error, "a NUL byte in a row does not make the file binary")
        XCTAssertEqual(r.rejects.map(\.line), [2, 3, 4])
        XCTAssertTrue(r.rejects[0].reason.hasPrefix("date out of range"), r.rejects[0].reason)
        XCTAssertTrue(r.rejects[1].reason.hasPrefix("pain must be"), "10.004 is above 10: \(r.rejects[1].reason)")
        XCTAssertTrue(r.rejects[2].reason.hasPrefix("too many reps"), r.rejects[2].reason)
        let p = try XCTUnwrap(r.patients.first)
        XCTAssertEqual(p.entries.map(\.holdCentis), [999, nil], "long notes are fine; the hold is cut, not rounded")
        XCTAssertEqual(p.entries.last?.reps, 0, "0 sets: 0 reps")
    }

    func testHeaderOnlyEmptyAndBinaryFilesAreFileErrorsThatDoNotStopTheOthers() throws {
        let good = try file("good.csv", header + "P1,Ann,Dana,2026-10-01,Calf stretch,,1,10,,,\n")
        let headerOnly = try file("header.csv", header)
        let empty = try file("empty.csv", "")
        let xlsx = try file("export.csv", Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0]))
        let noColumns = try file("other.csv", "Client ID,When,What\nx,y,z\n")
        let noHeader = try file("noheader.csv", "P1,Avery Lindqvist,2026-10-01,Step-ups,10\n")
        let r = read([good, headerOnly, empty, xlsx, noColumns, noHeader])
        XCTAssertNil(r.files[0].error)
        XCTAssertEqual(r.files[0].accepted, 1)
        XCTAssertNil(r.files[1].error, "a header-only file is read: no rows")
        XCTAssertEqual(r.files[1].rows, 0)
        XCTAssertTrue("\(r.files[2].error!)".contains("empty"))
        XCTAssertTrue("\(r.files[3].error!)".contains("Excel workbook"))
        XCTAssertTrue("\(r.files[4].error!)".contains("performed_at"), "\(r.files[4].error!)")
        let headerless = "\(r.files[5].error!)"
        XCTAssertTrue(headerless.contains("no header row"), headerless)
        XCTAssertFalse(headerless.contains("Avery"), "a data row read as a header is not repeated: \(headerless)")
        XCTAssertEqual(r.patients.count, 1)
    }

    /// A headerless export whose first row happens to match a column name (a note
    /// "Completed" reads like performed_at), and a headerless plans file: the error says there
    /// is no header and never repeats the row, which holds a patient's name.
    func testAHeaderlessFileNeverRepeatsItsFirstRow() throws {
        let export = try file("noheader.csv", "P1,Avery Lindqvist,Dana,2026-10-01,Step-ups,,1,10,,,Completed\n")
        let error = "\(try XCTUnwrap(read([export]).files[0].error))"
        XCTAssertTrue(error.contains("no header row"), error)
        XCTAssertFalse(error.contains("Avery") || error.contains("Lindqvist"), error)
        let plans = try file("plans-noheader.csv", "P1,Step-ups,,,5,2026-09-01,,Dana,Avery Lindqvist\n")
        XCTAssertThrowsError(try PlansReader.read(path: plans, catalog: .standard)) { e in
            XCTAssertTrue("\(e)".contains("no header row"), "\(e)")
            XCTAssertFalse("\(e)".contains("Avery"), "\(e)")
        }
        // A real header missing a column still lists the columns it has, to help name them.
        let misnamed = try file("misnamed.csv", "Client Ref,Date,Exercise,Reps\nP1,2026-10-01,Step-ups,10\n")
        let missing = "\(try XCTUnwrap(read([misnamed]).files[0].error))"
        XCTAssertTrue(missing.contains("'Client Ref'"), missing)
    }

    func testSemicolonWindows1252WithDayFirstDatesAndDecimalComma() throws {
        // "Müller" in Windows-1252: M, 0xFC, ller.
        var bytes = Array("Patient ID;Name;Datum;Exercise name;Repetitions;Hold (s);Pain (0-10)\r\n".utf8)
        bytes += Array("P9;M".utf8) + [0xFC] + Array("ller;05.10.2026 18:30;Hip flexor stretch;10;12,5;3,5\r\n".utf8)
        let f = try file("legacy.csv", Data(bytes))
        let r = read([f]) { $0.extraColumns = ["Datum": .performedAt] }
        XCTAssertNil(r.files[0].error, "\(String(describing: r.files[0].error))")
        XCTAssertEqual(r.files[0].separator, "semicolon")
        XCTAssertEqual(r.files[0].encoding, "Windows-1252")
        let p = try XCTUnwrap(r.patients.first)
        XCTAssertEqual(p.name, "Müller")
        XCTAssertEqual(p.entries.first?.day.description, "2026-10-05")
        XCTAssertEqual(p.entries.first?.holdCentis, 1250)
        XCTAssertEqual(p.entries.first?.painCentis, 350)
    }

    func testForcedEncodingAppliesToEveryColumn() throws {
        // Windows-1252 bytes: "Müller" and the exercise "Hüftbeuger" (unknown to the catalog).
        var bytes = Array("patient_id,patient_name,performed_at,exercise,reps\n".utf8)
        bytes += Array("P\u{1}1,M".utf8).filter { $0 != 1 } + [0xFC] + Array("ller,2026-10-05,H".utf8) + [0xFC] + Array("ftbeuger,10\n".utf8)
        let f = try file("legacy.csv", Data(bytes))
        let forced = read([f]) { $0.encoding = .windows1252 }
        XCTAssertEqual(forced.patients.first?.name, "Müller")
        XCTAssertEqual(forced.unknownExercises.first?.name, "Hüftbeuger")
        let asUTF8 = read([f]) { $0.encoding = .utf8 }
        XCTAssertEqual(asUTF8.patients.first?.name, "M\u{FFFD}ller", "told UTF-8, invalid bytes are not guessed")
        XCTAssertEqual(asUTF8.unknownExercises.first?.name, "H\u{FFFD}ftbeuger")
    }

    func testSlashDatesAreDecidedFromTheWholeColumnOrRefused() throws {
        let h = "patient_id,performed_at,exercise,reps\n"
        let us = try file("us.csv", h + "P1,10/05/2026,Step-ups,10\nP1,10/25/2026,Step-ups,10\n")
        let r = read([us])
        XCTAssertEqual(r.patients.first?.entries.map(\.day.description), ["2026-10-05", "2026-10-25"],
                       "10/25 shows the column is month first, so 10/05 is 5 October")
        let ambiguous = try file("amb.csv", h + "P1,10/05/2026,Step-ups,10\nP1,11/05/2026,Step-ups,10\n")
        let a = read([ambiguous])
        XCTAssertTrue("\(a.files[0].error!)".contains("--date-order"), "names the option to settle it")
        let settled = read([ambiguous]) { $0.dateOrder = .dayFirst }
        XCTAssertEqual(settled.patients.first?.entries.map(\.day.description), ["2026-05-10", "2026-05-11"])
        let mixed = try file("mixed.csv", h + "P1,25/10/2026,Step-ups,10\nP1,10/25/2026,Step-ups,10\n")
        XCTAssertTrue("\(read([mixed]).files[0].error!)".contains("mixes"))
    }

    func testInputFoldersExpandToCSVFilesInPathOrder() throws {
        let sub = folder.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        _ = try file("z.csv", header)
        _ = try file("a.CSV", header)
        _ = try file("notes.txt", "x")
        _ = try file(".hidden.csv", header)
        try Data(header.utf8).write(to: sub.appendingPathComponent("m.csv"))
        let files = try InputFiles.expand([folder.path]).map { String($0.dropFirst(folder.path.count + 1)) }
        XCTAssertEqual(files, ["a.CSV", "b/m.csv", "z.csv"])
        XCTAssertThrowsError(try InputFiles.expand([folder.appendingPathComponent("missing").path]))
    }

    func testPlansFile() throws {
        let plans = try file("plans.csv", """
        patient_id,exercise,reps_per_side,hold_seconds,sessions_per_week,start_date,end_date,therapist
        P1,Hip flexor stretch,10,10,3,2026-09-01,,Dana
        P1,step_up,,,3,2026-09-01,2026-12-31,

        """)
        let p = try PlansReader.read(path: plans, catalog: .standard)
        XCTAssertEqual(p.periods["P1"]?.count, 2)
        XCTAssertEqual(p.periods["P1"]?[0].holdCentis, 1000)
        XCTAssertNil(p.periods["P1"]?[1].repsPerSide)
        XCTAssertEqual(p.therapist["P1"], "Dana")
        let bad = try file("bad.csv", """
        patient_id,exercise,reps_per_side,hold_seconds,sessions_per_week,start_date,end_date
        P1,Yoga,10,,3,2026-09-01,
        P2,Calf stretch,ten,,3,2026-09-01,
        P3,Calf stretch,10,,3,2026-10-01,2026-09-01
        P4,Calf stretch,10,,14,2026-10-01,

        """)
        XCTAssertThrowsError(try PlansReader.read(path: bad, catalog: .standard)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("line 2: the exercise is not in the catalog"), text)
            XCTAssertFalse(text.contains("Yoga"), "cell text is not repeated: in a misaligned file it could be a name")
            XCTAssertTrue(text.contains("line 3: reps_per_side must be a whole number from 1 to 1000"), text)
            XCTAssertTrue(text.contains("line 4: end_date is before start_date"), text)
            XCTAssertFalse(text.contains("2026-09-01"), "nor dates of care")
            XCTAssertTrue(text.contains("line 5: sessions_per_week must be a whole number from 1 to 7"), text)
        }
    }
}
