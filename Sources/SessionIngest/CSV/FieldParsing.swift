import AdherenceAnalysis

/// Parsers of field bytes: numbers, sides and dates, with no `String` and no `DateFormatter`.
enum FieldParsing {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// The field without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ f: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var a = 0, b = f.count
        while a < b && (f[a] == space || f[a] == tab) { a += 1 }
        while b > a && (f[b - 1] == space || f[b - 1] == tab) { b -= 1 }
        return UnsafeBufferPointer(rebasing: f[a..<b])
    }

    @inline(__always) static func digit(_ c: UInt8) -> Int? {
        c >= 48 && c <= 57 ? Int(c) - 48 : nil
    }

    /// A whole number >= 0: digits, optionally followed by `.0...` (as spreadsheets write them;
    /// `,0...` in files whose decimal mark is a comma, where `1.000` would be a thousand and
    /// is refused rather than misread).
    static func wholeNumber(_ f: UnsafeBufferPointer<UInt8>, decimalComma: Bool = false) -> Int? {
        guard f.count > 0 else { return nil }
        var value = 0
        var i = 0
        while i < f.count, let d = digit(f[i]) {
            value = value &* 10 &+ d
            if value > 1_000_000_000_000_000 { return nil }
            i += 1
        }
        guard i > 0 else { return nil }
        if i < f.count {
            guard f[i] == (decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")), i + 1 < f.count else { return nil }
            for j in (i + 1)..<f.count where f[j] != UInt8(ascii: "0") { return nil }
        }
        return value
    }

    /// A decimal number >= 0 in hundredths ("7.5" -> 750), with `.` (or `,` when allowed) as the
    /// decimal mark. Digits past the second decimal are cut off (never rounded up, so a hold of
    /// 9.995 s stays short of 10 s); `exact` tells whether anything was cut.
    static func centis(_ f: UnsafeBufferPointer<UInt8>, decimalComma: Bool = false) -> Int? {
        centisExact(f, decimalComma: decimalComma)?.value
    }

    static func centisExact(_ f: UnsafeBufferPointer<UInt8>, decimalComma: Bool = false) -> (value: Int, exact: Bool)? {
        guard f.count > 0 else { return nil }
        var whole = 0, frac = 0, fracDigits = 0, i = 0, cut = false
        var sawDigit = false
        while i < f.count, let d = digit(f[i]) {
            whole = whole &* 10 &+ d
            if whole > 100_000_000 { return nil }
            sawDigit = true
            i += 1
        }
        if i < f.count && (f[i] == UInt8(ascii: ".") || (decimalComma && f[i] == UInt8(ascii: ","))) {
            i += 1
            while i < f.count, let d = digit(f[i]) {
                if fracDigits < 2 { frac = frac * 10 + d } else if d != 0 { cut = true }
                fracDigits += 1
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit, i == f.count else { return nil }
        if fracDigits == 1 { frac *= 10 }
        return (whole * 100 + frac, !cut)
    }

    /// `left`/`L`/`lt`, `right`/`R`/`rt`, `both`/`B`/`bilateral`/`bil`/`L+R`/`L/R`/blank, any
    /// case; `nil` for anything else.
    /// A done/not-done value: yes/no, y/n, true/false, 1/0, done/not done, x/blank is not
    /// accepted (a blank says nothing). `nil` when it is none of these.
    static func done(_ f: UnsafeBufferPointer<UInt8>) -> Bool? {
        let text = String(decoding: f, as: UTF8.self).lowercased()
        switch text {
        case "yes", "y", "true", "1", "done", "completed", "complete", "x", "✓", "✔": return true
        case "no", "n", "false", "0", "not done", "skipped", "missed", "not completed", "incomplete": return false
        default: return nil
        }
    }

    static func side(_ f: UnsafeBufferPointer<UInt8>) -> Side?? {
        if f.count == 0 { return .some(.both) }
        if f.count == 9 {
            for (i, c) in "bilateral".utf8.enumerated() where f[i] | 0x20 != c { return .none }
            return .some(.both)
        }
        guard f.count <= 8 else { return .none }
        // The letters, lower-cased, packed into one number: "lt" is 0x6c74.
        var lower: UInt64 = 0
        for c in f { lower = lower << 8 | UInt64(c | 0x20) }
        switch lower {
        case 0x6c, 0x6c656674, 0x6c74: return .some(.left)  // l, left, lt
        case 0x72, 0x7269676874, 0x7274: return .some(.right)  // r, right, rt
        case 0x62, 0x626f7468, 0x62696c, 0x6c2b72, 0x6c2f72: return .some(.both)  // b, both, bil, l+r, l/r
        default: return .none
        }
    }
}

/// How a date's day and month are ordered when written with slashes.
public enum DateOrder: String, Sendable, CaseIterable {
    /// `MM/DD/YYYY` (United States).
    case monthFirst = "mdy"
    /// `DD/MM/YYYY`.
    case dayFirst = "dmy"
}

/// A date or date-time read from a field.
struct ParsedDate {
    var day: Day
    /// Seconds since midnight as written, if a time was given.
    var seconds: Int?
    /// Offset from UTC in minutes, if written (`Z` = 0).
    var offsetMinutes: Int?
}

/// Why a date could not be read.
enum DateProblem: Error {
    case unreadable
    case impossible
    /// `a/b/yyyy` with both `a` and `b` at most 12: needs the column's order.
    case ambiguousSlash(first: Int, second: Int)
    /// A year before 1900 or after 2199: a typo, and outside what a spreadsheet can show.
    case outOfRange
}

enum DateParsing {
    /// The common shape, `YYYY-MM-DDTHH:MM:SS` (or a space for the `T`), read at fixed places:
    /// what ``parse(_:order:)`` reads it as, or `nil` for any other text (which the general
    /// reading then reads, or says what is wrong with).
    @inline(__always)
    static func isoDateTime(_ f: UnsafeBufferPointer<UInt8>) -> ParsedDate? {
        guard f.count == 19, f[4] == UInt8(ascii: "-"), f[7] == UInt8(ascii: "-"),
              f[10] == UInt8(ascii: "T") || f[10] == UInt8(ascii: " "), f[13] == UInt8(ascii: ":"), f[16] == UInt8(ascii: ":") else { return nil }
        @inline(__always) func two(_ i: Int) -> Int? {
            let a = f[i] &- 0x30, b = f[i &+ 1] &- 0x30
            return a < 10 && b < 10 ? Int(a) &* 10 &+ Int(b) : nil
        }
        guard let c = two(0), let yy = two(2), let m = two(5), let d = two(8), let h = two(11), let mi = two(14), let ss = two(17),
              h <= 23, mi <= 59, ss <= 60 else { return nil }
        let y = c &* 100 &+ yy
        guard (1900...2199).contains(y), let day = Day(year: y, month: m, day: d) else { return nil }
        return ParsedDate(day: day, seconds: h &* 3600 &+ mi &* 60 &+ min(ss, 59), offsetMinutes: nil)
    }

    /// Reads ISO `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]][Z|±HH[:MM]]]`, `DD.MM.YYYY [HH:MM[:SS]]`
    /// and `a/b/YYYY [HH:MM[:SS]] [AM|PM]` (with `order` deciding a/b when given).
    static func parse(_ f: UnsafeBufferPointer<UInt8>, order: DateOrder?) -> Result<ParsedDate, DateProblem> {
        if let date = isoDateTime(f) { return .success(date) }
        return parseAnyShape(f, order: order)
    }

    /// ``parse(_:order:)`` without its fast path for the common shape.
    static func parseAnyShape(_ f: UnsafeBufferPointer<UInt8>, order: DateOrder?) -> Result<ParsedDate, DateProblem> {
        let n = f.count
        guard n >= 6 else { return .failure(.unreadable) }
        func num(_ a: Int, _ len: Int) -> Int? {
            guard a + len <= n else { return nil }
            var v = 0
            for i in a..<(a + len) { guard let d = FieldParsing.digit(f[i]) else { return nil }; v = v * 10 + d }
            return v
        }
        // Digits run starting at `a`: (value, length).
        func run(_ a: Int) -> (Int, Int)? {
            var i = a, v = 0
            while i < n, let d = FieldParsing.digit(f[i]), i - a < 4 { v = v * 10 + d; i += 1 }
            return i > a ? (v, i - a) : nil
        }
        var y = 0, m = 0, d = 0, p = 0
        if n >= 10, f[4] == UInt8(ascii: "-"), f[7] == UInt8(ascii: "-") {
            guard let yy = num(0, 4), let mm = num(5, 2), let dd = num(8, 2) else { return .failure(.unreadable) }
            (y, m, d, p) = (yy, mm, dd, 10)
        } else {
            guard let (a, la) = run(0), la <= 2, la < n else { return .failure(.unreadable) }
            let sep = f[la]
            guard sep == UInt8(ascii: ".") || sep == UInt8(ascii: "/") || sep == UInt8(ascii: "-") else {
                return .failure(.unreadable)
            }
            guard let (b, lb) = run(la + 1), lb <= 2, la + 1 + lb < n, f[la + 1 + lb] == sep,
                  let (yr, ly) = run(la + 2 + lb), ly == 4 || ly == 2 else { return .failure(.unreadable) }
            p = la + 2 + lb + ly
            y = ly == 2 ? 2000 + yr : yr
            if sep == UInt8(ascii: "/") {
                switch order {
                case .monthFirst: (m, d) = (a, b)
                case .dayFirst: (m, d) = (b, a)
                case nil:
                    if a > 12 && b <= 12 { (m, d) = (b, a) }
                    else if b > 12 && a <= 12 { (m, d) = (a, b) }
                    else if a == b { (m, d) = (a, b) }
                    else if a <= 12 && b <= 12 { return .failure(.ambiguousSlash(first: a, second: b)) }
                    else { return .failure(.impossible) }
                }
            } else {
                (m, d) = (b, a)
            }
        }
        guard (1900...2199).contains(y) else { return .failure(.outOfRange) }
        guard let day = Day(year: y, month: m, day: d) else {
            return .failure((1...12).contains(m) || m > 12 || d > 31 ? .impossible : .unreadable)
        }
        var result = ParsedDate(day: day, seconds: nil, offsetMinutes: nil)
        if p == n { return .success(result) }
        // Time part.
        guard f[p] == UInt8(ascii: "T") || f[p] == UInt8(ascii: " ") else { return .failure(.unreadable) }
        p += 1
        while p < n && f[p] == UInt8(ascii: " ") { p += 1 }
        guard let (hh, lh) = run(p), lh <= 2, p + lh < n, f[p + lh] == UInt8(ascii: ":"),
              let mi = num(p + lh + 1, 2) else { return .failure(.unreadable) }
        p += lh + 3
        var ss = 0
        if p < n && f[p] == UInt8(ascii: ":") {
            guard let s = num(p + 1, 2) else { return .failure(.unreadable) }
            ss = s
            p += 3
            if p < n && (f[p] == UInt8(ascii: ".") || f[p] == UInt8(ascii: ",")) {
                p += 1
                while p < n, FieldParsing.digit(f[p]) != nil { p += 1 }
            }
        }
        var hour = hh
        while p < n && f[p] == UInt8(ascii: " ") { p += 1 }
        if p + 1 < n, (f[p] | 0x20) == UInt8(ascii: "a") || (f[p] | 0x20) == UInt8(ascii: "p"), (f[p + 1] | 0x20) == UInt8(ascii: "m") {
            guard (1...12).contains(hour) else { return .failure(.impossible) }
            let pm = (f[p] | 0x20) == UInt8(ascii: "p")
            hour = hour % 12 + (pm ? 12 : 0)
            p += 2
        }
        guard hour <= 23, mi <= 59, ss <= 60 else { return .failure(.impossible) }
        result.seconds = hour * 3600 + mi * 60 + min(ss, 59)
        if p == n { return .success(result) }
        if f[p] == UInt8(ascii: "Z") && p + 1 == n { result.offsetMinutes = 0; return .success(result) }
        guard f[p] == UInt8(ascii: "+") || f[p] == UInt8(ascii: "-") else { return .failure(.unreadable) }
        let sign = f[p] == UInt8(ascii: "-") ? -1 : 1
        guard let oh = num(p + 1, 2) else { return .failure(.unreadable) }
        var om = 0
        var q = p + 3
        if q < n && f[q] == UInt8(ascii: ":") { q += 1 }
        if q < n { guard let v = num(q, 2) else { return .failure(.unreadable) }; om = v; q += 2 }
        guard q == n, oh <= 14, om <= 59 else { return .failure(.unreadable) }
        result.offsetMinutes = sign * (oh * 60 + om)
        return .success(result)
    }
}
