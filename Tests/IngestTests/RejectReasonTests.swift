import AdherenceAnalysis
import XCTest
@testable import SessionIngest

/// A reject reason's words carry the offending value; its category, which `check` and the
/// report group rows by, never does.
final class RejectReasonTests: XCTestCase {
    func testCategoryLeavesOutTheValueTheTextShows() {
        let v = "Zq9"
        let withValue: [RejectReason] = [
            .impossibleDate(found: v), .dateOutOfRange(found: v), .unreadableDate(found: v), .notASide(found: v),
            .sidesDisagree(column: .left, name: .right, found: v), .notSets(found: v), .notSetNumber(found: v),
            .notReps(found: v), .notDone(found: v), .notHold(found: v), .notPain(found: v),
        ]
        for why in withValue {
            XCTAssertTrue(why.text.contains("'\(v)'"), why.text)
            XCTAssertFalse(why.category.contains(v), why.category)
            XCTAssertTrue(why.text.hasPrefix(why.category), "\(why.text) / \(why.category)")
        }
        XCTAssertEqual(RejectReason.wrongFieldCount(expected: 12, found: 13).text, "wrong number of fields: expected 12, found 13")
        XCTAssertEqual(RejectReason.wrongFieldCount(expected: 12, found: 13).category, "wrong number of fields")
        XCTAssertEqual(RejectReason.wrongFieldCount(expected: 12, found: 11).category,
                       RejectReason.wrongFieldCount(expected: 9, found: 2).category)
        XCTAssertEqual(RejectReason.fieldTooLong(characters: 40_000).category, "field longer than a cell holds")
        XCTAssertEqual(RejectReason.missingReps.category, "missing reps")
        XCTAssertEqual(RejectReason.malformed(problem: "text after a closing quote").text, "malformed CSV: text after a closing quote")
    }

    /// Rows broken in different ways are rejected for the rule each breaks, first broken rule first.
    func testEachRowIsRejectedForTheFirstRuleItBreaks() throws {
        let csv = """
        patient_id,performed_at,exercise,side,sets,reps,hold_seconds,pain
        ,2026-10-01,Calf stretch,left,1,10,,
        P1,2026-10-01,Calf stretch,up,1,10,,
        P1,2026-02-30,Calf stretch,left,x,10,,
        P1,2026-10-01,Calf stretch,left,x,10,,
        P1,2026-10-01,Calf stretch,left,1,-3,,
        P1,2026-10-01,Calf stretch,left,1,10,abc,11
        P1,2026-10-01,Calf stretch,left,1,10,10,11
        P1,2026-10-01,,left,1,10,10,1

        """
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reasons-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("e.csv").path
        try csv.write(toFile: path, atomically: false, encoding: .utf8)
        let day = Day(year: 2026, month: 10, day: 31)!
        let result = SessionLogReader(options: IngestOptions(span: DayRange(day - 60, day), asOf: day))
            .read(files: [path])
        XCTAssertEqual(result.rejects.map(\.why), [
            .missingPatientID, .notASide(found: "up"), .impossibleDate(found: "2026-02-30"), .notSets(found: "x"),
            .notReps(found: "-3"), .notHold(found: "abc"), .notPain(found: "11"), .missingExercise,
        ])
        XCTAssertEqual(result.rejects.map(\.line), [2, 3, 4, 5, 6, 7, 8, 9])
    }
}
