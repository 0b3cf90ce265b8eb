import Foundation
import AdherenceAnalysis
import SessionIngest

/// The report's figures as JSON for analysts: the same numbers as the workbooks, snake_case.
package enum ReportJSON {
    struct Document: Encodable {
        let month: String
        let as_of: String
        let grouping: String
        let tool_version: String
        let files_read: Int
        let rows_read: Int
        /// Rows that passed the checks (rows read = accepted + rejected + duplicates dropped).
        let rows_accepted: Int
        let rows_rejected: Int
        let duplicates_dropped: Int
        /// Accepted rows dated before `checked_in_full_from`, read for their patient, day and
        /// names only (`adhere check` checks every field of every row).
        let rows_read_for_day_only: Int
        /// The first day whose rows were checked field by field; `null` when every row was.
        let checked_in_full_from: String?
        let patients: [Patient]
        /// Patients not in the report (not active in the window) with an RTM period that
        /// ended in it, such as one whose plan ended shortly before.
        let rtm_other_patients: [RTMPatient]
        let rejected_rows: [Reject]
        let unknown_exercises: [Unknown]
    }

    struct Patient: Encodable {
        let patient_id: String
        let patient_name: String?
        let therapist: String?
        let clinic: String?
        let plan: String
        let sessions_per_week: Int?
        let expected_sessions: Double?
        let overall_adherence: Double?
        let adherence: [String: Double?]
        let band: String?
        let session_days: Double?
        let monitoring_days: Int
        let step_up_reps: Int?
        let step_up_days: Int?
        let step_up_reps_per_session_day: Double?
        let step_up_trend_pct_per_week: Double?
        let step_up_trend: String
        let step_up_left: Int
        let step_up_right: Int
        let side_balance: Double?
        let pain_change: Double?
        let max_pain: Double?
        let other_reps: Int
        let change_vs_previous_month: Double?
        let last_entry: String?
        let days_since_last_entry: Int?
        let engagement: String
        /// Per exercise with a prescribed hold: `nil` when no rep had a recorded hold.
        let hold_quality: [String: HoldQuality?]
        let latest_note: LatestNote?
        let needs_attention: [String]
        let urgency: String?
        var weeks: [Week]
        /// The RTM periods that ended in the window.
        var rtm_periods: [RTMPeriodJSON]? = nil

        func encode(to encoder: Encoder) throws {
            // Explicit so that empty figures are written as null rather than left out.
            var c = encoder.container(keyedBy: Key.self)
            func put<T: Encodable>(_ v: T?, _ k: String) throws {
                if let v { try c.encode(v, forKey: Key(k)) } else { try c.encodeNil(forKey: Key(k)) }
            }
            try put(patient_id, "patient_id"); try put(patient_name, "patient_name")
            try put(therapist, "therapist"); try put(clinic, "clinic"); try put(plan, "plan")
            try put(sessions_per_week, "sessions_per_week"); try put(expected_sessions, "expected_sessions")
            try put(overall_adherence, "overall_adherence")
            var a = c.nestedContainer(keyedBy: Key.self, forKey: Key("adherence"))
            for (k, v) in adherence.sorted(by: { $0.key < $1.key }) {
                if let v { try a.encode(v, forKey: Key(k)) } else { try a.encodeNil(forKey: Key(k)) }
            }
            try put(band, "band"); try put(session_days, "session_days"); try put(monitoring_days, "monitoring_days")
            try put(step_up_reps, "step_up_reps"); try put(step_up_days, "step_up_days")
            try put(step_up_reps_per_session_day, "step_up_reps_per_session_day")
            try put(step_up_trend_pct_per_week, "step_up_trend_pct_per_week"); try put(step_up_trend, "step_up_trend")
            try put(step_up_left, "step_up_left"); try put(step_up_right, "step_up_right")
            try put(side_balance, "side_balance"); try put(pain_change, "pain_change"); try put(max_pain, "max_pain")
            try put(other_reps, "other_reps"); try put(change_vs_previous_month, "change_vs_previous_month")
            try put(last_entry, "last_entry"); try put(days_since_last_entry, "days_since_last_entry")
            try put(engagement, "engagement")
            var h = c.nestedContainer(keyedBy: Key.self, forKey: Key("hold_quality"))
            for (k, v) in hold_quality.sorted(by: { $0.key < $1.key }) {
                if let v { try h.encode(v, forKey: Key(k)) } else { try h.encodeNil(forKey: Key(k)) }
            }
            try put(latest_note, "latest_note")
            try put(needs_attention, "needs_attention"); try put(urgency, "urgency"); try put(weeks, "weeks")
            if let rtm_periods { try c.encode(rtm_periods, forKey: Key("rtm_periods")) }
        }
    }

    /// `{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "data_days": N, "code": "98977" | null}`.
    struct RTMPeriodJSON: Encodable {
        let start: String
        let end: String
        let data_days: Int
        let code: String?

        init(_ p: RTMPeriod) {
            start = p.start.description
            end = p.end.description
            data_days = p.dataDays
            code = p.code
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(start, forKey: Key("start")); try c.encode(end, forKey: Key("end"))
            try c.encode(data_days, forKey: Key("data_days"))
            if let code { try c.encode(code, forKey: Key("code")) } else { try c.encodeNil(forKey: Key("code")) }
        }
    }

    struct RTMPatient: Encodable {
        let patient_id: String
        let therapist: String?
        let clinic: String?
        let rtm_periods: [RTMPeriodJSON]

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(patient_id, forKey: Key("patient_id"))
            if let therapist { try c.encode(therapist, forKey: Key("therapist")) } else { try c.encodeNil(forKey: Key("therapist")) }
            if let clinic { try c.encode(clinic, forKey: Key("clinic")) } else { try c.encodeNil(forKey: Key("clinic")) }
            try c.encode(rtm_periods, forKey: Key("rtm_periods"))
        }
    }

    struct HoldQuality: Encodable {
        let share_held: Double
        let mean_hold_seconds: Double
        let prescribed_hold_seconds: Double
        let reps_with_recorded_hold: Int
    }

    struct LatestNote: Encodable {
        let date: String
        let text: String
    }

    /// One week: figures over its counted days (from the patient's start on); null before the
    /// start, and for step-ups in a week they were not prescribed; `partial` when fewer than 7
    /// days count (compare it by `overall_adherence` and `step_ups_per_day`, not by its totals).
    struct Week: Encodable {
        let week_start: String
        let first_day: String
        let last_day: String
        let days_counted: Int
        let partial: Bool
        let days_logged: Int?
        let overall_adherence: Double?
        let adherence: [String: Double?]
        let step_up_reps: Int?
        let step_ups_per_day: Double?
        let step_up_left: Int?
        let step_up_right: Int?
        let pain_mean: Double?
        let pain_max: Double?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            func put<T: Encodable>(_ v: T?, _ k: String) throws {
                if let v { try c.encode(v, forKey: Key(k)) } else { try c.encodeNil(forKey: Key(k)) }
            }
            try put(week_start, "week_start"); try put(first_day, "first_day"); try put(last_day, "last_day")
            try put(days_counted, "days_counted"); try put(partial, "partial"); try put(days_logged, "days_logged")
            try put(overall_adherence, "overall_adherence")
            var a = c.nestedContainer(keyedBy: Key.self, forKey: Key("adherence"))
            for (k, v) in adherence.sorted(by: { $0.key < $1.key }) {
                if let v { try a.encode(v, forKey: Key(k)) } else { try a.encodeNil(forKey: Key(k)) }
            }
            try put(step_up_reps, "step_up_reps"); try put(step_ups_per_day, "step_ups_per_day")
            try put(step_up_left, "step_up_left"); try put(step_up_right, "step_up_right")
            try put(pain_mean, "pain_mean"); try put(pain_max, "pain_max")
        }
    }

    struct TrendDocument: Encodable {
        let as_of: String
        let month: String
        let weeks_shown: Int
        let plan: String
        let patient: Patient
    }

    struct Reject: Encodable { let file: String; let line: Int; let reason: String }
    struct Unknown: Encodable { let name: String; let rows: Int }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func adherenceMap(_ items: [ExerciseAdherence]) -> [String: Double?] {
        var m: [String: Double?] = [:]
        for a in items { m[a.key] = .some(a.adherence?.doubleValue) }
        return m
    }

    static func holdQualityMap(_ items: [AdherenceAnalysis.HoldQuality]) -> [String: HoldQuality?] {
        var m: [String: HoldQuality?] = [:]
        for q in items {
            if let share = q.shareHeld, let mean = q.meanHoldSeconds {
                m[q.key] = .some(HoldQuality(share_held: share.doubleValue, mean_hold_seconds: mean.doubleValue,
                                             prescribed_hold_seconds: q.prescribedSeconds.doubleValue,
                                             reps_with_recorded_hold: q.recordedReps))
            } else {
                m[q.key] = .some(nil)
            }
        }
        return m
    }

    static func patient(_ p: PatientFigures) -> Patient {
        Patient(
            patient_id: p.id, patient_name: p.name, therapist: p.therapist, clinic: p.clinic,
            plan: p.usesDefaultProtocol ? "default" : "plan",
            sessions_per_week: p.sessionsPerWeek, expected_sessions: p.expectedSessions?.doubleValue,
            overall_adherence: p.overall?.doubleValue, adherence: adherenceMap(p.adherence),
            band: p.band?.rawValue, session_days: p.sessionDays?.doubleValue, monitoring_days: p.monitoringDays,
            step_up_reps: p.stepUpsPrescribed ? p.stepUpReps : nil, step_up_days: p.stepUpsPrescribed ? p.stepUpDays : nil,
            step_up_reps_per_session_day: p.repsPerStepUpDay?.doubleValue,
            step_up_trend_pct_per_week: p.trend.percentPerWeek, step_up_trend: p.trend.label.rawValue,
            step_up_left: p.stepUpLeft, step_up_right: p.stepUpRight,
            side_balance: p.sideBalance?.doubleValue, pain_change: p.painChange?.doubleValue,
            max_pain: p.maxPain?.doubleValue, other_reps: p.otherReps,
            change_vs_previous_month: p.changeVsLastMonth?.doubleValue,
            last_entry: p.lastEntry?.description,
            days_since_last_entry: p.daysSinceLastEntry,
            engagement: p.engagement.rawValue,
            hold_quality: holdQualityMap(p.holdQuality),
            latest_note: p.latestNote.map { LatestNote(date: $0.day.description, text: $0.text) },
            needs_attention: p.needsAttention.map(\.text),
            urgency: p.urgency?.rawValue,
            weeks: p.weeks.map(week))
    }

    static func week(_ w: WeekFigures) -> Week {
        Week(week_start: w.weekStart.description, first_day: w.days.first.description,
             last_day: w.days.last.description, days_counted: w.daysCounted, partial: w.isPartial, days_logged: w.entryDays,
             overall_adherence: w.overall?.doubleValue, adherence: adherenceMap(w.adherence),
             step_up_reps: w.stepUps?.reps, step_ups_per_day: w.stepUps?.perDay.doubleValue,
             step_up_left: w.stepUps?.left, step_up_right: w.stepUps?.right,
             pain_mean: w.painMean?.doubleValue, pain_max: w.painMax?.doubleValue)
    }

    /// The whole report as pretty-printed JSON (keys sorted, so the same inputs give the same bytes).
    package static func encode(_ report: MonthlyReport) throws -> Data {
        let i = report.ingest
        let rtmByID = Dictionary(report.rtm.map { ($0.id, $0.periods) }, uniquingKeysWith: { a, _ in a })
        let reported = Set(report.patients.map(\.id))
        let doc = Document(
            month: report.settings.month.description, as_of: report.settings.asOf.description,
            grouping: report.settings.grouping.rawValue, tool_version: report.settings.toolVersion,
            files_read: i.files.count, rows_read: i.rowsRead, rows_accepted: i.files.reduce(0) { $0 + $1.accepted },
            rows_rejected: i.rowsRejected,
            duplicates_dropped: i.duplicatesDropped,
            rows_read_for_day_only: i.rowsReadForDayOnly, checked_in_full_from: i.checkedFrom?.description,
            patients: report.patients.map { p in
                var json = patient(p)
                json.rtm_periods = (rtmByID[p.id] ?? []).map(RTMPeriodJSON.init)
                return json
            },
            rtm_other_patients: report.rtm.filter { !reported.contains($0.id) }.map {
                RTMPatient(patient_id: $0.id, therapist: $0.therapist, clinic: $0.clinic, rtm_periods: $0.periods.map(RTMPeriodJSON.init))
            },
            rejected_rows: i.rejects.map { Reject(file: $0.file, line: $0.line, reason: $0.reason) },
            unknown_exercises: i.unknownExercises.map { Unknown(name: $0.name, rows: $0.rows) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        var data = try encoder.encode(doc)
        data.append(0x0A)
        return data
    }
}

/// The rejects file: every rejected row, with its fields under the canonical column names
/// (so the file can be fixed and given back to adhere as an input), then the file, line and
/// reason it was rejected for, and the row exactly as it was written. RFC 4180 CSV (CRLF after
/// every record, the header too); text a
/// spreadsheet would run as a formula is guarded (see ``RejectsFormat``).
package enum RejectsFile {
    package static func csv(_ rejects: [RejectedRow]) -> Data {
        // The canonical columns, plus the shape columns (set number, left/right reps, done)
        // that some rejected row has, so the file can be corrected and read back in.
        let columns = Column.canonical + [Column.setNumber, .repsLeft, .repsRight, .done].filter { c in
            rejects.contains { $0.fields[c] != nil }
        }
        // Every record ends in CRLF, as RFC 4180 has it; a line break inside a quoted field is
        // data and stays as the export wrote it.
        var out = (columns.map(\.rawValue) + RejectsFormat.extraColumns).joined(separator: ",") + "\r\n"
        for r in rejects {
            var cells = columns.map { quote(r.fields[$0] ?? "") }
            cells += [quote(r.file), String(r.line), quote(r.reason), quote(r.raw)]
            out += cells.joined(separator: ",") + "\r\n"
        }
        return Data(out.utf8)
    }

    static func quote(_ s: String) -> String { RejectsFormat.csvField(s) }
}
