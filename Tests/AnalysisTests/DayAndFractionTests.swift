import XCTest
@testable import AdherenceAnalysis

final class DayAndFractionTests: XCTestCase {
    func testCalendarDates() throws {
        // 1970-01-01 is day 0; 2000-03-01 is 11,017 days later (30 years of 365 days + 7 leap days + Jan + Feb 2000 = 10957 + 31 + 29).
        XCTAssertEqual(Day(year: 1970, month: 1, day: 1)?.raw, 0)
        XCTAssertEqual(Day(year: 2000, month: 3, day: 1)?.raw, 11_017)
        XCTAssertNil(Day(year: 2026, month: 2, day: 29), "2026 is not a leap year")
        XCTAssertNotNil(Day(year: 2028, month: 2, day: 29))
        XCTAssertNil(Day(year: 2026, month: 4, day: 31))
        XCTAssertNil(Day(year: 2026, month: 13, day: 1))
        // Round trip over several years, one day at a time.
        var d = try XCTUnwrap(Day(year: 1999, month: 12, day: 25))
        for _ in 0..<3000 {
            let c = d.civil
            XCTAssertEqual(Day(year: c.year, month: c.month, day: c.day), d)
            d = d + 1
        }
    }

    func testWeekdaysAndWeeks() throws {
        // 1 October 2026 is a Thursday; its ISO week starts on Monday 28 September.
        let oct1 = try XCTUnwrap(Day(iso: "2026-10-01"))
        XCTAssertEqual(oct1.isoWeekday, 4)
        XCTAssertEqual(oct1.mondayOfWeek.description, "2026-09-28")
        XCTAssertEqual(try XCTUnwrap(Day(iso: "2026-10-05")).mondayOfWeek.description, "2026-10-05")
        XCTAssertEqual(try XCTUnwrap(Day(iso: "2026-10-04")).isoWeekday, 7)
        // Excel's serial day of 2026-10-31: 1970-01-01 is serial 25,569, and 2026-10-31 is
        // 20,757 days after it: 1970..2025 is 56*365 + 14 leap days = 20,454 days, and 2026 has
        // 273 days before October plus 30 before the 31st = 303.
        let oct31 = try XCTUnwrap(Day(iso: "2026-10-31"))
        XCTAssertEqual(oct31.raw, 20_757)
        XCTAssertEqual(oct31.excelSerial, 46_326)
    }

    func testMonths() throws {
        let m = try XCTUnwrap(Month("2026-02"))
        XCTAssertEqual(m.days.count, 28)
        XCTAssertEqual(m.previous.description, "2026-01")
        XCTAssertEqual(try XCTUnwrap(Month("2026-01")).previous.description, "2025-12")
        XCTAssertNil(Month("2026-13"))
        XCTAssertNil(Month("26-01"))
    }

    func testFractionsAreExact() {
        XCTAssertEqual(Fraction(1, 3) + Fraction(1, 6), Fraction(1, 2))
        XCTAssertEqual(Fraction(2, 4), Fraction(1, 2))
        XCTAssertEqual(Fraction(3, -6), Fraction(-1, 2))
        XCTAssertEqual(Fraction(7, 10) - Fraction(1, 10), Fraction(3, 5))
        XCTAssertEqual(Fraction(4, 5) / Fraction(2, 1), Fraction(2, 5))
        // 0.1 added ten times is exactly 1 here (it is not in floating point).
        var sum = Fraction.zero
        for _ in 0..<10 { sum = sum + Fraction(1, 10) }
        XCTAssertEqual(sum, .one)
        XCTAssertTrue(Fraction(80, 100) >= Fraction(4, 5))
        XCTAssertFalse(Fraction(79_999, 100_000) >= Fraction(4, 5))
        // Comparisons never overflow.
        XCTAssertTrue(Fraction(Int64.max - 1, Int64.max) < Fraction(1))
    }
}

/// The one number formatter: every threshold and figure in words goes through it.
final class NumberTextTests: XCTestCase {
    func testPlainDropsOnlyATrailingPointZero() {
        XCTAssertEqual(NumberText.plain(Fraction(10)), "10")
        XCTAssertEqual(NumberText.plain(Fraction(15, 2)), "7.5")
        XCTAssertEqual(NumberText.plain(Fraction(1, 4)), "0.25")
        XCTAssertEqual(NumberText.plain(2.0), "2")
        XCTAssertEqual(NumberText.plain(-0.5), "-0.5")
    }

    func testOneDecimalRoundsAndDropsPointZero() {
        XCTAssertEqual(NumberText.oneDecimal(5.46), "5.5")
        XCTAssertEqual(NumberText.oneDecimal(6.04), "6")
        XCTAssertEqual(NumberText.oneDecimal(0.25), "0.2")  // %.1f rounds half to even on binary 0.25
    }

    func testOneDecimalDownNeverRoundsUpAndCutsTowardZero() {
        XCTAssertEqual(NumberText.oneDecimalDown(Fraction(996, 100)), "9.9")  // a 9.96 s hold is not the 10 s prescribed
        XCTAssertEqual(NumberText.oneDecimalDown(Fraction(6)), "6")
        XCTAssertEqual(NumberText.oneDecimalDown(Fraction(-156, 100)), "-1.5")
        XCTAssertEqual(NumberText.oneDecimalDown(Fraction(-1, 2)), "-0.5")
    }
}
