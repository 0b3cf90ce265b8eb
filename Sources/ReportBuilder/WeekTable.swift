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
    /// The table's columns, in order: the week, overall adherence, each exercise's, the figures.
    let columns: [Column]
    /// The columns' titles, widths (in characters) and the header row's height: the same for
    /// every patient's block, so worked out once per table (measuring text is not free, and a
    /// clinic's Trends sheet has thousands of blocks).
    let headers: [String]
    let widths: [Double]
    let headerHeight: Double

    init(exercises: [ExerciseID], catalog: ExerciseCatalog) {
        self.exercises = exercises
        self.catalog = catalog
        columns = [Column.weekStarting, .week, .daysLogged, .overallAdherence] + exercises.indices.map(Column.exercise) + Column.figures
        headers = columns.map { WeekTable.title($0, exercises: exercises, catalog: catalog) }
        widths = WeekTable.widths(headers, labelColumn: WeekTable.weekColumn)
        headerHeight = WeekTable.headerHeight(headers, widths)
    }

    /// The table's columns by what they hold. Charts and bars find their columns by this, not
    /// by a title (an exercise may be named anything, "Max pain" included).
    enum Column: Hashable {
        case weekStarting, week, daysLogged, overallAdherence
        /// The adherence of the table's `k`-th exercise.
        case exercise(Int)
        case stepUpReps, stepUpsPerDay, repsPerSession, stepUpsLeft, stepUpsRight, meanPain, maxPain

        static let figures: [Column] = [.stepUpReps, .stepUpsPerDay, .repsPerSession, .stepUpsLeft, .stepUpsRight, .meanPain, .maxPain]
    }

    func title(_ c: Column) -> String { WeekTable.title(c, exercises: exercises, catalog: catalog) }

    private static func title(_ c: Column, exercises: [ExerciseID], catalog: ExerciseCatalog) -> String {
        switch c {
        case .weekStarting: return "Week starting"
        case .week: return "Week"
        case .daysLogged: return "Days logged"
        case .overallAdherence: return "Overall adherence"
        case .exercise(let k): return catalog.exercises[exercises[k]].displayName
        case .stepUpReps: return "Step-up reps"
        case .stepUpsPerDay: return "Step-ups per day"
        case .repsPerSession: return "Reps per session"
        case .stepUpsLeft: return "Step-ups left"
        case .stepUpsRight: return "Step-ups right"
        case .meanPain: return "Mean pain"
        case .maxPain: return "Max pain"
        }
    }

    /// Where a column is in the table.
    func column(_ c: Column) -> Int {
        switch c {
        case .weekStarting: return 0
        case .week: return WeekTable.weekColumn
        case .daysLogged: return 2
        case .overallAdherence: return 3
        case .exercise(let k): return 4 + k
        default: return 4 + exercises.count + (Column.figures.firstIndex(of: c) ?? 0)
        }
    }

    /// The column the charts take their categories from: the `Week` labels, text, one per week,
    /// each on its Monday. (A date-valued category makes Excel draw a date axis, whose labels
    /// fall at an interval of its own choosing, e.g. every 6 days.)
    var categoryColumn: Int { column(.week) }
    private static let weekColumn = 1

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
    private static func widths(_ headers: [String], labelColumn: Int) -> [Double] {
        headers.enumerated().map { c, h in
            if c == 0 { return 11 }
            if c == labelColumn { return WeekTable.labelWidth }
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
    private static func headerHeight(_ headers: [String], _ w: [Double]) -> Double {
        let lines = headers.indices.map { PrintLayout.lines(headers[$0], width: w[$0], size: WeekTable.headerSize, bold: true) }.max() ?? 1
        return PrintLayout.height(lines: lines, size: WeekTable.headerSize)
    }

    /// The height of a week's row: two lines when its label wraps. A whole week's label (its
    /// Monday, "12 Oct") always fits on one line; only the longer labels are measured.
    static func rowHeight(_ w: WeekFigures) -> Double {
        guard w.isBeforeStart || w.isPartial else { return PrintLayout.height(lines: 1) }
        return PrintLayout.height(lines: PrintLayout.lines(label(w), width: labelWidth))
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
        for (which, bars) in [(Column.overallAdherence, DataBars(color: 0xA9D08E, minimum: 0, maximum: 1)),
                              (.stepUpsPerDay, DataBars(color: 0x9DC3E6, minimum: 0, maximum: nil)),
                              (.maxPain, DataBars(color: 0xF4B084, minimum: 0, maximum: 10))] {
            let c = column(which)
            try ws.dataBars(firstRow: first, firstColumn: c, lastRow: last, lastColumn: c, bars)
        }
    }

    /// Writes the weeks from `row` on; returns the row after the last. Empty figures are left
    /// blank (a chart draws a gap there, not a 0).
    func writeWeeks(_ weeks: [WeekFigures], to ws: Sheet, row first: Int) throws -> Int {
        var r = first
        for w in weeks {
            try ws.write(calendarDate(w.weekStart), row: r, column: column(.weekStarting))
            try ws.write(WeekTable.label(w), row: r, column: column(.week), format: WeekTable.labelFormat)
            let height = WeekTable.rowHeight(w)
            if height > PrintLayout.rowHeight { try ws.setRowHeight(r, height: height) }
            if let d = w.entryDays { try ws.write(d, row: r, column: column(.daysLogged), format: .integer) }
            if let o = w.overall { try ws.write(o.doubleValue, row: r, column: column(.overallAdherence), format: .percent) }
            for (k, e) in exercises.enumerated() {
                if let a = w.adherence.first(where: { $0.exercise == e })?.adherence {
                    try ws.write(a.doubleValue, row: r, column: column(.exercise(k)), format: .percent)
                }
            }
            if let s = w.stepUps {
                try ws.write(s.reps, row: r, column: column(.stepUpReps), format: .integer)
                try ws.write(s.perDay.doubleValue, row: r, column: column(.stepUpsPerDay), format: .decimal1)
                if let p = s.perSession { try ws.write(p.doubleValue, row: r, column: column(.repsPerSession), format: .decimal1) }
                try ws.write(s.left, row: r, column: column(.stepUpsLeft), format: .integer)
                try ws.write(s.right, row: r, column: column(.stepUpsRight), format: .integer)
            }
            if let m = w.painMean { try ws.write(m.doubleValue, row: r, column: column(.meanPain), format: .decimal1) }
            if let m = w.painMax { try ws.write(m.doubleValue, row: r, column: column(.maxPain), format: .decimal1) }
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
                            valueColumn: column(.stepUpsPerDay), firstRow: first, lastRow: last, color: 0x2E75B6)
            try c.setValueAxis(min: 0, max: nil)
            steps = c
        }
        if adherence, weeks.contains(where: { $0.overall != nil }) {
            let c = try workbook.addLineChart(title: ClinicalWords.capitalized("\(prefix)adherence per week"), yAxisTitle: "adherence", cuts: cuts, sheet: sheet)
            try c.addSeries(name: "Overall", sheet: sheet, categoryColumn: categoryColumn, valueColumn: column(.overallAdherence),
                            firstRow: first, lastRow: last, color: 0x548235)
            try c.setValueAxis(min: 0, max: 1, numberFormat: "0%")
            overall = c
        }
        if drawPain, weeks.contains(where: { $0.painMax != nil }) {
            let c = try workbook.addLineChart(title: ClinicalWords.capitalized("\(prefix)pain per week (0-10)"), yAxisTitle: "pain", cuts: cuts, sheet: sheet)
            try c.addSeries(name: "Max pain", sheet: sheet, categoryColumn: categoryColumn, valueColumn: column(.maxPain),
                            firstRow: first, lastRow: last, color: 0xC00000)
            try c.addSeries(name: "Mean pain", sheet: sheet, categoryColumn: categoryColumn, valueColumn: column(.meanPain),
                            firstRow: first, lastRow: last, color: 0xED7D31)
            try c.setValueAxis(min: 0, max: 10)
            pain = c
        }
        return (steps, overall, pain)
    }
}
