/// Remote-monitoring (RTM) billing periods (domain.md, "Remote-monitoring periods (RTM)"):
/// consecutive periods of `rtmPeriodDays` days from the day monitoring began, each with its
/// data days and the code it meets. Rows in, figures out, no I/O.

/// A remote-monitoring billing code and the fewest data days in a period that meet it.
public struct RTMCode: Hashable, Sendable {
    public var code: String
    public var minimumDays: Int

    public init(_ code: String, minimumDays: Int) {
        self.code = code
        self.minimumDays = minimumDays
    }

    /// CPT 98977 for 16-30 days of data, CPT 98985 (from 2026) for 2-15.
    public static let defaults = [RTMCode("98977", minimumDays: 16), RTMCode("98985", minimumDays: 2)]
}

/// One RTM period that ended in a report's window.
public struct RTMPeriod: Hashable, Sendable {
    public var start: Day
    public var end: Day
    /// Distinct days with any entry in the period (for a default-protocol patient, those of the
    /// period's own series: see ``Analyzer/rtmPeriods(_:endingIn:earlier:)``).
    public var dataDays: Int
    /// The code the period meets; `nil` when it meets none.
    public var code: String?

    public init(start: Day, end: Day, dataDays: Int, code: String?) {
        self.start = start
        self.end = end
        self.dataDays = dataDays
        self.code = code
    }
}

/// Entry days of a patient from before the entries of their ``PatientRecord`` (a report keeps
/// only the entries its figures need, but a default-protocol patient's periods count from the
/// first entry of their series, which may lie further back).
public struct EarlierEntryDays: Sendable, Hashable {
    /// The first day whose entries are known: the entries of the record and `days` are every
    /// entry from this day on. `nil`: the whole history is known.
    public var knownFrom: Day?
    /// Distinct days with an entry before the record's entries, sorted.
    public var days: [Day]

    public init(knownFrom: Day?, days: [Day] = []) {
        self.knownFrom = knownFrom
        self.days = days
    }

    /// The whole history is in the record.
    public static let wholeHistory = EarlierEntryDays(knownFrom: nil)
}

/// A patient's RTM periods that ended in a window, or that their start of monitoring lies
/// before the entries known.
public enum RTMOutcome: Sendable, Hashable {
    case periods([RTMPeriod])
    /// A default-protocol patient whose series of periods began before the first day known:
    /// the entry days before it are needed (see ``EarlierEntryDays``).
    case needsEarlierDays
}

/// The RTM rule: which code a period meets, and the rule in words (the About sheet and the RTM
/// sheet say this sentence; the rule and its words are written here, together).
public enum RemoteMonitoringRule {
    /// The codes with the most data days first.
    static func ordered(_ t: Thresholds) -> [RTMCode] {
        t.rtmCodes.sorted { $0.minimumDays != $1.minimumDays ? $0.minimumDays > $1.minimumDays : $0.code < $1.code }
    }

    /// The code a period with `dataDays` data days meets: the one with the highest minimum it
    /// reaches; `nil` when it reaches none.
    public static func code(dataDays: Int, thresholds t: Thresholds) -> String? {
        ordered(t).first { dataDays >= $0.minimumDays }?.code
    }

    /// Each code with the data days that meet it, most first: ("98977", 16...30), ("98985", 2...15).
    public static func ranges(_ t: Thresholds) -> [(code: String, days: ClosedRange<Int>)] {
        var upper = t.rtmPeriodDays
        var out: [(code: String, days: ClosedRange<Int>)] = []
        for c in ordered(t) where c.minimumDays <= upper {
            out.append((c.code, c.minimumDays...upper))
            upper = c.minimumDays - 1
        }
        return out
    }

    /// The rule in one sentence, with the settings in force.
    public static func sentence(_ t: Thresholds) -> String {
        let codes = ranges(t).map { "\($0.days.lowerBound)-\($0.days.upperBound) data days meets code \($0.code)" }
        let fewest = ranges(t).last.map { "fewer than \($0.days.lowerBound) meets none" } ?? "no code is set"
        return "Remote-monitoring (RTM) periods: consecutive \(t.rtmPeriodDays)-day periods from the day monitoring began "
            + "(the earliest plan start date; without a plan, the first logged day, and after a discharge of \(t.dischargeDays) days "
            + "without an entry a new series from the next entry); a data day is a distinct day with any entry; a period with "
            + (codes + [fewest]).joined(separator: ", ")
            + ". A period is listed in the month it ends (month to date: those ended by the as-of date) while monitoring went on "
            + "in it (a plan row in force on one of its days; without a plan, the period began before the discharge, and only "
            + "its own series' days count)."
    }
}

extension Analyzer {
    /// The patient's RTM periods that ended in `window` (their end in it): consecutive periods of
    /// `rtmPeriodDays` from the start of monitoring, each with its data days and code.
    ///
    /// - With a plan, monitoring starts on the earliest plan start date; a period is listed when
    ///   a plan row is in force on one of its days.
    /// - On the default protocol, a series starts on the first logged day and again on the
    ///   first entry after a discharge (a day the default protocol is no longer active: the
    ///   Analyzer's own rule); a series' period is listed when it began on or before the
    ///   series' last active day, and counts only that series' entry days.
    ///
    /// `earlier` gives the entry days before the record's entries; when the series that matters
    /// began before the first day known, the answer is ``RTMOutcome/needsEarlierDays``.
    public func rtmPeriods(_ patient: PatientRecord, endingIn window: DayRange,
                           earlier: EarlierEntryDays = .wholeHistory) -> RTMOutcome {
        let length = thresholds.rtmPeriodDays
        guard length > 0, !window.isEmpty else { return .periods([]) }
        let view = PatientView(patient, analyzer: self)
        // Every known entry day up to the window's end (the as-of date), sorted and distinct.
        var days = earlier.days.filter { d in view.entryDays.first.map { d < $0 } ?? true }
        days += view.entryDays
        days = Array(days.prefix { $0 <= window.last })

        func count(_ range: DayRange) -> Int {
            guard !range.isEmpty else { return 0 }
            return lowerBound(days, range.last + 1) - lowerBound(days, range.first)
        }
        /// The periods of a series starting on `start`, ending in the window, begun on or before
        /// `lastStart`, with data days counted up to `countTo`.
        func periods(from start: Day, lastStart: Day?, countTo: Day?, listed: (DayRange) -> Bool) -> [RTMPeriod] {
            // The first period ending on or after the window's first day.
            let behind = window.first - (start + (length - 1))
            var k = behind > 0 ? (behind + length - 1) / length : 0
            var out: [RTMPeriod] = []
            while true {
                let first = start + k * length
                let last = first + (length - 1)
                if last > window.last { break }
                if let l = lastStart, first > l { break }
                let period = DayRange(first, last)
                if listed(period) {
                    let n = count(DayRange(first, countTo.map { min(last, $0) } ?? last))
                    out.append(RTMPeriod(start: first, end: last, dataDays: n,
                                         code: RemoteMonitoringRule.code(dataDays: n, thresholds: thresholds)))
                }
                k += 1
            }
            return out
        }

        switch patient.prescription {
        case .plan(let rows):
            guard let start = rows.map(\.start).min() else { return .periods([]) }
            return .periods(periods(from: start, lastStart: nil, countTo: nil) { period in
                period.contains { view.isActiveAnyExercise($0) }
            })
        case .defaultProtocol:
            var out: [RTMPeriod] = []
            var i = 0
            while i < days.count, days[i] <= window.last {
                // A series: from days[i] while each next entry comes before a discharge.
                let seriesStart = days[i]
                var j = i
                while j + 1 < days.count, PatientView.defaultActive(lastEntry: days[j], on: days[j + 1] - 1, dischargeDays: thresholds.dischargeDays) {
                    j += 1
                }
                let lastEntry = days[j]
                let lastActive = lastEntry + (thresholds.dischargeDays - 1)
                // Only series with a period that can end in the window matter.
                if lastActive + (length - 1) >= window.first {
                    if i == 0, let known = earlier.knownFrom, seriesStart - thresholds.dischargeDays < known {
                        // An entry in the days before the first one known would extend this series.
                        return .needsEarlierDays
                    }
                    out += periods(from: seriesStart, lastStart: lastActive, countTo: lastEntry) { _ in true }
                }
                i = j + 1
            }
            return .periods(out.sorted { ($0.end, $0.start) < ($1.end, $1.start) })
        }
    }
}

/// The index of the first element not below `value` in sorted `days`.
private func lowerBound(_ days: [Day], _ value: Day) -> Int {
    var lo = 0, hi = days.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if days[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
