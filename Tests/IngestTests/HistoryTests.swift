import XCTest
@testable import SessionIngest
import AdherenceAnalysis

/// The history days kept compact (`historyFrom`) and every entry day (`keepEntryDays`) hold
/// what a read of the whole span would: the same rows, the same duplicates, the same days.
final class HistoryTests: XCTestCase {
    func day(_ s: String) -> Day { Day(year: Int(s.prefix(4))!, month: Int(s.dropFirst(5).prefix(2))!, day: Int(s.suffix(2))!)! }

    func write(_ files: [String: String]) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return try files.keys.sorted().map { name in
            let url = dir.appendingPathComponent(name)
            try files[name]!.write(to: url, atomically: false, encoding: .utf8)
            return url.path
        }
    }

    /// An entry as the dose sees it (no pain: the history does not keep it).
    func dose(_ e: Entry) -> String { "\(e.day) \(e.exercise ?? -1) \(e.side) \(e.reps) \(e.holdCentis ?? -1) \(e.isDone)" }

    func testHistoryHoldsTheRowsAndDuplicatesOfAWholeRead() throws {
        let canonical = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes\n"
        var a = canonical, b = canonical
        for d in ["2026-05-03", "2026-05-20", "2026-06-11", "2026-07-30", "2026-08-02", "2026-09-15"] {
            a += "P1,Ann,Dana,North,\(d)T08:00:00,Hip flexor stretch,left,1,10,10,2,\n"
            a += "P1,Ann,Dana,North,\(d)T08:00:00,Hip flexor stretch,right,1,10,8,2,\n"
            a += "P2,Bo,Sam,North,\(d)T09:00:00,Calf stretch,both,2,10,,,\"a, note\"\n"
            // The same row again in another file (an overlapping export), and once more in this one.
            b += "P2,Bo,Sam,North,\(d)T09:00:00,Calf stretch,both,2,10,,,\"a, note\"\n"
            a += "P1,Ann,Dana,North,\(d)T08:00:00,Hip flexor stretch,left,1,10,10,2,\n"
            // Not a repeat: the pain differs.
            b += "P1,Ann,Dana,North,\(d)T08:00:00,Hip flexor stretch,left,1,10,10,3,\n"
        }
        var paired = "patient_id,performed_at,exercise,sets,hold_seconds,Reps (L),Reps (R)\n"
        var done = "Client ID,Date,Exercise,Side,Done\n"
        for d in ["2026-05-04", "2026-06-12", "2026-06-12", "2026-09-16"] {
            paired += "P3,\(d)T07:00:00,Step-ups,1,,12,14\nP3,\(d)T07:05:00,Step-ups,2,,,9\n"
            done += "P4,\(d),Calf stretch,,yes\nP4,\(d),Hip flexor stretch,left,no\n"
        }
        let paths = try write(["a.csv": a, "b.csv": b, "c.csv": paired, "d.csv": done])
        let asOf = day("2026-10-31"), spanFirst = day("2026-08-05"), from = day("2026-04-04")

        var whole = IngestOptions(span: DayRange(from, asOf), asOf: asOf)
        whole.computeDigests = false
        var compact = IngestOptions(span: DayRange(spanFirst, asOf), asOf: asOf)
        compact.computeDigests = false
        compact.historyFrom = from
        compact.keepEntryDays = true
        let all = SessionLogReader(options: whole).read(files: paths)
        for partBytes in [FileParts.partBytes, 64] {
            let reader = SessionLogReader(options: compact)
            reader.partBytes = partBytes
            let kept = reader.read(files: paths)
            XCTAssertEqual(kept.files.map(\.duplicates), all.files.map(\.duplicates))
            XCTAssertEqual(kept.files.map(\.accepted), all.files.map(\.accepted))
            XCTAssertGreaterThan(kept.duplicatesDropped, 6)
            XCTAssertEqual(kept.patients.map(\.id), all.patients.map(\.id))
            for (k, w) in zip(kept.patients, all.patients) {
                let older = w.entries.filter { $0.day < spanFirst }
                XCTAssertFalse(older.isEmpty)
                XCTAssertEqual((k.history?.entries() ?? []).map(dose).sorted(), older.map(dose).sorted(), k.id)
                XCTAssertEqual(k.entries.map(dose).sorted(), w.entries.filter { $0.day >= spanFirst }.map(dose).sorted(), k.id)
                XCTAssertEqual(k.entryDays?.days, Array(Set(w.entries.map(\.day))).sorted(), k.id)
            }
        }
    }
}
