import XCTest
@testable import SessionIngest

final class CSVRecordReaderTests: XCTestCase {
    /// All records of `text` as arrays of field strings, with their start lines.
    func records(_ text: String, separator: Character = ",", chunk: Int? = nil) throws -> [(Int, [String])] {
        try records(Array(text.utf8), separator: separator, chunk: chunk)
    }

    func records(_ bytes: [UInt8], separator: Character = ",", chunk: Int? = nil) throws -> [(Int, [String])] {
        let reader: CSVRecordReader
        if let chunk {
            var offset = 0
            reader = CSVRecordReader(separator: separator.asciiValue!, bufferSize: 64) { out in
                let n = min(chunk, out.count, bytes.count - offset)
                for i in 0..<n { out[i] = bytes[offset + i] }
                offset += n
                return n
            }
        } else {
            reader = CSVRecordReader(bytes: bytes, separator: separator.asciiValue!)
        }
        var out: [(Int, [String])] = []
        while try reader.next() {
            out.append((reader.line, (0..<reader.fieldCount).map { i in reader.withField(i) { String(decoding: $0, as: UTF8.self) } }))
        }
        return out
    }

    func testQuotedFieldsHoldSeparatorsQuotesAndLineBreaks() throws {
        let text = "id,name,notes\r\nP1,\"O'Brien, \"\"Jack\"\"\",\"line one\nline two\"\r\nP2,plain,\r\n"
        let r = try records(text)
        XCTAssertEqual(r.map(\.1), [["id", "name", "notes"], ["P1", "O'Brien, \"Jack\"", "line one\nline two"], ["P2", "plain", ""]])
        XCTAssertEqual(r.map(\.0), [1, 2, 4], "a record starts on the physical line where it begins")
    }

    func testLineEndingsLFCRLFAndCRAndNoFinalNewline() throws {
        XCTAssertEqual(try records("a,b\nc,d").map(\.1), [["a", "b"], ["c", "d"]])
        XCTAssertEqual(try records("a,b\r\nc,d\r\n").map(\.1), [["a", "b"], ["c", "d"]])
        XCTAssertEqual(try records("a,b\rc,d\r").map(\.1), [["a", "b"], ["c", "d"]])
        XCTAssertEqual(try records("a,b\rc,d\r").map(\.0), [1, 2])
    }

    func testBlankLinesAreSkippedButCounted() throws {
        let r = try records("h\n\nx\n\n\ny\n")
        XCTAssertEqual(r.map(\.1), [["h"], ["x"], ["y"]])
        XCTAssertEqual(r.map(\.0), [1, 3, 6])
    }

    func testOtherSeparators() throws {
        XCTAssertEqual(try records("a;b;\"c;d\"\n", separator: ";").map(\.1), [["a", "b", "c;d"]])
        XCTAssertEqual(try records("a\tb\n", separator: "\t").map(\.1), [["a", "b"]])
    }

    func testMalformedQuotingIsReportedNotGuessed() throws {
        let reader = CSVRecordReader(bytes: Array("a,\"never closed\nb,c\n".utf8))
        XCTAssertTrue(try reader.next())
        XCTAssertEqual(reader.malformed, "a quoted field is never closed")
        let stray = CSVRecordReader(bytes: Array("a,\"x\"y,z\n".utf8))
        XCTAssertTrue(try stray.next())
        XCTAssertEqual(stray.malformed, "text after a closing quote")
        XCTAssertEqual(stray.fieldCount, 3)
    }

    func testRawBytesAreTheRecordAsWritten() throws {
        let reader = CSVRecordReader(bytes: Array("h1,h2\r\n\"a,\"\"b\",c\r\n".utf8))
        _ = try reader.next()
        _ = try reader.next()
        XCTAssertEqual(String(decoding: reader.rawBytes, as: UTF8.self), "\"a,\"\"b\",c")
    }

    /// Property: any table of fields, written as RFC 4180 CSV, reads back exactly, whatever the
    /// chunk sizes the bytes arrive in.
    func testRandomValidCSVReadsBackExactlyAcrossChunkBoundaries() throws {
        var rng = SplitMix64(seed: 0xAD4E)
        let alphabet: [Character] = ["a", "b", "Z", "0", "9", " ", ",", "\"", "\n", "\r", "é", "ß", "😀", ";", "\t"]
        for round in 0..<300 {
            let columns = 1 + Int(rng.next() % 5)
            let rows = 1 + Int(rng.next() % 6)
            var table: [[String]] = []
            for _ in 0..<rows {
                table.append((0..<columns).map { _ in
                    String((0..<Int(rng.next() % 7)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
                })
            }
            // A record of one empty field is a blank line, which readers skip: give such rows a value.
            for r in table.indices where columns == 1 && table[r][0].isEmpty { table[r][0] = "x" }
            let ending = ["\n", "\r\n", "\r"][Int(rng.next() % 3)]
            let text = table.map { row in
                row.map { f in
                    f.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) || f.isEmpty && Bool.random(using: &rng)
                        ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
                }.joined(separator: ",")
            }.joined(separator: ending) + (rng.next() % 2 == 0 ? ending : "")
            let chunk = 1 + Int(rng.next() % 9)
            let back = try records(text, chunk: chunk).map(\.1)
            XCTAssertEqual(back, table, "round \(round), chunk \(chunk): \(text.debugDescription)")
        }
    }

    /// Property: random bytes never crash the reader, and every byte ends up in some record.
    func testRandomBytesNeverCrash() throws {
        var rng = SplitMix64(seed: 42)
        let interesting: [UInt8] = [0x2C, 0x22, 0x0A, 0x0D, 0x3B, 0x00, 0xFF, 0xC3, 0x41]
        for _ in 0..<500 {
            let n = Int(rng.next() % 200)
            let bytes = (0..<n).map { _ in rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : interesting[Int(rng.next() % UInt64(interesting.count))] }
            let r = try records(bytes, chunk: 1 + Int(rng.next() % 16))
            XCTAssertLessThanOrEqual(r.count, n + 1)
        }
    }

    func testFilesAreHashedWhileRead() throws {
        func digest(_ data: Data) throws -> String? {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-hash-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: url) }
            try data.write(to: url)
            let input = try InputSource(path: url.path, hashing: true, encoding: nil)
            let reader = CSVRecordReader(bufferSize: 4096, source: input.source)
            while try reader.next() {}
            return input.sha256
        }
        // FIPS 180-2 examples: SHA-256 of "abc", and of one million 'a' (read in many buffers).
        XCTAssertEqual(try digest(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(try digest(Data(repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

/// A small deterministic random generator for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
