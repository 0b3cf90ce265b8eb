/// Adherence to one prescribed exercise over a window.
public struct ExerciseAdherence: Hashable, Sendable {
    public var exercise: ExerciseID
    public var key: String
    /// Sessions the plan expected in the window (sessions per week x active days / 7).
    public var expected: Fraction
    /// Sum of the daily doses over the active days.
    public var doses: Fraction
    /// min(1, doses / expected); `nil` when no session was expected.
    public var adherence: Fraction?
}

/// How long a patient held an exercise with a prescribed hold, over the window's active days
/// (domain.md, "Hold quality"): tells a patient who does every rep too briefly apart from one
/// who does nothing. Counted on the reps of rows with a recorded hold (a row's reps = sets x
/// reps; a `both` row's reps count once, as in step-up volume).
public struct HoldQuality: Hashable, Sendable {
    public var exercise: ExerciseID
    public var key: String
    /// The hold prescribed, in hundredths of a second: the one in force on the window's last
    /// day with a prescribed hold.
    public var prescribedCentis: Int
    /// Reps with a recorded hold.
    public var recordedReps: Int
    /// Of those, the reps held at least the hold prescribed on their day.
    public var heldReps: Int
    /// Recorded hold times reps, summed (hundredths of a second).
    public var holdCentiReps: Int64

    public init(exercise: ExerciseID, key: String, prescribedCentis: Int, recordedReps: Int = 0, heldReps: Int = 0,
                holdCentiReps: Int64 = 0) {
        self.exercise = exercise
        self.key = key
        self.prescribedCentis = prescribedCentis
        self.recordedReps = recordedReps
        self.heldReps = heldReps
        self.holdCentiReps = holdCentiReps
    }

    /// Share of the reps with a recorded hold that were held long enough; `nil` when no rep
    /// had a recorded hold.
    public var shareHeld: Fraction? { recordedReps > 0 ? Fraction(Int64(heldReps), Int64(recordedReps)) : nil }
    /// Mean recorded hold per rep in seconds, each row weighted by its reps; `nil` when no rep
    /// had a recorded hold.
    public var meanHoldSeconds: Fraction? { recordedReps > 0 ? Fraction(holdCentiReps, 100 * Int64(recordedReps)) : nil }
    /// The prescribed hold in seconds.
    public var prescribedSeconds: Fraction { Fraction(Int64(prescribedCentis), 100) }

    /// Holds short: at least `holdsShortMinimumReps` reps with a recorded hold, and under
    /// `holdsShortShare` of them held the prescribed time.
    public func isShort(_ t: Thresholds) -> Bool {
        guard let held = shareHeld else { return false }
        return recordedReps >= t.holdsShortMinimumReps && held < t.holdsShortShare
    }
}

/// Step-up volume trend over the look-back.
public struct StepUpTrend: Hashable, Sendable {
    /// Least-squares slope as % of the mean reps per step-up day, per week; `nil` with too few days.
    public var percentPerWeek: Double?
    public var label: TrendLabel
    /// Step-up days in the look-back (the points of the fit).
    public var days: Int
}

/// Figures of one ISO week (cut at the edges of the range it was computed for), by the rules of
/// domain.md, "Weekly figures": a week before the patient's first active day has no figures (not
/// 0); a week with fewer than 7 days counted is partial and is compared by its per-day figures
/// (adherence, step-ups per day), never by its totals; an exercise the patient is not prescribed
/// in the week has no figures.
public struct WeekFigures: Hashable, Sendable {
    public var weekStart: Day
    /// The week's days inside the range (Monday to Sunday; the last week ends on the range's last day).
    public var days: DayRange
    /// The days the figures count: the week's days from the patient's first active day in the
    /// range on. `nil` when the whole week is before it: then every figure is empty.
    public var counted: DayRange?
    /// Distinct days with any entry among the counted days; `nil` before the first active day.
    public var entryDays: Int?
    public var adherence: [ExerciseAdherence]
    public var overall: Fraction?
    /// `nil` before the first active day, and in a week with no counted day on which step-ups
    /// were prescribed.
    public var stepUps: WeekStepUps?
    /// Mean of the days' highest pain ratings, in points; `nil` when no day was rated.
    public var painMean: Fraction?
    public var painMax: Fraction?

    /// Days counted (0 before the first active day).
    public var daysCounted: Int { counted?.count ?? 0 }
    /// Fewer than 7 days counted: the window cuts the week short, or the patient started in it.
    public var isPartial: Bool { counted.map { $0.count < 7 } ?? false }
    /// The whole week is before the patient's first active day in the range.
    public var isBeforeStart: Bool { counted == nil }
}

/// A week's step-ups (all sides), over its counted days.
public struct WeekStepUps: Hashable, Sendable {
    public var reps: Int
    public var left: Int
    public var right: Int
    /// Days with at least one step-up rep.
    public var days: Int
    /// Reps per counted day: the figure a partial week is compared by.
    public var perDay: Fraction
    /// Reps per step-up day; `nil` without one.
    public var perSession: Fraction? { days > 0 ? Fraction(Int64(reps), Int64(days)) : nil }
}

/// Every figure of domain.md for one patient over one window.
public struct PatientFigures: Sendable {
    public var id: String
    public var name: String?
    public var therapist: String?
    public var clinic: String?
    public var window: DayRange
    public var usesDefaultProtocol: Bool
    /// Largest sessions per week among the exercises active in the window.
    public var sessionsPerWeek: Int?
    /// Largest expected sessions among the patient's exercises.
    public var expectedSessions: Fraction?
    /// One entry per prescribed exercise, in catalog order.
    public var adherence: [ExerciseAdherence]
    public var overall: Fraction?
    public var band: Band?
    /// min(1, days with any entry among the active days / largest expected sessions).
    public var sessionDays: Fraction?
    /// Days with an entry among the active days of the window (the numerator of `sessionDays`).
    public var activeEntryDays: Int
    /// Distinct days with any entry in the monitoring period ending on the as-of date.
    public var monitoringDays: Int
    /// Step-ups are in the programme on some active day of the month or the look-back; when
    /// not, the step-up figures are not shown (not 0, not "insufficient data").
    public var stepUpsPrescribed: Bool
    public var stepUpReps: Int
    public var stepUpDays: Int
    /// Step-up reps per step-up day in the window.
    public var repsPerStepUpDay: Fraction?
    public var trend: StepUpTrend
    public var stepUpLeft: Int
    public var stepUpRight: Int
    /// Smaller side as a share of the larger; `nil` without step-ups.
    public var sideBalance: Fraction?
    public var painChange: Fraction?
    public var maxPain: Fraction?
    /// Reps of exercises the catalog does not know.
    public var otherReps: Int
    public var previousOverall: Fraction?
    public var changeVsLastMonth: Fraction?
    public var lastEntry: Day?
    /// Days from the last entry to the as-of date (0 = logged that day); `nil` when nothing
    /// was ever logged.
    public var daysSinceLastEntry: Int?
    public var activeOnLastDay: Bool
    /// How the patient stands on the as-of date.
    public var engagement: Engagement
    /// The earliest start of the patient's plan rows up to the as-of date; `nil` on the default
    /// protocol.
    public var planStart: Day?
    /// One per prescribed exercise with a prescribed hold in the window, in catalog order.
    public var holdQuality: [HoldQuality]
    /// The latest day with the window's highest pain rating.
    public var maxPainDay: Day?
    /// The patient's latest note, when written in the window.
    public var latestNote: Note?
    public var needsAttention: [AttentionReason]
    /// How soon to call; `nil` when nothing needs attention.
    public var urgency: Urgency?
    public var weeks: [WeekFigures]

    public var needsCall: Bool { !needsAttention.isEmpty }
}
