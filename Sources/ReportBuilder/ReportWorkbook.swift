import AdherenceAnalysis
import SessionIngest
import XLSXWriter

/// Writes one group's monthly workbook: Summary, Trends, RTM, Data issues and About.
public struct ReportWorkbook {
    public let report: MonthlyReport
    public let group: ReportGroup
    /// Texts cut to fit a cell, counted for the whole run (see ``CellText``).
    public let cuts: TextCuts

    public init(report: MonthlyReport, group: ReportGroup, cuts: TextCuts = TextCuts()) {
        self.report = report
        self.group = group
        self.cuts = cuts
    }

    /// Rejected rows listed on the Data issues sheet at most (the rest of a sheet's 1,048,576
    /// rows is left for the other tables).
    static let maxListedRejects = 1_000_000

    /// Links one sheet may hold (Excel's limit, which libxlsxwriter enforces: one more stops the
    /// workbook).
    public static let maxLinksPerSheet = 65_530

    /// Where the patients go, within a sheet's limits: a block on Trends for as many patients as
    /// its rows hold, links both ways for as many as a sheet's links allow, a Summary row for as
    /// many as its rows hold. Patients keep the report's order, so those needing a call come
    /// first and are the last to lose anything.
    struct Layout: Equatable {
        /// The first row of each block on Trends, for the first `blockRows.count` patients.
        var blockRows: [Int]
        /// Patients (the first ones) whose id on Summary links to their block, and back.
        var linked: Int
        /// Patients (the first ones) with a row on Summary.
        var summaryRows: Int
        /// The row below the last block on Trends.
        var trendsEnd: Int

        /// Rows a patient's block takes on Trends: a heading, the reasons to call, the table's
        /// header and one row per week, and room for the charts beside it (about 11 rows at 75%).
        static func blockHeight(weeks: Int) -> Int { max(4 + weeks, 13) }

        /// - Parameters:
        ///   - weeks: each patient's number of weeks, in report order.
        ///   - summaryTop: the Summary's header row.
        ///   - maxRow: the last row of a sheet (zero-based).
        static func make(weeks: [Int], summaryTop: Int, maxRow: Int = ExcelLimits.maxRow,
                         maxLinks: Int = ReportWorkbook.maxLinksPerSheet) -> Layout {
            var rows: [Int] = []
            var row = 2
            for w in weeks {
                let next = row + blockHeight(weeks: w)
                // The row after the last block is kept for the line saying who did not fit.
                guard next <= maxRow else { break }
                rows.append(row)
                row = next
            }
            let summary = min(weeks.count, max(0, maxRow - summaryTop))
            return Layout(blockRows: rows, linked: min(rows.count, maxLinks, summary), summaryRows: summary, trendsEnd: row)
        }
    }

    /// The layout of this workbook's sheets.
    func layout(summaryTop: Int) -> Layout {
        Layout.make(weeks: group.patients.map(\.weeks.count), summaryTop: summaryTop)
    }

    static let green = CellFormat(fontColor: 0x006100, background: 0xC6EFCE)
    static let amber = CellFormat(fontColor: 0x9C5700, background: 0xFFEB9C)
    static let red = CellFormat(fontColor: 0x9C0006, background: 0xFFC7CE)
    static let title = CellFormat(bold: true, fontSize: 14)
    static let bold = CellFormat(bold: true)
    static let redText = CellFormat(bold: true, fontColor: 0x9C0006)
    static let wrapTop = CellFormat(wrap: true, alignTop: true)
    static let signedDecimal = CellFormat(numberFormat: "+0.0;-0.0;0.0")
    /// A change in percentage points (the value is in points): "+3 pts", "-29 pts".
    static let signedPoints = CellFormat(numberFormat: "+0\" pts\";-0\" pts\";0\" pts\"")
    static let trendFormat = CellFormat(numberFormat: "+0.0;-0.0;0.0")
    /// Expected sessions are sessions per week x active days / 7: whole sevenths, shown exactly as
    /// a count with its fraction ("13 2/7"), never as a decimal that reads like a percentage.
    static let sevenths = CellFormat(numberFormat: "# ?/7")
    /// One decimal, so 79.6% never shows as "80%" next to an amber band.
    static let percent1 = CellFormat(numberFormat: "0.0%")

    /// Writes the workbook to `path` (the caller moves it into place). Returns what it holds.
    @discardableResult
    public func write(to path: String) throws -> Workbook.Contents {
        let s = report.settings
        let wb = try Workbook(path: path, properties: .init(
            title: cuts.fit("Adherence report \(s.month) — \(group.label)", limit: CellText.shortLimit, sheet: "document properties"),
            subject: "Home-exercise adherence, as of \(s.asOf)",
            created: Int(s.asOf.raw) * 86_400))
        let summary = try wb.addSheet("Summary", cuts: cuts)
        let trends = try wb.addSheet("Trends", cuts: cuts)
        let rtm = try wb.addSheet("RTM", cuts: cuts)
        let issues = try wb.addSheet("Data issues", cuts: cuts)
        let about = try wb.addSheet("About", cuts: cuts)
        // The layout leaves room above the Summary's table for every notice it may add (3).
        let base = summaryNotices
        let layout = layout(summaryTop: ReportWorkbook.summaryHeaderRow(notices: base.count + 3))
        let notices = base + layoutNotices(layout)
        try writeTrends(trends, workbook: wb, layout: layout, summaryTop: ReportWorkbook.summaryHeaderRow(notices: notices.count))
        try writeSummary(summary, notices: notices, layout: layout)
        try writeRTM(rtm)
        try writeIssues(issues)
        try writeAbout(about)
        try summary.activate()
        try wb.close()
        return wb.contents
    }

    // MARK: - Summary

    struct SummaryColumn {
        let title: String
        let format: CellFormat?
        let value: (PatientFigures) -> Value?
    }

    enum Value {
        case text(String), number(Double), date(Day)
    }

    var exercises: [Exercise] { report.catalog.exercises }

    var words: ClinicalWords { ClinicalWords(thresholds: report.settings.thresholds, catalog: report.catalog) }

    /// The therapist and the clinic of the workbook's patients when every patient has the same
    /// (`.some(nil)`: none has one): said once in the title instead of a column repeating it.
    var sharedTherapist: String?? { ReportWorkbook.shared(group.patients.map(\.therapist)) }
    var sharedClinic: String?? { ReportWorkbook.shared(group.patients.map(\.clinic)) }

    static func shared(_ values: [String?]) -> String?? {
        guard let first = values.first, values.allSatisfy({ $0 == first }) else { return nil }
        return .some(first)
    }

    /// The Summary's title: the month, the workbook's group, values every patient shares, the as-of date.
    var summaryTitle: String {
        let s = report.settings
        var shared: [String] = []
        if case let t?? = sharedTherapist, t != group.name { shared.append("therapist \(t)") }
        if case let c?? = sharedClinic, c != group.name { shared.append(c) }
        return "Adherence report \(s.month), \(group.label)\(shared.isEmpty ? "" : " (" + shared.joined(separator: ", ") + ")"), as of \(s.asOf)"
    }

    var summaryColumns: [SummaryColumn] {
        let words = self.words
        var cols: [SummaryColumn] = [
            SummaryColumn(title: "Patient ID", format: nil) { .text($0.id) },
            SummaryColumn(title: "Patient", format: nil) { $0.name.map(Value.text) },
        ]
        if sharedTherapist == nil { cols.append(SummaryColumn(title: "Therapist", format: nil) { $0.therapist.map(Value.text) }) }
        if sharedClinic == nil { cols.append(SummaryColumn(title: "Clinic", format: nil) { $0.clinic.map(Value.text) }) }
        cols += [
            SummaryColumn(title: "Urgency", format: nil) { $0.urgency.map { .text($0.rawValue) } },
            SummaryColumn(title: "Needs attention", format: nil) { p in
                p.needsAttention.isEmpty ? nil : .text(words.reasons(p).joined(separator: "; "))
            },
            SummaryColumn(title: "Latest note", format: nil) { $0.latestNote.map { .text(ClinicalWords.noteText($0)) } },
            SummaryColumn(title: "Overall adherence", format: ReportWorkbook.percent1) { $0.overall.map { .number($0.doubleValue) } },
            SummaryColumn(title: "Band", format: nil) { $0.band.map { .text($0.rawValue) } },
        ]
        for (i, e) in exercises.enumerated() {
            cols.append(SummaryColumn(title: e.displayName, format: ReportWorkbook.percent1) { p in
                p.adherence.first { $0.exercise == i }?.adherence.map { .number($0.doubleValue) }
            })
        }
        // Hold quality of each exercise some patient here holds, as words ("6 s of 10 s, 0% held").
        for (i, e) in exercises.enumerated() where group.patients.contains(where: { $0.holdQuality.contains { $0.exercise == i } }) {
            cols.append(SummaryColumn(title: "\(e.displayName) holds", format: nil) { p in
                p.holdQuality.first { $0.exercise == i }.map { .text(ClinicalWords.holdSummary($0)) }
            })
        }
        cols += [
            SummaryColumn(title: "Sessions/week", format: .integer) { $0.sessionsPerWeek.map { .number(Double($0)) } },
            SummaryColumn(title: "Expected sessions", format: ReportWorkbook.sevenths) { $0.expectedSessions.map { .number($0.doubleValue) } },
            SummaryColumn(title: "Session days", format: ReportWorkbook.percent1) { $0.sessionDays.map { .number($0.doubleValue) } },
            SummaryColumn(title: "Monitoring days (\(report.settings.thresholds.monitoringDays))", format: .integer) { .number(Double($0.monitoringDays)) },
            SummaryColumn(title: "Step-up reps", format: .integer) { $0.stepUpsPrescribed ? .number(Double($0.stepUpReps)) : nil },
            SummaryColumn(title: "Step-up trend (%/week)", format: ReportWorkbook.trendFormat) { p in
                p.trend.percentPerWeek.map { .number($0) }
            },
            SummaryColumn(title: "Step-up trend", format: nil) { .text($0.trend.label.rawValue) },
            SummaryColumn(title: "Side balance", format: .percent) { $0.sideBalance.map { .number($0.doubleValue) } },
            SummaryColumn(title: "Pain change", format: ReportWorkbook.signedDecimal) { $0.painChange.map { .number($0.doubleValue) } },
            SummaryColumn(title: "Max pain", format: .decimal1) { $0.maxPain.map { .number($0.doubleValue) } },
            SummaryColumn(title: "Change vs last month (pts)", format: ReportWorkbook.signedPoints) {
                $0.changeVsLastMonth.map { .number($0.doubleValue * 100) }
            },
            SummaryColumn(title: "Last entry", format: .date) { $0.lastEntry.map(Value.date) },
            SummaryColumn(title: "Days since last entry", format: .integer) { $0.daysSinceLastEntry.map { .number(Double($0)) } },
            SummaryColumn(title: "Engagement", format: nil) { .text($0.engagement.rawValue) },
            SummaryColumn(title: "Other reps", format: .integer) { $0.otherReps > 0 ? .number(Double($0.otherReps)) : nil },
        ]
        return cols
    }

    /// The Summary's table starts below its title, its notices and the worklist's counts: the
    /// row of its header.
    static func summaryHeaderRow(notices: Int) -> Int { 3 + notices }

    /// What the reader of this workbook must know before trusting its figures: exercise names
    /// nobody settled, clinical columns the exports do not record (domain.md, "Understood, or
    /// said"). One line each, at the top of the Summary.
    var summaryNotices: [String] {
        var notices: [String] = []
        let ids = Set(group.patients.map(\.id))
        let unknown = report.ingest.unknownExercises.filter { !$0.patients.isDisjoint(with: ids) }
        if !unknown.isEmpty {
            let patients = unknown.reduce(into: Set<String>()) { $0.formUnion($1.patients.intersection(ids)) }
            let names = unknown.prefix(5).map { "'\($0.name)'" }.joined(separator: ", ") + (unknown.count > 5 ? ", ..." : "")
            notices.append("Exercise names adhere does not know (\(names)) carry entries of \(patients.count) patient\(patients.count == 1 ? "" : "s") here: their reps count as Other reps, not towards adherence, so those figures may be too low. See Data issues; the clinic's admin settles them in the catalog file.")
        }
        notices += report.ingest.missingClinicalColumns.compactMap(\.summaryNotice)
        for (names, merge) in report.merges {
            let here = group.patients.contains { (names.column == "therapist" ? $0.therapist : $0.clinic) == merge.shown }
                || group.name == merge.shown
            guard here else { continue }
            let others = merge.spellings.dropFirst().map { "'\($0.text)'" }.joined(separator: ", ")
            notices.append("The \(names.column) '\(merge.shown)' is also written \(others) in the exports: read as one name, shown as the spelling used most. See Data issues.")
        }
        return notices
    }

    /// What the sheets' limits left out, one notice each (none for a workbook that fits).
    func layoutNotices(_ layout: Layout) -> [String] {
        let n = group.patients.count
        var notices: [String] = []
        if layout.summaryRows < n {
            notices.append("This sheet has room (1,048,576 rows) for the first \(layout.summaryRows) of the \(n) patients, in the order below; the other \(n - layout.summaryRows) are in the JSON (--json).")
        }
        if layout.blockRows.count < n {
            notices.append("Trends has room (1,048,576 rows) for the weeks of the first \(layout.blockRows.count) of the \(n) patients, in the order below; the weeks of the other \(n - layout.blockRows.count) are in the JSON (--json).")
        }
        let linkable = min(layout.blockRows.count, layout.summaryRows)
        if layout.linked < linkable {
            notices.append("A sheet holds at most 65,530 links: the IDs of the first \(layout.linked) patients link to their weeks on Trends; for the other \(linkable - layout.linked), find the ID on Trends (Ctrl+F).")
        }
        return notices
    }

    func writeSummary(_ ws: Sheet, notices: [String], layout: Layout) throws {
        let cols = summaryColumns
        let top = ReportWorkbook.summaryHeaderRow(notices: notices.count)
        try ws.write(summaryTitle, row: 0, column: 0, format: ReportWorkbook.title)
        for (i, notice) in notices.enumerated() {
            try ws.write("Note: " + notice, row: 1 + i, column: 0, format: ReportWorkbook.redText)
        }
        try ws.write(ClinicalWords.counts(group.patients), row: 1 + notices.count, column: 0, format: ReportWorkbook.bold)
        var widths = cols.map { Double(min($0.title.count, 14)) }
        for (c, col) in cols.enumerated() {
            try ws.write(col.title, row: top, column: c, format: .header)
        }
        for (r, p) in group.patients.prefix(layout.summaryRows).enumerated() {
            let row = top + r + 1
            for (c, col) in cols.enumerated() {
                guard let v = col.value(p) else { continue }
                switch v {
                case .text(let t):
                    if c == 0, r < layout.linked {
                        try ws.writeLink(t, toSheet: "Trends", cell: cellName(row: layout.blockRows[r], column: 0), row: row, column: c)
                    } else {
                        try ws.write(t, row: row, column: c, format: col.format)
                    }
                    widths[c] = max(widths[c], Double(t.count))
                case .number(let n):
                    try ws.write(n, row: row, column: c, format: col.format)
                    widths[c] = max(widths[c], 7)
                case .date(let d):
                    try ws.write(calendarDate(d), row: row, column: c, format: col.format ?? .date)
                    widths[c] = max(widths[c], 10)
                }
            }
        }
        for (c, w) in widths.enumerated() {
            try ws.setColumns(c, c, width: min(w + 2, 60))
        }
        let last = top + max(layout.summaryRows, 1)
        try ws.setRowHeight(top, height: 30)
        try ws.freezePanes(row: top + 1, column: 2)
        try ws.autofilter(firstRow: top, firstColumn: 0, lastRow: last, lastColumn: cols.count - 1)
        try ws.setPrintLayout(landscape: true, fitWidth: 1, repeatRows: top...top)
        // Adherence bands on every adherence column, blanks left alone.
        let t = report.settings.thresholds
        let names = Set(exercises.map(\.displayName) + ["Overall adherence"])
        let adherenceColumns = cols.indices.filter { names.contains(cols[$0].title) }
        for c in adherenceColumns {
            let ref = cellName(row: top + 1, column: c)
            let hi = formulaNumber(t.adherent), lo = formulaNumber(t.partial)
            try ws.conditionalFormat(firstRow: top + 1, firstColumn: c, lastRow: last, lastColumn: c,
                                     rule: .formula("AND(ISNUMBER(\(ref)),\(ref)>=\(hi))"), format: ReportWorkbook.green)
            try ws.conditionalFormat(firstRow: top + 1, firstColumn: c, lastRow: last, lastColumn: c,
                                     rule: .formula("AND(ISNUMBER(\(ref)),\(ref)>=\(lo),\(ref)<\(hi))"), format: ReportWorkbook.amber)
            try ws.conditionalFormat(firstRow: top + 1, firstColumn: c, lastRow: last, lastColumn: c,
                                     rule: .formula("AND(ISNUMBER(\(ref)),\(ref)<\(lo))"), format: ReportWorkbook.red)
        }
        if let c = cols.firstIndex(where: { $0.title == "Needs attention" }) {
            let ref = cellName(row: top + 1, column: c)
            try ws.conditionalFormat(firstRow: top + 1, firstColumn: c, lastRow: last, lastColumn: c,
                                     rule: .formula("LEN(\(ref))>0"), format: ReportWorkbook.red)
        }
        if let c = cols.firstIndex(where: { $0.title == "Urgency" }) {
            let ref = cellName(row: top + 1, column: c)
            for (u, format) in [(Urgency.callNow, ReportWorkbook.red), (.review, ReportWorkbook.amber)] {
                try ws.conditionalFormat(firstRow: top + 1, firstColumn: c, lastRow: last, lastColumn: c,
                                         rule: .formula("\(ref)=\"\(u.rawValue)\""), format: format)
            }
        }
    }

    func formulaNumber(_ f: Fraction) -> String { NumberText.plain(f.doubleValue) }

    // MARK: - Trends

    /// One block per patient (same order as Summary) at the rows `layout` gives: a weekly table
    /// and charts beside it, and a link back to the patient's Summary row (below `summaryTop`).
    func writeTrends(_ ws: Sheet, workbook: Workbook, layout: Layout, summaryTop: Int) throws {
        try ws.write("Weekly trends, \(report.settings.month) (as of \(report.settings.asOf)). Weeks run Monday to Sunday. A week cut short (by the as-of date, or by the patient's start) is marked partial and compared per day: adherence and step-ups per day, never its total. Weeks before the patient's start are empty. Click a patient ID on Summary to jump here.",
                     row: 0, column: 0, format: ReportWorkbook.bold)
        let table = WeekTable(exercises: Array(exercises.indices), catalog: report.catalog)
        let headers = table.headers
        let chartColumn = headers.count + 1
        for (i, (p, row)) in zip(group.patients, layout.blockRows).enumerated() {
            var heading = p.id
            if let n = p.name { heading += " — \(n)" }
            if let t = p.therapist { heading += " (\(t))" }
            try ws.write(heading, row: row, column: 0, format: ReportWorkbook.title)
            if i < layout.linked {
                try ws.writeLink("back to Summary", toSheet: "Summary", cell: cellName(row: summaryTop + i + 1, column: 0),
                                 row: row, column: headers.count - 1)
            }
            var detail = p.needsAttention.isEmpty ? "No reason to call." : ClinicalWords.capitalized(words.line(p))
            if let n = p.latestNote { detail += "   Latest note, " + ClinicalWords.noteText(n) }
            try ws.write(detail, row: row + 1, column: 0, format: p.needsAttention.isEmpty ? nil : ReportWorkbook.red)
            let headerRow = row + 2
            try table.writeHeader(ws, row: headerRow)
            // The next block starts Layout.blockHeight rows down, below the charts (11 rows at 75%).
            let r = try table.writeWeeks(p.weeks, to: ws, row: headerRow + 1)
            let charts = try table.charts(for: p.weeks, in: workbook, sheet: ws.name, first: headerRow + 1, last: r - 1,
                                          prefix: "\(p.id): ", adherence: false, cuts: cuts)
            if let steps = charts.stepUps {
                try ws.insertChart(steps, row: row, column: chartColumn, scaleX: 0.75, scaleY: 0.75)
            }
            if let pain = charts.pain {
                try ws.insertChart(pain, row: row, column: charts.stepUps == nil ? chartColumn : chartColumn + 7, scaleX: 0.75, scaleY: 0.75)
            }
        }
        if group.patients.isEmpty {
            try ws.write("No patients in this report.", row: 2, column: 0)
        } else if layout.blockRows.count < group.patients.count {
            let more = group.patients.count - layout.blockRows.count
            try ws.write("... and \(more) more patient\(more == 1 ? "" : "s") than this sheet has rows for: see Summary, and the JSON (--json) for their weeks.",
                         row: layout.trendsEnd, column: 0, format: ReportWorkbook.red)
        }
        try ws.setColumns(0, 0, width: 14)
        try ws.setColumns(1, headers.count - 1, width: 11)
        try ws.setColumns(table.categoryColumn, table.categoryColumn, width: 27)
        try ws.setPrintLayout(landscape: true, fitWidth: 1, repeatRows: nil)
    }

    // MARK: - Data issues

    func writeIssues(_ ws: Sheet) throws {
        let ingest = report.ingest
        let rejectsFile = "rejects-\(report.settings.month).csv"
        var row = 0
        var fileWidth = 10.0
        // A sheet holds 1,048,576 rows: each list shows what fits, keeping `reserve` rows for the
        // sections below it, and says how many more there are and where to find them.
        func list(_ count: Int, reserve: Int, cap: Int = .max, more: String, _ item: (Int, Int) throws -> Void) throws {
            if count == 0 { try ws.write("None.", row: row, column: 0); row += 1 }
            let shown = min(count, cap, max(0, ExcelLimits.maxRow - reserve - row))
            for i in 0..<shown { try item(i, row); row += 1 }
            if shown < count {
                try ws.write("... and \(count - shown) more than fit on this sheet: \(more)", row: row, column: 0, format: ReportWorkbook.red)
                row += 1
            }
            row += 1
        }
        row = try section(ws, "Rejected rows (not counted anywhere in this report; also in \(rejectsFile))", headers: ["File", "Line", "Reason", "Raw text"], at: row)
        try list(group.rejects.count, reserve: 40, cap: ReportWorkbook.maxListedRejects, more: "see \(rejectsFile)") { i, row in
            let r = group.rejects[i]
            try ws.write(r.file, row: row, column: 0)
            try ws.write(r.line, row: row, column: 1, format: .integer)
            try ws.write(r.reason, row: row, column: 2)
            // A raw row longer than a cell holds is cut to fit (Sheet); the rejects file keeps it whole.
            try ws.write(r.raw, row: row, column: 3)
            fileWidth = max(fileWidth, Double(r.file.count))
        }
        let failed = ingest.failedFiles
        if !failed.isEmpty {
            row = try section(ws, "Files that could not be read", headers: ["File", "Problem"], at: row)
            try list(failed.count, reserve: 30, more: "they are named on standard error") { i, row in
                try ws.write(failed[i].path, row: row, column: 0)
                try ws.write(failed[i].error.map { "\($0)" } ?? "", row: row, column: 1)
            }
        }
        row = try section(ws, "Duplicate rows dropped (rows repeated across overlapping exports count once)", headers: ["File", "Duplicates dropped"], at: row)
        try list(ingest.files.count, reserve: 20, more: "see the JSON (--json) or adhere check") { i, row in
            let f = ingest.files[i]
            try ws.write(f.path, row: row, column: 0)
            try ws.write(f.duplicates, row: row, column: 1, format: .integer)
            fileWidth = max(fileWidth, Double(f.path.count))
        }
        row = try section(ws, "Therapist and clinic names written more than one way (read as one name, shown as the spelling used most)",
                          headers: ["Column", "Shown as", "Written as", "Patients and rejected rows"], at: row)
        let spellings = report.merges.flatMap { m in m.merge.spellings.map { (m.names.column, m.merge.shown, $0) } }
        try list(spellings.count, reserve: 15, more: "see standard error") { i, row in
            let (column, shown, spelling) = spellings[i]
            try ws.write(column, row: row, column: 0)
            try ws.write(shown, row: row, column: 1)
            try ws.write(spelling.text, row: row, column: 2)
            try ws.write(spelling.uses, row: row, column: 3, format: .integer)
        }
        row = try section(ws, "Exercise names adhere does not know (counted as entries; reps shown as Other reps). Settle each in the catalog file (adhere check --write-catalog FILE writes one to finish)", headers: ["Exercise name", "Rows", "Patients"], at: row)
        let unknown = ingest.unknownExercises
        try list(unknown.count, reserve: 10, more: "adhere check --write-catalog FILE lists them all") { i, row in
            try ws.write(unknown[i].name, row: row, column: 0)
            try ws.write(unknown[i].rows, row: row, column: 1, format: .integer)
            try ws.write(unknown[i].patients.count, row: row, column: 2, format: .integer)
        }
        try ws.setColumns(0, 0, width: min(fileWidth + 2, 60))
        try ws.setColumns(1, 1, width: 10)
        try ws.setColumns(2, 2, width: 50)
        try ws.setColumns(3, 3, width: 80)
        try ws.setPrintLayout(landscape: true, fitWidth: 1, repeatRows: nil)
    }

    /// A section's title and its table header; returns the first row below them.
    func section(_ ws: Sheet, _ title: String, headers: [String], at row: Int) throws -> Int {
        try ws.write(title, row: row, column: 0, format: ReportWorkbook.title)
        for (c, h) in headers.enumerated() { try ws.write(h, row: row + 1, column: c, format: .header) }
        return row + 2
    }

    // MARK: - About

    func writeAbout(_ ws: Sheet) throws {
        let s = report.settings
        let ingest = report.ingest
        var row = 0
        func pair(_ k: String, _ v: String) throws {
            try ws.write(k, row: row, column: 0, format: ReportWorkbook.bold)
            try ws.write(v, row: row, column: 1)
            row += 1
        }
        func pairDate(_ k: String, _ d: Day) throws {
            try ws.write(k, row: row, column: 0, format: ReportWorkbook.bold)
            try ws.write(calendarDate(d), row: row, column: 1)
            row += 1
        }
        try ws.write("About this report", row: row, column: 0, format: ReportWorkbook.title)
        row += 1
        try pair("Month", s.month.description)
        try pairDate("As of", s.asOf)
        try pair("Window", "\(s.window.first) to \(s.window.last) (\(s.window.count) days)")
        try pairDate("Generated at", s.asOf)
        try pair("", "The generated-at date is pinned to the as-of date, so the same inputs always give the same file.")
        try pair("Grouping", s.grouping == .all ? "all patients in one workbook" : "one workbook per \(s.grouping.rawValue)")
        try pair("This workbook", group.label)
        try pair("Patients", "\(group.patients.count) (\(group.needingAttention) need attention)")
        try pair("Rows read", "\(ingest.rowsRead) in \(ingest.files.count) file(s): \(ingest.rowsRejected) rejected, \(ingest.duplicatesDropped) duplicates dropped, \(ingest.rowsAfterAsOf) dated after the as-of date")
        try pair("Tool", "adhere \(s.toolVersion)")
        row += 1
        try ws.write("Input files", row: row, column: 0, format: ReportWorkbook.title)
        row += 1
        let headers = ["File", "Rows", "Accepted", "Rejected", "Duplicates", "Bytes", "SHA-256", "Read as"]
        for (c, h) in headers.enumerated() { try ws.write(h, row: row, column: c, format: .header) }
        row += 1
        for f in ingest.files {
            try ws.write(f.path, row: row, column: 0)
            try ws.write(f.rows, row: row, column: 1, format: .integer)
            try ws.write(f.accepted, row: row, column: 2, format: .integer)
            try ws.write(f.rejected, row: row, column: 3, format: .integer)
            try ws.write(f.duplicates, row: row, column: 4, format: .integer)
            try ws.write(f.bytes, row: row, column: 5, format: .integer)
            try ws.write(f.sha256, row: row, column: 6)
            let how = f.error.map { "not read: \($0)" }
                ?? (["\(f.separator)-separated, \(f.encoding), dates \(f.dateFormat)"] + f.notices).joined(separator: "; ")
            try ws.write(how, row: row, column: 7)
            row += 1
        }
        row += 1
        if let plans = report.plans {
            try pair("Plans file", plans.path)
            try pair("Plans rows", "\(plans.rows)")
            try pair("Plans SHA-256", plans.sha256)
        } else {
            try pair("Plans file", "none: every patient follows the default protocol")
        }
        row += 1
        try ws.write("Rules and thresholds in force", row: row, column: 0, format: ReportWorkbook.title)
        row += 1
        for sentence in RuleText.sentences(thresholds: s.thresholds, catalog: report.catalog) {
            try ws.write(sentence, row: row, column: 0, format: ReportWorkbook.wrapTop)
            row += 1
        }
        try ws.setColumns(0, 0, width: 24)
        try ws.setColumns(1, 5, width: 12)
        try ws.setColumns(6, 6, width: 66)
        try ws.setColumns(7, 7, width: 30)
    }
}

func calendarDate(_ d: Day) -> CalendarDate {
    let c = d.civil
    return CalendarDate(year: c.year, month: c.month, day: c.day)
}

/// Every rule and threshold in force, one plain sentence each.
public enum RuleText {
    /// The default protocol in words, from the catalog: "hip flexor stretch 10 per side, held
    /// 10 s; calf stretch 10 per side; step-ups as many as comfortable".
    public static func defaultProtocol(_ catalog: ExerciseCatalog) -> String {
        catalog.exercises.filter(\.inDefaultProtocol).map { e -> String in
            var s = e.displayName.lowercased()
            if let r = e.defaultRepsPerSide { s += " \(r) per side" } else { s += " as many as comfortable" }
            if let h = e.defaultHoldCentis { s += ", held \(NumberText.plain(Fraction(Int64(h), 100))) s" }
            return s
        }.joined(separator: "; ")
    }

    public static func sentences(thresholds t: Thresholds, catalog: ExerciseCatalog) -> [String] {
        func pct(_ f: Fraction) -> String { num(f * Fraction(100)) + "%" }
        func num(_ f: Fraction) -> String { NumberText.plain(f.doubleValue) }
        var out: [String] = []
        let protocolText = RuleText.defaultProtocol(catalog)
        out.append("A patient without a plan follows the default protocol (\(protocolText)) \(t.defaultSessionsPerWeek) sessions a week from their first logged day, and is discharged once \(t.dischargeDays) days pass with no entry.")
        out.append("A patient with a plan does the exercises in their plan rows, each between its start and end dates.")
        out.append("An entry counts on the calendar date written in it, whatever the time of day; rows dated after the as-of date are not counted.")
        out.append("A day's dose of an exercise with a target of R reps per side is, per side, the reps held at least the prescribed hold, capped at R and divided by R, averaged over left and right; a 'both' row counts for each side.")
        out.append("For an exercise without a target (step-ups), a day with at least one rep is a full dose.")
        out.append("Expected sessions = sessions per week x active days in the window / 7.")
        out.append("Exercise adherence = the doses of the active days added up, divided by expected sessions, at most 100%; overall adherence is the mean over the exercises that had sessions expected.")
        out.append("Bands: \(pct(t.adherent)) or more adherent, \(pct(t.partial)) to under \(pct(t.adherent)) partial, under \(pct(t.partial)) low.")
        out.append("Session days = days with any entry among the active days, divided by the largest expected sessions, at most 100%.")
        out.append("Monitoring days = distinct days with any entry in the \(t.monitoringDays) days ending on the as-of date (16 or more meets the 16-of-30 remote-monitoring threshold).")
        out.append(RemoteMonitoringRule.sentence(t))
        out.append("The step-up trend is the least-squares slope of reps per step-up day over the \(t.lookBackDays) days ending on the as-of date, per week, as a share of the mean: +\(num(t.building))%/week or more is building, -\(num(t.declining))%/week or less is declining, otherwise steady; fewer than \(t.minimumTrendDays) step-up days is insufficient data.")
        out.append("Side balance = the smaller of left and right step-up reps as a share of the larger.")
        out.append("Week by week (Monday to Sunday), figures count a week's days from the patient's start to the as-of date: weeks before the start are empty; a week with fewer than 7 such days is marked partial and compared per day (adherence, step-ups per day); an exercise not prescribed that week has no figures.")
        out.append("Pain change = mean daily pain (the day's highest rating) over the last \(t.painHalfDays) days of the look-back minus that over its first \(t.painHalfDays) days.")
        out.append("Change vs last month = overall adherence this window minus that of the whole previous month.")
        out.append("Hold quality (exercises with a prescribed hold) = of the reps with a recorded hold, the share held at least the prescribed time, and the mean recorded hold per rep; reps held short do not count towards the dose.")
        out.append("Engagement on the as-of date: never started (a plan has run \(t.neverStartedDays) days or more, its first day counted, and nothing was ever logged); stopped (logged before, still active, no entry in the last \(t.inactiveDays) days); discharged (no longer active); otherwise active.")
        out.append("Needs attention when (the report's words, then the rule): " + AttentionReason.all(t).map { r in
            let rule = r.rule(t)
            return "'\(rule.words)': \(rule.meaning)"
        }.joined(separator: "; ") + ".")
        out.append("Urgency of a patient needing attention: call now when a reason above says so; otherwise not logging when the last entry is more than \(t.notLoggingDays) days back; otherwise review. Patients are listed call now first, then review, then not logging, then everyone else.")
        out.append("The latest note the patient wrote in the window is shown as they wrote it.")
        out.append("Rows repeated across overlapping exports count once; rejected rows are never counted and are listed on the Data issues sheet.")
        return out
    }
}
