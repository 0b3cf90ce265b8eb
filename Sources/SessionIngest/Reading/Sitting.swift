import AdherenceAnalysis

/// What a row was accepted with, kept for the row after it: the rows of one sitting repeat
/// their patient, names and time stamp, one row per exercise and side.
///
/// When the next row's first ``fields(_:headerCount:)`` fields are the same bytes as this row's
/// (``CSVRecordReader/sameLeadFields``), its id and date would be checked as this row's were,
/// and found in the caches this row left (the id's, the date's, the names'): so they are taken
/// from here, and only the row's shape and its other fields are checked. The row's fingerprint
/// starts from ``print`` (``RowFingerprint/lead(date:patient:texts:)``).
struct Sitting {
    /// The patient's slot in the file.
    var patient: Int32
    var date: ParsedDate
    var name: Int32?, therapist: Int32?, clinic: Int32?
    /// What the patient's id and the names add to a row's fingerprint.
    var patientPrint: RowFingerprint, texts: RowFingerprint
    /// The first half of a row's fingerprint: its patient, date and names
    /// (``RowFingerprint/lead(date:patient:texts:)``).
    var print: RowFingerprint

    init(patient: Int32, date: ParsedDate, name: Int32?, therapist: Int32?, clinic: Int32?,
         patientPrint: RowFingerprint, texts: RowFingerprint) {
        (self.patient, self.date, self.name, self.therapist, self.clinic) = (patient, date, name, therapist, clinic)
        (self.patientPrint, self.texts) = (patientPrint, texts)
        print = RowFingerprint.lead(date: date, patient: patientPrint, texts: texts)
    }

    /// The next sitting of the same patient, with the same names: another date.
    func on(_ date: ParsedDate) -> Sitting {
        Sitting(patient: patient, date: date, name: name, therapist: therapist, clinic: clinic, patientPrint: patientPrint, texts: texts)
    }

    /// The fields compared: up to the last of the id, date and name columns, when at least one
    /// field follows them (0 = none: rows are not compared).
    static func fields(_ c: ColumnIndexes, headerCount: Int) -> Int {
        let last = [c.id, c.date, c.name ?? 0, c.therapist ?? 0, c.clinic ?? 0].max()!
        return last + 1 < headerCount ? last + 1 : 0
    }
}
