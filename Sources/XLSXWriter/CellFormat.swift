/// How a cell looks: number format, font, fill, alignment. Value type; the workbook turns
/// each distinct format into one libxlsxwriter format.
public struct CellFormat: Hashable, Sendable {
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
}

/// A conditional-format rule over a range.
public enum ConditionalRule: Sendable {
    /// Applies `format` where the formula, written for the top-left cell, is true.
    case formula(String)
}
