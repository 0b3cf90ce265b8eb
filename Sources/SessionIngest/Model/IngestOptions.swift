import AdherenceAnalysis
import Foundation

/// How to read the inputs.
public struct IngestOptions: Sendable {
    public var catalog: ExerciseCatalog = .standard
    /// Entries are kept (and checked for duplicates) only when dated inside this span.
    public var span: DayRange
    /// Rows dated after this day are read and checked but not counted.
    public var asOf: Day
    /// Day/month order for slash dates; `nil` = decide per file from its values.
    public var dateOrder: DateOrder?
    /// Field separator; `nil` = detect per file.
    public var separator: UInt8?
    /// Header names the user mapped to canonical columns.
    public var extraColumns: [String: Column] = [:]
    /// The clinic's time zone: values written with an offset or `Z` are converted to it before
    /// their day is taken. `nil` = the day as written.
    public var timeZone: TimeZone?
    /// Text encoding of every file; `nil` = detect per file (UTF-16 by its byte-order mark,
    /// Windows-1252 when the bytes are not UTF-8).
    public var encoding: TextEncoding?
    /// Keep the entries (false for a check of the files, which only counts).
    public var keepEntries = true
    /// Rows dated from this day up to the span's first day are kept too, compact, with only
    /// what a dose needs (``PatientLog/history``), and checked for duplicates like the span's
    /// (at most 8,191 days before the span; earlier rows are not kept). `nil` = none.
    public var historyFrom: Day?
    /// Check every field of rows dated before the first day kept (``firstKeptDay``). When false
    /// (`report` and `nightly`, which keep nothing of those rows but each patient's entry days,
    /// last entry and names), such a row is read for its patient id, date and names only: its
    /// shape, id and date are checked as any row's, its other fields are not, so a value there
    /// that breaks a rule neither rejects the row nor is listed, and its exercise name is not
    /// looked at. The rows read so are counted (``InputFileSummary/readForDayOnly``) and the
    /// report says so; `check` and `trend` check every row.
    public var checkOldRows = true
    /// Keep each patient's distinct entry days up to the as-of date, over every row read
    /// (``PatientLog/entryDays``).
    public var keepEntryDays = false
    /// Compute each file's SHA-256 (for the report's About sheet).
    public var computeDigests = true
    /// Digests kept from earlier runs: a file unchanged since is not hashed again.
    public var digests: DigestIndex?
    /// Contributions of old files kept from earlier runs (`report` and `nightly`): a file
    /// unchanged since, wholly before what this read keeps, is not read again.
    public var historyCache: HistoryCache?
    /// Only this patient's rows are checked and kept (for one-patient views); other rows are
    /// passed over unchecked. `nil` = everyone.
    public var onlyPatient: String?
    /// In a one-patient read, also list the other patients' ids (``IngestResult/otherPatientIDs``,
    /// to suggest the nearest when the one asked for has no row). Every row is then split;
    /// otherwise lines that cannot hold the id are passed over without being split.
    public var listOtherPatients = false
    /// In a one-patient read, where each patient's rows are in each file, kept from earlier
    /// reads (`trend`): a file indexed and unchanged since is read only where the patient's
    /// rows are; a file read in full is indexed (every row's id is then read: no line is passed
    /// over unsplit, but a sitting's rows that repeat the row before up to the id).
    public var patientIndex: PatientIndex?

    public init(span: DayRange, asOf: Day) {
        self.span = span
        self.asOf = asOf
    }
}

extension IngestOptions {
    /// The first history day kept: ``historyFrom``, but no more than ``HistoryRow/maxDays``
    /// before the span.
    var historyStart: Day? { historyFrom.map { max($0, span.first - HistoryRow.maxDays) } }

    /// The first day whose rows keep more than the small things (a patient's names, last entry
    /// and entry days, unknown names): a history day, or the span's first. Rows before it and
    /// not after the as-of date keep no entry, no history row and no fingerprint.
    var firstKeptDay: Day { min(historyStart ?? span.first, span.first) }

    /// Rows dated before this day are read for their patient, day and names only
    /// (``checkOldRows``); `nil` = every row is checked in full (and always in a check of the
    /// files, which keeps no entries, and in a one-patient read).
    var dayOnlyBefore: Day? { !checkOldRows && keepEntries && onlyPatient == nil ? firstKeptDay : nil }
}
