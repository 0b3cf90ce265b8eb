#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a ``CSVRecordReader`` gets its bytes: fills the buffer, returns the count (0 at the end).
public typealias ByteSource = (UnsafeMutableRawBufferPointer) throws -> Int

/// A streaming RFC 4180 reader over bytes: quoted fields may hold separators, quotes (`""`)
/// and line breaks; records end with LF, CRLF or CR. It never builds a `String` for a field:
/// callers look at each field's bytes in place.
///
/// Memory stays at one buffer (1 MiB, grown only for a single record larger than that),
/// whatever the size of the file.
public final class CSVRecordReader {
    /// The field separator byte (`,` `;` tab or `|`).
    public var separator: UInt8
    private let source: ByteSource
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var nextLine = 1
    private var hasher: SHA256?

    /// Bytes read from the source so far.
    public private(set) var bytesRead = 0
    /// Physical line (1-based) on which the current record starts.
    public private(set) var line = 0
    /// Number of fields of the current record.
    public private(set) var fieldCount = 0
    /// Whether the current record is malformed (a stray quote, or a quote never closed).
    public private(set) var malformed: String?

    private var starts: [Int] = []
    private var ends: [Int] = []
    private var escaped: [Bool] = []
    private var recordStart = 0
    private var recordEnd = 0
    private var scratch: [UInt8] = []

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// - Parameters:
    ///   - separator: the field separator.
    ///   - hashing: also compute the SHA-256 of every byte read.
    ///   - bufferSize: initial buffer size.
    ///   - source: fills a buffer with the next bytes.
    public init(separator: UInt8 = UInt8(ascii: ","), hashing: Bool = false, bufferSize: Int = 1 << 20,
                source: @escaping ByteSource) {
        self.separator = separator
        self.source = source
        self.capacity = max(bufferSize, 64)
        self.buffer = .allocate(capacity: capacity)
        self.hasher = hashing ? SHA256() : nil
        starts.reserveCapacity(32)
        ends.reserveCapacity(32)
        escaped.reserveCapacity(32)
    }

    /// A reader over bytes in memory.
    public convenience init(bytes: [UInt8], separator: UInt8 = UInt8(ascii: ",")) {
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

    deinit { buffer.deallocate() }

    /// SHA-256 of all bytes read; call after the last record.
    public func digest() -> String? {
        guard var h = hasher else { return nil }
        return h.finalizeHex()
    }

    /// Bytes at the very start of the input, without consuming them (for BOM and dialect sniffing).
    public func peek(_ count: Int) throws -> [UInt8] {
        while end - start < count && !atEOF { try fill() }
        return Array(UnsafeBufferPointer(start: buffer + start, count: min(count, end - start)))
    }

    /// Skips `count` bytes at the current position (a byte-order mark).
    public func skip(_ count: Int) throws {
        _ = try peek(count)
        start += min(count, end - start)
    }

    /// Moves to the next non-empty record. Returns `false` at the end of the input.
    public func next() throws -> Bool {
        while true {
            if start == end {
                if atEOF { return false }
                try fill()
                continue
            }
            switch parse() {
            case .record(let consumed, let newlines):
                line = nextLine
                nextLine += newlines
                start = consumed
                if fieldCount == 1 && ends[0] == starts[0] && !isQuoted(0) { continue } // blank line
                return true
            case .needMore:
                try fill()
            }
        }
    }

    /// The bytes of field `index` (unquoted, `""` turned into `"`), valid until the next call.
    @inline(__always)
    public func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if escaped[index] {
            scratch.removeAll(keepingCapacity: true)
            var i = starts[index]
            let e = ends[index]
            while i < e {
                let c = buffer[i]
                scratch.append(c)
                i += (c == CSVRecordReader.quote && i + 1 < e && buffer[i + 1] == CSVRecordReader.quote) ? 2 : 1
            }
            return try scratch.withUnsafeBufferPointer(body)
        }
        return try body(UnsafeBufferPointer(start: buffer + starts[index], count: ends[index] - starts[index]))
    }

    /// The record exactly as written (without its line ending).
    public var rawBytes: [UInt8] {
        Array(UnsafeBufferPointer(start: buffer + recordStart, count: recordEnd - recordStart))
    }

    private func isQuoted(_ index: Int) -> Bool {
        starts[index] > recordStart && buffer[starts[index] - 1] == CSVRecordReader.quote
    }

    private enum Step { case record(consumed: Int, newlines: Int), needMore }

    private func parse() -> Step {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        malformed = nil
        let sep = separator
        let buf = buffer
        var p = start
        var newlines = 0
        recordStart = start
        while true {
            // Start of a field.
            if p < end && buf[p] == CSVRecordReader.quote {
                var q = p + 1
                var hasEscape = false
                var closed = false
                while q < end {
                    let c = buf[q]
                    if c == CSVRecordReader.quote {
                        if q + 1 == end && !atEOF { return .needMore }
                        if q + 1 < end && buf[q + 1] == CSVRecordReader.quote { hasEscape = true; q += 2; continue }
                        closed = true
                        break
                    }
                    if c == CSVRecordReader.lf { newlines += 1 }
                    else if c == CSVRecordReader.cr && (q + 1 >= end || buf[q + 1] != CSVRecordReader.lf) { newlines += 1 }
                    q += 1
                }
                if !closed {
                    if !atEOF { return .needMore }
                    malformed = "a quoted field is never closed"
                    starts.append(p + 1); ends.append(end); escaped.append(hasEscape)
                    recordEnd = end
                    fieldCount = starts.count
                    return .record(consumed: end, newlines: newlines)
                }
                starts.append(p + 1); ends.append(q); escaped.append(hasEscape)
                p = q + 1
                if p < end, buf[p] != sep, buf[p] != CSVRecordReader.lf, buf[p] != CSVRecordReader.cr {
                    // Text after the closing quote: keep it, but the record is malformed.
                    malformed = "text after a closing quote"
                    while p < end, buf[p] != sep, buf[p] != CSVRecordReader.lf, buf[p] != CSVRecordReader.cr { p += 1 }
                    ends[ends.count - 1] = p
                }
            } else {
                var q = p
                while q < end {
                    let c = buf[q]
                    if c == sep || c == CSVRecordReader.lf || c == CSVRecordReader.cr { break }
                    if c == CSVRecordReader.quote { malformed = "a quote inside an unquoted field" }
                    q += 1
                }
                starts.append(p); ends.append(q); escaped.append(false)
                p = q
            }
            // After a field: separator, line end, or end of input.
            if p == end {
                if !atEOF { return .needMore }
                recordEnd = end
                fieldCount = starts.count
                return .record(consumed: end, newlines: newlines)
            }
            let c = buf[p]
            if c == sep { p += 1; continue }
            recordEnd = p
            if c == CSVRecordReader.cr {
                if p + 1 == end && !atEOF { return .needMore }
                p += (p + 1 < end && buf[p + 1] == CSVRecordReader.lf) ? 2 : 1
            } else {
                p += 1
            }
            fieldCount = starts.count
            return .record(consumed: p, newlines: newlines + 1)
        }
    }

    private func fill() throws {
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
            hasher?.update(UnsafeRawBufferPointer(start: buffer + end, count: n))
            end += n
            bytesRead += n
        }
    }
}

/// Errors opening or reading an input file.
public struct FileReadError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Opens `path` for reading and returns a byte source over it, closed when released.
public final class FileBytes: @unchecked Sendable {
    public let path: String
    private let fd: Int32

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw FileReadError(path: path, reason: "cannot be opened (\(String(cString: strerror(errno))))")
        }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw FileReadError(path: path, reason: "is a folder, not a file")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    public var source: ByteSource {
        { [self] out in
            while true {
                let n = read(self.fd, out.baseAddress, out.count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw FileReadError(path: self.path, reason: "could not be read (\(String(cString: strerror(errno))))")
            }
        }
    }
}
