internal import CXlsxWriter

/// One sheet of a ``Workbook``. Text is always written as text (a value like `=SUM(A1)`
/// stays the characters typed, never a formula).
///
/// A worksheet keeps its workbook alive (``workbook``) and holds no C pointer of its own:
/// each call asks the workbook for the sheet's C object, and once the workbook is closed every
/// call throws ``XLSXError/Code/workbookClosed`` instead of touching freed memory.
public final class Worksheet {
    /// The sheet's name, as written (after ``Workbook/xmlSafe(_:)``).
    public let name: String
    /// The workbook this sheet belongs to, kept alive as long as the sheet is.
    public let workbook: Workbook
    /// This sheet's place in its workbook's list of C worksheets.
    private let index: Int

    init(workbook: Workbook, index: Int, name: String) {
        self.workbook = workbook
        self.index = index
        self.name = name
    }

    private func place(_ row: Int, _ column: Int) -> String { "\(name)!\(cellName(row: row, column: column))" }

    /// The C worksheet, while the workbook is open.
    private func live(_ operation: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<lxw_worksheet> {
        try workbook.sheet(index, operation())
    }

    /// The C worksheet for writing `what` at a cell inside Excel's grid (counted in the
    /// workbook's ``Workbook/contents``).
    private func cell(_ row: Int, _ column: Int, _ what: String) throws(XLSXError) -> UnsafeMutablePointer<lxw_worksheet> {
        guard inGrid(row, column) else {
            throw XLSXError(.outsideSheet, "writing \(what) at row \(row + 1), column \(column + 1) of \(name)",
                            "outside the sheet (Excel holds 1,048,576 rows and 16,384 columns)")
        }
        let ws = try live("writing \(what) at \(place(row, column))")
        workbook.contents.cells += 1
        return ws
    }

    private func inGrid(_ row: Int, _ column: Int) -> Bool {
        (0...ExcelLimits.maxRow).contains(row) && (0...ExcelLimits.maxColumn).contains(column)
    }

    /// Checks a range is inside the grid and not reversed.
    private func checkRange(_ firstRow: Int, _ firstColumn: Int, _ lastRow: Int, _ lastColumn: Int,
                            _ operation: @autoclosure () -> String) throws(XLSXError) {
        guard inGrid(firstRow, firstColumn), inGrid(lastRow, lastColumn) else {
            throw XLSXError(.outsideSheet, operation(), "outside the sheet (Excel holds 1,048,576 rows and 16,384 columns)")
        }
        guard firstRow <= lastRow, firstColumn <= lastColumn else {
            throw XLSXError(.invalidRange, operation(), "the range's first cell comes after its last")
        }
    }

    /// Writes text as a text cell. Text longer than a cell holds (32,767 characters, as
    /// ``ExcelLimits/textLength(_:)`` counts them) is an error.
    public func write(_ text: String, row: Int, column: Int, format: CellFormat? = nil) throws(XLSXError) {
        let ws = try cell(row, column, "text")
        let safe = Workbook.cSafe(text)
        if ExcelLimits.textLength(safe, over: ExcelLimits.maxStringLength) {
            throw XLSXError(.textTooLong, "writing text at \(place(row, column))",
                            "\(ExcelLimits.textLength(safe)) characters is more than a cell holds (32,767)")
        }
        let f = try workbook.format(format, "writing text at \(place(row, column))")
        try check(safe.withCString { worksheet_write_string(ws, lxw_row_t(row), lxw_col_t(column), $0, f) },
                  "writing text at \(place(row, column))")
    }

    /// Writes a number. NaN and infinity are errors (Excel has no such values).
    public func write(_ number: Double, row: Int, column: Int, format: CellFormat? = nil) throws(XLSXError) {
        let ws = try cell(row, column, "a number")
        guard number.isFinite else {
            throw XLSXError(.invalidValue, "writing a number at \(place(row, column))", "\(number) is not a number Excel can hold")
        }
        let f = try workbook.format(format, "writing a number at \(place(row, column))")
        try check(worksheet_write_number(ws, lxw_row_t(row), lxw_col_t(column), number, f),
                  "writing a number at \(place(row, column))")
    }

    /// Writes a whole number (as Excel stores every number: a double).
    public func write(_ number: Int, row: Int, column: Int, format: CellFormat? = nil) throws(XLSXError) {
        try write(Double(number), row: row, column: column, format: format)
    }

    /// Writes a date cell (the format should be a date format, e.g. ``CellFormat/date``).
    /// The day must be in the calendar, from 1900 to 9999.
    public func write(_ date: CalendarDate, row: Int, column: Int, format: CellFormat = .date) throws(XLSXError) {
        let ws = try cell(row, column, "a date")
        guard date.isExcelDay else {
            throw XLSXError(.invalidValue, "writing a date at \(place(row, column))", "\(date) is outside Excel's dates")
        }
        var dt = lxw_datetime(year: Int32(date.year), month: Int32(date.month), day: Int32(date.day), hour: 0, min: 0, sec: 0)
        let f = try workbook.format(format, "writing a date at \(place(row, column))")
        try check(worksheet_write_datetime(ws, lxw_row_t(row), lxw_col_t(column), &dt, f),
                  "writing a date at \(place(row, column))")
    }

    /// Writes `text` as a link to a cell of this workbook (e.g. sheet `Trends`, cell `A40`).
    /// A sheet holds at most 65,530 links.
    public func writeLink(_ text: String, toSheet sheet: String, cell target: String, row: Int, column: Int,
                          format: CellFormat? = nil) throws(XLSXError) {
        let ws = try cell(row, column, "a link")
        let operation = "writing a link at \(place(row, column))"
        let link = "internal:'\(Workbook.cSafe(sheet).split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''"))'!\(target)"
        guard link.utf8.count <= ExcelLimits.maxLinkTargetBytes else {
            throw XLSXError(.linkTooLong, operation, "the link is longer than Excel allows")
        }
        let safe = Workbook.cSafe(text)
        guard !ExcelLimits.textLength(safe, over: ExcelLimits.maxStringLength) else {
            throw XLSXError(.textTooLong, operation, "the text is longer than a cell holds")
        }
        let f = try workbook.format(format ?? CellFormat(fontColor: 0x0563C1), operation)
        try workbook.addLink(onSheet: index, operation)
        try check(link.withCString { url in
            safe.withCString { str in worksheet_write_url_opt(ws, lxw_row_t(row), lxw_col_t(column), url, f, str, nil) }
        }, operation)
    }

    /// Sets the width (in characters, at most 255) of columns `first...last`.
    public func setColumns(_ first: Int, _ last: Int, width: Double, format: CellFormat? = nil) throws(XLSXError) {
        let operation = "setting column widths of \(name)"
        let ws = try live(operation)
        guard 0 <= first, first <= last, last <= ExcelLimits.maxColumn else {
            throw XLSXError(.outsideSheet, operation, "columns \(first)...\(last) are outside the sheet")
        }
        guard width.isFinite else { throw XLSXError(.invalidValue, operation, "\(width) is not a width") }
        let w = min(max(width, 0), ExcelLimits.maxColumnWidth)
        let f = try workbook.format(format, operation)
        try check(worksheet_set_column(ws, lxw_col_t(first), lxw_col_t(last), w, f), operation)
    }

    /// Sets the height (in points, at most 409) of one row.
    public func setRowHeight(_ row: Int, height: Double) throws(XLSXError) {
        let ws = try cell(row, 0, "a row height")
        guard height.isFinite else { throw XLSXError(.invalidValue, "setting row height in \(name)", "\(height) is not a height") }
        try check(worksheet_set_row(ws, lxw_row_t(row), min(max(height, 0), ExcelLimits.maxRowHeight), nil),
                  "setting row height in \(name)")
    }

    /// Keeps the rows above `row` and the columns left of `column` in view.
    public func freezePanes(row: Int, column: Int) throws(XLSXError) {
        let ws = try cell(row, column, "frozen panes")
        worksheet_freeze_panes(ws, lxw_row_t(row), lxw_col_t(column))
    }

    /// Adds filter buttons to the header row of a range (its first row).
    public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws(XLSXError) {
        let operation = "adding an autofilter to \(name)"
        let ws = try cell(lastRow, lastColumn, "an autofilter")
        try checkRange(firstRow, firstColumn, lastRow, lastColumn, operation)
        try check(worksheet_autofilter(ws, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn)),
                  operation)
    }

    /// Formats the cells of a range where `rule` holds.
    public func conditionalFormat(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int,
                                  rule: ConditionalRule, format: CellFormat, stopIfTrue: Bool = false) throws(XLSXError) {
        let operation = "adding a conditional format to \(name)"
        let ws = try cell(lastRow, lastColumn, "a conditional format")
        try checkRange(firstRow, firstColumn, lastRow, lastColumn, operation)
        var cf = lxw_conditional_format()
        cf.format = try workbook.format(format, operation)
        cf.stop_if_true = stopIfTrue ? 1 : 0
        switch rule {
        case .formula(let formula):
            guard !formula.isEmpty, formula != "=" else { throw XLSXError(.invalidValue, operation, "the formula is empty") }
            cf.type = UInt8(LXW_CONDITIONAL_TYPE_FORMULA.rawValue)
            cf.value_string = try workbook.keep(formula, operation)
        }
        try check(worksheet_conditional_format_range(ws, lxw_row_t(firstRow), lxw_col_t(firstColumn),
                                                     lxw_row_t(lastRow), lxw_col_t(lastColumn), &cf),
                  operation)
    }

    /// Bars inside the cells of a range, each as long as its value's share of `bars.minimum` to
    /// `bars.maximum` (Excel's data bars, solid, without a border; cells without a number get none).
    public func dataBars(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int, _ bars: DataBars) throws(XLSXError) {
        let operation = "adding data bars to \(name)"
        try checkRange(firstRow, firstColumn, lastRow, lastColumn, operation)
        if let problem = bars.problem { throw XLSXError(.invalidValue, operation, problem) }
        let ws = try live(operation)
        var cf = lxw_conditional_format()
        cf.type = UInt8(LXW_CONDITIONAL_DATA_BAR.rawValue)
        if let m = bars.minimum {
            cf.min_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_NUMBER.rawValue)
            cf.min_value = m
        } else {
            cf.min_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_MINIMUM.rawValue)
        }
        if let m = bars.maximum {
            cf.max_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_NUMBER.rawValue)
            cf.max_value = m
        } else {
            cf.max_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_MAXIMUM.rawValue)
        }
        cf.bar_color = lxw_color_t(bars.color)
        cf.bar_solid = 1
        cf.bar_no_border = 1
        try check(worksheet_conditional_format_range(ws, lxw_row_t(firstRow), lxw_col_t(firstColumn),
                                                     lxw_row_t(lastRow), lxw_col_t(lastColumn), &cf),
                  operation)
    }

    /// Writes `text` into a range of cells merged into one (a heading over a table, a long
    /// sentence wrapped across a page's width). A range is more than one cell, and merged ranges of
    /// a sheet never overlap (Excel would have to repair the file).
    public func merge(_ text: String, firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int,
                      format: CellFormat? = nil) throws(XLSXError) {
        let operation = "merging \(place(firstRow, firstColumn)):\(cellName(row: lastRow, column: lastColumn))"
        try checkRange(firstRow, firstColumn, lastRow, lastColumn, operation)
        guard firstRow != lastRow || firstColumn != lastColumn else {
            throw XLSXError(.invalidRange, operation, "a merged range has more than one cell")
        }
        let safe = Workbook.cSafe(text)
        if ExcelLimits.textLength(safe, over: ExcelLimits.maxStringLength) {
            throw XLSXError(.textTooLong, operation, "\(ExcelLimits.textLength(safe)) characters is more than a cell holds (32,767)")
        }
        let ws = try cell(firstRow, firstColumn, "a merged range")
        let f = try workbook.format(format, operation)
        try workbook.addMerge(onSheet: index, rows: firstRow...lastRow, columns: firstColumn...lastColumn, operation)
        try check(safe.withCString { worksheet_merge_range(ws, lxw_row_t(firstRow), lxw_col_t(firstColumn),
                                                           lxw_row_t(lastRow), lxw_col_t(lastColumn), $0, f) },
                  operation)
    }

    /// How the sheet prints (see ``PageSetup``): orientation, a fixed scale, margins, repeated
    /// rows and columns, the columns that print, the footer.
    public func setPageSetup(_ setup: PageSetup) throws(XLSXError) {
        let operation = "setting the page setup of \(name)"
        if let problem = setup.problem { throw XLSXError(.invalidValue, operation, problem) }
        if let rows = setup.repeatRows { try checkRange(rows.lowerBound, 0, rows.upperBound, 0, operation) }
        if let columns = setup.repeatColumns { try checkRange(0, columns.lowerBound, 0, columns.upperBound, operation) }
        if let columns = setup.printColumns { try checkRange(0, columns.lowerBound, 0, columns.upperBound, operation) }
        let footer = setup.footer.map(Workbook.cSafe)
        if let f = footer, ExcelLimits.textLength(f, over: PageSetup.maxFooterLength) {
            throw XLSXError(.textTooLong, operation, "a footer holds at most 255 characters")
        }
        let ws = try live(operation)
        if setup.landscape { worksheet_set_landscape(ws) } else { worksheet_set_portrait(ws) }
        worksheet_set_print_scale(ws, UInt16(setup.scale))
        worksheet_set_margins(ws, setup.left, setup.right, setup.top, setup.bottom)
        if let rows = setup.repeatRows {
            try check(worksheet_repeat_rows(ws, lxw_row_t(rows.lowerBound), lxw_row_t(rows.upperBound)), operation)
        }
        if let columns = setup.repeatColumns {
            try check(worksheet_repeat_columns(ws, lxw_col_t(columns.lowerBound), lxw_col_t(columns.upperBound)), operation)
        }
        if let columns = setup.printColumns {
            try check(worksheet_print_area(ws, 0, lxw_col_t(columns.lowerBound), lxw_row_t(ExcelLimits.maxRow),
                                           lxw_col_t(columns.upperBound)), operation)
        }
        if let f = footer {
            var options = lxw_header_footer_options()
            options.margin = setup.footerMargin
            try check(f.withCString { worksheet_set_footer_opt(ws, $0, &options) }, operation)
        }
    }

    /// Page breaks before each of `rows` and left of each of `columns`: each list ascending,
    /// without 0 (nothing comes before the first row), at most 1,023 long (Excel's limit).
    public func setPageBreaks(rows: [Int], columns: [Int] = []) throws(XLSXError) {
        let operation = "setting page breaks of \(name)"
        for (list, limit, what) in [(rows, ExcelLimits.maxRow, "row"), (columns, ExcelLimits.maxColumn, "column")] {
            guard list.count <= ExcelLimits.maxPageBreaks else {
                throw XLSXError(.invalidValue, operation, "\(list.count) \(what) breaks are more than Excel keeps (1,023)")
            }
            guard list.allSatisfy({ (1...limit).contains($0) }) else {
                throw XLSXError(.outsideSheet, operation, "a \(what) break is after the first \(what) and inside the sheet")
            }
            guard zip(list, list.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw XLSXError(.invalidValue, operation, "\(what) breaks are listed in ascending order, each once")
            }
        }
        let ws = try live(operation)
        if !rows.isEmpty {
            var breaks = rows.map { lxw_row_t($0) } + [0]
            try check(worksheet_set_h_pagebreaks(ws, &breaks), operation)
        }
        if !columns.isEmpty {
            var breaks = columns.map { lxw_col_t($0) } + [0]
            try check(worksheet_set_v_pagebreaks(ws, &breaks), operation)
        }
    }

    /// Places a chart of this workbook with its top-left corner at a cell. A chart is placed
    /// once, after it has a series; scales are positive numbers.
    public func insertChart(_ chart: Chart, row: Int, column: Int, scaleX: Double = 1, scaleY: Double = 1) throws(XLSXError) {
        let ws = try cell(row, column, "a chart")
        let operation = "placing chart '\(chart.title)' at \(place(row, column))"
        guard chart.workbook === workbook else {
            throw XLSXError(.chartOfAnotherWorkbook, operation, "the chart belongs to another workbook")
        }
        guard scaleX.isFinite, scaleY.isFinite, scaleX > 0, scaleY > 0 else {
            throw XLSXError(.invalidValue, operation, "a chart's scale must be a positive number")
        }
        let raw = try chart.live(operation)
        try workbook.checkPlacement(ofChart: chart.index, operation)
        var options = lxw_chart_options()
        options.x_scale = scaleX
        options.y_scale = scaleY
        try check(worksheet_insert_chart_opt(ws, lxw_row_t(row), lxw_col_t(column), raw, &options), operation)
        workbook.placed(chart: chart.index)
    }

    /// Makes this the sheet shown when the workbook opens.
    public func activate() throws(XLSXError) {
        worksheet_activate(try live("making \(name) the sheet shown first"))
    }
}
