import Foundation
import XCTest
import TestSupport

/// The workbooks as a clinic sees them: each fixture's workbooks opened in LibreOffice and printed
/// to PDF by `scripts/render-check.py --check`, which fails on text printed over other text, a
/// cell's text cut or missing from the pages, a number too wide for its column (###), text under
/// 8 points, and an About sheet longer than two pages. Also what each sheet's print setup says.
final class RenderTests: XCTestCase {
    /// One LibreOffice profile for every conversion of the run (its first start builds it).
    static let profile = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-render-profile-\(getpid())")

    override class func tearDown() {
        try? FileManager.default.removeItem(at: profile)
        super.tearDown()
    }

    struct Rendered: Decodable {
        let pages: Int
        let pages_per_sheet: [String: Int]
        let smallest_pt: Double?
        let problems: [String]
    }

    func render(_ workbook: URL) throws -> Rendered {
        let script = AdhereProcess.packageRoot.appendingPathComponent("scripts/render-check.py").path
        let r = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["python3", script, "--check", "--json", "--profile", RenderTests.profile.path, workbook.path])
        let rendered = try JSONDecoder().decode(Rendered.self, from: Data(r.stdout.utf8))
        XCTAssertEqual(r.code, rendered.problems.isEmpty ? 0 : 1, r.stderr)
        return rendered
    }

    func assertPrintsCleanly(_ workbook: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try render(workbook)
        XCTAssertEqual(r.problems, [], "\(workbook.lastPathComponent) prints with problems", file: file, line: line)
        XCTAssertGreaterThanOrEqual(r.smallest_pt ?? 0, 7.95, "no printed text under 8 pt", file: file, line: line)
        XCTAssertLessThanOrEqual(r.pages_per_sheet["About"] ?? 0, 2, "About on one or two pages", file: file, line: line)
        XCTAssertEqual(r.pages_per_sheet.values.reduce(0, +), r.pages, "every page's footer names its sheet", file: file, line: line)
    }

    func report(_ arguments: [String]) throws -> [URL] {
        let out = try temporaryFolder(self)
        let r = try AdhereProcess.run(["report", "--out", out.path] + arguments)
        XCTAssertEqual(r.code, 0, r.stderr)
        return try FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "xlsx" }.sorted { $0.path < $1.path }
    }

    func testSampleWorkbooksPrintCleanly() throws {
        let books = try report(["--month", "2026-10", "--plans", "Fixtures/plans.csv", "Fixtures/sessions", "Fixtures/dialects/vendor-b"])
        // The three therapists' workbooks and the clinic overview (issue 15).
        XCTAssertEqual(books.map(\.lastPathComponent).filter { $0.hasSuffix("-overview.xlsx") }, ["adhere-2026-10-overview.xlsx"])
        XCTAssertEqual(books.count, 4)
        for b in books { try assertPrintsCleanly(b) }
    }

    func testClinicalAndWeeklyWorkbooksPrintCleanly() throws {
        for args in [["--month", "2026-10", "--as-of", "2026-10-14", "--by", "all", "--plans", "Fixtures/clinical/plans.csv", "Fixtures/clinical/sessions"],
                     ["--month", "2026-10", "--as-of", "2026-10-14", "--by", "all", "--plans", "Fixtures/weekly/plans.csv", "Fixtures/weekly/sessions"]] {
            for b in try report(args) { try assertPrintsCleanly(b) }
        }
    }

    func testOnePatientWorkbookPrintsCleanlyWithItsCharts() throws {
        let path = try temporaryFolder(self).appendingPathComponent("P008.xlsx")
        let r = try AdhereProcess.run(["trend", "P008", "--as-of", "2026-10-31", "--plans", "Fixtures/plans.csv", "--xlsx", path.path, "Fixtures/sessions"])
        XCTAssertEqual(r.code, 0, r.stderr)
        try assertPrintsCleanly(path)
        let weekly = try XCTUnwrap(try WorkbookDump.read(path.path).sheet("Weekly"))
        XCTAssertEqual(weekly.orientation, "landscape")
        XCTAssertEqual(weekly.scale ?? 100, 100)
        XCTAssertFalse(weekly.fit_to_page)
    }

    /// Every sheet prints at 100% (never "fit to page", which shrinks the text), with margins,
    /// a footer naming the sheet and the page, explicit widths for every column it uses, and
    /// explicit heights for its wrapped rows (Trends' headers, About's rules).
    func testEverySheetHasAPrintSetup() throws {
        let book = try XCTUnwrap(try report(["--month", "2026-10", "--plans", "Fixtures/plans.csv", "--by", "all", "Fixtures/sessions"]).first)
        let dump = try WorkbookDump.read(book.path)
        XCTAssertEqual(dump.sheets.map(\.name), ["Summary", "Trends", "Charts", "RTM", "Data issues", "About"])
        for s in dump.sheets {
            XCTAssertEqual(s.scale ?? 100, 100, s.name)
            XCTAssertFalse(s.fit_to_page, s.name)
            XCTAssertEqual(s.margins, [0.3, 0.3, 0.5, 0.6, 0.25], s.name)
            XCTAssertEqual(s.footer_parts[2], "&A, page &P of &N", "\(s.name): the sheet's name and the page in the footer")
            XCTAssertEqual(s.orientation, s.name == "About" ? "portrait" : "landscape", s.name)
            let used = Set(s.cells.keys.map { String($0.prefix { $0.isLetter }) })
            for column in used { XCTAssertNotNil(s.widths[column], "\(s.name) column \(column) has an explicit width") }
        }
        let trends = try XCTUnwrap(dump.sheet("Trends"))
        XCTAssertEqual(trends.print_title_rows, "$1:$1")
        let header = try XCTUnwrap(trends.row(is: "Week starting"))
        XCTAssertGreaterThan(trends.heights["\(header)"] ?? 0, 30, "the wrapped header row is as tall as its three lines")
        XCTAssertFalse(trends.row_breaks.isEmpty, "page breaks between patients' blocks")
        for b in trends.row_breaks {
            XCTAssertEqual(trends["A\(b + 1)"]?.v.string?.contains(" — "), true, "a page starts with a patient's heading, row \(b + 1)")
        }
        let about = try XCTUnwrap(dump.sheet("About"))
        let rules = try XCTUnwrap(about.row(is: "Rules and thresholds in force"))
        XCTAssertNotNil(about.heights["\(rules + 1)"], "each rule's row is as tall as its wrapped lines")
        XCTAssertTrue(about.merged.contains { $0.hasPrefix("A\(rules + 1):") }, "each rule spans the page")
    }
}
