/// An exact non-negative-denominator fraction of two integers.
///
/// Doses are multiples of 1/(2R) and expected sessions multiples of 1/7, so adherence is
/// added up exactly: a patient at exactly 80% is adherent whatever the order of the rows.
public struct Fraction: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    public init(_ numerator: Int64, _ denominator: Int64 = 1) {
        precondition(denominator != 0, "Fraction with zero denominator")
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        let g = Fraction.gcd(n.magnitude, d.magnitude)
        self.numerator = g > 1 ? n / Int64(g) : n
        self.denominator = g > 1 ? d / Int64(g) : d
    }

    public init(_ value: Int) { self.init(Int64(value), 1) }

    public static let zero = Fraction(0, 1)
    public static let one = Fraction(1, 1)

    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    public static func + (a: Fraction, b: Fraction) -> Fraction {
        if a.denominator == b.denominator { return Fraction(a.numerator + b.numerator, a.denominator) }
        let g = Int64(gcd(a.denominator.magnitude, b.denominator.magnitude))
        let l = a.denominator / g
        return Fraction(a.numerator * (b.denominator / g) + b.numerator * l, l * b.denominator)
    }

    public static prefix func - (a: Fraction) -> Fraction { Fraction(-a.numerator, a.denominator) }
    public static func - (a: Fraction, b: Fraction) -> Fraction { a + (-b) }

    public static func * (a: Fraction, b: Fraction) -> Fraction {
        let g1 = Int64(gcd(a.numerator.magnitude, b.denominator.magnitude))
        let g2 = Int64(gcd(b.numerator.magnitude, a.denominator.magnitude))
        return Fraction((a.numerator / max(g1, 1)) * (b.numerator / max(g2, 1)),
                        (a.denominator / max(g2, 1)) * (b.denominator / max(g1, 1)))
    }

    public static func / (a: Fraction, b: Fraction) -> Fraction {
        precondition(b.numerator != 0, "Fraction division by zero")
        return a * Fraction(b.denominator, b.numerator)
    }

    /// Exact comparison, using 128-bit products so it never overflows.
    public static func < (a: Fraction, b: Fraction) -> Bool {
        let l = a.numerator.multipliedFullWidth(by: b.denominator)
        let r = b.numerator.multipliedFullWidth(by: a.denominator)
        return l.high != r.high ? l.high < r.high : l.low < r.low
    }

    public static func == (a: Fraction, b: Fraction) -> Bool {
        a.numerator == b.numerator && a.denominator == b.denominator
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(numerator)
        hasher.combine(denominator)
    }

    public static func min(_ a: Fraction, _ b: Fraction) -> Fraction { b < a ? b : a }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
