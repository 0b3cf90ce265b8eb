/// Computes the figures of domain.md for one patient: rows in, figures out, no I/O.
public struct Analyzer: Sendable {
    public let catalog: ExerciseCatalog
    public let thresholds: Thresholds

    public init(catalog: ExerciseCatalog = .standard, thresholds: Thresholds = Thresholds()) {
        self.catalog = catalog
        self.thresholds = thresholds
    }

    /// Whether the patient has at least one active day in `window` (and so belongs in its report).
    public func isActive(_ patient: PatientRecord, in window: DayRange) -> Bool {
        let view = PatientView(patient, analyzer: self)
        return window.contains { view.isActiveAnyExercise($0) }
    }

    /// The days of the span a report must read so that every figure of `window` is complete.
    public func span(for window: DayRange) -> DayRange {
        let previous = Month(containing: window.first).previous.firstDay
        let lookBack = window.last - (thresholds.lookBackDays - 1)
        let weeks = min(window.first, lookBack).mondayOfWeek
        let earliest = min(previous, weeks, window.last - (thresholds.monitoringDays - 1))
        return DayRange(earliest - (thresholds.dischargeDays - 1), window.last)
    }

    /// Every figure for `window` (the month, or month to date: its last day is the as-of date).
    public func analyze(_ patient: PatientRecord, window: DayRange) -> PatientFigures {
        let view = PatientView(patient, analyzer: self)
        let t = thresholds
        let asOf = window.last

        let adherence = view.adherence(over: window)
        let overall = Analyzer.overall(adherence)
        let maxExpected = adherence.map(\.expected).max()

        var activeEntryDays = 0
        for d in window where view.isActiveAnyExercise(d) && view.hasEntry(d) { activeEntryDays += 1 }
        let sessionDays: Fraction? = maxExpected.flatMap {
            $0 > .zero ? Fraction.min(.one, Fraction(activeEntryDays) / $0) : nil
        }

        let monitoring = DayRange(asOf - (t.monitoringDays - 1), asOf)
        let monitoringDays = monitoring.reduce(0) { $0 + (view.hasEntry($1) ? 1 : 0) }

        let volume = view.volume(over: window)
        let lookBack = DayRange(asOf - (t.lookBackDays - 1), asOf)
        // Step-ups not in the programme over the month or the look-back have no figures (a
        // trend of "insufficient data" and 0 reps would read as a patient not doing them).
        let stepUp = catalog.volumeExercise
        let stepUpsPrescribed = stepUp.map { e in
            DayRange(min(window.first, lookBack.first), asOf).contains { view.slot(e, on: $0) != nil }
        } ?? false
        let trend = stepUpsPrescribed ? view.trend(over: lookBack) : StepUpTrend(percentPerWeek: nil, label: .notPrescribed, days: 0)

        let firstHalf = DayRange(lookBack.first, lookBack.first + 13)
        let lastHalf = DayRange(asOf - 13, asOf)
        var painChange: Fraction?
        if let a = view.meanPain(over: lastHalf), let b = view.meanPain(over: firstHalf) { painChange = a - b }
        let maxPain = view.maxPain(over: window)

        let previous = Month(containing: window.first).previous.days
        let previousOverall = Analyzer.overall(view.adherence(over: previous))
        var change: Fraction?
        if let now = overall, let before = previousOverall { change = now - before }

        let activeOnLastDay = view.isActiveAnyExercise(asOf)
        let lastEntry = patient.lastEntry.flatMap { $0 <= asOf ? $0 : nil } ?? view.lastEntry(onOrBefore: asOf)
        let daysSince = lastEntry.map { asOf - $0 }
        var planStart: Day?
        if case .plan(let periods) = patient.prescription { planStart = periods.map(\.start).filter { $0 <= asOf }.min() }
        let engagement = Analyzer.engagement(planStart: planStart, daysSinceLastEntry: daysSince,
                                             activeOnLastDay: activeOnLastDay, asOf: asOf, thresholds: t)
        let holdQuality = view.holdQuality(over: window)

        let facts = AttentionFacts(overall: overall, changeVsLastMonth: change, engagement: engagement,
                                   daysSinceLastEntry: daysSince, trend: trend.label, painChange: painChange,
                                   maxPain: maxPain, holdQuality: holdQuality)
        let reasons = AttentionReason.reasons(for: facts, thresholds: t)

        let larger = max(volume.left, volume.right)
        // Whole ISO weeks from the one holding the look-back's (or month's) first day; the
        // last week runs to the as-of date.
        let weeksRange = DayRange(min(window.first, lookBack.first).mondayOfWeek, asOf)

        return PatientFigures(
            id: patient.id, name: patient.name, therapist: patient.therapist, clinic: patient.clinic,
            window: window,
            usesDefaultProtocol: patient.prescription == .defaultProtocol,
            sessionsPerWeek: view.sessionsPerWeek(in: window),
            expectedSessions: maxExpected,
            adherence: adherence, overall: overall, band: overall.map { Band($0, thresholds: t) },
            sessionDays: sessionDays, activeEntryDays: activeEntryDays,
            monitoringDays: monitoringDays,
            stepUpsPrescribed: stepUpsPrescribed, stepUpReps: volume.reps, stepUpDays: volume.days,
            repsPerStepUpDay: volume.days > 0 ? Fraction(Int64(volume.reps), Int64(volume.days)) : nil,
            trend: trend,
            stepUpLeft: volume.left, stepUpRight: volume.right,
            sideBalance: larger > 0 ? Fraction(Int64(min(volume.left, volume.right)), Int64(larger)) : nil,
            painChange: painChange, maxPain: maxPain, otherReps: volume.otherReps,
            previousOverall: previousOverall, changeVsLastMonth: change,
            lastEntry: lastEntry, daysSinceLastEntry: daysSince,
            activeOnLastDay: activeOnLastDay, engagement: engagement, planStart: planStart,
            holdQuality: holdQuality,
            maxPainDay: maxPain.flatMap { m in window.reversed().first { view.dayPain($0).map { Fraction(Int64($0), 100) } == m } },
            latestNote: patient.latestNote.flatMap { window.contains($0.day) ? $0 : nil },
            needsAttention: reasons,
            urgency: AttentionReason.urgency(reasons, facts: facts, thresholds: t),
            weeks: view.weeks(in: weeksRange))
    }

    /// Engagement on the as-of date (domain.md): *never started* when a plan has run
    /// `neverStartedDays` days or more, its first day counted, and nothing was ever logged;
    /// else *discharged* when no longer active; else *stopped* when logged before but not in
    /// the last `inactiveDays` days; else *active*.
    static func engagement(planStart: Day?, daysSinceLastEntry: Int?, activeOnLastDay: Bool, asOf: Day,
                           thresholds t: Thresholds) -> Engagement {
        if let start = planStart, daysSinceLastEntry == nil, asOf - start + 1 >= t.neverStartedDays { return .neverStarted }
        if !activeOnLastDay { return .discharged }
        if let d = daysSinceLastEntry, d >= t.inactiveDays { return .stopped }
        return .active
    }

    /// Week-by-week figures (ISO weeks, cut at the edges of `range`).
    public func weeks(_ patient: PatientRecord, in range: DayRange) -> [WeekFigures] {
        PatientView(patient, analyzer: self).weeks(in: range)
    }

    /// The days whose entries `weeks(_:in:)` and `analyze(_:window:)` need for a view of
    /// `weeks` weeks ending on the window's last day.
    public func span(for window: DayRange, weeks: Int) -> DayRange {
        let base = span(for: window)
        let first = (window.last - (7 * max(weeks, 1) - 1)).mondayOfWeek - (thresholds.dischargeDays - 1)
        return DayRange(min(base.first, first), window.last)
    }

    /// The mean of the exercise adherences that are not empty.
    static func overall(_ items: [ExerciseAdherence]) -> Fraction? {
        let values = items.compactMap(\.adherence)
        guard !values.isEmpty else { return nil }
        return values.reduce(.zero, +) / Fraction(values.count)
    }
}

/// The prescription in force for one exercise on one day.
struct Slot {
    var repsPerSide: Int?
    var holdCentis: Int?
    var sessionsPerWeek: Int
}

/// A patient's entries indexed by day, with the prescription resolved per day.
struct PatientView {
    let patient: PatientRecord
    let analyzer: Analyzer
    /// The first day with an entry; `dayStarts[k]..<dayStarts[k + 1]` are the entries of day
    /// `firstDay + k` (entries are sorted by day).
    let firstDay: Day
    let dayStarts: [Int32]
    let entryDays: [Day]
    let exercises: [ExerciseID]

    init(_ patient: PatientRecord, analyzer: Analyzer) {
        self.patient = patient
        self.analyzer = analyzer
        let entries = patient.entries
        var days: [Day] = []
        var starts: [Int32] = []
        let first = entries.first?.day ?? Day(raw: 0)
        if let last = entries.last?.day {
            starts.reserveCapacity(last - first + 2)
            for (i, e) in entries.enumerated() {
                while first + starts.count <= e.day { starts.append(Int32(i)) }
                if days.last != e.day { days.append(e.day) }
            }
            starts.append(Int32(entries.count))
        }
        self.firstDay = first
        self.dayStarts = starts
        self.entryDays = days
        switch patient.prescription {
        case .defaultProtocol:
            exercises = analyzer.catalog.defaultProtocol
        case .plan(let periods):
            exercises = Array(Set(periods.map(\.exercise))).sorted()
        }
    }

    /// Where the entries of `day` are in `patient.entries` (empty when none).
    @inline(__always) func range(of day: Day) -> Range<Int> {
        let k = day - firstDay
        guard k >= 0 && k + 1 < dayStarts.count else { return 0..<0 }
        return Int(dayStarts[k])..<Int(dayStarts[k + 1])
    }

    func hasEntry(_ day: Day) -> Bool { !range(of: day).isEmpty }

    func entries(on day: Day) -> ArraySlice<Entry> {
        patient.entries[range(of: day)]
    }

    /// The latest entry day on or before `day`.
    func lastEntry(onOrBefore day: Day) -> Day? {
        var lo = 0, hi = entryDays.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entryDays[mid] <= day { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? entryDays[lo - 1] : nil
    }

    /// Default protocol: active on a day with an entry that day or in the days before it
    /// (28 days in all by default).
    func defaultActive(_ day: Day) -> Bool {
        guard let last = lastEntry(onOrBefore: day) else { return false }
        return PatientView.defaultActive(lastEntry: last, on: day, dischargeDays: analyzer.thresholds.dischargeDays)
    }

    /// The default protocol's rule: active on `day` when the latest entry on or before it is
    /// fewer than `dischargeDays` days back (a series of RTM periods ends with it, too).
    static func defaultActive(lastEntry last: Day, on day: Day, dischargeDays: Int) -> Bool {
        day - last < dischargeDays
    }

    func slot(_ exercise: ExerciseID, on day: Day) -> Slot? {
        switch patient.prescription {
        case .defaultProtocol:
            guard defaultActive(day) else { return nil }
            let e = analyzer.catalog.exercises[exercise]
            return Slot(repsPerSide: e.defaultRepsPerSide, holdCentis: e.defaultHoldCentis,
                        sessionsPerWeek: analyzer.thresholds.defaultSessionsPerWeek)
        case .plan(let periods):
            var best: PlanPeriod?
            for p in periods where p.exercise == exercise && p.covers(day) {
                if best == nil || p.start >= best!.start { best = p }
            }
            return best.map { Slot(repsPerSide: $0.repsPerSide, holdCentis: $0.holdCentis, sessionsPerWeek: $0.sessionsPerWeek) }
        }
    }

    func isActiveAnyExercise(_ day: Day) -> Bool {
        exercises.contains { slot($0, on: day) != nil }
    }

    func sessionsPerWeek(in window: DayRange) -> Int? {
        var best: Int?
        for d in window {
            for e in exercises {
                if let s = slot(e, on: d) { best = max(best ?? 0, s.sessionsPerWeek) }
            }
        }
        return best
    }

    /// The dose of one day for one exercise, as an exact fraction of a session.
    func dose(_ exercise: ExerciseID, on day: Day, slot: Slot) -> Fraction {
        let parts = doseParts(exercise, on: day, slot: slot)
        return Fraction(parts.numerator, parts.denominator)
    }

    /// The dose as `numerator / denominator`, unreduced (the denominator is 2R, or 1 without a
    /// fixed target), for summing without a division per day.
    func doseParts(_ exercise: ExerciseID, on day: Day, slot: Slot) -> (numerator: Int64, denominator: Int64) {
        let rows = entries(on: day)
        guard let target = slot.repsPerSide, target > 0 else {
            return (rows.contains { $0.exercise == exercise && $0.reps > 0 } ? 1 : 0, 1)
        }
        var left = 0, right = 0
        for row in rows where row.exercise == exercise {
            if let need = slot.holdCentis, let held = row.holdCentis, held < need { continue }
            if row.side != .right { left += row.reps }
            if row.side != .left { right += row.reps }
        }
        return (Int64(min(left, target) + min(right, target)), 2 * Int64(target))
    }

    func adherence(over window: DayRange) -> [ExerciseAdherence] {
        exercises.map { e in
            // Summed exactly: sessions per week as a count of sevenths, doses in integers for
            // as long as their denominator (2R) stays the same.
            var sevenths: Int64 = 0
            var doses = Fraction.zero
            var run: (numerator: Int64, denominator: Int64) = (0, 1)
            for d in window {
                guard let s = slot(e, on: d) else { continue }
                sevenths += Int64(s.sessionsPerWeek)
                let dose = doseParts(e, on: d, slot: s)
                if dose.denominator == run.denominator {
                    run.numerator += dose.numerator
                } else {
                    doses = doses + Fraction(run.numerator, run.denominator)
                    run = dose
                }
            }
            doses = doses + Fraction(run.numerator, run.denominator)
            let expected = Fraction(sevenths, 7)
            let value: Fraction? = expected > .zero ? Fraction.min(.one, doses / expected) : nil
            return ExerciseAdherence(exercise: e, key: analyzer.catalog.exercises[e].key,
                                     expected: expected, doses: doses, adherence: value)
        }
    }

    struct Volume {
        var reps = 0, days = 0, left = 0, right = 0, otherReps = 0
    }

    func volume(over window: DayRange) -> Volume {
        var v = Volume()
        let stepUp = analyzer.catalog.volumeExercise
        for d in window {
            var dayReps = 0
            for row in entries(on: d) {
                if row.exercise == nil { v.otherReps += row.reps; continue }
                guard row.exercise == stepUp else { continue }
                dayReps += row.reps
                if row.side != .right { v.left += row.reps }
                if row.side != .left { v.right += row.reps }
            }
            v.reps += dayReps
            if dayReps > 0 { v.days += 1 }
        }
        return v
    }

    func stepUpReps(on day: Day) -> Int {
        let stepUp = analyzer.catalog.volumeExercise
        return entries(on: day).reduce(0) { $0 + ($1.exercise == stepUp && stepUp != nil ? $1.reps : 0) }
    }

    /// Least-squares slope of reps per step-up day against the day, as % of the mean per week.
    /// The label is decided with exact integer arithmetic.
    func trend(over lookBack: DayRange) -> StepUpTrend {
        var n: Int64 = 0, sx: Int64 = 0, sy: Int64 = 0, sxx: Int64 = 0, sxy: Int64 = 0
        for d in lookBack {
            let y = Int64(stepUpReps(on: d))
            guard y > 0 else { continue }
            let x = Int64(d - lookBack.first)
            n += 1; sx += x; sy += y; sxx += x * x; sxy += x * y
        }
        let t = analyzer.thresholds
        guard n >= Int64(max(2, t.minimumTrendDays)) else {
            return StepUpTrend(percentPerWeek: nil, label: .insufficientData, days: Int(n))
        }
        // slope = (n*sxy - sx*sy) / (n*sxx - sx^2) reps/day; mean = sy / n;
        // %/week = 100 * 7 * slope / mean = 700 * n * (n*sxy - sx*sy) / ((n*sxx - sx^2) * sy).
        // Exact in 64-bit integers for any real volume; past that, in floating point.
        let spreadX = n * sxx - sx * sx
        let (nsxy, o1) = n.multipliedReportingOverflow(by: sxy)
        let (sxsy, o2) = sx.multipliedReportingOverflow(by: sy)
        let (cov, o3) = nsxy.subtractingReportingOverflow(sxsy)
        let (num1, o4) = (700 * n).multipliedReportingOverflow(by: cov)
        let (den, o5) = spreadX.multipliedReportingOverflow(by: sy)
        if o1 || o2 || o3 || o4 || o5 {
            let pct = 700 * Double(n) * (Double(n) * Double(sxy) - Double(sx) * Double(sy)) / (Double(spreadX) * Double(sy))
            let label: TrendLabel = pct >= t.building.doubleValue ? .building : (pct <= -t.declining.doubleValue ? .declining : .steady)
            return StepUpTrend(percentPerWeek: pct, label: label, days: Int(n))
        }
        let pct = Fraction(num1, den)
        let label: TrendLabel = pct >= t.building ? .building : (pct <= -t.declining ? .declining : .steady)
        return StepUpTrend(percentPerWeek: pct.doubleValue, label: label, days: Int(n))
    }

    /// Hold quality of each prescribed exercise with a prescribed hold on some active day of
    /// `window`: the reps of those days' rows with a recorded hold, those held at least the
    /// day's prescribed hold, and the recorded hold weighted by reps.
    func holdQuality(over window: DayRange) -> [HoldQuality] {
        exercises.compactMap { e -> HoldQuality? in
            var q: HoldQuality?
            for d in window {
                guard let need = slot(e, on: d)?.holdCentis else { continue }
                if q == nil { q = HoldQuality(exercise: e, key: analyzer.catalog.exercises[e].key, prescribedCentis: need) }
                q!.prescribedCentis = need
                for row in entries(on: d) where row.exercise == e {
                    guard let held = row.holdCentis else { continue }
                    q!.recordedReps += row.reps
                    if held >= need { q!.heldReps += row.reps }
                    q!.holdCentiReps += Int64(held) * Int64(row.reps)
                }
            }
            return q
        }
    }

    func dayPain(_ day: Day) -> Int? {
        entries(on: day).compactMap(\.painCentis).max()
    }

    func meanPain(over range: DayRange) -> Fraction? {
        var total = 0, count = 0
        for d in range { if let p = dayPain(d) { total += p; count += 1 } }
        return count > 0 ? Fraction(Int64(total), Int64(100 * count)) : nil
    }

    func maxPain(over range: DayRange) -> Fraction? {
        range.compactMap { dayPain($0) }.max().map { Fraction(Int64($0), 100) }
    }

    /// Week by week over `range` (domain.md, "Weekly figures"): figures count the days from the
    /// patient's first active day in the range on, so weeks before it are empty and the week it
    /// falls in is partial; step-ups have figures only in a week where they were prescribed on a
    /// counted day.
    func weeks(in range: DayRange) -> [WeekFigures] {
        var result: [WeekFigures] = []
        let start = range.first(where: { isActiveAnyExercise($0) })
        let stepUp = analyzer.catalog.volumeExercise
        var monday = range.first.mondayOfWeek
        while monday <= range.last {
            let days = DayRange(monday, monday + 6).clamped(to: range)
            var week = WeekFigures(weekStart: monday, days: days, counted: nil, entryDays: nil, adherence: [], overall: nil,
                                   stepUps: nil, painMean: nil, painMax: nil)
            if let start, start <= days.last {
                let counted = DayRange(max(days.first, start), days.last)
                let adherence = adherence(over: counted)
                week.counted = counted
                week.entryDays = counted.reduce(0) { $0 + (hasEntry($1) ? 1 : 0) }
                week.adherence = adherence
                week.overall = Analyzer.overall(adherence)
                if let stepUp, exercises.contains(stepUp), counted.contains(where: { slot(stepUp, on: $0) != nil }) {
                    let v = volume(over: counted)
                    week.stepUps = WeekStepUps(reps: v.reps, left: v.left, right: v.right, days: v.days,
                                               perDay: Fraction(Int64(v.reps), Int64(counted.count)))
                }
                week.painMean = meanPain(over: counted)
                week.painMax = maxPain(over: counted)
            }
            result.append(week)
            monday = monday + 7
        }
        return result
    }
}
