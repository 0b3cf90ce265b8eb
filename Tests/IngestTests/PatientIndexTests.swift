import XCTest
@testable import SessionIngest
import AdherenceAnalysis

/// A one-patient read (`trend`) through the patient index reads only where the patient's rows
/// are in each export unchanged since it was indexed: what it yields must be what a read of
/// every byte yields, for every patient, whatever the files' shapes, and an index that may not
/// stand for its file (changed, damaged, unsettled) must not be used.
final class PatientIndexTests: XCTestCase {
    let header = "patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes"
    var dir = ""
    var folder: String { (dir as NSString).appendingPathComponent("index") }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-index-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
    }

    func write(_ name: String, lines: [String], ending: String = "\n") throws {
        try write(name, Array((lines.joined(separator: ending) + ending).utf8))
    }

    /// The exports, in shapes that test the index's rules:
    /// - a: sorted by patient (LF). P1 has a quoted note holding the separator (plain); P2 a
    ///   note over two lines (not plain: P2 is read in full there); P3 a rejected row (pain 11),
    ///   its id padded and quoted; P4 a quote never closed, cut by the whole-file reader at the
    ///   next line (P5's row), and later a note over two lines: read from P4's ranges alone,
    ///   the quote would run on into that later row, so P4 is read in full there; a blank
    ///   line; a short row with no id field (no one's).
    /// - b: sorted by day (CRLF), one sitting after another, with a row repeated from a.
    /// - c: 60 rows by day over P1 to P6, read in parts of 256 bytes when indexed.
    /// - d: UTF-16 (never indexed: its offsets are not the text's).
    /// - e: a Windows-1252 name.
    /// - f: slash dates: P1's (03/04) could be either order; P6's 25/04 makes the file's
    ///   day-first, which only a read of the whole file tells.
    func writeExports() throws -> [String] {
        try write("a.csv", lines: [
            header,
            "P1,Annika,Dana,North,2026-09-01,Step-ups,left,1,10,,2,\"sore, then fine\"",
            "P1,Annika,Dana,North,2026-09-01,Step-ups,right,1,10,,2,",
            "P1,Annika,Dana,North,2026-09-02,Calf stretch,left,1,10,30,,",
            "P2,Bodil,Sam,South,2026-09-01,Step-ups,left,1,8,,,\"first line",
            "second line\"",
            "P2,Bodil,Sam,South,2026-09-03,Step-ups,left,1,9,,,",
            "",
            " P3 ,Cyrus,Sam,South,2026-09-04,Step-ups,left,1,10,,11,",
            "\"P3\",Cyrus,Sam,South,2026-09-05,Step-ups,left,1,10,,1,",
            "P3,Cyrus,Sam,South,2026-09-06,Moonwalk,left,1,10,,1,",
            "P4,Dinah,Sam,South,2026-09-06,Step-ups,left,1,10,,1,\"fine",
            "lonely",
            "P5,Edwin,Dana,North,2026-09-08,Step-ups,left,1,10,,,",
            "P4,Dinah,Sam,South,2026-09-07,Step-ups,left,1,10,,1,\"line one",
            "line two\"",
        ])
        var b: [String] = [header]
        for day in 10...14 {
            for id in ["P1", "P3", "P5"] {
                for side in ["left", "right"] { b.append("\(id),N\(id),Dana,North,2026-09-\(day),Step-ups,\(side),1,\(day),,,") }
            }
        }
        b.append("P1,Annika,Dana,North,2026-09-01,Step-ups,right,1,10,,2,")  // a's row again: a duplicate
        try write("b.csv", lines: b, ending: "\r\n")
        var c: [String] = [header]
        for k in 0..<60 { c.append("P\(1 + k % 6),Name\(k % 6),Dana,North,2026-09-\(15 + k / 6),Calf stretch,left,1,10,\(k),,") }
        try write("c.csv", lines: c)
        let d = header + "\nP1,Annika,Dana,North,2026-09-28,Step-ups,left,1,7,,,\n"
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in d.utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        try write("d.csv", utf16)
        try write("e.csv", Array((header + "\nP6,Ren").utf8) + [0xE9] + Array("e,Dana,North,2026-09-29,Step-ups,left,1,10,,,\n".utf8))
        try write("f.csv", lines: [header,
                                   "P1,Annika,Dana,North,03/04/2026,Step-ups,left,1,10,,,",
                                   "P6,Renee,Dana,North,25/04/2026,Step-ups,left,1,10,,,"])
        Thread.sleep(forTimeInterval: Double(DigestIndex.settleSeconds) + 1.1)
        return ["a.csv", "b.csv", "c.csv", "d.csv", "e.csv", "f.csv"].map(path)
    }

    /// A trend's read of one patient.
    func options(_ patient: String) -> IngestOptions {
        var o = IngestOptions(span: DayRange(Day(year: 1, month: 1, day: 1)!, Day(iso: "2026-12-31")!), asOf: Day(iso: "2026-12-31")!)
        o.onlyPatient = patient
        o.computeDigests = false
        return o
    }

    /// Everything a one-patient read yields that `trend` uses (the patient's figures, names
    /// and note, the unknown names among its rows), as text.
    func text(_ r: IngestResult) -> String {
        var lines = r.patients.map {
            "\($0.id) \(String(describing: $0.name)) \(String(describing: $0.therapist)) \(String(describing: $0.clinic)) "
                + "\(String(describing: $0.lastEntry)) \(String(describing: $0.latestNote)) \($0.entries)"
        }
        lines.append("\(r.unknownExercises) \(r.rowsAfterAsOf) \(r.exerciseNamesSeen.sorted()) \(r.failedFiles.map(\.path))")
        // Its rejected rows, with their lines in the file (a file read through the index with
        // a rejected row is read whole for them).
        lines += r.rejects.map { "\($0.file) \($0.line) \($0.why)" }
        return lines.joined(separator: "\n")
    }

    func plainRead(_ files: [String], _ patient: String) -> String {
        text(SessionLogReader(options: options(patient)).read(files: files))
    }

    /// A read through the index in ``folder``, which is then saved as `trend` saves it.
    func indexedRead(_ files: [String], _ patient: String, partBytes: Int = 256) -> (text: String, fromIndex: Int) {
        var o = options(patient)
        let index = PatientIndex(folder: folder, options: o)
        o.patientIndex = index
        let reader = SessionLogReader(options: o)
        reader.partBytes = partBytes
        let result = reader.read(files: files)
        index.save()
        return (text(result), index.filesFromIndex)
    }

    func indexFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".adhere-index") }.sorted()
    }

    let patients = ["P1", "P2", "P3", "P4", "P5", "P6", "P9"]

    func testAReadThroughTheIndexIsTheFullReadForEveryPatient() throws {
        let files = try writeExports()
        let expected = Dictionary(uniqueKeysWithValues: patients.map { ($0, plainRead(files, $0)) })
        // The full reads hold what the files hold, counted by hand (so the comparisons below
        // are not of two empty reads): P1 has 3 rows in a, 10 in b (its repeat of a's row is a
        // duplicate), 10 in c, 1 in d and 1 in f, on 3 April (f is day-first).
        let p1 = try XCTUnwrap(SessionLogReader(options: options("P1")).read(files: files).patients.first)
        XCTAssertEqual(p1.entries.count, 25)
        XCTAssertTrue(p1.entries.contains { $0.day == Day(iso: "2026-04-03")! })
        XCTAssertTrue(expected["P3"]!.contains("Moonwalk"), "P3's unknown name")
        XCTAssertTrue(expected["P3"]!.contains("\(path("a.csv")) 9 "), "P3's pain of 11 on a's line 9")
        XCTAssertTrue(SessionLogReader(options: options("P9")).read(files: files).patients.isEmpty)

        let cold = indexedRead(files, "P1")
        XCTAssertEqual(cold.text, expected["P1"])
        XCTAssertEqual(cold.fromIndex, 0, "nothing indexed yet")
        XCTAssertEqual(try indexFiles().count, 5, "every file but the UTF-16 one is indexed")

        // Files read through the index, by hand: not d (UTF-16), and not a for P2 and P4,
        // whose rows there are not all plain (a note over two lines, a quote never closed).
        // P3's rejected row (pain 11) makes a be read whole for P3 after its ranges (so that the
        // reject's line is the file's): not counted as read through the index.
        let through = ["P1": 5, "P2": 4, "P3": 4, "P4": 4, "P5": 5, "P6": 5, "P9": 5]
        for p in patients {
            let warm = indexedRead(files, p)
            XCTAssertEqual(warm.text, expected[p], p)
            XCTAssertEqual(warm.fromIndex, through[p], p)
        }
        // Read whole rather than in parts when indexed: the same index.
        let before = try indexFiles().map { try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent($0))) }
        try FileManager.default.removeItem(atPath: folder)
        XCTAssertEqual(indexedRead(files, "P3", partBytes: 1 << 30).text, expected["P3"])
        let after = try indexFiles().map { try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent($0))) }
        XCTAssertEqual(before, after, "the index of a file read in parts is that of the file read whole")
    }

    func testTheIndexIsOwnerOnlyAndHoldsNoName() throws {
        let files = try writeExports()
        _ = indexedRead(files, "P1")
        var st = stat()
        XCTAssertEqual(stat(folder, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
        for name in try indexFiles() {
            let p = (folder as NSString).appendingPathComponent(name)
            XCTAssertEqual(stat(p, &st), 0)
            XCTAssertEqual(st.st_mode & 0o777, 0o600, name)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: p))
            // (Names of five letters or more: a shorter one could turn up by chance in the
            // index's hashes and offsets.)
            for n in ["Annika", "Bodil", "Cyrus", "Dinah", "Edwin", "Renee", "North", "South", "Name0"] {
                XCTAssertNil(bytes.range(of: Data(n.utf8)), "\(name) holds '\(n)'")
            }
        }
    }

    func testAnIdFieldHoldingANameIsNotWrittenAsItIs() throws {
        // A name with the separator in it, unquoted, shifts the row: its id field holds
        // " Bonnie" (the reviewer's case). The index holds hashes of ids, never their text.
        try write("n.csv", lines: ["patient_name,patient_id,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes",
                                   "Annika Smith,P001,T1,C,2026-10-01,Calf stretch,left,2,10,,2,ok",
                                   "Lee, Bonnie,P002,T1,C,2026-10-02,Step-ups,right,1,10,,3,"])
        Thread.sleep(forTimeInterval: Double(DigestIndex.settleSeconds) + 1.1)
        let files = [path("n.csv")]
        _ = indexedRead(files, "P001")
        let warm = indexedRead(files, "P001")
        XCTAssertEqual(warm.fromIndex, 1)
        XCTAssertEqual(warm.text, plainRead(files, "P001"))
        for name in try indexFiles() {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
            for text in ["Bonnie", "P001", "P002", "Annika"] { XCTAssertNil(bytes.range(of: Data(text.utf8)), text) }
        }
        // The shifted row's "id" is looked up like any other.
        XCTAssertEqual(indexedRead(files, "Bonnie").text, plainRead(files, "Bonnie"))
    }

    func testAFolderOthersMayWriteToIsNotUsed() throws {
        let files = try writeExports()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(folder, 0o777), 0)
        let index = PatientIndex(folder: folder, options: options("P1"))
        XCTAssertEqual(index.refusal, "others may write to it (chmod 700 it)")
        XCTAssertEqual(indexedRead(files, "P1").text, plainRead(files, "P1"))
        XCTAssertEqual(try indexFiles(), [], "nothing written there")
        // Made private, it is used.
        XCTAssertEqual(chmod(folder, 0o700), 0)
        XCTAssertNil(PatientIndex(folder: folder, options: options("P1")).refusal)
        _ = indexedRead(files, "P1")
        XCTAssertEqual(indexedRead(files, "P1").fromIndex, 5)
        // A file where the folder should be: not used either.
        let file = path("not-a-folder")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(PatientIndex(folder: file, options: options("P1")).refusal, "it is not a folder")
    }

    func testAnIndexThatStandsIsNotWrittenAgain() throws {
        let files = try writeExports()
        _ = indexedRead(files, "P1")
        let a = try XCTUnwrap(try indexFiles().first { name in
            PatientIndex.indexedPath((folder as NSString).appendingPathComponent(name)) == path("a.csv")
        })
        let aPath = (folder as NSString).appendingPathComponent(a)
        var before = stat(), after = stat()
        XCTAssertEqual(stat(aPath, &before), 0)
        // P2 has a note over two lines in a: a is read in full for P2, and its index stays.
        let read = indexedRead(files, "P2")
        XCTAssertEqual(read.fromIndex, 4)
        XCTAssertEqual(stat(aPath, &after), 0)
        XCTAssertEqual(after.st_ino, before.st_ino, "a's index was not replaced")
        XCTAssertEqual(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec)
    }

    func testAFileChangedSinceItWasIndexedIsReadInFull() throws {
        let files = try writeExports()
        _ = indexedRead(files, "P1")
        // b grows by a row of P1's; c is rewritten at the same size (P1's 10 reps become 12).
        let b = try Data(contentsOf: URL(fileURLWithPath: path("b.csv")))
        try write("b.csv", Array(b) + Array("P1,Annika,Dana,North,2026-09-20,Step-ups,left,1,5,,,\r\n".utf8))
        var c = try String(contentsOfFile: path("c.csv"), encoding: .utf8)
        let old = "P1,Name0,Dana,North,2026-09-15,Calf stretch,left,1,10,0,,"
        XCTAssertTrue(c.contains(old))
        c = c.replacingOccurrences(of: old, with: "P1,Name0,Dana,North,2026-09-15,Calf stretch,left,1,12,0,,")
        try write("c.csv", Array(c.utf8))
        let expected = plainRead(files, "P1")
        XCTAssertTrue(expected.contains("2026-09-20"), "the new row is in the full read")
        let first = indexedRead(files, "P1")
        XCTAssertEqual(first.text, expected)
        XCTAssertEqual(first.fromIndex, 3, "a, e and f through the index; b and c changed, d UTF-16")
        // Still changing (modified "in an hour": whatever the machine's speed), b and c are
        // not indexed again; dated back and settled, they are.
        func date(_ offset: Int) {
            for name in ["b.csv", "c.csv"] {
                var times = [timespec(tv_sec: time(nil) + offset, tv_nsec: 0), timespec(tv_sec: time(nil) + offset, tv_nsec: 0)]
                XCTAssertEqual(utimensat(AT_FDCWD, path(name), &times, 0), 0)
            }
        }
        date(3600)
        XCTAssertEqual(indexedRead(files, "P1").fromIndex, 3)
        date(-86_400)
        Thread.sleep(forTimeInterval: Double(DigestIndex.settleSeconds) + 1.1)
        XCTAssertEqual(indexedRead(files, "P1").fromIndex, 3, "read in full once settled, and indexed")
        let settled = indexedRead(files, "P1")
        XCTAssertEqual(settled.text, expected)
        XCTAssertEqual(settled.fromIndex, 5)
    }

    func testTheIndexOfAnExportThatIsGoneIsRemoved() throws {
        var files = try writeExports()
        _ = indexedRead(files, "P1")
        XCTAssertEqual(try indexFiles().count, 5)
        // f is moved away; a stopped run left a temporary file two days ago, another just now.
        try FileManager.default.removeItem(atPath: path("f.csv"))
        files.removeLast()
        let old = (folder as NSString).appendingPathComponent("0123.adhere-index.tmp-99")
        let recent = (folder as NSString).appendingPathComponent("4567.adhere-index.tmp-98")
        for t in [old, recent] { try Data("x".utf8).write(to: URL(fileURLWithPath: t)) }
        var times = [timespec(tv_sec: time(nil) - 2 * 86_400, tv_nsec: 0), timespec(tv_sec: time(nil) - 2 * 86_400, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, old, &times, 0), 0)
        // Nothing new to keep: nothing is written or removed.
        _ = indexedRead(files, "P1")
        XCTAssertEqual(try indexFiles().count, 5)
        // A new export is indexed: the folder is tidied then.
        try write("g.csv", lines: [header, "P7,Gunnar,Dana,North,2026-09-30,Step-ups,left,1,10,,,"])
        Thread.sleep(forTimeInterval: Double(DigestIndex.settleSeconds) + 1.1)
        let read = indexedRead(files + [path("g.csv")], "P7")
        XCTAssertEqual(read.text, plainRead(files + [path("g.csv")], "P7"))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder)
        XCTAssertEqual(try indexFiles().count, 5, "f's gone, g's added")
        XCTAssertFalse(left.contains("0123.adhere-index.tmp-99"))
        XCTAssertTrue(left.contains("4567.adhere-index.tmp-98"))
        for name in try indexFiles() {
            let indexed = try XCTUnwrap(PatientIndex.indexedPath((folder as NSString).appendingPathComponent(name)))
            XCTAssertNotEqual(indexed, path("f.csv"))
        }
    }

    func testADamagedIndexIsNotUsed() throws {
        let files = try writeExports()
        let expected = Dictionary(uniqueKeysWithValues: ["P1", "P3"].map { ($0, plainRead(files, $0)) })
        _ = indexedRead(files, "P1")
        // a's index, every byte flipped in turn: a read through it is the full read, or a's
        // index is not used (then a is read in full and indexed again).
        let aIndex = try XCTUnwrap(try indexFiles().first { name in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
            return bytes.range(of: Data(path("a.csv").utf8)) != nil
        })
        let p = (folder as NSString).appendingPathComponent(aIndex)
        let good = try Data(contentsOf: URL(fileURLWithPath: p))
        var refused = 0
        for k in 0..<good.count {
            for patient in ["P1", "P3"] {
                var bad = good
                bad[k] ^= 0x41
                try bad.write(to: URL(fileURLWithPath: p))
                let read = indexedRead(files, patient)
                XCTAssertEqual(read.text, expected[patient], "byte \(k) flipped, \(patient)")
                if read.fromIndex == 4 { refused += 1 }
            }
        }
        XCTAssertGreaterThan(refused, good.count, "most flips make a's index unusable")
        // A pipe in the index's place is not waited on.
        try FileManager.default.removeItem(atPath: p)
        XCTAssertEqual(mkfifo(p, 0o600), 0)
        let piped = indexedRead(files, "P1")
        XCTAssertEqual(piped.text, expected["P1"])
        XCTAssertEqual(piped.fromIndex, 4)
        XCTAssertEqual(p, (folder as NSString).appendingPathComponent(PatientIndex.name(for: path("a.csv"))))
        // Cut short, or another program's file: not used either.
        for bad in [good.prefix(good.count / 2), Data("not an index".utf8)] {
            try bad.write(to: URL(fileURLWithPath: p))
            let read = indexedRead(files, "P1")
            XCTAssertEqual(read.text, expected["P1"])
            XCTAssertEqual(read.fromIndex, 4)
        }
    }
}
