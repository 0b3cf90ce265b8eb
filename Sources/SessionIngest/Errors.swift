/// A problem that stops a whole input file (or the plans file) from being used.
/// Its description says what went wrong, where, and what to do.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case missingColumns(file: String, missing: [String], found: [String], candidates: [String])
    case notCSV(file: String, looksLike: String)
    case empty(file: String)
    case unreadable(file: String, reason: String)
    case ambiguousDates(file: String, column: String, example: String)
    case conflictingDates(file: String, column: String, dayFirst: String, monthFirst: String)
    case badPlans(file: String, problems: [String])
    case noHeader(file: String, fields: Int)

    public var file: String {
        switch self {
        case .missingColumns(let f, _, _, _), .notCSV(let f, _), .empty(let f), .unreadable(let f, _),
             .ambiguousDates(let f, _, _), .conflictingDates(let f, _, _, _), .badPlans(let f, _), .noHeader(let f, _):
            return f
        }
    }

    public var description: String {
        switch self {
        case let .missingColumns(file, missing, found, candidates):
            var s = "\(file): required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) not found. "
            s += "Columns found: \(found.map { "'\($0)'" }.joined(separator: ", ")). "
            if !candidates.isEmpty { s += "Nearest: \(candidates.joined(separator: "; ")). " }
            s += "Name the column with --column NAME=\(missing[0]) (for example --column 'Client Ref=patient_id')."
            return s
        case let .noHeader(file, fields):
            return "\(file): the first row (\(fields) fields) does not look like column names (it holds a date, or none of the names adhere knows), so the file seems to have no header row; its values are not repeated here. "
                + "Export it with column names (patient_id, performed_at, exercise, reps, ...), or name the columns with --column."
        case let .notCSV(file, kind):
            return "\(file): not a CSV export (it looks like \(kind)). Export the data as CSV, or move this file out of the input folder."
        case let .empty(file):
            return "\(file): the file is empty (no header row). Check that the export finished."
        case let .unreadable(file, reason):
            return "\(file): \(reason)."
        case let .ambiguousDates(file, column, example):
            return "\(file): the dates in column '\(column)' (for example '\(example)') could be day/month or month/day, "
                + "and no value in the file settles it. Run again with --date-order dmy (DD/MM/YYYY) or --date-order mdy (MM/DD/YYYY)."
        case let .conflictingDates(file, column, dayFirst, monthFirst):
            return "\(file): column '\(column)' mixes day-first dates (like '\(dayFirst)') and month-first dates (like '\(monthFirst)'). "
                + "Fix the export, or force one reading with --date-order dmy or --date-order mdy."
        case let .badPlans(file, problems):
            let shown = problems.prefix(20).joined(separator: "\n  ")
            let more = problems.count > 20 ? "\n  ... and \(problems.count - 20) more" : ""
            return "\(file): the plans file has \(problems.count) problem\(problems.count == 1 ? "" : "s"); no report was written:\n  \(shown)\(more)\nFix these rows and run again."
        }
    }
}
