/// Text encodings adhere reads. Detected per file unless forced.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case utf16 = "utf-16"
}

/// An input file's bytes as UTF-8 (UTF-16 files, as Excel's "Unicode text" writes them, are
/// converted on the fly), with the SHA-256 and size of the file as stored.
final class InputSource {
    let path: String
    /// The file's bytes from its start.
    private let raw: ByteSource
    private var digest: FileDigest?
    private(set) var rawBytes = 0
    /// "UTF-16 LE", "UTF-16 BE", or nil for byte-oriented files (UTF-8 / Windows-1252).
    private(set) var utf16: String?
    private var head: [UInt8] = []
    private var headOffset = 0
    private var bigEndian = false
    private var pendingUnit: [UInt8] = []
    private var highSurrogate: UInt16?
    private var converted: [UInt8] = []
    private var convertedOffset = 0

    /// `opened`: the file as opened already (a large file's, shared by its parts, see
    /// ``FilePart/file``), read from its start whatever else reads it; else `path` is opened.
    init(path: String, opened: FileBytes? = nil, hashing: Bool, encoding: TextEncoding?) throws {
        self.path = path
        raw = try opened.map { $0.source(from: 0) } ?? FileBytes(path: path).source
        digest = hashing ? FileDigest() : nil
        // Read the start of the file to look for a UTF-16 byte-order mark.
        var first = [UInt8](repeating: 0, count: 4096)
        let n = try first.withUnsafeMutableBytes { try raw($0) }
        head = Array(first[0..<max(0, n)])
        rawBytes = head.count
        head.withUnsafeBytes { digest?.update($0) }
        if head.starts(with: [0xFF, 0xFE]) {
            utf16 = "UTF-16 LE"; headOffset = 2
        } else if head.starts(with: [0xFE, 0xFF]) {
            utf16 = "UTF-16 BE"; headOffset = 2; bigEndian = true
        } else if encoding == .utf16 {
            utf16 = "UTF-16 LE"
        }
    }

    /// SHA-256 of the file as stored.
    var sha256: String? { digest?.hex() }

    /// The file's content as UTF-8 bytes.
    var source: ByteSource {
        { [self] out in try self.fill(out) }
    }

    private func readRaw(_ out: UnsafeMutableRawBufferPointer) throws -> Int {
        if headOffset < head.count {
            let n = min(out.count, head.count - headOffset)
            head.withUnsafeBytes { out.baseAddress!.copyMemory(from: $0.baseAddress! + headOffset, byteCount: n) }
            headOffset += n
            return n
        }
        let n = try raw(out)
        if n > 0 {
            rawBytes += n
            digest?.update(UnsafeRawBufferPointer(start: out.baseAddress, count: n))
        }
        return n
    }

    private func fill(_ out: UnsafeMutableRawBufferPointer) throws -> Int {
        guard utf16 != nil else { return try readRaw(out) }
        while convertedOffset == converted.count {
            converted.removeAll(keepingCapacity: true)
            convertedOffset = 0
            var raw = [UInt8](repeating: 0, count: 65_536)
            let n = try raw.withUnsafeMutableBytes { try readRaw($0) }
            if n == 0 {
                if !pendingUnit.isEmpty || highSurrogate != nil { appendScalar(0xFFFD); pendingUnit = []; highSurrogate = nil }
                if converted.isEmpty { return 0 }
                break
            }
            var bytes = pendingUnit + raw[0..<n]
            pendingUnit = []
            if bytes.count % 2 == 1 { pendingUnit = [bytes.removeLast()] }
            var i = 0
            while i < bytes.count {
                let unit = bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i])
                i += 2
                if let high = highSurrogate {
                    highSurrogate = nil
                    if (0xDC00...0xDFFF).contains(unit) {
                        appendScalar(0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00))
                        continue
                    }
                    appendScalar(0xFFFD)
                }
                if (0xD800...0xDBFF).contains(unit) { highSurrogate = unit; continue }
                if (0xDC00...0xDFFF).contains(unit) { appendScalar(0xFFFD); continue }
                appendScalar(UInt32(unit))
            }
        }
        let n = min(out.count, converted.count - convertedOffset)
        converted.withUnsafeBytes { out.baseAddress!.copyMemory(from: $0.baseAddress! + convertedOffset, byteCount: n) }
        convertedOffset += n
        return n
    }

    private func appendScalar(_ v: UInt32) {
        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
        converted.append(contentsOf: Array(String(scalar).utf8))
    }
}
