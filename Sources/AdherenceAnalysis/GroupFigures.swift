/// Figures of a group of patients (a therapist's, a clinic's) for the clinic overview, made
/// from the patients' own figures: no rule of its own beyond counting and the median.
public struct GroupFigures: Hashable, Sendable {
    /// Patients in the group (active in the window).
    public var patients: Int
    /// Patients per urgency; `nil` is "on track".
    public var callNow: Int
    public var review: Int
    public var notLogging: Int
    public var onTrack: Int
    /// Patients with an overall adherence figure (a session was expected of them).
    public var withAdherence: Int
    /// Of those, the ones in the adherent band.
    public var adherent: Int

    /// Adherent patients as a share of those with an overall adherence figure; `nil` when
    /// none has one.
    public var shareAdherent: Fraction? {
        withAdherence > 0 ? Fraction(Int64(adherent), Int64(withAdherence)) : nil
    }

    /// The median overall adherence (the mean of the middle two for an even count), exact.
    public var medianOverall: Fraction?

    /// Counts the patients' figures: each patient's overall adherence (`nil` when no session
    /// was expected) and urgency (`nil`: on track).
    public init(overall: [Fraction?], urgency: [Urgency?], thresholds t: Thresholds) {
        patients = overall.count
        callNow = urgency.filter { $0 == .callNow }.count
        review = urgency.filter { $0 == .review }.count
        notLogging = urgency.filter { $0 == .notLogging }.count
        onTrack = urgency.filter { $0 == nil }.count
        let values = overall.compactMap { $0 }.sorted()
        withAdherence = values.count
        adherent = values.filter { Band($0, thresholds: t) == .adherent }.count
        if values.isEmpty {
            medianOverall = nil
        } else if values.count % 2 == 1 {
            medianOverall = values[values.count / 2]
        } else {
            medianOverall = (values[values.count / 2 - 1] + values[values.count / 2]) / Fraction(2)
        }
    }

    /// The share adherent alone (a past month, whose urgencies are not worked out).
    public init(overall: [Fraction?], thresholds t: Thresholds) {
        self.init(overall: overall, urgency: overall.map { _ in nil }, thresholds: t)
    }
}

extension Analyzer {
    /// For each window, whether the patient is active in it (and so in that month's report)
    /// and, if so, their overall adherence over it (`.some(nil)` when no session was expected):
    /// the figures of ``analyze(_:window:)``, without the rest.
    public func overall(_ patient: PatientRecord, in windows: [DayRange]) -> [Fraction??] {
        let view = PatientView(patient, analyzer: self)
        return windows.map { w -> Fraction?? in
            guard w.contains(where: { view.isActiveAnyExercise($0) }) else { return nil }
            return .some(Analyzer.overall(view.adherence(over: w)))
        }
    }
}
