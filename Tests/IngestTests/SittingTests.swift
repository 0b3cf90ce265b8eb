import XCTest
import AdherenceAnalysis
@testable import SessionIngest

/// A sitting's rows repeat their first columns (patient, names, time): the reader takes the
/// rows after the first from the row before (``Sitting``) and passes over those whose fields
/// after the lead repeat a row already read (``FileParser/passSittingRows``). Whatever the rows
/// hold, the result must be the one of reading each row on its own: the same rows in an order
/// where no two rows in a row share a patient give the same patients, entries, notes, counts,
/// rejects and duplicates.
final class SittingTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes"

    /// What a row after the lead holds, and whether the row is then accepted.
    struct Tail {
        let text: String, valid: Bool
        /// The row's values once read: a quoted name and an extra empty field change nothing,
        /// so such a row is the same row as the plain one (a duplicate of it).
        var key: String { text.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: ",,,,", with: ",,,") }
    }
    let good = [
        "Hip flexor stretch,left,1,10,10,1,", "Hip flexor stretch,right,1,10,10,,", "Calf stretch,left,1,10,30,,",
        "Calf stretch,right,1,10,30,2,", "Step-ups,left,2,30,,,", "Step-ups,right,2,30,,,", "Step-ups,left,3,25,,4,",
    ].map { Tail(text: $0, valid: true) }
    let hazards = [
        Tail(text: "Step-ups,left,2,x,,,", valid: false),              // reps not a number
        Tail(text: "Step-ups,sideways,2,30,,,", valid: false),         // not a side
        Tail(text: "Heel raises,left,1,10,,,", valid: true),           // a name adhere does not know
        Tail(text: "Calf stretch,left,1,10,30,,sore today", valid: true),  // a note
        Tail(text: "\"Calf stretch\",left,1,10,30,,", valid: true),    // quoted
        Tail(text: "Step-ups,left,2,30,,,,", valid: true),             // an extra empty field
        Tail(text: "Step-ups,left,2,30,,,,x", valid: false),           // an extra field that is not empty
        Tail(text: "Calf stretch,left,1,10,30,11,", valid: false),     // pain over 10
    ]

    /// One patient's rows, sitting after sitting, `count` of them, and how many are accepted
    /// and how many repeat the row before them (a duplicate when that row is accepted).
    func rows(patient: Int, count: Int, rng: inout SplitMix64) -> (rows: [String], accepted: Int, repeats: Int) {
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        var out: [String] = [], accepted = 0, repeats = 0
        var day = 1 + Int(rng.next() % 20)
        var before: (lead: String, valid: Bool)?  // the sitting before this one
        while out.count < count {
            // The lead: its names now and then quoted (a record the fast split does not read).
            let name = rng.next() % 9 == 0 ? "\"Lee, Ann \(patient)\"" : "Ann \(patient)"
            let date = Day(raw: Day(year: 2024, month: 1, day: 1)!.raw + Int32(day))
            var time = "\(date)T\(String(format: "%02d", 6 + Int(rng.next() % 12))):15:00"
            var validDate = true
            switch rng.next() % 40 {
            case 0: time = ""; validDate = false                          // no date
            case 1: time = "\(date) 07:15"                                 // another shape
            case 2: time = "2023-02-29T07:15:00"; validDate = false        // not a day
            case 3: time = "\(date)T25:15:00"; validDate = false           // not a time
            case 4: time = String(format: "2023-12-01T%02d:%02d:00", day % 24, day / 24 % 60)  // out of order, before all others
            default: break
            }
            let lead = "P\(patient),\(name),\(pick(["Dana", "Sam"])),North,\(time)"
            // Now and then a row of the sitting before, logged late (with a note of its own),
            // after this sitting's rows: its lead is not this sitting's, but may be the one of
            // the row the reader split last.
            let late = rng.next() % 8 == 0 ? before : nil
            before = (lead, validDate)
            day += 1 + Int(rng.next() % 3)
            var last: (String, Bool)?
            var used = Set<String>()  // (a tail twice in one sitting would be the same row again)
            for _ in 0..<(3 + Int(rng.next() % 4)) where out.count < count {
                if let (line, valid) = last, rng.next() % 11 == 0 {
                    out.append(line)  // the row again, as an overlapping export repeats it
                    if valid && validDate { repeats += 1 }
                    continue
                }
                var tail = rng.next() % 7 == 0 ? pick(hazards) : pick(good)
                while used.contains(tail.key) { tail = pick(good + hazards) }
                used.insert(tail.key)
                let line = lead + "," + tail.text
                out.append(line)
                if tail.valid && validDate { accepted += 1 }
                last = (line, tail.valid && validDate)
            }
            if let (earlier, valid) = late, out.count < count {
                out.append(earlier + ",Calf stretch,left,1,10,30,,late \(out.count)")
                if valid { accepted += 1 }
            }
        }
        return (out, accepted, repeats)
    }

    func write(_ lines: [String], ending: String = "\n") throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-sitting-\(UUID().uuidString).csv")
        try Data(([header] + lines).joined(separator: ending).appending(ending).utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func read(_ paths: [String], partBytes: Int = FileParts.partBytes, report: Bool = false) -> IngestResult {
        var o = IngestOptions(span: DayRange(Day(raw: -1_000_000), Day(raw: 3_000_000)), asOf: Day(raw: 3_000_000))
        if report {
            // As a monthly report reads: a month kept, history before it, older rows read for
            // their day only, rows after the as-of day counted.
            o = IngestOptions(span: DayRange(Day(year: 2024, month: 6, day: 1)!, Day(year: 2024, month: 6, day: 30)!),
                              asOf: Day(year: 2024, month: 6, day: 30)!)
            o.historyFrom = Day(year: 2024, month: 3, day: 1)!
            o.checkOldRows = false
            o.keepEntryDays = true
        }
        o.keepEntries = true
        let reader = SessionLogReader(options: o)
        reader.partBytes = partBytes
        return reader.read(files: paths)
    }

    /// What a reading yields, but where rows are in the file: each patient's names, last entry,
    /// latest note and entries, the counts, the rejects (reason and text) and the unknown names.
    func yield(_ r: IngestResult) -> String {
        var s = r.files.map { "rows \($0.rows) acc \($0.accepted) rej \($0.rejected) dup \($0.duplicates)" }.joined(separator: "; ") + "\n"
        s += r.rejects.map { "\($0.reason) \($0.raw)" }.sorted().joined(separator: "\n") + "\n"
        for p in r.patients.sorted(by: { $0.id < $1.id }) {
            s += "\(p.id) \(p.name ?? "-") \(p.therapist ?? "-") \(p.clinic ?? "-") \(String(describing: p.lastEntry)) \(String(describing: p.latestNote)) \(p.entries)\n"
            s += "  days \(String(describing: p.entryDays)) history \(p.history?.entries() ?? [])\n"
        }
        s += r.unknownExercises.map { "\($0.name) \($0.rows) \($0.patients.sorted())" }.joined(separator: ", ")
        s += " after \(r.rowsAfterAsOf) day only \(r.rowsReadForDayOnly)"
        return s
    }

    func testSittingsReadTogetherGiveWhatEachRowReadAloneGives() throws {
        var rng = SplitMix64(seed: 20261202)
        let patients = 12, each = 1_700  // 20,400 rows, over 1 MiB: the reader's buffer is refilled
        var byPatient: [[String]] = [], accepted = 0, repeats = 0
        for p in 1...patients {
            let r = rows(patient: p, count: each, rng: &rng)
            byPatient.append(r.rows)
            accepted += r.accepted
            repeats += r.repeats
        }
        // Sittings together, and the same rows patient after patient in turn (no two rows in a
        // row share a lead: each is read on its own).
        let together = byPatient.flatMap { $0 }
        let apart = (0..<each).flatMap { i in byPatient.map { $0[i] } }
        let a = read([try write(together)]), b = read([try write(apart)])
        XCTAssertEqual(yield(a), yield(b))
        // Counted from the rows as made: read, accepted, duplicates, rejected.
        XCTAssertEqual(a.files[0].rows, patients * each)
        XCTAssertEqual(a.files[0].duplicates, repeats)
        XCTAssertEqual(a.files[0].accepted, accepted)
        XCTAssertEqual(a.files[0].rejected, patients * each - accepted - repeats)
        XCTAssertEqual(a.files[0].rows, a.files[0].accepted + a.files[0].duplicates + a.files[0].rejected)
        // Most rows were passed over as a sitting's repeats (the test would prove little
        // otherwise), and none of the rows read one patient after another.
        XCTAssertGreaterThan(a.files[0].sittingRepeats, patients * each / 3)
        XCTAssertEqual(b.files[0].sittingRepeats, 0)

        // The same, with CRLF line ends, and read in parts of 64 KiB (the parts cut sittings).
        XCTAssertEqual(yield(read([try write(together, ending: "\r\n")])), yield(b))
        // As a monthly report reads them (history, rows read for their day only, rows after
        // the as-of day), the same.
        let report = read([try write(together)], report: true)
        XCTAssertEqual(yield(report), yield(read([try write(apart)], report: true)))
        XCTAssertGreaterThan(report.rowsAfterAsOf, 0)
        XCTAssertGreaterThan(report.rowsReadForDayOnly, 0)
        XCTAssertTrue(report.patients.contains { !($0.history?.entries() ?? []).isEmpty })
        let parts = read([try write(together)], partBytes: 64 << 10)
        XCTAssertEqual(yield(parts), yield(b))
        XCTAssertGreaterThan(parts.files[0].sittingRepeats, patients * each / 3)
    }

    func testAnOverlappingExportThatStartsInsideASittingRepeatsEveryRow() throws {
        // The second export is the first's last 2,000 rows, starting inside a sitting: rows
        // the first export passed over as a sitting's are read there on their own, and each
        // must be found a duplicate of its first reading (the same fingerprint either way).
        var rng = SplitMix64(seed: 7)
        var all: [String] = [], repeats = 0
        for p in 1...6 {
            let r = rows(patient: p, count: 900, rng: &rng)
            all += r.rows
            repeats += r.repeats
        }
        let tail = Array(all.suffix(2_003))
        let first = read([try write(all)])
        let alone = read([try write(tail)])
        let both = read([try write(all), try write(tail)])
        XCTAssertEqual(first.files[0].duplicates, repeats)
        // Every row of the second export that is accepted when read alone, or a duplicate in
        // it, is a duplicate of the first export's row.
        XCTAssertEqual(both.files[1].duplicates, alone.files[0].accepted + alone.files[0].duplicates)
        XCTAssertEqual(both.files[1].accepted, 0)
        XCTAssertEqual(both.files[1].rejected, alone.files[0].rejected)
        XCTAssertEqual(both.patients.map(\.entries), first.patients.map(\.entries))
    }
}
