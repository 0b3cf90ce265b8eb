import AdherenceAnalysis

/// The clinic lead's view of a monthly report: per therapist (and per clinic when there are
/// several) how many patients, how urgent, how adherent, the change since last month and the
/// RTM periods closed; and the share adherent of each of the last six months. Counts only:
/// no patient names or ids. Made from the report's own figures (no rule of its own).
package struct ClinicOverview: Sendable {
    package struct Row: Sendable {
        /// The therapist's or clinic's name; "unassigned" for patients without one.
        package var label: String
        package var figures: GroupFigures
        /// Share adherent in the window minus that of the whole previous month (a fraction: 0.1
        /// is 10 points); `nil` when either month has no patient with an adherence figure.
        package var changeVsLastMonth: Fraction?
        /// RTM periods that ended in the window.
        package var rtmPeriods: Int
        /// Of those, how many meet each of ``ClinicOverview/codes``, in order.
        package var rtmByCode: [Int]
        package var rtmNoCode: Int
    }

    /// One line of the history: a therapist's (or the whole clinic's) share adherent per month.
    package struct HistoryLine: Sendable {
        package var label: String
        /// One per ``ClinicOverview/months``; `nil` where no patient had an adherence figure.
        package var shares: [Fraction?]
    }

    package var settings: ReportSettings
    package var catalog: ExerciseCatalog
    /// The RTM codes in force, most data days first.
    package var codes: [String]
    package var therapists: [Row]
    /// Empty unless the patients belong to more than one clinic.
    package var clinics: [Row]
    package var total: Row
    /// The history's months, oldest first; the last is the report's (to date).
    package var months: [Month]
    /// Per therapist (by name, unassigned last), then the whole clinic.
    package var history: [HistoryLine]

    package static let unassigned = "unassigned"
    package static let wholeClinic = "All patients"

    package init(report: MonthlyReport) {
        let s = report.settings
        let t = s.thresholds
        settings = s
        catalog = report.catalog
        let ranges = RemoteMonitoringRule.ranges(t)
        codes = ranges.map(\.code)
        months = report.earlierMonths.map(\.month) + [s.month]
        let previous = report.earlierMonths.last

        func order(_ names: Set<String?>) -> [String?] {
            names.compactMap { $0 }.sorted() + (names.contains(nil) ? [nil] : [])
        }
        let codes = self.codes
        func row(_ label: String, _ patients: [PatientFigures], _ rtm: [PatientRTM], _ before: [MonthPatient]?) -> Row {
            let figures = GroupFigures(overall: patients.map(\.overall), urgency: patients.map(\.urgency), thresholds: t)
            let last = before.map { GroupFigures(overall: $0.map(\.overall), thresholds: t).shareAdherent } ?? nil
            var change: Fraction?
            if let now = figures.shareAdherent, let then = last { change = now - then }
            let periods = rtm.flatMap(\.periods)
            return Row(label: label, figures: figures, changeVsLastMonth: change, rtmPeriods: periods.count,
                       rtmByCode: codes.map { c in periods.filter { $0.code == c }.count },
                       rtmNoCode: periods.filter { $0.code == nil }.count)
        }

        let therapistNames = order(Set(report.patients.map(\.therapist)).union(report.rtm.map(\.therapist)))
        therapists = therapistNames.map { name in
            row(name ?? ClinicOverview.unassigned, report.patients.filter { $0.therapist == name },
                report.rtm.filter { $0.therapist == name }, previous?.patients.filter { $0.therapist == name })
        }
        let clinicNames = order(Set(report.patients.map(\.clinic)).union(report.rtm.map(\.clinic)))
        clinics = clinicNames.count < 2 ? [] : clinicNames.map { name in
            row(name ?? ClinicOverview.unassigned, report.patients.filter { $0.clinic == name },
                report.rtm.filter { $0.clinic == name }, previous?.patients.filter { $0.clinic == name })
        }
        total = row(ClinicOverview.wholeClinic, report.patients, report.rtm, previous?.patients)

        // The history: every therapist with patients in one of the months.
        var names = Set(report.patients.map(\.therapist))
        for m in report.earlierMonths { names.formUnion(m.patients.map(\.therapist)) }
        func share(_ overall: [Fraction?]) -> Fraction? { GroupFigures(overall: overall, thresholds: t).shareAdherent }
        history = order(names).map { name in
            HistoryLine(label: name ?? ClinicOverview.unassigned,
                        shares: report.earlierMonths.map { m in share(m.patients.filter { $0.therapist == name }.map(\.overall)) }
                            + [share(report.patients.filter { $0.therapist == name }.map(\.overall))])
        } + [HistoryLine(label: ClinicOverview.wholeClinic,
                         shares: report.earlierMonths.map { share($0.patients.map(\.overall)) } + [share(report.patients.map(\.overall))])]
    }

    /// What the overview's figures mean, one sentence each (its About sheet).
    package var definitions: [String] {
        let t = settings.thresholds
        let adherent = percentWords(t.adherent)
        return [
            "One row per therapist (patients without one: unassigned), then the whole clinic; a row per clinic too when the patients belong to more than one. Patients are those of the therapists' workbooks: active in the month up to the as-of date. Counts only: no patient names or ids.",
            "Call now, review, not logging and on track are the patients' urgency, as in the therapists' workbooks.",
            "Share adherent = patients whose overall adherence is \(adherent) or more, of the patients with an overall adherence figure (a session was expected of them).",
            "Median overall adherence = the middle overall adherence of those patients (the mean of the middle two for an even number).",
            "Change vs last month = the share adherent of the month to date minus that of the whole previous month (its active patients, by the same rules), in percentage points.",
            "RTM periods = remote-monitoring periods that ended in the month up to the as-of date, with how many meet each code (the RTM sheets and rtm-\(settings.month).csv list them).",
            "Six months: the share adherent of each of the last \(months.count) months (the last one to date), per therapist and for the whole clinic.",
        ]
    }

    func percentWords(_ f: Fraction) -> String {
        var s = String((f * Fraction(100)).doubleValue)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s + "%"
    }
}
