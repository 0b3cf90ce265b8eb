/// A 128-bit fingerprint of a normalised row, for dropping rows repeated across exports.
struct RowFingerprint: Hashable {
    var a: UInt64 = 0xcbf29ce484222325
    var b: UInt64 = 0x9e3779b97f4a7c15

    init() {}

    /// The fingerprint of some bytes (a field's), to be added to a row's.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        add(bytes)
    }

    /// What an empty text field adds (the fingerprint of no bytes).
    static let empty = RowFingerprint(UnsafeBufferPointer(start: nil, count: 0))

    /// Adds another fingerprint (a field's).
    @inline(__always) mutating func add(_ other: RowFingerprint) {
        add(other.a)
        add(other.b)
    }

    @inline(__always) mutating func add(_ v: UInt64) {
        a = (a ^ v) &* 0x100000001b3
        a ^= a >> 32
        b = (b ^ (v &+ 0x632be59bd9b4e019)) &* 0xff51afd7ed558ccd
        b ^= b >> 29
    }

    /// Adds the bytes and their length, eight bytes at a time.
    @inline(__always) mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        add(UInt64(bytes.count) | 0xA5A5_0000_0000_0000)
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            add(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            i += 8
        }
        if i < n {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                word |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            add(word)
        }
    }
}

extension RowFingerprint {
    /// A row's identity after normalisation, to drop the row if an overlapping export repeats
    /// it, in two halves: ``lead(date:patient:texts:)`` (the patient's id, as the fingerprint
    /// of its bytes, the date and time as read, and the text columns), which the rows of one
    /// sitting share, and ``rest(values:notes:)`` (the values, worked out with them, and the
    /// notes), which rows with the same values and no note share.
    @inline(__always)
    init(lead: RowFingerprint, rest: RowFingerprint) {
        self = lead
        add(rest)
    }

    /// The first half of a row's fingerprint: its patient, date and text columns (what
    /// ``add(text:_:_:)`` adds for each).
    @inline(__always)
    static func lead(date: ParsedDate, patient: RowFingerprint, texts: RowFingerprint) -> RowFingerprint {
        var f = RowFingerprint()
        f.add(patient)
        f.add(UInt64(UInt32(bitPattern: date.day.raw)) << 32 | UInt64(UInt32(bitPattern: Int32(date.seconds ?? -1))))
        f.add(UInt64(UInt32(bitPattern: Int32(date.offsetMinutes ?? 99_999))))
        f.add(texts)
        return f
    }

    /// The second half: the row's values (``values(of:)``) and its notes, trimmed (`nil` when
    /// the file has no notes column; most rows have none, an empty field).
    @inline(__always)
    static func rest(values: RowFingerprint, notes: UnsafeBufferPointer<UInt8>?) -> RowFingerprint {
        var f = RowFingerprint()
        f.add(values)
        if let t = notes {
            f.add(t.count == 0 ? RowFingerprint.empty : RowFingerprint(t))
        } else {
            f.add(0)
        }
        return f
    }

    /// What a row's values add to its fingerprint: the side, the exercise, the numbers. The
    /// same for rows with the same values, so it is kept with them in the ``ValueMemo``.
    static func values(of v: ValidRow) -> RowFingerprint {
        var f = RowFingerprint()
        f.add(UInt64(v.side.rawValue))
        f.add(v.exercise.print)
        f.add(UInt64(v.sets) | UInt64(v.setNumber) << 32)
        f.add(UInt64(bitPattern: Int64(v.repsPerSet)) ^ UInt64(bitPattern: Int64(v.rightReps ?? -1)) << 21)
        f.add(UInt64(bitPattern: Int64(v.holdCentis ?? -1)))
        f.add(UInt64(bitPattern: Int64(v.painCentis ?? -1)))
        return f
    }

    /// Adds a text column: 0 when the file has no such column, the empty text's fingerprint
    /// when the field is blank, else the fingerprint of its bytes (kept with the last value).
    @inline(__always) mutating func add(text column: Int?, _ value: Int32?, _ print: RowFingerprint) {
        if column == nil { add(0) } else if value == nil { add(RowFingerprint.empty) } else { add(print) }
    }
}
