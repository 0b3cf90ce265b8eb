import AdherenceAnalysis

/// What a row was accepted with, kept for the row after it: the rows of one sitting repeat
/// their patient, names and time stamp, one row per exercise and side.
///
/// When the next row's first ``fields(_:headerCount:)`` fields are the same bytes as this row's
/// (``CSVRecordReader/sameLeadFields``), its id and date would be checked as this row's were,
/// and found in the caches this row left (the id's, the date's, the names'): so they are taken
/// from here, and only the row's shape and its other fields are checked. The row's fingerprint
/// starts from ``print`` (its patient and date), as ``RowFingerprint/init(row:patient:)`` starts.
struct Sitting {
    /// The patient's slot in the file.
    var patient: Int32
    var date: ParsedDate
    var name: Int32?, therapist: Int32?, clinic: Int32?
    /// What the names add to a row's fingerprint.
    var texts: RowFingerprint
    /// The start of a row's fingerprint: its patient and date (``RowFingerprint/lead(date:patient:)``).
    var print: RowFingerprint

    /// The fields compared: up to the last of the id, date and name columns, when at least one
    /// field follows them (0 = none: rows are not compared).
    static func fields(_ c: ColumnIndexes, headerCount: Int) -> Int {
        let last = [c.id, c.date, c.name ?? 0, c.therapist ?? 0, c.clinic ?? 0].max()!
        return last + 1 < headerCount ? last + 1 : 0
    }
}
