internal import CXlsxWriter

/// Any failure while building or writing a workbook: libxlsxwriter's error code (when the C
/// library reported it), what was being done, and the library's message.
public struct XLSXError: Error, CustomStringConvertible, Sendable {
    /// libxlsxwriter's `lxw_error` code, or -1 when the problem was caught before calling it.
    public let code: Int32
    /// What was being done, e.g. "writing cell Summary!C4".
    public let operation: String
    public let message: String

    public var description: String { "\(operation): \(message)" }

    init(code: Int32 = -1, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    init(_ error: lxw_error, _ operation: @autoclosure () -> String) {
        let text = lxw_strerror(error).map { String(cString: $0) } ?? "unknown error"
        self.init(code: Int32(error.rawValue), operation: operation(), message: text)
    }
}

/// Calls a libxlsxwriter function and throws its error, if any.
@inline(__always)
func check(_ result: lxw_error, _ operation: @autoclosure () -> String) throws {
    if result != LXW_NO_ERROR { throw XLSXError(result, operation()) }
}

/// Excel's limits, checked before calling the library so it never prints a warning.
public enum ExcelLimits {
    public static let maxRow = 1_048_575
    public static let maxColumn = 16_383
    public static let maxStringLength = 32_767
    public static let maxSheetNameLength = 31
    public static let maxColumnWidth = 255.0
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
