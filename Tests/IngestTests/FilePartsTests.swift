import XCTest
@testable import SessionIngest
import AdherenceAnalysis

/// A large file is read in parts on all cores (FileParts); whatever the cut, the result must be
/// the whole-file reading's, to the line numbers of rejects.
final class FilePartsTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes"

    /// A hostile export: notes with line breaks (LF, CRLF, CR) and doubled quotes, a note whose
    /// second line looks like a row, quotes never closed, blank lines, bad rows, repeated rows,
    /// unknown names, rows before, inside and after the span.
    func hostileExport(seed: UInt64, rows: Int, ending: String = "\n", dates: [String]? = nil) -> String {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        let days = dates ?? ["2026-01-15", "2026-07-02", "2026-08-20T07:10:00", "2026-09-30", "2026-10-01T23:59", "2026-10-31", "2026-11-04"]
        var lines = [header]
        var last = ""
        for i in 0..<rows {
            let id = "P\(1 + rng.next() % 40)"
            var fields = [id, pick(["Ann Lee", "Ann Lee-Smith", "", "Bo Ek"]), pick(["Dana", "Sam", ""]), pick(["North", ""]),
                          pick(days), pick(["Hip flexor stretch", "Calf stretch - left", "Step-ups", "Heel raises", "STEP_UP"]),
                          pick(["left", "right", "", "both", "sideways"]), pick(["1", "", "2"]), pick(["10", "12", "x", "", "-1"]),
                          pick(["10", "", "5.5"]), pick(["", "3", "11"]), ""]
            switch rng.next() % 12 {
            case 0: fields[11] = "\"sore\nafter \"\"step-ups\"\"\r\nbetter, now\rok\""
            case 1: fields[11] = "\"line one\n" + ["P1", "Ann", "Dana", "North", "2026-10-02", "Step-ups", "left", "1", "9", "", "", "x"].joined(separator: ",") + "\""
            case 2: fields[11] = "\"never closed"
            case 3: fields[11] = "\"two\nshort,lines\nhere\""
            case 4: fields[1] = "\"Quoted, Name\""
            default: break
            }
            var line = fields.joined(separator: ",")
            if i % 97 == 5 { line = "" }                       // a blank line
            if i % 89 == 7 { line = "P3,only,three" }           // wrong number of fields
            if i % 53 == 9 && !last.isEmpty { line = last }     // a repeated row
            lines.append(line)
            last = line
        }
        return lines.joined(separator: ending) + ending
    }

    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-parts-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func options(keep: Bool = true) -> IngestOptions {
        var o = IngestOptions(span: DayRange(Day(iso: "2026-08-05")!, Day(iso: "2026-10-31")!), asOf: Day(iso: "2026-10-31")!)
        o.keepEntries = keep
        return o
    }

    /// Everything a reading yields, as text, to compare two readings.
    func dump(_ r: IngestResult) -> String {
        var s = ""
        for f in r.files {
            s += "\(f.path) rows \(f.rows) acc \(f.accepted) rej \(f.rejected) dup \(f.duplicates) skip \(f.skipped) bytes \(f.bytes) sha \(f.sha256) "
            s += "\(f.separator) \(f.encoding) \(f.dateFormat) \(f.columns.sorted { $0.key < $1.key }) \(f.notices) \(f.missingClinical) \(String(describing: f.error))\n"
        }
        for x in r.rejects { s += "\(x.file):\(x.line) \(x.reason) \(x.raw.debugDescription) \(String(describing: x.therapist)) \(x.fields.sorted { $0.key.rawValue < $1.key.rawValue })\n" }
        for p in r.patients {
            s += "\(p.id) \(String(describing: p.name)) \(String(describing: p.therapist)) \(String(describing: p.clinic)) \(String(describing: p.lastEntry)) \(String(describing: p.latestNote)) \(p.entries)\n"
        }
        s += "\(r.unknownExercises.map { "\($0.name) \($0.rows) \($0.patients.sorted())" }) \(r.rowsAfterAsOf) \(r.exerciseNamesSeen) \(r.otherPatientIDs)\n"
        return s
    }

    /// Equal dumps; on a difference, the first differing lines (the whole dumps are long).
    func assertSame(_ a: String, _ b: String, _ message: String, line: UInt = #line) {
        guard a != b else { return }
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        XCTFail("\(message): line \(i) differs:\n\(i < x.count ? String(x[i].prefix(600)) : "(none)")\n\(i < y.count ? String(y[i].prefix(600)) : "(none)")", line: line)
    }

    func read(_ paths: [String], _ o: IngestOptions, partBytes: Int) -> IngestResult {
        let reader = SessionLogReader(options: o)
        reader.partBytes = partBytes
        return reader.read(files: paths)
    }

    /// As ``read(_:_:partBytes:)``, and every file cut into parts was put together from them:
    /// not read again whole (which gives the whole read's result, and so would hide a join
    /// that refuses parts that fit).
    func readFitting(_ paths: [String], _ o: IngestOptions, partBytes: Int, line: UInt = #line) -> IngestResult {
        let reader = SessionLogReader(options: o)
        reader.partBytes = partBytes
        let result = reader.read(files: paths)
        XCTAssertEqual(reader.filesReadAgain, 0, "a file's parts did not fit", line: line)
        return result
    }

    /// A file put together from its parts, in the order given, and merged alone (nil when the
    /// parts do not fit).
    func joined(_ parts: [ParsedFile], order: [Int], _ o: IngestOptions) -> IngestResult? {
        var join = FileJoin(first: parts[order[0]], parts: parts.count)
        for k in order.dropFirst() { join.add(parts[k]) }
        guard var file = join.finish() else { return nil }
        FileParts.finish(&file, options: o)
        var merger = Merger()
        merger.add(file, repeated: DuplicateFinder.duplicates(file.blocks.map(\.prints))[...])
        return merger.result()
    }

    func testPartsReadAsTheWholeFile() throws {
        for (seed, ending) in [(1, "\n"), (2, "\r\n"), (3, "\r")] as [(UInt64, String)] {
            let path = try write(hostileExport(seed: seed, rows: 3_000, ending: ending))
            defer { unlink(path) }
            for keep in [true, false] {
                let whole = dump(read([path], options(keep: keep), partBytes: 1 << 40))
                XCTAssertTrue(whole.contains(":"), "the export has rejects")
                for size in [64, 300, 1_000, 4_096, 30_000] {
                    let parts = FileParts.plan(path: path, fileNumber: 0, options: options(), partBytes: size)
                    XCTAssertGreaterThan(parts?.count ?? 0, 1, "cut into parts of \(size) bytes")
                    let cut = dump(readFitting([path], options(keep: keep), partBytes: size))
                    assertSame(cut, whole, "parts of \(size) bytes, line ends \(ending.debugDescription)")
                    if cut != whole { return }
                }
            }
        }
    }

    /// Every line start as a part's start: a line that is a row of its own is always a fit; at
    /// any other line, either the first part's reader stops exactly there (the whole-file
    /// reader starts a row there too) and the reading is the whole file's, or it does not and
    /// the join refuses the parts (the file is then read whole).
    func testEveryPossibleCutReadsTheSame() throws {
        let text = hostileExport(seed: 7, rows: 120)
        let path = try write(text)
        defer { unlink(path) }
        var o = options()
        o.computeDigests = false
        let whole = dump(read([path], o, partBytes: 1 << 40))
        let bytes = Array(text.utf8)
        let header = try XCTUnwrap(FileParts.plan(path: path, fileNumber: 0, options: o, partBytes: 64)?[1].header)
        var cuts = 0
        for start in 1..<bytes.count where bytes[start - 1] == 0x0A || bytes[start - 1] == 0x0D {
            let isRow = bytes.withUnsafeBufferPointer {
                CSVRecordReader.lineIsRecord($0, from: start, eof: true, separator: 0x2C, expectedFields: 12)
            }
            let plan = [FilePart(path: path, index: 0, start: 0, end: start, hashing: false),
                        FilePart(path: path, index: 1, start: start, header: header, hashing: false)]
            let parts = plan.map { part -> ParsedFile in
                var p = FileParser(options: o)
                p.dateOrders = DateOrderOnce()
                return p.parse(part)
            }
            guard let result = joined(parts, order: [0, 1], o) else {
                XCTAssertNotEqual(isRow, true, "a row's line is a safe cut (byte \(start))")
                continue
            }
            cuts += 1
            assertSame(dump(result), whole, "cut at byte \(start)")
        }
        XCTAssertGreaterThan(cuts, 50)
        XCTAssertFalse(whole.isEmpty)
    }

    /// The join takes the parts in the file's order, each checked to begin where the one
    /// before it stopped: parts out of order, left out or given twice do not fit (the file is
    /// then read again whole); in order, they are the whole file's reading.
    func testPartsJoinOnlyInOrder() throws {
        let path = try write(hostileExport(seed: 5, rows: 600))
        defer { unlink(path) }
        var o = options()
        o.computeDigests = false
        let plan = try XCTUnwrap(FileParts.plan(path: path, fileNumber: 0, options: o, partBytes: 2_000))
        XCTAssertGreaterThan(plan.count, 3)
        let orders = DateOrderOnce()
        let parts = plan.map { part -> ParsedFile in
            var p = FileParser(options: o)
            p.dateOrders = orders
            return p.parse(part)
        }
        let inOrder = Array(plan.indices)
        let result = try XCTUnwrap(joined(parts, order: inOrder, o), "the parts in order fit")
        assertSame(dump(result), dump(read([path], o, partBytes: 1 << 40)), "parts in order")
        var swapped = inOrder
        swapped.swapAt(1, 2)
        XCTAssertNil(joined(parts, order: swapped, o), "two parts swapped")
        XCTAssertNil(joined(parts, order: inOrder.reversed(), o), "the parts backwards")
        XCTAssertNil(joined(parts, order: inOrder.dropLast() + [plan.count - 2], o), "a part twice, the last left out")
        XCTAssertNil(joined(parts, order: Array(inOrder.dropLast()), o), "the last part left out")
    }

    /// A file replaced (a new version renamed over it, as export jobs write) while its parts
    /// are read: every part, and the hash, read the file as opened when the parts were planned,
    /// so the file yields that one version, as a whole read (one open) does; never the first
    /// part of one version joined with later parts of another at the same offsets.
    func testAFileReplacedWhileItsPartsAreReadYieldsOneVersion() throws {
        // 40 rows of one length: a row put in front shifts every row by one row's length, so
        // the new version's rows start at the old one's cuts and the parts fit.
        let header = "patient_id,performed_at,exercise,reps\n"
        let rows = (10..<50).map { "P\($0),2026-10-\($0 % 28 + 1 < 10 ? "0" : "")\($0 % 28 + 1),Step-ups,\($0)\n" }
        let old = header + rows.joined()
        let path = try write(old)
        let oldCopy = try write(old)
        let replacement = try write(header + "P99,2026-10-01,Step-ups,99\n" + rows.joined())
        var o = options()
        o.computeDigests = false
        let plan = try XCTUnwrap(FileParts.plan(path: path, fileNumber: 0, options: o, partBytes: 200))
        XCTAssertGreaterThan(plan.count, 3)
        let orders = DateOrderOnce()
        var parts: [ParsedFile] = []
        for part in plan {
            var p = FileParser(options: o)
            p.dateOrders = orders
            parts.append(p.parse(part))
            // The new version renamed over the file once its first part is read.
            if part.index == 0 { XCTAssertEqual(rename(replacement, path), 0) }
        }
        let result = try XCTUnwrap(joined(parts, order: Array(plan.indices), o), "the parts of one version fit")
        XCTAssertEqual(result.files[0].rows, 40)
        XCTAssertEqual(result.files[0].accepted, 40)
        XCTAssertEqual(result.files[0].duplicates, 0)
        XCTAssertEqual(result.patients.map(\.id), (10..<50).map { "P\($0)" })
        XCTAssertEqual(try FileParts.sha256(file: XCTUnwrap(plan[0].file)), try FileParts.sha256(path: oldCopy), "the version read is hashed")
    }

    /// Slash dates: the day/month order is worked out once from the whole file for all parts;
    /// a file whose dates contradict each other fails as a whole, as when read whole.
    func testDateOrderIsTheWholeFilesInEveryPart() throws {
        let good = try write(hostileExport(seed: 11, rows: 800, dates: ["05/10/2026", "25/10/2026 07:00", "2026-09-01"]))
        let bad = try write(hostileExport(seed: 12, rows: 800, dates: ["05/10/2026", "25/10/2026", "10/25/2026"]))
        defer { unlink(good); unlink(bad) }
        for path in [good, bad] {
            let whole = dump(read([path], options(), partBytes: 1 << 40))
            assertSame(dump(read([path], options(), partBytes: 500)), whole, "slash dates")
        }
        XCTAssertNotNil(read([bad], options(), partBytes: 500).files[0].error)
    }

    /// Several files, some cut, some whole: duplicates across files and names by recency as
    /// when every file is read whole.
    func testFilesAndPartsTogether() throws {
        let a = try write(hostileExport(seed: 21, rows: 1_500))
        let b = try write(hostileExport(seed: 21, rows: 200))   // repeats a's first rows
        let c = try write(hostileExport(seed: 22, rows: 1_500, ending: "\r\n"))
        defer { unlink(a); unlink(b); unlink(c) }
        let whole = dump(read([a, b, c], options(), partBytes: 1 << 40))
        assertSame(dump(readFitting([a, b, c], options(), partBytes: 2_000)), whole, "three files")
        XCTAssertGreaterThan(read([a, b, c], options(), partBytes: 2_000).duplicatesDropped, 20, "b repeats rows of a")
    }
}

/// Inputs unchanged since an earlier run are not hashed again (DigestIndex).
final class DigestIndexTests: XCTestCase {
    func testAKeptDigestIsUsedOnlyWhileTheFileIsUnchanged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-digests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.csv").path
        try Data("patient_id,performed_at,exercise,reps\nP1,2026-10-01,Step-ups,10\n".utf8).write(to: URL(fileURLWithPath: path))
        let real = "c1b3d8e6ab0a04a82a9e8d8cd0b2e7e2a9f6e1a0a1d0a8a2f6c3e0d5b1a7c9e4"
        func read(_ index: DigestIndex?) -> String {
            var o = IngestOptions(span: DayRange(Day(iso: "2026-10-01")!, Day(iso: "2026-10-31")!), asOf: Day(iso: "2026-10-31")!)
            o.digests = index
            return SessionLogReader(options: o).read(files: [path]).files[0].sha256
        }
        let computed = read(nil)
        XCTAssertEqual(computed.count, 64)
        // Just written: not kept (its times could still be those of a later write).
        let fresh = DigestIndex(folder: dir.path)
        XCTAssertEqual(read(fresh), computed)
        XCTAssertNil(fresh.contents(), "a file changed in the last seconds is not kept")
        Thread.sleep(forTimeInterval: Double(DigestIndex.settleSeconds) + 1.1)
        let first = DigestIndex(folder: dir.path)
        XCTAssertEqual(read(first), computed)
        let kept = try XCTUnwrap(first.contents())
        XCTAssertTrue(String(decoding: kept, as: UTF8.self).hasPrefix(computed + " "))
        // A kept digest is used as it is: plant another one to see it is not computed again.
        let planted = String(decoding: kept, as: UTF8.self).replacingOccurrences(of: computed, with: real)
        try Data(planted.utf8).write(to: dir.appendingPathComponent(DigestIndex.fileName))
        XCTAssertEqual(read(DigestIndex(folder: dir.path)), real)
        // Changed (even to the same size, with its modification time put back): hashed again.
        var st = stat()
        stat(path, &st)
        try Data("patient_id,performed_at,exercise,reps\nP2,2026-10-01,Step-ups,10\n".utf8).write(to: URL(fileURLWithPath: path))
        var times = [timespec(tv_sec: st.st_atim.tv_sec, tv_nsec: st.st_atim.tv_nsec), timespec(tv_sec: st.st_mtim.tv_sec, tv_nsec: st.st_mtim.tv_nsec)]
        utimensat(AT_FDCWD, path, &times, 0)
        let again = read(DigestIndex(folder: dir.path))
        XCTAssertNotEqual(again, real)
        XCTAssertEqual(again, read(nil))
        // A garbled index is no index.
        try Data("garbage\n\(String(repeating: "z", count: 64)) 1 2\n".utf8).write(to: dir.appendingPathComponent(DigestIndex.fileName))
        XCTAssertEqual(read(DigestIndex(folder: dir.path)), read(nil))
    }
}
