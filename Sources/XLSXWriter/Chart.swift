internal import CXlsxWriter

/// A line chart of a ``Workbook``, drawn from ranges of its worksheets; made by
/// ``Workbook/addLineChart(title:yAxisTitle:xAxisTitle:)``.
///
/// Like ``Worksheet``, a chart keeps its workbook alive and holds no C pointer of its own;
/// once the workbook is closed every call throws ``XLSXError/Code/workbookClosed``.
///
/// Chart texts (title, axis and series names) are always shown as typed: libxlsxwriter would
/// read a text starting with `=` as a reference to a cell, so such a text is written after an
/// invisible U+200B ZERO WIDTH SPACE.
public final class Chart {
    /// The title, as given.
    public let title: String
    /// The workbook this chart belongs to, kept alive as long as the chart is.
    public let workbook: Workbook
    /// This chart's place in its workbook's list of C charts.
    let index: Int

    init(workbook: Workbook, index: Int, title: String) {
        self.workbook = workbook
        self.index = index
        self.title = title
    }

    /// The C chart, while the workbook is open.
    func live(_ operation: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<lxw_chart> {
        try workbook.chart(index, operation())
    }

    /// `text` as libxlsxwriter shows it literally (see the type's notes on `=`).
    static func literal(_ text: String) -> String { text.hasPrefix("=") ? "\u{200B}" + text : text }

    /// Adds a series: categories and values are column ranges `firstRow...lastRow` of `sheet`
    /// (a sheet of this workbook, named as when it was added, ignoring case).
    public func addSeries(name: String, sheet: String, categoryColumn: Int, valueColumn: Int,
                          firstRow: Int, lastRow: Int, color: UInt32? = nil, markers: Bool = true) throws(XLSXError) {
        let operation = "adding series '\(name)' to chart '\(title)'"
        let chart = try live(operation)
        guard firstRow <= lastRow, firstRow >= 0, lastRow <= ExcelLimits.maxRow else {
            throw XLSXError(.invalidRange, operation, "empty or invalid row range")
        }
        guard (0...ExcelLimits.maxColumn).contains(categoryColumn), (0...ExcelLimits.maxColumn).contains(valueColumn) else {
            throw XLSXError(.outsideSheet, operation, "columns \(categoryColumn) and \(valueColumn) must be inside the sheet")
        }
        guard let sheetName = workbook.sheetName(matching: sheet) else {
            throw XLSXError(.unknownSheet, operation, "the workbook has no sheet named '\(sheet)'")
        }
        if let c = color, c > 0xFFFFFF {
            throw XLSXError(.invalidValue, operation, "a colour is 0xRRGGBB")
        }
        let sheetC = try workbook.keep(sheetName, operation)
        let nameC = try workbook.keep(Chart.literal(name), operation)
        guard let series = chart_add_series(chart, nil, nil) else {
            throw XLSXError(.library(.memoryAllocationFailed), operation, "libxlsxwriter refused the series")
        }
        chart_series_set_categories(series, sheetC, lxw_row_t(firstRow), lxw_col_t(categoryColumn),
                                    lxw_row_t(lastRow), lxw_col_t(categoryColumn))
        chart_series_set_values(series, sheetC, lxw_row_t(firstRow), lxw_col_t(valueColumn),
                                lxw_row_t(lastRow), lxw_col_t(valueColumn))
        chart_series_set_name(series, nameC)
        workbook.addedSeries(toChart: index)
        if let c = color {
            var line = lxw_chart_line()
            line.color = lxw_color_t(c)
            line.width = 2.25
            chart_series_set_line(series, &line)
        }
        if markers { chart_series_set_marker_type(series, UInt8(LXW_CHART_MARKER_CIRCLE.rawValue)) }
    }

    /// Fixes the value axis range (e.g. 0 to 10 for pain); the minimum must be below the maximum.
    public func setValueAxis(min: Double?, max: Double?, numberFormat: String? = nil) throws(XLSXError) {
        let operation = "setting the value axis of chart '\(title)'"
        let chart = try live(operation)
        guard min?.isFinite != false, max?.isFinite != false else {
            throw XLSXError(.invalidValue, operation, "an axis bound must be a number")
        }
        if let lo = min, let hi = max, lo >= hi {
            throw XLSXError(.invalidValue, operation, "the minimum \(lo) is not below the maximum \(hi)")
        }
        let format = try numberFormat.map { f throws(XLSXError) in try workbook.keep(f, operation) }
        if let m = min { chart_axis_set_min(chart.pointee.y_axis, m) }
        if let m = max { chart_axis_set_max(chart.pointee.y_axis, m) }
        if let f = format { chart_axis_set_num_format(chart.pointee.y_axis, f) }
    }

    /// Category axis labels formatted as dates (e.g. `dd mmm`).
    public func setCategoryNumberFormat(_ format: String) throws(XLSXError) {
        let operation = "setting the category format of chart '\(title)'"
        let chart = try live(operation)
        chart_axis_set_num_format(chart.pointee.x_axis, try workbook.keep(format, operation))
    }
}
