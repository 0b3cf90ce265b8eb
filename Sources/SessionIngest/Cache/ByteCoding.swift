/// Writes values as bytes for ``HistoryCache``: integers as LEB128 varints (signed ones
/// zigzagged first), texts as their UTF-8 length then bytes, optionals as a flag byte then the
/// value. Nothing here is meant to outlive one format version (``HistoryCache/formatVersion``).
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ v: UInt8) { bytes.append(v) }

    mutating func unsigned(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func int(_ v: Int) { unsigned(UInt64(bitPattern: Int64(v) << 1 ^ Int64(v) >> 63)) }

    mutating func count(_ n: Int) { unsigned(UInt64(n)) }

    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func strings(_ list: [String]) {
        count(list.count)
        for s in list { string(s) }
    }

    /// A flag byte, then the value when there is one.
    mutating func optional<T>(_ v: T?, _ write: (inout ByteWriter, T) -> Void) {
        bool(v != nil)
        if let v { write(&self, v) }
    }

    /// Eight bytes, little-endian (a checksum, read back without decoding).
    mutating func fixed(_ v: UInt64) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }
}

/// The cache's bytes did not decode: garbled, cut short, or of another layout.
struct CacheDamage: Error {}

/// Reads back what ``ByteWriter`` wrote; every read is bounds-checked and throws
/// ``CacheDamage`` past the end or on a value that cannot be (a varint longer than ten bytes,
/// a count larger than the bytes left).
struct ByteReader {
    let bytes: [UInt8]
    var at: Int
    let end: Int

    init(_ bytes: [UInt8], from: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        at = from
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var atEnd: Bool { at == end }

    mutating func byte() throws -> UInt8 {
        guard at < end else { throw CacheDamage() }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func unsigned() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw CacheDamage() }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    mutating func int() throws -> Int {
        let z = try unsigned()
        return Int(Int64(bitPattern: z >> 1 ^ (0 &- (z & 1))))
    }

    /// A count of things each at least one byte long: never more than the bytes left.
    mutating func count() throws -> Int {
        let n = try unsigned()
        guard n <= UInt64(end - at) else { throw CacheDamage() }
        return Int(n)
    }

    mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw CacheDamage()
        }
    }

    mutating func string() throws -> String {
        let n = try count()
        defer { at += n }
        return String(decoding: bytes[at..<at + n], as: UTF8.self)
    }

    mutating func strings() throws -> [String] {
        let n = try count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    mutating func optional<T>(_ read: (inout ByteReader) throws -> T) throws -> T? {
        try bool() ? try read(&self) : nil
    }

    mutating func fixed() throws -> UInt64 {
        guard end - at >= 8 else { throw CacheDamage() }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
        at += 8
        return v
    }

    /// Skips `n` bytes (a payload read later).
    mutating func skip(_ n: Int) throws {
        guard n >= 0, n <= end - at else { throw CacheDamage() }
        at += n
    }
}

/// FNV-1a, 64 bits, over the parts one after another: tells a cache entry damaged on disk
/// from the one written (not a defence against someone who can write the owner-only output
/// folder, who could write the reports).
func checksum(_ parts: ArraySlice<UInt8>...) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for bytes in parts {
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
    }
    return h
}
