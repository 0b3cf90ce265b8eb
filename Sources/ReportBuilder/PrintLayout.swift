import XLSXWriter

/// The printed page the workbooks are laid out for, and the sizes of text in it.
///
/// A workbook must print legibly on A4 and on Letter, in Excel and in LibreOffice alike, so:
/// - it prints at 100%, never "fit to page" (which shrinks the text to whatever the widest row
///   needs: 3.5 pt on a wide Summary); columns are chosen for the narrower page width (Letter
///   landscape, A4 portrait) and page breaks for the shorter page height (A4 landscape, Letter
///   portrait). What does not fit a page's width goes to the next page, with the first columns
///   repeated;
/// - every column has an explicit width, and every row whose text wraps an explicit height,
///   worked out here from the widths of the Calibri (Excel) and Carlito (LibreOffice, metric
///   compatible) letters, so neither program has to guess a height (LibreOffice and Excel guess
///   differently, and a guess too small prints one line over the next).
enum PrintLayout {
    /// Margins, in inches: left and right, top, bottom, and the footer's distance from the edge.
    static let side = 0.3, top = 0.5, bottom = 0.6, footer = 0.25

    /// The width a page prints, in pixels at 96 per inch: the narrower of A4 and Letter, less
    /// the margins.
    static func pageWidth(landscape: Bool) -> Double { ((landscape ? 11.0 : 8.27) - 2 * side) * 96 }

    /// The height a page prints, in points: the shorter of A4 and Letter, less the margins (the
    /// footer prints inside the bottom one) and `repeated` points of rows printed on every page.
    static func pageHeight(landscape: Bool, repeated: Double = 0) -> Double {
        ((landscape ? 8.27 : 11.0) - top - bottom) * 72 - repeated
    }

    /// The page setup every sheet gets: 100%, the margins above, and a footer with the workbook's
    /// title at the left and the sheet's name and page number at the right ("Trends, page 3 of 12").
    static func setup(landscape: Bool, title: String, repeatRows: ClosedRange<Int>? = nil,
                      repeatColumns: ClosedRange<Int>? = nil, printColumns: ClosedRange<Int>? = nil) -> PageSetup {
        var shown = title.count > 70 ? String(title.prefix(69)) + "…" : title
        // A footer holds 255 characters, counted in UTF-16 with every '&' doubled: a title of
        // 70 letters with many accents each (a hostile id) is cut further, between scalars.
        if PageSetup.literal(shown).utf16.count > 200 {
            shown = String(String.UnicodeScalarView(shown.unicodeScalars.filter { $0 != "&" }.prefix(60))) + "…"
        }
        return PageSetup(landscape: landscape, scale: 100, left: side, right: side, top: top, bottom: bottom,
                         footerMargin: footer, repeatRows: repeatRows, repeatColumns: repeatColumns, printColumns: printColumns,
                         footer: "&L" + PageSetup.literal(shown) + "&R&A, page &P of &N")
    }

    /// The scale (percent, at most 100) at which columns of `widths` print across one page's
    /// width: for a short table of counts read as a whole (the clinic overview), where a second
    /// page of columns would cost more than slightly smaller text.
    static func scale(toFit widths: [Double], landscape: Bool) -> Int {
        let whole = pixels(widths)
        guard whole > 0 else { return 100 }
        return max(10, min(100, Int((pageWidth(landscape: landscape) / whole * 100).rounded(.down))))
    }

    // MARK: - Columns

    /// A column `width` characters wide, in pixels, as the wider of the two programs prints it.
    /// The file stores `width` + 5/7 (libxlsxwriter adds Excel's 5 pixels of padding); Excel
    /// shows that as 7 pixels a character (Calibri 11's digit on screen), LibreOffice as the
    /// digit's exact width, 5.575 points (7.43 pixels): LibreOffice's columns are the wider.
    static func pixels(_ width: Double) -> Double { (width + 5.0 / 7) * 7.433 }

    /// The width in characters of a column that prints `pixels` wide (the inverse of ``pixels(_:)``),
    /// rounded down to a half.
    static func width(forPixels pixels: Double) -> Double { ((pixels / 7.433 - 5.0 / 7) * 2).rounded(.down) / 2 }

    /// The room for text inside a column `width` characters wide, in pixels: Excel's narrower
    /// column, less the cell's padding.
    static func room(_ width: Double) -> Double { (width * 7 + 5).rounded(.down) }

    /// The room for text in columns of `widths` merged into one, in pixels.
    static func room(_ widths: [Double]) -> Double { widths.reduce(0) { $0 + room($1) } - 8 * Double(max(widths.count - 1, 0)) }

    /// The width columns of `widths` print, in pixels.
    static func pixels(_ widths: [Double]) -> Double { widths.reduce(0) { $0 + pixels($1) } }

    /// The first column of each page after the first, when `widths` print side by side with
    /// columns `repeated` printed again at the left of every page (vertical page breaks).
    static func columnBreaks(_ widths: [Double], repeated: ClosedRange<Int>?, landscape: Bool) -> [Int] {
        let page = pageWidth(landscape: landscape)
        let repeatedWidth = repeated.map { r in r.filter { $0 < widths.count }.reduce(0) { $0 + pixels(widths[$1]) } } ?? 0
        var breaks: [Int] = []
        var used = 0.0
        for (c, w) in widths.enumerated() {
            let px = pixels(w)
            if used + px > page, c > 0 {
                breaks.append(c)
                used = repeatedWidth
            }
            used += px
        }
        return breaks
    }

    // MARK: - Text

    /// Advance widths of Carlito (= Calibri) for the characters space to tilde, in thousandths
    /// of the font size; regular and bold.
    static let regular: [UInt16] = [
        226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386, 507, 507, 507, 507, 507, 507, 507, 507,
        507, 507, 268, 268, 498, 498, 498, 463, 894, 579, 544, 533, 615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662,
        517, 673, 543, 459, 487, 642, 567, 890, 519, 487, 468, 307, 386, 307, 498, 498, 291, 479, 525, 423, 525, 498, 305, 471,
        525, 229, 239, 455, 229, 799, 525, 527, 525, 525, 349, 391, 335, 525, 452, 715, 433, 453, 395, 314, 460, 314, 498,
    ]
    static let bold: [UInt16] = [
        226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430, 507, 507, 507, 507, 507, 507, 507, 507,
        507, 507, 276, 276, 498, 498, 498, 463, 898, 606, 561, 529, 630, 488, 459, 637, 631, 267, 331, 547, 423, 874, 659, 676,
        532, 686, 563, 473, 495, 653, 591, 906, 551, 520, 478, 325, 430, 325, 498, 498, 300, 494, 537, 418, 537, 503, 316, 474,
        537, 246, 255, 480, 246, 813, 537, 538, 537, 537, 355, 399, 347, 537, 473, 745, 459, 474, 397, 344, 475, 344, 498,
    ]

    /// The width of `text` in pixels at `size` points, with a margin of 6% (a font that differs
    /// a little, hinting): an estimate that errs on the wide side, so a row is never too short.
    static func textWidth(_ text: Substring, size: Double, bold isBold: Bool) -> Double {
        let table = isBold ? bold : regular
        return width(thousandths: text.unicodeScalars.reduce(0) { $0 + thousandths($1, table) }, size: size)
    }

    /// A character's advance width in thousandths of the font size.
    private static func thousandths(_ u: Unicode.Scalar, _ table: [UInt16]) -> Int {
        let v = Int(u.value)
        if v >= 32 && v < 127 { return Int(table[v - 32]) }
        if v < 0x2E80 { return 620 }   // accented letters, dashes, arrows
        return 1_000                   // CJK and other wide characters
    }

    private static func width(thousandths: Int, size: Double) -> Double {
        Double(thousandths) / 1000 * size * 96 / 72 * 1.06
    }

    /// The lines `text` takes in a cell `width` characters wide (or `pixels` wide), wrapped at
    /// spaces as spreadsheets wrap (a word longer than the line is cut), with its line breaks.
    static func lines(_ text: String, width: Double, size: Double = 11, bold: Bool = false) -> Int {
        lines(text, pixels: room(width), size: size, bold: bold)
    }

    static func lines(_ text: String, pixels available: Double, size: Double = 11, bold isBold: Bool = false) -> Int {
        // One pass over the text's scalars (no substrings: thousands of cells are measured).
        var wrap = Wrap(room: max(available - 8, 10), size: size, table: isBold ? bold : regular)
        for u in text.unicodeScalars {
            switch u {
            case "\n": wrap.endParagraph()
            case " ": wrap.endWord()
            case "\r": break  // the line break of "\r\n" (the "\n" breaks the line)
            default: wrap.add(u)
            }
        }
        wrap.endParagraph()
        return max(wrap.count, 1)
    }

    /// Words laid into lines as a spreadsheet wraps them, a scalar at a time.
    private struct Wrap {
        let room: Double, size: Double, table: [UInt16]
        let space: Double
        var count = 0
        /// The current paragraph's lines so far, and the width used on its last one.
        var lines = 1, line = 0.0
        /// The current word's width so far, in thousandths of the font size; nil between words.
        var word: Int?

        init(room: Double, size: Double, table: [UInt16]) {
            (self.room, self.size, self.table) = (room, size, table)
            space = PrintLayout.width(thousandths: Int(table[0]), size: size)
        }

        mutating func add(_ u: Unicode.Scalar) { word = (word ?? 0) + PrintLayout.thousandths(u, table) }

        mutating func endWord() {
            guard let t = word else { return }
            word = nil
            let w = PrintLayout.width(thousandths: t, size: size)
            if line > 0 && line + space + w <= room {
                line += space + w
            } else if line == 0 && w <= room {
                line = w
            } else {
                if line > 0 { lines += 1 }
                // A word wider than the line is cut over as many lines as it needs.
                let extra = max(0, Int((w / room).rounded(.up)) - 1)
                lines += extra
                line = w - Double(extra) * room
            }
        }

        mutating func endParagraph() {
            endWord()
            count += lines
            (lines, line) = (1, 0)
        }
    }

    /// The height in points of a row of `lines` lines of `size`-point text (Excel's 15 points
    /// for a line of 11-point Calibri), at most 409 (Excel's tallest row).
    static func height(lines: Int, size: Double = 11) -> Double {
        let line = (size * 15 / 11 * 4).rounded(.up) / 4
        return min(Double(lines) * line + (lines > 1 ? 2 : 0), ExcelLimits.maxRowHeight)
    }

    /// The default row's height, in points.
    static let rowHeight = 15.0
}
