import XCTest
@testable import SessionIngest

final class CSVRecordReaderTests: XCTestCase {
    /// All records of `text` as arrays of field strings, with their start lines.
    func records(_ text: String, separator: Character = ",", chunk: Int? = nil) throws -> [(Int, [String])] {
        try records(Array(text.utf8), separator: separator, chunk: chunk)
    }

    func records(_ bytes: [UInt8], separator: Character = ",", chunk: Int? = nil) throws -> [(Int, [String])] {
        try recordsWithProblems(bytes, separator: separator, chunk: chunk).map { ($0.0, $0.1) }
    }

    /// Records with their start line, fields and problem; with `contained`, the header's field
    /// count is given to the reader after the first record (as the session-log reader does).
    func recordsWithProblems(_ bytes: [UInt8], separator: Character = ",", chunk: Int? = nil,
                             contained: Bool = false) throws -> [(Int, [String], String?)] {
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
        var out: [(Int, [String], String?)] = []
        while try reader.next() {
            out.append((reader.line, (0..<reader.fieldCount).map { i in reader.withField(i) { String(decoding: $0, as: UTF8.self) } },
                        reader.malformed))
            if contained && out.count == 1 { reader.expectedFields = reader.fieldCount }
        }
        return out
    }

    /// A quote that never closes may not swallow the rows after it: the field cannot run
    /// across a line break into a line that is a row of its own (3 fields, like the header).
    /// Legitimate quoted fields, with separators or line breaks, still read whole.
    func testAStrayQuoteCostsOneRowNotTheRestOfTheFile() throws {
        for ending in ["\n", "\r\n", "\r"] {
            let text = ["id,date,notes", "P1,d1,ok", "P2,d2,ok", "P3,d3,\"knee sore", "P4,d4,ok", "P5,d5,\"fine, thanks\"",
                        "P6,d6,\"line one", "line two\"", "P7,d7,ok"].joined(separator: ending) + ending
            for chunk in [nil, 1, 2, 3, 5, 7] {
                let r = try recordsWithProblems(Array(text.utf8), chunk: chunk, contained: true)
                let what = "\(ending.debugDescription), chunk \(chunk.map(String.init) ?? "all")"
                XCTAssertEqual(r.map(\.1), [["id", "date", "notes"], ["P1", "d1", "ok"], ["P2", "d2", "ok"], ["P3", "d3", "knee sore"],
                                            ["P4", "d4", "ok"], ["P5", "d5", "fine, thanks"], ["P6", "d6", "line one\(ending)line two"],
                                            ["P7", "d7", "ok"]], what)
                XCTAssertEqual(r.map(\.0), [1, 2, 3, 4, 5, 6, 7, 9], what)
                XCTAssertEqual(r.map(\.2), [nil, nil, nil, "a quote opens a field that is not closed before the next row", nil, nil, nil, nil], what)
            }
        }
        // The broken record's raw text is its own line only, without the line end.
        let reader = CSVRecordReader(bytes: Array("a,b\r\nx,\"y\r\nc,d\r\n".utf8))
        _ = try reader.next()
        reader.expectedFields = 2
        _ = try reader.next()
        XCTAssertEqual(String(decoding: reader.rawBytes, as: UTF8.self), "x,\"y")
        XCTAssertTrue(try reader.next())
        XCTAssertEqual(reader.line, 3)
        XCTAssertEqual(reader.withField(0) { String(decoding: $0, as: UTF8.self) }, "c")
    }

    /// Lines that are not rows of their own (wrong field count, a quote of their own) do not
    /// stop the open field; a blank line does not either.
    func testAnOpenQuoteRunsOnlyOverLinesThatAreNotRows() throws {
        let text = "id,date,notes\nP1,d1,\"a\n\njust text\nx,y\nP2,d2,\"q\"\nP3,d3,ok\n"
        let r = try recordsWithProblems(Array(text.utf8), contained: true)
        // "x,y" has 2 fields, not 3; "P2,d2,"q"" is a row of its own: the field stops before it.
        XCTAssertEqual(r.map(\.0), [1, 2, 6, 7])
        XCTAssertEqual(r[1].1, ["P1", "d1", "a\n\njust text\nx,y"])
        XCTAssertNotNil(r[1].2)
        XCTAssertEqual(r[2].1, ["P2", "d2", "q"])
        XCTAssertNil(r[2].2)
    }

    /// However the lines look, one quoted field holds at most 1,000 line breaks.
    func testAnOpenQuoteRunsOverAtMostAThousandLines() throws {
        // Line 2 opens a quote; lines 3-1501 are "x". The 1,001st line break inside the field
        // (the end of line 1002) ends the record; lines 1003-1501 are 499 records of their own.
        let text = "a\n\"" + String(repeating: "x\n", count: 1500)
        let r = try recordsWithProblems(Array(text.utf8))
        XCTAssertEqual(r.count, 501)
        XCTAssertEqual(r[1].0, 2)
        XCTAssertEqual(r[1].2, "a quoted field runs over more than 1000 lines")
        XCTAssertEqual(r[2].0, 1003)
        XCTAssertEqual(r.last?.0, 1501)
        XCTAssertTrue(r[2...].allSatisfy { $0.1 == ["x"] && $0.2 == nil })
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

    /// The rejects file's fields: RFC 4180 quoting, formulas guarded with `'`, numbers left alone
    /// (expected texts written out by hand).
    func testRejectsFileFieldsAreQuotedAndNeverRunAsFormulas() {
        let cases: [(String, String)] = [
            ("plain", "plain"), ("", ""), ("-3", "-3"), ("+5", "+5"), ("-3.5", "-3.5"), ("12", "12"),
            ("-3,5", "\"-3,5\""),
            ("=SUM(A1)", "\"'=SUM(A1)\""), ("@SUM(A1)", "\"'@SUM(A1)\""), ("+1+1", "\"'+1+1\""), ("-", "\"'-\""),
            ("-3+cmd|' /C calc'!A0", "\"'-3+cmd|' /C calc'!A0\""),
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("\tx", "\"'\tx\""), ("\rx", "\"'\rx\""),
            ("a\r\nb", "\"a\r\nb\""), ("a\nb", "\"a\nb\""), ("a\rb", "\"a\rb\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("a,b", "\"a,b\""), (" x", "\" x\""),
            ("'=x", "\"''=x\""), ("''", "\"'''\""), ("'x", "'x"), ("x=1", "x=1"),
        ]
        for (text, written) in cases {
            XCTAssertEqual(RejectsFormat.csvField(text), written, text.debugDescription)
        }
    }

    /// Whatever the text, a rejects file's field reads back as it was (the guard removed once).
    func testRejectsFileFieldsReadBackExactly() throws {
        let texts = ["=SUM(A1)", "-3", "-3,5", "@x", "\tx", "\rx", "'=x", "''", "'x", "a\r\nb", "say \"hi\"", "+1+1", "-", "'", "plain"]
        let header = (["patient_id"] + RejectsFormat.extraColumns).joined(separator: ",")
        let text = header + "\n" + texts.map { RejectsFormat.csvField($0) + ",f,1,r,raw" }.joined(separator: "\n") + "\n"
        let reader = CSVRecordReader(bytes: Array(text.utf8))
        _ = try reader.next()
        reader.unguardFormulas = true
        var back: [String] = []
        while try reader.next() { back.append(reader.withField(0) { String(decoding: $0, as: UTF8.self) }) }
        XCTAssertEqual(back, texts)
        XCTAssertTrue(RejectsFormat.isRejectsFileName("rejects-2026-10.csv"))
        XCTAssertTrue(RejectsFormat.isRejectsFileName("REJECTS-2026-10.CSV"))
        XCTAssertFalse(RejectsFormat.isRejectsFileName("rejects-2026-1.csv"))
        XCTAssertFalse(RejectsFormat.isRejectsFileName("my-rejects-2026-10.csv"))
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

    /// Property: random bytes never crash the reader, and every byte ends up in exactly one
    /// record, in order: the records' raw bytes, put end to end, are the input, but for the
    /// line breaks that end records or make blank lines.
    func testRandomBytesNeverCrashAndEveryByteEndsUpInARecord() throws {
        var rng = SplitMix64(seed: 42)
        let interesting: [UInt8] = [0x2C, 0x22, 0x0A, 0x0D, 0x3B, 0x00, 0xFF, 0xC3, 0x41]
        func withoutLineBreaks(_ b: [UInt8]) -> [UInt8] { b.filter { $0 != 0x0A && $0 != 0x0D } }
        for round in 0..<500 {
            let n = Int(rng.next() % 200)
            let bytes = (0..<n).map { _ in rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : interesting[Int(rng.next() % UInt64(interesting.count))] }
            var offset = 0
            let chunk = 1 + Int(rng.next() % 16)
            let reader = CSVRecordReader(separator: UInt8(ascii: ","), bufferSize: 64) { out in
                let k = min(chunk, out.count, bytes.count - offset)
                for i in 0..<k { out[i] = bytes[offset + i] }
                offset += k
                return k
            }
            var raw: [UInt8] = []
            var records = 0
            while try reader.next() {
                raw += reader.rawBytes
                records += 1
                if records == 1 { reader.expectedFields = reader.fieldCount }  // as the session-log reader does
            }
            XCTAssertEqual(withoutLineBreaks(raw), withoutLineBreaks(bytes), "round \(round), chunk \(chunk): \(bytes)")
            XCTAssertLessThanOrEqual(records, n + 1)
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

/// The byte-level shortcuts of the row loop, against the plain definitions they replace.
final class ByteShortcutTests: XCTestCase {
    /// Records wider than the reader's first room for fields read whole, whether the fast path
    /// or the general one reads them (the fast path wants room for 65 fields more than it has
    /// read): records of 200 unquoted fields, then 65, one with a quote, 64, 300 and 192, each
    /// field its own number.
    func testRecordsWiderThanTheFieldRoomReadWhole() throws {
        let widths = [200, 65, 3, 64, 300, 192]
        var text = ""
        for (k, n) in widths.enumerated() {
            text += (0..<n).map { k == 2 && $0 == 1 ? "\"a,\"\"b\"" : "\($0)" }.joined(separator: ",") + "\n"
        }
        let reader = CSVRecordReader(bytes: Array(text.utf8))
        var records: [(line: Int, fields: [String])] = []
        while try reader.next() {
            records.append((reader.line, (0..<reader.fieldCount).map { i in reader.withField(i) { String(decoding: $0, as: UTF8.self) } }))
        }
        XCTAssertEqual(records.map(\.fields.count), widths)
        XCTAssertEqual(records[0].fields.last, "199")
        XCTAssertEqual(records[1].fields[64], "64")
        XCTAssertEqual(records[2].fields, ["0", "a,\"b", "2"])
        XCTAssertEqual(records[4].fields.last, "299")
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4, 5, 6])
    }

    /// A one-patient read passes over lines that cannot hold the id without splitting them.
    /// Read with the pass-over and without, the same input gives the same records holding the
    /// id (same lines, same fields), and every other record is counted as passed or read:
    /// random inputs of ids that are and are not the one wanted, quoted fields with line
    /// breaks, CRLF, lone CRs, blank lines, small buffers filled a few bytes at a time, and a
    /// stop offset at a record boundary (a part of a file).
    func testPassingOverLinesKeepsEveryRecordThatCouldHoldTheId() throws {
        var rng = SplitMix64(seed: 0x7E4D)
        let pieces = ["P1", "P12", "P1", "xP1", "a", "bb", ",", ",", ",", "\n", "\n", "\r\n", "\r", "\"", "\"q,\nP1\"", "  ",
                      "\"a\"", "\"P1\"", "\"\"", "\"x,y\"", ",\"b\",", "\"c\"\"d\"", "\"e\r\nf\"", "\"g\"\n", "\"Q\"\r\n"]
        for round in 0..<6_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...60, using: &rng) { text += pieces.randomElement(using: &rng)! }
            let bytes = Array(text.utf8)
            let chunk = [1, 3, 7, 64, 4096][round % 5]
            // A stop offset at a record boundary, as parts are cut.
            var stop = Int.max
            if round % 3 == 0 {
                let plain = try read(bytes, chunk: chunk, stop: .max, skip: nil)
                if plain.records.count > 1 { stop = plain.records[plain.records.count / 2].offset }
            }
            try assertPassingOverReadsAsPlain(bytes, chunk: chunk, stop: stop, "round \(round): \(text.debugDescription)")
        }
    }

    /// Lines whose quotes a parity count alone would misread, among long plain lines (the
    /// pass-over looks at 16 bytes at a time): a stray quote and then one that opens a field
    /// (two quotes, even, yet the second field runs over the line break; also after a field's
    /// closing quote), text after a closing quote, doubled quotes, line breaks inside quotes,
    /// quoted CRLF files.
    func testPassingOverReadsQuotesAsTheParserDoes() throws {
        let filler = "Q9,aaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb\n"
        let tricky = ["Q1,a\",\"b-xxxxxxxxxxxxxxxxxxxxxxxx\nc\",d\n", "Q1,\"a\"b,\"c-xxxxxxxxxxxxxxxxxxxxxx\nd\"\n",
                      "Q1,\"a\"\"b\",c-xxxxxxxxxxxxxxxxxxxxxxxxxx\n", "Q1,\"a-xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nb\",c\n",
                      "\"Q1\",\"a-xxxxxxxxxxxxxxxxxxxx\"\r\n\"Q2\",\"b\"\r\n", "Q1,x\"\"\"y,\"z\nP1\",w\n",
                      "Q1,\"\",\"\"\"\",\"-xxxxxxxxxxxxxxxxxx\nP1\"\n", "Q1,\"P1\",b-xxxxxxxxxxxxxxxxxxxxxxxxxx\n",
                      "Q1,a\",\",x-xxxxxxxxxxxxxxxxxxxxxxxxxx\ny\",z\n", "Q1,\"a\"b\",\",x-xxxxxxxxxxxxxxxxxxxxxx\ny\",z\n",
                      "Q1,\"a \"\"b\"\" c\",d-xxxxxxxxxxxxxxxxxxxxxx\n"]
        for (n, line) in tricky.enumerated() {
            for before in 0..<4 {
                let text = String(repeating: filler, count: before) + line + filler + "P1,end\n" + filler
                for chunk in [5, 64, 4096] {
                    try assertPassingOverReadsAsPlain(Array(text.utf8), chunk: chunk, stop: .max, "case \(n), \(before) before")
                }
            }
        }
    }

    /// Read with the pass-over and without: the same records holding "P1" (same lines, same
    /// fields), every other record counted as passed or read, the same end and line count.
    private func assertPassingOverReadsAsPlain(_ bytes: [UInt8], chunk: Int, stop: Int, _ what: String,
                                               file: StaticString = #filePath, line: UInt = #line) throws {
        let plain = try read(bytes, chunk: chunk, stop: stop, skip: nil)
        let fast = try read(bytes, chunk: chunk, stop: stop, skip: Array("P1".utf8))
        let holding = plain.records.filter { $0.raw.contains("P1") }
        let kept = fast.records.filter { $0.raw.contains("P1") }
        XCTAssertEqual(kept.map(\.line), holding.map(\.line), what, file: file, line: line)
        XCTAssertEqual(kept.map(\.fields), holding.map(\.fields), what, file: file, line: line)
        XCTAssertEqual(fast.records.count + fast.passed, plain.records.count, what, file: file, line: line)
        XCTAssertEqual(fast.end, plain.end, what, file: file, line: line)
        XCTAssertEqual(fast.lines, plain.lines, what, file: file, line: line)
    }

    /// A reader of `bytes` given `chunk` bytes at a time, through a buffer of `buffer` bytes.
    private func chunkedReader(_ bytes: [UInt8], chunk: Int, buffer: Int) -> CSVRecordReader {
        var offset = 0
        return CSVRecordReader(bufferSize: buffer) { out in
            let n = min(chunk, out.count, bytes.count - offset)
            for i in 0..<n { out[i] = bytes[offset + i] }
            offset += n
            return n
        }
    }

    /// Records read (with their first line, raw text, fields and where they start), lines
    /// passed over, where reading stopped and the lines read.
    private func read(_ bytes: [UInt8], chunk: Int, stop: Int, skip: [UInt8]?, buffer: Int = 64) throws
        -> (records: [(line: Int, raw: String, fields: [String], offset: Int)], passed: Int, end: Int, lines: Int) {
        let reader = chunkedReader(bytes, chunk: chunk, buffer: buffer)
        reader.stopOffset = stop
        var records: [(line: Int, raw: String, fields: [String], offset: Int)] = []
        var passed = 0
        while true {
            if let skip { passed += try skip.withUnsafeBufferPointer { try reader.skipLines(without: $0) } }
            let at = reader.position
            guard try reader.next() else { break }
            records.append((reader.line, String(decoding: reader.rawBytes, as: UTF8.self),
                            (0..<reader.fieldCount).map { String(decoding: reader.field($0), as: UTF8.self) }, at))
        }
        return (records, passed, reader.position, reader.linesRead)
    }

    /// A lean split (``CSVRecordReader/leanFields``) reads the records a full split reads: the
    /// same lines and field counts, the same first fields, and after ``resplit()`` the same
    /// fields; a record said to start like the one before (``sameLeadFields``) does, and so do
    /// the records passed over as starting like it (``skipSameLead(fields:)``). Checked
    /// against a full read of random rows that often repeat their first fields, some quoted,
    /// some of other lengths, with blank lines and LF, CRLF or CR, read through small buffers.
    func testLeanSplitsReadWhatFullSplitsRead() throws {
        var rng = SplitMix64(seed: 0x1EA4)
        let leads = ["P1,Ann,Dana,2026-08-03 08:00", "P1,Ann,Dana,2026-08-04 08:00", "P2,Bo,Sam,2026-08-03 08:00",
                     "P1,Ann,Dana", "\"P1\",Ann,Dana,2026-08-03 08:00", "P1,Ann,Dana,2026-08-03 08:00,x,y,z,w,v,u",
                     "P1,Ann,Danas,2026-08-03 08:00", "P1,Ann,Dana,2026-08-03 08:001", "P1,Anne,Dana,2026-08-03 08:00", "P11,Ann,Dana"]
        let rests = ["Calf stretch,left,1,10,30,2,", "Calf stretch,right,1,10,30,2,", "Step-ups,,1,12,,,",
                     "Step-ups,,1,12,,,\"knee, sore\"", "a", "", "Calf stretch,left,1,10,30,2,\"x\"\"y\"", String(repeating: "z", count: 90) + ",1"]
        var sameSeen = 0, skipped = 0
        for round in 0..<400 {
            let ending = ["\n", "\r\n", "\r"][Int(rng.next() % 3)]
            var lines: [String] = []
            // Half the rounds repeat a few rows only, as one sitting's rows do.
            let (someLeads, someRests) = rng.next() % 2 == 0 ? (UInt64(leads.count), UInt64(rests.count)) : (2, 2)
            for _ in 0..<(1 + Int(rng.next() % 40)) {
                if rng.next() % 15 == 0 { lines.append(""); continue }
                lines.append(leads[Int(rng.next() % someLeads)] + "," + rests[Int(rng.next() % someRests)])
            }
            let bytes = Array((lines.joined(separator: ending) + (rng.next() % 2 == 0 ? ending : "")).utf8)
            let lean = 1 + Int(rng.next() % 5)
            let chunk = rng.next() % 2 == 0 ? 1 + Int(rng.next() % 300) : 1 << 16
            let buffer = [64, 128, 4096, 4096][Int(rng.next() % 4)]
            let full = try read(bytes, chunk: chunk, stop: Int.max, skip: nil, buffer: buffer).records
            let reader = chunkedReader(bytes, chunk: chunk, buffer: buffer)
            var k = 0
            while true {
                reader.leanFields = lean
                guard try reader.next() else { break }
                let what = "round \(round), record \(k), lean \(lean), chunk \(chunk): \(String(decoding: bytes, as: UTF8.self).debugDescription)"
                guard k < full.count else { XCTFail("more records than a full read: " + what); break }
                let expected = full[k]
                XCTAssertEqual(reader.line, expected.line, what)
                XCTAssertEqual(reader.fieldCount, expected.fields.count, what)
                XCTAssertTrue(reader.splitFields == reader.fieldCount || reader.splitFields == lean, what)
                let first = (0..<min(reader.splitFields, reader.fieldCount)).map { String(decoding: reader.field($0), as: UTF8.self) }
                XCTAssertEqual(first, Array(expected.fields.prefix(first.count)), what)
                if reader.sameLeadFields {
                    sameSeen += 1
                    XCTAssertGreaterThan(k, 0, what)
                    if k > 0 { XCTAssertEqual(Array(full[k - 1].fields.prefix(lean)), Array(expected.fields.prefix(lean)), what) }
                }
                if k % 3 == 0 {
                    reader.resplit()
                    XCTAssertEqual(reader.splitFields, reader.fieldCount, what)
                    XCTAssertEqual((0..<reader.fieldCount).map { String(decoding: reader.field($0), as: UTF8.self) }, expected.fields, what)
                    XCTAssertEqual(String(decoding: reader.rawBytes, as: UTF8.self), expected.raw, what)
                }
                k += 1
                if rng.next() % 2 == 0 {
                    // Records passed over as starting like this one: each has its first fields,
                    // no quote, the fields asked for; reading goes on at the record after them.
                    let fields = rng.next() % 4 == 0 ? 1 + Int(rng.next() % 12) : expected.fields.count
                    let passed = reader.skipSameLead(fields: fields)
                    skipped += passed
                    XCTAssertLessThanOrEqual(k + passed, full.count, what)
                    for j in k..<min(k + passed, full.count) {
                        XCTAssertFalse(full[j].raw.contains("\""), what)
                        XCTAssertEqual(full[j].fields.count, fields, what)
                        XCTAssertEqual(Array(full[j].fields.prefix(lean)), Array(expected.fields.prefix(lean)), what)
                    }
                    k += passed
                    if k < full.count { XCTAssertEqual(reader.position, full[k].offset, what) }
                }
            }
            XCTAssertEqual(k, full.count, "round \(round)")
            XCTAssertEqual(reader.position, bytes.count, "round \(round)")
        }
        XCTAssertGreaterThan(sameSeen, 300, "the rows repeat their first fields often enough to test the shortcut")
        XCTAssertGreaterThan(skipped, 300, "and to pass over runs of them")
    }

    /// Long runs of lines are passed over whole: of 101,000 rows of other patients around one
    /// row of the patient, in LF and CRLF files, with every field quoted or none, only the
    /// patient's is read, and a line at each refill of the buffer and at the end (lines the
    /// pass-over does not see whole).
    func testPassingOverLongRunsLeavesOnlyTheLinesWithTheId() throws {
        for (ending, q) in [("\n", ""), ("\r\n", ""), ("\n", "\""), ("\r\n", "\"")] {
            func row(_ id: String, _ day: String, _ exercise: String, _ reps: String) -> String {
                [id, day, exercise, reps].map { q + $0 + q }.joined(separator: ",") + ending
            }
            let calf = q.isEmpty ? "calf stretch" : "calf stretch, wall"  // a separator inside quotes
            var text = ""
            for i in 0..<100_000 { text += row("Q\(i)", "2026-10-01", calf, "10") }
            text += row("P77", "2026-10-02", "step-up", "12")
            for i in 0..<1_000 { text += row("Q\(i)", "2026-10-03", calf, "10") }
            let bytes = Array(text.utf8)
            let fast = try read(bytes, chunk: 1 << 20, stop: .max, skip: Array("P77".utf8), buffer: 1 << 20)
            XCTAssertEqual(fast.passed + fast.records.count, 101_001)
            let refills = bytes.count / (1 << 19) + 1
            XCTAssertLessThanOrEqual(fast.records.count, refills + 2, "\(fast.records.map(\.fields))")
            XCTAssertEqual(fast.records.filter { $0.fields[0] == "P77" }.map(\.line), [100_001])
            XCTAssertEqual(fast.records.filter { $0.fields[0] == "P77" }.map(\.fields), [["P77", "2026-10-02", "step-up", "12"]])
            XCTAssertEqual(Set(fast.records.filter { $0.fields[0] != "P77" }.map(\.fields.count)), [4], "no field split inside quotes")
            XCTAssertEqual(fast.lines, 101_001)
        }
    }

    /// The splitter's bit masks are the special bytes, byte for byte: random buffers of
    /// separators, quotes, LF, CR and other bytes (high bytes too), each separator the reader
    /// takes, every one of the 64 bits against a plain loop.
    func testSpecialBitsAreTheSeparatorsLineEndsAndQuotes() {
        var rng = SplitMix64(seed: 0x64B1)
        let alphabet: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C, 0x22, 0x0A, 0x0D, 0x41, 0x20, 0x80, 0xFF, 0x00]
        for round in 0..<2_000 {
            let bytes = (0..<64).map { _ in alphabet.randomElement(using: &rng)! }
            for sep: UInt8 in [0x2C, 0x3B, 0x09, 0x7C] {
                var want: (UInt64, UInt64, UInt64) = (0, 0, 0)
                for (i, b) in bytes.enumerated() {
                    if b == sep { want.0 |= 1 << UInt64(i) }
                    if b == 0x0A || b == 0x0D { want.1 |= 1 << UInt64(i) }
                    if b == 0x22 { want.2 |= 1 << UInt64(i) }
                }
                let got = bytes.withUnsafeBufferPointer { CSVRecordReader.specialBits($0.baseAddress!, sep) }
                XCTAssertEqual(got.separators, want.0, "round \(round)")
                XCTAssertEqual(got.lineEnds, want.1, "round \(round)")
                XCTAssertEqual(got.quotes, want.2, "round \(round)")
            }
        }
    }

    /// `ByteCompare.equal` is byte equality for every length up to 40, whichever byte differs
    /// (first, last or any in between), and whatever lies past the compared bytes.
    func testByteCompareIsByteEquality() {
        for n in 0...40 {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) } + [1, 2, 3, 4, 5, 6, 7, 8]
            XCTAssertTrue(ByteCompare.equal(a, a + [], n), "length \(n)")
            var tail = a
            for k in n..<tail.count { tail[k] ^= 0xFF }
            XCTAssertTrue(ByteCompare.equal(a, tail, n), "length \(n): bytes past the run were compared")
            for i in 0..<n {
                var b = a
                b[i] ^= 0x01
                XCTAssertFalse(ByteCompare.equal(a, b, n), "length \(n), byte \(i) differs")
            }
        }
    }
}
