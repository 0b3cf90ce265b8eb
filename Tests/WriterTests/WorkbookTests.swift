import Foundation
import XCTest
import TestSupport
import XLSXWriter

/// The libxlsxwriter wrapper, checked by reading its files back with openpyxl.
final class WorkbookTests: FolderTestCase {
    func newWorkbook(_ name: String) throws -> Workbook {
        try Workbook(path: path(name), properties: .init(title: "t", created: 1_790_000_000))
    }

    /// Runs `body` with the process's standard error captured, and returns what was printed.
    func capturingStderr(_ body: () throws -> Void) rethrows -> String {
        let capture = folder.appendingPathComponent("stderr-\(UUID().uuidString)").path
        fflush(nil)
        let saved = dup(2)
        let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        dup2(fd, 2)
        close(fd)
        defer {
            fflush(nil)
            dup2(saved, 2)
            close(saved)
        }
        try body()
        fflush(nil)
        return (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
    }

    func testCellsKeepTheirTypesAndTextIsNeverAFormula() throws {
        let wb = try newWorkbook("cells.xlsx")
        let ws = try wb.addWorksheet("Data")
        let risky = ["=SUM(1,2)", "+1", "-1", "@cmd", "=HYPERLINK(\"http://x\")"]
        for (i, t) in risky.enumerated() { try ws.write(t, row: i, column: 0) }
        try ws.write(0.8, row: 0, column: 1, format: .percent)
        try ws.write(CalendarDate(year: 2026, month: 10, day: 31), row: 1, column: 1)
        try ws.write("Zoë Müller, Ó Súilleabháin", row: 2, column: 1)
        try ws.writeLink("P001", toSheet: "Data", cell: "A5", row: 3, column: 1)
        try wb.close()
        let dump = try WorkbookDump.read(path("cells.xlsx"))
        let s = try XCTUnwrap(dump.sheet("Data"))
        for (i, t) in risky.enumerated() {
            XCTAssertEqual(s["A\(i + 1)"]?.t, "text", "\(t) must stay text")
            XCTAssertEqual(s["A\(i + 1)"]?.v.string, t)
        }
        XCTAssertEqual(s["B1"]?.v.number, 0.8)
        XCTAssertEqual(s["B1"]?.fmt, "0%")
        XCTAssertEqual(s["B2"]?.t, "date")
        XCTAssertEqual(s["B2"]?.v.string, "2026-10-31", "a date is its calendar day, never shifted by a time zone")
        XCTAssertEqual(s["B3"]?.v.string, "Zoë Müller, Ó Súilleabháin")
        XCTAssertEqual(s.links["B4"], "'Data'!A5")
        XCTAssertEqual(s["B4"]?.v.string, "P001")
    }

    func testInvalidInputsThrowBeforeReachingTheLibraryAndPrintNothing() throws {
        let wb = try newWorkbook("invalid.xlsx")
        func code(_ body: () throws -> Void) -> XLSXError.Code? {
            do { try body(); return nil } catch { return (error as? XLSXError)?.code }
        }
        let printed = try capturingStderr {
            for bad in ["", "Sheet[1]", "a/b", "'quoted'", String(repeating: "x", count: 32), "history",
                        String(repeating: "\u{1F600}", count: 16)] { // 16 emoji are 32 UTF-16 units, as Excel counts
                XCTAssertEqual(code { _ = try wb.addWorksheet(bad) }, .invalidSheetName, "sheet name \(bad.debugDescription)")
            }
            _ = try wb.addWorksheet(String(repeating: "\u{1F600}", count: 15) + "x") // 31 units: the most a name has
            let ws = try wb.addWorksheet("Summary")
            XCTAssertEqual(code { _ = try wb.addWorksheet("summary") }, .duplicateSheetName, "names are unique ignoring case")
            XCTAssertThrowsError(try ws.write(String(repeating: "x", count: 32_768), row: 0, column: 0)) { e in
                XCTAssertEqual((e as? XLSXError)?.code, .textTooLong)
                XCTAssertTrue("\(e)".contains("32,767"), "\(e)")
                XCTAssertTrue("\(e)".contains("Summary!A1"), "says where: \(e)")
            }
            // 16,384 emoji: 16,384 characters, 32,768 UTF-16 units (Excel's LEN counts 2 each).
            XCTAssertEqual(code { try ws.write(String(repeating: "\u{1F600}", count: 16_384), row: 0, column: 0) }, .textTooLong)
            XCTAssertEqual(code { try ws.write(Double.nan, row: 0, column: 0) }, .invalidValue)
            XCTAssertEqual(code { try ws.write(Double.infinity, row: 0, column: 0) }, .invalidValue)
            XCTAssertEqual(code { try ws.write(1, row: 1_048_576, column: 0) }, .outsideSheet)
            XCTAssertEqual(code { try ws.write("x", row: 0, column: 16_384) }, .outsideSheet)
            XCTAssertEqual(code { try ws.write("x", row: -1, column: 0) }, .outsideSheet)
            XCTAssertEqual(code { try ws.write(CalendarDate(year: 2026, month: 4, day: 31), row: 0, column: 0) }, .invalidValue)
            XCTAssertEqual(code { try ws.write(CalendarDate(year: 2025, month: 2, day: 29), row: 0, column: 0) }, .invalidValue)
            XCTAssertEqual(code { try ws.write(CalendarDate(year: 1899, month: 12, day: 31), row: 0, column: 0) }, .invalidValue)
            XCTAssertEqual(code { try ws.autofilter(firstRow: 5, firstColumn: 0, lastRow: 1, lastColumn: 2) }, .invalidRange)
            XCTAssertEqual(code { try ws.autofilter(firstRow: -1, firstColumn: 0, lastRow: 1, lastColumn: 2) }, .outsideSheet)
            XCTAssertEqual(code { try ws.setColumns(0, 16_384, width: 3) }, .outsideSheet)
            XCTAssertEqual(code { try ws.setPageSetup(PageSetup(repeatRows: -1...0)) }, .outsideSheet)
            XCTAssertEqual(code { try ws.write("x", row: 0, column: 0, format: CellFormat(fontSize: 0)) }, .invalidValue)
            let chart = try wb.addLineChart(title: "c")
            XCTAssertEqual(code { try chart.addSeries(name: "s", sheet: "Summary", categoryColumn: -1, valueColumn: 0,
                                                      firstRow: 0, lastRow: 1) }, .outsideSheet)
            XCTAssertEqual(code { try chart.setValueAxis(min: 10, max: 0) }, .invalidValue)
            XCTAssertEqual(code { try chart.setValueAxis(min: .nan, max: nil) }, .invalidValue)
            try chart.addSeries(name: "s", sheet: "Summary", categoryColumn: 0, valueColumn: 0, firstRow: 0, lastRow: 1)
            XCTAssertEqual(code { try ws.insertChart(chart, row: 3, column: 3, scaleX: 0) }, .invalidValue)
            try ws.write(String(repeating: "y", count: 32_767), row: 0, column: 0)
            try ws.write(CalendarDate(year: 2024, month: 2, day: 29), row: 1, column: 0)
            try wb.close()
        }
        XCTAssertEqual(printed, "", "libxlsxwriter printed warnings")
        let dump = try WorkbookDump.read(path("invalid.xlsx"))
        XCTAssertEqual(dump.sheet("Summary")?["A1"]?.v.string?.count, 32_767)
        XCTAssertEqual(dump.sheet("Summary")?["A2"]?.v.string, "2024-02-29")
    }

    /// Chart texts are shown as typed: a title, axis name or series name starting with "="
    /// is text, never a reference (libxlsxwriter would read it as one).
    func testChartTextsStartingWithEqualsStayText() throws {
        let wb = try newWorkbook("equals.xlsx")
        let ws = try wb.addWorksheet("Data")
        try ws.write(1, row: 0, column: 0)
        try ws.write(2, row: 1, column: 0)
        let chart = try wb.addLineChart(title: "=Data!A1", yAxisTitle: "=reps")
        try chart.addSeries(name: "=Data!A2", sheet: "Data", categoryColumn: 0, valueColumn: 0, firstRow: 0, lastRow: 1)
        try ws.insertChart(chart, row: 3, column: 3)
        try wb.close()
        XCTAssertEqual(try WorkbookDump.read(path("equals.xlsx")).charts, ["\u{200B}=Data!A1 \u{200B}=reps"])
        let unzip = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"), ["unzip", "-p", path("equals.xlsx"), "xl/charts/chart1.xml"])
        let xml = unzip.stdout
        XCTAssertTrue(xml.contains("<c:v>\u{200B}=Data!A2</c:v>"), "the series name is text: \(xml)")
        // The only references are the series' categories and values.
        let references = xml.components(separatedBy: "<c:f>").dropFirst().map { $0.prefix { $0 != "<" } }
        XCTAssertEqual(references, ["Data!$A$1:$A$2", "Data!$A$1:$A$2"], xml)
    }

    /// Data bars, merged ranges, the page setup and page breaks, read back by openpyxl as written.
    func testDataBarsMergesAndPrintSetupReadBack() throws {
        let wb = try newWorkbook("print.xlsx")
        let ws = try wb.addWorksheet("Data")
        for r in 1...4 { try ws.write(Double(r * 10), row: r, column: 1) }
        let printed = try capturingStderr {
            try ws.dataBars(firstRow: 1, firstColumn: 1, lastRow: 4, lastColumn: 1, DataBars(color: 0x5B9BD5, minimum: 0, maximum: nil))
            try ws.dataBars(firstRow: 1, firstColumn: 2, lastRow: 4, lastColumn: 2, DataBars(color: 0xC00000, minimum: nil, maximum: 10))
            try ws.merge("A heading & more", firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 3, format: CellFormat(bold: true, wrap: true))
            try ws.merge("two rows", firstRow: 6, firstColumn: 1, lastRow: 7, lastColumn: 2)
            try ws.setPageSetup(PageSetup(landscape: true, scale: 90, left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, footerMargin: 0.25,
                                          repeatRows: 0...0, repeatColumns: 0...1,
                                          footer: "&L" + PageSetup.literal("Smith & Jones") + "&RPage &P of &N"))
            try ws.setPageBreaks(rows: [3, 5], columns: [2])
            try wb.close()
        }
        XCTAssertEqual(printed, "", "libxlsxwriter printed warnings")
        let s = try XCTUnwrap(try WorkbookDump.read(path("print.xlsx")).sheet("Data"))
        let bars = s.conditional.filter { $0.type == "dataBar" }
        XCTAssertEqual(bars.map(\.range), ["B2:B5", "C2:C5"])
        XCTAssertEqual(bars.map { $0.bar?.color }, ["FF5B9BD5", "FFC00000"])
        XCTAssertEqual(bars[0].bar?.bounds.map { $0.first?.string }, ["num", "max"])
        XCTAssertEqual(bars[0].bar?.bounds[0][1], .number(0))
        XCTAssertEqual(bars[1].bar?.bounds.map { $0.first?.string }, ["min", "num"])
        XCTAssertEqual(bars[1].bar?.bounds[1][1], .number(10))
        XCTAssertEqual(s.merged, ["A1:D1", "B7:C8"])
        XCTAssertEqual(s["A1"]?.v.string, "A heading & more")
        XCTAssertEqual(s.orientation, "landscape")
        XCTAssertEqual(s.scale, 90)
        XCTAssertFalse(s.fit_to_page, "a fixed scale, never fit to page")
        XCTAssertEqual(s.margins, [0.4, 0.4, 0.5, 0.6, 0.25])
        XCTAssertEqual(s.print_title_rows, "$1:$1")
        XCTAssertEqual(s.print_title_cols, "$A:$B")
        XCTAssertEqual(s.footer_parts, ["Smith && Jones", nil, "Page &P of &N"])
        XCTAssertEqual(s.row_breaks, [3, 5], "a break before row index 3 falls after the third row")
        XCTAssertEqual(s.col_breaks, [2])
    }

    /// Characters XML cannot hold become U+FFFD wherever text reaches the workbook: cells,
    /// links, sheet names, chart titles and series names, document properties. The file opens
    /// in openpyxl and in LibreOffice.
    func testTextXMLCannotHoldIsReplacedEverywhere() throws {
        let bad = "a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{1F}g\u{FFFE}h\u{FFFF}i\tj\nk"
        let shown = "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\u{FFFD}g\u{FFFD}h\u{FFFD}i\tj\nk"
        let wb = try Workbook(path: path("control.xlsx"), properties: .init(title: "T\u{3}itle", created: 1_790_000_000))
        let printed = try capturingStderr {
            let ws = try wb.addWorksheet("Data\u{1}")
            XCTAssertEqual(ws.name, "Data\u{FFFD}")
            try ws.write(bad, row: 0, column: 0)
            try ws.write("P\u{1B}1", row: 1, column: 0)
            try ws.write(1, row: 1, column: 1)
            try ws.write(2, row: 2, column: 1)
            try ws.writeLink("P\u{4}1", toSheet: "Data\u{1}", cell: "A5", row: 3, column: 0)
            let chart = try wb.addLineChart(title: "Step\u{2}ups", yAxisTitle: "reps\u{7}")
            try chart.addSeries(name: "left\u{5}", sheet: "Data\u{1}", categoryColumn: 0, valueColumn: 1, firstRow: 1, lastRow: 2)
            try ws.insertChart(chart, row: 5, column: 3)
            try wb.close()
        }
        XCTAssertEqual(printed, "", "libxlsxwriter printed warnings")
        let dump = try WorkbookDump.read(path("control.xlsx"))
        let s = try XCTUnwrap(dump.sheet("Data\u{FFFD}"), "\(dump.sheets.map(\.name))")
        XCTAssertEqual(s["A1"]?.v.string, shown)
        XCTAssertEqual(s["A2"]?.v.string, "P\u{FFFD}1")
        XCTAssertEqual(s["A4"]?.v.string, "P\u{FFFD}1")
        XCTAssertEqual(s.links["A4"], "'Data\u{FFFD}'!A5")
        XCTAssertEqual(dump.properties.title, "T\u{FFFD}itle")
        XCTAssertEqual(dump.charts.count, 1)
        XCTAssertTrue(dump.charts[0].contains("Step\u{FFFD}ups"), dump.charts[0])
        XCTAssertTrue(dump.charts[0].contains("reps\u{FFFD}"), dump.charts[0])

        let soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let office = try XCTUnwrap(soffice, "LibreOffice is needed for this check; scripts/test.sh installs it")
        let conv = folder.appendingPathComponent("conv")
        let profile = folder.appendingPathComponent("profile")
        let r = try Process.runCollecting(URL(fileURLWithPath: office),
                                          ["-env:UserInstallation=file://\(profile.path)", "--headless", "--norestore",
                                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                                           "--outdir", conv.path, path("control.xlsx")])
        XCTAssertEqual(r.code, 0, r.stderr)
        let produced = (try? FileManager.default.contentsOfDirectory(atPath: conv.path)) ?? []
        let csv = try XCTUnwrap(produced.first, "LibreOffice could not open the workbook: \(r.stdout) \(r.stderr)")
        let text = try String(contentsOf: conv.appendingPathComponent(csv), encoding: .utf8)
        XCTAssertTrue(text.contains("P\u{FFFD}1"), text)
    }

    func testCloseChecksTheDestinationFirstAndNeverCrashes() throws {
        let missing = folder.appendingPathComponent("no/such/folder/x.xlsx").path
        let wb = try Workbook(path: missing, properties: .init(title: "t", created: 0))
        _ = try wb.addWorksheet("A")
        let printed = try capturingStderr {
            XCTAssertThrowsError(try wb.close()) { e in
                XCTAssertEqual((e as? XLSXError)?.code, .destinationNotWritable)
                XCTAssertTrue("\(e)".contains(missing) && "\(e)".contains("does not exist"), "\(e)")
            }
        }
        XCTAssertEqual(printed, "", "the library printed nothing")
        XCTAssertThrowsError(try wb.close(), "a failed close closed the workbook: closing again cannot write it") { e in
            XCTAssertEqual((e as? XLSXError)?.code, .workbookClosed)
        }
        XCTAssertThrowsError(try wb.addWorksheet("B"), "a closed workbook cannot be used") { e in
            XCTAssertEqual((e as? XLSXError)?.code, .workbookClosed)
        }
        // A folder in the way.
        try FileManager.default.createDirectory(atPath: path("dir.xlsx"), withIntermediateDirectories: true)
        let blocked = try newWorkbook("dir.xlsx")
        XCTAssertThrowsError(try blocked.close()) { e in
            XCTAssertEqual((e as? XLSXError)?.code, .destinationNotWritable)
            XCTAssertTrue("\(e)".contains("folder of that name"), "\(e)")
        }
    }

    func testAWorkbookReleasedWithoutCloseWritesNothing() throws {
        do {
            let wb = try newWorkbook("abandoned.xlsx")
            try wb.addWorksheet("A").write("x", row: 0, column: 0)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("abandoned.xlsx")))
    }

    func testSameContentGivesIdenticalBytes() throws {
        for name in ["one.xlsx", "two.xlsx"] {
            let wb = try newWorkbook(name)
            let ws = try wb.addWorksheet("A")
            try ws.write("same", row: 0, column: 0)
            try ws.write(CalendarDate(year: 2026, month: 1, day: 2), row: 1, column: 0)
            let chart = try wb.addLineChart(title: "c")
            try chart.addSeries(name: "s", sheet: "A", categoryColumn: 0, valueColumn: 0, firstRow: 0, lastRow: 1)
            try ws.insertChart(chart, row: 3, column: 3)
            try wb.close()
            Thread.sleep(forTimeInterval: 1.1) // a different wall-clock second must not matter
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("one.xlsx"))),
                       try Data(contentsOf: URL(fileURLWithPath: path("two.xlsx"))))
    }
}
