/// Turns field bytes into text: UTF-8 when the bytes are valid UTF-8, otherwise Windows-1252
/// (what Excel on Windows writes for "CSV").
enum TextDecoding {
    /// Whether the bytes are valid UTF-8.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c < 0x80 { i += 1; continue }
            let len: Int
            if c & 0xE0 == 0xC0 { len = 2; if c < 0xC2 { return false } }
            else if c & 0xF0 == 0xE0 { len = 3 }
            else if c & 0xF8 == 0xF0 { len = 4; if c > 0xF4 { return false } }
            else { return false }
            guard i + len <= n else { return false }
            for k in 1..<len where bytes[i + k] & 0xC0 != 0x80 { return false }
            i += len
        }
        return true
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    static func windows1252(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes {
            let v: UInt32 = (0x80...0x9F).contains(b) ? cp1252High[Int(b) - 0x80] : UInt32(b)
            s.append(Unicode.Scalar(v) ?? "\u{FFFD}")
        }
        return String(s)
    }

    /// The text of the bytes, and whether Windows-1252 had to be used.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, legacy: Bool) {
        if isUTF8(bytes) { return (String(decoding: bytes, as: UTF8.self), false) }
        return (windows1252(bytes), true)
    }

    /// Text of field bytes in a file's encoding: as told by `--encoding`, else UTF-8 when
    /// valid and Windows-1252 when not (`legacy` then says so).
    static func decode(_ t: UnsafeBufferPointer<UInt8>, _ encoding: TextEncoding?) -> (String, legacy: Bool) {
        switch encoding {
        case .windows1252: return (windows1252(t), false)
        case .utf8, .utf16: return (String(decoding: t, as: UTF8.self), false)
        case nil: return text(t)
        }
    }
}
