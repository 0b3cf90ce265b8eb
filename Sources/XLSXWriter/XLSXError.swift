internal import CXlsxWriter

/// Every failure of the wrapper: what went wrong as a typed ``Code``, what was being done, and
/// a sentence for people.
///
/// All of the wrapper's throwing methods throw this type and nothing else (`throws(XLSXError)`),
/// so a caller can switch over ``code`` without casting:
///
/// ```swift
/// do { try sheet.write(note, row: r, column: 4) }
/// catch where error.code == .textTooLong { … }
/// ```
///
/// Most codes are found by the wrapper before libxlsxwriter is called (so the C library never
/// prints a warning of its own); ``Code/library(_:)`` carries the C library's own code for the
/// faults only it can see, such as a disk that fills up while the file is written.
public struct XLSXError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Code: Hashable, Sendable {
        /// The workbook was closed (written, or discarded because writing failed) or its handle
        /// was used after ``Workbook/close()``; nothing can be added to it any more.
        case workbookClosed
        /// A sheet name Excel does not accept: empty, more than 31 characters, one of
        /// `[ ] : * ? / \`, an apostrophe first or last, or the reserved name "History".
        case invalidSheetName
        /// The workbook already has a sheet of this name (ignoring case, as Excel does).
        case duplicateSheetName
        /// A chart series names a sheet the workbook does not have.
        case unknownSheet
        /// A row or column outside Excel's grid (1,048,576 rows, 16,384 columns).
        case outsideSheet
        /// A range whose first row or column comes after its last.
        case invalidRange
        /// Text longer than a cell holds (32,767 characters, counted as Excel counts them).
        case textTooLong
        /// A value Excel cannot hold or show: NaN or infinity, a day that is not in the calendar
        /// or outside 1900-9999, a colour above 0xFFFFFF, a size or scale that is not a positive
        /// number, an empty formula, an axis or data bar whose minimum is not below its maximum, a
        /// print scale outside 10-400% or a margin outside 0-10 inches, page breaks out of order
        /// or more than 1,023.
        case invalidValue
        /// A merged range that overlaps another merged range of the sheet (Excel would repair
        /// the file).
        case overlappingMerge
        /// A link target longer than Excel allows (255 bytes).
        case linkTooLong
        /// More links on one sheet than Excel allows (65,530).
        case tooManyLinks
        /// A chart placed on a sheet of another workbook.
        case chartOfAnotherWorkbook
        /// A chart placed a second time (a chart can be shown once).
        case chartAlreadyInserted
        /// A chart placed before it has a series (Excel cannot draw it).
        case chartWithoutSeries
        /// The file cannot be written: its folder is missing or not writable, a folder of
        /// that name is in the way, or the file cannot be created or written.
        case destinationNotWritable
        /// libxlsxwriter's scratch folder is missing or not writable.
        case temporaryFolderUnusable
        /// libxlsxwriter itself reported the fault (its `lxw_error` code).
        case library(LibraryCode)
    }

    /// libxlsxwriter's error codes (`lxw_error`), named as the C library names them. The
    /// wrapper checks its inputs first, so in practice only the first few (memory, files, zip)
    /// are ever seen.
    public enum LibraryCode: Hashable, Sendable {
        case memoryAllocationFailed
        case creatingXLSXFile
        case creatingTemporaryFile
        case readingTemporaryFile
        case zipFileOperation
        case zipParameterError
        case zipBadZipFile
        case zipInternalError
        case zipFileAdd
        case zipClose
        case featureNotSupported
        case nullParameterIgnored
        case parameterValidation
        case sheetNameLengthExceeded
        case invalidSheetNameCharacter
        case sheetNameStartEndApostrophe
        case sheetNameAlreadyUsed
        case stringLengthExceeded32
        case stringLengthExceeded128
        case stringLengthExceeded255
        case maxStringLengthExceeded
        case sharedStringIndexNotFound
        case worksheetIndexOutOfRange
        case maxURLLengthExceeded
        case maxNumberOfURLsExceeded
        case imageDimensions
        /// A code this version of the wrapper does not know (a newer libxlsxwriter).
        case unknown(Int32)
    }

    /// What went wrong.
    public let code: Code
    /// What was being done, e.g. "writing text at Summary!C4".
    public let operation: String
    /// Why, in words (for a library fault: libxlsxwriter's own description, and what it would
    /// have printed, which the wrapper kept from standard error).
    public let message: String

    public var description: String { "\(operation): \(message)" }

    /// An error the wrapper found itself.
    init(_ code: Code, _ operation: String, _ message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    /// libxlsxwriter's error `error`, with what the library printed about it (kept from stderr).
    init(library error: lxw_error, _ operation: String, printed: String = "") {
        let text = lxw_strerror(error).map { String(cString: $0) } ?? "unknown error"
        let lines = printed.split(whereSeparator: \.isNewline).map(XLSXError.withoutTag).filter { !$0.isEmpty }
        let said = lines.isEmpty ? "" : " (libxlsxwriter: " + lines.joined(separator: "; ") + ")"
        self.init(.library(LibraryCode(error)), operation, text + said)
    }
}

extension XLSXError {
    /// A line the library printed, without its "[ERROR][file.c:12]:" tag.
    static func withoutTag(_ line: Substring) -> String {
        var rest = line.drop(while: \.isWhitespace)
        while rest.first == "[", let close = rest.firstIndex(of: "]") {
            rest = rest[rest.index(after: close)...]
        }
        return String(rest.drop { $0 == ":" || $0.isWhitespace })
    }
}

extension XLSXError.LibraryCode {
    init(_ error: lxw_error) {
        switch error {
        case LXW_ERROR_MEMORY_MALLOC_FAILED: self = .memoryAllocationFailed
        case LXW_ERROR_CREATING_XLSX_FILE: self = .creatingXLSXFile
        case LXW_ERROR_CREATING_TMPFILE: self = .creatingTemporaryFile
        case LXW_ERROR_READING_TMPFILE: self = .readingTemporaryFile
        case LXW_ERROR_ZIP_FILE_OPERATION: self = .zipFileOperation
        case LXW_ERROR_ZIP_PARAMETER_ERROR: self = .zipParameterError
        case LXW_ERROR_ZIP_BAD_ZIP_FILE: self = .zipBadZipFile
        case LXW_ERROR_ZIP_INTERNAL_ERROR: self = .zipInternalError
        case LXW_ERROR_ZIP_FILE_ADD: self = .zipFileAdd
        case LXW_ERROR_ZIP_CLOSE: self = .zipClose
        case LXW_ERROR_FEATURE_NOT_SUPPORTED: self = .featureNotSupported
        case LXW_ERROR_NULL_PARAMETER_IGNORED: self = .nullParameterIgnored
        case LXW_ERROR_PARAMETER_VALIDATION: self = .parameterValidation
        case LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED: self = .sheetNameLengthExceeded
        case LXW_ERROR_INVALID_SHEETNAME_CHARACTER: self = .invalidSheetNameCharacter
        case LXW_ERROR_SHEETNAME_START_END_APOSTROPHE: self = .sheetNameStartEndApostrophe
        case LXW_ERROR_SHEETNAME_ALREADY_USED: self = .sheetNameAlreadyUsed
        case LXW_ERROR_32_STRING_LENGTH_EXCEEDED: self = .stringLengthExceeded32
        case LXW_ERROR_128_STRING_LENGTH_EXCEEDED: self = .stringLengthExceeded128
        case LXW_ERROR_255_STRING_LENGTH_EXCEEDED: self = .stringLengthExceeded255
        case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED: self = .maxStringLengthExceeded
        case LXW_ERROR_SHARED_STRING_INDEX_NOT_FOUND: self = .sharedStringIndexNotFound
        case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE: self = .worksheetIndexOutOfRange
        case LXW_ERROR_WORKSHEET_MAX_URL_LENGTH_EXCEEDED: self = .maxURLLengthExceeded
        case LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED: self = .maxNumberOfURLsExceeded
        case LXW_ERROR_IMAGE_DIMENSIONS: self = .imageDimensions
        default: self = .unknown(Int32(truncatingIfNeeded: error.rawValue))
        }
    }
}

/// Throws libxlsxwriter's error, if `result` is one.
@inline(__always)
func check(_ result: lxw_error, _ operation: @autoclosure () -> String) throws(XLSXError) {
    if result != LXW_NO_ERROR { throw XLSXError(library: result, operation()) }
}
