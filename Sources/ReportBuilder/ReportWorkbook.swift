import AdherenceAnalysis
import SessionIngest
import XLSXWriter

/// Writes one group's monthly workbook: Summary, Trends, Charts, RTM, Data issues and About.
package struct ReportWorkbook {
    package let report: MonthlyReport
    package let group: ReportGroup
    /// Texts cut to fit a cell, counted for the whole run (see ``CellText``).
    package let cuts: TextCuts

    package init(report: MonthlyReport, group: ReportGroup, cuts: TextCuts = TextCuts()) {
        self.report = report
        self.group = group
        self.cuts = cuts
    }

    /// Rejected rows listed on the Data issues sheet at most (the rest of a sheet's 1,048,576
    /// rows is left for the other tables).
    static let maxListedRejects = 1_000_000

    /// Links one sheet may hold (Excel's limit, which libxlsxwriter enforces: one more stops the
    /// workbook).
    package static let maxLinksPerSheet = 65_530

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

        /// The first block's row on Trends: below the title, the introduction and a blank row.
        static let firstBlockRow = 3

        /// Rows a patient's block takes on Trends, as ``writeTrends(_:layout:summaryTop:)`` writes
        /// it: a heading (with the step-up direction), the reasons to call, the table's header,
        /// one row per week, and a blank row. (The rows' heights vary with their text; their
        /// number does not. The charts are on the Charts sheet.)
        static func blockHeight(weeks: Int) -> Int { 4 + weeks }

        /// - Parameters:
        ///   - weeks: each patient's number of weeks, in report order.
        ///   - summaryTop: the Summary's header row.
        ///   - maxRow: the last row of a sheet (zero-based).
        static func make(weeks: [Int], summaryTop: Int, maxRow: Int = ExcelLimits.maxRow,
                         maxLinks: Int = ReportWorkbook.maxLinksPerSheet) -> Layout {
            var rows: [Int] = []
            var row = firstBlockRow
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
    static let linkTop = CellFormat(fontColor: 0x0563C1, alignTop: true)
    static let titleWrapped = CellFormat(bold: true, wrap: true, alignTop: true, fontSize: 14)
    static let redWrapped = CellFormat(bold: true, fontColor: 0x9C0006, wrap: true, alignTop: true)
    static let boldWrapped = CellFormat(bold: true, wrap: true, alignTop: true)

    /// `format`, aligned to the top of its cell (rows with wrapped text are taller than a line).
    static func topAligned(_ format: CellFormat) -> CellFormat {
        var f = format
        f.alignTop = true
        return f
    }
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
    package func write(to path: String) throws -> Workbook.Contents {
        let s = report.settings
        let wb = try Workbook(path: path, properties: .init(
            title: cuts.fit("Adherence report \(s.month) — \(group.label)", limit: CellText.shortLimit, sheet: "document properties"),
            subject: "Home-exercise adherence, as of \(s.asOf)",
            created: Int(s.asOf.raw) * 86_400))
        let summary = try wb.addSheet("Summary", cuts: cuts)
        let trends = try wb.addSheet("Trends", cuts: cuts)
        let charts = try wb.addSheet("Charts", cuts: cuts)
        let rtm = try wb.addSheet("RTM", cuts: cuts)
        let issues = try wb.addSheet("Data issues", cuts: cuts)
        let about = try wb.addSheet("About", cuts: cuts)
        // The layout leaves room above the Summary's table for every notice it may add (3).
        let base = summaryNotices
        let layout = layout(summaryTop: ReportWorkbook.summaryHeaderRow(notices: base.count + 3))
        let notices = base + layoutNotices(layout)
        let blocks = try writeTrends(trends, layout: layout, summaryTop: ReportWorkbook.summaryHeaderRow(notices: notices.count))
        try writeCharts(charts, workbook: wb, trends: trends.name, blocks: blocks)
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
        /// Text that wraps inside the column (the row grows), rather than running into the next.
        var wraps = false
        let value: (PatientFigures) -> Value?

        init(title: String, format: CellFormat?, wraps: Bool = false, value: @escaping (PatientFigures) -> Value?) {
            self.title = title
            self.format = format
            self.wraps = wraps
            self.value = value
        }
    }

    /// The workbook's title in the footer of every printed page.
    var printTitle: String { "Adherence report \(report.settings.month), \(group.label), as of \(report.settings.asOf)" }

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
            SummaryColumn(title: "Patient", format: nil, wraps: true) { $0.name.map(Value.text) },
        ]
        if sharedTherapist == nil { cols.append(SummaryColumn(title: "Therapist", format: nil, wraps: true) { $0.therapist.map(Value.text) }) }
        if sharedClinic == nil { cols.append(SummaryColumn(title: "Clinic", format: nil, wraps: true) { $0.clinic.map(Value.text) }) }
        cols += [
            SummaryColumn(title: "Urgency", format: nil) { $0.urgency.map { .text($0.rawValue) } },
            SummaryColumn(title: "Needs attention", format: nil, wraps: true) { p in
                p.needsAttention.isEmpty ? nil : .text(words.reasons(p).joined(separator: "; "))
            },
            SummaryColumn(title: "Latest note", format: nil, wraps: true) { $0.latestNote.map { .text(ClinicalWords.noteText($0)) } },
            SummaryColumn(title: "Overall adherence", format: ReportWorkbook.percent1) { $0.overall.map { .number($0.doubleValue) } },
            SummaryColumn(title: "Band", format: nil) { $0.band.map { .text($0.rawValue) } },
            SummaryColumn(title: "Step-up trend", format: nil) { .text($0.trend.label.rawValue) },
        ]
        for (i, e) in exercises.enumerated() {
            cols.append(SummaryColumn(title: e.displayName, format: ReportWorkbook.percent1) { p in
                p.adherence.first { $0.exercise == i }?.adherence.map { .number($0.doubleValue) }
            })
        }
        // Hold quality of each exercise some patient here holds, as words ("6 s of 10 s, 0% held").
        for (i, e) in exercises.enumerated() where group.patients.contains(where: { $0.holdQuality.contains { $0.exercise == i } }) {
            cols.append(SummaryColumn(title: "\(e.displayName) holds", format: nil, wraps: true) { p in
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

    /// Column widths of the Summary, in characters: each column as wide as its content needs up to
    /// a cap, and "Needs attention" and "Latest note" (which wrap) sharing what is left of the
    /// first printed page, so that a patient's worklist line (id to step-up trend) prints on one
    /// page at full size; the other figures follow on the next pages, the id and name repeated.
    func summaryWidths(_ cols: [SummaryColumn]) -> [Double] {
        let patients = group.patients
        var widths: [Double] = cols.map { col in
            switch col.title {
            case "Patient ID", "Patient", "Therapist", "Clinic":
                let longest = patients.compactMap { p -> Int? in
                    if case .text(let t)? = col.value(p) { return t.count }
                    return nil
                }.max() ?? 0
                return min(max(Double(longest) + 1, 10), col.title == "Patient ID" ? 16 : 22)
            case "Urgency": return 11
            case "Overall adherence": return 10.5
            case "Band": return 9
            case "Step-up trend": return 15
            case "Needs attention", "Latest note": return 0
            case "Change vs last month (pts)", "Monitoring days (30)", "Engagement": return 13
            case "Last entry", "Expected sessions": return 11
            default: return col.wraps ? 20 : 10
            }
        }
        let shared = cols.indices.filter { ["Needs attention", "Latest note"].contains(cols[$0].title) }
        let firstPage = (cols.firstIndex { $0.title == "Step-up trend" } ?? cols.count - 1)
        let used = (0...firstPage).filter { !shared.contains($0) }.reduce(0.0) { $0 + PrintLayout.pixels(widths[$1]) }
        let left = max(PrintLayout.pageWidth(landscape: true) - used - 4, 300)
        for (k, c) in shared.enumerated() {
            widths[c] = PrintLayout.width(forPixels: left * (shared.count == 1 ? 1 : k == 0 ? 0.55 : 0.45))
        }
        return widths
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
        let widths = summaryWidths(cols)
        let top = ReportWorkbook.summaryHeaderRow(notices: notices.count)
        // What prints: the worklist's columns, from the id to the step-up trend, on a page's width
        // at full size (the other figures are read on screen). The title and notices span them.
        let firstPageEnd = max((PrintLayout.columnBreaks(widths, repeated: nil, landscape: true).first ?? cols.count) - 1, 1)
        let firstPageWidth = PrintLayout.room(Array(widths[0...firstPageEnd]))
        func banner(_ text: String, row: Int, format: CellFormat, size: Double) throws {
            try ws.merge(text, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: max(firstPageEnd, 1), format: format)
            try ws.setRowHeight(row, height: PrintLayout.height(lines: PrintLayout.lines(text, pixels: firstPageWidth, size: size, bold: true), size: size))
        }
        try banner(summaryTitle, row: 0, format: ReportWorkbook.titleWrapped, size: 14)
        for (i, notice) in notices.enumerated() {
            try banner("Note: " + notice, row: 1 + i, format: ReportWorkbook.redWrapped, size: 11)
        }
        try ws.write(ClinicalWords.counts(group.patients), row: 1 + notices.count, column: 0, format: ReportWorkbook.bold)
        var headerLines = 1
        for (c, col) in cols.enumerated() {
            try ws.write(col.title, row: top, column: c, format: .header)
            headerLines = max(headerLines, PrintLayout.lines(col.title, width: widths[c], bold: true))
        }
        try ws.setRowHeight(top, height: PrintLayout.height(lines: headerLines))
        for (r, p) in group.patients.prefix(layout.summaryRows).enumerated() {
            let row = top + r + 1
            var lines = 1
            for (c, col) in cols.enumerated() {
                guard let v = col.value(p) else { continue }
                switch v {
                case .text(let t):
                    if c == 0, r < layout.linked {
                        try ws.writeLink(t, toSheet: "Trends", cell: cellName(row: layout.blockRows[r], column: 0), row: row, column: c,
                                         format: ReportWorkbook.linkTop)
                    } else {
                        try ws.write(t, row: row, column: c, format: col.wraps ? ReportWorkbook.wrapTop : ReportWorkbook.topAligned(col.format ?? .plain))
                    }
                    if col.wraps { lines = max(lines, PrintLayout.lines(t, width: widths[c])) }
                case .number(let n):
                    try ws.write(n, row: row, column: c, format: ReportWorkbook.topAligned(col.format ?? .plain))
                case .date(let d):
                    try ws.write(calendarDate(d), row: row, column: c, format: ReportWorkbook.topAligned(col.format ?? .date))
                }
            }
            if lines > 1 { try ws.setRowHeight(row, height: PrintLayout.height(lines: lines)) }
        }
        for c in cols.indices { try ws.setColumns(c, c, width: widths[c]) }
        let last = top + max(layout.summaryRows, 1)
        try ws.freezePanes(row: top + 1, column: 2)
        try ws.autofilter(firstRow: top, firstColumn: 0, lastRow: last, lastColumn: cols.count - 1)
        try ws.setPageSetup(PrintLayout.setup(landscape: true, title: printTitle, repeatRows: top...top, printColumns: 0...firstPageEnd))
        // Adherence bands on every adherence column, blanks left alone.
        let t = report.settings.thresholds
        let names = Set(exercises.map(\.displayName) + ["Overall adherence"])
        let adherenceColumns = cols.indices.filter { names.contains(cols[$0].title) }
        for c in adherenceColumns {
            let ref = cellName(row: top + 1, column: c)
            let hi = NumberText.plain(t.adherent), lo = NumberText.plain(t.partial)
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
        if let c = cols.firstIndex(where: { $0.title == "Step-up trend" }) {
            let ref = cellName(row: top + 1, column: c)
            for (label, format) in [(TrendLabel.building, ReportWorkbook.green), (.declining, ReportWorkbook.red)] {
                try ws.conditionalFormat(firstRow: top + 1, firstColumn: c, lastRow: last, lastColumn: c,
                                         rule: .formula("\(ref)=\"\(label.rawValue)\""), format: format)
            }
        }
    }

    // MARK: - Trends

    /// Where a patient's block is on Trends: its heading's row, and its weeks' rows.
    struct TrendBlock {
        let heading: Int
        let weeks: ClosedRange<Int>?
    }

    /// One block per patient (same order as Summary) at the rows `layout` gives: a heading with
    /// the step-up direction and a link back to the patient's Summary row (below `summaryTop`),
    /// the reasons to call, and the weekly table with in-cell bars. Blocks never break across a
    /// printed page. Returns where each patient's block is, for the charts.
    func writeTrends(_ ws: Sheet, layout: Layout, summaryTop: Int) throws -> [String: TrendBlock] {
        var rows: [String: TrendBlock] = [:]
        let table = WeekTable(exercises: Array(exercises.indices), catalog: report.catalog)
        let headers = table.headers
        let widths = table.widths
        let lastColumn = headers.count - 1
        let tableWidth = PrintLayout.room(widths)
        func pixels(_ columns: ClosedRange<Int>) -> Double { PrintLayout.pixels(Array(widths[columns])) }
        func room(_ columns: ClosedRange<Int>) -> Double { PrintLayout.room(Array(widths[columns])) }
        // The heading over the figures, the step-up direction over the step-up columns, the link
        // over the last two.
        let direction = table.column(.stepUpReps)
        let linkColumns = (lastColumn - 1)...lastColumn
        let headingColumns = 0...(direction - 1)
        let directionColumns = direction...(lastColumn - 2)

        try ws.write("Weekly trends, \(report.settings.month) (as of \(report.settings.asOf))", row: 0, column: 0, format: ReportWorkbook.title)
        try ws.setRowHeight(0, height: PrintLayout.height(lines: 1, size: 14))
        let intro = "Weeks run Monday to Sunday. A week cut short (by the as-of date, or by the patient's start) is marked partial and compared per day: adherence and step-ups per day, never its total. Weeks before the patient's start are empty. Bars in the cells: adherence from 0 to 100%, step-ups per day from 0 to the patient's best week, pain from 0 to 10. Charts of the worklist (pain, step-ups declining) are on the Charts sheet; every chart of one patient: adhere trend ID --xlsx FILE. Click a patient ID on Summary to jump here."
        try ws.merge(intro, firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: lastColumn, format: ReportWorkbook.wrapTop)
        let introHeight = PrintLayout.height(lines: PrintLayout.lines(intro, pixels: tableWidth))
        try ws.setRowHeight(1, height: introHeight)

        let pageHeight = PrintLayout.pageHeight(landscape: true, repeated: PrintLayout.height(lines: 1, size: 14))
        var used = introHeight + PrintLayout.rowHeight
        var breaks: [Int] = []
        for (i, (p, row)) in zip(group.patients, layout.blockRows).enumerated() {
            var heading = p.id
            if let n = p.name { heading += " — \(n)" }
            if let t = p.therapist { heading += " (\(t))" }
            var detail = p.needsAttention.isEmpty ? "No reason to call." : ClinicalWords.capitalized(words.line(p))
            if let n = p.latestNote { detail += "   Latest note, " + ClinicalWords.noteText(n) }
            let headingHeight = PrintLayout.height(lines: PrintLayout.lines(heading, pixels: room(headingColumns), size: 13, bold: true), size: 13)
            let detailHeight = PrintLayout.height(lines: PrintLayout.lines(detail, pixels: tableWidth))
            let block = headingHeight + detailHeight + table.headerHeight + p.weeks.reduce(0.0) { $0 + WeekTable.rowHeight($1) }
                + PrintLayout.rowHeight
            if used + block > pageHeight, used > 0, breaks.count < ExcelLimits.maxPageBreaks {
                breaks.append(row)
                used = 0
            }
            used += block
            rows[p.id] = TrendBlock(heading: row, weeks: p.weeks.isEmpty ? nil : (row + 3)...(row + 2 + p.weeks.count))
            try ws.merge(heading, firstRow: row, firstColumn: headingColumns.lowerBound, lastRow: row, lastColumn: headingColumns.upperBound,
                         format: ReportWorkbook.heading)
            let (words, format) = ReportWorkbook.direction(p, weeks: p.weeks)
            try ws.merge(words, firstRow: row, firstColumn: directionColumns.lowerBound, lastRow: row, lastColumn: directionColumns.upperBound,
                         format: format)
            if i < layout.linked {
                try ws.merge("", firstRow: row, firstColumn: linkColumns.lowerBound, lastRow: row, lastColumn: linkColumns.upperBound)
                try ws.writeLink("to Summary", toSheet: "Summary", cell: cellName(row: summaryTop + i + 1, column: 0),
                                 row: row, column: linkColumns.lowerBound)
            }
            try ws.setRowHeight(row, height: headingHeight)
            try ws.merge(detail, firstRow: row + 1, firstColumn: 0, lastRow: row + 1, lastColumn: lastColumn,
                         format: p.needsAttention.isEmpty ? ReportWorkbook.wrapTop : ReportWorkbook.redWrappedPlain)
            try ws.setRowHeight(row + 1, height: detailHeight)
            let headerRow = row + 2
            try table.writeHeader(ws, row: headerRow)
            // The next block starts Layout.blockHeight rows down, below the charts (11 rows at 75%).
            let r = try table.writeWeeks(p.weeks, to: ws, row: headerRow + 1)
            try table.dataBars(ws, first: headerRow + 1, last: r - 1)
            assert(r + 1 == row + Layout.blockHeight(weeks: p.weeks.count), "Layout.blockHeight counts the rows a block takes")
        }
        if group.patients.isEmpty {
            try ws.write("No patients in this report.", row: 3, column: 0)
        } else if layout.blockRows.count < group.patients.count {
            let more = group.patients.count - layout.blockRows.count
            let text = "... and \(more) more patient\(more == 1 ? "" : "s") than this sheet has rows for: see Summary, and the JSON (--json) for their weeks."
            try ws.merge(text, firstRow: layout.trendsEnd, firstColumn: 0, lastRow: layout.trendsEnd, lastColumn: lastColumn, format: ReportWorkbook.redWrapped)
            try ws.setRowHeight(layout.trendsEnd, height: PrintLayout.height(lines: PrintLayout.lines(text, pixels: tableWidth, bold: true)))
        }
        try table.setColumnWidths(ws)
        try ws.setPageSetup(PrintLayout.setup(landscape: true, title: printTitle, repeatRows: 0...0))
        try ws.setPageBreaks(rows: breaks)
        return rows
    }

    /// The pictures of the worklist, on a sheet of their own: for each patient to call now or
    /// review whose reason a chart shows (``chartsWanted(_:)``), a heading, the reasons, and the
    /// charts drawn from the patient's weeks on Trends; two patients a printed page. On their own
    /// sheet because LibreOffice lays out every drawing of a sheet for every printed page of it:
    /// a chart on the long Trends sheet cost 0.19 s of CPU to open, here about 0.06 s.
    func writeCharts(_ ws: Sheet, workbook: Workbook, trends: String, blocks: [String: TrendBlock]) throws {
        let table = WeekTable(exercises: Array(exercises.indices), catalog: report.catalog)
        let widths = [Double](repeating: 10, count: 12)
        let room = PrintLayout.room(widths)
        try ws.write("Charts of the worklist, \(report.settings.month) (as of \(report.settings.asOf))", row: 0, column: 0, format: ReportWorkbook.title)
        try ws.setRowHeight(0, height: PrintLayout.height(lines: 1, size: 14))
        let intro = "Patients to call now or review get the charts of what they are on the list for: the pain chart for pain above the ceiling or rising, the step-up chart for step-ups declining. Every patient's weekly figures are on Trends, with bars in the cells; all charts of one patient: adhere trend ID --xlsx FILE."
        try ws.merge(intro, firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: widths.count - 1, format: ReportWorkbook.wrapTop)
        let introHeight = PrintLayout.height(lines: PrintLayout.lines(intro, pixels: room))
        try ws.setRowHeight(1, height: introHeight)
        // Charts at 75% are 360 x 216 pixels (162 points): 12 rows of 15 points; the second
        // starts past the first's 360 pixels.
        let chartRows = 12
        let secondColumn = (1..<widths.count).first {
            PrintLayout.room(Array(widths[0..<$0])) >= 370 && PrintLayout.pixels(Array(widths[0..<$0])) >= 395
        } ?? 6
        let pageHeight = PrintLayout.pageHeight(landscape: true, repeated: PrintLayout.height(lines: 1, size: 14))
        var used = introHeight + PrintLayout.rowHeight
        var breaks: [Int] = []
        var row = 3
        // A sheet's rows and links: the patients charted keep the report's order, and those past
        // the sheet's rows (or its 65,530 links) are counted in a line at the end.
        var links = 0, left = 0
        for p in group.patients {
            let wanted = chartsWanted(p)
            guard wanted.stepUps || wanted.pain, let block = blocks[p.id], let weeks = block.weeks else { continue }
            guard row + 2 + chartRows + 2 <= ExcelLimits.maxRow else { left += 1; continue }
            let charts = try table.charts(for: p.weeks, in: workbook, sheet: trends, first: weeks.lowerBound, last: weeks.upperBound,
                                          prefix: "\(p.id): ", stepUps: wanted.stepUps, adherence: false, pain: wanted.pain, cuts: cuts)
            let shown = [charts.stepUps, charts.pain].compactMap { $0 }
            guard !shown.isEmpty else { continue }
            var heading = p.id
            if let n = p.name { heading += " — \(n)" }
            if let t = p.therapist { heading += " (\(t))" }
            let detail = ClinicalWords.capitalized(words.line(p))
            let headingHeight = PrintLayout.height(lines: PrintLayout.lines(heading, pixels: PrintLayout.room(Array(widths[0...9])), size: 13, bold: true), size: 13)
            let detailHeight = PrintLayout.height(lines: PrintLayout.lines(detail, pixels: room))
            let height = headingHeight + detailHeight + Double(chartRows + 1) * PrintLayout.rowHeight
            if used + height > pageHeight, used > 0, breaks.count < ExcelLimits.maxPageBreaks {
                breaks.append(row)
                used = 0
            }
            used += height
            try ws.merge(heading, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: 9, format: ReportWorkbook.heading)
            if links < ReportWorkbook.maxLinksPerSheet {
                try ws.merge("", firstRow: row, firstColumn: 10, lastRow: row, lastColumn: 11)
                try ws.writeLink("to Trends", toSheet: trends, cell: cellName(row: block.heading, column: 0), row: row, column: 10)
                links += 1
            }
            try ws.setRowHeight(row, height: headingHeight)
            try ws.merge(detail, firstRow: row + 1, firstColumn: 0, lastRow: row + 1, lastColumn: widths.count - 1, format: ReportWorkbook.redWrappedPlain)
            try ws.setRowHeight(row + 1, height: detailHeight)
            // Rows of explicit height under the charts (LibreOffice's empty rows are 12.8 points).
            for r in (row + 2)...(row + 2 + chartRows) { try ws.setRowHeight(r, height: PrintLayout.rowHeight) }
            for (k, chart) in shown.enumerated() {
                try ws.insertChart(chart, row: row + 2, column: k == 0 ? 0 : secondColumn, scaleX: 0.75, scaleY: 0.75)
            }
            row += 2 + chartRows + 1
        }
        if row == 3, left == 0 {
            try ws.write("No patient to call now or review for pain or declining step-ups.", row: 3, column: 0)
        } else if left > 0 {
            try ws.write("... and the charts of \(left) more patient\(left == 1 ? "" : "s") than this sheet has rows for: see their weeks on Trends.",
                         row: row, column: 0, format: ReportWorkbook.red)
        }
        for (c, w) in widths.enumerated() { try ws.setColumns(c, c, width: w) }
        try ws.setPageSetup(PrintLayout.setup(landscape: true, title: printTitle, repeatRows: 0...0))
        try ws.setPageBreaks(rows: breaks)
    }

    /// The charts a patient gets: only patients to call now or review, and only of what they are
    /// on the list for (a picture where it helps): pain (above the ceiling, or rising) the pain
    /// chart, step-ups declining the step-up chart. Every other figure is in the Trends table,
    /// with its bars; every chart of any patient is in `adhere trend ID --xlsx`.
    func chartsWanted(_ p: PatientFigures) -> (stepUps: Bool, pain: Bool) {
        guard p.urgency == .callNow || p.urgency == .review else { return (false, false) }
        var steps = false, pain = false
        for reason in p.needsAttention {
            switch reason {
            case .stepUpsDeclining: steps = true
            case .painRising, .painAboveCeiling: pain = true
            default: break
            }
        }
        return (steps, pain)
    }

    /// The step-up direction in words and colour, for a block's heading: "Step-ups ↑ building,
    /// +4.1%/week" on green, "↓ declining" on red, "→ steady" on grey; none prescribed, or too
    /// few step-up days to tell, plainly.
    static func direction(_ p: PatientFigures, weeks: [WeekFigures]) -> (String, CellFormat) {
        guard weeks.contains(where: { $0.stepUps != nil }) else { return ("No step-ups prescribed", ReportWorkbook.directionPlain) }
        let rate = p.trend.percentPerWeek.map { v -> String in
            let tenths = (v * 10).rounded() / 10
            return ", \(tenths >= 0 ? "+" : "")\(tenths == 0 ? 0 : tenths)%/week"
        } ?? ""
        switch p.trend.label {
        case .building: return ("Step-ups ↑ building" + rate, ReportWorkbook.directionUp)
        case .declining: return ("Step-ups ↓ declining" + rate, ReportWorkbook.directionDown)
        case .steady: return ("Step-ups → steady" + rate, ReportWorkbook.directionSteady)
        case .insufficientData: return ("Step-ups: too few days for a trend", ReportWorkbook.directionPlain)
        case .notPrescribed: return ("Step-ups not prescribed over the look-back", ReportWorkbook.directionPlain)
        }
    }

    static let heading = CellFormat(bold: true, wrap: true, alignTop: true, fontSize: 13)
    static let redWrappedPlain = CellFormat(fontColor: 0x9C0006, background: 0xFFC7CE, wrap: true, alignTop: true)
    static let directionUp = CellFormat(bold: true, fontColor: 0x006100, background: 0xC6EFCE)
    static let directionDown = CellFormat(bold: true, fontColor: 0x9C0006, background: 0xFFC7CE)
    static let directionSteady = CellFormat(bold: true, fontColor: 0x404040, background: 0xEDEDED)
    static let directionPlain = CellFormat(italic: true, fontColor: 0x595959)

    // MARK: - Data issues

    /// Data issues: every table across one landscape page, long texts (files, reasons, raw rows)
    /// wrapped in rows as tall as they need (at most 409 points, Excel's tallest row: a raw row
    /// longer than that prints cut, and is whole in the cell and in the rejects file). A sheet
    /// holds 1,048,576 rows: each list shows what fits, keeping rows for the sections below it,
    /// and says how many more there are and where to find them.
    func writeIssues(_ ws: Sheet) throws {
        let ingest = report.ingest
        let rejectsFile = "rejects-\(report.settings.month).csv"
        let listed = group.rejects.prefix(max(0, ReportWorkbook.maxListedRejects))
        let longestFile = (listed.map(\.file.count) + ingest.files.map(\.path.count) + ingest.unknownExercises.map(\.name.count)).max() ?? 10
        var widths: [Double] = [min(max(Double(longestFile) + 1, 14), 32), 10, 38, 0]
        let used = widths.prefix(3).reduce(0.0) { $0 + PrintLayout.pixels($1) }
        widths[3] = PrintLayout.width(forPixels: PrintLayout.pageWidth(landscape: true) - used - 4)
        let page = PrintLayout.room(widths)
        var row = 0
        /// Row `row` as tall as the longest of `texts` (each in its column) wraps; a text is
        /// measured on its first 4,000 characters (more would be taller than a row can be).
        func fit(_ row: Int, _ texts: [(String, Int)]) throws {
            let lines = texts.map { PrintLayout.lines($0.0.count > 4_000 ? String($0.0.prefix(4_000)) : $0.0, width: widths[$0.1]) }.max() ?? 1
            if lines > 1 { try ws.setRowHeight(row, height: PrintLayout.height(lines: lines)) }
        }
        func section(_ title: String, headers: [String]) throws {
            try ws.merge(title, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: 3, format: ReportWorkbook.titleWrapped)
            try ws.setRowHeight(row, height: PrintLayout.height(lines: PrintLayout.lines(title, pixels: page, size: 14, bold: true), size: 14))
            for (c, h) in headers.enumerated() { try ws.write(h, row: row + 1, column: c, format: .header) }
            let lines = headers.indices.map { PrintLayout.lines(headers[$0], width: widths[$0], bold: true) }.max() ?? 1
            try ws.setRowHeight(row + 1, height: PrintLayout.height(lines: lines))
            row += 2
        }
        func list(_ count: Int, reserve: Int, cap: Int = .max, more: String, _ item: (Int, Int) throws -> Void) throws {
            if count == 0 { try ws.write("None.", row: row, column: 0); row += 1 }
            let shown = min(count, cap, max(0, ExcelLimits.maxRow - reserve - row))
            for i in 0..<shown { try item(i, row); row += 1 }
            if shown < count {
                let text = "... and \(count - shown) more than fit on this sheet: \(more)"
                try ws.merge(text, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: 3, format: ReportWorkbook.redWrapped)
                try ws.setRowHeight(row, height: PrintLayout.height(lines: PrintLayout.lines(text, pixels: page, bold: true)))
                row += 1
            }
            row += 1
        }
        try section("Rejected rows (not counted anywhere in this report; also in \(rejectsFile))", headers: ["File", "Line", "Reason", "Raw text"])
        try list(group.rejects.count, reserve: 40, cap: listed.count, more: "see \(rejectsFile)") { i, row in
            let r = group.rejects[i]
            try ws.write(r.file, row: row, column: 0, format: ReportWorkbook.wrapTop)
            try ws.write(r.line, row: row, column: 1, format: ReportWorkbook.integerTop)
            try ws.write(r.reason, row: row, column: 2, format: ReportWorkbook.wrapTop)
            // A raw row longer than a cell holds is cut to fit (Sheet); the rejects file keeps it whole.
            try ws.write(r.raw, row: row, column: 3, format: ReportWorkbook.wrapTop)
            try fit(row, [(r.file, 0), (r.reason, 2), (r.raw, 3)])
        }
        if let line = MonthlyReport.dayOnlyLine(ingest) {
            // What was not checked, said where the rejected rows are read.
            let text = "Not checked: " + line + "."
            try ws.merge(text, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: 3, format: ReportWorkbook.wrapTop)
            try ws.setRowHeight(row, height: PrintLayout.height(lines: PrintLayout.lines(text, pixels: page)))
            row += 2
        }
        let failed = ingest.failedFiles
        if !failed.isEmpty {
            try section("Files that could not be read", headers: ["File", "Problem"])
            try list(failed.count, reserve: 30, more: "they are named on standard error") { i, row in
                let f = failed[i]
                let problem = f.error.map { "\($0)" } ?? ""
                try ws.write(f.path, row: row, column: 0, format: ReportWorkbook.wrapTop)
                try ws.merge(problem, firstRow: row, firstColumn: 1, lastRow: row, lastColumn: 3, format: ReportWorkbook.wrapTop)
                let lines = max(PrintLayout.lines(f.path, width: widths[0]),
                                PrintLayout.lines(problem, pixels: PrintLayout.room(Array(widths[1...]))))
                if lines > 1 { try ws.setRowHeight(row, height: PrintLayout.height(lines: lines)) }
            }
        }
        try section("Duplicate rows dropped (rows repeated across overlapping exports count once)", headers: ["File", "Duplicates dropped"])
        try list(ingest.files.count, reserve: 20, more: "see the JSON (--json) or adhere check") { i, row in
            let f = ingest.files[i]
            try ws.write(f.path, row: row, column: 0, format: ReportWorkbook.wrapTop)
            try ws.write(f.duplicates, row: row, column: 1, format: ReportWorkbook.integerTop)
            try fit(row, [(f.path, 0)])
        }
        try section("Therapist and clinic names written more than one way (read as one name, shown as the spelling used most)",
                    headers: ["Column", "Shown as", "Written as", "Patients and rejected rows"])
        let spellings = report.merges.flatMap { m in m.merge.spellings.map { (m.names.column, m.merge.shown, $0) } }
        try list(spellings.count, reserve: 15, more: "see standard error") { i, row in
            let (column, shown, spelling) = spellings[i]
            try ws.write(column, row: row, column: 0, format: ReportWorkbook.wrapTop)
            try ws.write(shown, row: row, column: 1, format: ReportWorkbook.wrapTop)
            try ws.write(spelling.text, row: row, column: 2, format: ReportWorkbook.wrapTop)
            try ws.write(spelling.uses, row: row, column: 3, format: ReportWorkbook.integerTop)
            try fit(row, [(shown, 1), (spelling.text, 2)])
        }
        try section("Exercise names adhere does not know (counted as entries; reps shown as Other reps). Settle each in the catalog file (adhere check --write-catalog FILE writes one to finish)",
                    headers: ["Exercise name", "Rows", "Patients"])
        let unknown = ingest.unknownExercises
        try list(unknown.count, reserve: 10, more: "adhere check --write-catalog FILE lists them all") { i, row in
            let u = unknown[i]
            try ws.write(u.name, row: row, column: 0, format: ReportWorkbook.wrapTop)
            try ws.write(u.rows, row: row, column: 1, format: ReportWorkbook.integerTop)
            try ws.write(u.patients.count, row: row, column: 2, format: ReportWorkbook.integerTop)
            try fit(row, [(u.name, 0)])
        }
        for (c, w) in widths.enumerated() { try ws.setColumns(c, c, width: w) }
        try ws.setPageSetup(PrintLayout.setup(landscape: true, title: printTitle, repeatRows: listed.count > 20 ? 1...1 : nil))
    }

    static let integerTop = CellFormat(numberFormat: "0", alignTop: true)

    // MARK: - About

    /// About: portrait, labels in column A and their values across B to F, the input files as a
    /// table (each file's digest on the line below it, in 8-point type; how the files were read,
    /// once per way), the rules in 9-point type across the page: one or two printed pages for a
    /// report of a dozen input files.
    func writeAbout(_ ws: Sheet) throws {
        let s = report.settings
        let ingest = report.ingest
        let widths: [Double] = [42, 11, 9, 9, 10, 10]
        let page = PrintLayout.room(widths)
        let valueRoom = PrintLayout.room(Array(widths[1...]))
        let last = widths.count - 1
        var row = 0
        func fit(_ text: String, room: Double, size: Double = 11) throws {
            let lines = PrintLayout.lines(text, pixels: room, size: size)
            if lines > 1 || size != 11 { try ws.setRowHeight(row, height: PrintLayout.height(lines: lines, size: size)) }
        }
        func pair(_ k: String, _ v: String) throws {
            try ws.write(k, row: row, column: 0, format: ReportWorkbook.boldTop)
            if !v.isEmpty {
                try ws.merge(v, firstRow: row, firstColumn: 1, lastRow: row, lastColumn: last, format: ReportWorkbook.wrapTop)
                try fit(v, room: valueRoom)
            }
            row += 1
        }
        func pairDate(_ k: String, _ d: Day) throws {
            try ws.write(k, row: row, column: 0, format: ReportWorkbook.bold)
            try ws.write(calendarDate(d), row: row, column: 1, format: .date)
            row += 1
        }
        func title(_ text: String) throws {
            try ws.write(text, row: row, column: 0, format: ReportWorkbook.title)
            try ws.setRowHeight(row, height: PrintLayout.height(lines: 1, size: 14))
            row += 1
        }
        try title("About this report")
        try pair("Month", s.month.description)
        try pairDate("As of", s.asOf)
        try pair("Window", "\(s.window.first) to \(s.window.last) (\(s.window.count) days)")
        try pairDate("Generated at", s.asOf)
        try pair("", "The generated-at date is pinned to the as-of date, so the same inputs always give the same file.")
        try pair("Grouping", s.grouping == .all ? "all patients in one workbook" : "one workbook per \(s.grouping.rawValue)")
        try pair("This workbook", group.label)
        try pair("Patients", "\(group.patients.count) (\(group.needingAttention) need attention)")
        try pair("Rows read", "\(ingest.rowsRead) in \(ingest.files.count) file(s): \(ingest.rowsRejected) rejected, \(ingest.duplicatesDropped) duplicates dropped, \(ingest.rowsAfterAsOf) dated after the as-of date")
        if let line = MonthlyReport.dayOnlyLine(ingest) { try pair("Rows checked", line) }
        try pair("Tool", "adhere \(s.toolVersion)")
        row += 1
        try title("Input files")
        let headers = ["File (SHA-256 below)", "Rows", "Accepted", "Rejected", "Duplicates", "Bytes"]
        for (c, h) in headers.enumerated() { try ws.write(h, row: row, column: c, format: .header) }
        row += 1
        var readings: [(how: String, files: [String])] = []
        for f in ingest.files {
            try ws.write(f.path, row: row, column: 0, format: ReportWorkbook.wrapTop)
            try ws.write(f.rows, row: row, column: 1, format: ReportWorkbook.integerTop)
            try ws.write(f.accepted, row: row, column: 2, format: ReportWorkbook.integerTop)
            try ws.write(f.rejected, row: row, column: 3, format: ReportWorkbook.integerTop)
            try ws.write(f.duplicates, row: row, column: 4, format: ReportWorkbook.integerTop)
            try ws.write(f.bytes, row: row, column: 5, format: ReportWorkbook.integerTop)
            try fit(f.path, room: PrintLayout.room(widths[0]))
            row += 1
            try ws.merge(f.sha256, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: last, format: ReportWorkbook.digest)
            try ws.setRowHeight(row, height: PrintLayout.height(lines: 1, size: 8))
            row += 1
            let how = f.error.map { "not read: \($0)" }
                ?? (["\(f.separator)-separated, \(f.encoding), dates \(f.dateFormat)"] + f.notices).joined(separator: "; ")
            if let k = readings.firstIndex(where: { $0.how == how }) { readings[k].files.append(f.path) } else { readings.append((how, [f.path])) }
        }
        // How the files were read, once per way (monthly exports of one app are read alike).
        for r in readings {
            let which = readings.count == 1 ? (ingest.files.count == 1 ? "" : "all \(ingest.files.count) files: ")
                : r.files.count == 1 ? "\(r.files[0]): " : "\(r.files.count) files (\(r.files.joined(separator: ", "))): "
            try pair("Read as", which + r.how)
        }
        row += 1
        if let plans = report.plans {
            try pair("Plans file", plans.path)
            try pair("Plans rows", "\(plans.rows)")
            try ws.write("Plans SHA-256", row: row, column: 0, format: ReportWorkbook.boldTop)
            try ws.merge(plans.sha256, firstRow: row, firstColumn: 1, lastRow: row, lastColumn: last, format: ReportWorkbook.digest)
            row += 1
        } else {
            try pair("Plans file", "none: every patient follows the default protocol")
        }
        row += 1
        try title("Rules and thresholds in force")
        for sentence in RuleText.sentences(thresholds: s.thresholds, catalog: report.catalog) {
            try ws.merge(sentence, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: last, format: ReportWorkbook.rule)
            try fit(sentence, room: page, size: ReportWorkbook.ruleSize)
            row += 1
        }
        for (c, w) in widths.enumerated() { try ws.setColumns(c, c, width: w) }
        try ws.setPageSetup(PrintLayout.setup(landscape: false, title: printTitle))
    }

    static let boldTop = CellFormat(bold: true, alignTop: true)
    static let digest = CellFormat(fontColor: 0x404040, alignTop: true, fontSize: 8)
    static let ruleSize = 9.0
    static let rule = CellFormat(wrap: true, alignTop: true, fontSize: ruleSize)
}

func calendarDate(_ d: Day) -> CalendarDate {
    let c = d.civil
    return CalendarDate(year: c.year, month: c.month, day: c.day)
}

/// Every rule and threshold in force, one plain sentence each.
package enum RuleText {
    /// The default protocol in words, from the catalog: "hip flexor stretch 10 per side, held
    /// 10 s; calf stretch 10 per side; step-ups as many as comfortable".
    package static func defaultProtocol(_ catalog: ExerciseCatalog) -> String {
        catalog.exercises.filter(\.inDefaultProtocol).map { e -> String in
            var s = e.displayName.lowercased()
            if let r = e.defaultRepsPerSide { s += " \(r) per side" } else { s += " as many as comfortable" }
            if let h = e.defaultHoldCentis { s += ", held \(NumberText.plain(Fraction(Int64(h), 100))) s" }
            return s
        }.joined(separator: "; ")
    }

    package static func sentences(thresholds t: Thresholds, catalog: ExerciseCatalog) -> [String] {
        func pct(_ f: Fraction) -> String { num(f * Fraction(100)) + "%" }
        func num(_ f: Fraction) -> String { NumberText.plain(f) }
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
