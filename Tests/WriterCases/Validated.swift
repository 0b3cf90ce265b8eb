import XLSXWriter

/// An input libxlsxwriter would print a `[WARNING]` or `[ERROR]` line about, or quietly write
/// into a file Excel must repair, and what the wrapper does instead: throw `expected`, or
/// (where `expected` is nil) write it correctly, with the library silent either way.
public struct ValidatedCase: Sendable {
    public let name: String
    /// The code the call must throw, from the wrapper's rules; nil: the call must succeed.
    public let expected: XLSXError.Code?
    /// The call, on a fresh workbook (see ``Handles/make(path:)``) in `folder`.
    public let call: @Sendable (_ handles: Handles, _ folder: String) throws(XLSXError) -> Void

    public init(_ name: String, _ expected: XLSXError.Code?,
                _ call: @escaping @Sendable (_ handles: Handles, _ folder: String) throws(XLSXError) -> Void) {
        self.name = name
        self.expected = expected
        self.call = call
    }

    /// What running the case gave: nil when it matched `expected`, else what happened.
    public func run(in folder: String, index: Int) -> String? {
        let h: Handles
        do { h = try Handles.make(path: "\(folder)/case-\(index).xlsx") } catch { return "setup failed: \(error)" }
        do {
            try call(h, folder)
            if let expected { return "did not throw (expected \(expected))" }
        } catch {
            guard error.code == expected else { return "threw \(error.code) (expected \(expected.map { "\($0)" } ?? "success")): \(error)" }
        }
        // Whatever happened, the workbook must still close cleanly (and quietly).
        if h.workbook.isOpen {
            do { try h.workbook.close() } catch { return "closing afterwards failed: \(error)" }
        }
        return nil
    }

    public static let all: [ValidatedCase] = [
        // Sheet names (libxlsxwriter prints "workbook_add_worksheet(): worksheet name ... has error").
        ValidatedCase("sheet name of 32 characters", .invalidSheetName) { h, _ throws(XLSXError) in
            _ = try h.workbook.addWorksheet(String(repeating: "x", count: 32))
        },
        ValidatedCase("sheet name with [", .invalidSheetName) { h, _ throws(XLSXError) in _ = try h.workbook.addWorksheet("Sheet[1]") },
        ValidatedCase("sheet name starting with an apostrophe", .invalidSheetName) { h, _ throws(XLSXError) in
            _ = try h.workbook.addWorksheet("'quoted")
        },
        ValidatedCase("sheet name used already, in other case", .duplicateSheetName) { h, _ throws(XLSXError) in
            _ = try h.workbook.addWorksheet("DATA")
        },
        // Cells (the library returns an error code for these, or writes what Excel repairs).
        ValidatedCase("text of 32,768 characters", .textTooLong) { h, _ throws(XLSXError) in
            try h.sheet.write(String(repeating: "y", count: 32_768), row: 0, column: 1)
        },
        ValidatedCase("32,767 letters each with a combining accent (65,534 code units)", .textTooLong) { h, _ throws(XLSXError) in
            try h.sheet.write(String(repeating: "e\u{301}", count: 32_767), row: 0, column: 1)
        },
        ValidatedCase("row 1,048,577", .outsideSheet) { h, _ throws(XLSXError) in try h.sheet.write(1, row: 1_048_576, column: 0) },
        ValidatedCase("column 16,385", .outsideSheet) { h, _ throws(XLSXError) in try h.sheet.write("x", row: 0, column: 16_384) },
        ValidatedCase("NaN", .invalidValue) { h, _ throws(XLSXError) in try h.sheet.write(Double.nan, row: 0, column: 1) },
        ValidatedCase("30 February", .invalidValue) { h, _ throws(XLSXError) in
            try h.sheet.write(CalendarDate(year: 2026, month: 2, day: 30), row: 0, column: 1)
        },
        ValidatedCase("font colour above 0xFFFFFF", .invalidValue) { h, _ throws(XLSXError) in
            try h.sheet.write("x", row: 0, column: 1, format: CellFormat(fontColor: 0x1000000))
        },
        ValidatedCase("empty conditional formula", .invalidValue) { h, _ throws(XLSXError) in
            try h.sheet.conditionalFormat(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0, rule: .formula(""), format: .plain)
        },
        // Data bars, merged ranges, print setup (the library prints "worksheet_merge_range(): Can't
        // merge single cell", "Header/footer string exceeds Excel's limit", or quietly writes a file
        // Excel repairs: overlapping merges, a data bar whose minimum is its maximum).
        ValidatedCase("data bars with the minimum at the maximum", .invalidValue) { h, _ throws(XLSXError) in
            try h.sheet.dataBars(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0, DataBars(color: 0x5B9BD5, minimum: 1, maximum: 1))
        },
        ValidatedCase("data bars of colour 0x1000000", .invalidValue) { h, _ throws(XLSXError) in
            try h.sheet.dataBars(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0, DataBars(color: 0x1000000))
        },
        ValidatedCase("data bars over a reversed range", .invalidRange) { h, _ throws(XLSXError) in
            try h.sheet.dataBars(firstRow: 1, firstColumn: 0, lastRow: 0, lastColumn: 0, DataBars(color: 0x5B9BD5))
        },
        ValidatedCase("a merged range of one cell", .invalidRange) { h, _ throws(XLSXError) in
            try h.sheet.merge("x", firstRow: 3, firstColumn: 1, lastRow: 3, lastColumn: 1)
        },
        ValidatedCase("merged ranges that overlap", .overlappingMerge) { h, _ throws(XLSXError) in
            try h.sheet.merge("a", firstRow: 3, firstColumn: 1, lastRow: 4, lastColumn: 3)
            try h.sheet.merge("b", firstRow: 4, firstColumn: 3, lastRow: 4, lastColumn: 5)
        },
        ValidatedCase("merged ranges side by side", nil) { h, _ throws(XLSXError) in
            try h.sheet.merge("a", firstRow: 3, firstColumn: 1, lastRow: 4, lastColumn: 3)
            try h.sheet.merge("b", firstRow: 4, firstColumn: 4, lastRow: 4, lastColumn: 5)
        },
        ValidatedCase("footer of 256 characters", .textTooLong) { h, _ throws(XLSXError) in
            try h.sheet.setPageSetup(PageSetup(footer: String(repeating: "f", count: 256)))
        },
        ValidatedCase("print scale 5%", .invalidValue) { h, _ throws(XLSXError) in try h.sheet.setPageSetup(PageSetup(scale: 5)) },
        ValidatedCase("negative margin", .invalidValue) { h, _ throws(XLSXError) in try h.sheet.setPageSetup(PageSetup(left: -1)) },
        ValidatedCase("1,024 page breaks", .invalidValue) { h, _ throws(XLSXError) in
            try h.sheet.setPageBreaks(rows: Array(1...1_024))
        },
        ValidatedCase("a page break before the first row", .outsideSheet) { h, _ throws(XLSXError) in
            try h.sheet.setPageBreaks(rows: [0, 5])
        },
        ValidatedCase("page breaks out of order", .invalidValue) { h, _ throws(XLSXError) in
            try h.sheet.setPageBreaks(rows: [9, 5])
        },
        ValidatedCase("1,023 page breaks", nil) { h, _ throws(XLSXError) in try h.sheet.setPageBreaks(rows: Array(1...1_023)) },
        // Links (the library prints "worksheet_write_url()/_opt(): URL ...").
        ValidatedCase("link target of 256 bytes", .linkTooLong) { h, _ throws(XLSXError) in
            try h.sheet.writeLink("x", toSheet: "Data", cell: "A" + String(repeating: "1", count: 256 - "internal:'Data'!A".utf8.count),
                                  row: 0, column: 1)
        },
        ValidatedCase("link 65,531 on one sheet", .tooManyLinks) { h, _ throws(XLSXError) in
            for i in 0..<65_530 { try h.sheet.writeLink("x", toSheet: "Data", cell: "A1", row: 10 + i, column: 1) }
            try h.sheet.writeLink("x", toSheet: "Data", cell: "A1", row: 9, column: 1)
        },
        // Charts (the library prints "worksheet_insert_chart()/_opt(): ..." or, at close,
        // "workbook_add_chart(): worksheet name ... doesn't exist").
        ValidatedCase("chart without a series placed", .chartWithoutSeries) { h, _ throws(XLSXError) in
            try h.sheet.insertChart(try h.workbook.addLineChart(title: "empty"), row: 3, column: 3)
        },
        ValidatedCase("chart placed twice", .chartAlreadyInserted) { h, _ throws(XLSXError) in
            try h.sheet.insertChart(h.chart, row: 3, column: 3)
            try h.sheet.insertChart(h.chart, row: 20, column: 3)
        },
        ValidatedCase("chart of another workbook placed", .chartOfAnotherWorkbook) { h, folder throws(XLSXError) in
            let other = try Handles.make(path: "\(folder)/other.xlsx")
            try h.sheet.insertChart(other.chart, row: 3, column: 3)
        },
        ValidatedCase("series on a sheet the workbook does not have", .unknownSheet) { h, _ throws(XLSXError) in
            try h.chart.addSeries(name: "s", sheet: "Missing", categoryColumn: 0, valueColumn: 0, firstRow: 0, lastRow: 1)
        },
        ValidatedCase("series naming its sheet in other case, beyond ASCII", nil) { h, _ throws(XLSXError) in
            let sheet = try h.workbook.addWorksheet("Ärzte")
            try sheet.write(1, row: 0, column: 0)
            let chart = try h.workbook.addLineChart(title: "a")
            try chart.addSeries(name: "s", sheet: "äRZTE", categoryColumn: 0, valueColumn: 0, firstRow: 0, lastRow: 0)
            try sheet.insertChart(chart, row: 2, column: 2)
        },
        ValidatedCase("chart texts that look like references", nil) { h, _ throws(XLSXError) in
            let chart = try h.workbook.addLineChart(title: "=Missing!A1", yAxisTitle: "=Missing!B1", xAxisTitle: "=x")
            try chart.addSeries(name: "=Missing!C1", sheet: "Data", categoryColumn: 0, valueColumn: 0, firstRow: 0, lastRow: 1)
            try h.sheet.insertChart(chart, row: 3, column: 3)
        },
        // Writing (the library prints "[ERROR] workbook_close(): Error creating ...").
        ValidatedCase("destination folder missing", .destinationNotWritable) { _, folder throws(XLSXError) in
            let w = try Workbook(path: "\(folder)/no/such/folder/x.xlsx", properties: .init(title: "t", created: 0))
            try w.close()
        },
        ValidatedCase("destination that takes no new files (/proc)", .destinationNotWritable) { _, _ throws(XLSXError) in
            let w = try Workbook(path: "/proc/adhere-writer-test.xlsx", properties: .init(title: "t", created: 0))
            try w.close()
        },
        ValidatedCase("scratch folder missing", .temporaryFolderUnusable) { _, folder throws(XLSXError) in
            let w = try Workbook(path: "\(folder)/scratch.xlsx", properties: .init(title: "t", created: 0),
                                 temporaryFolder: "\(folder)/no-such-folder")
            try w.close()
        },
    ]
}
