import CByteScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a ``CSVRecordReader`` gets its bytes: fills the buffer, returns the count (0 at the end).
typealias ByteSource = (UnsafeMutableRawBufferPointer) throws -> Int

/// A streaming RFC 4180 reader over bytes: quoted fields may hold separators, quotes (`""`)
/// and line breaks; records end with LF, CRLF or CR. It never builds a `String` for a field:
/// callers look at each field's bytes in place.
///
/// Memory stays at one buffer (1 MiB, grown only for a single record larger than that),
/// whatever the size of the file.
final class CSVRecordReader {
    /// The field separator byte (`,` `;` tab or `|`).
    var separator: UInt8 {
        didSet { setSpecial() }
    }
    /// Bytes that end an unquoted run: the separator, CR, LF and the quote.
    private let special = UnsafeMutablePointer<Bool>.allocate(capacity: 256)

    private func setSpecial() {
        special.initialize(repeating: false, count: 256)
        for b in [separator, CSVRecordReader.lf, CSVRecordReader.cr, CSVRecordReader.quote] { special[Int(b)] = true }
    }
    private let source: ByteSource
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var nextLine = 1

    /// Bytes read from the source so far.
    private(set) var bytesRead = 0
    /// Physical line (1-based) on which the current record starts.
    private(set) var line = 0
    /// Number of fields of the current record.
    private(set) var fieldCount = 0
    /// Whether the current record is malformed (a stray quote, or a quote never closed).
    private(set) var malformed: String?
    /// Length in bytes of the current record's longest field (as written, quotes included);
    /// for a record split lean, the record's length (no field is longer).
    private(set) var longestField = 0
    /// How many of the current record's fields have their bounds recorded: all of them
    /// (``fieldCount``), or the first ``leanFields`` of a record split lean.
    private(set) var splitFields = 0
    /// When not 0, a record with no quote is split lean: the bounds of its first `leanFields`
    /// fields are recorded and the others only counted (a reader of a file's old rows needs
    /// only their first columns). ``resplit()`` splits the current record in full.
    var leanFields = 0
    /// When not 0, a record split in full is compared with the record before on its first
    /// `sittingFields` fields (``sameLeadFields``), as a record split lean is on its first
    /// ``leanFields``: the rows of one sitting repeat their patient, names and time.
    var sittingFields = 0
    /// Whether the current record starts with the same bytes as the record before it up to and
    /// including the separator after its lead: its first ``leanFields`` fields when split lean,
    /// else its first ``sittingFields``. Those fields are then the previous record's, byte for
    /// byte (and their bounds are recorded, moved, not found again).
    private(set) var sameLeadFields = false
    /// Whether the current record has no quote (it was split by the fast path, whole).
    private(set) var quoteFree = false
    /// The previous record, when it was a plain one (no quote) read by the fast path and is
    /// still in the buffer: where it starts, where (from its start) the separator after its
    /// first `fields` fields is (`leadEnd` < 0 when not known), and the longest of those fields.
    private var previous: (start: Int, leadEnd: Int, fields: Int, longest: Int) = (0, -1, 0, 0)
    /// The header's number of fields, once known (0 = not known: no containment). A quoted
    /// field may then not run across a line break into a line that is a row of its own (see
    /// ``lineIsRecord(from:)``): the record with the quote that never closed ends there, is
    /// malformed, and the next line is read as the next record. So one stray quote costs one
    /// row, not the rest of the file.
    var expectedFields = 0
    /// The most line breaks the quoted fields of one record may hold; a record running over
    /// more ends there, malformed (bounds how far a quote that never closes can run, and the
    /// buffer it would fill).
    static let maxLinesInField = 1_000
    /// Reading back adhere's rejects file: a field starting with `'` and then a formula
    /// character (or another `'`) loses that one `'` (see ``RejectsFormat``).
    var unguardFormulas = false

    /// Field bounds of the current record: start, end (exclusive) and "has doubled quotes" per field.
    private var fieldStart: UnsafeMutablePointer<Int>
    private var fieldEnd: UnsafeMutablePointer<Int>
    private var fieldEscaped: UnsafeMutablePointer<Bool>
    /// Room for fields: the fast path wants room for 65 more than a record's fields so far.
    private var fieldCapacity = 256
    private var recordStart = 0
    private var recordEnd = 0
    /// Where an escaped field is unquoted (an escaped field is never longer unquoted than raw).
    private var scratch: UnsafeMutablePointer<UInt8> = .allocate(capacity: 256)
    private var scratchCapacity = 256

    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    /// - Parameters:
    ///   - separator: the field separator.
    ///   - bufferSize: initial buffer size.
    ///   - source: fills a buffer with the next bytes.
    init(separator: UInt8 = UInt8(ascii: ","), bufferSize: Int = 1 << 20,
                source: @escaping ByteSource) {
        self.separator = separator
        self.source = source
        self.capacity = max(bufferSize, 64)
        self.buffer = .allocate(capacity: capacity)
        fieldStart = .allocate(capacity: fieldCapacity)
        fieldEnd = .allocate(capacity: fieldCapacity)
        fieldEscaped = .allocate(capacity: fieldCapacity)
        setSpecial()
    }

    /// A reader over bytes in memory.
    convenience init(bytes: [UInt8], separator: UInt8 = UInt8(ascii: ",")) {
        var offset = 0
        self.init(separator: separator, bufferSize: 4096) { out in
            let n = min(out.count, bytes.count - offset)
            if n > 0 {
                bytes.withUnsafeBytes { src in
                    out.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
                }
            }
            offset += n
            return n
        }
    }

    deinit {
        buffer.deallocate()
        fieldStart.deallocate()
        fieldEnd.deallocate()
        fieldEscaped.deallocate()
        special.deallocate()
        scratch.deallocate()
        sittingDate.deallocate()
    }

    /// Bytes at the very start of the input, without consuming them (for BOM and dialect sniffing).
    func peek(_ count: Int) throws -> [UInt8] {
        while end - start < count && !atEOF { try fill() }
        return Array(UnsafeBufferPointer(start: buffer + start, count: min(count, end - start)))
    }

    /// Skips `count` bytes at the current position (a byte-order mark).
    func skip(_ count: Int) throws {
        _ = try peek(count)
        start += min(count, end - start)
    }

    /// Where in the source reading stops: no record starting at or after this byte offset is
    /// read (a part of a file read on its own, see ``FileChunks``). Bytes past it may still be
    /// looked at, as the containment of broken quotes looks at the next line.
    var stopOffset = Int.max
    /// The byte offset in the source where the next record starts (once the previous one is read).
    var position: Int { bytesRead - (end - start) }
    /// Physical lines read so far (line breaks inside quoted fields included).
    var linesRead: Int { nextLine - 1 }

    /// Moves to the next non-empty record. Returns `false` at the end of the input.
    func next() throws -> Bool {
        while true {
            if _slowPath(bytesRead - (end - start) >= stopOffset) { return false }
            if start == end {
                if atEOF { return false }
                try fill()
                continue
            }
            let consumed = parseUnquoted(limit: leanFields == 0 || unguardFormulas ? Int.max : leanFields) ?? parse()
            if consumed < 0 {
                try fill()
                continue
            }
            line = nextLine
            nextLine += pendingNewlines
            start = consumed
            if fieldCount == 1 && fieldEnd[0] == fieldStart[0] && !isQuoted(0) { continue } // blank line
            if unguardFormulas { unguard() }
            return true
        }
    }

    /// Splits the current record in full when it was split lean (``leanFields``): the same
    /// bytes, still in the buffer, read again with every field's bounds recorded.
    func resplit() {
        guard splitFields < fieldCount else { return }
        let after = start
        start = recordStart
        let consumed = parseUnquoted(limit: Int.max) ?? parse()
        start = after
        assert(consumed == after && splitFields == fieldCount)
    }

    /// Passes over the records ahead that ``next()`` would read, split lean, as starting like
    /// the record before (``sameLeadFields``) in a plain shape: each starts with the bytes of
    /// the last lean record's first ``leanFields`` fields and the separator after them, has no
    /// quote, `fields` fields in all, at most 32,767 bytes, and starts before ``stopOffset``.
    /// Returns how many; ``position`` and the lines read move on as if ``next()`` had read them
    /// (each is one line). It looks only at buffered bytes and stops before the first record it
    /// cannot be sure of, which ``next()`` reads as usual. (A report's old rows: those of one
    /// sitting repeat their patient, names and time, and are only counted.)
    func skipSameLead(fields: Int) -> Int {
        guard previous.leadEnd >= 0, leanFields > 0, previous.fields == leanFields else { return 0 }
        let lead = previous.leadEnd &+ 1
        let buf = buffer, end = self.end, sep = separator, from = buf + previous.start
        // The buffer offset at which records stop being read (a part's end).
        let stop = stopOffset == Int.max ? Int.max : stopOffset &- (bytesRead &- end)
        let wanted = fields &- leanFields &- 1  // separators after the lead
        var p = start, passed = 0
        records: while p < stop && p &+ lead &+ 64 <= end && ByteCompare.equal(buf + p, from, lead) {
            var q = p &+ lead, separators = 0
            while true {
                guard q &+ 64 <= end, q &- p <= 32_767 else { break records }
                let masks = CSVRecordReader.specialBits(buf + q, sep)
                let lineEnd = masks.lineEnds & (0 &- masks.lineEnds)
                let before = lineEnd == 0 ? ~0 : lineEnd &- 1
                if masks.quotes & before != 0 { break records }
                separators &+= (masks.separators & before).nonzeroBitCount
                guard lineEnd != 0 else { q &+= 64; continue }
                let pos = q &+ lineEnd.trailingZeroBitCount
                guard separators == wanted, pos &- p <= 32_767, let next = after(lineEndAt: pos) else { break records }
                p = next
                passed &+= 1
                break
            }
        }
        start = p
        nextLine &+= passed
        return passed
    }

    /// The lead's field that holds the date, when it is the lead's last (``sittingRow()`` then
    /// compares the fields before it, and the date with the sitting's); -1 when not.
    var sittingDateField = -1
    /// The sitting's date field as written (``keepSittingDate(_:)``), in room of its own;
    /// `sittingDateLength` -1 when none is kept.
    private let sittingDate = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    private var sittingDateLength = -1
    /// Where the row ``sittingRow()`` found has its date field and its fields after the lead
    /// (offsets in the buffer, and lengths).
    private var rowDate = (start: 0, count: 0), rowTail = (start: 0, count: 0)

    /// What ``sittingRow()`` found ahead.
    enum SittingRow {
        /// Not a row it can tell: ``next()`` reads it.
        case none
        /// A row of the sitting: the same lead as the record last split in full, or the same
        /// fields before the date and the sitting's date (``keepSittingDate(_:)``).
        case same
        /// A row with the same fields before the date but another date (``sittingRowDate``).
        case otherDate
    }

    /// Keeps the date field of the sitting the rows ahead may belong to (a row accepted).
    func keepSittingDate(_ date: UnsafeBufferPointer<UInt8>) {
        guard date.count <= 64, let from = date.baseAddress else { sittingDateLength = -1; return }
        sittingDate.update(from: from, count: date.count)
        sittingDateLength = date.count
    }

    /// Whether `date` is the sitting's date field (``keepSittingDate(_:)``).
    func isSittingDate(_ date: UnsafeBufferPointer<UInt8>) -> Bool {
        sittingDateLength == date.count && (date.count == 0 || ByteCompare.equal(sittingDate, date.baseAddress!, date.count))
    }

    /// The date field of the row ``sittingRow()`` found.
    var sittingRowDate: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffer + rowDate.start, count: rowDate.count) }
    /// The fields after the lead of the row ``sittingRow()`` found, as written, without the line end.
    var sittingRowTail: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffer + rowTail.start, count: rowTail.count) }

    /// Looks at the record ahead as a row of a sitting (``Sitting``), unsplit: one that starts
    /// like the record last split in full up to its date field (``sittingDateField``; or to the
    /// end of its lead, when the date is not the lead's last field), holds no quote, is on one
    /// line of at most 32,767 bytes, wholly buffered, and starts before ``stopOffset``.
    /// ``passTail()`` then moves past it. (The rows of one sitting differ only in their
    /// exercise, side and dose; the next sitting of the same patient, in its time too.)
    @inline(__always)
    func sittingRow() -> SittingRow {
        guard previous.leadEnd >= 0, previous.fields == sittingFields, leanFields == 0,
              bytesRead &- (end &- start) < stopOffset else { return .none }
        let buf = buffer, p = start, end = self.end, from = buf + previous.start
        let byDate = sittingDateField >= 0
        // The bytes compared with the record split last: those before the date, or the lead.
        let prefix = byDate ? fieldStart[sittingDateField] &- previous.start : previous.leadEnd &+ 1
        guard !byDate || sittingDateLength >= 0, p &+ prefix &+ max(sittingDateLength, 0) &+ 48 <= end else { return .none }
        var kind = SittingRow.same
        var date = byDate ? sittingDateLength : -1, length = -1
        #if arch(x86_64)
        if byDate {
            length = adhere_sitting_row(buf + p, from, prefix, sittingDate, date, buf + end, separator, 32_767)
            if length == -2 {
                kind = .otherDate
                date = adhere_plain_field(buf + p, buf + (p &+ prefix), buf + end, separator, 32_767)
                length = date < 0 ? -1 : adhere_line_rest(buf + p, buf + (p &+ prefix &+ date &+ 1), buf + end, 32_767)
            }
        } else if ByteCompare.equal(buf + p, from, prefix) {
            length = adhere_line_rest(buf + p, buf + (p &+ prefix), buf + end, 32_767)
        }
        #else
        // Byte by byte: the fields before the date (or the lead), the date field up to its
        // separator, the rest up to the line end; no quote anywhere.
        if ByteCompare.equal(buf + p, from, prefix) {
            var q = p &+ prefix
            if byDate {
                while q < end && buffer[q] != separator && buffer[q] != CSVRecordReader.quote
                        && buffer[q] != CSVRecordReader.lf && buffer[q] != CSVRecordReader.cr { q &+= 1 }
                if !isSittingDate(UnsafeBufferPointer(start: buf + (p &+ prefix), count: q &- (p &+ prefix))) { kind = .otherDate }
                date = q &- (p &+ prefix)
                q = q < end && buffer[q] == separator ? q &+ 1 : end
            }
            let rest = q
            while q < end && buffer[q] != CSVRecordReader.quote && buffer[q] != CSVRecordReader.lf && buffer[q] != CSVRecordReader.cr { q &+= 1 }
            if q < end && buffer[q] != CSVRecordReader.quote && q &- p <= 32_767 { length = q &- rest }
        }
        #endif
        let tail = p &+ prefix &+ (byDate ? date &+ 1 : 0)
        guard length >= 0, let next = after(lineEndAt: tail &+ length) else { return .none }
        tailNext = next
        rowDate = (p &+ prefix, max(date, 0))
        rowTail = (tail, length)
        return kind
    }

    /// Where the record ``sittingRow()`` gave ends (the next record's start).
    private var tailNext = -1

    /// Moves past the record ahead, which ``sittingRow()`` just gave, as ``next()`` would
    /// read it (one line). Its fields are not split: the current record's stay as they were.
    func passTail() {
        assert(tailNext > start)
        line = nextLine
        nextLine &+= 1
        start = tailNext
        tailNext = -1
    }

    /// Passes over the lines ahead that cannot hold `needle` (one patient's id, in a one-patient
    /// read): lines ending in LF or CRLF, none blank, none holding the needle's bytes, and whose
    /// quotes (if any) only wrap whole fields with no line break inside, so that each line is a
    /// record of its own and none of its fields is the needle. Returns how
    /// many records it passed; ``line`` and ``position`` move on as if ``next()`` had read
    /// them. It looks only at buffered bytes, and stops before the first line it cannot be sure
    /// of (a lone CR, a blank line, the needle, a quote that does not open a field, a line break
    /// inside quotes, a line not wholly buffered or starting at ``stopOffset``): ``next()``
    /// reads that one as usual.
    ///
    /// Sixteen bytes at a time: each test is a vector comparison, line ends are counted in
    /// per-lane counters, and a block with a quote (or inside quotes) tracks which bytes are
    /// inside quotes by a prefix XOR of its quote bits. Only a block where a test hits is looked
    /// at closer.
    func skipLines(without needle: UnsafeBufferPointer<UInt8>) throws -> Int {
        if !atEOF && end - start < capacity / 2 { try fill() }
        guard let n0 = needle.first, let nk = needle.last, let needleBytes = needle.baseAddress else { return 0 }
        let k = needle.count
        let buf = buffer, first = start
        let sep = separator, quote = CSVRecordReader.quote, lf = CSVRecordReader.lf, cr = CSVRecordReader.cr
        // Blocks are whole in the buffer with the bytes the tests look past them (one for the
        // line tests, k - 1 for the needle's), and before the stop offset.
        let stop = stopOffset == Int.max ? end : min(end, stopOffset - (bytesRead - end))
        let last = min(stop, end - max(1, k - 1)) - 16
        guard first <= last, buf[first] != lf, buf[first] != cr else { return 0 }
        let sepV = SIMD16<UInt8>(repeating: sep), quoteV = SIMD16<UInt8>(repeating: quote)
        let lfV = SIMD16<UInt8>(repeating: lf), crV = SIMD16<UInt8>(repeating: cr)
        let n0V = SIMD16<UInt8>(repeating: n0), nkV = SIMD16<UInt8>(repeating: nk)
        let zero = SIMD16<UInt8>(repeating: 0)
        var counts = zero  // line ends per lane, over at most 255 blocks
        var blocks = 0
        var ends = 0  // line ends before `cut`
        var cut = first  // the first byte not known to be sure
        var inside = false  // whether the byte before `q` is inside quotes
        var q = first
        scan: while q <= last {
            let v = UnsafeRawPointer(buf + q).loadUnaligned(as: SIMD16<UInt8>.self)
            let after = UnsafeRawPointer(buf + q + 1).loadUnaligned(as: SIMD16<UInt8>.self)
            let tail = UnsafeRawPointer(buf + q + k - 1).loadUnaligned(as: SIMD16<UInt8>.self)
            let isLF = v .== lfV, lfAfter = after .== lfV, isQuote = v .== quoteV
            let trouble = isQuote .| ((v .== crV) .& .!lfAfter) .| (isLF .& (lfAfter .| (after .== crV)))
                .| ((v .== n0V) .& (tail .== nkV))
            // (The mask's lanes are 0 or all ones: looked at as two words, not through the
            // generic `any`, which is not inlined.)
            let hits = unsafeBitCast(trouble, to: (UInt64, UInt64).self)
            if _slowPath(hits.0 | hits.1 != 0 || inside) {
                let lfBits = CSVRecordReader.bits(of: isLF)
                let crBits = CSVRecordReader.bits(of: v .== crV)
                let quoteBits = CSVRecordReader.bits(of: isQuote)
                // Bytes inside quotes (after each byte), by a prefix XOR of the quote bits.
                var insideAfter = quoteBits
                insideAfter ^= insideAfter << 1; insideAfter ^= insideAfter << 2
                insideAfter ^= insideAfter << 4; insideAfter ^= insideAfter << 8
                if inside { insideAfter = ~insideAfter }
                insideAfter &= 0xFFFF
                let insideBefore = (insideAfter << 1 | (inside ? 1 : 0)) & 0xFFFF
                // The parity is the parser's (a doubled quote toggles twice, a closing one once)
                // but for a stray quote, which the parser keeps as text: a quote inside an
                // unquoted field, or in text after a closing quote. Such a quote never follows a
                // separator or starts a line, and the first one in a line meets the parity
                // outside quotes: so a quote that opens by the parity where no field starts is
                // where to stop.
                let boundaryBefore = (CSVRecordReader.bits(of: (v .== sepV) .| isLF) << 1
                    | (q == first || buf[q - 1] == sep || buf[q - 1] == lf ? 1 : 0)) & 0xFFFF
                let opening = quoteBits & ~insideBefore
                var stops = (opening & ~boundaryBefore) | ((lfBits | crBits) & insideAfter)
                stops |= CSVRecordReader.bits(of: (v .== crV) .& .!lfAfter)
                // A blank line starts after an LF followed by LF or CR: the LF's line is sure.
                stops |= (CSVRecordReader.bits(of: isLF .& (lfAfter .| (after .== crV))) << 1) & 0x1FFFF
                // The needle's candidates, compared whole.
                var candidates = CSVRecordReader.bits(of: (v .== n0V) .& (tail .== nkV))
                while candidates != 0 {
                    let i = candidates.trailingZeroBitCount
                    candidates &= candidates - 1
                    if memcmp(buf + q + i, needleBytes, k) == 0 { stops |= 1 << UInt32(i); break }
                }
                if stops != 0 {
                    let at = stops.trailingZeroBitCount  // 0...16
                    ends += (lfBits & ((1 << UInt32(at)) - 1)).nonzeroBitCount
                    cut = q + at
                    break scan
                }
                ends += lfBits.nonzeroBitCount
                inside = insideAfter & 0x8000 != 0
            } else {
                counts &-= unsafeBitCast(isLF, to: SIMD16<UInt8>.self)  // a hit lane is 255, -1
                blocks += 1
                if blocks == 255 {
                    ends += Int(SIMD16<UInt16>(truncatingIfNeeded: counts).wrappedSum())
                    counts = zero
                    blocks = 0
                }
            }
            q += 16
            cut = q
        }
        ends += Int(SIMD16<UInt16>(truncatingIfNeeded: counts).wrappedSum())
        // Whole lines only: up to the last line end before the cut.
        var lineEnd = cut
        while lineEnd > first && buf[lineEnd - 1] != lf { lineEnd -= 1 }
        guard lineEnd > first else { return 0 }
        start = lineEnd
        previous.leadEnd = -1
        nextLine += ends
        return ends
    }

    /// Removes the `'` that guards a field of a rejects file against running as a formula.
    private func unguard() {
        for i in 0..<fieldCount {
            let s = fieldStart[i]
            if fieldEnd[i] - s >= 2 && RejectsFormat.isGuarded(buffer[s], buffer[s + 1]) { fieldStart[i] = s + 1 }
        }
    }

    /// The bytes of field `index` (unquoted, `""` turned into `"`), valid until the next call.
    ///
    /// The body is called from one place, so the optimiser inlines it into the caller: a field
    /// read costs a bounds load, not a closure call.
    @inline(__always)
    func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(field(index))
    }

    /// The bytes of field `index`, valid until the next call of `field` or `withField`.
    @inline(__always)
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        assert(index < splitFields, "field \(index) of a record split lean")
        let s = fieldStart[index], e = fieldEnd[index]
        if _slowPath(fieldEscaped[index]) { return unescaped(from: s, to: e) }
        return UnsafeBufferPointer(start: buffer + s, count: e - s)
    }

    /// An escaped field with each `""` turned into `"`, written to the scratch buffer.
    @inline(never)
    private func unescaped(from s: Int, to e: Int) -> UnsafeBufferPointer<UInt8> {
        if e - s > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(e - s, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        var i = s, n = 0
        while i < e {
            let c = buffer[i]
            scratch[n] = c
            n += 1
            i += (c == CSVRecordReader.quote && i + 1 < e && buffer[i + 1] == CSVRecordReader.quote) ? 2 : 1
        }
        return UnsafeBufferPointer(start: scratch, count: n)
    }

    /// The bytes of fields `i` through `j` exactly as written: from field `i`'s first byte (its
    /// opening quote, when quoted) to field `j`'s last (its closing quote), the separators and
    /// quotes between them included. Bytes that start and end at field boundaries split the
    /// same way wherever they are read, so two records whose spans are equal have equal fields
    /// `i` through `j` (without the quotes, `"a,",b` and `a,",b"` would both be `a,",b`).
    /// Valid until the next record. `nil` when reading a rejects file back, whose fields may
    /// start past a formula guard (``unguardFormulas``): not as written.
    @inline(__always)
    func span(from i: Int, through j: Int) -> UnsafeBufferPointer<UInt8>? {
        if unguardFormulas { return nil }
        let s = fieldStart[i] - (isQuoted(i) ? 1 : 0)
        let e = fieldEnd[j] + (isQuoted(j) ? 1 : 0)
        return UnsafeBufferPointer(start: buffer + s, count: e - s)
    }

    /// The record exactly as written (without its line ending).
    var rawBytes: [UInt8] {
        Array(UnsafeBufferPointer(start: buffer + recordStart, count: recordEnd - recordStart))
    }

    private func isQuoted(_ index: Int) -> Bool {
        fieldStart[index] > recordStart && buffer[fieldStart[index] - 1] == CSVRecordReader.quote
    }

    private var pendingNewlines = 0
    /// Line breaks inside the current record's quoted fields (0 for a record on one line).
    private(set) var lineBreaksInside = 0

    private func growFields() {
        let bigger = fieldCapacity * 2
        let s = UnsafeMutablePointer<Int>.allocate(capacity: bigger)
        let e = UnsafeMutablePointer<Int>.allocate(capacity: bigger)
        let q = UnsafeMutablePointer<Bool>.allocate(capacity: bigger)
        s.update(from: fieldStart, count: fieldCapacity)
        e.update(from: fieldEnd, count: fieldCapacity)
        q.update(from: fieldEscaped, count: fieldCapacity)
        fieldStart.deallocate(); fieldEnd.deallocate(); fieldEscaped.deallocate()
        fieldStart = s; fieldEnd = e; fieldEscaped = q
        fieldCapacity = bigger
    }

    /// Records field `count` as bytes `s..<e` of the buffer.
    @inline(__always)
    private func addField(_ s: Int, _ e: Int, _ escaped: Bool, _ count: inout Int, _ longest: inout Int) {
        if count == fieldCapacity { growFields() }
        if e - s > longest { longest = e - s }
        fieldStart[count] = s
        fieldEnd[count] = e
        fieldEscaped[count] = escaped
        count += 1
    }

    /// The common case, fast: a record with no quote at all, whole in the buffer, with no more
    /// fields than there is room for. Finds its separators and line end 64 bytes at a time (bit
    /// masks of the separators, line ends and quotes, ``specialBits(_:_:)``): the fields are
    /// the separators before the first line end. Returns the position after the record, or
    /// `nil` to let ``parse()`` read it (a quote, fewer than 64 bytes buffered ahead, or more
    /// fields than the room for them is in reach).
    ///
    /// The state it writes is held in locals (the field arrays' pointers, the room), so the
    /// loop does not load them from the object again after every store.
    @inline(__always)
    private func parseUnquoted(limit: Int) -> Int? {
        // Two copies, a plain split and a lean one, so the plain one tests nothing more.
        limit == Int.max ? parseUnquoted(limit: limit, lean: false) : parseUnquoted(limit: limit, lean: true)
    }

    @inline(__always)
    private func parseUnquoted(limit: Int, lean: Bool) -> Int? {
        let buf = buffer
        let end = self.end
        let sep = separator
        let starts = fieldStart, ends = fieldEnd, escaped = fieldEscaped, room = fieldCapacity
        var count = 0
        var longest = 0
        var fieldBegin = start
        var q = start
        let last = previous
        // The lead: the fields compared with the previous record's.
        let lead = lean ? limit : sittingFields
        previous.leadEnd = -1
        sameLeadFields = false
        if lead > 0, last.leadEnd >= 0, last.fields == lead, start &+ last.leadEnd &+ 65 <= end,
           ByteCompare.equal(buf + start, buf + last.start, last.leadEnd &+ 1) {
            // The lead fields are the previous record's (it had no quote, and its separator
            // after them is among the bytes equal): moved, not split again.
            let shift = start &- last.start
            for i in 0..<lead {
                starts[i] &+= shift
                ends[i] &+= shift
            }
            count = lead
            longest = last.longest
            fieldBegin = start &+ last.leadEnd &+ 1
            q = fieldBegin
            sameLeadFields = true
        }
        // Offsets within the buffer, so the arithmetic cannot overflow (unchecked: `&+`).
        while q &+ 64 <= end {
            let masks = CSVRecordReader.specialBits(buf + q, sep)
            let lineEnd = masks.lineEnds & (0 &- masks.lineEnds)  // the first line end's bit, or 0
            let before = lineEnd == 0 ? ~0 : lineEnd &- 1  // the bytes before it
            var separators = masks.separators & before
            // (A block holds at most 64 fields: room for them is checked without counting.)
            if masks.quotes & before != 0 || count &+ 65 > room { return nil }
            // (A lean split records the fields up to the limit, then only counts separators.)
            while separators != 0 && (!lean || count < limit) {
                let pos = q &+ separators.trailingZeroBitCount
                separators &= separators &- 1
                starts[count] = fieldBegin
                ends[count] = pos
                escaped[count] = false
                count &+= 1
                if pos &- fieldBegin > longest { longest = pos &- fieldBegin }
                fieldBegin = pos &+ 1
            }
            if lean && separators != 0 { count &+= separators.nonzeroBitCount }
            guard lineEnd != 0 else { q &+= 64; continue }
            // The line ends here (a CR needs the next byte, to see whether LF follows).
            let pos = q &+ lineEnd.trailingZeroBitCount
            if !lean || count < limit {
                starts[count] = fieldBegin
                ends[count] = pos
                escaped[count] = false
                if pos &- fieldBegin > longest { longest = pos &- fieldBegin }
            } else {
                longest = pos &- start  // split lean: no field is longer than the record
            }
            count &+= 1
            guard let next = after(lineEndAt: pos) else { return nil }
            recordStart = start
            recordEnd = pos
            fieldCount = count
            splitFields = lean ? min(count, limit) : count
            if lead > 0 && count > lead && splitFields >= lead {
                if sameLeadFields {
                    previous = (start, last.leadEnd, lead, last.longest)
                } else {
                    var leadLongest = 0
                    for i in 0..<lead where ends[i] &- starts[i] > leadLongest { leadLongest = ends[i] &- starts[i] }
                    previous = (start, ends[lead &- 1] &- start, lead, leadLongest)
                }
            }
            if malformed != nil { malformed = nil }  // (assigning nil over nil still calls a release)
            quoteFree = true
            longestField = longest
            pendingNewlines = 1
            lineBreaksInside = 0
            return next
        }
        return nil
    }

    /// Where the next record starts after the line end (LF, CR or CRLF) at `pos`; `nil` for a CR
    /// that ends the buffered bytes (whether LF follows is not known yet).
    @inline(__always)
    private func after(lineEndAt pos: Int) -> Int? {
        guard buffer[pos] == CSVRecordReader.cr else { return pos &+ 1 }
        guard pos &+ 1 < end else { return nil }
        return buffer[pos &+ 1] == CSVRecordReader.lf ? pos &+ 2 : pos &+ 1
    }

    /// Where the 64 bytes at `p` are the separator, LF or CR, and a quote (bit `i` for byte
    /// `i`): on x86-64 by the processor's mask gather (`CByteScan`), elsewhere by 16-byte
    /// comparisons gathered with ``bits(of:)``.
    @inline(__always)
    static func specialBits(_ p: UnsafePointer<UInt8>, _ sep: UInt8) -> (separators: UInt64, lineEnds: UInt64, quotes: UInt64) {
        #if arch(x86_64)
        let m = adhere_special_bits64(p, sep)
        return (m.separators, m.lineEnds, m.quotes)
        #else
        let sepV = SIMD16<UInt8>(repeating: sep), quoteV = SIMD16<UInt8>(repeating: quote)
        let lfV = SIMD16<UInt8>(repeating: lf), crV = SIMD16<UInt8>(repeating: cr)
        var out: (separators: UInt64, lineEnds: UInt64, quotes: UInt64) = (0, 0, 0)
        for k in 0..<4 {
            let v = UnsafeRawPointer(p + 16 * k).loadUnaligned(as: SIMD16<UInt8>.self)
            let shift = UInt64(16 * k)
            out.separators |= UInt64(bits(of: v .== sepV)) << shift
            out.lineEnds |= UInt64(bits(of: (v .== lfV) .| (v .== crV))) << shift
            out.quotes |= UInt64(bits(of: v .== quoteV)) << shift
        }
        return out
        #endif
    }

    /// A bit per lane of `hit`, lane 0 the lowest: each half's 0-or-1 bytes gathered into a
    /// byte by one multiplication (byte `i` lands on bit `56 + i`, no two products overlapping).
    @inline(__always)
    private static func bits(of hit: SIMDMask<SIMD16<Int8>>) -> UInt32 {
        let ones = unsafeBitCast(SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: hit), to: (UInt64, UInt64).self)
        let gather: UInt64 = 0x0102_0408_1020_4080
        return UInt32(truncatingIfNeeded: (ones.0 &* gather) >> 56) | UInt32(truncatingIfNeeded: (ones.1 &* gather) >> 56) << 8
    }

    /// Parses one record from `start`. Returns the position after it, or -1 when more bytes are
    /// needed. Works on local copies of the state: this is the hot loop.
    private func parse() -> Int {
        let special = self.special
        let sep = separator
        let buf = buffer
        let end = self.end
        let eof = atEOF
        let quote = CSVRecordReader.quote, lf = CSVRecordReader.lf, cr = CSVRecordReader.cr
        var p = start
        var newlines = 0
        var count = 0
        var problem: String?
        recordStart = start
        sameLeadFields = false
        quoteFree = false
        var longest = 0
        @inline(__always) func add(_ s: Int, _ e: Int, _ escaped: Bool) {
            addField(s, e, escaped, &count, &longest)
        }
        while true {
            if p < end && buf[p] == quote {
                var q = p + 1
                var hasEscape = false
                var closed = false
                while q < end {
                    let c = buf[q]
                    if c == quote {
                        if q + 1 == end && !eof { return -1 }
                        if q + 1 < end && buf[q + 1] == quote { hasEscape = true; q += 2; continue }
                        closed = true
                        break
                    }
                    if c == lf || (c == cr && (q + 1 >= end || buf[q + 1] != lf)) {
                        newlines += 1
                        // Containment of a quote that never closes: the field may not run into a
                        // line that is a row of its own, nor over too many lines.
                        if expectedFields > 1 || newlines > CSVRecordReader.maxLinesInField {
                            if c == cr && q + 1 >= end && !eof { return -1 }
                            var broken: String?
                            if newlines > CSVRecordReader.maxLinesInField {
                                broken = "a quoted field runs over more than \(CSVRecordReader.maxLinesInField) lines"
                            } else {
                                switch lineIsRecord(from: q + 1) {
                                case nil: return -1
                                case true?: broken = "a quote opens a field that is not closed before the next row"
                                case false?: break
                                }
                            }
                            if let broken {
                                let lineEnd = (c == lf && q > p && buf[q - 1] == cr) ? q - 1 : q
                                add(p + 1, lineEnd, hasEscape)
                                longestField = longest
                                malformed = broken
                                recordEnd = lineEnd
                                fieldCount = count
                                splitFields = count
                                pendingNewlines = newlines
                                lineBreaksInside = newlines
                                return q + 1
                            }
                        }
                    }
                    q += 1
                }
                if !closed {
                    if !eof { return -1 }
                    add(p + 1, end, hasEscape)
                    longestField = longest
                    malformed = "a quoted field is never closed"
                    recordEnd = end
                    fieldCount = count
                    splitFields = count
                    pendingNewlines = newlines
                    lineBreaksInside = newlines
                    return end
                }
                add(p + 1, q, hasEscape)
                p = q + 1
                if p < end, buf[p] != sep, buf[p] != lf, buf[p] != cr {
                    problem = "text after a closing quote"
                    while p < end, buf[p] != sep, buf[p] != lf, buf[p] != cr { p += 1 }
                    fieldEnd[count - 1] = p
                }
            } else {
                var q = CSVRecordReader.unquotedRun(buf, from: p, to: end, separator: sep, special: special)
                while q < end && buf[q] == quote {
                    problem = "a quote inside an unquoted field"
                    q = CSVRecordReader.unquotedRun(buf, from: q + 1, to: end, separator: sep, special: special)
                }
                add(p, q, false)
                p = q
            }
            if p == end {
                if !eof { return -1 }
                recordEnd = end
                fieldCount = count
                splitFields = count
                malformed = problem
                longestField = longest
                pendingNewlines = newlines
                lineBreaksInside = newlines
                return end
            }
            let c = buf[p]
            if c == sep { p += 1; continue }
            recordEnd = p
            if c == cr {
                if p + 1 == end && !eof { return -1 }
                p += (p + 1 < end && buf[p + 1] == lf) ? 2 : 1
            } else {
                p += 1
            }
            fieldCount = count
            splitFields = count
            malformed = problem
            longestField = max(longest, fieldEnd[count - 1] - fieldStart[count - 1])
            pendingNewlines = newlines + 1
            lineBreaksInside = newlines
            return p
        }
    }

    /// Whether the line starting at `from` is, on its own, a well-formed record with the
    /// header's number of fields (see ``lineIsRecord(_:from:eof:separator:expectedFields:)``).
    /// `nil` when the line's end is not buffered yet.
    func lineIsRecord(from: Int) -> Bool? {
        CSVRecordReader.lineIsRecord(UnsafeBufferPointer(start: buffer, count: end), from: from, eof: atEOF,
                                     separator: separator, expectedFields: expectedFields)
    }

    private func fill() throws {
        previous.leadEnd = -1  // (the bytes move)
        if start > 0 {
            let live = end - start
            if live > 0 { (buffer).update(from: buffer + start, count: live) }
            end = live
            start = 0
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let n = try source(UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n <= 0 {
            atEOF = true
        } else {
            end += n
            bytesRead += n
        }
    }
}
