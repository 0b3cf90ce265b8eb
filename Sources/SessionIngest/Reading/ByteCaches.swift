import CByteScan
import Foundation

/// The last bytes seen in a column, what they meant and their fingerprint: consecutive rows
/// mostly repeat the same patient, names and time stamp, so most lookups are one short
/// comparison, with no `String` and no hashing.
struct LastValueCache {
    /// Room for the bytes, grown and never shrunk: the first `count` are the last value's.
    private var room: [UInt8] = []
    private var count = 0
    var value: Int32 = -1
    /// Fingerprint of the bytes (for a row's duplicate check).
    var print = RowFingerprint()

    @inline(__always) func matches(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value >= 0, count == t.count else { return false }
        return room.withUnsafeBufferPointer { b in
            t.count == 0 || ByteCompare.equal(b.baseAddress!, t.baseAddress!, t.count)
        }
    }

    /// Remembers `t` as meaning `v` (and its fingerprint, unless the column's values never
    /// enter one, as with time stamps, which rows fingerprint as parsed).
    @inline(__always) mutating func store(_ t: UnsafeBufferPointer<UInt8>, _ v: Int32, fingerprint: Bool = true) {
        store(t, v, print: fingerprint ? RowFingerprint(t) : RowFingerprint())
    }

    /// Remembers `t` as meaning `v`, with its fingerprint known (``RowFingerprint/init(_:)`` of `t`).
    @inline(__always) mutating func store(_ t: UnsafeBufferPointer<UInt8>, _ v: Int32, print: RowFingerprint) {
        if room.count < t.count { room = [UInt8](repeating: 0, count: max(t.count, 2 * room.count, 32)) }
        if let from = t.baseAddress { room.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: from, count: t.count) } }
        count = t.count
        value = v
        self.print = print
    }
}

/// Equality of short byte runs (ids, names, time stamps) without a call to `memcmp`: 8 bytes
/// at a time, the last 8 (or for 4 to 7 bytes, the first and last 4) as overlapping loads, so
/// no run ends in a byte loop.
enum ByteCompare {
    @inline(__always) static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        #if arch(x86_64)
        if n >= 16 { return adhere_equal16(a, b, n) != 0 }  // (16 bytes at a time)
        #endif
        let (x, y) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        if n >= 8 {
            var i = 0
            while i &+ 8 < n {
                if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i &+= 8
            }
            return x.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        }
        if n >= 4 {
            return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                && x.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
        }
        var i = 0
        while i < n {
            if a[i] != b[i] { return false }
            i &+= 1
        }
        return true
    }
}

/// A hash of a short byte run (a key of ``ValueMemo`` or ``ByteKeyTable``): its bytes mixed 8
/// at a time (the last 8 overlapping, for any length of 8 or more; shorter runs byte by byte),
/// well mixed in its top bits.
enum ByteHash {
    @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = key.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        guard let base = key.baseAddress else { return h }
        let p = UnsafeRawPointer(base)
        if n >= 8 {
            var i = 0
            while i &+ 8 < n {
                h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                i &+= 8
            }
            h = (h ^ p.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
        } else {
            for i in 0..<n { h = (h ^ UInt64(key[i])) &* 0xFF51_AFD7_ED55_8CCD }
        }
        return h ^ (h >> 29)
    }
}

/// Texts kept once each, numbered in the order first seen.
final class StringTable {
    private(set) var texts: [String] = []
    private var index: [String: Int32] = [:]

    func intern(_ s: String) -> Int32 {
        if let i = index[s] { return i }
        let i = Int32(texts.count)
        texts.append(s)
        index[s] = i
        return i
    }
}
