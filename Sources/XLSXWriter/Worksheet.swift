internal import CXlsxWriter

/// One sheet of a ``Workbook``. Text is always written as text (a value like `=SUM(A1)`
/// stays the characters typed, never a formula).
public final class Worksheet {
    public let name: String
    unowned let workbook: Workbook
    let raw: UnsafeMutablePointer<lxw_worksheet>

    init(workbook: Workbook, raw: UnsafeMutablePointer<lxw_worksheet>, name: String) {
        self.workbook = workbook
        self.raw = raw
        self.name = name
    }

    private func place(_ row: Int, _ column: Int) -> String { "\(name)!\(cellName(row: row, column: column))" }

    private func checkCell(_ row: Int, _ column: Int, _ what: String) throws {
        guard (0...ExcelLimits.maxRow).contains(row), (0...ExcelLimits.maxColumn).contains(column) else {
            throw XLSXError(operation: "writing \(what) at row \(row + 1), column \(column + 1) of \(name)",
                            message: "outside the sheet (Excel holds 1,048,576 rows and 16,384 columns)")
        }
        _ = try workbook.live("writing \(what) at \(place(row, column))")
        workbook.contents.cells += 1
    }

    /// Writes text as a text cell. Text longer than a cell holds (32,767 characters) is an error.
    public func write(_ text: String, row: Int, column: Int, format: CellFormat? = nil) throws {
        try checkCell(row, column, "text")
        let safe = Workbook.cSafe(text)
        if safe.utf8.count > ExcelLimits.maxStringLength && safe.count > ExcelLimits.maxStringLength {
            throw XLSXError(operation: "writing text at \(place(row, column))",
                            message: "\(safe.count) characters is more than a cell holds (32,767)")
        }
        let f = try workbook.format(format)
        try check(safe.withCString { worksheet_write_string(raw, lxw_row_t(row), lxw_col_t(column), $0, f) },
                  "writing text at \(place(row, column))")
    }

    /// Writes a number. NaN and infinity are errors (Excel has no such values).
    public func write(_ number: Double, row: Int, column: Int, format: CellFormat? = nil) throws {
        try checkCell(row, column, "a number")
        guard number.isFinite else {
            throw XLSXError(operation: "writing a number at \(place(row, column))", message: "\(number) is not a number Excel can hold")
        }
        let f = try workbook.format(format)
        try check(worksheet_write_number(raw, lxw_row_t(row), lxw_col_t(column), number, f),
                  "writing a number at \(place(row, column))")
    }

    public func write(_ number: Int, row: Int, column: Int, format: CellFormat? = nil) throws {
        try write(Double(number), row: row, column: column, format: format)
    }

    /// Writes a date cell (the format should be a date format, e.g. ``CellFormat/date``).
    public func write(_ date: CalendarDate, row: Int, column: Int, format: CellFormat = .date) throws {
        try checkCell(row, column, "a date")
        guard (1900...9999).contains(date.year), (1...12).contains(date.month), (1...31).contains(date.day) else {
            throw XLSXError(operation: "writing a date at \(place(row, column))", message: "\(date) is outside Excel's dates")
        }
        var dt = lxw_datetime(year: Int32(date.year), month: Int32(date.month), day: Int32(date.day), hour: 0, min: 0, sec: 0)
        let f = try workbook.format(format)
        try check(worksheet_write_datetime(raw, lxw_row_t(row), lxw_col_t(column), &dt, f),
                  "writing a date at \(place(row, column))")
    }

    /// Writes `text` as a link to a cell of this workbook (e.g. sheet `Trends`, cell `A40`).
    public func writeLink(_ text: String, toSheet sheet: String, cell: String, row: Int, column: Int,
                          format: CellFormat? = nil) throws {
        try checkCell(row, column, "a link")
        let target = "internal:'\(Workbook.cSafe(sheet).split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''"))'!\(cell)"
        guard target.utf8.count <= 255 else {
            throw XLSXError(operation: "writing a link at \(place(row, column))", message: "the link is longer than Excel allows")
        }
        let safe = Workbook.cSafe(text)
        guard safe.count <= ExcelLimits.maxStringLength else {
            throw XLSXError(operation: "writing a link at \(place(row, column))", message: "the text is longer than a cell holds")
        }
        let f = try workbook.format(format ?? CellFormat(fontColor: 0x0563C1))
        try check(target.withCString { url in
            safe.withCString { str in worksheet_write_url_opt(raw, lxw_row_t(row), lxw_col_t(column), url, f, str, nil) }
        }, "writing a link at \(place(row, column))")
    }

    /// Sets the width (in characters) of columns `first...last`.
    public func setColumns(_ first: Int, _ last: Int, width: Double, format: CellFormat? = nil) throws {
        guard 0 <= first, first <= last, last <= ExcelLimits.maxColumn else {
            throw XLSXError(operation: "setting column widths of \(name)", message: "columns \(first)...\(last) are outside the sheet")
        }
        let w = min(max(width, 0), ExcelLimits.maxColumnWidth)
        let f = try workbook.format(format)
        try check(worksheet_set_column(raw, lxw_col_t(first), lxw_col_t(last), w, f), "setting column widths of \(name)")
    }

    /// Sets the height (in points) of one row.
    public func setRowHeight(_ row: Int, height: Double) throws {
        try checkCell(row, 0, "a row height")
        try check(worksheet_set_row(raw, lxw_row_t(row), min(max(height, 0), 409), nil), "setting row height in \(name)")
    }

    /// Keeps the rows above `row` and the columns left of `column` in view.
    public func freezePanes(row: Int, column: Int) throws {
        try checkCell(row, column, "frozen panes")
        worksheet_freeze_panes(raw, lxw_row_t(row), lxw_col_t(column))
    }

    public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws {
        try checkCell(lastRow, lastColumn, "an autofilter")
        try check(worksheet_autofilter(raw, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn)),
                  "adding an autofilter to \(name)")
    }

    /// Formats the cells of a range where `rule` holds.
    public func conditionalFormat(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int,
                                  rule: ConditionalRule, format: CellFormat, stopIfTrue: Bool = false) throws {
        try checkCell(lastRow, lastColumn, "a conditional format")
        var cf = lxw_conditional_format()
        cf.format = try workbook.format(format)
        cf.stop_if_true = stopIfTrue ? 1 : 0
        switch rule {
        case .formula(let formula):
            cf.type = UInt8(LXW_CONDITIONAL_TYPE_FORMULA.rawValue)
            cf.value_string = workbook.retain(formula)
        }
        try check(worksheet_conditional_format_range(raw, lxw_row_t(firstRow), lxw_col_t(firstColumn),
                                                     lxw_row_t(lastRow), lxw_col_t(lastColumn), &cf),
                  "adding a conditional format to \(name)")
    }

    /// Page setup for printing: landscape, fit to `width` pages wide (any number tall),
    /// and the given rows repeated at the top of every page.
    public func setPrintLayout(landscape: Bool, fitWidth: Int, repeatRows: ClosedRange<Int>?) throws {
        _ = try workbook.live("setting print layout of \(name)")
        if landscape { worksheet_set_landscape(raw) }
        worksheet_fit_to_pages(raw, UInt16(max(0, min(fitWidth, 100))), 0)
        if let rows = repeatRows {
            try check(worksheet_repeat_rows(raw, lxw_row_t(rows.lowerBound), lxw_row_t(rows.upperBound)),
                      "repeating header rows of \(name)")
        }
    }

    /// Places a chart with its top-left corner at a cell.
    public func insertChart(_ chart: Chart, row: Int, column: Int, scaleX: Double = 1, scaleY: Double = 1) throws {
        try checkCell(row, column, "a chart")
        var options = lxw_chart_options()
        options.x_scale = scaleX
        options.y_scale = scaleY
        try check(worksheet_insert_chart_opt(raw, lxw_row_t(row), lxw_col_t(column), chart.raw, &options),
                  "placing chart '\(chart.title)' at \(place(row, column))")
    }

    /// Makes this the sheet shown when the workbook opens.
    public func activate() { worksheet_activate(raw) }
}
