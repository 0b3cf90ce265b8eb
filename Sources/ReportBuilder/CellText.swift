import Foundation
import XLSXWriter

/// Text as a workbook holds it. A spreadsheet cell holds at most 32,767 characters, counted as
/// Excel counts them: UTF-16 code units (an emoji or another character outside the Basic
/// Multilingual Plane is two, a combining accent one more). Longer text would stop the whole
/// workbook, so it is cut to fit with a visible mark at its end, and the cut is counted so the
/// run can say it once. Every text ReportBuilder puts in a workbook passes through ``fit(_:limit:)``
/// (through ``Sheet``): cells, links, chart titles, document properties.
package enum CellText {
    /// Excel's limit for the text of one cell, in UTF-16 code units.
    package static let cellLimit = ExcelLimits.maxStringLength
    /// Chart titles and document properties are kept to this (Excel shows no more of them).
    package static let shortLimit = 255
    /// What a cut text ends with.
    package static let mark = "… [cut]"

    /// `text` if it fits in `limit` UTF-16 code units; otherwise its longest beginning that
    /// fits together with ``mark``, cut between characters (a letter keeps its accents), then
    /// the mark.
    package static func fit(_ text: String, limit: Int = cellLimit) -> (text: String, cut: Bool) {
        // UTF-8 never has fewer code units than UTF-16: most text is settled without counting.
        if text.utf8.count <= limit || text.utf16.count <= limit { return (text, false) }
        let room = max(0, limit - mark.utf16.count)
        var end = text.startIndex
        var used = 0
        for i in text.indices {
            let n = text[i].utf16.count
            if used + n > room { break }
            used += n
            end = text.index(after: i)
        }
        if end == text.startIndex {
            // One character longer than the room (a letter with thousands of combining marks):
            // cut between its Unicode scalars instead, never inside a surrogate pair.
            var scalars = String.UnicodeScalarView()
            used = 0
            for u in text.unicodeScalars {
                let n = u.utf16.count
                if used + n > room { break }
                used += n
                scalars.append(u)
            }
            return (String(scalars) + mark, true)
        }
        return (String(text[..<end]) + mark, true)
    }
}

/// The texts cut while writing one run's workbooks, counted across the threads that write them,
/// so the run says it once.
package final class TextCuts: @unchecked Sendable {
    private let lock = NSLock()
    private var places: [String: Int] = [:]

    package init() {}

    /// Records one cut text on `sheet`.
    func record(sheet: String) {
        lock.lock(); defer { lock.unlock() }
        places[sheet, default: 0] += 1
    }

    /// How many texts were cut.
    package var count: Int {
        lock.lock(); defer { lock.unlock() }
        return places.values.reduce(0, +)
    }

    /// The sheets that hold cut texts, sorted.
    package var sheets: [String] {
        lock.lock(); defer { lock.unlock() }
        return places.keys.sorted()
    }

    /// `text` fitted to `limit`; a cut is recorded against `sheet`.
    func fit(_ text: String, limit: Int = CellText.cellLimit, sheet: String) -> String {
        let f = CellText.fit(text, limit: limit)
        if f.cut { record(sheet: sheet) }
        return f.text
    }

    /// The line a run says when it cut texts (nil when none was cut): how many, where, and that
    /// the rejects file and JSON keep them whole. Never the text itself.
    package static func line(_ cuts: [(what: String, cuts: TextCuts)]) -> String? {
        let parts = cuts.filter { $0.cuts.count > 0 }
        guard !parts.isEmpty else { return nil }
        let total = parts.reduce(0) { $0 + $1.cuts.count }
        let sheets = Set(parts.flatMap(\.cuts.sheets)).sorted()
        let whats = parts.map(\.what).joined(separator: " and ")
        return "note: \(total) text\(total == 1 ? " was" : "s were") longer than a spreadsheet cell holds (32,767 characters) and \(total == 1 ? "was" : "were") cut in the workbooks of \(whats) (sheets: \(sheets.joined(separator: ", "))), ending in '\(CellText.mark)'; the rejects file and JSON keep them whole"
    }
}

/// A worksheet as ReportBuilder writes it: every text goes through ``CellText/fit(_:limit:)``
/// (and a cut is counted), numbers and dates pass straight through.
struct Sheet {
    let ws: Worksheet
    let cuts: TextCuts

    var name: String { ws.name }

    func write(_ text: String, row: Int, column: Int, format: CellFormat? = nil) throws {
        try ws.write(cuts.fit(text, sheet: ws.name), row: row, column: column, format: format)
    }

    func writeLink(_ text: String, toSheet sheet: String, cell: String, row: Int, column: Int,
                   format: CellFormat? = nil) throws {
        try ws.writeLink(cuts.fit(text, sheet: ws.name), toSheet: sheet, cell: cell, row: row, column: column, format: format)
    }

    func write(_ number: Double, row: Int, column: Int, format: CellFormat? = nil) throws {
        try ws.write(number, row: row, column: column, format: format)
    }

    func write(_ number: Int, row: Int, column: Int, format: CellFormat? = nil) throws {
        try ws.write(number, row: row, column: column, format: format)
    }

    func write(_ date: CalendarDate, row: Int, column: Int, format: CellFormat = .date) throws {
        try ws.write(date, row: row, column: column, format: format)
    }

    func setColumns(_ first: Int, _ last: Int, width: Double) throws {
        try ws.setColumns(first, last, width: width)
    }

    func setRowHeight(_ row: Int, height: Double) throws { try ws.setRowHeight(row, height: height) }

    func freezePanes(row: Int, column: Int) throws { try ws.freezePanes(row: row, column: column) }

    func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws {
        try ws.autofilter(firstRow: firstRow, firstColumn: firstColumn, lastRow: lastRow, lastColumn: lastColumn)
    }

    func conditionalFormat(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int,
                           rule: ConditionalRule, format: CellFormat) throws {
        try ws.conditionalFormat(firstRow: firstRow, firstColumn: firstColumn, lastRow: lastRow, lastColumn: lastColumn,
                                 rule: rule, format: format)
    }

    /// Writes `text` (fitted to a cell, like every other text) into a range merged into one.
    func merge(_ text: String, firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int,
               format: CellFormat? = nil) throws {
        try ws.merge(cuts.fit(text, sheet: ws.name), firstRow: firstRow, firstColumn: firstColumn,
                     lastRow: lastRow, lastColumn: lastColumn, format: format)
    }

    func dataBars(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int, _ bars: DataBars) throws {
        try ws.dataBars(firstRow: firstRow, firstColumn: firstColumn, lastRow: lastRow, lastColumn: lastColumn, bars)
    }

    /// The page setup; its footer's text comes from ``PrintLayout/setup(landscape:title:repeatRows:repeatColumns:printColumns:)``,
    /// which keeps it within the 255 characters a footer holds.
    func setPageSetup(_ setup: PageSetup) throws { try ws.setPageSetup(setup) }

    func setPageBreaks(rows: [Int], columns: [Int] = []) throws { try ws.setPageBreaks(rows: rows, columns: columns) }

    func insertChart(_ chart: Chart, row: Int, column: Int, scaleX: Double = 1, scaleY: Double = 1) throws {
        try ws.insertChart(chart, row: row, column: column, scaleX: scaleX, scaleY: scaleY)
    }

    func activate() throws { try ws.activate() }
}

extension Workbook {
    /// A sheet whose texts are fitted to a cell, cuts counted in `cuts`.
    func addSheet(_ name: String, cuts: TextCuts) throws -> Sheet {
        Sheet(ws: try addWorksheet(name), cuts: cuts)
    }

    /// A line chart whose title is fitted (titles hold a patient id, which may be long).
    func addLineChart(title: String, yAxisTitle: String, cuts: TextCuts, sheet: String) throws -> Chart {
        try addLineChart(title: cuts.fit(title, limit: CellText.shortLimit, sheet: sheet), yAxisTitle: yAxisTitle)
    }
}
