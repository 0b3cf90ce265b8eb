/// The fingerprints of a block's kept rows, stored the way ``DuplicateFinder`` reads them: in
/// segments of up to 65,536 consecutive rows, each ordered by the fingerprints' top bits
/// (their partition; rows in order inside one), with each fingerprint's row in the segment.
///
/// Each fingerprint is written where it stays: no array of all of them grows by copying or
/// is copied to its exact size, and the duplicate search reads every segment's share of a
/// partition in place instead of scattering a copy of all of them. A year of exports has
/// millions of rows, and each copy of their fingerprints was tens of megabytes of fresh
/// memory (the check of a year spent more time on those pages than on the search).
struct FingerprintList {
    /// Rows per segment: a row's place in its segment fits a `UInt16`.
    static let segmentRows = 1 << 16
    /// The top bits of ``RowFingerprint/b`` a segment is ordered by: the finest partitions
    /// the duplicate search can use.
    static let orderBits = 10

    /// Up to ``FingerprintList/segmentRows`` consecutive rows' fingerprints, ordered by
    /// partition (``FingerprintList/partition(_:)``), rows in order inside each.
    struct Segment {
        var prints: [RowFingerprint]
        /// The row in the segment of each of ``prints`` (from 0).
        var rows: [UInt16]
        /// The list's row (from 0) the segment starts at.
        var first: Int
        /// Where each partition's prints start in ``prints`` (2^orderBits + 1 of them, the
        /// last the count).
        var starts: [Int32]
    }

    /// The segments, in row order.
    private(set) var segments: [Segment] = []
    /// Rows in the list.
    private(set) var count = 0
    /// The rows not in a segment yet, in order.
    private var open: [RowFingerprint] = []

    init() {}

    /// A list of these fingerprints, in order (closed).
    init(_ prints: [RowFingerprint]) {
        for p in prints { append(p) }
        close()
    }

    var isEmpty: Bool { count == 0 }

    /// The partition of a fingerprint at the finest level, ``orderBits`` bits.
    @inline(__always) static func partition(_ fp: RowFingerprint) -> Int {
        Int(truncatingIfNeeded: fp.b >> UInt64(64 - orderBits))
    }

    /// Adds the next row's fingerprint.
    @inline(__always) mutating func append(_ fp: RowFingerprint) {
        // Room for a whole segment at once: the open rows are never copied to grow.
        if _slowPath(open.capacity == 0) { open.reserveCapacity(FingerprintList.segmentRows) }
        open.append(fp)
        count &+= 1
        if open.count == FingerprintList.segmentRows { seal() }
    }

    /// Ends the list: the rows not in a segment yet make the last one.
    mutating func close() {
        if !open.isEmpty { seal() }
        open = []
    }

    /// The open rows as a segment: ordered by partition by one counting pass, stable.
    private mutating func seal() {
        let n = open.count
        let buckets = 1 << FingerprintList.orderBits
        var starts = [Int32](repeating: 0, count: buckets + 1)
        for fp in open { starts[FingerprintList.partition(fp) &+ 1] &+= 1 }
        for k in 0..<buckets { starts[k &+ 1] &+= starts[k] }
        let bounds = starts
        var rows = [UInt16](repeating: 0, count: n)
        let prints = [RowFingerprint](unsafeUninitializedCapacity: n) { out, initialized in
            rows.withUnsafeMutableBufferPointer { rows in
                open.withUnsafeBufferPointer { open in
                    for i in 0..<n {
                        let fp = open[i]
                        let k = FingerprintList.partition(fp)
                        let at = Int(starts[k])
                        starts[k] &+= 1
                        out.initializeElement(at: at, to: fp)
                        rows[at] = UInt16(truncatingIfNeeded: i)
                    }
                }
            }
            initialized = n
        }
        segments.append(Segment(prints: prints, rows: rows, first: count - n, starts: bounds))
        open.removeAll(keepingCapacity: true)
    }
}
