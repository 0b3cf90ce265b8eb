/// How a sheet prints: orientation, scale, margins, the rows and columns repeated on every page,
/// and a footer. Value type, applied with ``Worksheet/setPageSetup(_:)``, which checks it.
///
/// The paper is left to the printer (A4 or Letter, whichever it has): a report that must print
/// legibly on both chooses its columns for the narrower page and its page breaks for the shorter
/// one, and prints at a fixed scale, never "fit to page", which shrinks the text to whatever size
/// the widest row needs (and makes Excel ignore manual page breaks).
public struct PageSetup: Sendable, Equatable {
    public var landscape: Bool
    /// Percent of the sheet's size, 10 to 400 (Excel's range).
    public var scale: Int
    /// Margins in inches, 0 to 10 each; the footer sits `footerMargin` from the bottom edge.
    public var left: Double, right: Double, top: Double, bottom: Double, footerMargin: Double
    /// Rows printed at the top of every page (a table's header).
    public var repeatRows: ClosedRange<Int>?
    /// Columns printed at the left of every page (a patient's id and name, when a table is wider
    /// than a page).
    public var repeatColumns: ClosedRange<Int>?
    /// The columns that print (all, when nil): a sheet wider than a page can print the columns
    /// that matter on paper instead of shrinking them all.
    public var printColumns: ClosedRange<Int>?
    /// The footer in Excel's codes: `&L`, `&C`, `&R` start the left, centre and right parts,
    /// `&P` is the page number, `&N` the number of pages, `&A` the sheet's name. Plain text goes
    /// through ``PageSetup/literal(_:)`` first. At most 255 characters.
    public var footer: String?

    public init(landscape: Bool = false, scale: Int = 100, left: Double = 0.7, right: Double = 0.7, top: Double = 0.75,
                bottom: Double = 0.75, footerMargin: Double = 0.3, repeatRows: ClosedRange<Int>? = nil,
                repeatColumns: ClosedRange<Int>? = nil, printColumns: ClosedRange<Int>? = nil, footer: String? = nil) {
        self.landscape = landscape
        self.scale = scale
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
        self.footerMargin = footerMargin
        self.repeatRows = repeatRows
        self.repeatColumns = repeatColumns
        self.printColumns = printColumns
        self.footer = footer
    }

    /// `text` as it prints in a footer: `&` doubled, so it is never read as a code.
    public static func literal(_ text: String) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).joined(separator: "&&")
    }

    /// The characters a header or footer holds in Excel.
    public static let maxFooterLength = 255

    /// Why Excel cannot print with this setup, or nil.
    var problem: String? {
        if !(10...400).contains(scale) { return "a print scale is 10 to 400 percent, not \(scale)" }
        for (name, m) in [("left", left), ("right", right), ("top", top), ("bottom", bottom), ("footer", footerMargin)]
        where !(m.isFinite && m >= 0 && m <= 10) {
            return "the \(name) margin \(m) is not 0 to 10 inches"
        }
        return nil
    }
}

/// In-cell bars: each cell of a range gets a bar as long as its value's share of the range
/// from `minimum` to `maximum` (conditional-format data bars; the number stays readable on top).
public struct DataBars: Sendable, Equatable {
    /// The bar's colour, 0xRRGGBB.
    public var color: UInt32
    /// Where a bar starts: this value, or (nil) the lowest value in the range.
    public var minimum: Double?
    /// Where a bar is full: this value, or (nil) the highest value in the range.
    public var maximum: Double?

    public init(color: UInt32, minimum: Double? = 0, maximum: Double? = nil) {
        self.color = color
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Why Excel cannot draw these bars, or nil.
    var problem: String? {
        if color > 0xFFFFFF { return "the colour \(color) is not 0xRRGGBB" }
        if minimum?.isFinite == false || maximum?.isFinite == false { return "a bar's bound must be a number" }
        if let lo = minimum, let hi = maximum, lo >= hi { return "the minimum \(lo) is not below the maximum \(hi)" }
        return nil
    }
}
