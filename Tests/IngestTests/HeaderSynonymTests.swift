import XCTest
@testable import SessionIngest

/// Each header name means one column: a synonym added for a new shape (done, left/right
/// reps, set number) must never take a header another column already answers to.
final class HeaderSynonymTests: XCTestCase {
    func testNoHeaderNameAnswersToTwoColumns() {
        var owner: [String: Column] = [:]
        for c in Column.allCases {
            for name in [c.rawValue] + c.synonyms {
                let key = HeaderMatcher.normalize(name)
                if let other = owner[key], other != c { XCTFail("'\(name)' answers to \(other.rawValue) and \(c.rawValue)") }
                owner[key] = c
            }
        }
    }

    func testEveryCanonicalHeaderAndItsCommonSynonymsAreRead() {
        let m = HeaderMatcher()
        XCTAssertEqual(m.column(for: "Performed"), .performedAt)
        XCTAssertEqual(m.column(for: "Set #"), .setNumber)
        XCTAssertEqual(m.column(for: "Reps (L)"), .repsLeft)
        XCTAssertEqual(m.column(for: "Right reps"), .repsRight)
        XCTAssertEqual(m.column(for: "Done"), .done)
        XCTAssertNil(m.column(for: "Set"), "a bare 'Set' is settled by the user, never guessed")
    }
}
