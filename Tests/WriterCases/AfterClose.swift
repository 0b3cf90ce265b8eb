import XLSXWriter

/// A workbook with one of each handle, for calling every handle method on.
public struct Handles {
    public let workbook: Workbook
    public let sheet: Worksheet
    /// A chart with a series, not yet placed.
    public let chart: Chart

    /// A workbook at `path` with a sheet "Data" holding two rows and a chart of them.
    public static func make(path: String) throws(XLSXError) -> Handles {
        let workbook = try Workbook(path: path, properties: .init(title: "handles", created: 0))
        let sheet = try workbook.addWorksheet("Data")
        try sheet.write(1, row: 0, column: 0)
        try sheet.write(2, row: 1, column: 0)
        let chart = try workbook.addLineChart(title: "c")
        try chart.addSeries(name: "s", sheet: "Data", categoryColumn: 0, valueColumn: 0, firstRow: 0, lastRow: 1)
        return Handles(workbook: workbook, sheet: sheet, chart: chart)
    }
}

/// One call of a public method of ``Workbook``, ``Worksheet`` or ``Chart`` with valid
/// arguments: on an open workbook it succeeds, on a closed one it must throw
/// `.workbookClosed` without touching C memory.
public struct HandleCall: Sendable {
    /// `Type.method`, with the overload in parentheses where there are several.
    public let name: String
    public let call: @Sendable (Handles) throws(XLSXError) -> Void

    public init(_ name: String, _ call: @escaping @Sendable (Handles) throws(XLSXError) -> Void) {
        self.name = name
        self.call = call
    }

    /// The type and method name, without the overload ("Worksheet.write").
    public var method: String { String(name.prefix { $0 != "(" }) }

    /// Every public method of the three handle types (each overload of `write`), with new
    /// formats where a method takes one, so a format is made after close too.
    public static let all: [HandleCall] = [
        HandleCall("Workbook.addWorksheet") { h throws(XLSXError) in _ = try h.workbook.addWorksheet("More") },
        HandleCall("Workbook.addLineChart") { h throws(XLSXError) in _ = try h.workbook.addLineChart(title: "t", yAxisTitle: "y", xAxisTitle: "x") },
        HandleCall("Workbook.close") { h throws(XLSXError) in try h.workbook.close() },
        HandleCall("Worksheet.write(text)") { h throws(XLSXError) in try h.sheet.write("x", row: 3, column: 0, format: CellFormat(bold: true)) },
        HandleCall("Worksheet.write(double)") { h throws(XLSXError) in try h.sheet.write(0.5, row: 3, column: 1, format: .percent) },
        HandleCall("Worksheet.write(int)") { h throws(XLSXError) in try h.sheet.write(7, row: 3, column: 2, format: .integer) },
        HandleCall("Worksheet.write(date)") { h throws(XLSXError) in try h.sheet.write(CalendarDate(year: 2026, month: 10, day: 31), row: 3, column: 3) },
        HandleCall("Worksheet.writeLink") { h throws(XLSXError) in try h.sheet.writeLink("go", toSheet: "Data", cell: "A1", row: 4, column: 0) },
        HandleCall("Worksheet.setColumns") { h throws(XLSXError) in try h.sheet.setColumns(0, 2, width: 12, format: CellFormat(wrap: true)) },
        HandleCall("Worksheet.setRowHeight") { h throws(XLSXError) in try h.sheet.setRowHeight(0, height: 30) },
        HandleCall("Worksheet.freezePanes") { h throws(XLSXError) in try h.sheet.freezePanes(row: 1, column: 0) },
        HandleCall("Worksheet.autofilter") { h throws(XLSXError) in try h.sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0) },
        HandleCall("Worksheet.conditionalFormat") { h throws(XLSXError) in
            try h.sheet.conditionalFormat(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0, rule: .formula("$A1>1"),
                                          format: CellFormat(background: 0xFFC7CE))
        },
        HandleCall("Worksheet.dataBars") { h throws(XLSXError) in
            try h.sheet.dataBars(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0, DataBars(color: 0x5B9BD5, minimum: 0, maximum: 2))
        },
        HandleCall("Worksheet.merge") { h throws(XLSXError) in
            try h.sheet.merge("heading", firstRow: 6, firstColumn: 0, lastRow: 6, lastColumn: 3, format: CellFormat(bold: true, wrap: true))
        },
        HandleCall("Worksheet.setPageSetup") { h throws(XLSXError) in
            try h.sheet.setPageSetup(PageSetup(landscape: true, scale: 90, repeatRows: 0...0, repeatColumns: 0...1, footer: "&L&A&RPage &P of &N"))
        },
        HandleCall("Worksheet.setPageBreaks") { h throws(XLSXError) in try h.sheet.setPageBreaks(rows: [1], columns: [1]) },
        HandleCall("Worksheet.insertChart") { h throws(XLSXError) in try h.sheet.insertChart(h.chart, row: 5, column: 2) },
        HandleCall("Worksheet.activate") { h throws(XLSXError) in try h.sheet.activate() },
        HandleCall("Chart.addSeries") { h throws(XLSXError) in
            try h.chart.addSeries(name: "t", sheet: "Data", categoryColumn: 0, valueColumn: 0, firstRow: 0, lastRow: 1, color: 0xC00000)
        },
        HandleCall("Chart.setValueAxis") { h throws(XLSXError) in try h.chart.setValueAxis(min: 0, max: 10, numberFormat: "0") },
        HandleCall("Chart.setCategoryNumberFormat") { h throws(XLSXError) in try h.chart.setCategoryNumberFormat("dd mmm") },
    ]
}
