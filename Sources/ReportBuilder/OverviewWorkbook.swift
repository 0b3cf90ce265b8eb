import AdherenceAnalysis
import XLSXWriter

/// Writes the clinic overview workbook, `adhere-YYYY-MM-overview.xlsx`: Overview (a row per
/// therapist, per clinic when there are several, and the whole clinic), Six months (the share
/// adherent of the last six months, with a chart) and About. No patient names or ids.
package struct OverviewWorkbook {
    package let overview: ClinicOverview

    package init(overview: ClinicOverview) {
        self.overview = overview
    }

    /// `adhere-2026-10-overview.xlsx`.
    package static func name(_ month: Month) -> String { "adhere-\(month)-overview.xlsx" }

    static let percent1 = ReportWorkbook.percent1
    static let monthFormat = CellFormat(numberFormat: "mmm yyyy")
    static let boldPercent1 = CellFormat(numberFormat: "0.0%", bold: true)
    static let boldInteger = CellFormat(numberFormat: "0", bold: true)
    static let boldPoints = CellFormat(numberFormat: "+0\" pts\";-0\" pts\";0\" pts\"", bold: true)
    /// Line colours of the history chart, in turn.
    static let palette: [UInt32] = [0x2E75B6, 0xC00000, 0x70AD47, 0xED7D31, 0x7030A0, 0x00B0F0, 0xFFC000, 0x7F6000]

    /// The Overview table's column titles.
    var headers: [String] {
        ["Patients", "Call now", "Review", "Not logging", "On track", "Share adherent", "Median overall adherence",
         "Change vs last month (pts)", "RTM periods closed"] + overview.codes.map { "RTM \($0)" } + ["RTM no code"]
    }

    /// Writes the workbook to `path` (the caller moves it into place). Returns what it holds.
    @discardableResult
    package func write(to path: String) throws -> Workbook.Contents {
        let s = overview.settings
        let wb = try Workbook(path: path, properties: .init(
            title: "Clinic overview \(s.month)",
            subject: "Home-exercise adherence per therapist, as of \(s.asOf)",
            created: Int(s.asOf.raw) * 86_400))
        let main = try wb.addWorksheet("Overview")
        let history = try wb.addWorksheet("Six months")
        let about = try wb.addWorksheet("About")
        try writeOverview(main)
        try writeHistory(history, workbook: wb)
        try writeAbout(about)
        try main.activate()
        try wb.close()
        return wb.contents
    }

    func writeOverview(_ ws: Worksheet) throws {
        let s = overview.settings
        try ws.write("Clinic overview \(s.month), as of \(s.asOf)", row: 0, column: 0, format: ReportWorkbook.title)
        // The introduction wraps across the table's width (text running past its last column
        // would print on pages of its own).
        let intro = "Per therapist: patients active in the month and how urgent they are, the share adherent, the median overall adherence, the change since last month and the remote-monitoring periods closed. Counts only; the About sheet says what each figure means."
        try ws.merge(intro, firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: headers.count, format: ReportWorkbook.wrapTop)
        try ws.setRowHeight(1, height: PrintLayout.height(lines: PrintLayout.lines(intro, pixels: PrintLayout.room([24] + Array(repeating: 12, count: headers.count)))))
        var row = 3
        let therapistTop = row
        row = try table(ws, title: "Therapist", rows: overview.therapists + [overview.total], at: row)
        try ws.freezePanes(row: therapistTop + 1, column: 1)
        if !overview.clinics.isEmpty {
            row += 1
            row = try table(ws, title: "Clinic", rows: overview.clinics + [overview.total], at: row)
        }
        try ws.setColumns(0, 0, width: 24)
        try ws.setColumns(1, headers.count, width: 12)
        // The tables read as a whole: one page wide, scaled down as little as that needs.
        var setup = PrintLayout.setup(landscape: true, title: printTitle)
        setup.scale = PrintLayout.scale(toFit: [24] + Array(repeating: 12, count: headers.count), landscape: true)
        try ws.setPageSetup(setup)
    }

    /// A table of rows, the last (the whole clinic) in bold; returns the row below it.
    func table(_ ws: Worksheet, title: String, rows: [ClinicOverview.Row], at top: Int) throws -> Int {
        try ws.setRowHeight(top, height: 45)
        try ws.write(title, row: top, column: 0, format: .header)
        for (c, h) in headers.enumerated() { try ws.write(h, row: top, column: c + 1, format: .header) }
        for (i, r) in rows.enumerated() {
            let y = top + 1 + i
            let isTotal = i == rows.count - 1
            let integer: CellFormat = isTotal ? OverviewWorkbook.boldInteger : .integer
            let percent = isTotal ? OverviewWorkbook.boldPercent1 : OverviewWorkbook.percent1
            try ws.write(r.label, row: y, column: 0, format: isTotal ? ReportWorkbook.bold : nil)
            let f = r.figures
            var c = 1
            for n in [f.patients, f.callNow, f.review, f.notLogging, f.onTrack] {
                try ws.write(n, row: y, column: c, format: integer)
                c += 1
            }
            if let v = f.shareAdherent { try ws.write(v.doubleValue, row: y, column: c, format: percent) }
            c += 1
            if let v = f.medianOverall { try ws.write(v.doubleValue, row: y, column: c, format: percent) }
            c += 1
            if let v = r.changeVsLastMonth {
                try ws.write(v.doubleValue * 100, row: y, column: c, format: isTotal ? OverviewWorkbook.boldPoints : ReportWorkbook.signedPoints)
            }
            c += 1
            for n in [r.rtmPeriods] + r.rtmByCode + [r.rtmNoCode] {
                try ws.write(n, row: y, column: c, format: integer)
                c += 1
            }
        }
        // Median adherence in the workbooks' bands (green, amber, red).
        let t = overview.settings.thresholds
        let column = headers.firstIndex(of: "Median overall adherence")! + 1
        let first = top + 1, last = top + rows.count
        let ref = cellName(row: first, column: column)
        let hi = number(t.adherent), lo = number(t.partial)
        try ws.conditionalFormat(firstRow: first, firstColumn: column, lastRow: last, lastColumn: column,
                                 rule: .formula("AND(ISNUMBER(\(ref)),\(ref)>=\(hi))"), format: ReportWorkbook.green)
        try ws.conditionalFormat(firstRow: first, firstColumn: column, lastRow: last, lastColumn: column,
                                 rule: .formula("AND(ISNUMBER(\(ref)),\(ref)>=\(lo),\(ref)<\(hi))"), format: ReportWorkbook.amber)
        try ws.conditionalFormat(firstRow: first, firstColumn: column, lastRow: last, lastColumn: column,
                                 rule: .formula("AND(ISNUMBER(\(ref)),\(ref)<\(lo))"), format: ReportWorkbook.red)
        return last + 2
    }

    func number(_ f: Fraction) -> String {
        var s = String(f.doubleValue)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// Months down, therapists across (the whole clinic last), and one line chart of them all.
    func writeHistory(_ ws: Worksheet, workbook: Workbook) throws {
        let s = overview.settings
        try ws.write("Share adherent per therapist, last \(overview.months.count) months (\(overview.months.first ?? s.month) to \(s.asOf))",
                     row: 0, column: 0, format: ReportWorkbook.title)
        let top = 2
        try ws.setRowHeight(top, height: 30)
        try ws.write("Month", row: top, column: 0, format: .header)
        for (c, line) in overview.history.enumerated() {
            try ws.write(line.label, row: top, column: c + 1, format: .header)
        }
        for (r, m) in overview.months.enumerated() {
            try ws.write(CalendarDate(year: m.year, month: m.month, day: 1), row: top + 1 + r, column: 0, format: OverviewWorkbook.monthFormat)
            for (c, line) in overview.history.enumerated() {
                if let v = line.shares[r] { try ws.write(v.doubleValue, row: top + 1 + r, column: c + 1, format: OverviewWorkbook.percent1) }
            }
        }
        let first = top + 1, last = top + overview.months.count
        let chart = try workbook.addLineChart(title: "Share adherent per therapist", yAxisTitle: "share adherent")
        for (c, line) in overview.history.enumerated() {
            try chart.addSeries(name: line.label, sheet: ws.name, categoryColumn: 0, valueColumn: c + 1,
                                firstRow: first, lastRow: last,
                                color: line.label == ClinicOverview.wholeClinic && c == overview.history.count - 1
                                    ? 0x404040 : OverviewWorkbook.palette[c % OverviewWorkbook.palette.count])
        }
        try chart.setValueAxis(min: 0, max: 1, numberFormat: "0%")
        try chart.setCategoryNumberFormat("mmm yyyy")
        try ws.insertChart(chart, row: last + 2, column: 0, scaleX: 1.5, scaleY: 1.5)
        try ws.setColumns(0, 0, width: 12)
        try ws.setColumns(1, max(1, overview.history.count), width: 16)
        try ws.freezePanes(row: top + 1, column: 1)
        var setup = PrintLayout.setup(landscape: true, title: printTitle)
        setup.scale = PrintLayout.scale(toFit: [12] + Array(repeating: 16, count: max(1, overview.history.count)), landscape: true)
        try ws.setPageSetup(setup)
    }

    /// About: portrait, labels in column A and their values in B, the definitions and rules in
    /// 9-point type across both columns, wrapped in rows as tall as they need (one or two
    /// printed pages).
    func writeAbout(_ ws: Worksheet) throws {
        let s = overview.settings
        let widths: [Double] = [24, 60]
        let page = PrintLayout.room(widths)
        var row = 0
        func pair(_ k: String, _ v: String) throws {
            try ws.write(k, row: row, column: 0, format: ReportWorkbook.boldTop)
            try ws.write(v, row: row, column: 1, format: ReportWorkbook.wrapTop)
            let lines = PrintLayout.lines(v, width: widths[1])
            if lines > 1 { try ws.setRowHeight(row, height: PrintLayout.height(lines: lines)) }
            row += 1
        }
        func title(_ text: String) throws {
            try ws.merge(text, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: 1, format: ReportWorkbook.titleWrapped)
            try ws.setRowHeight(row, height: PrintLayout.height(lines: PrintLayout.lines(text, pixels: page, size: 14, bold: true), size: 14))
            row += 1
        }
        func sentence(_ text: String) throws {
            try ws.merge(text, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: 1, format: ReportWorkbook.rule)
            try ws.setRowHeight(row, height: PrintLayout.height(lines: PrintLayout.lines(text, pixels: page, size: ReportWorkbook.ruleSize),
                                                                size: ReportWorkbook.ruleSize))
            row += 1
        }
        try title("About this overview")
        try pair("Month", s.month.description)
        try ws.write("As of", row: row, column: 0, format: ReportWorkbook.bold)
        try ws.write(calendarDate(s.asOf), row: row, column: 1)
        row += 1
        try pair("Window", "\(s.window.first) to \(s.window.last) (\(s.window.count) days)")
        try ws.write("Generated at", row: row, column: 0, format: ReportWorkbook.bold)
        try ws.write(calendarDate(s.asOf), row: row, column: 1)
        row += 1
        try pair("", "The generated-at date is pinned to the as-of date, so the same inputs always give the same file.")
        try pair("Patients", "\(overview.total.figures.patients) active in the month, \(overview.therapists.count) therapist row(s)")
        try pair("Tool", "adhere \(s.toolVersion)")
        row += 1
        try title("What the figures mean")
        for d in overview.definitions { try sentence(d) }
        row += 1
        try title("Rules and thresholds in force (the same as the therapists' workbooks)")
        for r in RuleText.sentences(thresholds: s.thresholds, catalog: overview.catalog) { try sentence(r) }
        for (c, w) in widths.enumerated() { try ws.setColumns(c, c, width: w) }
        try ws.setPageSetup(PrintLayout.setup(landscape: false, title: printTitle))
    }

    /// The workbook's title in the footer of every printed page.
    var printTitle: String { "Clinic overview \(overview.settings.month), as of \(overview.settings.asOf)" }
}
