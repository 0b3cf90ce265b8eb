import AdherenceAnalysis
import ParallelWork

/// An accepted row of the history days (``IngestOptions/historyFrom`` up to the span), kept
/// with only what a dose needs (its exercise, side, reps or sets, hold) and a 64-bit digest of
/// its fingerprint for the duplicate check: 24 bytes, against 40 for a row of the span with its
/// fingerprint (and 25 more while the span's duplicates are found).
struct HistoryRow {
    /// The row's fingerprint folded to 64 bits: rows are compared only with rows of the same
    /// patient, so two different rows agree by chance with odds of about 2^-64 per pair.
    var print: UInt64
    /// The patient's slot in its block of rows (``RowBlock``).
    var patient: Int32
    /// Sets x reps, or the sets of a row logged as done (as ``Entry/reps``).
    var reps: Int32
    /// Hundredths of a second; -1 = none.
    var hold: Int32
    /// Catalog index; -1 = an exercise the catalog does not know.
    var exercise: Int16
    /// Days after the history's first day (13 bits), then the side (2 bits: left, right, both,
    /// or ``HistoryRow/rightHalf``) and whether the row was logged as done (1 bit).
    var dayAndKind: UInt16

    /// The right side of a row with left and right reps columns: not a row of its own.
    static let rightHalf: UInt16 = 3
    /// Days a history may span (13 bits).
    static let maxDays = 8191

    init(print: RowFingerprint, patient: Int32, offset: Int, exercise: ExerciseID?, side: Side, rightHalf: Bool,
         reps: Int, hold: Int?, done: Bool) {
        // A right half differs from its row (else it would repeat it), and repeats the right
        // half of a repeated row.
        self.print = print.a ^ (print.b << 1 | print.b >> 63) ^ (rightHalf ? 0x9E37_79B9_7F4A_7C15 : 0)
        self.patient = patient
        self.reps = Int32(clamping: reps)
        self.hold = hold.map { Int32(clamping: $0) } ?? -1
        self.exercise = exercise.map { Int16(clamping: $0) } ?? -1
        let kind = rightHalf ? HistoryRow.rightHalf : UInt16(side.rawValue)
        dayAndKind = UInt16(offset) | kind << 13 | (done ? 1 << 15 : 0)
    }

    /// Whether the row is a row of the file (not the right half of one).
    var isRow: Bool { (dayAndKind >> 13) & 3 != HistoryRow.rightHalf }

    func entry(from first: Day) -> Entry {
        let day = first + Int(dayAndKind & 0x1FFF)
        let kind = (dayAndKind >> 13) & 3
        let side: Side = kind == HistoryRow.rightHalf ? .right : Side(rawValue: UInt8(kind))!
        let exercise: ExerciseID? = self.exercise < 0 ? nil : Int(self.exercise)
        let hold: Int? = self.hold < 0 ? nil : Int(self.hold)
        return dayAndKind & (1 << 15) != 0
            ? Entry.done(day: day, exercise: exercise, side: side, sets: Int(reps), holdCentis: hold)
            : Entry(day: day, exercise: exercise, side: side, reps: Int(reps), holdCentis: hold, painCentis: nil)
    }

    /// Orders a block's rows by patient (a counting sort: the rows of patient k end up at
    /// `starts[k]..<starts[k + 1]`, in file order).
    static func byPatient(_ rows: inout [HistoryRow], patients: Int) -> [Int32] {
        var starts = [Int32](repeating: 0, count: patients + 1)
        guard !rows.isEmpty else { return starts }
        for r in rows { starts[Int(r.patient) + 1] += 1 }
        for k in 0..<patients { starts[k + 1] += starts[k] }
        var cursor = starts
        let sorted = [HistoryRow](unsafeUninitializedCapacity: rows.count) { out, count in
            for r in rows {
                let k = Int(r.patient)
                out.initializeElement(at: Int(cursor[k]), to: r)
                cursor[k] += 1
            }
            count = rows.count
        }
        rows = sorted
        return starts
    }
}

/// Every file's history rows, by patient: what ``PatientHistory`` reads from.
final class HistoryStore: @unchecked Sendable {
    let first: Day
    /// Per block (``RowBlock``: a file, or a part of one), its rows ordered by the block's
    /// patient slot.
    var rows: [[HistoryRow]] = []
    /// Per block, where each of its patients' rows start (one more than its patients).
    var starts: [[Int32]] = []
    /// Per block, its rows that repeat an earlier one, in order (marked apart: the rows are
    /// not written again).
    var dropped: [[Int32]] = []

    init(first: Day) { self.first = first }

    /// Marks the rows that repeat an earlier row of the same patient (in an earlier file, or
    /// earlier in the same file), as ``DuplicateFinder`` does for the span's rows: the first is
    /// kept. `parts` lists each patient's (block, slot), blocks in file order. Returns the
    /// duplicates per block (right halves not counted: they go with their row).
    func dropDuplicates(_ parts: [[HistoryPart]]) -> [Int] {
        let chunk = max(1, parts.count / 64)
        let firsts = Array(stride(from: 0, to: parts.count, by: chunk))
        let me = UncheckedSendable(self), all = UncheckedSendable(parts)
        let found = ParallelMap.map(firsts) { first -> [(block: Int32, row: Int32)] in
            var out: [(block: Int32, row: Int32)] = []
            var seen = Set<UInt64>()
            for g in first..<min(first + chunk, all.value.count) {
                seen.removeAll(keepingCapacity: true)
                for p in all.value[g] {
                    let s = me.value.starts[Int(p.block)]
                    let rows = me.value.rows[Int(p.block)]
                    for i in Int(s[Int(p.slot)])..<Int(s[Int(p.slot) + 1]) where !seen.insert(rows[i].print).inserted {
                        out.append((p.block, Int32(i)))
                    }
                }
            }
            return out
        }
        var counts = [Int](repeating: 0, count: rows.count)
        dropped = [[Int32]](repeating: [], count: rows.count)
        for list in found {
            for (f, i) in list {
                dropped[Int(f)].append(i)
                if rows[Int(f)][Int(i)].isRow { counts[Int(f)] += 1 }
            }
        }
        for f in dropped.indices { dropped[f].sort() }
        return counts
    }
}

/// Where one patient's history rows are: a block of rows and the patient's slot in it.
struct HistoryPart: Sendable {
    var block: Int32
    var slot: Int32
}

/// A patient's rows of the history days (see ``IngestOptions/historyFrom``), duplicates
/// dropped, kept compact until asked for.
public struct PatientHistory: Sendable {
    let store: HistoryStore
    let parts: [HistoryPart]

    /// The entries of those rows, in file order, with what a dose needs (no pain).
    public func entries() -> [Entry] {
        var out: [Entry] = []
        for p in parts {
            let s = store.starts[Int(p.block)]
            let rows = store.rows[Int(p.block)]
            let drops = store.dropped.isEmpty ? [] : store.dropped[Int(p.block)]
            let range = Int(s[Int(p.slot)])..<Int(s[Int(p.slot) + 1])
            // The first drop at or after the range's start.
            var lo = 0, hi = drops.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(drops[mid]) < range.lowerBound { lo = mid + 1 } else { hi = mid }
            }
            var k = lo
            for i in range {
                if k < drops.count && Int(drops[k]) == i { k += 1; continue }
                out.append(rows[i].entry(from: store.first))
            }
        }
        return out
    }
}

/// A set of days as bits, one a day from a multiple of 64 (so that two sets join word by
/// word): a patient's entry days over years take a bit a day, not four bytes.
public struct DayBits: Sendable, Equatable {
    var first = Day(raw: 0)
    var words: [UInt64] = []

    public init() {}

    /// Makes room for days from `day` on (the words before are added in front).
    private mutating func extend(down day: Day) {
        let start = Day(raw: day.raw & ~63)
        if words.isEmpty {
            first = start
        } else if start < first {
            words.insert(contentsOf: repeatElement(0, count: Int(first.raw - start.raw) >> 6), at: 0)
            first = start
        }
    }

    mutating func insert(_ day: Day) {
        if words.isEmpty || day < first { extend(down: day) }
        let k = Int(day.raw - first.raw)
        let w = k >> 6
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: w - words.count + 1)) }
        words[w] |= 1 << UInt64(k & 63)
    }

    mutating func formUnion(_ other: DayBits) {
        guard !other.words.isEmpty else { return }
        extend(down: other.first)
        let offset = Int(other.first.raw - first.raw) >> 6
        let end = offset + other.words.count
        if end > words.count { words.append(contentsOf: repeatElement(0, count: end - words.count)) }
        for (i, w) in other.words.enumerated() { words[offset + i] |= w }
    }

    /// The days, in order.
    public var days: [Day] {
        var out: [Day] = []
        for (i, w) in words.enumerated() where w != 0 {
            var bits = w
            while bits != 0 {
                out.append(Day(raw: first.raw + Int32(i << 6 + bits.trailingZeroBitCount)))
                bits &= bits - 1
            }
        }
        return out
    }
}
