import Foundation

/// Text fields of the CSV files adhere writes: quoted as RFC 4180 asks (separators, quotes,
/// CR and LF), and text a spreadsheet would run as a formula neutralised as OWASP recommends
/// (a leading `'`), numbers left as they are.
public enum CSVText {
    public static func field(_ text: String) -> String {
        var t = text
        if let first = t.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(t) == nil {
            t = "'" + t
        }
        if t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) || t != text {
            return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return t
    }

    /// A field read back: the `'` that ``field(_:)`` put before a formula-like text removed.
    public static func unneutralised(_ text: String) -> String {
        guard text.hasPrefix("'"), let second = text.unicodeScalars.dropFirst().first,
              "=+-@\t\r".unicodeScalars.contains(second) else { return text }
        return String(text.dropFirst())
    }
}
