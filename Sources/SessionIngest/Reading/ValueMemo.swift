/// The values a row's value columns (exercise, side, sets, set number, reps, hold, pain) were
/// read as, kept by the columns' raw bytes: a programme's rows repeat a few exercises, sides and
/// doses, so most rows' values are found by one hash and one compare instead of field by field.
///
/// The key is the bytes from the first value column to the last (in file order, with whatever
/// lies between), exactly as written, their quotes included (``CSVRecordReader/span(from:through:)``):
/// a row that reaches the checks is well quoted, so equal bytes are equal fields, and the
/// values are a function of them for one file (its catalog, decimal mark and encoding do not
/// change). Only rows that pass every check are kept, so a rejected row is
/// always checked field by field and said with its own words.
///
/// A class with storage of its own: a row's values are read in place (``row(at:)``) by the
/// reader of a sitting's rows, millions of times, instead of copied out field by field.
final class ValueMemo {
    /// The value columns' first and last index in the file's columns.
    let first: Int, last: Int
    /// Keys longer than this are not kept (a long run of columns between the value columns).
    static let longest = 120
    /// A year of a clinic's rows holds a few hundred spellings of the value columns (184 in
    /// the benchmark's), so this many slots keep nearly all of them.
    static let slots = 512
    /// Each slot's key (`longest` bytes of room), its length (-1 = empty) and its values; made
    /// on first use (a memo never used costs nothing).
    private var keys: UnsafeMutablePointer<UInt8>?
    private var lengths: UnsafeMutablePointer<Int>?
    private var values: UnsafeMutablePointer<ValidRow>?
    /// A fingerprint kept with each slot's values (what the caller says it is).
    private var prints: UnsafeMutablePointer<RowFingerprint>?

    /// Every column `RowValidator.validate` reads a value from, but the id and the date
    /// (checked before the memo is asked): a column left out would let rows that differ in it
    /// share a value.
    convenience init(_ c: ColumnIndexes) {
        let columns = ValueMemo.valueColumns(c)
        self.init(first: columns.min()!, last: columns.max()!)
    }

    /// A memo keyed by other bytes than the value columns' (the caller says which).
    init(first: Int = 0, last: Int = 0) {
        self.first = first
        self.last = last
    }

    deinit {
        keys?.deallocate()
        lengths?.deallocate()
        values?.deinitialize(count: ValueMemo.slots)
        values?.deallocate()
        prints?.deallocate()
    }

    /// The columns a row's values are read from (but the id and the date).
    static func valueColumns(_ c: ColumnIndexes) -> [Int] {
        var columns = [c.exercise]
        for i in [c.side, c.sets, c.setNumber, c.hold, c.pain] { if let i { columns.append(i) } }
        switch c.reps {
        case .total(let i), .done(let i): columns.append(i)
        case .paired(let l, let r): columns += [l, r].compactMap { $0 }
        }
        return columns
    }

    /// The slot of a key: the top 9 bits of its hash (512 slots).
    @inline(__always)
    private static func slot(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        Int(truncatingIfNeeded: ByteHash.hash(key) >> 55)
    }

    /// The slot holding the key, or -1.
    @inline(__always)
    func slot(of key: UnsafeBufferPointer<UInt8>) -> Int {
        guard key.count <= ValueMemo.longest, key.count > 0, let keys, let lengths else { return -1 }
        let s = ValueMemo.slot(key)
        guard lengths[s] == key.count, ByteCompare.equal(keys + s &* ValueMemo.longest, key.baseAddress!, key.count) else { return -1 }
        return s
    }

    /// The values kept in a slot (``slot(of:)``), in place; their date is the one of the row
    /// they were kept from. Valid until the slot is kept again.
    @inline(__always)
    func row(at slot: Int) -> UnsafePointer<ValidRow> { UnsafePointer(values! + slot) }

    /// The fingerprint kept with a slot's values.
    @inline(__always)
    func print(at slot: Int) -> RowFingerprint { prints![slot] }

    /// The row's values when its value columns' bytes were kept (the date left as it is).
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, into v: inout ValidRow) -> Bool {
        let s = slot(of: key)
        guard s >= 0 else { return false }
        // The whole kept row but its date (so that a value added to ValidRow is taken too).
        let date = v.date
        v = values![s]
        v.date = date
        return true
    }

    /// Keeps a valid row's values under its value columns' bytes (in place of the slot's).
    func keep(_ key: UnsafeBufferPointer<UInt8>, _ v: ValidRow, print: RowFingerprint = RowFingerprint()) {
        guard key.count <= ValueMemo.longest, key.count > 0 else { return }
        if keys == nil {
            keys = .allocate(capacity: ValueMemo.slots * ValueMemo.longest)
            lengths = .allocate(capacity: ValueMemo.slots)
            lengths!.initialize(repeating: -1, count: ValueMemo.slots)
            values = .allocate(capacity: ValueMemo.slots)
            values!.initialize(repeating: ValidRow(), count: ValueMemo.slots)
            prints = .allocate(capacity: ValueMemo.slots)
            prints!.initialize(repeating: RowFingerprint(), count: ValueMemo.slots)
        }
        let s = ValueMemo.slot(key)
        (keys! + s * ValueMemo.longest).update(from: key.baseAddress!, count: key.count)
        lengths![s] = key.count
        values![s] = v
        prints![s] = print
    }
}
