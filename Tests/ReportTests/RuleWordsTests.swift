import AdherenceAnalysis
import XCTest
@testable import ReportBuilder

/// A rule's words come from what decides it: the catalog and the settings, never a copy.
final class RuleWordsTests: XCTestCase {
    /// Issue 12's example: a catalog that makes the calf stretch 15 per side and adds an
    /// exercise to the default protocol. `trend`'s plan line and the About sheet say so.
    func testTheDefaultProtocolIsSaidFromTheCatalog() {
        let standard = ExerciseCatalog.standard.exercises
        var changed = standard.map { e in
            e.key == "calf_stretch"
                ? Exercise(key: e.key, displayName: e.displayName, aliases: e.aliases, defaultRepsPerSide: 15,
                           defaultHoldCentis: e.defaultHoldCentis, inDefaultProtocol: true)
                : e
        }
        changed.append(Exercise(key: "wall_sit", displayName: "Wall sit", aliases: [], defaultRepsPerSide: 3,
                                defaultHoldCentis: 3000, inDefaultProtocol: true))
        let catalog = ExerciseCatalog(exercises: changed)
        var thresholds = Thresholds()
        thresholds.defaultSessionsPerWeek = 5
        let asOf = Day(year: 2026, month: 10, day: 31)!
        let record = PatientRecord(id: "P1", entries: [Entry(day: asOf, exercise: 0, side: .both, reps: 10)], prescription: .defaultProtocol)
        let trend = PatientTrend(record: record, asOf: asOf, weeks: 2, analyzer: Analyzer(catalog: catalog, thresholds: thresholds))
        XCTAssertEqual(trend.planText,
                       "default protocol (hip flexor stretch 10 per side, held 10 s; calf stretch 15 per side; step-ups as many as comfortable; wall sit 3 per side, held 30 s), 5 sessions/week")
        let about = RuleText.sentences(thresholds: thresholds, catalog: catalog).joined(separator: "\n")
        XCTAssertTrue(about.contains("(hip flexor stretch 10 per side, held 10 s; calf stretch 15 per side; step-ups as many as comfortable; wall sit 3 per side, held 30 s) 5 sessions a week"), about)
    }

    func testWindowsAreSaidFromTheirSettings() {
        var t = Thresholds()
        t.painHalfDays = 10
        t.monitoringDays = 28
        let about = RuleText.sentences(thresholds: t, catalog: .standard).joined(separator: "\n")
        XCTAssertTrue(about.contains("over the last 10 days of the look-back minus that over its first 10 days"), about)
        XCTAssertTrue(about.contains("in the 28 days ending on the as-of date"), about)
    }

    /// The weekly table's columns are found by what they hold: an exercise named like a figure
    /// ("Max pain") does not take the pain chart's column.
    func testWeeklyColumnsByIdentityNotByTitle() {
        let odd = ExerciseCatalog(exercises: ExerciseCatalog.standard.exercises + [
            Exercise(key: "odd", displayName: "Max pain", aliases: [], defaultRepsPerSide: 5, defaultHoldCentis: nil, inDefaultProtocol: false),
        ])
        let table = WeekTable(exercises: [0, 3], catalog: odd)
        // Week starting, Week, Days logged, Overall adherence, the two exercises, then seven figures.
        XCTAssertEqual(table.headers.count, 4 + 2 + 7)
        XCTAssertEqual(table.headers[5], "Max pain")
        XCTAssertEqual(table.column(.exercise(1)), 5)
        XCTAssertEqual(table.column(.maxPain), 12)
        XCTAssertEqual(table.headers[table.column(.maxPain)], "Max pain")
        XCTAssertEqual(table.column(.stepUpsPerDay), 7)
        XCTAssertEqual(table.categoryColumn, 1)
        for c in table.columns { XCTAssertEqual(table.headers[table.column(c)], table.title(c)) }
    }
}
