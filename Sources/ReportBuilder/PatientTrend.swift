import Foundation
import AdherenceAnalysis
import SessionIngest
import XLSXWriter

/// One patient's trend: the monthly report's figures for the month to date, and the last
/// few weeks week by week. Rendered for the terminal, as JSON, or as a one-patient workbook.
package struct PatientTrend: Sendable {
    package var figures: PatientFigures
    package var weeks: [WeekFigures]
    package var record: PatientRecord
    package var catalog: ExerciseCatalog
    package var thresholds: Thresholds
    package var asOf: Day
    /// The RTM periods that ended in the month to date (the record must hold the patient's
    /// whole history for a default-protocol patient's; see ``Analyzer/rtmPeriods(_:endingIn:earlier:)``).
    package var rtm: [RTMPeriod] = []

    /// Computes the figures with the same analysis as the monthly report.
    package init(record: PatientRecord, asOf: Day, weeks: Int, analyzer: Analyzer) {
        let window = DayRange(Month(containing: asOf).firstDay, asOf)
        self.record = record
        self.catalog = analyzer.catalog
        self.thresholds = analyzer.thresholds
        self.asOf = asOf
        figures = analyzer.analyze(record, window: window)
        let first = (asOf - (7 * max(weeks, 1) - 1)).mondayOfWeek
        let all = analyzer.weeks(record, in: DayRange(first, asOf))
        self.weeks = Array(all.suffix(max(weeks, 1)))
        if case .periods(let p) = analyzer.rtmPeriods(record, endingIn: window) { rtm = p }
    }

    /// The plan in words: "default protocol, 7 sessions/week" or each plan row in force.
    package var planText: String {
        switch record.prescription {
        case .defaultProtocol:
            return "default protocol (\(RuleText.defaultProtocol(catalog))), \(thresholds.defaultSessionsPerWeek) sessions/week"
        case .plan(let periods):
            let current = periods.filter { $0.covers(asOf) }
            let shown = current.isEmpty ? periods : current
            return shown.map { p in
                let e = catalog.exercises[p.exercise]
                var s = e.displayName.lowercased()
                if let r = p.repsPerSide { s += " \(r)/side" }
                if let h = p.holdCentis { s += " held \(NumberText.plain(Fraction(Int64(h), 100))) s" }
                s += ", \(p.sessionsPerWeek)/week"
                if let end = p.end { s += " until \(end)" }
                return s
            }.joined(separator: "; ") + (current.isEmpty ? " (no plan row in force on \(asOf))" : "")
        }
    }

    // MARK: - Terminal

    /// The words the report uses for this patient's figures.
    var words: ClinicalWords { ClinicalWords(thresholds: thresholds, catalog: catalog) }

    /// Lines of the terminal view: at most this many characters (a line that would be longer
    /// is wrapped, its continuation indented).
    package static let terminalWidth = 80

    /// The terminal view, at most 80 columns wide, in the report's words. With `color`, the
    /// reasons and the band are coloured (ANSI).
    package func text(color: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        let f = figures
        var out: [String] = []
        func say(_ text: String, _ code: String? = nil) {
            for line in PatientTrend.wrap(text, width: PatientTrend.terminalWidth) { out.append(code.map { paint(line, $0) } ?? line) }
        }
        var who = f.id
        if let n = f.name { who += "  \(n)" }
        who += "  ·  therapist: \(f.therapist ?? "none")"
        if let c = f.clinic { who += "  ·  \(c)" }
        say(who, "1")
        say("Plan: \(planText)")
        say("As of \(asOf): \(Month(containing: asOf)) to date, \(f.window.count) day\(f.window.count == 1 ? "" : "s")")
        out.append("")
        let exerciseColumns = catalog.exercises.indices.filter { i in f.adherence.contains { $0.exercise == i } }
        var header = ["Week of", "Days"] + exerciseColumns.map { short(catalog.exercises[$0].displayName) + " %" }
        header += ["Step-ups", "Per day", "L/R", "Pain"]
        var rows: [[String]] = [header]
        for w in weeks {
            // A week cut short is starred (said below); a week before the start has no figures.
            var r = [w.weekStart.description + (w.isPartial ? "*" : ""), w.entryDays.map(String.init) ?? "–"]
            for i in exerciseColumns {
                r.append(w.adherence.first { $0.exercise == i }?.adherence.map(percent) ?? "–")
            }
            r.append(w.stepUps.map { "\($0.reps)" } ?? "–")
            r.append(w.stepUps?.perDay.oneDecimal ?? "–")
            r.append(w.stepUps.map { "\($0.left)/\($0.right)" } ?? "–")
            r.append(w.painMax == nil ? "–" : "\(w.painMean?.oneDecimal ?? "–")/\(w.painMax?.oneDecimal ?? "–")")
            rows.append(r)
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        // Two spaces between columns, one when that would not fit.
        let gap = widths.reduce(0, +) + 2 * (widths.count - 1) <= PatientTrend.terminalWidth ? "  " : " "
        for (k, r) in rows.enumerated() {
            let line = r.enumerated().map { c, s in
                c < 1 ? s.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                      : String(repeating: " ", count: widths[c] - s.count) + s
            }.joined(separator: gap)
            out.append(k == 0 ? paint(line, "1") : line)
        }
        say("Per day: step-ups a day over the week's days counted. L/R: left/right.")
        say("Pain: the week's mean/highest rating.")
        for note in weekNotes { say(note) }
        out.append("")
        if weeks.contains(where: { $0.stepUps != nil }) {
            out.append("Step-ups per day     \(Sparkline.render(weeks.map { $0.stepUps?.perDay.doubleValue }))")
        }
        if weeks.contains(where: { $0.painMax != nil }) {
            out.append("Pain (max) per week  \(Sparkline.render(weeks.map { $0.painMax?.doubleValue }, fixedMax: 10))")
        }
        out.append("")
        if let u = f.urgency {
            say(ClinicalWords.capitalized(words.line(f)), u == .callNow ? "31;1" : "33;1")
        } else {
            say("On track: no reason to call.")
        }
        var month = "This month: overall adherence \(f.overall.map(percent) ?? "–")"
        if let b = f.band {
            let code = b == .adherent ? "32" : (b == .partial ? "33" : "31")
            month += " (\(paint(b.rawValue, code)))"
        }
        month += ", session days \(f.sessionDays.map(percent) ?? "–"), monitoring days \(f.monitoringDays)/\(thresholds.monitoringDays)"
        if let c = f.changeVsLastMonth { month += ", \(ClinicalWords.points(c)) vs last month" }
        say(month)
        for q in f.holdQuality {
            say("Holds, \(catalog.exercises[q.exercise].displayName.lowercased()): \(ClinicalWords.holdSummary(q))")
        }
        let trend = f.trend.percentPerWeek.map { String(format: "%+.1f%%/week", $0) } ?? "no figure"
        if f.stepUpsPrescribed {
            say("Step-up trend: \(trend) (\(f.trend.label.rawValue)); step-ups this month \(f.stepUpReps)")
        } else {
            say("Step-ups: not prescribed")
        }
        if let p = f.painChange { say("Pain change over \(thresholds.lookBackDays / 7) weeks: \(p >= .zero ? "+" : "")\(p.oneDecimal) pts") }
        if let m = f.maxPain { say("Highest pain this month: \(m.oneDecimal)/10\(f.maxPainDay.map { " on \(ClinicalWords.shortDate($0))" } ?? "")") }
        if let n = f.latestNote { say("Latest note, \(ClinicalWords.noteText(n))") }
        var last = "Last entry: \(f.lastEntry?.description ?? "none")"
        if let d = f.daysSinceLastEntry { last += " (\(d == 0 ? "today" : d == 1 ? "1 day ago" : "\(d) days ago"))" }
        last += "; \(f.engagement.rawValue)"
        say(last)
        return out.joined(separator: "\n") + "\n"
    }

    /// What the weekly table's marks mean, for the weeks shown: the weeks before the start ("Weeks
    /// before the start on 8 Oct: empty, not 0."), and each partial week with the days it counts
    /// ("* 2026-10-12: partial (3 of 7 days, 12-14 Oct): compare per day, not totals.").
    var weekNotes: [String] {
        var notes: [String] = []
        if let start = weeks.first(where: { !$0.isBeforeStart })?.counted?.first, weeks.contains(where: \.isBeforeStart) {
            notes.append("Weeks before the start on \(ClinicalWords.shortDate(start)): empty, not 0.")
        }
        for w in weeks where w.isPartial {
            guard let c = w.counted else { continue }
            notes.append("* \(w.weekStart): partial (\(c.count) of 7 days, \(PatientTrend.dayRangeText(c))): compare per day, not totals.")
        }
        return notes
    }

    /// "12-14 Oct", "28 Sep-2 Oct", or "14 Oct" for one day.
    static func dayRangeText(_ r: DayRange) -> String {
        if r.first == r.last { return ClinicalWords.shortDate(r.first) }
        if r.first.civil.month == r.last.civil.month { return "\(r.first.civil.day)-\(ClinicalWords.shortDate(r.last))" }
        return "\(ClinicalWords.shortDate(r.first))-\(ClinicalWords.shortDate(r.last))"
    }

    /// `text` cut into lines of at most `width` characters at spaces; continuation lines are
    /// indented by two spaces. A word longer than a line is cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard text.count > width else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if candidate.count <= width || line.trimmingCharacters(in: .whitespaces).isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = "  " + word
            }
            while line.count > width {
                lines.append(String(line.prefix(width)))
                line = "  " + line.dropFirst(width)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private func percent(_ f: Fraction) -> String { "\(Int((f.doubleValue * 100).rounded()))%" }

    private func short(_ name: String) -> String {
        switch name {
        case "Hip flexor stretch": return "Hip"
        case "Calf stretch": return "Calf"
        case "Step-ups": return "Step"
        default: return String(name.split(separator: " ").first ?? Substring(name))
        }
    }

    // MARK: - JSON

    /// The same figures as JSON, with the report's names; `weeks` are the weeks shown.
    package func json() throws -> Data {
        var patient = ReportJSON.patient(figures)
        patient.weeks = weeks.map(ReportJSON.week)
        patient.rtm_periods = rtm.map(ReportJSON.RTMPeriodJSON.init)
        let doc = ReportJSON.TrendDocument(as_of: asOf.description, month: Month(containing: asOf).description,
                                           weeks_shown: weeks.count, plan: planText, patient: patient)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        var data = try encoder.encode(doc)
        data.append(0x0A)
        return data
    }

    // MARK: - Workbook

    /// A one-patient workbook: the weekly table with charts (step-ups per day when prescribed,
    /// adherence, pain when rated) and the daily log.
    package func writeWorkbook(to path: String, toolVersion: String, cuts: TextCuts = TextCuts()) throws {
        let f = figures
        let wb = try Workbook(path: path, properties: .init(title: cuts.fit("Trend of \(f.id) as of \(asOf)", limit: CellText.shortLimit, sheet: "document properties"),
                                                            subject: "Home-exercise trend", created: Int(asOf.raw) * 86_400))
        let ws = try wb.addSheet("Weekly", cuts: cuts)
        let log = try wb.addSheet("Daily log", cuts: cuts)
        let exerciseColumns = catalog.exercises.indices.filter { i in f.adherence.contains { $0.exercise == i } }
        let table = WeekTable(exercises: exerciseColumns, catalog: catalog)
        let headers = table.headers
        let widths = table.widths
        let last = headers.count - 1
        let room = PrintLayout.room(widths)
        var row = 0
        var used = 0.0
        /// A line of text across the table's width, wrapped, as tall as it needs.
        func line(_ text: String, format: CellFormat, size: Double = 11) throws {
            try ws.merge(text, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: last, format: format)
            let height = PrintLayout.height(lines: PrintLayout.lines(text, pixels: room, size: size, bold: format.bold), size: size)
            try ws.setRowHeight(row, height: height)
            used += height
            row += 1
        }
        var heading = f.id
        if let n = f.name { heading += " — \(n)" }
        try line(heading, format: CellFormat(bold: true, wrap: true, alignTop: true, fontSize: 14), size: 14)
        try line("Therapist: \(f.therapist ?? "none")   Plan: \(planText)", format: CellFormat(wrap: true, alignTop: true))
        try ws.write("As of", row: row, column: 0, format: CellFormat(bold: true))
        try ws.write(calendarDate(asOf), row: row, column: 1, format: .date)
        row += 1
        used += PrintLayout.rowHeight
        try line(f.urgency == nil ? "On track: no reason to call." : ClinicalWords.capitalized(words.line(f)),
                 format: f.needsAttention.isEmpty ? CellFormat(wrap: true, alignTop: true)
                     : CellFormat(fontColor: 0x9C0006, background: 0xFFC7CE, wrap: true, alignTop: true))
        for q in f.holdQuality {
            try line("Holds, \(catalog.exercises[q.exercise].displayName.lowercased()): \(ClinicalWords.holdSummary(q))",
                     format: CellFormat(wrap: true, alignTop: true))
        }
        if let n = f.latestNote {
            try line("Latest note, " + ClinicalWords.noteText(n), format: CellFormat(wrap: true, alignTop: true))
        }
        row += 1
        used += PrintLayout.rowHeight
        let headerRow = row
        try table.writeHeader(ws, row: row)
        let firstData = row + 1
        row = try table.writeWeeks(weeks, to: ws, row: firstData)
        try table.dataBars(ws, first: firstData, last: row - 1)
        used += table.headerHeight + weeks.reduce(0.0) { $0 + WeekTable.rowHeight($1) }
        try table.setColumnWidths(ws)
        try ws.freezePanes(row: headerRow + 1, column: 1)
        let charts = try table.charts(for: weeks, in: wb, sheet: ws.name, first: firstData, last: row - 1, prefix: "", adherence: true, cuts: cuts)
        // Charts at 90% (432 x 259 pixels, 194 points: 14 rows of 15 points with a gap), step-ups
        // and adherence side by side, pain below; a chart not drawn leaves its place to the next.
        // A row of charts never breaks across a printed page.
        let drawn = [charts.stepUps, charts.adherence, charts.pain].compactMap { $0 }
        let scale = 0.9, chartRows = 14
        // The second starts past the first in Excel (432 pixels) and in LibreOffice, whose wider
        // columns stretch a chart anchored to them to about 460.
        let second = (1..<widths.count).first {
            PrintLayout.room(Array(widths[0..<$0])) >= 440 && PrintLayout.pixels(Array(widths[0..<$0])) >= 465
        } ?? 5
        let page = PrintLayout.pageHeight(landscape: true)
        var breaks: [Int] = []
        var placeRow = row + 1
        used += PrintLayout.rowHeight
        for k in stride(from: 0, to: drawn.count, by: 2) {
            let height = Double(chartRows) * PrintLayout.rowHeight
            if used + height > page {
                // A row between the break and the charts: LibreOffice draws a drawing that
                // starts right at a page break on the page before it too.
                breaks.append(placeRow)
                placeRow += 1
                used = PrintLayout.rowHeight
            }
            // Rows of explicit height under a chart: LibreOffice's empty rows are 12.8 points, not
            // 15, and a chart anchored to them would shrink and shift.
            for r in placeRow..<(placeRow + chartRows) { try ws.setRowHeight(r, height: PrintLayout.rowHeight) }
            try ws.insertChart(drawn[k], row: placeRow, column: 0, scaleX: scale, scaleY: scale)
            if k + 1 < drawn.count { try ws.insertChart(drawn[k + 1], row: placeRow, column: second, scaleX: scale, scaleY: scale) }
            used += height
            placeRow += chartRows
        }
        try ws.setPageSetup(PrintLayout.setup(landscape: true, title: "Trend of \(f.id) as of \(asOf)", repeatRows: nil))
        try ws.setPageBreaks(rows: breaks)
        // Daily log: every entry of the weeks shown.
        let logHeaders = ["Date", "Exercise", "Side", "Reps", "Hold (s)", "Pain"]
        for (c, h) in logHeaders.enumerated() { try log.write(h, row: 0, column: c, format: .header) }
        var r = 1
        let shown = DayRange(weeks.first?.days.first ?? asOf, asOf)
        for e in record.entries where shown.contains(e.day) {
            try log.write(calendarDate(e.day), row: r, column: 0)
            try log.write(e.exercise.map { catalog.exercises[$0].displayName } ?? "other", row: r, column: 1)
            try log.write(e.side == .both ? "both" : (e.side == .left ? "left" : "right"), row: r, column: 2)
            try log.write(e.reps, row: r, column: 3, format: .integer)
            if let h = e.holdCentis { try log.write(Double(h) / 100, row: r, column: 4, format: CellFormat(numberFormat: "0.##")) }
            if let p = e.painCentis { try log.write(Double(p) / 100, row: r, column: 5, format: CellFormat(numberFormat: "0.##")) }
            r += 1
        }
        for (c, w) in [12.0, 22, 8, 8, 9, 8].enumerated() { try log.setColumns(c, c, width: w) }
        try log.freezePanes(row: 1, column: 0)
        try log.setPageSetup(PrintLayout.setup(landscape: false, title: "Trend of \(f.id) as of \(asOf)", repeatRows: 0...0))
        try log.autofilter(firstRow: 0, firstColumn: 0, lastRow: max(r - 1, 1), lastColumn: logHeaders.count - 1)
        try ws.activate()
        try wb.close()
    }
}

/// Unicode block sparklines: ▁▂▃▄▅▆▇█, a space for a missing value.
package enum Sparkline {
    package static func render(_ values: [Double?], fixedMax: Double? = nil) -> String {
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let present = values.compactMap { $0 }
        guard let top = fixedMax ?? present.max(), top > 0 else {
            return String(values.map { $0 == nil ? " " : blocks[0] })
        }
        return String(values.map { v -> Character in
            guard let v else { return " " }
            let k = Int((max(0, min(v, top)) / top * 7).rounded())
            return blocks[k]
        })
    }

    package static func render(_ values: [Double]) -> String { render(values.map { Optional($0) }) }
}

extension Fraction {
    /// One decimal, e.g. "5.5".
    var oneDecimal: String { String(format: "%.1f", doubleValue) }
}
