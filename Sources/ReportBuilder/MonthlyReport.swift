import AdherenceAnalysis
import ParallelWork
import SessionIngest

/// How patients are split into workbooks.
public enum Grouping: String, Sendable, CaseIterable {
    /// One workbook per therapist; patients without one go to `unassigned`.
    case therapist
    /// One workbook per clinic; patients without one go to `unassigned`.
    case clinic
    /// One workbook with every patient.
    case all
}

/// The settings a report was made with, shown in its About sheet.
public struct ReportSettings: Sendable {
    public var month: Month
    public var asOf: Day
    public var grouping: Grouping
    public var thresholds: Thresholds
    public var toolVersion: String

    public init(month: Month, asOf: Day, grouping: Grouping, thresholds: Thresholds, toolVersion: String) {
        self.month = month
        self.asOf = asOf
        self.grouping = grouping
        self.thresholds = thresholds
        self.toolVersion = toolVersion
    }

    /// The report's window: the month's first day to the as-of date.
    public var window: DayRange { DayRange(month.firstDay, asOf) }
}

/// One workbook's worth of patients.
public struct ReportGroup: Sendable {
    /// The therapist's or clinic's name; `nil` for the unassigned group (or `--by all`).
    public var name: String?
    public var label: String
    public var patients: [PatientFigures]
    public var rejects: [RejectedRow]

    public var needingAttention: Int { patients.filter(\.needsCall).count }
}

/// A monthly report: every patient active in the window, with all their figures.
public struct MonthlyReport: Sendable {
    public var settings: ReportSettings
    public var patients: [PatientFigures]
    public var ingest: IngestResult
    public var plans: PlansFile?
    public var catalog: ExerciseCatalog
    /// Therapist and clinic names written more than one way, read as one (see ``GroupNames``);
    /// every patient shows the spelling chosen.
    public var therapists: GroupNames
    public var clinics: GroupNames

    /// Runs the rules for every patient of the logs and the plans file.
    public init(settings: ReportSettings, ingest: IngestResult, plans: PlansFile?, catalog: ExerciseCatalog) {
        self.settings = settings
        self.ingest = ingest
        self.plans = plans
        self.catalog = catalog
        let analyzer = Analyzer(catalog: catalog, thresholds: settings.thresholds)
        let records = MonthlyReport.records(ingest: ingest, plans: plans, catalog: catalog)
        let window = settings.window
        var patients = ParallelMap.map(records) { analyzer.isActive($0, in: window) ? analyzer.analyze($0, window: window) : nil }
            .compactMap { $0 }
            .sorted(by: MonthlyReport.reportOrder)
        therapists = GroupNames(column: "therapist", uses: patients.compactMap(\.therapist) + ingest.rejects.compactMap(\.therapist))
        clinics = GroupNames(column: "clinic", uses: patients.compactMap(\.clinic) + ingest.rejects.compactMap(\.clinic))
        if !therapists.merges.isEmpty || !clinics.merges.isEmpty {
            for i in patients.indices {
                patients[i].therapist = therapists.shown(patients[i].therapist)
                patients[i].clinic = clinics.shown(patients[i].clinic)
            }
        }
        self.patients = patients
    }

    /// Names written more than one way, therapists first.
    public var merges: [(names: GroupNames, merge: GroupNames.Merge)] {
        therapists.merges.map { (therapists, $0) } + clinics.merges.map { (clinics, $0) }
    }

    /// Patient records from the logs, plus patients known only from the plans file.
    /// Entries logged as "done" take their reps from the patient's prescription here.
    public static func records(ingest: IngestResult, plans: PlansFile?, catalog: ExerciseCatalog) -> [PatientRecord] {
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
    public static func reportOrder(_ a: PatientFigures, _ b: PatientFigures) -> Bool {
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
    public func groups() -> [ReportGroup] {
        let key: (String?, String?) -> String? = { therapist, clinic in
            switch settings.grouping {
            case .therapist: return therapist
            case .clinic: return clinic
            case .all: return nil
            }
        }
        if settings.grouping == .all {
            return [ReportGroup(name: nil, label: "all", patients: patients, rejects: ingest.rejects)]
        }
        var byName: [String?: [PatientFigures]] = [:]
        for p in patients { byName[key(p.therapist, p.clinic), default: []].append(p) }
        var rejectsByName: [String?: [RejectedRow]] = [:]
        for r in ingest.rejects {
            rejectsByName[key(therapists.shown(r.therapist), clinics.shown(r.clinic)), default: []].append(r)
        }
        let names = Set(byName.keys).union(rejectsByName.keys)
        let ordered = names.compactMap { $0 }.sorted() + (names.contains(nil) ? [nil] : [])
        return ordered.map { name in
            ReportGroup(name: name, label: name ?? "unassigned", patients: byName[name] ?? [],
                        rejects: rejectsByName[name] ?? [])
        }
    }
}
