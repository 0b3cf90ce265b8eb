#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CXlsxWriter

/// An XLSX workbook being written with libxlsxwriter.
///
/// Nothing is written to `path` until ``close()``, which throws if the file cannot be
/// written. A workbook released without `close()` is discarded, and nothing is written.
/// Every value is checked against Excel's limits before it reaches the C library, so the
/// library never prints warnings and never writes a cell Excel would have to repair.
public final class Workbook {
    public let path: String
    /// What a workbook holds: cells, charts and chart series (for the benchmark's comparison
    /// with libxlsxwriter alone).
    public struct Contents: Sendable, Equatable {
        public var cells = 0
        public var charts = 0
        public var series = 0

        public init(cells: Int = 0, charts: Int = 0, series: Int = 0) {
            self.cells = cells
            self.charts = charts
            self.series = series
        }

        public static func + (a: Contents, b: Contents) -> Contents {
            Contents(cells: a.cells + b.cells, charts: a.charts + b.charts, series: a.series + b.series)
        }
    }

    /// What has been written so far.
    public internal(set) var contents = Contents()
    var raw: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [CellFormat: UnsafeMutablePointer<lxw_format>] = [:]
    private var sheetNames: Set<String> = []
    /// C strings that must live as long as the workbook (chart titles, property strings).
    private var retained: [UnsafeMutablePointer<CChar>] = []
    /// Where libxlsxwriter assembles the parts (nil: the C library's tmpfile(), in /tmp).
    private let temporaryFolder: String?

    /// Document properties that are fixed so the same inputs give the same bytes.
    public struct Properties: Sendable {
        public var title: String
        public var subject: String
        /// Creation time written into the document, as seconds since 1970 (UTC).
        public var created: Int

        public init(title: String, subject: String = "", created: Int) {
            self.title = title
            self.subject = subject
            self.created = created
        }
    }

    /// Starts a workbook that ``close()`` will write to `path`.
    /// - Parameter temporaryFolder: where libxlsxwriter keeps its scratch files (default: the system's).
    public init(path: String, properties: Properties, temporaryFolder: String? = nil) throws {
        self.path = path
        self.temporaryFolder = temporaryFolder
        var options = lxw_workbook_options()
        options.constant_memory = 0
        options.use_zip64 = 1
        let tmp = temporaryFolder.map { strdup($0)! }
        defer { free(tmp) }
        options.tmpdir = tmp
        guard let wb = path.withCString({ workbook_new_opt($0, &options) }) else {
            throw XLSXError(operation: "creating workbook \(path)", message: "libxlsxwriter could not start a workbook (out of memory?)")
        }
        raw = wb
        var props = lxw_doc_properties()
        props.title = keep(properties.title)
        props.subject = keep(properties.subject)
        props.author = keep("adhere")
        props.created = time_t(properties.created)
        try check(workbook_set_properties(wb, &props), "setting document properties of \(path)")
    }

    deinit {
        if let wb = raw { lxw_workbook_free(wb) }
        for p in retained { free(p) }
    }

    private func keep(_ s: String) -> UnsafeMutablePointer<CChar> {
        let p = strdup(Workbook.cSafe(s))!
        retained.append(p)
        return p
    }

    /// Text safe to hand to C and to put in the workbook's XML: every character XML 1.0 cannot
    /// hold (control characters other than tab, line feed and carriage return, and the
    /// non-characters U+FFFE and U+FFFF) becomes U+FFFD, the replacement character. A NUL would
    /// also cut a C string short. Every text of the workbook passes through here: cells, links,
    /// sheet names, chart titles, axis and series names, document properties.
    public static func xmlSafe(_ s: String) -> String {
        // Fast path: most text has no byte below 0x20 other than tab/LF/CR, and no EF BF BE/BF.
        var clean = true
        for b in s.utf8 where (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0xEF {
            clean = false
            break
        }
        if clean { return s }
        var scalars = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            let v = u.value
            scalars.append((v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF ? "\u{FFFD}" : u)
        }
        return String(scalars)
    }

    static func cSafe(_ s: String) -> String { xmlSafe(s) }

    func live(_ operation: @autoclosure () -> String) throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let wb = raw else { throw XLSXError(operation: operation(), message: "the workbook is already closed") }
        return wb
    }

    /// Adds a worksheet. Names are checked as Excel does (1-31 characters, none of `[]:*?/\`,
    /// no leading or trailing apostrophe, unique ignoring case).
    public func addWorksheet(_ given: String) throws -> Worksheet {
        let name = Workbook.cSafe(given)
        let wb = try live("adding worksheet '\(name)'")
        try Workbook.validateSheetName(name, existing: sheetNames)
        guard let ws = name.withCString({ workbook_add_worksheet(wb, $0) }) else {
            throw XLSXError(operation: "adding worksheet '\(name)'", message: "libxlsxwriter refused the worksheet")
        }
        sheetNames.insert(name.lowercased())
        return Worksheet(workbook: self, raw: ws, name: name)
    }

    static func validateSheetName(_ name: String, existing: Set<String>) throws {
        let op = "adding worksheet '\(name)'"
        if name.isEmpty || name.count > ExcelLimits.maxSheetNameLength {
            throw XLSXError(operation: op, message: "a sheet name must have 1 to 31 characters")
        }
        if name.contains(where: { "[]:*?/\\".contains($0) }) {
            throw XLSXError(operation: op, message: "a sheet name cannot contain [ ] : * ? / \\")
        }
        if name.hasPrefix("'") || name.hasSuffix("'") {
            throw XLSXError(operation: op, message: "a sheet name cannot start or end with an apostrophe")
        }
        if existing.contains(name.lowercased()) {
            throw XLSXError(operation: op, message: "the workbook already has a sheet with that name")
        }
    }

    func format(_ spec: CellFormat?) throws -> UnsafeMutablePointer<lxw_format>? {
        guard let spec else { return nil }
        if let f = formats[spec] { return f }
        let wb = try live("adding a cell format")
        guard let f = workbook_add_format(wb) else {
            throw XLSXError(operation: "adding a cell format", message: "libxlsxwriter could not create the format")
        }
        if let nf = spec.numberFormat { Workbook.cSafe(nf).withCString { format_set_num_format(f, $0) } }
        if spec.bold { format_set_bold(f) }
        if spec.italic { format_set_italic(f) }
        if let c = spec.fontColor { format_set_font_color(f, lxw_color_t(c)) }
        if let c = spec.background { format_set_bg_color(f, lxw_color_t(c)) }
        if spec.wrap { format_set_text_wrap(f) }
        if spec.alignTop { format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) }
        if spec.bottomBorder { format_set_bottom(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        if let s = spec.fontSize { format_set_font_size(f, s) }
        formats[spec] = f
        return f
    }

    /// Adds a line chart; place it on a sheet with ``Worksheet/insertChart(_:row:column:scaleX:scaleY:)``.
    public func addLineChart(title: String, yAxisTitle: String? = nil, xAxisTitle: String? = nil) throws -> Chart {
        let wb = try live("adding chart '\(title)'")
        guard let chart = workbook_add_chart(wb, UInt8(LXW_CHART_LINE.rawValue)) else {
            throw XLSXError(operation: "adding chart '\(title)'", message: "libxlsxwriter could not create the chart")
        }
        chart_title_set_name(chart, keep(title))
        if let y = yAxisTitle { chart_axis_set_name(chart.pointee.y_axis, keep(y)) }
        if let x = xAxisTitle { chart_axis_set_name(chart.pointee.x_axis, keep(x)) }
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        contents.charts += 1
        return Chart(workbook: self, raw: chart, title: title)
    }

    func retain(_ s: String) -> UnsafeMutablePointer<CChar> { keep(s) }

    /// Whether the workbook has a sheet of this name (as written: after ``xmlSafe(_:)``).
    func hasSheet(_ name: String) -> Bool { sheetNames.contains(Workbook.cSafe(name).lowercased()) }

    /// Writes the file. After this (even when it throws) the workbook cannot be used again.
    ///
    /// The destination is checked first (its folder exists and can be written, and it is not a
    /// folder itself), so the usual mistakes give a clear error without libxlsxwriter printing
    /// its own `[ERROR]` line; only faults found while writing (a full disk) come from the library.
    public func close() throws {
        guard let wb = raw else { return }
        raw = nil
        if let problem = Workbook.destinationProblem(path) ?? Workbook.scratchProblem(temporaryFolder) {
            lxw_workbook_free(wb)
            throw XLSXError(operation: "writing workbook \(path)", message: problem)
        }
        // Can the file be created? Found out here, so the library never prints its own error.
        var created = false
        if access(path, F_OK) != 0 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                let why = String(cString: strerror(errno))
                lxw_workbook_free(wb)
                throw XLSXError(operation: "writing workbook \(path)", message: "the file cannot be created (\(why))")
            }
            closeDescriptor(fd)
            created = true
        } else if access(path, W_OK) != 0 {
            let why = String(cString: strerror(errno))
            lxw_workbook_free(wb)
            throw XLSXError(operation: "writing workbook \(path)", message: "the file cannot be written (\(why))")
        }
        let result = workbook_close(wb)
        if result != LXW_NO_ERROR {
            if created { unlink(path) }
            throw XLSXError(result, "writing workbook \(path)")
        }
    }
}

/// `close(2)` (inside `Workbook`, `close` is the workbook's own method).
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

extension Workbook {
    /// Why libxlsxwriter could not assemble its parts in `folder` (nil: the C library's
    /// `tmpfile()`, which uses /tmp), or `nil` if it can.
    static func scratchProblem(_ folder: String?) -> String? {
        let dir = folder ?? "/tmp"
        var st = stat()
        guard stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            return "the temporary folder \(dir) does not exist"
        }
        guard access(dir, W_OK | X_OK) == 0 else {
            return "the temporary folder \(dir) is not writable (\(String(cString: strerror(errno))))"
        }
        return nil
    }

    /// Why `path` cannot be written, or `nil` if it looks writable.
    static func destinationProblem(_ path: String) -> String? {
        let folder: String
        if let slash = path.lastIndex(of: "/") {
            folder = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            folder = "."
        }
        var st = stat()
        guard stat(folder, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            return "the folder \(folder) does not exist"
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            return "the folder \(folder) is not writable (\(String(cString: strerror(errno))))"
        }
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            return "a folder of that name is in the way"
        }
        return nil
    }
}

