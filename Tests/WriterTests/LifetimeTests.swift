import Foundation
import TestSupport
import WriterCases
import XCTest
import XLSXWriter

/// No handle reaches freed C memory: after close every method of every handle throws
/// `.workbookClosed`, and handles keep their workbook alive. (SanitizerTests runs the same calls
/// under AddressSanitizer.)
final class LifetimeTests: FolderTestCase {
    /// The calls are valid: on an open workbook each one succeeds, so the tests below see the
    /// closed workbook and nothing else.
    func testEveryHandleCallSucceedsOnAnOpenWorkbook() throws {
        for (i, c) in HandleCall.all.enumerated() {
            let h = try Handles.make(path: path("open-\(i).xlsx"))
            XCTAssertNoThrow(try c.call(h), c.name)
        }
    }

    func testEveryHandleMethodAfterCloseThrowsWorkbookClosed() throws {
        for (i, c) in HandleCall.all.enumerated() {
            let h = try Handles.make(path: path("closed-\(i).xlsx"))
            try h.workbook.close()
            XCTAssertFalse(h.workbook.isOpen)
            XCTAssertThrowsError(try c.call(h), c.name) { e in
                let error = e as? XLSXError
                XCTAssertEqual(error?.code, .workbookClosed, "\(c.name): \(e)")
                XCTAssertEqual(error?.message, "the workbook is already closed", c.name)
                XCTAssertFalse(error?.operation.isEmpty ?? true, "\(c.name) says what was being done")
            }
        }
    }

    /// A close that fails frees the workbook too: its handles are closed just the same.
    func testEveryHandleMethodAfterAFailedCloseThrowsWorkbookClosed() throws {
        for (i, c) in HandleCall.all.enumerated() {
            let h = try Handles.make(path: path("no/such/folder/\(i).xlsx"))
            XCTAssertThrowsError(try h.workbook.close()) { e in
                XCTAssertEqual((e as? XLSXError)?.code, .destinationNotWritable)
            }
            XCTAssertThrowsError(try c.call(h), c.name) { e in
                XCTAssertEqual((e as? XLSXError)?.code, .workbookClosed, "\(c.name): \(e)")
            }
        }
    }

    /// HandleCall.all names every public method of Workbook, Worksheet and Chart, read from
    /// their sources, so a method added later without an after-close case fails here.
    func testTheAfterCloseListCoversEveryPublicHandleMethod() throws {
        let sources = AdhereProcess.packageRoot.appendingPathComponent("Sources/XLSXWriter")
        var declared: Set<String> = []
        for type in ["Workbook", "Worksheet", "Chart"] {
            let text = try String(contentsOf: sources.appendingPathComponent("\(type).swift"), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let code = line.drop { $0 == " " }
                guard code.hasPrefix("public func ") else { continue } // instance methods (not static ones)
                let name = code.dropFirst("public func ".count).prefix { $0.isLetter || $0.isNumber }
                declared.insert("\(type).\(name)")
            }
        }
        XCTAssertTrue(declared.contains("Worksheet.insertChart") && declared.count >= 15, "the sources were read: \(declared)")
        XCTAssertEqual(Set(HandleCall.all.map(\.method)), declared)
        let writes = HandleCall.all.filter { $0.method == "Worksheet.write" }.count
        XCTAssertEqual(writes, 4, "each overload of write: text, Double, Int, date")
    }

    /// The sheet and chart are the only references to their workbook: it stays alive and open,
    /// they write to it and close it through `workbook`, and it is freed with them.
    func testHandlesOutliveTheirWorkbookVariable() throws {
        weak var weakWorkbook: Workbook?
        var handles: (Worksheet, Chart)? = try {
            let h = try Handles.make(path: path("orphans.xlsx"))
            weakWorkbook = h.workbook
            return (h.sheet, h.chart)
        }()
        XCTAssertNotNil(weakWorkbook, "the handles keep the workbook alive")
        let (sheet, chart) = try XCTUnwrap(handles)
        try sheet.write("written after the workbook's variable was gone", row: 2, column: 0)
        try chart.setValueAxis(min: 0, max: 5)
        try sheet.insertChart(chart, row: 4, column: 4)
        try sheet.workbook.close()
        XCTAssertThrowsError(try sheet.write("x", row: 3, column: 0)) { e in
            XCTAssertEqual((e as? XLSXError)?.code, .workbookClosed)
        }
        XCTAssertThrowsError(try chart.setCategoryNumberFormat("dd")) { e in
            XCTAssertEqual((e as? XLSXError)?.code, .workbookClosed)
        }
        handles = nil
        XCTAssertNotNil(weakWorkbook, "still held by `sheet` and `chart`")

        let dump = try WorkbookDump.read(path("orphans.xlsx"))
        XCTAssertEqual(dump.sheet("Data")?["A3"]?.v.string, "written after the workbook's variable was gone")
        XCTAssertEqual(dump.charts.count, 1)
    }

    /// Released with its handles and never closed: freed, and nothing written.
    func testAWorkbookHeldOnlyByHandlesIsDiscardedWithThem() throws {
        weak var weakWorkbook: Workbook?
        do {
            let h = try Handles.make(path: path("dropped.xlsx"))
            weakWorkbook = h.workbook
            let sheet = h.sheet
            try sheet.write("x", row: 5, column: 0)
        }
        XCTAssertNil(weakWorkbook)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("dropped.xlsx")))
    }
}
