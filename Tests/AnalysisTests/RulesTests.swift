import XCTest
@testable import AdherenceAnalysis

/// Each rule of docs/RULES.md on a small case worked out by hand.
final class RulesTests: XCTestCase, RuleCase {
    let analyzer = Analyzer()

    var october: DayRange { Month("2026-10")!.days }

    // MARK: Dose

    func testDoseCapsEachSideAndAveragesLeftAndRight() {
        // Target 10 per side; 10 left and 5 right: (10/10 + 5/10) / 2 = 3/4.
        let slot = Slot(repsPerSide: 10, holdCentis: nil, sessionsPerWeek: 7)
        let p = PatientRecord(id: "A", entries: [entry("2026-10-01", calf, .left, reps: 10), entry("2026-10-01", calf, .right, reps: 5)],
                              prescription: .defaultProtocol)
        let v = PatientView(p, analyzer: analyzer)
        XCTAssertEqual(v.dose(calf, on: day("2026-10-01"), slot: slot), Fraction(3, 4))
        // 25 left (capped at 10) and a 4-rep `both` row (counts on each side): left 10, right 4 -> 14/20.
        let q = PatientRecord(id: "B", entries: [entry("2026-10-01", calf, .left, reps: 25), entry("2026-10-01", calf, reps: 4)],
                              prescription: .defaultProtocol)
        XCTAssertEqual(PatientView(q, analyzer: analyzer).dose(calf, on: day("2026-10-01"), slot: slot), Fraction(7, 10))
    }

    func testShortHoldsDoNotQualifyAndUnrecordedHoldsDo() {
        // Hold 10 s prescribed. 10 both held 8 s (not counted), 6 both held 10 s, 2 both with no hold: 8 per side -> 8/10.
        let slot = Slot(repsPerSide: 10, holdCentis: 1000, sessionsPerWeek: 7)
        let p = PatientRecord(id: "A", entries: [
            entry("2026-10-02", hip, reps: 10, hold: 8), entry("2026-10-02", hip, reps: 6, hold: 10), entry("2026-10-02", hip, reps: 2),
        ], prescription: .defaultProtocol)
        XCTAssertEqual(PatientView(p, analyzer: analyzer).dose(hip, on: day("2026-10-02"), slot: slot), Fraction(4, 5))
    }

    func testStepUpsWithoutTargetAreAFullDoseWithOneRep() {
        let slot = Slot(repsPerSide: nil, holdCentis: nil, sessionsPerWeek: 7)
        let p = PatientRecord(id: "A", entries: [entry("2026-10-03", step, .left, reps: 1), entry("2026-10-04", step, reps: 0)],
                              prescription: .defaultProtocol)
        let v = PatientView(p, analyzer: analyzer)
        XCTAssertEqual(v.dose(step, on: day("2026-10-03"), slot: slot), .one)
        XCTAssertEqual(v.dose(step, on: day("2026-10-04"), slot: slot), .zero, "a day of 0 reps is no dose")
    }

    // MARK: Adherence

    func testAdherenceIsDosesOverExpectedSessionsCappedAtOne() {
        // Calf target 10, 3 sessions a week, plan covering October 1-14: expected 3 x 14 / 7 = 6.
        // Four full days and one half day (5 per side): 4.5 / 6 = 3/4.
        var entries = ["2026-10-01", "2026-10-03", "2026-10-06", "2026-10-09"].map { entry($0, calf, reps: 10) }
        entries.append(entry("2026-10-12", calf, reps: 5))
        entries.append(entry("2026-10-20", calf, reps: 10)) // after the plan ended: not counted
        let p = PatientRecord(id: "A", entries: entries,
                              prescription: .plan([plan(calf, reps: 10, perWeek: 3, from: "2026-10-01", to: "2026-10-14")]))
        let f = analyzer.analyze(p, window: october)
        XCTAssertEqual(f.adherence.count, 1)
        XCTAssertEqual(f.adherence[0].expected, Fraction(6))
        XCTAssertEqual(f.adherence[0].adherence, Fraction(3, 4))
        XCTAssertEqual(f.overall, Fraction(3, 4))
        XCTAssertEqual(f.band, .partial)
        XCTAssertEqual(f.sessionsPerWeek, 3)
        // Doing it daily over a 3-a-week plan still counts as 100%, not more.
        let daily = PatientRecord(id: "B", entries: (1...14).map { entry(String(format: "2026-10-%02d", $0), calf, reps: 10) },
                                  prescription: .plan([plan(calf, reps: 10, perWeek: 3, from: "2026-10-01", to: "2026-10-14")]))
        XCTAssertEqual(analyzer.analyze(daily, window: october).overall, .one)
    }

    func testExactlyEightyPercentIsAdherentWhateverTheRowOrder() {
        // Step-ups only, 7 a week, October 1-10 (10 days): step-ups on 8 of them -> 8/10 = 80% exactly.
        let days = [1, 2, 3, 4, 6, 7, 9, 10].map { String(format: "2026-10-%02d", $0) }
        var entries = days.map { entry($0, step, reps: 12) }
        entries.reverse()
        let p = PatientRecord(id: "A", entries: entries,
                              prescription: .plan([plan(step, reps: nil, perWeek: 7, from: "2026-10-01", to: "2026-10-10")]))
        let f = analyzer.analyze(p, window: october)
        XCTAssertEqual(f.overall, Fraction(4, 5))
        XCTAssertEqual(f.band, .adherent)
        XCTAssertFalse(f.needsAttention.contains(.lowAdherence(Fraction(1, 2))))
    }

    func testOverallIsTheMeanOfExercisesWithSessionsExpected() {
        // Hip: plan only in September (nothing expected in October, so left out of the mean).
        // Calf: 7 a week all October, done every day -> 1. Step-ups: 7 a week, done on the 16 odd days -> 16/31.
        var entries = (1...31).map { entry(String(format: "2026-10-%02d", $0), calf, reps: 10) }
        entries += (1...31).filter { $0 % 2 == 1 }.map { entry(String(format: "2026-10-%02d", $0), step, reps: 20) } // 16 odd days
        let p = PatientRecord(id: "A", entries: entries, prescription: .plan([
            plan(hip, reps: 10, hold: 10, perWeek: 7, from: "2026-09-01", to: "2026-09-30"),
            plan(calf, reps: 10, perWeek: 7), plan(step, reps: nil, perWeek: 7),
        ]))
        let f = analyzer.analyze(p, window: october)
        XCTAssertNil(f.adherence.first { $0.exercise == hip }?.adherence, "nothing expected: empty, not 0")
        XCTAssertEqual(f.adherence.first { $0.exercise == step }?.adherence, Fraction(16, 31))
        // (1 + 16/31) / 2 = 47/62.
        XCTAssertEqual(f.overall, Fraction(47, 62))
        XCTAssertEqual(f.expectedSessions, Fraction(31))
        // Session days: 31 days with an entry / 31 expected = 1.
        XCTAssertEqual(f.sessionDays, .one)
    }

    func testLaterPlanRowWinsWhereTwoOverlap() {
        // Calf 10 per side until it changes on 10-16 to 5 per side; the new row starts on the 16th.
        // 5 reps per side every day: Oct 1-15 dose 1/2 each (7.5), Oct 16-31 dose 1 each (16) -> 23.5/31 = 47/62.
        let entries = (1...31).map { entry(String(format: "2026-10-%02d", $0), calf, reps: 5) }
        let p = PatientRecord(id: "A", entries: entries, prescription: .plan([
            plan(calf, reps: 10, perWeek: 7, from: "2026-09-01"), plan(calf, reps: 5, perWeek: 7, from: "2026-10-16"),
        ]))
        XCTAssertEqual(analyzer.analyze(p, window: october).overall, Fraction(47, 62))
    }

    // MARK: Default protocol

    func testDefaultProtocolStartsOnFirstEntryAndEndsAfter28QuietDays() {
        // One full session on October 1 and nothing else: active October 1-28 (the entry day and
        // the 27 after it), so 28 expected sessions per exercise and 1 done: 1/28 each.
        let p = PatientRecord(id: "A", entries: [
            entry("2026-10-01", hip, reps: 10, hold: 10), entry("2026-10-01", calf, reps: 10), entry("2026-10-01", step, reps: 8),
        ], prescription: .defaultProtocol)
        let f = analyzer.analyze(p, window: october)
        XCTAssertEqual(f.expectedSessions, Fraction(28))
        XCTAssertEqual(f.overall, Fraction(1, 28))
        XCTAssertEqual(f.sessionDays, Fraction(1, 28))
        XCTAssertFalse(f.activeOnLastDay, "discharged by the 31st")
        XCTAssertFalse(f.needsAttention.contains(.noRecentEntry(days: 7)))
        XCTAssertTrue(f.needsAttention.contains(.lowAdherence(Fraction(1, 2))))
        // Seen on the 28th it is still active with nothing in the last 7 days.
        let mid = analyzer.analyze(p, window: DayRange(day("2026-10-01"), day("2026-10-28")))
        XCTAssertTrue(mid.needsAttention.contains(.noRecentEntry(days: 7)))
        XCTAssertTrue(analyzer.isActive(p, in: october))
        XCTAssertFalse(analyzer.isActive(p, in: Month("2026-11")!.days), "not in November's report")
    }

    func testPatientWhoStoppedInSeptemberIsStillInOctoberWithZero() {
        // Daily from September 1 to 20: active until October 17 (20 + 27). October: 17 expected, 0 done.
        var entries: [Entry] = []
        for d in 1...20 {
            let s = String(format: "2026-09-%02d", d)
            entries += [entry(s, hip, reps: 10, hold: 10), entry(s, calf, reps: 10), entry(s, step, reps: 10)]
        }
        let p = PatientRecord(id: "A", entries: entries, prescription: .defaultProtocol)
        let f = analyzer.analyze(p, window: october)
        XCTAssertEqual(f.expectedSessions, Fraction(17))
        XCTAssertEqual(f.overall, .zero)
        // September: 30 days all active, 20 full days: 2/3. Change: 0 - 2/3.
        XCTAssertEqual(f.previousOverall, Fraction(2, 3))
        XCTAssertEqual(f.changeVsLastMonth, Fraction(-2, 3))
        XCTAssertEqual(f.lastEntry?.description, "2026-09-20")
        XCTAssertEqual(f.needsAttention.map(\.text), ["adherence below 50%", "adherence down 20+ points vs last month"])
    }

    // MARK: Step-ups

    func testTrendIsTheLeastSquaresSlopeAsPercentOfMeanPerWeek() {
        // Weekly step-up days at x = 0, 7, 14, 21 days with 10, 12, 14, 16 reps: slope 2/7 reps a day
        // = 2 reps a week; mean 13; 2/13 = 15.3846...%/week: building.
        let start = day("2026-10-31") - 41
        let p = PatientRecord(id: "A", entries: [10, 12, 14, 16].enumerated().map { i, reps in
            Entry(day: start + 7 * i, exercise: step, side: .both, reps: reps)
        }, prescription: .defaultProtocol)
        let f = analyzer.analyze(p, window: october)
        XCTAssertEqual(f.trend.percentPerWeek!, 200.0 / 13.0, accuracy: 1e-9)
        XCTAssertEqual(f.trend.label, .building)
        XCTAssertEqual(f.trend.days, 4)
        // The same reversed is declining, and the patient needs attention for it.
        let q = PatientRecord(id: "B", entries: [16, 14, 12, 10].enumerated().map { i, reps in
            Entry(day: start + 7 * i, exercise: step, side: .both, reps: reps)
        }, prescription: .defaultProtocol)
        let g = analyzer.analyze(q, window: october)
        XCTAssertEqual(g.trend.percentPerWeek!, -200.0 / 13.0, accuracy: 1e-9)
        XCTAssertEqual(g.trend.label, .declining)
        XCTAssertTrue(g.needsAttention.contains(.stepUpsDeclining))
    }

    func testTrendOfExactlyTwoPercentIsBuildingAndThreeDaysIsInsufficient() {
        // 97, 99, 101, 103 reps a week apart: +2 reps/week on a mean of 100 = exactly +2%/week.
        let start = day("2026-10-31") - 41
        let p = PatientRecord(id: "A", entries: [97, 99, 101, 103].enumerated().map { i, reps in
            Entry(day: start + 7 * i, exercise: step, side: .both, reps: reps)
        }, prescription: .defaultProtocol)
        XCTAssertEqual(analyzer.analyze(p, window: october).trend.label, .building)
        let q = PatientRecord(id: "B", entries: [97, 99, 101].enumerated().map { i, reps in
            Entry(day: start + 7 * i, exercise: step, side: .both, reps: reps)
        }, prescription: .defaultProtocol)
        let g = analyzer.analyze(q, window: october)
        XCTAssertEqual(g.trend.label, .insufficientData)
        XCTAssertNil(g.trend.percentPerWeek)
    }

    /// A plan without step-ups has no step-up figures (not 0 reps and "insufficient data",
    /// which read as a patient who is not doing them); a plan that adds step-ups on the last
    /// day of the look-back has them.
    func testStepUpFiguresOnlyWhenStepUpsArePrescribed() {
        let calfOnly = PatientRecord(id: "A", entries: [entry("2026-10-05", calf, reps: 20)],
                                     prescription: .plan([plan(calf, reps: 10, perWeek: 7, from: "2026-09-01", to: nil)]))
        let f = analyzer.analyze(calfOnly, window: october)
        XCTAssertFalse(f.stepUpsPrescribed)
        XCTAssertEqual(f.trend.label, .notPrescribed)
        XCTAssertNil(f.trend.percentPerWeek)
        let addedLate = PatientRecord(id: "B", entries: [entry("2026-10-05", calf, reps: 20)],
                                      prescription: .plan([plan(calf, reps: 10, perWeek: 7, from: "2026-09-01", to: nil),
                                                           plan(step, reps: nil, perWeek: 7, from: "2026-10-31", to: nil)]))
        let g = analyzer.analyze(addedLate, window: october)
        XCTAssertTrue(g.stepUpsPrescribed)
        XCTAssertEqual(g.trend.label, .insufficientData)  // no step-up day at all
    }

    func testVolumeAndSideBalance() {
        // Left 30, right 20, and a 10-rep `both` row: 60 reps in all; left 40, right 30; balance 3/4.
        // One rep-less day does not count as a step-up day: 2 step-up days, 30 a day.
        let p = PatientRecord(id: "A", entries: [
            entry("2026-10-05", step, .left, reps: 30), entry("2026-10-05", step, .right, reps: 20),
            entry("2026-10-06", step, reps: 10), entry("2026-10-07", step, reps: 0),
            entry("2026-10-07", nil, reps: 15),
        ], prescription: .defaultProtocol)
        let f = analyzer.analyze(p, window: october)
        XCTAssertEqual(f.stepUpReps, 60)
        XCTAssertEqual(f.stepUpLeft, 40)
        XCTAssertEqual(f.stepUpRight, 30)
        XCTAssertEqual(f.sideBalance, Fraction(3, 4))
        XCTAssertEqual(f.stepUpDays, 2)
        XCTAssertEqual(f.repsPerStepUpDay, Fraction(30))
        XCTAssertEqual(f.otherReps, 15, "reps of an exercise the catalog does not know")
        // Weeks: October 5-7 is one ISO week (Monday 5th).
        let week = f.weeks.first { $0.weekStart.description == "2026-10-05" }
        XCTAssertEqual(week?.stepUps?.reps, 60)
        XCTAssertEqual(week?.entryDays, 3)
    }

    // MARK: Pain and attention

    func testPainChangeMaxAndReasons() {
        // Look-back for October 31: Sept 20 - Oct 31. First 14 days (Sept 20 - Oct 3) rated 2 and 4
        // (mean 3); last 14 days (Oct 18-31) rated 5 and, on one day, 4 then 6 (that day's pain is 6):
        // mean (5 + 6) / 2 = 5.5. Change +2.5: a rise. Max in October 6: above 5.
        let p = PatientRecord(id: "A", entries: [
            entry("2026-09-21", step, reps: 10, pain: 2), entry("2026-10-02", step, reps: 10, pain: 4),
            entry("2026-10-10", step, reps: 10), entry("2026-10-20", step, reps: 10, pain: 5),
            entry("2026-10-29", step, reps: 10, pain: 4), entry("2026-10-29", calf, reps: 10, pain: 6),
        ], prescription: .defaultProtocol)
        let f = analyzer.analyze(p, window: october)
        XCTAssertEqual(f.painChange, Fraction(5, 2))
        XCTAssertEqual(f.maxPain, Fraction(6))
        XCTAssertTrue(f.needsAttention.contains(.painRising(Fraction(2))))
        XCTAssertTrue(f.needsAttention.contains(.painAboveCeiling(Fraction(5))))
        XCTAssertEqual(AttentionReason.painRising(Fraction(2)).text, "pain up 2+ points")
        // Pain of exactly 5 is not above 5; a change needs both halves rated.
        let q = PatientRecord(id: "B", entries: [entry("2026-10-20", step, reps: 10, pain: 5)], prescription: .defaultProtocol)
        let g = analyzer.analyze(q, window: october)
        XCTAssertNil(g.painChange)
        XCTAssertFalse(g.needsAttention.contains(.painAboveCeiling(Fraction(5))))
    }

    func testMonitoringDaysCountDistinctDaysInThe30EndingOnAsOf() {
        // Entries on Oct 1 (outside Oct 2-31), Oct 2, and twice on Oct 31: 2 days.
        let p = PatientRecord(id: "A", entries: [
            entry("2026-10-01", calf, reps: 10), entry("2026-10-02", calf, reps: 10),
            entry("2026-10-31", calf, reps: 10), entry("2026-10-31", step, reps: 10),
        ], prescription: .defaultProtocol)
        XCTAssertEqual(analyzer.analyze(p, window: october).monitoringDays, 2)
    }

    func testThresholdsAreConfigurable() {
        var t = Thresholds()
        t.adherent = Fraction(90, 100)
        t.lowAdherence = Fraction(60, 100)
        XCTAssertEqual(Band(Fraction(85, 100), thresholds: t), .partial)
        XCTAssertEqual(Band(Fraction(85, 100), thresholds: Thresholds()), .adherent)
        // 55%: not low by default, low with the threshold at 60%.
        let days = (1...31).filter { $0 <= 17 }.map { String(format: "2026-10-%02d", $0) }
        let p = PatientRecord(id: "A", entries: days.map { entry($0, step, reps: 5) } + [entry("2026-10-31", nil, reps: 1)],
                              prescription: .plan([plan(step, reps: nil, perWeek: 7, from: "2026-10-01", to: "2026-10-31")]))
        XCTAssertEqual(analyzer.analyze(p, window: october).overall, Fraction(17, 31))
        XCTAssertEqual(analyzer.analyze(p, window: october).needsAttention, [])
        XCTAssertEqual(Analyzer(thresholds: t).analyze(p, window: october).needsAttention.map(\.text), ["adherence below 60%"])
    }

    func testSpanCoversEverythingTheRulesLookAt() {
        // October: previous month from Sept 1, look-back from Sept 20, weeks from Monday Sept 14..
        // The earliest is Sept 1; the default protocol looks 27 days further back: Aug 5.
        let span = analyzer.span(for: october)
        XCTAssertEqual(span.first.description, "2026-08-05")
        XCTAssertEqual(span.last.description, "2026-10-31")
    }
}
