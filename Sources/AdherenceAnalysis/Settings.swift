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
}

/// A reason a patient needs a call, in the words the report uses.
public enum AttentionReason: Hashable, Sendable {
    case lowAdherence(Fraction)
    case droppedSinceLastMonth(Fraction)
    case noRecentEntry(days: Int)
    case stepUpsDeclining
    case painRising(Fraction)
    case painAboveCeiling(Fraction)

    /// The reason in words, e.g. "adherence below 50%".
    public var text: String {
        switch self {
        case .lowAdherence(let t): return "adherence below \(percentText(t))"
        case .droppedSinceLastMonth(let t): return "adherence down \(pointsText(t))+ points vs last month"
        case .noRecentEntry(let d): return "no entry in last \(d) days"
        case .stepUpsDeclining: return "step-ups declining"
        case .painRising(let t): return "pain up \(numberText(t))+ points"
        case .painAboveCeiling(let t): return "pain above \(numberText(t))"
        }
    }
}

func numberText(_ f: Fraction) -> String {
    if f.denominator == 1 { return "\(f.numerator)" }
    var s = String(f.doubleValue)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}

func percentText(_ f: Fraction) -> String { numberText(f * Fraction(100)) + "%" }
func pointsText(_ f: Fraction) -> String { numberText(f * Fraction(100)) }
