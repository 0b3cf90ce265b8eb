import AdherenceAnalysis
import SessionIngest

/// The entry days a default-protocol patient's RTM periods need from before the entries a
/// report keeps: their series may have begun months earlier (see
/// ``MonthlyReport/rtmPending``).
public enum RTMHistory {
    /// Each of `patients`' distinct entry days before `before`, over everything in `files`,
    /// read with the report's own reader and options (so exactly the rows the report accepts
    /// count). Files are read one at a time (each on every core) and only the days are kept, so
    /// memory stays that of one file's rows, however long the history. Duplicates across files
    /// do not matter here: a day with an entry is a day with an entry.
    public static func entryDays(files: [String], options: IngestOptions, before: Day,
                                 patients: Set<String>) -> [String: [Day]] {
        guard !patients.isEmpty, !files.isEmpty else { return [:] }
        var o = options
        o.span = DayRange(Day(year: 1, month: 1, day: 1)!, before - 1)
        o.computeDigests = false
        o.keepEntries = true
        if patients.count == 1 { o.onlyPatient = patients.first }
        var days: [String: Set<Day>] = [:]
        for path in files {
            let read = SessionLogReader(options: o).read(files: [path])
            for log in read.patients where patients.contains(log.id) && !log.entries.isEmpty {
                days[log.id, default: []].formUnion(log.entries.lazy.map(\.day))
            }
        }
        return days.mapValues { $0.sorted() }
    }
}
