/// How a cell looks: number format, font, fill, alignment. Value type; the workbook turns
/// each distinct format into one libxlsxwriter format the first time a cell uses it, and
/// checks it then: colours are 0xRRGGBB, a font size is 1 to 409 points.
public struct CellFormat: Hashable, Sendable {
    /// An Excel number format such as `0.0%` or `yyyy-mm-dd` (nil: General).
    public var numberFormat: String?
    public var bold = false
    public var italic = false
    public var fontColor: UInt32?
    public var background: UInt32?
    public var wrap = false
    public var alignTop = false
    public var bottomBorder = false
    public var fontSize: Double?

    public init(numberFormat: String? = nil, bold: Bool = false, italic: Bool = false, fontColor: UInt32? = nil,
                background: UInt32? = nil, wrap: Bool = false, alignTop: Bool = false, bottomBorder: Bool = false,
                fontSize: Double? = nil) {
        self.numberFormat = numberFormat
        self.bold = bold
        self.italic = italic
        self.fontColor = fontColor
        self.background = background
        self.wrap = wrap
        self.alignTop = alignTop
        self.bottomBorder = bottomBorder
        self.fontSize = fontSize
    }

    /// Why Excel cannot show this format, or nil.
    var problem: String? {
        if let c = fontColor, c > 0xFFFFFF { return "the font colour \(c) is not 0xRRGGBB" }
        if let c = background, c > 0xFFFFFF { return "the background colour \(c) is not 0xRRGGBB" }
        if let s = fontSize, !(s >= 1 && s <= 409) { return "the font size \(s) is not 1 to 409 points" }
        return nil
    }

    public static let plain = CellFormat()
    public static let percent = CellFormat(numberFormat: "0%")
    public static let date = CellFormat(numberFormat: "yyyy-mm-dd")
    public static let integer = CellFormat(numberFormat: "0")
    public static let decimal1 = CellFormat(numberFormat: "0.0")
    public static let header = CellFormat(bold: true, background: 0xDDE7F0, wrap: true, alignTop: true, bottomBorder: true)
}

/// A calendar date for a date cell: written as Excel's serial day number, never converted
/// through a time zone.
public struct CalendarDate: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether this is a day of the calendar that Excel can show (1900 to 9999).
    var isExcelDay: Bool {
        guard (1900...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}

/// A conditional-format rule over a range.
public enum ConditionalRule: Sendable {
    /// Applies `format` where the formula, written for the top-left cell, is true.
    case formula(String)
}
