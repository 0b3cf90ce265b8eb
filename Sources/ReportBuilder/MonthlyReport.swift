import AdherenceAnalysis
import ParallelWork
import SessionIngest

/// How patients are split into workbooks.
package enum Grouping: String, Sendable, CaseIterable {
    /// One workbook per therapist; patients without one go to `unassigned`.
    case therapist
    /// One workbook per clinic; patients without one go to `unassigned`.
    case clinic
    /// One workbook with every patient.
    case all
}

/// The settings a report was made with, shown in its About sheet.
package struct ReportSettings: Sendable {
    package var month: Month
    package var asOf: Day
    package var grouping: Grouping
    package var thresholds: Thresholds
    package var toolVersion: String

    package init(month: Month, asOf: Day, grouping: Grouping, thresholds: Thresholds, toolVersion: String) {
        self.month = month
        self.asOf = asOf
        self.grouping = grouping
        self.thresholds = thresholds
        self.toolVersion = toolVersion
    }

    /// The report's window: the month's first day to the as-of date.
    package var window: DayRange { DayRange(month.firstDay, asOf) }
}

/// One workbook's worth of patients.
package struct ReportGroup: Sendable {
    /// The therapist's or clinic's name; `nil` for the unassigned group (or `--by all`).
    package var name: String?
    package var label: String
    package var patients: [PatientFigures]
    package var rejects: [RejectedRow]
    /// The RTM periods of the group's patients that ended in the window.
    package var rtm: [PatientRTM] = []

    package var needingAttention: Int { patients.filter(\.needsCall).count }
}

/// A monthly report: every patient active in the window, with all their figures.
package struct MonthlyReport: Sendable {
    package var settings: ReportSettings
    package var patients: [PatientFigures]
    /// What was read. The patients' entries are let go once analysed (every figure is in
    /// ``patients``, ``rtm`` and ``earlierMonths``), so a report holds its figures, not its rows.
    package var ingest: IngestResult
    package var plans: PlansFile?
    package var catalog: ExerciseCatalog
    /// Therapist and clinic names written more than one way, read as one (see ``GroupNames``);
    /// every patient shows the spelling chosen.
    package var therapists: GroupNames
    package var clinics: GroupNames
    /// Every patient with an RTM period that ended in the window (patients of the report and
    /// any other, such as one whose plan ended before the window), by id.
    package var rtm: [PatientRTM] = []
    /// Default-protocol patients whose series of RTM periods began before the entries read
    /// (their ids, with their distinct entry days): their periods wait for
    /// ``completeRTM(earlierDays:)``. Only for logs read without every entry day
    /// (``IngestOptions/keepEntryDays``): a report reads them, and this stays empty.
    package private(set) var rtmPending: [PendingRTM] = []
    /// The months before the window's (oldest first, ``historyMonths`` - 1 of them) with the
    /// overall adherence of every patient active in each: the overview's history.
    package var earlierMonths: [MonthFigures] = []

    /// Months the overview's history shows, the report's month included.
    package static let historyMonths = 6

    /// Runs the rules for every patient of the logs and the plans file. `entriesFrom` is the
    /// first day whose entries were read (default: the first day of ``span(for:analyzer:)``).
    package init(settings: ReportSettings, ingest: IngestResult, plans: PlansFile?, catalog: ExerciseCatalog,
                entriesFrom: Day? = nil) {
        self.settings = settings
        self.ingest = ingest
        self.plans = plans
        self.catalog = catalog
        let analyzer = Analyzer(catalog: catalog, thresholds: settings.thresholds)
        let records = MonthlyReport.records(ingest: ingest, plans: plans, catalog: catalog)
        let window = settings.window
        let known = EarlierEntryDays(knownFrom: entriesFrom ?? MonthlyReport.span(for: settings, analyzer: analyzer).first)
        let months = MonthlyReport.earlierMonths(of: settings.month)
        let logs = ingest.patients
        let results = ParallelMap.map(Array(records.indices)) { i -> (PatientFigures?, RTMOutcome, [MonthPatient?]) in
            let record = records[i]
            let log = i < logs.count ? logs[i] : nil
            let figures = analyzer.isActive(record, in: window) ? analyzer.analyze(record, window: window) : nil
            // With every entry day read, the RTM periods need nothing more.
            let earlier = log?.entryDays.map { EarlierEntryDays(knownFrom: nil, days: $0.days) } ?? known
            let rtm = analyzer.rtmPeriods(record, endingIn: window, earlier: earlier)
            // The history months: the rows kept compact before the span, then the span's.
            var whole = record
            if let history = log?.history {
                var older = history.entries()
                if older.contains(where: \.isDone) { older = older.map { $0.resolvingDone(record.prescription, catalog: catalog) } }
                whole = PatientRecord(id: record.id, name: record.name, therapist: record.therapist, clinic: record.clinic,
                                      entries: older + record.entries, lastEntry: record.lastEntry,
                                      prescription: record.prescription, latestNote: record.latestNote)
            }
            let past = analyzer.overall(whole, in: months.map(\.days)).map { o -> MonthPatient? in
                o.map { MonthPatient(therapist: record.therapist, clinic: record.clinic, overall: $0) }
            }
            return (figures, rtm, past)
        }
        var patients = results.compactMap(\.0).sorted(by: MonthlyReport.reportOrder)
        therapists = GroupNames(column: "therapist", uses: patients.compactMap(\.therapist) + ingest.rejects.compactMap(\.therapist))
        clinics = GroupNames(column: "clinic", uses: patients.compactMap(\.clinic) + ingest.rejects.compactMap(\.clinic))
        let merged = !therapists.merges.isEmpty || !clinics.merges.isEmpty
        if merged {
            for i in patients.indices {
                patients[i].therapist = therapists.shown(patients[i].therapist)
                patients[i].clinic = clinics.shown(patients[i].clinic)
            }
        }
        self.patients = patients
        for (record, result) in zip(records, results) {
            switch result.1 {
            case .periods(let p) where !p.isEmpty:
                rtm.append(PatientRTM(id: record.id, name: record.name, therapist: record.therapist, clinic: record.clinic, periods: p))
            case .periods:
                break
            case .needsEarlierDays:
                rtmPending.append(PendingRTM(id: record.id, name: record.name, therapist: record.therapist,
                                             clinic: record.clinic, days: Array(Set(record.entries.map(\.day))).sorted()))
            }
        }
        for i in self.ingest.patients.indices {
            self.ingest.patients[i].entries = []
            self.ingest.patients[i].history = nil
            self.ingest.patients[i].entryDays = nil
        }
        rtm.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        earlierMonths = months.enumerated().map { k, m in
            MonthFigures(month: m, patients: results.compactMap { $0.2[k] })
        }
        if merged {
            // Every figure is filed under the spelling shown: RTM periods and the history too.
            for i in rtm.indices {
                rtm[i].therapist = therapists.shown(rtm[i].therapist)
                rtm[i].clinic = clinics.shown(rtm[i].clinic)
            }
            for k in earlierMonths.indices {
                for i in earlierMonths[k].patients.indices {
                    earlierMonths[k].patients[i].therapist = therapists.shown(earlierMonths[k].patients[i].therapist)
                    earlierMonths[k].patients[i].clinic = clinics.shown(earlierMonths[k].patients[i].clinic)
                }
            }
        }
    }

    /// Names written more than one way, therapists first.
    package var merges: [(names: GroupNames, merge: GroupNames.Merge)] {
        therapists.merges.map { (therapists, $0) } + clinics.merges.map { (clinics, $0) }
    }

    /// The months before `month` that the overview's history shows, oldest first.
    package static func earlierMonths(of month: Month) -> [Month] {
        var out: [Month] = []
        var m = month
        for _ in 1..<historyMonths {
            m = m.previous
            out.insert(m, at: 0)
        }
        return out
    }

    /// The days whose entries a report reads in full: every figure of the window (see
    /// ``Analyzer/span(for:)``).
    package static func span(for settings: ReportSettings, analyzer: Analyzer) -> DayRange {
        analyzer.span(for: settings.window)
    }

    /// What the report did not check, in words (the About sheet, the terminal): the rows read
    /// for their patient, day and names only (``IngestResult/checkedFrom``). `nil` when there
    /// were none.
    package static func dayOnlyLine(_ ingest: IngestResult) -> String? {
        let n = ingest.rowsReadForDayOnly
        guard n > 0, let from = ingest.checkedFrom else { return nil }
        return "\(n) row\(n == 1 ? "" : "s") dated before \(from) \(n == 1 ? "was" : "were") read for patient, day and names only "
            + "(this report uses nothing else of them); 'adhere check' checks every field of every row"
    }

    /// The first day of the overview's history: a past month's overall adherence needs its
    /// days and, for the default protocol's activity, the days before it that keep a patient
    /// active. From it up to ``span(for:analyzer:)`` only what a dose needs is read
    /// (``IngestOptions/historyFrom``, ``PatientLog/history``).
    package static func historyFrom(for settings: ReportSettings, analyzer: Analyzer) -> Day {
        let oldest = earlierMonths(of: settings.month).first?.firstDay ?? settings.window.first
        return min(span(for: settings, analyzer: analyzer).first, oldest - (analyzer.thresholds.dischargeDays - 1))
    }

    /// The patients that waited for earlier entry days (``rtmPending``), with them: `earlierDays`
    /// holds each one's distinct entry days before the entries read, over the whole history.
    package mutating func completeRTM(earlierDays: [String: [Day]]) {
        let analyzer = Analyzer(catalog: catalog, thresholds: settings.thresholds)
        for pending in rtmPending {
            // Only entry days count for the periods: one entry a day stands for them.
            let record = PatientRecord(id: pending.id, entries: pending.days.map { Entry(day: $0, exercise: nil, side: .both, reps: 0) },
                                       prescription: .defaultProtocol)
            let earlier = EarlierEntryDays(knownFrom: nil, days: earlierDays[record.id] ?? [])
            if case .periods(let p) = analyzer.rtmPeriods(record, endingIn: settings.window, earlier: earlier), !p.isEmpty {
                rtm.append(PatientRTM(id: pending.id, name: pending.name, therapist: pending.therapist, clinic: pending.clinic, periods: p))
            }
        }
        rtmPending = []
        for i in rtm.indices {
            rtm[i].therapist = therapists.shown(rtm[i].therapist)
            rtm[i].clinic = clinics.shown(rtm[i].clinic)
        }
        rtm.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }

    /// Patient records from the logs, plus patients known only from the plans file.
    /// Entries logged as "done" take their reps from the patient's prescription here.
    package static func records(ingest: IngestResult, plans: PlansFile?, catalog: ExerciseCatalog) -> [PatientRecord] {
        var result: [PatientRecord] = []
        var seen = Set<String>()
        for log in ingest.patients {
            seen.insert(log.id)
            let prescription: Prescription = plans?.periods[log.id].map { .plan($0) } ?? .defaultProtocol
            let entries = log.hasDoneEntries ? log.entries.map { $0.resolvingDone(prescription, catalog: catalog) } : log.entries
            result.append(PatientRecord(
                id: log.id,
                name: log.name ?? plans?.name[log.id],
                therapist: log.therapist ?? plans?.therapist[log.id],
                clinic: log.clinic ?? plans?.clinic[log.id],
                entries: entries, lastEntry: log.lastEntry,
                prescription: prescription, latestNote: log.latestNote))
        }
        if let plans {
            for id in plans.periods.keys.sorted() where !seen.contains(id) {
                result.append(PatientRecord(id: id, name: plans.name[id], therapist: plans.therapist[id],
                                            clinic: plans.clinic[id], entries: [], lastEntry: nil,
                                            prescription: .plan(plans.periods[id]!)))
            }
        }
        return result
    }

    /// By urgency (call now, review, not logging, then everyone else), then the lowest overall
    /// adherence (empty last), then by id.
    package static func reportOrder(_ a: PatientFigures, _ b: PatientFigures) -> Bool {
        if a.urgency != b.urgency {
            guard let x = a.urgency else { return false }
            guard let y = b.urgency else { return true }
            return x < y
        }
        switch (a.overall, b.overall) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }
    }

    /// The patients split into workbooks, sorted by group name with `unassigned` last.
    package func groups() -> [ReportGroup] {
        let key: (String?, String?) -> String? = { therapist, clinic in
            switch settings.grouping {
            case .therapist: return therapist
            case .clinic: return clinic
            case .all: return nil
            }
        }
        if settings.grouping == .all {
            return [ReportGroup(name: nil, label: "all", patients: patients, rejects: ingest.rejects, rtm: rtm)]
        }
        var byName: [String?: [PatientFigures]] = [:]
        for p in patients { byName[key(p.therapist, p.clinic), default: []].append(p) }
        var rejectsByName: [String?: [RejectedRow]] = [:]
        for r in ingest.rejects {
            rejectsByName[key(therapists.shown(r.therapist), clinics.shown(r.clinic)), default: []].append(r)
        }
        var rtmByName: [String?: [PatientRTM]] = [:]
        for r in rtm { rtmByName[key(r.therapist, r.clinic), default: []].append(r) }
        let names = Set(byName.keys).union(rejectsByName.keys).union(rtmByName.keys)
        let ordered = names.compactMap { $0 }.sorted() + (names.contains(nil) ? [nil] : [])
        return ordered.map { name in
            ReportGroup(name: name, label: name ?? "unassigned", patients: byName[name] ?? [],
                        rejects: rejectsByName[name] ?? [], rtm: rtmByName[name] ?? [])
        }
    }
}

/// A default-protocol patient whose RTM series began before the entries a report read.
package struct PendingRTM: Sendable {
    package var id: String
    package var name: String?
    package var therapist: String?
    package var clinic: String?
    /// Distinct days with an entry among those read, sorted.
    package var days: [Day]
}

/// A patient's RTM periods that ended in a report's window.
package struct PatientRTM: Sendable {
    package var id: String
    /// Shown in the therapist's workbook only; never in the RTM file or the overview.
    package var name: String?
    package var therapist: String?
    package var clinic: String?
    package var periods: [RTMPeriod]
}

/// One patient active in a past month, with their overall adherence over it.
package struct MonthPatient: Sendable {
    package var therapist: String?
    package var clinic: String?
    /// `nil` when no session was expected.
    package var overall: Fraction?
}

/// The patients active in a past month.
package struct MonthFigures: Sendable {
    package var month: Month
    package var patients: [MonthPatient]
}
