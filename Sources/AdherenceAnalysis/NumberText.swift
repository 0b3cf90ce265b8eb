/// How adhere writes a number in words (the About sheet, reasons, `trend`, config echoes,
/// formulas): one place, so a threshold reads the same everywhere it is said.
public enum NumberText {
    /// The shortest plain decimal, without a trailing ".0": 10, 7.5, 0.25.
    public static func plain(_ f: Fraction) -> String {
        f.denominator == 1 ? "\(f.numerator)" : plain(f.doubleValue)
    }

    /// The shortest plain decimal of a double, without a trailing ".0".
    public static func plain(_ v: Double) -> String {
        var s = String(v)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// Rounded to one decimal, without a trailing ".0": 5.46 -> "5.5", 6.04 -> "6".
    public static func oneDecimal(_ v: Double) -> String {
        let tenths = (v * 10).rounded(.toNearestOrEven)
        guard tenths.isFinite, tenths.magnitude < 1e15 else { return plain(v) }
        let t = Int(tenths), a = t.magnitude
        let sign = t < 0 ? "-" : ""
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    /// Cut to one decimal (never rounded up), without a trailing ".0": 9.96 -> "9.9", 6 -> "6".
    /// For a figure compared with a target, so that a hold of 9.96 s never reads as the 10 s
    /// prescribed.
    /// Negative figures are cut toward zero: -1.56 -> "-1.5".
    public static func oneDecimalDown(_ f: Fraction) -> String {
        let tenths = f * Fraction(10)
        let t = tenths.numerator / tenths.denominator
        let sign = t < 0 ? "-" : "", a = t.magnitude
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }
}
