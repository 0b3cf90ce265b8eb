import Foundation
import XCTest
import TestSupport

/// Real-world exports: every dialect read the same, every bad row explained, nothing lost.
final class DialectTests: XCTestCase {
    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The sample export as another vendor writes it (semicolon, Windows-1252, CRLF,
    /// DD.MM.YYYY HH:MM, other header names) gives exactly the canonical figures.
    func testVendorExportGivesTheCanonicalFigures() throws {
        let out = try temporaryFolder(self)
        func run(_ input: String) throws -> [String: Any] {
            let r = try AdhereProcess.run(["report", "--month", "2026-10", "--plans", "Fixtures/plans.csv", "--by", "all",
                                           "--out", out.appendingPathComponent(input.replacingOccurrences(of: "/", with: "-")).path,
                                           "--json", "-", input])
            XCTAssertEqual(r.code, 0, r.stderr)
            return try json(r.stdout)
        }
        let canonical = try run("Fixtures/sessions")
        let vendor = try run("Fixtures/dialects/vendor-b")
        for key in ["rows_read", "rows_rejected", "duplicates_dropped"] {
            XCTAssertEqual(vendor[key] as? Int, canonical[key] as? Int, key)
        }
        let a = try XCTUnwrap(vendor["patients"] as? [Any]), b = try XCTUnwrap(canonical["patients"] as? [Any])
        XCTAssertEqual(NSArray(array: a), NSArray(array: b), "every figure of every patient")
        // Every row accounted for: read = counted + duplicates + rejected.
        let check = try AdhereProcess.run(["check", "Fixtures/dialects/vendor-b"])
        XCTAssertEqual(check.code, 0, check.stderr)
        XCTAssertTrue(check.stdout.contains("semicolon-separated, Windows-1252, dates DD.MM.YYYY HH:MM"), check.stdout)
        var read = 0, accepted = 0, rejected = 0, duplicates = 0
        for line in check.stdout.split(separator: "\n") where line.hasPrefix("  rows: ") {
            let n = line.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }
            read += n[0]; accepted += n[1]; rejected += n[2]; duplicates += n[3]
        }
        XCTAssertEqual(read, FixtureExpectations.rowsRead)
        XCTAssertEqual(read, accepted + duplicates + rejected)
        XCTAssertEqual(rejected, FixtureExpectations.rowsRejected)
        // Names spelled right in the workbook.
        let dump = try WorkbookDump.read(out.appendingPathComponent("Fixtures-dialects-vendor-b/adhere-2026-10-all.xlsx").path)
        XCTAssertTrue(try XCTUnwrap(dump.sheet("Summary")).texts(inColumn: "B").contains("Zoë Müller"))
    }

    /// The same five sessions in five dialects read to the same figures.
    func testEveryDialectReadsTheSameSessions() throws {
        let out = try temporaryFolder(self)
        var results: [String: [[String: Any]]] = [:]
        let files = ["canonical.csv", "semicolon-windows1252-decimal-comma.csv", "excel-unicode-text-utf16.csv",
                     "pipe-cr-two-digit-years.csv", "bom-crlf-iso-offset.csv"]
        for f in files {
            let r = try AdhereProcess.run(["report", "--month", "2026-10", "--by", "all", "--out", out.appendingPathComponent(f).path,
                                           "--json", "-", "Fixtures/dialects/\(f)"])
            XCTAssertEqual(r.code, 0, "\(f): \(r.stderr)")
            let doc = try json(r.stdout)
            XCTAssertEqual(doc["rows_read"] as? Int, 5, f)
            XCTAssertEqual(doc["rows_rejected"] as? Int, 0, f)
            results[f] = try XCTUnwrap(doc["patients"] as? [[String: Any]])
        }
        let reference = try XCTUnwrap(results["canonical.csv"])
        XCTAssertEqual(reference.map { $0["patient_id"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") }, ["D1", "D2", "D3"])
        for f in files {
            var mine = results[f]!.map { NSDictionary(dictionary: $0.filter { $0.key != "patient_name" }) }
            var theirs = reference.map { NSDictionary(dictionary: $0.filter { $0.key != "patient_name" }) }
            mine.sort { ($0["patient_id"] as? String ?? "") < ($1["patient_id"] as? String ?? "") }
            theirs.sort { ($0["patient_id"] as? String ?? "") < ($1["patient_id"] as? String ?? "") }
            XCTAssertEqual(mine, theirs, f)
            let names = Set(results[f]!.compactMap { $0["patient_name"] as? String })
            XCTAssertTrue(names.contains("Ó Súilleabháin") && names.contains("Zoë Müller"), "\(f): \(names)")
        }
        // Hand check of the reading: D1 did 10 per side held 12.5 s on 5 October (hold counts), pain 3.5.
        let d1 = try XCTUnwrap(reference.first { $0["patient_id"] as? String == "D1" })
        XCTAssertEqual((d1["max_pain"] as? NSNumber)?.doubleValue, 3.5)
        XCTAssertEqual(d1["last_entry"] as? String, "2026-10-05")
    }

    func testTimeZoneConvertsDateTimesWithAnOffset() throws {
        // D3's session is 2026-10-31 23:50 at +01:00: 31 October as written and in UTC,
        // 1 November in Tokyo (UTC+9).
        let asWritten = try AdhereProcess.run(["trend", "D3", "--as-of", "2026-11-30", "--json", "Fixtures/dialects/bom-crlf-iso-offset.csv"])
        XCTAssertEqual(((try json(asWritten.stdout))["patient"] as? [String: Any])?["last_entry"] as? String, "2026-10-31")
        let utc = try AdhereProcess.run(["trend", "D3", "--as-of", "2026-11-30", "--json", "--timezone", "UTC", "Fixtures/dialects/bom-crlf-iso-offset.csv"])
        XCTAssertEqual(((try json(utc.stdout))["patient"] as? [String: Any])?["last_entry"] as? String, "2026-10-31")
        let tokyo = try AdhereProcess.run(["trend", "D3", "--as-of", "2026-11-30", "--json", "--timezone", "Asia/Tokyo", "Fixtures/dialects/bom-crlf-iso-offset.csv"])
        XCTAssertEqual(((try json(tokyo.stdout))["patient"] as? [String: Any])?["last_entry"] as? String, "2026-11-01")
    }

    func testEveryBadInputIsExplainedWithFileAndLine() throws {
        let r = try AdhereProcess.run(["check", "--strict", "Fixtures/bad"])
        XCTAssertEqual(r.code, 2, "some files cannot be read at all")
        let expected: [(String, String)] = [
            ("wrong-field-count.csv", "rejected, wrong number of fields: 2 (lines 3, 5)"),
            ("empty-required-values.csv", "rejected, missing patient id: 1 (line 3)"),
            ("empty-required-values.csv", "rejected, missing date: 1 (line 4)"),
            ("empty-required-values.csv", "rejected, missing exercise name: 1 (line 5)"),
            ("empty-required-values.csv", "rejected, missing reps: 1 (line 6)"),
            ("impossible-dates.csv", "rejected, impossible date: 4 (lines 3, 4, 5, 6)"),
            ("impossible-dates.csv", "rejected, unreadable date: 1 (line 7)"),
            ("bad-reps.csv", "rejected, reps must be a whole number 0 or more: 3 (lines 3, 4, 5)"),
            ("pain-out-of-range.csv", "rejected, pain must be a number from 0 to 10: 3 (lines 3, 4, 5)"),
            ("text-in-number-columns.csv", "rejected, sets must be a whole number 0 or more: 1 (line 3)"),
            ("text-in-number-columns.csv", "rejected, hold_seconds must be a number of seconds: 1 (line 4)"),
            ("text-in-number-columns.csv", "rejected, side must be left, right or both: 1 (line 5)"),
            ("field-too-long.csv", "rejected, field longer than a cell holds: 1 (line 3)"),
            ("unclosed-quote.csv", "rejected, malformed CSV: a quoted field is never closed: 1 (line 3)"),
            ("header-only.csv", "rows: 0 read"),
            ("empty.csv", "the file is empty (no header row)"),
            ("misnamed-workbook.csv", "not a CSV export (it looks like an Excel workbook"),
            ("dropped-workbook.xlsx", "not read: not a .csv file"),
            ("scan.pdf", "not read: not a .csv file"),
        ]
        // Split the output into one block per file.
        var blocks: [String: String] = [:]
        var current = ""
        for line in r.stdout.split(separator: "\n") {
            if line.hasPrefix("Fixtures/bad/") { current = String(line.dropFirst("Fixtures/bad/".count)) }
            else { blocks[current, default: ""] += line + "\n" }
        }
        for (file, text) in expected {
            XCTAssertTrue(blocks[file]?.contains(text) == true, "\(file) should say '\(text)':\n\(blocks[file] ?? "nothing")")
        }
        // The good row of every readable file still counts.
        for file in ["wrong-field-count.csv", "bad-reps.csv", "impossible-dates.csv"] {
            XCTAssertTrue(blocks[file]?.contains("1 accepted") == true || blocks[file]?.contains("2 accepted") == true, "\(file): \(blocks[file] ?? "")")
        }
        // A report over the folder still runs, says which files it skipped, and keeps every rejected row.
        let out = try temporaryFolder(self)
        let report = try AdhereProcess.run(["report", "--month", "2026-10", "--by", "all", "--out", out.path, "Fixtures/bad"])
        XCTAssertEqual(report.code, 2, report.stderr)
        XCTAssertTrue(report.stderr.contains("misnamed-workbook.csv: not a CSV export"), report.stderr)
        XCTAssertTrue(report.stderr.contains("scan.pdf is not a .csv file"), report.stderr)
        let rejects = try String(contentsOf: out.appendingPathComponent("rejects-2026-10.csv"), encoding: .utf8)
        // Count rows by their rejected_file and rejected_line cells (raw text may hold line breaks).
        let rows = try NSRegularExpression(pattern: "Fixtures/bad/[a-z-]+\\.csv,[0-9]+,")
            .numberOfMatches(in: rejects, range: NSRange(rejects.startIndex..., in: rejects))
        XCTAssertEqual(rows, 22, "every rejected row in the rejects file")
        let dump = try WorkbookDump.read(out.appendingPathComponent("adhere-2026-10-all.xlsx").path)
        let issues = try XCTUnwrap(dump.sheet("Data issues"))
        XCTAssertNotNil(issues.row(is: "Files that could not be read"))
        let long = try XCTUnwrap((1...issues.max_row).first { issues["C\($0)"]?.v.string?.contains("32,767") == true })
        XCTAssertEqual(issues["D\(long)"]?.v.string?.count, 32_767, "an over-long raw row is cut to what a cell holds, and said so")
    }
}
