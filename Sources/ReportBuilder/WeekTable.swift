import AdherenceAnalysis
import XLSXWriter

/// The week-by-week table both the monthly Trends sheet and the one-patient workbook show:
/// one row per ISO week, the same columns in the same order, and the charts drawn from it.
///
/// Weekly figures follow domain.md: a week before the patient's start is empty (not 0); a week
/// cut short is marked partial in the `Week` column and compared per day (adherence and step-ups
/// per day are per-day figures; the charts draw only those, never a partial week's total); an
/// exercise the patient is not prescribed that week has no figures and no chart.
struct WeekTable {
    /// Exercises with an adherence column, in catalog order.
    let exercises: [ExerciseID]
    let catalog: ExerciseCatalog

    var headers: [String] {
        ["Week starting", "Week", "Days logged", "Overall adherence"] + exercises.map { catalog.exercises[$0].displayName }
            + ["Step-up reps", "Step-ups per day", "Reps per session", "Step-ups left", "Step-ups right", "Mean pain", "Max pain"]
    }

    /// Column of a header (charts draw from these).
    func column(_ title: String) -> Int { headers.firstIndex(of: title)! }

    /// The column the charts take their categories from: the `Week` labels, text, one per week,
    /// each on its Monday. (A date-valued category makes Excel draw a date axis, whose labels
    /// fall at an interval of its own choosing, e.g. every 6 days.)
    var categoryColumn: Int { column("Week") }

    /// The week's label, also the charts' category: its Monday ("12 Oct"), said to be partial
    /// with the days it counts ("12 Oct, partial (3 of 7 days)"), or before the start.
    static func label(_ w: WeekFigures) -> String {
        let monday = ClinicalWords.shortDate(w.weekStart)
        if w.isBeforeStart { return "\(monday), before the start" }
        if w.isPartial { return "\(monday), partial (\(w.daysCounted) of 7 days)" }
        return monday
    }

    /// Column widths, in characters: each figure column as narrow as its header's longest word
    /// allows (headers wrap), so the whole table prints across a landscape page at full size; the
    /// label column fits "31 Aug, before the start" and wraps a partial week's label.
    var widths: [Double] {
        headers.enumerated().map { c, h in
            if c == 0 { return 11 }
            if c == categoryColumn { return WeekTable.labelWidth }
            let word = h.split(separator: " ").map { PrintLayout.textWidth($0, size: WeekTable.headerSize, bold: true) }.max() ?? 0
            return max(((word + 3) / 7 * 2).rounded(.up) / 2, 6)
        }
    }

    static let labelWidth = 25.0

    /// The header's titles are set in 10 points (the figures in 11), so the 14 columns print
    /// across a landscape page at full size.
    static let headerSize = 10.0
    static let headerFormat = CellFormat(bold: true, background: 0xDDE7F0, wrap: true, alignTop: true, bottomBorder: true,
                                         fontSize: headerSize)

    /// The header row's height: its longest title wrapped in its column.
    var headerHeight: Double {
        let w = widths
        let lines = headers.indices.map { PrintLayout.lines(headers[$0], width: w[$0], size: WeekTable.headerSize, bold: true) }.max() ?? 1
        return PrintLayout.height(lines: lines, size: WeekTable.headerSize)
    }

    /// The height of a week's row: two lines when its label wraps.
    static func rowHeight(_ w: WeekFigures) -> Double {
        PrintLayout.height(lines: PrintLayout.lines(label(w), width: labelWidth))
    }

    func setColumnWidths(_ ws: Sheet) throws {
        for (c, w) in widths.enumerated() { try ws.setColumns(c, c, width: w) }
    }

    func writeHeader(_ ws: Sheet, row: Int) throws {
        for (c, h) in headers.enumerated() { try ws.write(h, row: row, column: c, format: WeekTable.headerFormat) }
        try ws.setRowHeight(row, height: headerHeight)
    }

    static let labelFormat = CellFormat(wrap: true)

    /// In-cell bars over a patient's weeks (rows `first...last`): overall adherence (0 to 100%),
    /// step-ups per day (0 to the patient's best week) and the week's highest pain (0 to 10), so
    /// a column of weeks reads as a small bar chart: longer bars further down, a rise.
    func dataBars(_ ws: Sheet, first: Int, last: Int) throws {
        guard first <= last else { return }
        for (title, bars) in [("Overall adherence", DataBars(color: 0xA9D08E, minimum: 0, maximum: 1)),
                              ("Step-ups per day", DataBars(color: 0x9DC3E6, minimum: 0, maximum: nil)),
                              ("Max pain", DataBars(color: 0xF4B084, minimum: 0, maximum: 10))] {
            let c = column(title)
            try ws.dataBars(firstRow: first, firstColumn: c, lastRow: last, lastColumn: c, bars)
        }
    }

    /// Writes the weeks from `row` on; returns the row after the last. Empty figures are left
    /// blank (a chart draws a gap there, not a 0).
    func writeWeeks(_ weeks: [WeekFigures], to ws: Sheet, row first: Int) throws -> Int {
        var r = first
        let base = 4 + exercises.count
        for w in weeks {
            try ws.write(calendarDate(w.weekStart), row: r, column: 0)
            try ws.write(WeekTable.label(w), row: r, column: 1, format: WeekTable.labelFormat)
            let height = WeekTable.rowHeight(w)
            if height > PrintLayout.rowHeight { try ws.setRowHeight(r, height: height) }
            if let d = w.entryDays { try ws.write(d, row: r, column: 2, format: .integer) }
            if let o = w.overall { try ws.write(o.doubleValue, row: r, column: 3, format: .percent) }
            for (k, e) in exercises.enumerated() {
                if let a = w.adherence.first(where: { $0.exercise == e })?.adherence {
                    try ws.write(a.doubleValue, row: r, column: 4 + k, format: .percent)
                }
            }
            if let s = w.stepUps {
                try ws.write(s.reps, row: r, column: base, format: .integer)
                try ws.write(s.perDay.doubleValue, row: r, column: base + 1, format: .decimal1)
                if let p = s.perSession { try ws.write(p.doubleValue, row: r, column: base + 2, format: .decimal1) }
                try ws.write(s.left, row: r, column: base + 3, format: .integer)
                try ws.write(s.right, row: r, column: base + 4, format: .integer)
            }
            if let m = w.painMean { try ws.write(m.doubleValue, row: r, column: base + 5, format: .decimal1) }
            if let m = w.painMax { try ws.write(m.doubleValue, row: r, column: base + 6, format: .decimal1) }
            r += 1
        }
        return r
    }

    /// The charts a patient's weeks call for, drawn from rows `first...last` of `sheet`:
    /// step-ups per day when step-ups were prescribed in a week shown, pain when someone rated
    /// it, and (`adherence`) overall adherence when some week expected a session; each only when
    /// asked for. Titles start with `prefix`.
    func charts(for weeks: [WeekFigures], in workbook: Workbook, sheet: String, first: Int, last: Int,
                prefix: String, stepUps drawSteps: Bool = true, adherence: Bool, pain drawPain: Bool = true, cuts: TextCuts) throws
        -> (stepUps: Chart?, adherence: Chart?, pain: Chart?) {
        guard !weeks.isEmpty else { return (nil, nil, nil) }
        var steps: Chart?, overall: Chart?, pain: Chart?
        if drawSteps, weeks.contains(where: { $0.stepUps != nil }) {
            let c = try workbook.addLineChart(title: ClinicalWords.capitalized("\(prefix)step-ups per day, week by week"), yAxisTitle: "reps a day", cuts: cuts, sheet: sheet)
            try c.addSeries(name: "Step-ups per day", sheet: sheet, categoryColumn: categoryColumn,
                            valueColumn: column("Step-ups per day"), firstRow: first, lastRow: last, color: 0x2E75B6)
            try c.setValueAxis(min: 0, max: nil)
            steps = c
        }
        if adherence, weeks.contains(where: { $0.overall != nil }) {
            let c = try workbook.addLineChart(title: ClinicalWords.capitalized("\(prefix)adherence per week"), yAxisTitle: "adherence", cuts: cuts, sheet: sheet)
            try c.addSeries(name: "Overall", sheet: sheet, categoryColumn: categoryColumn, valueColumn: column("Overall adherence"),
                            firstRow: first, lastRow: last, color: 0x548235)
            try c.setValueAxis(min: 0, max: 1, numberFormat: "0%")
            overall = c
        }
        if drawPain, weeks.contains(where: { $0.painMax != nil }) {
            let c = try workbook.addLineChart(title: ClinicalWords.capitalized("\(prefix)pain per week (0-10)"), yAxisTitle: "pain", cuts: cuts, sheet: sheet)
            try c.addSeries(name: "Max pain", sheet: sheet, categoryColumn: categoryColumn, valueColumn: column("Max pain"),
                            firstRow: first, lastRow: last, color: 0xC00000)
            try c.addSeries(name: "Mean pain", sheet: sheet, categoryColumn: categoryColumn, valueColumn: column("Mean pain"),
                            firstRow: first, lastRow: last, color: 0xED7D31)
            try c.setValueAxis(min: 0, max: 10)
            pain = c
        }
        return (steps, overall, pain)
    }
}
