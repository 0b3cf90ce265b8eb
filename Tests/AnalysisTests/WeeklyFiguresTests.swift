import XCTest
@testable import AdherenceAnalysis

/// Weekly figures (docs/RULES.md, "Weekly figures"), each case worked out by hand: empty before
/// the patient's start, partial weeks counted over their days and compared per day, no step-up
/// figures in a week step-ups were not prescribed. Calendar: Monday 5 October 2026; Thursday 8
/// October; Wednesday 14 October.
final class WeeklyFiguresTests: XCTestCase, RuleCase {
    let analyzer = Analyzer()

    func days(_ from: String, _ to: String) -> [String] { DayRange(day(from), day(to)).map(\.description) }

    func testAMidWeekStartIsEmptyBeforeAndPartialInItsFirstWeek() {
        // Default protocol, first entry Thursday 8 October, every day to the 14th: hip 10 `both`
        // held 10 s, calf 10, step-ups 10 a day to Sunday 11th, 12 a day from Monday 12th.
        let entries = days("2026-10-08", "2026-10-14").flatMap { d in
            [entry(d, hip, reps: 10, hold: 10), entry(d, calf, reps: 10), entry(d, step, reps: d < "2026-10-12" ? 10 : 12)]
        }
        let p = PatientRecord(id: "A", entries: entries, prescription: .defaultProtocol)
        let weeks = analyzer.weeks(p, in: DayRange(day("2026-09-28"), day("2026-10-14")))
        XCTAssertEqual(weeks.map(\.weekStart.description), ["2026-09-28", "2026-10-05", "2026-10-12"])

        // Week of 28 Sep: before the first active day (8 Oct): no figure at all, not 0.
        let before = weeks[0]
        XCTAssertTrue(before.isBeforeStart)
        XCTAssertFalse(before.isPartial)
        XCTAssertEqual(before.daysCounted, 0)
        XCTAssertNil(before.entryDays)
        XCTAssertNil(before.overall)
        XCTAssertEqual(before.adherence, [])
        XCTAssertNil(before.stepUps)
        XCTAssertNil(before.painMax)

        // Week of 5 Oct: counts 8-11 Oct, 4 of 7 days. Expected 7 x 4 / 7 = 4 sessions per
        // exercise, 4 full doses: 100%. Step-ups 4 x 10 = 40 (a `both` row counts on each side:
        // 40 left, 40 right), 10 a day, 10 per step-up day.
        let start = weeks[1]
        XCTAssertEqual(start.counted, DayRange(day("2026-10-08"), day("2026-10-11")))
        XCTAssertTrue(start.isPartial)
        XCTAssertEqual(start.entryDays, 4)
        XCTAssertEqual(start.adherence.map(\.expected), [Fraction(4), Fraction(4), Fraction(4)])
        XCTAssertEqual(start.overall, .one)
        XCTAssertEqual(start.stepUps, WeekStepUps(reps: 40, left: 40, right: 40, days: 4, perDay: Fraction(10)))
        XCTAssertEqual(start.stepUps?.perSession, Fraction(10))

        // Week of 12 Oct, cut at the 14th: 3 of 7 days. Step-ups 3 x 12 = 36: fewer than the 40
        // of the week before, but 12 a day against 10: building, not falling.
        let last = weeks[2]
        XCTAssertEqual(last.counted, DayRange(day("2026-10-12"), day("2026-10-14")))
        XCTAssertTrue(last.isPartial)
        XCTAssertEqual(last.daysCounted, 3)
        XCTAssertEqual(last.stepUps?.reps, 36)
        XCTAssertEqual(last.stepUps?.perDay, Fraction(12))
        XCTAssertEqual(last.overall, .one)
    }

    func testStepUpsHaveFiguresOnlyInAWeekTheyArePrescribed() {
        // Plan: calf 10/side from Monday 28 Sep, step-ups added from Wednesday 7 Oct. Step-ups
        // logged on 29 Sep anyway (20) and on 7 and 8 Oct (15 each).
        let p = PatientRecord(id: "B", entries: [
            entry("2026-09-29", calf, reps: 10), entry("2026-09-29", step, reps: 20),
            entry("2026-10-07", step, reps: 15), entry("2026-10-08", step, reps: 15),
        ], prescription: .plan([plan(calf, reps: 10, from: "2026-09-28"), plan(step, reps: nil, from: "2026-10-07")]))
        let weeks = analyzer.weeks(p, in: DayRange(day("2026-09-28"), day("2026-10-11")))
        // Week of 28 Sep: step-ups not prescribed on any day: no step-up figures (the 20 reps
        // are not a figure of an exercise the patient was not asked to do). Calf: 1 of 7 doses.
        XCTAssertNil(weeks[0].stepUps)
        XCTAssertEqual(weeks[0].overall, Fraction(1, 7))
        XCTAssertFalse(weeks[0].isPartial, "the plan started on its Monday: a whole week")
        // Week of 5 Oct: prescribed from the 7th; the week's figures count all 7 days (the
        // patient's start was 28 Sep): 30 reps, 30/7 a day, 15 per step-up day.
        XCTAssertEqual(weeks[1].stepUps?.reps, 30)
        XCTAssertEqual(weeks[1].stepUps?.perDay, Fraction(30, 7))
        XCTAssertEqual(weeks[1].stepUps?.perSession, Fraction(15))
        // A plan without step-ups at all: no step-up figures in any week.
        let calfOnly = PatientRecord(id: "C", entries: [entry("2026-10-01", calf, reps: 10)],
                                     prescription: .plan([plan(calf, reps: 10, from: "2026-09-28")]))
        XCTAssertTrue(analyzer.weeks(calfOnly, in: DayRange(day("2026-09-28"), day("2026-10-11"))).allSatisfy { $0.stepUps == nil })
    }

    func testAPatientActiveBeforeTheRangeHasWholeWeeks() {
        // Default protocol, last entry 20 Sep: active through 17 Oct (27 days later). From 28 Sep
        // every week counts in full: real zeros (a stop), not empty weeks.
        let p = PatientRecord(id: "D", entries: [entry("2026-09-20", step, reps: 20)], prescription: .defaultProtocol)
        let weeks = analyzer.weeks(p, in: DayRange(day("2026-09-28"), day("2026-10-11")))
        XCTAssertEqual(weeks.map(\.daysCounted), [7, 7])
        XCTAssertEqual(weeks.map(\.entryDays), [0, 0])
        XCTAssertEqual(weeks.map { $0.stepUps?.reps }, [0, 0])
        XCTAssertEqual(weeks.map(\.overall), [.zero, .zero])
    }
}
