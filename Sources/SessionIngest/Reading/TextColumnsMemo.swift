/// The text columns shown in reports (patient name, therapist, clinic) as the last row read
/// wrote them, with the texts they were read as: a patient's rows repeat them, so most rows
/// take them by one compare of their bytes instead of three.
///
/// The key is the bytes from the first of those columns to the last, exactly as written
/// (their quotes and what lies between included: ``CSVRecordReader/span(from:through:)``). It is kept only when the texts were read from it, with what they add to
/// a row's fingerprint (the last-value caches' fingerprints of those bytes).
struct TextColumnsMemo {
    /// The columns' first and last index; nil when the file has none of them.
    let first: Int?, last: Int?
    private var key: [UInt8] = []
    private var kept = false
    private(set) var name: Int32?, therapist: Int32?, clinic: Int32?
    /// What the three add to a row's fingerprint.
    private(set) var print = RowFingerprint()

    init(_ c: ColumnIndexes) {
        let columns = [c.name, c.therapist, c.clinic].compactMap { $0 }
        first = columns.min()
        last = columns.max()
    }

    /// The bytes the texts are read from, for ``matches(_:)`` and ``keep(_:_:_:_:print:)``
    /// (`nil`: no memo for this row).
    @inline(__always)
    func span(_ r: CSVRecordReader) -> UnsafeBufferPointer<UInt8>? {
        guard let first, let last else { return nil }
        return r.span(from: first, through: last)
    }

    @inline(__always)
    func matches(_ span: UnsafeBufferPointer<UInt8>) -> Bool {
        guard kept, key.count == span.count else { return false }
        return span.count == 0 || key.withUnsafeBufferPointer { ByteCompare.equal($0.baseAddress!, span.baseAddress!, span.count) }
    }

    mutating func keep(_ span: UnsafeBufferPointer<UInt8>, _ name: Int32?, _ therapist: Int32?, _ clinic: Int32?,
                       print: RowFingerprint) {
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: span)
        kept = true
        self.name = name; self.therapist = therapist; self.clinic = clinic
        self.print = print
    }
}
