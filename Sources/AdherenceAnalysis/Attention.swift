/// How a patient stands with the programme on the window's last day (domain.md, "Engagement").
public enum Engagement: String, Sendable, Hashable, Codable, CaseIterable {
    /// Logging, or not yet due to have started.
    case active
    /// Logged before and still active, but no entry in the last days (7 by default).
    case stopped
    /// A plan has run for a week or more (its first day counted) and nothing was ever logged.
    case neverStarted = "never started"
    /// In the report but no longer active that day: every plan row ended, or (default protocol)
    /// 28 days passed without an entry.
    case discharged
}

/// How soon a patient who needs attention should hear from the therapist. Reports list
/// `callNow` first, then `review`, then `notLogging`, then everyone else (the cases' order).
public enum Urgency: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Pain above the ceiling, pain rising, never started, or stopped recently.
    case callNow = "call now"
    /// Low or falling adherence, step-ups declining, holds short.
    case review
    /// The last entry is long past (more than 28 days by default): months-old drop-outs wait
    /// below this week's problems.
    case notLogging = "not logging"

    public static func < (a: Urgency, b: Urgency) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What the attention rules look at: one patient's figures for the window.
public struct AttentionFacts: Sendable {
    public var overall: Fraction?
    public var changeVsLastMonth: Fraction?
    public var engagement: Engagement
    public var daysSinceLastEntry: Int?
    public var trend: TrendLabel
    public var painChange: Fraction?
    public var maxPain: Fraction?
    public var holdQuality: [HoldQuality]

    public init(overall: Fraction?, changeVsLastMonth: Fraction?, engagement: Engagement, daysSinceLastEntry: Int?,
                trend: TrendLabel, painChange: Fraction?, maxPain: Fraction?, holdQuality: [HoldQuality]) {
        self.overall = overall
        self.changeVsLastMonth = changeVsLastMonth
        self.engagement = engagement
        self.daysSinceLastEntry = daysSinceLastEntry
        self.trend = trend
        self.painChange = painChange
        self.maxPain = maxPain
        self.holdQuality = holdQuality
    }
}

/// A reason a patient needs attention, in the words every report, `trend`, the JSON and the
/// About sheet use. Each reason's words, check and urgency are written once, together, in
/// ``rule``.
public enum AttentionReason: Hashable, Sendable {
    case lowAdherence(Fraction)
    case droppedSinceLastMonth(Fraction)
    /// Stopped: logged before, still active, nothing in the last `days` days.
    case noRecentEntry(days: Int)
    case neverStarted
    case stepUpsDeclining
    case painRising(Fraction)
    case painAboveCeiling(Fraction)
    case holdsShort

    /// Every rule with the thresholds in force, in the order domain.md lists them (the order
    /// reasons are shown in).
    public static func all(_ t: Thresholds) -> [AttentionReason] {
        [.lowAdherence(t.lowAdherence), .droppedSinceLastMonth(t.monthlyDrop), .noRecentEntry(days: t.inactiveDays),
         .neverStarted, .stepUpsDeclining, .painRising(t.painRise), .painAboveCeiling(t.painCeiling), .holdsShort]
    }

    /// The reasons that hold for `facts`, in the order of ``all(_:)``.
    public static func reasons(for facts: AttentionFacts, thresholds t: Thresholds) -> [AttentionReason] {
        all(t).filter { $0.rule(t).holds(facts) }
    }

    /// The urgency of a patient with these reasons (`nil` without any): *call now* when a
    /// reason calls for it; otherwise *not logging* when the last entry is more than
    /// `notLoggingDays` back; otherwise *review*.
    public static func urgency(_ reasons: [AttentionReason], facts: AttentionFacts, thresholds t: Thresholds) -> Urgency? {
        guard !reasons.isEmpty else { return nil }
        if reasons.contains(where: { $0.rule(t).callsNow(facts) }) { return .callNow }
        if let d = facts.daysSinceLastEntry, d > t.notLoggingDays { return .notLogging }
        return .review
    }

    /// A rule of "Needs attention": the report's words, the rule in a plain sentence (About
    /// sheet), when it holds, and when it makes the patient one to call now.
    public struct Rule: Sendable {
        /// The words shown in reports and the JSON, e.g. "adherence below 50%".
        public let words: String
        /// The rule in plain words, e.g. "overall adherence under 50%".
        public let meaning: String
        public let holds: @Sendable (AttentionFacts) -> Bool
        public let callsNow: @Sendable (AttentionFacts) -> Bool
    }

    /// The reason's rule with the thresholds `t` (those of the check: a reason carries the
    /// threshold it was raised with, and its words say that one).
    public func rule(_ t: Thresholds) -> Rule {
        let never: @Sendable (AttentionFacts) -> Bool = { _ in false }
        let always: @Sendable (AttentionFacts) -> Bool = { _ in true }
        switch self {
        case .lowAdherence(let x):
            return Rule(words: "adherence below \(percentText(x))", meaning: "overall adherence under \(percentText(x))",
                        holds: { $0.overall.map { $0 < x } ?? false }, callsNow: never)
        case .droppedSinceLastMonth(let x):
            return Rule(words: "adherence down \(pointsText(x))+ points vs last month",
                        meaning: "overall adherence down \(pointsText(x)) percentage points or more since last month",
                        holds: { $0.changeVsLastMonth.map { $0 <= -x } ?? false }, callsNow: never)
        case .noRecentEntry(let days):
            let recent = t.notLoggingDays
            return Rule(words: "no entry in last \(days) days",
                        meaning: "stopped: logged before and still active, but no entry in the last \(days) days (a call now while the last entry is at most \(recent) days back)",
                        holds: { $0.engagement == .stopped },
                        callsNow: { ($0.daysSinceLastEntry ?? Int.max) <= recent })
        case .neverStarted:
            return Rule(words: "never started",
                        meaning: "never started: a plan has run \(t.neverStartedDays) days or more (its first day counted) and nothing was ever logged (a call now)",
                        holds: { $0.engagement == .neverStarted }, callsNow: always)
        case .stepUpsDeclining:
            return Rule(words: "step-ups declining", meaning: "step-ups declining",
                        holds: { $0.trend == .declining }, callsNow: never)
        case .painRising(let x):
            return Rule(words: "pain up \(NumberText.plain(x))+ points", meaning: "pain up \(NumberText.plain(x)) points or more (a call now)",
                        holds: { $0.painChange.map { $0 >= x } ?? false }, callsNow: always)
        case .painAboveCeiling(let x):
            return Rule(words: "pain above \(NumberText.plain(x))", meaning: "any pain above \(NumberText.plain(x)) in the window (a call now)",
                        holds: { $0.maxPain.map { $0 > x } ?? false }, callsNow: always)
        case .holdsShort:
            return Rule(words: "holds short",
                        meaning: "holds short: of an exercise's reps with a recorded hold (\(t.holdsShortMinimumReps) or more), under \(percentText(t.holdsShortShare)) were held the prescribed time",
                        holds: { f in f.holdQuality.contains { $0.isShort(t) } }, callsNow: never)
        }
    }

    /// The reason in the report's words, e.g. "adherence below 50%".
    public var text: String { rule(Thresholds()).words }
}

extension PatientFigures {
    /// The figures the attention rules looked at.
    public var attentionFacts: AttentionFacts {
        AttentionFacts(overall: overall, changeVsLastMonth: changeVsLastMonth, engagement: engagement,
                       daysSinceLastEntry: daysSinceLastEntry, trend: trend.label, painChange: painChange,
                       maxPain: maxPain, holdQuality: holdQuality)
    }
}
