/// A problem that stops a whole input file (or the plans file) from being used.
/// Its description says what went wrong, where, and what to do.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case missingColumns(file: String, missing: [String], found: [String], candidates: [ColumnCandidate],
                        kind: TableKind = .export)
    case notCSV(file: String, looksLike: String)
    case empty(file: String)
    case unreadable(file: String, reason: String)
    /// Dates are named by their line, never repeated: a message holds no patient data.
    case ambiguousDates(file: String, column: String, exampleLine: Int)
    case conflictingDates(file: String, column: String, dayFirstLine: Int, monthFirstLine: Int)
    case badPlans(file: String, problems: [String])
    case noHeader(file: String, fields: Int)
    /// The file's columns can be read two ways; `settle` lists the options that choose.
    case twoReadings(file: String, what: String, settle: [String])

    public var file: String {
        switch self {
        case .missingColumns(let f, _, _, _, _), .notCSV(let f, _), .empty(let f), .unreadable(let f, _),
             .ambiguousDates(let f, _, _), .conflictingDates(let f, _, _, _), .badPlans(let f, _), .noHeader(let f, _), .twoReadings(let f, _, _):
            return f
        }
    }

    public var description: String {
        switch self {
        case let .missingColumns(file, missing, found, candidates, kind):
            var s = "\(file): required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) not found. "
            s += "Columns found: \(found.map { MessageText.quoted($0) }.joined(separator: ", ")). "
            if !candidates.isEmpty { s += "Nearest: \(candidates.map { "'\($0.header)' for \($0.column)" }.joined(separator: "; ")). " }
            switch kind {
            case .export:
                let example = candidates.first.map { "\($0.header)=\($0.column)" } ?? "Client Ref=\(missing[0])"
                s += "Name the column on the command line with --column '\(example)', or in the config file with the line: column = \(example)"
            case .plans:
                s += "Rename the header in the plans file (its columns: patient_id, exercise, reps_per_side, hold_seconds, sessions_per_week, start_date, end_date)."
            case .catalog:
                s += "Rename the header in the catalog file (its columns: key, name, aliases, reps_per_side, hold_seconds, default_protocol)."
            }
            return s
        case let .twoReadings(file, what, settle):
            return "\(file): the file could be read two ways: \(what). adhere does not guess: run again with "
                + settle.joined(separator: " or ") + " (in a config file: column = ... without the quotes)."
        case let .noHeader(file, fields):
            return "\(file): the first row (\(fields) fields) does not look like column names (it holds a date, or none of the names adhere knows), so the file seems to have no header row; its values are not repeated here. "
                + "Export it with column names (patient_id, performed_at, exercise, reps, ...), or name the columns with --column."
        case let .notCSV(file, kind):
            return "\(file): not a CSV export (it looks like \(kind)). Export the data as CSV, or move this file out of the input folder."
        case let .empty(file):
            return "\(file): the file is empty (no header row). Check that the export finished."
        case let .unreadable(file, reason):
            return "\(file): \(reason)."
        case let .ambiguousDates(file, column, line):
            return "\(file): the dates in column \(MessageText.quoted(column)) (for example on line \(line)) could be day/month or month/day, "
                + "and no value in the file settles it. Run again with --date-order dmy (DD/MM/YYYY) or --date-order mdy (MM/DD/YYYY)."
        case let .conflictingDates(file, column, dayFirst, monthFirst):
            return "\(file): column \(MessageText.quoted(column)) mixes day-first dates (like the one on line \(dayFirst)) and month-first dates (like the one on line \(monthFirst)). "
                + "Fix the export, or force one reading with --date-order dmy or --date-order mdy."
        case let .badPlans(file, problems):
            let shown = problems.prefix(20).joined(separator: "\n  ")
            let more = problems.count > 20 ? "\n  ... and \(problems.count - 20) more" : ""
            return "\(file): the plans file has \(problems.count) problem\(problems.count == 1 ? "" : "s"); no report was written:\n  \(shown)\(more)\nFix these rows and run again."
        }
    }
}

/// Which kind of table a missing column was looked for in: the advice differs.
public enum TableKind: Sendable {
    /// A session-log export: columns are named with `--column` or `column =`.
    case export
    /// The plans file: its headers are fixed.
    case plans
    /// The catalog file: its headers are fixed.
    case catalog
}

/// A header that may be the missing column, by its name and its values.
public struct ColumnCandidate: Sendable, Hashable {
    public var header: String
    public var column: String
}
