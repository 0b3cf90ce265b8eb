/// Where a record may start, and where a run of plain bytes ends: the byte-level questions the
/// reader, the broken-quote containment and the one-file split into parts (``FileParts``) ask,
/// answered on a buffer without the reader's state.
extension CSVRecordReader {
    /// Whether the line starting at `from` in `buf` is, on its own, a well-formed record with
    /// `expectedFields` fields (more only when the extra ones are empty, as spreadsheets add):
    /// every quoted field closed on the line and followed by a separator or the line end, no
    /// quote inside an unquoted field. `nil` when `buf` ends before the line does and `eof` is
    /// false (more bytes are needed to tell).
    static func lineIsRecord(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, eof: Bool, separator sep: UInt8,
                             expectedFields: Int) -> Bool? {
        let buf = bytes.baseAddress!, end = bytes.count
        let quote = CSVRecordReader.quote, lf = CSVRecordReader.lf, cr = CSVRecordReader.cr
        var p = from
        var count = 0
        var lastFilled = -1
        while true {
            let fieldBegin = p
            if p < end && buf[p] == quote {
                var q = p + 1
                while true {
                    if q >= end { return eof ? false : nil }
                    let c = buf[q]
                    if c == quote {
                        if q + 1 == end && !eof { return nil }
                        if q + 1 < end && buf[q + 1] == quote { q += 2; continue }
                        break
                    }
                    if c == lf || c == cr { return false }
                    q += 1
                }
                p = q + 1
                if p < end, buf[p] != sep, buf[p] != lf, buf[p] != cr { return false }
            } else {
                while p < end, buf[p] != sep, buf[p] != lf, buf[p] != cr {
                    if buf[p] == quote { return false }
                    p += 1
                }
            }
            if p > fieldBegin { lastFilled = count }
            count += 1
            if p >= end && !eof { return nil }
            if p >= end || buf[p] != sep { break }
            p += 1
        }
        if count == 1 && lastFilled < 0 { return false } // a blank line
        return count == expectedFields || (count > expectedFields && lastFilled < expectedFields)
    }

    /// The first line start at or after `from` in `bytes` whose line is a record on its own
    /// (``lineIsRecord(_:from:eof:separator:expectedFields:)``): after a line feed, or after a
    /// carriage return not followed by one. `.needMore` when `bytes` ends before that can be
    /// told (and `eof` is false); `.none` when there is no such line.
    enum RecordLine: Equatable { case at(Int), needMore, none }
    static func firstRecordLine(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, eof: Bool, separator: UInt8,
                                expectedFields: Int) -> RecordLine {
        var i = from
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            i += 1
            guard c == lf || c == cr else { continue }
            if c == cr {
                if i == n { return eof ? .none : .needMore }
                if bytes[i] == lf { continue } // the line ends at the LF of this CRLF
            }
            switch lineIsRecord(bytes, from: i, eof: eof, separator: separator, expectedFields: expectedFields) {
            case true?: return .at(i)
            case nil: return .needMore
            case false?: continue
            }
        }
        return eof ? .none : .needMore
    }

    /// The end of a run of ordinary bytes starting at `from`: the position of the first
    /// separator, quote, CR or LF, or `to`. Looks at 16 bytes at a time (fields are mostly
    /// shorter than that), then byte by byte for the last few.
    @inline(__always)
    static func unquotedRun(_ buf: UnsafeMutablePointer<UInt8>, from: Int, to end: Int, separator: UInt8,
                            special: UnsafeMutablePointer<Bool>) -> Int {
        var q = from
        let sepV = SIMD16<UInt8>(repeating: separator)
        let quoteV = SIMD16<UInt8>(repeating: quote), lfV = SIMD16<UInt8>(repeating: lf), crV = SIMD16<UInt8>(repeating: cr)
        while q + 16 <= end {
            let v = UnsafeRawPointer(buf + q).loadUnaligned(as: SIMD16<UInt8>.self)
            let hit = (v .== sepV) .| (v .== quoteV) .| (v .== lfV) .| (v .== crV)
            // (The mask's lanes are 0 or all ones, looked at as two words: the generic `any`
            // is not inlined, and was a call per 16 bytes.)
            let marks = unsafeBitCast(hit, to: (UInt64, UInt64).self)
            if marks.0 | marks.1 != 0 {
                return q + (marks.0 != 0 ? marks.0.trailingZeroBitCount >> 3 : 8 + marks.1.trailingZeroBitCount >> 3)
            }
            q += 16
        }
        while q < end && !special[Int(buf[q])] { q += 1 }
        return q
    }
}
