internal import CXlsxWriter

/// A chart of a ``Workbook``, drawn from ranges of a worksheet.
public final class Chart {
    public let title: String
    unowned let workbook: Workbook
    let raw: UnsafeMutablePointer<lxw_chart>

    init(workbook: Workbook, raw: UnsafeMutablePointer<lxw_chart>, title: String) {
        self.workbook = workbook
        self.raw = raw
        self.title = title
    }

    /// Adds a series: categories and values are column ranges `firstRow...lastRow` of `sheet`.
    public func addSeries(name: String, sheet: String, categoryColumn: Int, valueColumn: Int,
                          firstRow: Int, lastRow: Int, color: UInt32? = nil, markers: Bool = true) throws {
        _ = try workbook.live("adding series '\(name)' to chart '\(title)'")
        guard firstRow <= lastRow, firstRow >= 0, lastRow <= ExcelLimits.maxRow else {
            throw XLSXError(operation: "adding series '\(name)' to chart '\(title)'", message: "empty or invalid row range")
        }
        guard workbook.hasSheet(sheet) else {
            throw XLSXError(operation: "adding series '\(name)' to chart '\(title)'", message: "the workbook has no sheet named '\(sheet)'")
        }
        guard let series = chart_add_series(raw, nil, nil) else {
            throw XLSXError(operation: "adding series '\(name)' to chart '\(title)'", message: "libxlsxwriter refused the series")
        }
        let sheetName = workbook.retain(sheet)
        chart_series_set_categories(series, sheetName, lxw_row_t(firstRow), lxw_col_t(categoryColumn),
                                    lxw_row_t(lastRow), lxw_col_t(categoryColumn))
        chart_series_set_values(series, sheetName, lxw_row_t(firstRow), lxw_col_t(valueColumn),
                                lxw_row_t(lastRow), lxw_col_t(valueColumn))
        chart_series_set_name(series, workbook.retain(name))
        workbook.contents.series += 1
        if let c = color {
            var line = lxw_chart_line()
            line.color = lxw_color_t(c)
            line.width = 2.25
            chart_series_set_line(series, &line)
        }
        if markers { chart_series_set_marker_type(series, UInt8(LXW_CHART_MARKER_CIRCLE.rawValue)) }
    }

    /// Fixes the value axis range (e.g. 0 to 10 for pain).
    public func setValueAxis(min: Double?, max: Double?, numberFormat: String? = nil) {
        if let m = min { chart_axis_set_min(raw.pointee.y_axis, m) }
        if let m = max { chart_axis_set_max(raw.pointee.y_axis, m) }
        if let nf = numberFormat { chart_axis_set_num_format(raw.pointee.y_axis, workbook.retain(nf)) }
    }

    /// Category axis labels formatted as dates.
    public func setCategoryNumberFormat(_ format: String) {
        chart_axis_set_num_format(raw.pointee.x_axis, workbook.retain(format))
    }
}
