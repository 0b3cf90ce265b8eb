/// Values read from a column's text, by its bytes as written, with their fingerprints: a file's
/// ids, names, therapists and clinics each come back on rows far apart (in an export sorted by
/// date, nearly every sitting is another patient's), and one found by its bytes costs a hash
/// and a compare instead of decoding the text, hashing the `String` and fingerprinting the
/// bytes again. What a value is (a patient's slot, an interned text) stays the caller's: the
/// table only remembers what the caller found for the same bytes before.
struct ByteKeyTable {
    private struct Entry {
        var start: Int, count: Int
        var value: Int32
        var print: RowFingerprint
    }
    /// Open addressing: an entry's index + 1 (0 = empty); twice the entries at least.
    private var slots = [Int32](repeating: 0, count: 64)
    private var entries: [Entry] = []
    /// The keys' bytes, one after another.
    private var keys: [UInt8] = []
    /// Beyond this many values the table stops growing (their lookups then go the long way).
    static let most = 1 << 20

    /// What was kept for these bytes, if anything.
    @inline(__always)
    func find(_ t: UnsafeBufferPointer<UInt8>) -> (value: Int32, print: RowFingerprint)? {
        guard t.count > 0 else { return nil }
        let mask = slots.count &- 1
        var i = Int(truncatingIfNeeded: ByteHash.hash(t)) & mask
        while true {
            let s = Int(slots[i])
            if s == 0 { return nil }
            let e = entries[s &- 1]
            if e.count == t.count && keys.withUnsafeBufferPointer({ ByteCompare.equal($0.baseAddress! + e.start, t.baseAddress!, t.count) }) {
                return (e.value, e.print)
            }
            i = (i &+ 1) & mask
        }
    }

    /// Keeps what these bytes were found to be (bytes not yet kept).
    mutating func keep(_ t: UnsafeBufferPointer<UInt8>, value: Int32, print: RowFingerprint) {
        guard t.count > 0, entries.count < ByteKeyTable.most else { return }
        if (entries.count &+ 1) &* 2 > slots.count { grow() }
        entries.append(Entry(start: keys.count, count: t.count, value: value, print: print))
        keys.append(contentsOf: t)
        place(entries.count, hash: ByteHash.hash(t))
    }

    private mutating func place(_ entry: Int, hash: UInt64) {
        let mask = slots.count &- 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 { i = (i &+ 1) & mask }
        slots[i] = Int32(entry)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for (k, e) in entries.enumerated() {
            let h = keys.withUnsafeBufferPointer { ByteHash.hash(UnsafeBufferPointer(rebasing: $0[e.start..<e.start + e.count])) }
            place(k + 1, hash: h)
        }
    }
}
