import Foundation
import XCTest
import TestSupport

/// A seeded fuzz test: the fixture exports mutated (bytes flipped, cut short, quotes and control
/// characters inserted, huge fields, headers repeated, line ends mixed, lines repeated or
/// dropped, invalid UTF-8, odd therapist names), then the real `adhere report` and `adhere
/// check` run on them. Whatever the bytes:
/// - no run ends by a signal or hangs, and the exit code is one the README lists for input
///   problems (0, 2, 65, 66), never 70 or 73;
/// - rows read = accepted + rejected + duplicates dropped (the JSON, and every file in check);
/// - the rejects file holds exactly the rejected rows (read with Python's csv module), and the
///   JSON lists them all;
/// - every workbook reads back with openpyxl (Tests/Support/xlsx_dump.py), and its About sheet
///   gives the JSON's row counts;
/// - no temporary file is left in the output folder.
///
/// Deterministic: round `r` of seed `S` always makes the same files. Bounded: 24 rounds, and no
/// round starts after 45 s (a CI run stays under a minute). Environment variables:
/// `ADHERE_FUZZ_SEED` (default 20261011), `ADHERE_FUZZ_ROUNDS` (default 24),
/// `ADHERE_FUZZ_FIRST` (first round, default 0), `ADHERE_FUZZ_SECONDS` (time budget, 0 = none).
/// A failure names the round and the line that reproduces it.
final class FuzzTests: XCTestCase {
    /// SplitMix64: small, fast, and the same numbers on every platform.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// A number in 0..<n (n > 0).
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static func environment(_ name: String) -> UInt64? {
        ProcessInfo.processInfo.environment[name].flatMap { UInt64($0) }
    }

    /// Every CSV fixture, by path relative to the package.
    static let fixtures: [String] = {
        let root = AdhereProcess.packageRoot.appendingPathComponent("Fixtures")
        let walker = FileManager.default.enumerator(atPath: root.path)
        var found: [String] = []
        while let p = walker?.nextObject() as? String {
            if p.lowercased().hasSuffix(".csv") { found.append("Fixtures/" + p) }
        }
        return found.sorted()
    }()

    // MARK: - Mutations

    /// One mutation of a file's bytes; returns its name, for the failure message.
    static func mutate(_ b: inout [UInt8], _ rng: inout Random) -> String {
        let lineStarts = [0] + b.indices.filter { b[$0] == 0x0A }.map { $0 + 1 }.filter { $0 < b.count }
        func anywhere() -> Int { rng.below(b.count + 1) }
        func lineRange(_ start: Int) -> Range<Int> {
            let end = b[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? b.count
            return start..<end
        }
        switch rng.below(15) {
        case 0:
            let n = 1 + rng.below(8)
            for _ in 0..<n where !b.isEmpty { b[rng.below(b.count)] ^= UInt8(1 << rng.below(8)) }
            return "flip \(n) bits"
        case 1:
            let at = anywhere()
            b.removeSubrange(at...)
            return "cut at \(at)"
        case 2:
            let at = anywhere()
            b.insert(0x22, at: at)
            return "quote at \(at)"
        case 3:
            let n = 1 + rng.below(4)
            for _ in 0..<n { b.insert(rng.pick([0x00, 0x01, 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F]), at: anywhere()) }
            return "\(n) control characters"
        case 4:
            let unit: [UInt8] = rng.pick([Array("x".utf8), Array("e\u{301}".utf8), Array("😀".utf8), Array("\u{1D400}".utf8)])
            let count = 16_000 + rng.below(24_000)
            let at = anywhere()
            b.insert(contentsOf: Array([[UInt8]](repeating: unit, count: count).joined()), at: at)
            return "huge field (\(count) x \(unit.count) bytes) at \(at)"
        case 5:
            let header = Array(b[lineRange(0)])
            let at = rng.pick(lineStarts)
            b.insert(contentsOf: header, at: at)
            return "header repeated at \(at)"
        case 6:
            var out: [UInt8] = []
            for c in b {
                if c == 0x0A && rng.chance(50) { out += rng.pick([[0x0D, 0x0A], [0x0D], [0x0A, 0x0A]]) } else { out.append(c) }
            }
            b = out
            return "line ends mixed"
        case 7:
            let line = Array(b[lineRange(rng.pick(lineStarts))])
            let times = 1 + rng.below(3)
            let at = rng.pick(lineStarts)
            for _ in 0..<times { b.insert(contentsOf: line, at: at) }
            return "a line repeated \(times) times"
        case 8:
            let start = rng.pick(lineStarts)
            let r = lineRange(start)
            b.removeSubrange(r)
            return "line at \(start) dropped"
        case 9:
            let at = anywhere()
            b.insert(contentsOf: rng.pick([[0x2C], [0x3B], [0x2C, 0x2C, 0x2C], [0x09]]), at: at)
            return "separators at \(at)"
        case 10:
            let at = anywhere()
            b.insert(contentsOf: rng.pick([[0xC3, 0x28], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98]]), at: at)
            return "invalid UTF-8 at \(at)"
        case 11:
            let at = rng.chance(50) ? 0 : anywhere()
            b.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: at)
            return "BOM at \(at)"
        case 12:
            let at = rng.pick(lineStarts)
            b.insert(contentsOf: Array(rng.pick(["=HYPERLINK(\"x\")", "+1", "@SUM(A1)", "-", "'="]).utf8), at: at)
            return "formula text at \(at)"
        case 13:
            // A therapist written another way, or in 4-byte letters, or with a control character.
            let names = ["Dana Whitfield", "Sam Okafor"]
            let from = rng.pick(names)
            let to = rng.pick([from.uppercased(), from.lowercased() + ".", String(repeating: "\u{1D400}", count: 60), "Dana\u{1B}[2J", String(repeating: "N", count: 32_760)])
            var text = String(decoding: b, as: UTF8.self)
            if let r = text.range(of: from) { text.replaceSubrange(r, with: to) }
            if rng.chance(50), let r = text.range(of: from, options: .backwards) { text.replaceSubrange(r, with: to) }
            b = Array(text.utf8)
            return "therapist \(from) renamed (\(to.unicodeScalars.count) scalars)"
        default:
            // Many copies of the file's rows: more rows, and duplicates across them.
            let body = Array(b[(lineStarts.count > 1 ? lineStarts[1] : b.count)...])
            for _ in 0..<(1 + rng.below(3)) { b += body }
            return "rows repeated"
        }
    }

    // MARK: - Running

    /// Reads every workbook with Tests/Support/xlsx_dump.py (openpyxl), the rejects file with
    /// Python's csv module, and returns what the checks need, as JSON.
    static let reader = #"""
    import contextlib, csv, importlib.util, io, json, re, sys
    spec = importlib.util.spec_from_file_location("xlsx_dump", sys.argv[1])
    dump = importlib.util.module_from_spec(spec); spec.loader.exec_module(dump)
    out = {"workbooks": {}, "rejects": None}
    for path in sys.argv[3:]:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            dump.main(path)
        book = json.loads(buf.getvalue())
        about = next(s for s in book["sheets"] if s["name"] == "About")
        rows_read = next((about["cells"].get("B%s" % ref[1:], {}).get("v") for ref, c in about["cells"].items()
                          if ref.startswith("A") and c["v"] == "Rows read"), None)
        out["workbooks"][path] = {"sheets": [s["name"] for s in book["sheets"]], "rows_read": rows_read}
    csv.field_size_limit(sys.maxsize)  # a broken quote's row may hold 1,000 lines
    with open(sys.argv[2], newline="", encoding="utf-8") as f:
        out["rejects"] = len(list(csv.reader(f))) - 1
    json.dump(out, sys.stdout)
    """#

    struct Readback: Decodable {
        struct Book: Decodable { let sheets: [String]; let rows_read: String? }
        let workbooks: [String: Book]
        let rejects: Int
    }

    struct Figures: Decodable {
        struct Reject: Decodable { let line: Int }
        let rows_read: Int
        let rows_accepted: Int
        let rows_rejected: Int
        let duplicates_dropped: Int
        let rejected_rows: [Reject]
    }

    func testMutatedFixturesNeverCrashLoseRowsOrCorruptWorkbooks() throws {
        let seed = FuzzTests.environment("ADHERE_FUZZ_SEED") ?? 20_261_011
        let rounds = Int(FuzzTests.environment("ADHERE_FUZZ_ROUNDS") ?? 24)
        let first = Int(FuzzTests.environment("ADHERE_FUZZ_FIRST") ?? 0)
        let budget = Double(FuzzTests.environment("ADHERE_FUZZ_SECONDS") ?? 45)
        let fixtures = FuzzTests.fixtures
        XCTAssertGreaterThan(fixtures.count, 20, "the fixtures to mutate")
        let started = Date()
        var done = 0
        var codes: [Int32: Int] = [:]
        for round in first..<(first + rounds) {
            if budget > 0 && Date().timeIntervalSince(started) > budget { break }
            var rng = Random(state: seed &+ UInt64(round) &* 0xD1B5_4A32_D192_ED03)
            let dir = try temporaryFolder(self)
            let inputs = dir.appendingPathComponent("in")
            try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
            var made: [String] = []
            let count = 1 + rng.below(3)
            for k in 0..<count {
                let source = rng.chance(50) ? rng.pick(fixtures.filter { $0.hasPrefix("Fixtures/sessions/") }) : rng.pick(fixtures)
                var bytes = [UInt8](try Data(contentsOf: AdhereProcess.packageRoot.appendingPathComponent(source)))
                let mutations = (0..<(1 + rng.below(4))).map { _ in FuzzTests.mutate(&bytes, &rng) }
                let name = "f\(k)-" + (source as NSString).lastPathComponent
                try Data(bytes).write(to: inputs.appendingPathComponent(name))
                made.append("\(name) from \(source): \(mutations.joined(separator: ", "))")
            }
            let by = rng.pick(["all", "therapist", "clinic"])
            let what = "round \(round) (reproduce: ADHERE_FUZZ_SEED=\(seed) ADHERE_FUZZ_FIRST=\(round) ADHERE_FUZZ_ROUNDS=1 swift test --filter FuzzTests), --by \(by):\n  " + made.joined(separator: "\n  ")
            let code = try check(round: what, inputs: inputs, out: dir.appendingPathComponent("out"), json: dir.appendingPathComponent("figures.json"), by: by)
            codes[code, default: 0] += 1
            done += 1
        }
        let histogram = codes.keys.sorted().map { "\($0): \(codes[$0]!)" }.joined(separator: ", ")
        print("fuzz: \(done) rounds of seed \(seed) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; report exit codes \(histogram)")
        XCTAssertGreaterThan(done, 0)
    }

    /// Checks one round; returns report's exit code.
    @discardableResult
    func check(round what: String, inputs: URL, out: URL, json: URL, by: String) throws -> Int32 {
        let report = try AdhereProcess.runWatched(["report", "--month", "2026-10", "--by", by, "--out", out.path, "--json", json.path, inputs.path])
        XCTAssertFalse(report.signalled || report.timedOut, "report ended by a signal (\(report.code)) or hung: \(what)\n\(report.stderr)")
        XCTAssertTrue([0, 2, 65, 66].contains(report.code), "report exit \(report.code): \(what)\n\(report.stderr)")

        let check = try AdhereProcess.runWatched(["check", inputs.path])
        XCTAssertFalse(check.signalled || check.timedOut, "check ended by a signal (\(check.code)) or hung: \(what)\n\(check.stderr)")
        XCTAssertTrue([0, 2, 65, 66].contains(check.code), "check exit \(check.code): \(what)\n\(check.stderr)")
        // Every file: rows read = accepted + rejected + duplicates.
        let pattern = try NSRegularExpression(pattern: #"rows: ([0-9]+) read, ([0-9]+) accepted, ([0-9]+) rejected, ([0-9]+) duplicates? dropped"#)
        for m in pattern.matches(in: check.stdout, range: NSRange(check.stdout.startIndex..., in: check.stdout)) {
            let n = (1...4).map { Int(check.stdout[Range(m.range(at: $0), in: check.stdout)!])! }
            XCTAssertEqual(n[0], n[1] + n[2] + n[3], "check: rows read != accepted + rejected + duplicates: \(what)")
        }

        guard report.code == 0 || report.code == 2 else { return report.code }
        let figures = try JSONDecoder().decode(Figures.self, from: Data(contentsOf: json))
        XCTAssertEqual(figures.rows_read, figures.rows_accepted + figures.rows_rejected + figures.duplicates_dropped,
                       "rows read != accepted + rejected + duplicates: \(what)")
        XCTAssertEqual(figures.rejected_rows.count, figures.rows_rejected, what)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        XCTAssertEqual(names.filter { $0.hasPrefix(".") }, [".adhere.lock"], "temporary files left: \(what)")
        let books = names.filter { $0.hasSuffix(".xlsx") }.sorted().map { out.appendingPathComponent($0).path }
        XCTAssertFalse(books.isEmpty, what)
        let r = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["python3", "-c", FuzzTests.reader,
                                           AdhereProcess.packageRoot.appendingPathComponent("Tests/Support/xlsx_dump.py").path,
                                           out.appendingPathComponent("rejects-2026-10.csv").path] + books)
        XCTAssertEqual(r.code, 0, "a workbook or the rejects file does not read back: \(what)\n\(r.stderr)")
        guard r.code == 0 else { return report.code }
        let back = try JSONDecoder().decode(Readback.self, from: Data(r.stdout.utf8))
        XCTAssertEqual(back.rejects, figures.rows_rejected, "records in the rejects file: \(what)")
        for (path, book) in back.workbooks {
            if path.hasSuffix("-overview.xlsx") {
                XCTAssertEqual(book.sheets, ["Overview", "Six months", "About"], path)
                continue
            }
            XCTAssertEqual(book.sheets, ["Summary", "Trends", "Charts", "RTM", "Data issues", "About"], path)
            XCTAssertTrue(book.rows_read?.hasPrefix("\(figures.rows_read) in ") == true, "About: \(book.rows_read ?? "none"): \(what)")
            XCTAssertTrue(book.rows_read?.contains(": \(figures.rows_rejected) rejected, \(figures.duplicates_dropped) duplicates dropped") == true,
                          "About: \(book.rows_read ?? "none"): \(what)")
        }
        return report.code
    }
}
