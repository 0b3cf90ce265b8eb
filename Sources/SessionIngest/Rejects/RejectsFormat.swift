/// The rejects file adhere writes (`rejects-YYYY-MM.csv`): how it is recognised among inputs,
/// and how its text is kept from running as a spreadsheet formula and restored when it is read
/// back in.
///
/// A spreadsheet opening a CSV runs a cell starting with `=`, `+`, `-` or `@` (and, in some,
/// a tab or carriage return) as a formula. Rows adhere refused hold whatever the export held,
/// so every such field is written with a single quote `'` in front, and quoted, as OWASP
/// advises against CSV injection. Numbers are left alone (`-3` is a negative number, not a
/// formula). A field that already starts with `'` followed by one of those characters (or by
/// another `'`) gets one more `'`, so reading back can always remove exactly one.
package enum RejectsFormat {
    /// The columns the rejects file adds after the canonical ones.
    package static let extraColumns = ["rejected_file", "rejected_line", "rejected_reason", "raw"]

    /// Whether a header is the rejects file's (it has every one of ``extraColumns``).
    package static func isRejectsHeader(_ headers: [String]) -> Bool {
        let names = Set(headers.map { $0.lowercased() })
        return extraColumns.allSatisfy(names.contains)
    }

    /// Whether a file name is a rejects file's: `rejects-YYYY-MM.csv`.
    package static func isRejectsFileName(_ name: String) -> Bool {
        let b = Array(name.lowercased().utf8)
        guard b.count == 19, b.starts(with: Array("rejects-".utf8)), b.suffix(4).elementsEqual(".csv".utf8), b[12] == UInt8(ascii: "-") else {
            return false
        }
        return (Array(8..<12) + [13, 14]).allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[$0]) }
    }

    /// First bytes that make a spreadsheet read a cell as a formula.
    @inline(__always)
    static func isFormulaStart(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "=") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: "@")
            || c == 0x09 || c == 0x0D
    }

    /// Whether a field written as `'` + rest is a guarded one: reading back removes the `'`.
    @inline(__always)
    static func isGuarded(_ first: UInt8, _ second: UInt8) -> Bool {
        first == UInt8(ascii: "'") && (isFormulaStart(second) || second == UInt8(ascii: "'"))
    }

    /// A plain number: optional sign, digits, optionally a decimal point or comma and digits.
    static func isNumber(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) { i += 1 }
        let digits = { (from: Int) -> Int in
            var j = from
            while j < b.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[j]) { j += 1 }
            return j
        }
        let afterWhole = digits(i)
        guard afterWhole > i else { return false }
        if afterWhole == b.count { return true }
        guard b[afterWhole] == UInt8(ascii: ".") || b[afterWhole] == UInt8(ascii: ",") else { return false }
        let afterFraction = digits(afterWhole + 1)
        return afterFraction > afterWhole + 1 && afterFraction == b.count
    }

    /// The text as the rejects file holds it: with a `'` in front when a spreadsheet would run it
    /// as a formula (never for a number), or when it already starts like a guarded field.
    package static func guardFormula(_ s: String) -> String {
        let b = Array(s.utf8)
        guard let first = b.first else { return s }
        if isFormulaStart(first) && !isNumber(b) { return "'" + s }
        if b.count >= 2 && isGuarded(b[0], b[1]) { return "'" + s }
        return s
    }

    /// A field read back: the one `'` that ``guardFormula(_:)`` put in front removed.
    package static func unguard(_ s: String) -> String {
        let b = Array(s.utf8.prefix(2))
        return b.count == 2 && isGuarded(b[0], b[1]) ? String(s.dropFirst()) : s
    }

    /// One field of the rejects file, RFC 4180: guarded as above, and quoted (inner quotes
    /// doubled) when it holds a comma, quote, CR or LF, starts or ends with a space, or was guarded.
    package static func csvField(_ s: String) -> String {
        let text = guardFormula(s)
        let special = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        if special || text != s || text.hasPrefix(" ") || text.hasSuffix(" ") {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
