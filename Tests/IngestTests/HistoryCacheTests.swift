import XCTest
@testable import SessionIngest
import AdherenceAnalysis

/// Old inputs unchanged since an earlier run, wholly before the window, are taken from the
/// output folder's cache (HistoryCache) instead of being read: the result must be the read's.
final class HistoryCacheTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes\n"
    var dir = ""

    /// March: a name, a note, an unknown exercise name (Moonwalk), two rejected rows (lines 5
    /// and 6, the header being line 1).
    var march: String {
        header + """
        P1,Ann Old,Dana,North,2026-03-02,Step-ups,left,1,10,,2,first note
        P1,Ann Older,Dana,North,2026-03-05,Moonwalk,left,1,10,,,
        P2,Bo,Sam,South,2026-03-05,Calf stretch,both,1,10,,,
        P2,Bo,Sam,South,2026-03-06,Calf stretch,both,x,10,,,
        P3,,,,,

        """
    }
    /// April: P1 again on 5 March, under another name (the later file wins the tie), and P4.
    let april = """
        patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes
        P1,Ann B,Dana,North,2026-03-05,Step-ups,left,1,12,,,late note
        P4,Cy,Sam,South,2026-04-10,Step-ups,right,1,8,,,

        """
    /// October, the report's month.
    let october = """
        patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes
        P2,Bo,Sam,South,2026-10-04,Calf stretch,both,1,10,,,
        P5,Di,Sam,South,2026-10-05,Step-ups,left,1,10,,,

        """

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-history-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
    }

    /// The three exports, written long enough ago to be kept.
    func writeExports() throws -> [String] {
        try write("a-march.csv", march)
        try write("b-april.csv", april)
        try write("c-october.csv", october)
        Thread.sleep(forTimeInterval: Double(DigestIndex.settleSeconds) + 1.1)
        return ["a-march.csv", "b-april.csv", "c-october.csv"].map(path)
    }

    /// October's report: the month, history from September, entry days kept.
    func october(_ change: (inout IngestOptions) -> Void = { _ in }) -> IngestOptions {
        var o = IngestOptions(span: DayRange(Day(iso: "2026-10-01")!, Day(iso: "2026-10-31")!), asOf: Day(iso: "2026-10-31")!)
        o.historyFrom = Day(iso: "2026-09-01")
        o.keepEntryDays = true
        change(&o)
        return o
    }

    /// A read with the folder's cache, which is then written back as a run writes it.
    func cachedRead(_ files: [String], _ o: IngestOptions, partBytes: Int? = nil) throws -> (result: IngestResult, fromCache: Int, rewritten: Bool) {
        var o = o
        let cache = HistoryCache(folder: dir, options: o)
        o.historyCache = cache
        let reader = SessionLogReader(options: o)
        if let partBytes { reader.partBytes = partBytes }
        let result = reader.read(files: files)
        let kept = cache.contents()
        if let kept { try kept.write(to: URL(fileURLWithPath: path(HistoryCache.fileName))) }
        return (result, cache.filesFromCache, kept != nil)
    }

    /// Everything a read yields that a report uses, as text.
    func text(_ r: IngestResult) -> String {
        var lines = r.files.map {
            "\($0.path) \($0.rows)/\($0.accepted)/\($0.rejected)/\($0.duplicates)/\($0.skipped) \($0.bytes) \($0.sha256) \($0.separator) "
                + "\($0.encoding) \($0.dateFormat) \($0.columns.sorted { $0.key < $1.key }) \($0.notices) \($0.missingClinical)"
        }
        lines += r.rejects.map { "\($0.file) \($0.line) \($0.why) \($0.raw) \(String(describing: $0.clinic)) \($0.fields.sorted { $0.key.rawValue < $1.key.rawValue })" }
        lines += r.patients.map {
            "\($0.id) \(String(describing: $0.name)) \(String(describing: $0.therapist)) \(String(describing: $0.clinic)) "
                + "\(String(describing: $0.lastEntry)) \(String(describing: $0.latestNote)) \($0.entries) \(String(describing: $0.entryDays?.days)) "
                + "\(String(describing: $0.history?.entries()))"
        }
        lines.append("\(r.unknownExercises) \(r.rowsAfterAsOf) \(r.exerciseNamesSeen)")
        return lines.joined(separator: "\n")
    }

    /// April's report, with history from `historyFrom`.
    func april(historyFrom: String) -> IngestOptions {
        october {
            $0.span = DayRange(Day(iso: "2026-04-01")!, Day(iso: "2026-04-30")!)
            $0.asOf = Day(iso: "2026-04-30")!
            $0.historyFrom = Day(iso: historyFrom)
        }
    }

    func plainRead(_ files: [String], _ o: IngestOptions) -> String { text(SessionLogReader(options: o).read(files: files)) }

    /// A large old export, read in parts on every core, is kept once joined and then taken
    /// whole from the cache: 40 rows of March and one rejected row on line 42 (the header is
    /// line 1), cut into parts of 256 bytes.
    func testAnOldFileReadInPartsIsKeptAndTakenWhole() throws {
        let rows = (0..<40).map { "P\(10 + $0),Name \($0),Dana,North,2026-03-\(String(format: "%02d", 1 + $0 % 28)),Step-ups,left,1,10,,,\n" }
        try write("a-march.csv", header + rows.joined() + "P99,Zed,Dana,North,2026-03-30,Step-ups,left,1,many,,,\n")
        try write("c-october.csv", october)
        Thread.sleep(forTimeInterval: Double(DigestIndex.settleSeconds) + 1.1)
        let files = ["a-march.csv", "c-october.csv"].map(path)
        let reader = SessionLogReader(options: october())
        reader.partBytes = 256
        let inParts = text(reader.read(files: files))
        XCTAssertEqual(reader.filesReadAgain, 0)
        XCTAssertEqual(inParts, plainRead(files, october()), "parts or whole, the same read")

        let cold = try cachedRead(files, october(), partBytes: 256)
        XCTAssertEqual(cold.fromCache, 0)
        XCTAssertTrue(cold.rewritten, "March, read in parts, is kept")
        let warm = try cachedRead(files, october(), partBytes: 256)
        XCTAssertEqual(warm.fromCache, 1, "March is taken from the cache, not cut into parts and read")
        XCTAssertEqual(text(warm.result), inParts)
        let march = try XCTUnwrap(warm.result.files.first)
        XCTAssertEqual([march.rows, march.accepted, march.rejected], [41, 40, 1])
        XCTAssertEqual(warm.result.rejects.map(\.line), [42])
        let ids = Set(warm.result.patients.map(\.id))
        XCTAssertTrue(Set((10..<50).map { "P\($0)" }).isSubset(of: ids), "March's 40 patients")
        XCTAssertFalse(ids.contains("P99"), "the rejected row's patient is not one")
    }

    func testAnUnchangedOldFileIsTakenFromTheCacheAsItWouldBeRead() throws {
        let files = try writeExports()
        let cold = try cachedRead(files, october())
        XCTAssertEqual(cold.fromCache, 0)
        XCTAssertTrue(cold.rewritten, "March and April are kept")
        let warm = try cachedRead(files, october())
        XCTAssertEqual(warm.fromCache, 2, "March and April are before September: not read")
        XCTAssertFalse(warm.rewritten, "nothing changed")
        XCTAssertEqual(text(warm.result), text(cold.result))
        XCTAssertEqual(text(warm.result), plainRead(files, october()))
        // By hand: the rejects of March with their lines; Moonwalk unknown once, for P1; P1's
        // name from April (5 March in both files: the later file wins) with April's note.
        let r = warm.result
        XCTAssertEqual(r.rejects.map(\.line), [5, 6])
        XCTAssertEqual(r.rejects.map(\.file), [files[0], files[0]])
        XCTAssertEqual(r.rejects.map(\.reason), ["sets must be a whole number 0 or more, found 'x'", "wrong number of fields: expected 12, found 6"])
        XCTAssertEqual(r.unknownExercises, [UnknownName(name: "Moonwalk", rows: 1, patients: ["P1"])])
        XCTAssertEqual(r.rowsRead, 5 + 2 + 2)
        XCTAssertEqual(r.rowsRejected, 2)
        let p1 = try XCTUnwrap(r.patients.first { $0.id == "P1" })
        XCTAssertEqual(p1.name, "Ann B")
        XCTAssertEqual(p1.latestNote?.text, "late note")
        XCTAssertEqual(p1.lastEntry, Day(iso: "2026-03-05"))
        XCTAssertEqual(p1.entryDays?.days, [Day(iso: "2026-03-02")!, Day(iso: "2026-03-05")!])
        // The files in another order: their numbers change, and so does the tie (March wins now).
        let swapped = [files[1], files[0], files[2]]
        let again = try cachedRead(swapped, october())
        XCTAssertEqual(again.fromCache, 2)
        XCTAssertEqual(text(again.result), plainRead(swapped, october()))
        XCTAssertEqual(again.result.patients.first { $0.id == "P1" }?.name, "Ann Older")
        // A file no longer listed leaves the cache.
        let fewer = try cachedRead([files[0], files[2]], october())
        XCTAssertEqual(fewer.fromCache, 1)
        XCTAssertTrue(fewer.rewritten)
        XCTAssertEqual(try cachedRead(files, october()).fromCache, 1, "April was dropped and is read again")
    }

    func testAChangedFileIsReadAgain() throws {
        let files = try writeExports()
        _ = try cachedRead(files, october())
        // A row added to March: a third reject, at line 7.
        try write("a-march.csv", march + "P2,Bo,Sam,South,2026-03-07,Calf stretch,both,1,-3,,,\n")
        let changed = try cachedRead(files, october())
        XCTAssertEqual(changed.fromCache, 1, "April only")
        XCTAssertEqual(changed.result.rejects.map(\.line), [5, 6, 7])
        XCTAssertEqual(changed.result.rejects.last?.reason, "reps must be a whole number 0 or more, found '-3'")
        XCTAssertEqual(text(changed.result), plainRead(files, october()))
        // Just written, March is not kept yet; once settled it is.
        XCTAssertEqual(try cachedRead(files, october()).fromCache, 1)
        Thread.sleep(forTimeInterval: Double(DigestIndex.settleSeconds) + 1.1)
        _ = try cachedRead(files, october())
        let settled = try cachedRead(files, october())
        XCTAssertEqual(settled.fromCache, 2)
        XCTAssertEqual(text(settled.result), plainRead(files, october()))
    }

    func testAFileWithRowsInTheWindowIsRead() throws {
        let files = try writeExports()
        _ = try cachedRead(files, october())
        // March's report: March's rows are in the span, April's after the as-of date.
        let march = october {
            $0.span = DayRange(Day(iso: "2026-03-01")!, Day(iso: "2026-03-31")!)
            $0.asOf = Day(iso: "2026-03-31")!
            $0.historyFrom = Day(iso: "2026-02-01")
        }
        let m = try cachedRead(files, march)
        XCTAssertEqual(m.fromCache, 0)
        XCTAssertFalse(m.rewritten, "October's contributions stay for October's report")
        XCTAssertEqual(text(m.result), plainRead(files, march))
        XCTAssertEqual(m.result.rowsAfterAsOf, 3, "P4 in April, Bo and Di in October")
        // April's report with history from 5 March: March's rows of that day are history days.
        let a = try cachedRead(files, april(historyFrom: "2026-03-05"))
        XCTAssertEqual(a.fromCache, 0, "March's last accepted day (5 March) is a history day, April has rows in the span")
        XCTAssertEqual(text(a.result), plainRead(files, april(historyFrom: "2026-03-05")))
        // From 6 March on, March's accepted rows are all before (its row of 6 March is rejected).
        let later = try cachedRead(files, april(historyFrom: "2026-03-06"))
        XCTAssertEqual(later.fromCache, 1)
        XCTAssertEqual(text(later.result), plainRead(files, april(historyFrom: "2026-03-06")))
        XCTAssertEqual(try cachedRead(files, october()).fromCache, 2)
    }

    func testADamagedCacheIsNoCache() throws {
        let files = try writeExports()
        _ = try cachedRead(files, october())
        let cachePath = URL(fileURLWithPath: path(HistoryCache.fileName))
        let good = try Data(contentsOf: cachePath)
        let expected = plainRead(files, october())
        var damaged: [(String, Data)] = [("garbage", Data("garbage".utf8)), ("cut", good.prefix(good.count / 2)), ("empty", Data())]
        // A byte of the last payload changed: that file is read, the other still taken.
        var flipped = good
        flipped[good.count - 3] ^= 0x55
        damaged.append(("flipped", flipped))
        for (what, bytes) in damaged {
            try bytes.write(to: cachePath)
            let r = try cachedRead(files, october())
            XCTAssertEqual(r.fromCache, what == "flipped" ? 1 : 0, what)
            XCTAssertEqual(text(r.result), expected, what)
            XCTAssertTrue(r.rewritten, what)
            XCTAssertEqual(try Data(contentsOf: cachePath), good, "\(what): written again as it was")
            XCTAssertEqual(try cachedRead(files, october()).fromCache, 2, what)
        }
    }

    /// The cache's bytes with `file`'s entry saying another latest day, everything else
    /// (its checksum too) as it was: a damaged field of the entry, outside its payload.
    func withLatestDay(_ bytes: Data, of file: String, _ day: Day) throws -> Data {
        let head = 8 + 32  // "ADHEREHC", then the key
        var r = ByteReader([UInt8](bytes), from: head)
        var w = ByteWriter()
        w.bytes = Array(bytes.prefix(head))
        let count = try r.count()
        w.count(count)
        for _ in 0..<count {
            let path = try r.string()
            w.string(path)
            w.unsigned(try r.unsigned())
            w.unsigned(try r.unsigned())
            for _ in 0..<5 { w.int(try r.int()) }
            let last = try r.int()
            w.int(path == file ? Int(day.raw) : last)
            let length = try r.count()
            w.count(length)
            w.fixed(try r.fixed())
            w.bytes += r.bytes[r.at..<r.at + length]
            try r.skip(length)
        }
        XCTAssertTrue(r.atEnd)
        return Data(w.bytes)
    }

    func testADamagedLatestDayIsNoCache() throws {
        let files = try writeExports()
        _ = try cachedRead(files, october())
        // April's report with history from 6 March: March's accepted rows are all before it,
        // April's P4 (10 April) is in the span.
        let window = april(historyFrom: "2026-03-06")
        // April's entry says its latest day is 1 March: taken on its word, P4's entry of 10
        // April would be lost.
        let cachePath = URL(fileURLWithPath: path(HistoryCache.fileName))
        try withLatestDay(try Data(contentsOf: cachePath), of: files[1], Day(iso: "2026-03-01")!).write(to: cachePath)
        let r = try cachedRead(files, window)
        XCTAssertEqual(r.fromCache, 1, "March only: April's damaged entry is no entry")
        XCTAssertEqual(text(r.result), plainRead(files, window))
        XCTAssertEqual(r.result.patients.first { $0.id == "P4" }?.entries.count, 1)
        XCTAssertEqual(try cachedRead(files, october()).fromCache, 1, "April was dropped and is read again")
        XCTAssertEqual(try cachedRead(files, october()).fromCache, 2)
    }

    func testAnOptionThatChangesTheReadReadsAgain() throws {
        let files = try writeExports()
        _ = try cachedRead(files, october())
        // A catalog that knows Moonwalk: no unknown name any more.
        let moonwalk = Exercise(key: "moonwalk", displayName: "Moonwalk", aliases: [], defaultRepsPerSide: 10,
                                defaultHoldCentis: nil, inDefaultProtocol: false)
        let catalog = october { $0.catalog = ExerciseCatalog(exercises: ExerciseCatalog.standard.exercises + [moonwalk]) }
        let c = try cachedRead(files, catalog)
        XCTAssertEqual(c.fromCache, 0)
        XCTAssertEqual(c.result.unknownExercises, [])
        XCTAssertEqual(text(c.result), plainRead(files, catalog))
        XCTAssertEqual(try cachedRead(files, catalog).fromCache, 2, "kept for that catalog now")
        for (what, o) in [("date order", october { $0.dateOrder = .dayFirst }), ("encoding", october { $0.encoding = .windows1252 }),
                          ("column", october { $0.extraColumns = ["Client": .patientID] }), ("no entry days", october { $0.keepEntryDays = false })] {
            let r = try cachedRead(files, o)
            XCTAssertEqual(r.fromCache, 0, what)
            XCTAssertEqual(text(r.result), plainRead(files, o), what)
        }
        // A one-patient read has no cache.
        XCTAssertEqual(try cachedRead(files, october { $0.onlyPatient = "P1" }).fromCache, 0)
        XCTAssertEqual(try cachedRead(files, october { $0.onlyPatient = "P1" }).fromCache, 0)
    }

    func testEveryRejectReasonIsKeptAsItWas() throws {
        let reasons: [RejectReason] = [
            .malformed(problem: "quote never closed"), .wrongFieldCount(expected: 12, found: 3), .fieldTooLong(characters: 40_000),
            .missingPatientID, .controlCharacterInPatientID(character: 0x1B, at: 3), .missingDate, .impossibleDate(found: "2026-02-30"),
            .dateOutOfRange(found: "1800-01-01"), .unreadableDate(found: "soon"), .missingExercise, .notASide(found: "up"),
            .sidesDisagree(column: .left, name: .right, found: "Calf - right"), .notSets(found: "x"), .notSetNumber(found: "0"),
            .missingReps, .missingRepsEitherSide, .notReps(found: "-3"), .tooManyReps, .notDone(found: "maybe"),
            .notHold(found: "long"), .notPain(found: "11"),
        ]
        for (k, why) in reasons.enumerated() {
            let row = RejectedRow(file: "f.csv", line: k * 1_000 + 1, why: why, raw: "raw, \"é\"\r\n\(k)", therapist: k % 2 == 0 ? "Dana" : nil,
                                  clinic: k % 3 == 0 ? "" : "North", fields: k % 2 == 0 ? [.patientID: "P\(k)", .reps: "-\(k)"] : [:])
            var w = ByteWriter()
            RejectCoding.write(row, &w)
            var r = ByteReader(w.bytes)
            XCTAssertEqual(try RejectCoding.read(&r, file: "f.csv"), row, "\(why)")
            XCTAssertTrue(r.atEnd)
            // Cut anywhere, it does not decode.
            for cut in 0..<w.bytes.count {
                var short = ByteReader(Array(w.bytes[..<cut]))
                XCTAssertThrowsError(try RejectCoding.read(&short, file: "f.csv"), "\(why) cut at \(cut)")
            }
        }
    }
}
