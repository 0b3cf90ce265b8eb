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

/// Step-up volume trend over the look-back.
public struct StepUpTrend: Hashable, Sendable {
    /// Least-squares slope as % of the mean reps per step-up day, per week; `nil` with too few days.
    public var percentPerWeek: Double?
    public var label: TrendLabel
    /// Step-up days in the look-back (the points of the fit).
    public var days: Int
}

/// Figures of one ISO week (cut at the edges of the range it was computed for).
public struct WeekFigures: Hashable, Sendable {
    public var weekStart: Day
    public var days: DayRange
    /// Distinct days with any entry.
    public var entryDays: Int
    public var adherence: [ExerciseAdherence]
    public var overall: Fraction?
    public var stepUpReps: Int
    public var stepUpLeft: Int
    public var stepUpRight: Int
    public var stepUpDays: Int
    /// Mean of the days' highest pain ratings, in points; `nil` when no day was rated.
    public var painMean: Fraction?
    public var painMax: Fraction?
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
    public var activeOnLastDay: Bool
    public var needsAttention: [AttentionReason]
    public var weeks: [WeekFigures]

    public var needsCall: Bool { !needsAttention.isEmpty }
}
