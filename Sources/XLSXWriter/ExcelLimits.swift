/// Excel's limits, checked before calling the library so it never prints a warning.
public enum ExcelLimits {
    /// The last row (zero-based): Excel has 1,048,576 rows.
    public static let maxRow = 1_048_575
    /// The last column (zero-based): Excel has 16,384 columns (A to XFD).
    public static let maxColumn = 16_383
    /// The characters a cell holds, counted as Excel counts them (see ``textLength(_:)``).
    public static let maxStringLength = 32_767
    /// The characters of a sheet name.
    public static let maxSheetNameLength = 31
    /// The widest column, in characters.
    public static let maxColumnWidth = 255.0
    /// The tallest row, in points.
    public static let maxRowHeight = 409.0
    /// The links one sheet holds.
    public static let maxLinksPerSheet = 65_530
    /// Manual page breaks of one direction on one sheet.
    public static let maxPageBreaks = 1_023
    /// The bytes of a link's target (for a link inside the workbook, `'Sheet'!A1`).
    public static let maxLinkTargetBytes = 255

    /// The length of `text` as Excel counts it against ``maxStringLength`` and
    /// ``maxSheetNameLength``: UTF-16 code units (an emoji counts 2, as in Excel's `LEN`).
    /// libxlsxwriter counts Unicode scalars, never more than this, so text within the limit
    /// here passes the library's check too.
    public static func textLength(_ text: String) -> Int { text.utf16.count }

    /// Whether ``textLength(_:)`` of `text` is more than `limit`, without counting text whose
    /// UTF-8 bytes are already within it (a character never takes fewer UTF-8 bytes than
    /// UTF-16 units, and a native string knows its byte count without a pass).
    static func textLength(_ text: String, over limit: Int) -> Bool {
        text.utf8.count > limit && textLength(text) > limit
    }
}

/// "C4"-style name of a zero-based cell.
public func cellName(row: Int, column: Int) -> String {
    var col = column + 1
    var letters = ""
    while col > 0 {
        let r = (col - 1) % 26
        letters = String(Character(Unicode.Scalar(UInt8(65 + r)))) + letters
        col = (col - 1) / 26
    }
    return "\(letters)\(row + 1)"
}
