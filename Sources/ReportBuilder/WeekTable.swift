import AdherenceAnalysis
import XLSXWriter

/// The week-by-week table both the monthly Trends sheet and the one-patient workbook show:
/// one row per ISO week, the same columns in the same order.
struct WeekTable {
    /// Exercises with an adherence column, in catalog order.
    let exercises: [ExerciseID]
    let catalog: ExerciseCatalog

    var headers: [String] {
        ["Week starting", "Days logged", "Overall adherence"] + exercises.map { catalog.exercises[$0].displayName }
            + ["Step-up reps", "Reps per session", "Step-ups left", "Step-ups right", "Mean pain", "Max pain", "Through"]
    }

    /// Column of a header (charts draw from these).
    func column(_ title: String) -> Int { headers.firstIndex(of: title)! }

    func writeHeader(_ ws: Sheet, row: Int) throws {
        for (c, h) in headers.enumerated() { try ws.write(h, row: row, column: c, format: .header) }
    }

    /// Writes the weeks from `row` on; returns the row after the last.
    func writeWeeks(_ weeks: [WeekFigures], to ws: Sheet, row first: Int) throws -> Int {
        var r = first
        let base = 3 + exercises.count
        for w in weeks {
            try ws.write(calendarDate(w.weekStart), row: r, column: 0)
            try ws.write(w.entryDays, row: r, column: 1, format: .integer)
            if let o = w.overall { try ws.write(o.doubleValue, row: r, column: 2, format: .percent) }
            for (k, e) in exercises.enumerated() {
                if let a = w.adherence.first(where: { $0.exercise == e })?.adherence {
                    try ws.write(a.doubleValue, row: r, column: 3 + k, format: .percent)
                }
            }
            try ws.write(w.stepUpReps, row: r, column: base, format: .integer)
            if w.stepUpDays > 0 {
                try ws.write(Double(w.stepUpReps) / Double(w.stepUpDays), row: r, column: base + 1, format: .decimal1)
            }
            try ws.write(w.stepUpLeft, row: r, column: base + 2, format: .integer)
            try ws.write(w.stepUpRight, row: r, column: base + 3, format: .integer)
            if let m = w.painMean { try ws.write(m.doubleValue, row: r, column: base + 4, format: .decimal1) }
            if let m = w.painMax { try ws.write(m.doubleValue, row: r, column: base + 5, format: .decimal1) }
            // The last week may end before Sunday (the as-of date): say where it stops.
            try ws.write(calendarDate(w.days.last), row: r, column: base + 6)
            r += 1
        }
        return r
    }
}
