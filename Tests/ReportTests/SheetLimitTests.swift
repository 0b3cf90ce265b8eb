import XCTest
@testable import ReportBuilder

/// Excel's and libxlsxwriter's limits, met by design: text longer than a cell, file names too
/// long in bytes, more links or rows than a sheet holds. Expected values worked out by hand.
final class SheetLimitTests: XCTestCase {
    func testTextThatFitsIsLeftAlone() {
        let s = String(repeating: "a", count: 32_767)
        XCTAssertEqual(CellText.fit(s).cut, false)
        XCTAssertEqual(CellText.fit(s).text, s)
        // 16,383 emoji are 32,766 UTF-16 units: they fit.
        let emoji = String(repeating: "😀", count: 16_383)
        XCTAssertEqual(CellText.fit(emoji).text, emoji)
    }

    func testLongerTextIsCutBetweenCharactersWithAMark() {
        // 32,768 letters: 32,760 kept, then "… [cut]" (7 units) = 32,767.
        let long = String(repeating: "a", count: 32_768)
        let f = CellText.fit(long)
        XCTAssertTrue(f.cut)
        XCTAssertEqual(f.text, String(repeating: "a", count: 32_760) + "… [cut]")
        XCTAssertEqual(f.text.utf16.count, 32_767)
        // Emoji are 2 units each: 16,380 of them fill the 32,760 units before the mark; none is split.
        let emoji = String(repeating: "😀", count: 16_384)
        XCTAssertEqual(CellText.fit(emoji).text, String(repeating: "😀", count: 16_380) + "… [cut]")
        // "é" written as e + a combining accent is one character of 2 units: 16,380 fit.
        let accents = String(repeating: "e\u{301}", count: 20_000)
        let a = CellText.fit(accents).text
        XCTAssertEqual(a, String(repeating: "e\u{301}", count: 16_380) + "… [cut]")
        XCTAssertEqual(a.unicodeScalars.count, 32_767, "libxlsxwriter counts code points: within its limit too")
        // One character longer than a cell (a letter with 40,000 accents) is cut between its scalars.
        let giant = "x" + String(repeating: "\u{301}", count: 40_000)
        let g = CellText.fit(giant).text
        XCTAssertEqual(g, "x" + String(repeating: "\u{301}", count: 32_759) + "… [cut]")
        // Chart titles and document properties: 255 units.
        XCTAssertEqual(CellText.fit(String(repeating: "b", count: 300), limit: 255).text, String(repeating: "b", count: 248) + "… [cut]")
    }

    func testCutsAreCountedPerSheetAndSaidWithoutTheText() {
        let cuts = TextCuts()
        _ = cuts.fit("short", sheet: "Summary")
        XCTAssertNil(TextCuts.line([("2026-10", cuts)]))
        _ = cuts.fit(String(repeating: "z", count: 40_000), sheet: "Trends")
        _ = cuts.fit(String(repeating: "z", count: 40_000), sheet: "Data issues")
        let line = try? XCTUnwrap(TextCuts.line([("2026-10", cuts)]))
        XCTAssertEqual(line, "note: 2 texts were longer than a spreadsheet cell holds (32,767 characters) and were cut in the workbooks of 2026-10 (sheets: Data issues, Trends), ending in '… [cut]'; the rejects file and JSON keep them whole")
        XCTAssertFalse(line?.contains("zzz") ?? true)
    }

    func testFileNamePartsAreBoundedInBytesAndCutBetweenCharacters() {
        XCTAssertEqual(OutputFiles.slug("Dr. Jane Smith"), "Dr-Jane-Smith")
        XCTAssertEqual(OutputFiles.slug("../x"), "x")
        // ASCII names keep their first 60 characters, as before.
        XCTAssertEqual(OutputFiles.slug(String(repeating: "a", count: 70)), String(repeating: "a", count: 60))
        // 60 four-byte letters (240 bytes): 37 of them (148 bytes) fit in 150 bytes.
        let bold = String(repeating: "\u{1D400}", count: 60)
        XCTAssertEqual(OutputFiles.slug(bold), String(repeating: "\u{1D400}", count: 37))
        XCTAssertEqual(OutputFiles.slug(bold).utf8.count, 148)
        XCTAssertEqual(OutputFiles.slug(bold), OutputFiles.slug(bold), "the same name, the same part")
        // 'é' as one character or as e + accent: one file name.
        XCTAssertEqual(OutputFiles.slug("Jos\u{E9} Ruiz"), "Jos\u{E9}-Ruiz")
        XCTAssertEqual(OutputFiles.slug("Jose\u{301} Ruiz"), "Jos\u{E9}-Ruiz")
        // Devanagari: consonants with vowel signs (alphabetic marks) are never split from them.
        let hindi = String(repeating: "\u{915}\u{93F}", count: 40)   // "कि" x 40: 6 bytes a character
        let h = OutputFiles.slug(hindi)
        XCTAssertEqual(h, String(repeating: "\u{915}\u{93F}", count: 25), "150 bytes / 6 = 25 characters")
        // A single letter with thousands of alphabetic marks: cut between scalars within the bound.
        let giant = "a" + String(repeating: "\u{345}", count: 5_000)
        XCTAssertLessThanOrEqual(OutputFiles.slug(giant).utf8.count, OutputFiles.maxSlugBytes)
        XCTAssertTrue(OutputFiles.slug(giant).unicodeScalars.starts(with: "a\u{345}\u{345}".unicodeScalars), "the marks are kept, as far as they fit")
        // A whole workbook name stays under 200 bytes, its temporary name under 255.
        let name = OutputFiles.workbookNames(month: "2026-10", labels: [bold, bold + "x"])
        XCTAssertEqual(name[1], "adhere-2026-10-" + String(repeating: "\u{1D400}", count: 37) + "-2.xlsx")
        XCTAssertLessThan(name[1].utf8.count, 200)
        let tmp = (OutputFiles.temporaryPath(for: "/o/" + name[1], tag: 99_999) as NSString).lastPathComponent
        XCTAssertLessThan(tmp.utf8.count, 255)
    }

    func testTheLayoutKeepsEverySheetWithinItsRowsAndLinks() {
        // Three patients of 7 weeks: blocks of 4 + 7 = 11 rows (heading, reasons, header, weeks,
        // a blank row) from row 3 (below the title, the introduction and a blank row).
        XCTAssertEqual(ReportWorkbook.Layout.make(weeks: [7, 7, 7], summaryTop: 4),
                       .init(blockRows: [3, 14, 25], linked: 3, summaryRows: 3, trendsEnd: 36))
        // 12 weeks: 4 + 12 = 16 rows a block; no weeks: 4.
        XCTAssertEqual(ReportWorkbook.Layout.make(weeks: [12, 7], summaryTop: 4).blockRows, [3, 19])
        XCTAssertEqual(ReportWorkbook.Layout.make(weeks: [0, 0, 1], summaryTop: 4).blockRows, [3, 7, 11])
        // A sheet of 37 rows (last row 36) holds three blocks of 7 weeks (rows 3-13, 14-24,
        // 25-35) and row 36 for the line saying who did not fit; links for the 3.
        XCTAssertEqual(ReportWorkbook.Layout.make(weeks: Array(repeating: 7, count: 10), summaryTop: 4, maxRow: 36, maxLinks: 5),
                       .init(blockRows: [3, 14, 25], linked: 3, summaryRows: 10, trendsEnd: 36))
        // One row fewer (last row 35): the third block would end on row 35 and leave no row for
        // that line, so two blocks; links for 2.
        XCTAssertEqual(ReportWorkbook.Layout.make(weeks: Array(repeating: 7, count: 10), summaryTop: 4, maxRow: 35, maxLinks: 5),
                       .init(blockRows: [3, 14], linked: 2, summaryRows: 10, trendsEnd: 25))
        // Fewer links than blocks: the first patients keep theirs.
        XCTAssertEqual(ReportWorkbook.Layout.make(weeks: Array(repeating: 7, count: 4), summaryTop: 4, maxLinks: 3).linked, 3)
        // Summary rows below a header on row 35 of a 41-row sheet: 5.
        XCTAssertEqual(ReportWorkbook.Layout.make(weeks: Array(repeating: 1, count: 10), summaryTop: 35, maxRow: 40).summaryRows, 5)
    }
}

/// Group names compared as people read them (case, spacing, punctuation), and the spelling shown.
final class GroupNameRuleTests: XCTestCase {
    func testNamesAreComparedWithoutCaseSpacingOrPunctuation() {
        let k = GroupNames.key
        XCTAssertEqual(k("Dr. Jane Smith"), "drjanesmith")
        XCTAssertEqual(k("DR JANE  SMITH"), k("dr.jane-smith"))
        XCTAssertEqual(k("Jos\u{E9} Ruiz"), k("JOSE\u{301} RUIZ"), "an accent, however written, and its capital")
        XCTAssertNotEqual(k("José Ruiz"), k("Jose Ruiz"), "an accent is not punctuation")
        XCTAssertNotEqual(k("Dana Whitfield"), k("Dana Whitfield, PT"))
        XCTAssertEqual(k("---"), "---", "a name of punctuation alone is compared as written")
    }

    func testTheSpellingUsedMostIsShownTiesByMixedCaseThenCodePoints() {
        let names = GroupNames(column: "therapist", uses: ["DANA WHITFIELD", "Dana Whitfield", "dana whitfield", "Dana Whitfield", "Sam", "SAM", "b c", "B C"])
        XCTAssertEqual(names.shown("dana  WHITFIELD."), "Dana Whitfield")
        XCTAssertEqual(names.shown("sam"), "Sam", "a tie: mixed case wins")
        XCTAssertEqual(names.shown("b.c"), "B C", "a tie with no mixed case: code-point order (capitals first)")
        XCTAssertEqual(names.shown("Someone Else"), "Someone Else")
        XCTAssertNil(names.shown(nil))
        XCTAssertEqual(names.merges.map(\.shown), ["B C", "Dana Whitfield", "Sam"])
        XCTAssertEqual(names.merges[1].spellings.map(\.text), ["Dana Whitfield", "DANA WHITFIELD", "dana whitfield"])
        XCTAssertEqual(names.merges[1].spellings.map(\.uses), [2, 1, 1])
        // The same uses in another order: the same result.
        let reversed = GroupNames(column: "therapist", uses: ["DANA WHITFIELD", "Dana Whitfield", "dana whitfield", "Dana Whitfield", "Sam", "SAM", "b c", "B C"].reversed())
        XCTAssertEqual(reversed.merges, names.merges)
    }
}
