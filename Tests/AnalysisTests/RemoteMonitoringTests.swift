import XCTest
@testable import AdherenceAnalysis

/// Remote-monitoring (RTM) periods (domain.md, "Remote-monitoring periods (RTM)"), each case
/// worked out by hand in the comments: consecutive 30-day periods from the start of monitoring,
/// data days = distinct days with any entry, 16-30 days meets 98977, 2-15 meets 98985, a period
/// reported in the month it ends (month to date: ended by the as-of date).
final class RemoteMonitoringTests: XCTestCase, RuleCase {
    let analyzer = Analyzer()

    func month(_ m: String) -> DayRange { Month(m)!.days }
    func days(_ from: String, _ to: String) -> [String] { DayRange(day(from), day(to)).map(\.description) }
    func period(_ from: String, _ to: String, _ n: Int, _ code: String?) -> RTMPeriod {
        RTMPeriod(start: day(from), end: day(to), dataDays: n, code: code)
    }

    func periods(_ p: PatientRecord, _ window: DayRange, earlier: EarlierEntryDays = .wholeHistory,
                 analyzer: Analyzer? = nil, file: StaticString = #filePath, line: UInt = #line) -> [RTMPeriod] {
        switch (analyzer ?? self.analyzer).rtmPeriods(p, endingIn: window, earlier: earlier) {
        case .periods(let p): return p
        case .needsEarlierDays:
            XCTFail("the start of monitoring should be known", file: file, line: line)
            return []
        }
    }

    /// A plan starting 2026-08-03 (open) gives the periods
    ///   1: 08-03 .. 09-01 (29 days of August from the 3rd, and 1 September: 30 days),
    ///   2: 09-02 .. 10-01,
    ///   3: 10-02 .. 10-31.
    /// Entries: 08-02 (before the plan: in no period); 08-03 .. 08-18 (16 days; three rows on
    /// 08-05 count as one day); 09-10 and 09-20 (2 days); 10-15 (1 day).
    /// So period 1 has exactly 16 data days (98977), period 2 exactly 2 (98985), period 3 one
    /// (no code). Period 1 ends on 1 September: September's report; periods 2 and 3 both end in
    /// October: two periods in one month.
    func planPatient() -> PatientRecord {
        var entries = [entry("2026-08-02", step, reps: 5)]
        entries += days("2026-08-03", "2026-08-18").map { entry($0, step, reps: 10) }
        entries += [entry("2026-08-05", hip, reps: 10, hold: 10), entry("2026-08-05", nil, reps: 3),
                    entry("2026-09-10", calf, reps: 10), entry("2026-09-20", step, reps: 8), entry("2026-10-15", step, reps: 8)]
        return PatientRecord(id: "PLAN", entries: entries,
                             prescription: .plan([plan(step, reps: nil, from: "2026-08-03"), plan(hip, reps: 10, hold: 10, from: "2026-08-10")]))
    }

    func testPlanPatientAcrossThreePeriodsWithExactly16AndExactly2DataDays() {
        let p = planPatient()
        XCTAssertEqual(periods(p, month("2026-08")), [], "period 1 ends on 1 September")
        XCTAssertEqual(periods(p, month("2026-09")), [period("2026-08-03", "2026-09-01", 16, "98977")])
        XCTAssertEqual(periods(p, month("2026-10")), [period("2026-09-02", "2026-10-01", 2, "98985"),
                                                      period("2026-10-02", "2026-10-31", 1, nil)])
    }

    func testMonthToDateListsOnlyPeriodsEndedByTheAsOfDate() {
        // October to the 30th: period 3 (10-02 .. 10-31) has not ended yet.
        let p = planPatient()
        XCTAssertEqual(periods(p, DayRange(day("2026-10-01"), day("2026-10-30"))), [period("2026-09-02", "2026-10-01", 2, "98985")])
        // To the 1st: period 2 ends that very day.
        XCTAssertEqual(periods(p, DayRange(day("2026-10-01"), day("2026-10-01"))), [period("2026-09-02", "2026-10-01", 2, "98985")])
    }

    func testEntriesAfterTheAsOfDateDoNotKeepASeriesGoing() {
        // Default protocol, entries 09-01 and 10-20. As of 10-15 the series that began 09-01 is
        // discharged from 09-29 (09-01 + 28): period 09-01 .. 09-30 only (1 day, no code), then
        // nothing; the 10-20 entry (after the as-of date; a report never reads it, but a record
        // may hold it) does not count.
        let p = PatientRecord(id: "A", entries: [entry("2026-09-01", step, reps: 1), entry("2026-10-20", step, reps: 1)],
                              prescription: .defaultProtocol)
        XCTAssertEqual(periods(p, DayRange(day("2026-09-01"), day("2026-09-30"))), [period("2026-09-01", "2026-09-30", 1, nil)])
        XCTAssertEqual(periods(p, DayRange(day("2026-10-01"), day("2026-10-15"))), [])
    }

    func testAPlanPeriodIsListedWhileAPlanRowIsInForceOnOneOfItsDays() {
        // Plan 09-07 .. 09-20 (like a short plan ending before October). Periods: 09-07 .. 10-06
        // (a plan row in force on 09-07 .. 09-20: listed in October, though the patient is not
        // active in October), 10-07 .. 11-05 (no plan day: not listed). Data days: 09-07 .. 09-20
        // (14) and 10-01 (logged after the plan ended: still a day with an entry) = 15 -> 98985.
        let p = PatientRecord(id: "SHORT", entries: days("2026-09-07", "2026-09-20").map { entry($0, step, reps: 10) }
                                + [entry("2026-10-01", step, reps: 10)],
                              prescription: .plan([plan(step, reps: nil, from: "2026-09-07", to: "2026-09-20")]))
        XCTAssertFalse(analyzer.isActive(p, in: month("2026-10")))
        XCTAssertEqual(periods(p, month("2026-10")), [period("2026-09-07", "2026-10-06", 15, "98985")])
        XCTAssertEqual(periods(p, month("2026-11")), [])
    }

    func testAPlanThatNeverStartedHasPeriodsWithoutData() {
        // Plan from 10-01, nothing logged: 10-01 .. 10-30 with 0 data days, no code.
        let p = PatientRecord(id: "NEVER", entries: [], prescription: .plan([plan(step, reps: nil, from: "2026-10-01")]))
        XCTAssertEqual(periods(p, month("2026-10")), [period("2026-10-01", "2026-10-30", 0, nil)])
    }

    /// Default protocol, discharged and back:
    ///   series 1: first logged day 07-01, entries 07-01, 07-05, 07-10; active while the last
    ///     entry is under 28 days back: to 07-10 + 27 = 08-06; discharged 08-07.
    ///     Periods 07-01 .. 07-30 (3 data days: 98985), 07-31 .. 08-29 (began 07-31, before the
    ///     discharge: listed; its own series' days: none, no code). The next would begin 08-30,
    ///     after the discharge: none.
    ///   series 2: the next entry, 08-20, starts a new series (08-07 .. 08-19 inactive). Entries
    ///     08-20 .. 09-08 every day: 12 in August + 8 in September = 20 days. Period 08-20 .. 09-18:
    ///     20 data days, 98977. (08-20 .. 08-29 are also inside series 1's last period; they count
    ///     in series 2's only.) Its next period, 09-19 .. 10-18, began before that series'
    ///     discharge (09-08 + 28 = 10-06): listed in October, with no data day.
    func testDefaultProtocolPatientDischargedAndBackStartsANewSeries() {
        let entries = ["2026-07-01", "2026-07-05", "2026-07-10"].map { entry($0, step, reps: 10) }
            + days("2026-08-20", "2026-09-08").map { entry($0, calf, reps: 10) }
        let p = PatientRecord(id: "BACK", entries: entries, prescription: .defaultProtocol)
        XCTAssertEqual(periods(p, month("2026-07")), [period("2026-07-01", "2026-07-30", 3, "98985")])
        XCTAssertEqual(periods(p, month("2026-08")), [period("2026-07-31", "2026-08-29", 0, nil)])
        XCTAssertEqual(periods(p, month("2026-09")), [period("2026-08-20", "2026-09-18", 20, "98977")])
        XCTAssertEqual(periods(p, month("2026-10")), [period("2026-09-19", "2026-10-18", 0, nil)])
        XCTAssertEqual(periods(p, month("2026-11")), [])
    }

    func testTwentyEightDaysWithoutAnEntryDischargeTwentySevenDoNot() {
        // 01-01 and 01-29: on 01-28 the last entry is 27 days back, still active: one series.
        // 01-01 .. 01-30 has 2 data days: 98985.
        let same = PatientRecord(id: "A", entries: [entry("2026-01-01", step, reps: 1), entry("2026-01-29", step, reps: 1)],
                                 prescription: .defaultProtocol)
        XCTAssertEqual(periods(same, month("2026-01")), [period("2026-01-01", "2026-01-30", 2, "98985")])
        // 01-01 and 01-30: on 01-29, 28 days have passed with no entry: discharged, and 01-30
        // starts a new series. 01-01 .. 01-30 counts its own series' day only: 1, no code; the
        // new series' first period, 01-30 .. 02-28, has 1 too.
        let restarted = PatientRecord(id: "B", entries: [entry("2026-01-01", step, reps: 1), entry("2026-01-30", step, reps: 1)],
                                      prescription: .defaultProtocol)
        XCTAssertEqual(periods(restarted, month("2026-01")), [period("2026-01-01", "2026-01-30", 1, nil)])
        XCTAssertEqual(periods(restarted, month("2026-02")), [period("2026-01-30", "2026-02-28", 1, nil)])
    }

    func testASeriesThatBeganBeforeTheDaysKnownAsksForThem() {
        // Entries from 09-20 every other day to 10-30; the report kept entries from 09-10 on. An
        // entry between 08-23 (09-20 - 28) and 09-09 would extend the series back: unknown.
        let entries = stride(from: 0, through: 40, by: 2).map { entry((day("2026-09-20") + $0).description, step, reps: 10) }
        let p = PatientRecord(id: "LONG", entries: entries, prescription: .defaultProtocol)
        XCTAssertEqual(analyzer.rtmPeriods(p, endingIn: month("2026-10"), earlier: EarlierEntryDays(knownFrom: day("2026-09-10"))),
                       .needsEarlierDays)
        // Kept from 08-23 on: nothing in the 28 days before 09-20, so the series starts 09-20.
        // Period 09-20 .. 10-19: 09-20, 09-22, ..., 10-18 = 15 days (98985).
        XCTAssertEqual(periods(p, month("2026-10"), earlier: EarlierEntryDays(knownFrom: day("2026-08-23"))),
                       [period("2026-09-20", "2026-10-19", 15, "98985")])
        // With the earlier days: one on 08-25 (26 days before 09-20: the same series) after one on
        // 06-01 (a series of its own, discharged long before). The series starts 08-25: periods
        // 08-25 .. 09-23 and 09-24 .. 10-23, the latter ending in October with 09-24, ..., 10-22 = 15
        // days (98985).
        let earlier = EarlierEntryDays(knownFrom: nil, days: [day("2026-06-01"), day("2026-08-25")])
        XCTAssertEqual(periods(p, month("2026-10"), earlier: earlier), [period("2026-09-24", "2026-10-23", 15, "98985")])
        // A plan patient never needs them: the plan says when monitoring began.
        let planned = PatientRecord(id: "P", entries: entries, prescription: .plan([plan(step, reps: nil, from: "2026-09-20")]))
        XCTAssertEqual(periods(planned, month("2026-10"), earlier: EarlierEntryDays(knownFrom: day("2026-09-10"))),
                       [period("2026-09-20", "2026-10-19", 15, "98985")])
    }

    func testCodesAndPeriodLengthAreSettings() {
        // A payer with 28-day periods and one code from 12 days. Plan from 10-01: 10-01 .. 10-28,
        // entries 10-01 .. 10-12 (12 days: X1), then 10-29 .. 11-25 with 11 days (none).
        var t = Thresholds()
        t.rtmPeriodDays = 28
        t.rtmCodes = [RTMCode("X1", minimumDays: 12)]
        let a = Analyzer(thresholds: t)
        let p = PatientRecord(id: "P", entries: days("2026-10-01", "2026-10-12").map { entry($0, step, reps: 1) }
                                + days("2026-11-01", "2026-11-11").map { entry($0, step, reps: 1) },
                              prescription: .plan([plan(step, reps: nil, from: "2026-10-01")]))
        XCTAssertEqual(periods(p, month("2026-10"), analyzer: a), [period("2026-10-01", "2026-10-28", 12, "X1")])
        XCTAssertEqual(periods(p, month("2026-11"), analyzer: a), [period("2026-10-29", "2026-11-25", 11, nil)])
        XCTAssertEqual(RemoteMonitoringRule.ranges(t).map(\.code), ["X1"])
        XCTAssertEqual(RemoteMonitoringRule.ranges(t).map(\.days), [12...28])
    }

    func testTheRuleAndItsWordsComeFromOnePlace() {
        let t = Thresholds()
        XCTAssertEqual(RemoteMonitoringRule.code(dataDays: 30, thresholds: t), "98977")
        XCTAssertEqual(RemoteMonitoringRule.code(dataDays: 16, thresholds: t), "98977")
        XCTAssertEqual(RemoteMonitoringRule.code(dataDays: 15, thresholds: t), "98985")
        XCTAssertEqual(RemoteMonitoringRule.code(dataDays: 2, thresholds: t), "98985")
        XCTAssertNil(RemoteMonitoringRule.code(dataDays: 1, thresholds: t))
        XCTAssertNil(RemoteMonitoringRule.code(dataDays: 0, thresholds: t))
        let sentence = RemoteMonitoringRule.sentence(t)
        for words in ["consecutive 30-day periods", "16-30 data days meets code 98977", "2-15 data days meets code 98985",
                      "fewer than 2 meets none", "a new series"] {
            XCTAssertTrue(sentence.contains(words), "\(words): \(sentence)")
        }
    }

    func testGroupFiguresCountUrgencyShareAdherentAndTheMedian() {
        // Overall 0.9 (adherent), exactly 0.8 (adherent), 0.5, none (no session expected): share
        // adherent 2 of the 3 with a figure; median of 0.5, 0.8, 0.9 = 0.8.
        let g = GroupFigures(overall: [Fraction(9, 10), Fraction(8, 10), Fraction(1, 2), nil],
                             urgency: [nil, .review, .callNow, .notLogging], thresholds: Thresholds())
        XCTAssertEqual([g.patients, g.callNow, g.review, g.notLogging, g.onTrack], [4, 1, 1, 1, 1])
        XCTAssertEqual(g.shareAdherent, Fraction(2, 3))
        XCTAssertEqual(g.medianOverall, Fraction(8, 10))
        // Even count: the mean of the middle two, (0.5 + 0.8) / 2 = 0.65.
        XCTAssertEqual(GroupFigures(overall: [Fraction(1, 2), Fraction(8, 10)], thresholds: Thresholds()).medianOverall, Fraction(13, 20))
        // Nobody with a figure: empty, not 0.
        let none = GroupFigures(overall: [nil], thresholds: Thresholds())
        XCTAssertNil(none.shareAdherent)
        XCTAssertNil(none.medianOverall)
    }
}
