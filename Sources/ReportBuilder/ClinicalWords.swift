import AdherenceAnalysis

/// A patient's figures in the words a therapist uses: "holds 6 s of 10 s", "stopped 12 days
/// ago", "never started, plan began 3 Oct", "pain 7/10 on 14 Oct". The Summary's worklist, the
/// Trends sheet, the one-patient workbook and `trend` in the terminal all say these, so they
/// say the same. (The JSON keeps the rules' own words, see ``AttentionReason``.)
package struct ClinicalWords: Sendable {
    package let thresholds: Thresholds
    package let catalog: ExerciseCatalog

    package init(thresholds: Thresholds, catalog: ExerciseCatalog) {
        self.thresholds = thresholds
        self.catalog = catalog
    }

    /// Each reason the patient needs attention, in therapist words, the ones behind the
    /// patient's urgency first: for *call now* the reasons that call for it (pain above the
    /// ceiling, pain rising, never started, stopped), for *not logging* how long ago the last
    /// entry was; then the others in the rules' order. Empty when nothing needs attention.
    package func reasons(_ p: PatientFigures) -> [String] {
        let t = thresholds
        guard let urgency = p.urgency else { return [] }
        let facts = p.attentionFacts
        var first: [AttentionReason] = []
        switch urgency {
        case .callNow:
            let order: [(AttentionReason) -> Bool] = [
                { if case .painAboveCeiling = $0 { return true }; return false },
                { if case .painRising = $0 { return true }; return false },
                { $0 == .neverStarted },
                { if case .noRecentEntry = $0 { return true }; return false },
            ]
            for matches in order {
                first += p.needsAttention.filter { matches($0) && $0.rule(t).callsNow(facts) }
            }
        case .notLogging:
            first = p.needsAttention.filter { if case .noRecentEntry = $0 { return true }; return false }
        case .review:
            break
        }
        var words = first.map { phrase($0, p) }
        if urgency == .notLogging, first.isEmpty, let d = p.daysSinceLastEntry, let last = p.lastEntry {
            // Discharged or not yet stopped: no reason says how long ago, so say it first.
            words.append("last entry \(d) days ago (\(Self.shortDate(last)))")
        }
        words += p.needsAttention.filter { !first.contains($0) }.map { phrase($0, p) }
        return words
    }

    /// The worklist line: "call now: pain 7/10 on 14 Oct; adherence 42%", or "on track".
    package func line(_ p: PatientFigures) -> String {
        guard let u = p.urgency else { return "on track" }
        return "\(u.rawValue): " + reasons(p).joined(separator: "; ")
    }

    /// The text with its first letter capital ("Call now: ...").
    package static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    /// How many patients are in each group of the worklist, e.g. "To call now: 4 · To review: 4
    /// · Not logging: 1 · On track: 3".
    package static func counts(_ patients: [PatientFigures]) -> String {
        func n(_ u: Urgency?) -> Int { patients.filter { $0.urgency == u }.count }
        return "To call now: \(n(.callNow)) · To review: \(n(.review)) · Not logging: \(n(.notLogging)) · On track: \(n(nil))"
    }

    /// One reason in therapist words.
    func phrase(_ r: AttentionReason, _ p: PatientFigures) -> String {
        switch r {
        case .lowAdherence:
            return "adherence \(p.overall.map(Self.wholePercentDown) ?? "–")"
        case .droppedSinceLastMonth:
            let month = Month(containing: p.window.first).previous
            // Rounded: a drop is 20 points or more, so it never rounds below the threshold.
            return "down \(p.changeVsLastMonth.map { Int((-$0.doubleValue * 100).rounded()) }.map(String.init) ?? "–") pts vs \(Self.monthName(month.month))"
        case .noRecentEntry:
            return "stopped \(p.daysSinceLastEntry.map(String.init) ?? "–") days ago"
        case .neverStarted:
            return "never started" + (p.planStart.map { ", plan began \(Self.shortDate($0))" } ?? "")
        case .stepUpsDeclining:
            return "step-ups declining" + (p.trend.percentPerWeek.map { " \(NumberText.oneDecimal(abs($0)))%/week" } ?? "")
        case .painRising:
            return "pain up \(p.painChange.map { NumberText.oneDecimal($0.doubleValue) } ?? "–") pts"
        case .painAboveCeiling:
            return "pain \(p.maxPain.map { NumberText.oneDecimal($0.doubleValue) } ?? "–")/10" + (p.maxPainDay.map { " on \(Self.shortDate($0))" } ?? "")
        case .holdsShort:
            let short = p.holdQuality.filter { $0.isShort(thresholds) }
            let named = p.holdQuality.count > 1
            let parts = (short.isEmpty ? p.holdQuality : short).map { holdText($0, named: named) }
            return parts.isEmpty ? "holds short" : parts.joined(separator: ", ")
        }
    }

    /// "holds 6 s of 10 s" (the mean hold, cut to one decimal so a short hold never reads as
    /// the prescription), or "40% of holds reach 10 s" when the mean is long enough but most
    /// reps are not; with `named`, the exercise first.
    package func holdText(_ q: HoldQuality, named: Bool) -> String {
        let name = named ? exerciseName(q.key) + " " : ""
        let prescribed = NumberText.oneDecimalDown(q.prescribedSeconds)
        guard let mean = q.meanHoldSeconds, let share = q.shareHeld else { return "\(name)holds not recorded" }
        if mean < q.prescribedSeconds { return "\(name)holds \(NumberText.oneDecimalDown(mean)) s of \(prescribed) s" }
        return "\(name)\(Self.wholePercentDown(share)) of holds reach \(prescribed) s"
    }

    /// A patient's hold figures for a table: "6 s of 10 s, 0% held", or "not recorded".
    package static func holdSummary(_ q: HoldQuality) -> String {
        guard let mean = q.meanHoldSeconds, let share = q.shareHeld else { return "not recorded" }
        return "\(NumberText.oneDecimalDown(mean)) s of \(NumberText.oneDecimalDown(q.prescribedSeconds)) s, \(Self.wholePercentDown(share)) held"
    }

    /// The note as a worklist shows it: "13 Oct: knee sore after step-ups", cut after
    /// `limit` characters (a note may be long; the JSON has it whole).
    package static func noteText(_ n: Note, limit: Int = 300) -> String {
        let text = n.text.count > limit ? String(n.text.prefix(limit)) + "…" : n.text
        return "\(Self.shortDate(n.day)): \(text)"
    }

    /// A change in percentage points, e.g. "-29 pts" or "+3 pts" (rounded to whole points).
    package static func points(_ change: Fraction) -> String {
        let v = (change.doubleValue * 100).rounded()
        return (v > 0 ? "+" : (v < 0 ? "-" : "")) + "\(Int(abs(v))) pts"
    }

    /// "3 Oct".
    package static func shortDate(_ d: Day) -> String { "\(d.civil.day) \(Self.monthName(d.civil.month))" }

    static func monthName(_ m: Int) -> String {
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]
    }

    func exerciseName(_ key: String) -> String {
        catalog.id(forKey: key).map { catalog.exercises[$0].displayName.lowercased() } ?? key.replacingOccurrences(of: "_", with: " ")
    }

    /// A share as a whole percentage rounded down ("49%" for 49.9%: never up to a threshold).
    static func wholePercentDown(_ f: Fraction) -> String { Self.wholeDown(f * Fraction(100)) + "%" }

    static func wholeDown(_ f: Fraction) -> String {
        let q = f.numerator / f.denominator
        return "\(f.numerator < 0 && f.numerator % f.denominator != 0 ? q - 1 : q)"
    }

    /// One decimal cut, not rounded, and ".0" left out: 9.96 -> "9.9", 6 -> "6".

}
