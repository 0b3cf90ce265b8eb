/// A calendar day, as written in the export (the patient's local date), with no time zone.
///
/// Stored as the number of days since 1970-01-01 so that day arithmetic is integer
/// arithmetic; conversions use the proleptic Gregorian calendar (H. Hinnant's
/// `days_from_civil`), never a `DateFormatter`.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var raw: Int32

    public init(raw: Int32) { self.raw = raw }

    /// The day for a valid calendar date, or `nil` for an impossible one (31 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysInMonth(year: year, month: month) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        raw = Int32(era * 146_097 + doe - 719_468)
    }

    /// Year, month (1-12) and day of month.
    public var civil: (year: Int, month: Int, day: Int) {
        let z = Int(raw) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = (Int(raw) + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// The Monday on or before this day (start of its ISO week).
    public var mondayOfWeek: Day { self - (isoWeekday - 1) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = civil
        return "\(Day.pad(c.year, 4))-\(Day.pad(c.month, 2))-\(Day.pad(c.day, 2))"
    }

    /// The Excel serial number of this day (1900 date system), for date cells.
    public var excelSerial: Double { Double(Int(raw) + 25_569) }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func + (lhs: Day, rhs: Int) -> Day { Day(raw: lhs.raw + Int32(rhs)) }
    public static func - (lhs: Day, rhs: Int) -> Day { Day(raw: lhs.raw - Int32(rhs)) }
    public static func - (lhs: Day, rhs: Day) -> Int { Int(lhs.raw - rhs.raw) }
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.raw < rhs.raw }

    /// Parses `YYYY-MM-DD` exactly (used for options and plan dates).
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// An inclusive range of days.
public struct DayRange: Hashable, Sendable, Sequence, CustomStringConvertible {
    public var first: Day
    public var last: Day

    public init(_ first: Day, _ last: Day) {
        self.first = first
        self.last = last
    }

    public var count: Int { Swift.max(0, last - first + 1) }
    public var isEmpty: Bool { last < first }
    public func contains(_ day: Day) -> Bool { first <= day && day <= last }

    public func clamped(to other: DayRange) -> DayRange {
        DayRange(Swift.max(first, other.first), Swift.min(last, other.last))
    }

    public func makeIterator() -> AnyIterator<Day> {
        var next = first
        let end = last
        return AnyIterator {
            guard next <= end else { return nil }
            defer { next = next + 1 }
            return next
        }
    }

    public var description: String { "\(first)..\(last)" }
}

/// A calendar month, as `YYYY-MM`.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    /// The month a day falls in (days before 1900 count as January 1900, the earliest month
    /// a report can cover).
    public init(containing day: Day) {
        let c = day.civil
        year = max(c.year, 1900)
        month = c.year < 1900 ? 1 : c.month
    }

    public var firstDay: Day { Day(year: year, month: month, day: 1)! }
    public var lastDay: Day { Day(year: year, month: month, day: Day.daysInMonth(year: year, month: month))! }
    public var days: DayRange { DayRange(firstDay, lastDay) }
    /// The month before (January 1900 has none before it: itself).
    public var previous: Month { Month(containing: firstDay - 1) }
    public var description: String { "\(Day.pad(year, 4))-\(Day.pad(month, 2))" }
    public static func < (lhs: Month, rhs: Month) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}
