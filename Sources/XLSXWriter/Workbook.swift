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
/// library never prints warnings and never writes a cell Excel would have to repair; what only
/// the library can find out (a disk filling up while the file is written) comes back as
/// ``XLSXError/Code/library(_:)``, and the lines it would have printed are kept out of
/// standard error (see `LibraryOutput`).
///
/// ## Lifetime
///
/// libxlsxwriter frees every worksheet, chart and format of a workbook when the workbook is
/// written or freed, so a C pointer kept past that point is a use-after-free. The wrapper
/// makes that impossible through its public API, in the manner of GRDB's `Database`:
///
/// - This object owns every C pointer of the workbook. ``Worksheet`` and ``Chart`` hold a
///   strong reference to their workbook (``Worksheet/workbook``) and an index, never a
///   pointer of their own, so a worksheet that outlives the variable that held its workbook
///   keeps the workbook alive and can still write to it, or close it.
/// - Every method of every handle asks the workbook for its pointer, and the workbook gives it
///   only while it is open; after ``close()`` (successful or not) every call throws
///   ``XLSXError/Code/workbookClosed``. A handle cannot reach freed memory because no path to
///   the memory skips that check.
///
/// A scoped design (`Workbook.write(to:) { book in … }`, handles valid only inside the
/// closure) was the alternative; it was not chosen because a scope cannot stop a handle from
/// escaping (assigning it to an outer variable compiles), so each call would need the same
/// check anyway, and the callers build a workbook across several functions that take sheets
/// and charts as arguments, which reads naturally with plain objects.
///
/// A workbook and its handles are not `Sendable`: one workbook is built on one thread (many
/// workbooks can be built on as many threads at once).
public final class Workbook {
    /// Where ``close()`` writes the file.
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

    /// Whether cells, sheets and charts can still be added: false once ``close()`` was called.
    public var isOpen: Bool { raw != nil }

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

    /// The C workbook while it is open; nil once closed (libxlsxwriter has freed it and all it
    /// holds). Read only through ``live(_:)``.
    private var raw: UnsafeMutablePointer<lxw_workbook>?
    /// The worksheets' C objects, by ``Worksheet`` index; reached only through ``sheet(_:_:)``.
    private var sheets: [SheetSlot] = []
    /// The charts' C objects, by ``Chart`` index; reached only through ``chart(_:_:)``.
    private var charts: [ChartSlot] = []
    private var formats: [CellFormat: UnsafeMutablePointer<lxw_format>] = [:]
    /// Sheet names as written, by their lowercase form (Excel compares names ignoring case).
    private var sheetNames: [String: String] = [:]
    /// C strings that must live as long as the workbook (chart titles, property strings).
    private var retained: [UnsafeMutablePointer<CChar>] = []
    /// Where libxlsxwriter assembles the parts (nil: the C library's tmpfile(), in /tmp).
    private let temporaryFolder: String?

    private struct SheetSlot {
        let raw: UnsafeMutablePointer<lxw_worksheet>
        var links = 0
        /// Merged ranges: the column ranges merged in each row.
        var merged: [Int: [ClosedRange<Int>]] = [:]
    }

    private struct ChartSlot {
        let raw: UnsafeMutablePointer<lxw_chart>
        var series = 0
        var inserted = false
    }

    /// Starts a workbook that ``close()`` will write to `path`.
    /// - Parameter temporaryFolder: where libxlsxwriter keeps its scratch files (default: the system's).
    public init(path: String, properties: Properties, temporaryFolder: String? = nil) throws(XLSXError) {
        self.path = path
        self.temporaryFolder = temporaryFolder
        let operation = "creating workbook \(path)"
        guard !path.utf8.contains(0), temporaryFolder?.utf8.contains(0) != true else {
            throw XLSXError(.destinationNotWritable, operation, "a file or folder name cannot hold a NUL character")
        }
        var options = lxw_workbook_options()
        options.constant_memory = 0
        options.use_zip64 = 1
        // libxlsxwriter copies the folder name, so a pointer valid for the call is enough.
        let made = path.withCString { file in
            guard let folder = temporaryFolder else { return workbook_new_opt(file, &options) }
            return folder.withCString { tmp in
                options.tmpdir = UnsafeMutablePointer(mutating: tmp)
                return workbook_new_opt(file, &options)
            }
        }
        guard let wb = made else {
            throw XLSXError(.library(.memoryAllocationFailed), operation, "libxlsxwriter could not start a workbook (out of memory?)")
        }
        raw = wb
        var props = lxw_doc_properties()
        props.title = try keep(properties.title, operation)
        props.subject = try keep(properties.subject, operation)
        props.author = try keep("adhere", operation)
        props.created = time_t(properties.created)
        try check(workbook_set_properties(wb, &props), "setting document properties of \(path)")
    }

    deinit {
        if let wb = raw { lxw_workbook_free(wb) }
        for p in retained { free(p) }
    }

    // MARK: - The only ways to C memory

    /// The C workbook, or ``XLSXError/Code/workbookClosed`` once it was closed.
    func live(_ operation: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<lxw_workbook> {
        guard let wb = raw else { throw XLSXError(.workbookClosed, operation(), "the workbook is already closed") }
        return wb
    }

    /// Worksheet `index`'s C object, while the workbook is open.
    func sheet(_ index: Int, _ operation: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<lxw_worksheet> {
        _ = try live(operation())
        return sheets[index].raw
    }

    /// Chart `index`'s C object, while the workbook is open.
    func chart(_ index: Int, _ operation: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<lxw_chart> {
        _ = try live(operation())
        return charts[index].raw
    }

    /// A copy of `s` (made safe for XML) that lives as long as the workbook.
    func keep(_ s: String, _ operation: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<CChar> {
        guard let p = strdup(Workbook.cSafe(s)) else {
            throw XLSXError(.library(.memoryAllocationFailed), operation(), "out of memory")
        }
        retained.append(p)
        return p
    }

    // MARK: - Text

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

    // MARK: - Sheets

    /// Adds a worksheet. Names are checked as Excel does (1-31 characters, none of `[]:*?/\`,
    /// no leading or trailing apostrophe, not "History", unique ignoring case).
    public func addWorksheet(_ given: String) throws(XLSXError) -> Worksheet {
        let name = Workbook.cSafe(given)
        let operation = "adding worksheet '\(name)'"
        let wb = try live(operation)
        try Workbook.validateSheetName(name, existing: sheetNames)
        guard let ws = name.withCString({ workbook_add_worksheet(wb, $0) }) else {
            throw XLSXError(.library(.memoryAllocationFailed), operation, "libxlsxwriter refused the worksheet")
        }
        sheetNames[name.lowercased()] = name
        sheets.append(SheetSlot(raw: ws))
        return Worksheet(workbook: self, index: sheets.count - 1, name: name)
    }

    static func validateSheetName(_ name: String, existing: [String: String]) throws(XLSXError) {
        let op = "adding worksheet '\(name)'"
        if name.isEmpty || ExcelLimits.textLength(name, over: ExcelLimits.maxSheetNameLength) {
            throw XLSXError(.invalidSheetName, op, "a sheet name must have 1 to 31 characters")
        }
        if name.contains(where: { "[]:*?/\\".contains($0) }) {
            throw XLSXError(.invalidSheetName, op, "a sheet name cannot contain [ ] : * ? / \\")
        }
        if name.hasPrefix("'") || name.hasSuffix("'") {
            throw XLSXError(.invalidSheetName, op, "a sheet name cannot start or end with an apostrophe")
        }
        if name.lowercased() == "history" {
            throw XLSXError(.invalidSheetName, op, "Excel keeps the name History for itself")
        }
        if existing[name.lowercased()] != nil {
            throw XLSXError(.duplicateSheetName, op, "the workbook already has a sheet with that name")
        }
    }

    /// The name, as written, of this workbook's sheet called `name` ignoring case (after
    /// ``xmlSafe(_:)``), or nil.
    func sheetName(matching name: String) -> String? { sheetNames[Workbook.cSafe(name).lowercased()] }

    /// Counts a link on sheet `index`, or throws if the sheet holds as many as Excel allows.
    func addLink(onSheet index: Int, _ operation: @autoclosure () -> String) throws(XLSXError) {
        guard sheets[index].links < ExcelLimits.maxLinksPerSheet else {
            throw XLSXError(.tooManyLinks, operation(), "a sheet holds at most 65,530 links")
        }
        sheets[index].links += 1
    }

    /// Records a merged range on sheet `index`, or throws if it overlaps one merged before.
    func addMerge(onSheet index: Int, rows: ClosedRange<Int>, columns: ClosedRange<Int>,
                  _ operation: @autoclosure () -> String) throws(XLSXError) {
        for r in rows where sheets[index].merged[r]?.contains(where: { $0.overlaps(columns) }) == true {
            throw XLSXError(.overlappingMerge, operation(), "the range overlaps a range merged before on row \(r + 1)")
        }
        for r in rows { sheets[index].merged[r, default: []].append(columns) }
    }

    // MARK: - Formats

    /// The C format for `spec` (made once per workbook), nil for the default format.
    func format(_ spec: CellFormat?, _ operation: @autoclosure () -> String) throws(XLSXError) -> UnsafeMutablePointer<lxw_format>? {
        let wb = try live(operation())
        guard let spec else { return nil }
        if let f = formats[spec] { return f }
        if let problem = spec.problem { throw XLSXError(.invalidValue, operation(), problem) }
        guard let f = workbook_add_format(wb) else {
            throw XLSXError(.library(.memoryAllocationFailed), operation(), "libxlsxwriter could not create the format")
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

    // MARK: - Charts

    /// Adds a line chart; give it a series with ``Chart/addSeries(name:sheet:categoryColumn:valueColumn:firstRow:lastRow:color:markers:)``
    /// and place it on a sheet with ``Worksheet/insertChart(_:row:column:scaleX:scaleY:)``.
    public func addLineChart(title: String, yAxisTitle: String? = nil, xAxisTitle: String? = nil) throws(XLSXError) -> Chart {
        let operation = "adding chart '\(title)'"
        let wb = try live(operation)
        guard let chart = workbook_add_chart(wb, UInt8(LXW_CHART_LINE.rawValue)) else {
            throw XLSXError(.library(.memoryAllocationFailed), operation, "libxlsxwriter could not create the chart")
        }
        // Owned from here: libxlsxwriter frees it with the workbook.
        charts.append(ChartSlot(raw: chart))
        chart_title_set_name(chart, try keep(Chart.literal(title), operation))
        if let y = yAxisTitle { chart_axis_set_name(chart.pointee.y_axis, try keep(Chart.literal(y), operation)) }
        if let x = xAxisTitle { chart_axis_set_name(chart.pointee.x_axis, try keep(Chart.literal(x), operation)) }
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        contents.charts += 1
        return Chart(workbook: self, index: charts.count - 1, title: title)
    }

    /// Counts a series of chart `index`.
    func addedSeries(toChart index: Int) {
        charts[index].series += 1
        contents.series += 1
    }

    /// Throws if chart `index` cannot be placed: placed already, or without a series.
    func checkPlacement(ofChart index: Int, _ operation: @autoclosure () -> String) throws(XLSXError) {
        guard !charts[index].inserted else {
            throw XLSXError(.chartAlreadyInserted, operation(), "a chart can be placed once")
        }
        guard charts[index].series > 0 else {
            throw XLSXError(.chartWithoutSeries, operation(), "the chart has no series to draw")
        }
    }

    /// Marks chart `index` as placed.
    func placed(chart index: Int) { charts[index].inserted = true }

    // MARK: - Writing

    /// Writes the file. After this call, successful or not, the workbook is closed: every
    /// further call on it or its handles (this one included) throws
    /// ``XLSXError/Code/workbookClosed``; when it throws, nothing is left at `path`.
    ///
    /// The destination is checked first (its folder exists and can be written, and it is not a
    /// folder itself), so the usual mistakes give a clear error without libxlsxwriter printing
    /// its own `[ERROR]` line; faults found only while writing (a full disk) come from the
    /// library, with what it would have printed in the error's message instead of on stderr.
    public func close() throws(XLSXError) {
        let operation = "writing workbook \(path)"
        let wb = try live(operation)
        raw = nil
        if let problem = Workbook.destinationProblem(path) {
            lxw_workbook_free(wb)
            throw XLSXError(.destinationNotWritable, operation, problem)
        }
        if let problem = Workbook.scratchProblem(temporaryFolder) {
            lxw_workbook_free(wb)
            throw XLSXError(.temporaryFolderUnusable, operation, problem)
        }
        // Can the file be created? Found out here, so the library never prints its own error.
        var created = false
        if access(path, F_OK) != 0 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                let why = String(cString: strerror(errno))
                lxw_workbook_free(wb)
                throw XLSXError(.destinationNotWritable, operation, "the file cannot be created (\(why))")
            }
            closeDescriptor(fd)
            created = true
        } else if access(path, W_OK) != 0 {
            let why = String(cString: strerror(errno))
            lxw_workbook_free(wb)
            throw XLSXError(.destinationNotWritable, operation, "the file cannot be written (\(why))")
        }
        // workbook_close frees the workbook whatever it returns.
        let (result, printed) = LibraryOutput.capturing { workbook_close(wb) }
        if result != LXW_NO_ERROR {
            if created { unlink(path) }
            throw XLSXError(library: result, operation, printed: printed)
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
