import XCTest
@testable import AdherenceAnalysis

/// Hold quality, engagement, days since the last entry, urgency, the latest note and the day of
/// the highest pain (docs/RULES.md), each on a small case worked out by hand, with the edges of
/// every threshold.
final class ClinicalRulesTests: XCTestCase, RuleCase {
    let analyzer = Analyzer()

    /// October to date: the 1st to `asOf`.
    func window(_ asOf: String) -> DayRange { DayRange(day("2026-10-01"), day(asOf)) }

    /// Full doses of all three default exercises (hip held 10 s) on each day of `days`.
    func fullDays(_ days: [String]) -> [Entry] {
        days.flatMap { [entry($0, hip, reps: 10, hold: 10), entry($0, calf, reps: 10), entry($0, step, reps: 20)] }
    }

    func dates(_ from: String, _ to: String) -> [String] { DayRange(day(from), day(to)).map(\.description) }

    // MARK: Hold quality

    func testHoldQualityCountsRecordedHoldsAndWeightsTheMeanByReps() {
        // 10-01: hip 10 left and 10 right held 6 s (20 reps, none held the 10 s).
        // 10-02: hip 4 `both` held 12 s (4 reps, held; a `both` row's reps count once) and
        //        6 `both` with no recorded hold (left out of hold quality).
        // 10-03: hip 0 reps held 20 s (no reps: adds nothing).
        // Recorded 20 + 4 = 24 reps, held 4: share 4/24 = 1/6;
        // mean (20 x 6 + 4 x 12) / 24 = 168 / 24 = 7 s.
        let p = PatientRecord(id: "A", entries: [
            entry("2026-10-01", hip, .left, reps: 10, hold: 6), entry("2026-10-01", hip, .right, reps: 10, hold: 6),
            entry("2026-10-02", hip, reps: 4, hold: 12), entry("2026-10-02", hip, reps: 6),
            entry("2026-10-03", hip, reps: 0, hold: 20), entry("2026-10-03", calf, reps: 10),
        ], prescription: .defaultProtocol)
        let f = analyzer.analyze(p, window: window("2026-10-31"))
        XCTAssertEqual(f.holdQuality.map(\.key), ["hip_flexor_stretch"], "only the exercise with a prescribed hold")
        let q = f.holdQuality[0]
        XCTAssertEqual(q.recordedReps, 24)
        XCTAssertEqual(q.heldReps, 4)
        XCTAssertEqual(q.shareHeld, Fraction(1, 6))
        XCTAssertEqual(q.meanHoldSeconds, Fraction(7))
        XCTAssertEqual(q.prescribedSeconds, Fraction(10))
        XCTAssertTrue(f.needsAttention.contains(.holdsShort), "24 reps >= 10, 1/6 < 1/2")
    }

    func testHoldIsComparedWithThePrescriptionOfItsDay() {
        // Hold 10 s to 10-15, then 15 s from 10-16. 10 reps held 12 s on 10-10 (held) and on 10-20
        // (short of 15 s): share 10/20 = 1/2, mean 12 s; the prescription shown is the latest, 15 s.
        let p = PatientRecord(id: "A", entries: [entry("2026-10-10", hip, reps: 10, hold: 12), entry("2026-10-20", hip, reps: 10, hold: 12)],
                              prescription: .plan([plan(hip, reps: 10, hold: 10, from: "2026-09-01", to: "2026-10-15"),
                                                   plan(hip, reps: 10, hold: 15, from: "2026-10-16")]))
        let q = analyzer.analyze(p, window: window("2026-10-31")).holdQuality
        XCTAssertEqual(q.count, 1)
        XCTAssertEqual(q[0].shareHeld, Fraction(1, 2))
        XCTAssertEqual(q[0].meanHoldSeconds, Fraction(12))
        XCTAssertEqual(q[0].prescribedSeconds, Fraction(15))
    }

    func testNoHoldFiguresWithoutARecordedHoldOrAPrescribedOne() {
        // Hip prescribed with a hold but logged without one: figures empty (not 0). Calf has no
        // hold prescribed: no hold quality at all. A hip plan row without a hold: none either.
        let withHold = PatientRecord(id: "A", entries: [entry("2026-10-02", hip, reps: 10), entry("2026-10-02", calf, reps: 10, hold: 30)],
                                     prescription: .plan([plan(hip, reps: 10, hold: 10, from: "2026-10-01"), plan(calf, reps: 10, from: "2026-10-01")]))
        let q = analyzer.analyze(withHold, window: window("2026-10-31")).holdQuality
        XCTAssertEqual(q.map(\.key), ["hip_flexor_stretch"])
        XCTAssertNil(q[0].shareHeld)
        XCTAssertNil(q[0].meanHoldSeconds)
        let noHold = PatientRecord(id: "B", entries: [entry("2026-10-02", hip, reps: 10, hold: 3)],
                                   prescription: .plan([plan(hip, reps: 10, from: "2026-10-01")]))
        XCTAssertEqual(analyzer.analyze(noHold, window: window("2026-10-31")).holdQuality, [])
    }

    func testHoldsShortNeedsTenRecordedRepsAndUnderHalfHeld() {
        // One day's hip rows (default protocol, 10 s), the rest of the programme done in full.
        func reasons(held: Int, short: Int) -> [AttentionReason] {
            var entries = [entry("2026-10-05", calf, reps: 10), entry("2026-10-05", step, reps: 20)]
            if held > 0 { entries.append(entry("2026-10-05", hip, reps: held, hold: 10)) }
            if short > 0 { entries.append(entry("2026-10-05", hip, reps: short, hold: 9)) }
            return analyzer.analyze(PatientRecord(id: "A", entries: entries, prescription: .defaultProtocol),
                                    window: window("2026-10-05")).needsAttention
        }
        XCTAssertFalse(reasons(held: 0, short: 9).contains(.holdsShort), "9 reps: too few to judge")
        XCTAssertTrue(reasons(held: 0, short: 10).contains(.holdsShort), "10 reps, 0 held")
        XCTAssertFalse(reasons(held: 5, short: 5).contains(.holdsShort), "exactly half held is not under half")
        XCTAssertTrue(reasons(held: 4, short: 6).contains(.holdsShort), "4/10 held")
    }

    // MARK: Engagement and days since the last entry

    func testNeverStartedOnceThePlanHasRunSevenDaysCountingItsFirst() {
        let p = PatientRecord(id: "A", entries: [], prescription: .plan([plan(calf, reps: 10, from: "2026-10-03")]))
        // 10-03..10-08 is 6 days: not yet. Active, with no entry: no "stopped" either.
        let early = analyzer.analyze(p, window: window("2026-10-08"))
        XCTAssertEqual(early.engagement, .active)
        XCTAssertEqual(early.needsAttention, [.lowAdherence(Fraction(1, 2))])
        XCTAssertEqual(early.urgency, .review)
        XCTAssertNil(early.daysSinceLastEntry)
        XCTAssertEqual(early.planStart, day("2026-10-03"))
        // 10-03..10-09 is 7 days: never started, a call now.
        let due = analyzer.analyze(p, window: window("2026-10-09"))
        XCTAssertEqual(due.engagement, .neverStarted)
        XCTAssertEqual(due.needsAttention, [.lowAdherence(Fraction(1, 2)), .neverStarted])
        XCTAssertEqual(due.urgency, .callNow)
        // An entry before the plan is still an entry: logged, so not never started (stopped instead).
        let logged = PatientRecord(id: "B", entries: [entry("2026-09-20", calf, reps: 10)],
                                   prescription: .plan([plan(calf, reps: 10, from: "2026-10-03")]))
        XCTAssertEqual(analyzer.analyze(logged, window: window("2026-10-09")).engagement, .stopped)
    }

    func testStoppedAfterSevenDaysWithoutAnEntry() {
        // Default protocol, logged 09-25..10-01. On 10-07 the last entry is 6 days back (10-01 is
        // inside 10-01..10-07): active. On 10-08 it is 7 days back: stopped.
        let p = PatientRecord(id: "A", entries: fullDays(dates("2026-09-25", "2026-10-01")), prescription: .defaultProtocol)
        let active = analyzer.analyze(p, window: window("2026-10-07"))
        XCTAssertEqual(active.engagement, .active)
        XCTAssertEqual(active.daysSinceLastEntry, 6)
        XCTAssertFalse(active.needsAttention.contains(.noRecentEntry(days: 7)))
        let stopped = analyzer.analyze(p, window: window("2026-10-08"))
        XCTAssertEqual(stopped.engagement, .stopped)
        XCTAssertEqual(stopped.daysSinceLastEntry, 7)
        XCTAssertTrue(stopped.needsAttention.contains(.noRecentEntry(days: 7)))
    }

    func testDischargedWhenNoLongerActive() {
        // Default protocol, last entry 09-15: active while fewer than 28 days have passed, so
        // through 10-12 (27 days: stopped) and discharged from 10-13 (28 days).
        let p = PatientRecord(id: "A", entries: fullDays(dates("2026-09-01", "2026-09-15")), prescription: .defaultProtocol)
        XCTAssertEqual(analyzer.analyze(p, window: window("2026-10-12")).engagement, .stopped)
        let gone = analyzer.analyze(p, window: window("2026-10-13"))
        XCTAssertEqual(gone.engagement, .discharged)
        XCTAssertFalse(gone.needsAttention.contains(.noRecentEntry(days: 7)), "a discharged patient has not stopped")
        // A plan that ended on 10-10, logged to its end: discharged on 10-31, 21 days back.
        let ended = PatientRecord(id: "B", entries: dates("2026-10-01", "2026-10-10").map { entry($0, calf, reps: 10) },
                                  prescription: .plan([plan(calf, reps: 10, from: "2026-10-01", to: "2026-10-10")]))
        let f = analyzer.analyze(ended, window: window("2026-10-31"))
        XCTAssertEqual(f.engagement, .discharged)
        XCTAssertEqual(f.daysSinceLastEntry, 21)
        XCTAssertEqual(f.needsAttention, [], "10 of 10 expected sessions done")
        XCTAssertNil(f.urgency)
    }

    // MARK: Urgency

    func testStoppedIsACallNowUpTo28DaysBackThenNotLogging() {
        // Open plan from 09-01 (calf 10/side), one entry on 09-02. On 09-30 it is 28 days back:
        // stopped, a call now. On 10-01 it is 29 days back: not logging.
        let p = PatientRecord(id: "A", entries: [entry("2026-09-02", calf, reps: 10)],
                              prescription: .plan([plan(calf, reps: 10, from: "2026-09-01")]))
        let sept = analyzer.analyze(p, window: DayRange(day("2026-09-01"), day("2026-09-30")))
        XCTAssertEqual(sept.daysSinceLastEntry, 28)
        XCTAssertEqual(sept.needsAttention, [.lowAdherence(Fraction(1, 2)), .noRecentEntry(days: 7)])
        XCTAssertEqual(sept.urgency, .callNow)
        let oct = analyzer.analyze(p, window: window("2026-10-01"))
        XCTAssertEqual(oct.daysSinceLastEntry, 29)
        // September 1/30 (1 dose of 30 expected), October 0/1: down 3 points, not 20.
        XCTAssertEqual(oct.needsAttention, [.lowAdherence(Fraction(1, 2)), .noRecentEntry(days: 7)])
        XCTAssertEqual(oct.urgency, .notLogging)
    }

    func testPainCallsNowEvenWhenTheLastEntryIsLongPast() {
        // Open calf plan from 09-01; one entry on 10-01 with pain 6. On 10-31 it is 30 days back
        // (more than 28), but pain above 5 in the window is a call now, and comes first.
        let p = PatientRecord(id: "A", entries: [entry("2026-10-01", calf, reps: 10, pain: 6)],
                              prescription: .plan([plan(calf, reps: 10, from: "2026-09-01")]))
        let f = analyzer.analyze(p, window: window("2026-10-31"))
        XCTAssertEqual(f.daysSinceLastEntry, 30)
        XCTAssertTrue(f.needsAttention.contains(.painAboveCeiling(Fraction(5))))
        XCTAssertEqual(f.urgency, .callNow)
    }

    func testReviewWhenNoReasonCallsNowAndTheLastEntryIsRecent() {
        // Default protocol, discharged with the last entry exactly 28 days back (09-15 to 10-13):
        // low adherence and a drop, but 28 is not more than 28: review, not "not logging".
        let p = PatientRecord(id: "A", entries: fullDays(dates("2026-09-01", "2026-09-15")), prescription: .defaultProtocol)
        let f = analyzer.analyze(p, window: window("2026-10-13"))
        XCTAssertEqual(f.daysSinceLastEntry, 28)
        XCTAssertEqual(f.needsAttention, [.lowAdherence(Fraction(1, 2)), .droppedSinceLastMonth(Fraction(1, 5))])
        XCTAssertEqual(f.urgency, .review)
    }

    func testUrgencyOrderAndWords() {
        XCTAssertEqual(Urgency.allCases.sorted(), [.callNow, .review, .notLogging])
        XCTAssertEqual(Urgency.allCases.map(\.rawValue), ["call now", "review", "not logging"])
        XCTAssertEqual(Engagement.allCases.map(\.rawValue), ["active", "stopped", "never started", "discharged"])
        // Every reason, with the default thresholds, in the order listed in RULES.md.
        XCTAssertEqual(AttentionReason.all(Thresholds()).map(\.text), [
            "adherence below 50%", "adherence down 20+ points vs last month", "no entry in last 7 days", "never started",
            "step-ups declining", "pain up 2+ points", "pain above 5", "holds short",
        ])
    }

    func testThresholdsAreSettings() {
        // never started after 3 days, not logging after 10, holds short under 80% with 5 reps.
        var t = Thresholds()
        t.neverStartedDays = 3
        t.notLoggingDays = 10
        t.holdsShortShare = Fraction(4, 5)
        t.holdsShortMinimumReps = 5
        let a = Analyzer(thresholds: t)
        let never = PatientRecord(id: "A", entries: [], prescription: .plan([plan(calf, reps: 10, from: "2026-10-01")]))
        XCTAssertEqual(a.analyze(never, window: window("2026-10-03")).engagement, .neverStarted, "10-01..10-03 is 3 days")
        // Open plan, last entry 10-01: on 10-12, 11 days back: stopped but not logging (over 10).
        let gone = PatientRecord(id: "B", entries: [entry("2026-10-01", calf, reps: 10)],
                                 prescription: .plan([plan(calf, reps: 10, from: "2026-10-01")]))
        XCTAssertEqual(a.analyze(gone, window: window("2026-10-12")).urgency, .notLogging)
        // 5 hip reps, 3 held: 3/5 = 60% < 80%: holds short.
        let holds = PatientRecord(id: "C", entries: [entry("2026-10-01", hip, reps: 3, hold: 10), entry("2026-10-01", hip, reps: 2, hold: 5)],
                                  prescription: .defaultProtocol)
        XCTAssertTrue(a.analyze(holds, window: window("2026-10-01")).needsAttention.contains(.holdsShort))
    }

    // MARK: Notes and the day of the highest pain

    func testLatestNoteOnlyWhenWrittenInTheWindow() {
        let entries = [entry("2026-10-12", calf, reps: 10)]
        let inside = PatientRecord(id: "A", entries: entries, prescription: .defaultProtocol,
                                   latestNote: Note(day: day("2026-10-12"), text: "knee sore after step-ups"))
        XCTAssertEqual(analyzer.analyze(inside, window: window("2026-10-31")).latestNote?.text, "knee sore after step-ups")
        let before = PatientRecord(id: "B", entries: entries, prescription: .defaultProtocol,
                                   latestNote: Note(day: day("2026-09-30"), text: "off on holiday"))
        XCTAssertNil(analyzer.analyze(before, window: window("2026-10-31")).latestNote)
    }

    func testMaxPainDayIsTheLatestDayWithTheHighestRating() {
        // Pain 6 on 10-02, 7 on 10-05 and 10-09, 3 on 10-10: highest 7, latest on 10-09.
        let p = PatientRecord(id: "A", entries: [
            entry("2026-10-02", calf, reps: 10, pain: 6), entry("2026-10-05", calf, reps: 10, pain: 7),
            entry("2026-10-09", calf, reps: 10, pain: 7), entry("2026-10-10", calf, reps: 10, pain: 3),
        ], prescription: .defaultProtocol)
        let f = analyzer.analyze(p, window: window("2026-10-31"))
        XCTAssertEqual(f.maxPain, Fraction(7))
        XCTAssertEqual(f.maxPainDay, day("2026-10-09"))
    }
}
