/// The thresholds in force. Every figure is compared exactly against these.
public struct Thresholds: Hashable, Sendable {
    /// Overall adherence at or above this is "adherent" (default 80%).
    public var adherent: Fraction = Fraction(80, 100)
    /// Overall adherence at or above this (and below `adherent`) is "partial"; below it "low" (default 50%).
    public var partial: Fraction = Fraction(50, 100)
    /// Needs attention when overall adherence is below this (default 50%).
    public var lowAdherence: Fraction = Fraction(50, 100)
    /// Needs attention when adherence fell by this much or more since last month (default 20 points).
    public var monthlyDrop: Fraction = Fraction(20, 100)
    /// Needs attention when an active patient logged nothing in this many days ending on the as-of date.
    public var inactiveDays: Int = 7
    /// Step-up trend in % per week at or above which volume is "building".
    public var building: Fraction = Fraction(2)
    /// Step-up trend in % per week at or below which volume is "declining" (given as a positive number).
    public var declining: Fraction = Fraction(2)
    /// Fewest step-up days in the look-back for a trend.
    public var minimumTrendDays: Int = 4
    /// Days of the trend and pain look-back, ending on the as-of date.
    public var lookBackDays: Int = 42
    /// Pain change (points) that counts as a meaningful rise.
    public var painRise: Fraction = Fraction(2)
    /// Any pain above this in the window needs attention.
    public var painCeiling: Fraction = Fraction(5)
    /// Days after the last entry until a patient without a plan counts as discharged.
    public var dischargeDays: Int = 28
    /// Sessions per week of the default protocol.
    public var defaultSessionsPerWeek: Int = 7
    /// Days counted for the remote-monitoring figure.
    public var monitoringDays: Int = 30
    /// Pain change compares the mean daily pain of the look-back's last this-many days with
    /// that of its first this-many days (domain.md: 14).
    public var painHalfDays: Int = 14
    /// A plan running this many days (its first day counted) with nothing ever logged is
    /// "never started" (default 7).
    public var neverStartedDays: Int = 7
    /// A stopped patient whose last entry is at most this many days back is to call now; a
    /// patient needing attention whose last entry is further back is "not logging" (default 28).
    public var notLoggingDays: Int = 28
    /// Holds are short when under this share of the reps with a recorded hold were held the
    /// prescribed time (default 1/2)...
    public var holdsShortShare: Fraction = Fraction(1, 2)
    /// ...counted only with at least this many reps with a recorded hold (default 10).
    public var holdsShortMinimumReps: Int = 10
    /// Days in a remote-monitoring (RTM) billing period, counted from the start of monitoring
    /// (default 30).
    public var rtmPeriodDays: Int = 30
    /// The RTM codes a period can meet, each with the fewest data days that meet it; a period
    /// meets the code with the highest minimum it reaches (default: CPT 98977 from 16 days,
    /// CPT 98985 from 2 days).
    public var rtmCodes: [RTMCode] = RTMCode.defaults

    public init() {}
}

/// Adherence band of an overall adherence figure.
public enum Band: String, Sendable, Codable {
    case adherent, partial, low

    public init(_ adherence: Fraction, thresholds: Thresholds) {
        if adherence >= thresholds.adherent { self = .adherent }
        else if adherence >= thresholds.partial { self = .partial }
        else { self = .low }
    }
}

/// Direction of step-up volume over the look-back.
public enum TrendLabel: String, Sendable, Codable {
    case building, steady, declining
    case insufficientData = "insufficient data"
    /// Step-ups are not in the patient's programme over the look-back: no trend to read.
    case notPrescribed = "not prescribed"
}


func percentText(_ f: Fraction) -> String { NumberText.plain(f * Fraction(100)) + "%" }
func pointsText(_ f: Fraction) -> String { NumberText.plain(f * Fraction(100)) }
