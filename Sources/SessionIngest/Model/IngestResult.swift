import AdherenceAnalysis
import Foundation

/// What was read from one input file.
public struct InputFileSummary: Sendable {
    public var path: String
    public var bytes = 0
    /// Data rows read (header excluded), whatever became of them.
    public var rows = 0
    public var accepted = 0
    public var rejected = 0
    public var duplicates = 0
    /// Rows of other patients passed over unchecked in a one-patient read.
    public var skipped = 0
    /// Accepted rows dated before the first day a report keeps, read for their patient, day
    /// and names only (``IngestOptions/checkOldRows``): counted in ``accepted``.
    public var readForDayOnly = 0
    /// Rows accepted as repeats of a sitting's row before them (``Sitting``): the same lead and
    /// values as rows already read, taken without splitting their fields (a measure of the
    /// reader's work, shown nowhere).
    var sittingRepeats = 0
    public var sha256 = ""
    public var separator = ","
    public var encoding = "UTF-8"
    public var dateFormat = ""
    public var columns: [String: String] = [:]
    public var notices: [String] = []
    /// Clinical columns this file does not record (pain, hold, side, sets): the figures they
    /// drive cannot come from its rows. Side counts as recorded when its exercise names say it.
    public var missingClinical: [Column] = []
    /// Set when the whole file could not be used.
    public var error: IngestError?

    public init(path: String) { self.path = path }
}

/// An exercise name nobody settled, and how much of the input it carries.
public struct UnknownName: Sendable, Hashable {
    public var name: String
    public var rows: Int
    /// Ids of the patients with rows under this name.
    public var patients: Set<String>

    public init(name: String, rows: Int, patients: Set<String>) {
        self.name = name
        self.rows = rows
        self.patients = patients
    }
}

/// A clinical column that some export files do not record, and what that means for the
/// figures (domain.md, "Understood, or said").
public struct MissingClinicalColumn: Sendable, Hashable {
    /// The columns whose absence changes what can be said (sets default to 1 by the rules,
    /// and are only noted per file).
    public static let clinical: [Column] = [.pain, .holdSeconds, .side, .sets]

    public var column: Column
    public var files: [String]
    public var readableFiles: Int

    /// "2 of 3 export files" or "the export files".
    var whichFiles: String {
        let names = files.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + (files.count > 3 ? ", ..." : "")
        return files.count == readableFiles ? "the exports (\(names))" : "\(files.count) of \(readableFiles) export files (\(names))"
    }

    /// One sentence for the top of a Summary, or `nil` for a column whose absence the rules cover.
    public var summaryNotice: String? {
        let which = whichFiles.prefix(1).uppercased() + whichFiles.dropFirst()
        switch column {
        case .pain: return "\(which) record no pain: no pain flags can be raised for their rows, and pain figures from them are not recorded."
        case .holdSeconds: return "\(which) record no hold time: holds are not checked for their rows."
        case .side: return "\(which) record no side: their entries count for both sides, and side balance from them is not recorded."
        default: return nil
        }
    }

    /// The per-file note (`check`, the About sheet).
    public var fileNote: String {
        switch column {
        case .pain: return "no pain column: no pain flags from this file"
        case .holdSeconds: return "no hold column: holds not checked"
        case .side: return "no side column (nor sides in exercise names): entries count for both sides"
        case .sets: return "no sets column: each row is one set"
        default: return "no \(column.rawValue) column"
        }
    }
}

/// One patient's validated entries and the names shown for them.
public struct PatientLog: Sendable {
    public var id: String
    public var name: String?
    public var therapist: String?
    public var clinic: String?
    /// Entries dated inside the span read, in file order.
    public var entries: [Entry]
    /// Latest entry day up to the as-of date, over everything read.
    public var lastEntry: Day?
    /// The latest non-empty note up to the as-of date, over everything read (by day, then
    /// file, then row, like the name).
    public var latestNote: Note?
    /// Every day with an accepted row up to the as-of date, over everything read; `nil`
    /// unless asked for (``IngestOptions/keepEntryDays``).
    public var entryDays: DayBits?
    /// The rows dated in the history days (``IngestOptions/historyFrom`` up to the span),
    /// duplicates dropped; `nil` when none was read.
    public var history: PatientHistory?
    /// Whether some entries were logged as done instead of reps (resolved with the prescription).
    public var hasDoneEntries: Bool { entries.contains { $0.isDone } }
}

/// Everything read from the session logs.
public struct IngestResult: Sendable {
    public var patients: [PatientLog]
    public var files: [InputFileSummary]
    public var rejects: [RejectedRow]
    /// Exercise names neither the catalog nor the naming rules settle, with how many rows
    /// (up to the as-of date) and patients used them, most used first.
    public var unknownExercises: [UnknownName]
    /// Accepted rows dated after the as-of date (not counted in this report).
    public var rowsAfterAsOf: Int
    /// Rows dated from this day on were checked in full; earlier ones were read for their
    /// patient, day and names only (``IngestOptions/checkOldRows``). `nil` = every row checked.
    public var checkedFrom: Day?
    /// Accepted rows read for their patient, day and names only (dated before ``checkedFrom``).
    public var rowsReadForDayOnly: Int { files.reduce(0) { $0 + $1.readForDayOnly } }
    /// Every distinct exercise name written in the files, sorted (for a catalog file to finish).
    public var exerciseNamesSeen: [String] = []
    /// In a one-patient read, the ids of the other patients seen (rows not checked).
    public var otherPatientIDs: [String] = []

    /// The clinical columns some readable files do not record, each with those files.
    public var missingClinicalColumns: [MissingClinicalColumn] {
        let readable = files.filter { $0.error == nil }
        return MissingClinicalColumn.clinical.compactMap { column in
            let lacking = readable.filter { $0.missingClinical.contains(column) }.map(\.path)
            return lacking.isEmpty ? nil : MissingClinicalColumn(column: column, files: lacking, readableFiles: readable.count)
        }
    }

    public var rowsRead: Int { files.reduce(0) { $0 + $1.rows } }
    public var rowsRejected: Int { files.reduce(0) { $0 + $1.rejected } }
    public var duplicatesDropped: Int { files.reduce(0) { $0 + $1.duplicates } }
    public var failedFiles: [InputFileSummary] { files.filter { $0.error != nil } }
}
