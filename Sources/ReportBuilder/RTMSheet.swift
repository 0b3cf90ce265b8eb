import Foundation
import AdherenceAnalysis
import SessionIngest
import XLSXWriter

/// One RTM period with its patient: a row of the RTM sheet and of the RTM file.
package struct RTMRow: Sendable, Hashable {
    package var patientID: String
    package var name: String?
    package var therapist: String?
    package var clinic: String?
    package var period: RTMPeriod

    /// Every period of `patients`, by end date, then patient id, then start.
    package static func rows(_ patients: [PatientRTM]) -> [RTMRow] {
        patients.flatMap { p in
            p.periods.map { RTMRow(patientID: p.id, name: p.name, therapist: p.therapist, clinic: p.clinic, period: $0) }
        }.sorted { a, b in
            if a.period.end != b.period.end { return a.period.end < b.period.end }
            if a.patientID != b.patientID { return a.patientID.utf8.lexicographicallyPrecedes(b.patientID.utf8) }
            return a.period.start < b.period.start
        }
    }

    /// How many periods meet each code (in the settings' order, most data days first), then
    /// how many meet none.
    package static func totals(_ rows: [RTMRow], thresholds t: Thresholds) -> [(label: String, code: String?, count: Int)] {
        RemoteMonitoringRule.ranges(t).map { r in
            (label: r.code, code: Optional(r.code), count: rows.filter { $0.period.code == r.code }.count)
        } + [(label: "no code", code: nil, count: rows.filter { $0.period.code == nil }.count)]
    }
}

/// `rtm-YYYY-MM.csv`: the month's closed RTM periods for a billing system, one row per period
/// sorted by end date; patient ids, never names. RFC 4180; text a spreadsheet would run as a
/// formula is guarded as in the rejects file (``RejectsFormat``).
package enum RTMFile {
    package static let columns = ["patient_id", "therapist", "clinic", "period_start", "period_end", "data_days", "code"]

    package static func csv(_ patients: [PatientRTM]) -> Data {
        var out = columns.joined(separator: ",") + "\n"
        for r in RTMRow.rows(patients) {
            let cells = [RejectsFormat.csvField(r.patientID), RejectsFormat.csvField(r.therapist ?? ""),
                         RejectsFormat.csvField(r.clinic ?? ""), r.period.start.description, r.period.end.description,
                         String(r.period.dataDays), RejectsFormat.csvField(r.period.code ?? "")]
            out += cells.joined(separator: ",") + "\n"
        }
        return Data(out.utf8)
    }

    /// `rtm-2026-10.csv`.
    package static func name(_ month: Month) -> String { "rtm-\(month).csv" }
}

extension ReportWorkbook {
    /// The RTM sheet: the rule, the totals per code, then one row per period of the group's
    /// patients that ended in the window, by end date. Dates are dates, days are numbers.
    func writeRTM(_ ws: Sheet) throws {
        let s = report.settings
        let t = s.thresholds
        let rows = RTMRow.rows(group.rtm)
        let widths: [Double] = [14, 22, 22, 12, 12, 12, 12]
        let page = PrintLayout.room(widths)
        var row = 0
        // The title and the rule wrap across the table's width (printed, text running past the
        // last column would add pages of its own).
        let title = "Remote-monitoring periods ended \(s.window.first) to \(s.window.last) (\(s.month)\(s.asOf < s.month.lastDay ? ", month to date" : ""))"
        try ws.merge(title, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: widths.count - 1, format: ReportWorkbook.titleWrapped)
        try ws.setRowHeight(row, height: PrintLayout.height(lines: PrintLayout.lines(title, pixels: page, size: 14, bold: true), size: 14))
        row += 1
        let rule = RemoteMonitoringRule.sentence(t)
        try ws.merge(rule, firstRow: row, firstColumn: 0, lastRow: row, lastColumn: widths.count - 1, format: ReportWorkbook.wrapTop)
        try ws.setRowHeight(row, height: PrintLayout.height(lines: PrintLayout.lines(rule, pixels: page)))
        row += 2
        try ws.write("Code", row: row, column: 0, format: .header)
        try ws.write("Periods", row: row, column: 1, format: .header)
        row += 1
        for total in RTMRow.totals(rows, thresholds: t) {
            try ws.write(total.label, row: row, column: 0, format: ReportWorkbook.bold)
            try ws.write(total.count, row: row, column: 1, format: .integer)
            row += 1
        }
        try ws.write("All periods", row: row, column: 0, format: ReportWorkbook.bold)
        try ws.write(rows.count, row: row, column: 1, format: .integer)
        row += 2
        let headers = ["Patient ID", "Patient", "Therapist", "Period start", "Period end", "Data days", "Code"]
        let top = row
        for (c, h) in headers.enumerated() { try ws.write(h, row: top, column: c, format: .header) }
        for (i, r) in rows.enumerated() {
            let y = top + 1 + i
            try ws.write(r.patientID, row: y, column: 0)
            if let n = r.name { try ws.write(n, row: y, column: 1) }
            if let th = r.therapist { try ws.write(th, row: y, column: 2) }
            try ws.write(calendarDate(r.period.start), row: y, column: 3)
            try ws.write(calendarDate(r.period.end), row: y, column: 4)
            try ws.write(r.period.dataDays, row: y, column: 5, format: .integer)
            if let code = r.period.code { try ws.write(code, row: y, column: 6) }
        }
        if rows.isEmpty {
            try ws.write("No period ended in this window.", row: top + 1, column: 0)
        }
        try ws.freezePanes(row: top + 1, column: 0)
        try ws.autofilter(firstRow: top, firstColumn: 0, lastRow: top + max(rows.count, 1), lastColumn: headers.count - 1)
        for (c, w) in widths.enumerated() { try ws.setColumns(c, c, width: w) }
        // Landscape at 100% (the seven columns fit its width), the table's header on every page.
        try ws.setPageSetup(PrintLayout.setup(landscape: true, title: printTitle, repeatRows: top...top))
    }
}
