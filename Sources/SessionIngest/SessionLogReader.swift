import AdherenceAnalysis
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A row that failed validation: never counted, never lost.
public struct RejectedRow: Sendable, Hashable {
    public let file: String
    /// Physical line (1-based) where the row starts.
    public let line: Int
    public let reason: String
    /// The row exactly as written in the file.
    public let raw: String
    /// The reason without the offending value, for grouping ("reps must be a whole number 0 or more").
    public var category: String {
        var text = reason
        for marker in [", found", " '", ": expected"] {
            if let r = text.range(of: marker) { text = String(text[..<r.lowerBound]) }
        }
        if text.hasPrefix("a field has ") { return "field longer than a cell holds" }
        return text
    }
    /// The row's therapist and clinic, where they could be read (to file it with the right report).
    public let therapist: String?
    public let clinic: String?

    /// The row's fields by canonical column, as far as they could be told apart (for the
    /// rejects file, which can be fixed and read back in).
    public let fields: [Column: String]

    public init(file: String, line: Int, reason: String, raw: String, therapist: String? = nil, clinic: String? = nil,
                fields: [Column: String] = [:]) {
        self.file = file
        self.line = line
        self.reason = reason
        self.raw = raw
        self.therapist = therapist
        self.clinic = clinic
        self.fields = fields
    }
}

/// What was read from one input file.
public struct InputFileSummary: Sendable {
    public var path: String
    public var bytes = 0
    /// Data rows read (header excluded), whatever became of them.
    public var rows = 0
    public var accepted = 0
    public var rejected = 0
    public var duplicates = 0
    /// Rows of other patients passed over unchecked in a one-patient read.
    public var skipped = 0
    public var sha256 = ""
    public var separator = ","
    public var encoding = "UTF-8"
    public var dateFormat = ""
    public var columns: [String: String] = [:]
    public var notices: [String] = []
    /// Clinical columns this file does not record (pain, hold, side, sets): the figures they
    /// drive cannot come from its rows. Side counts as recorded when its exercise names say it.
    public var missingClinical: [Column] = []
    /// Set when the whole file could not be used.
    public var error: IngestError?

    public init(path: String) { self.path = path }
}

/// An exercise name nobody settled, and how much of the input it carries.
public struct UnknownName: Sendable, Hashable {
    public var name: String
    public var rows: Int
    /// Ids of the patients with rows under this name.
    public var patients: Set<String>

    public init(name: String, rows: Int, patients: Set<String>) {
        self.name = name
        self.rows = rows
        self.patients = patients
    }
}

/// A clinical column that some export files do not record, and what that means for the
/// figures (domain.md, "Understood, or said").
public struct MissingClinicalColumn: Sendable, Hashable {
    /// The columns whose absence changes what can be said (sets default to 1 by the rules,
    /// and are only noted per file).
    public static let clinical: [Column] = [.pain, .holdSeconds, .side, .sets]

    public var column: Column
    public var files: [String]
    public var readableFiles: Int

    /// "2 of 3 export files" or "the export files".
    var whichFiles: String {
        let names = files.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + (files.count > 3 ? ", ..." : "")
        return files.count == readableFiles ? "the exports (\(names))" : "\(files.count) of \(readableFiles) export files (\(names))"
    }

    /// One sentence for the top of a Summary, or `nil` for a column whose absence the rules cover.
    public var summaryNotice: String? {
        let which = whichFiles.prefix(1).uppercased() + whichFiles.dropFirst()
        switch column {
        case .pain: return "\(which) record no pain: no pain flags can be raised for their rows, and pain figures from them are not recorded."
        case .holdSeconds: return "\(which) record no hold time: holds are not checked for their rows."
        case .side: return "\(which) record no side: their entries count for both sides, and side balance from them is not recorded."
        default: return nil
        }
    }

    /// The per-file note (`check`, the About sheet).
    public var fileNote: String {
        switch column {
        case .pain: return "no pain column: no pain flags from this file"
        case .holdSeconds: return "no hold column: holds not checked"
        case .side: return "no side column (nor sides in exercise names): entries count for both sides"
        case .sets: return "no sets column: each row is one set"
        default: return "no \(column.rawValue) column"
        }
    }
}

/// One patient's validated entries and the names shown for them.
public struct PatientLog: Sendable {
    public var id: String
    public var name: String?
    public var therapist: String?
    public var clinic: String?
    /// Entries dated inside the span read, in file order.
    public var entries: [Entry]
    /// Latest entry day up to the as-of date, over everything read.
    public var lastEntry: Day?
    /// Whether some entries were logged as done instead of reps (resolved with the prescription).
    public var hasDoneEntries: Bool { entries.contains { $0.isDone } }
}

/// How to read the inputs.
public struct IngestOptions: Sendable {
    public var catalog: ExerciseCatalog = .standard
    /// Entries are kept (and checked for duplicates) only when dated inside this span.
    public var span: DayRange
    /// Rows dated after this day are read and checked but not counted.
    public var asOf: Day
    /// Day/month order for slash dates; `nil` = decide per file from its values.
    public var dateOrder: DateOrder?
    /// Field separator; `nil` = detect per file.
    public var separator: UInt8?
    /// Header names the user mapped to canonical columns.
    public var extraColumns: [String: Column] = [:]
    /// The clinic's time zone: values written with an offset or `Z` are converted to it before
    /// their day is taken. `nil` = the day as written.
    public var timeZone: TimeZone?
    /// Text encoding of every file; `nil` = detect per file (UTF-16 by its byte-order mark,
    /// Windows-1252 when the bytes are not UTF-8).
    public var encoding: TextEncoding?
    /// Keep the entries (false for a check of the files, which only counts).
    public var keepEntries = true
    /// Compute each file's SHA-256 (for the report's About sheet).
    public var computeDigests = true
    /// Only this patient's rows are checked and kept (for one-patient views); other rows are
    /// passed over unchecked. `nil` = everyone.
    public var onlyPatient: String?

    public init(span: DayRange, asOf: Day) {
        self.span = span
        self.asOf = asOf
    }
}

/// Everything read from the session logs.
public struct IngestResult: Sendable {
    public var patients: [PatientLog]
    public var files: [InputFileSummary]
    public var rejects: [RejectedRow]
    /// Exercise names neither the catalog nor the naming rules settle, with how many rows
    /// (up to the as-of date) and patients used them, most used first.
    public var unknownExercises: [UnknownName]
    /// Accepted rows dated after the as-of date (not counted in this report).
    public var rowsAfterAsOf: Int
    /// Every distinct exercise name written in the files, sorted (for a catalog file to finish).
    public var exerciseNamesSeen: [String] = []
    /// In a one-patient read, the ids of the other patients seen (rows not checked).
    public var otherPatientIDs: [String] = []

    /// The clinical columns some readable files do not record, each with those files.
    public var missingClinicalColumns: [MissingClinicalColumn] {
        let readable = files.filter { $0.error == nil }
        return MissingClinicalColumn.clinical.compactMap { column in
            let lacking = readable.filter { $0.missingClinical.contains(column) }.map(\.path)
            return lacking.isEmpty ? nil : MissingClinicalColumn(column: column, files: lacking, readableFiles: readable.count)
        }
    }

    public var rowsRead: Int { files.reduce(0) { $0 + $1.rows } }
    public var rowsRejected: Int { files.reduce(0) { $0 + $1.rejected } }
    public var duplicatesDropped: Int { files.reduce(0) { $0 + $1.duplicates } }
    public var failedFiles: [InputFileSummary] { files.filter { $0.error != nil } }
}

/// Reads session-log CSV files into validated entries, streaming each file once.
///
/// Files are parsed in parallel (one worker per core), then merged in the order given, so
/// the result, duplicates included, is the same as reading them one after another.
/// Every row ends up in exactly one place: accepted, dropped as a duplicate, or rejected
/// with its file, line, reason and raw text.
public final class SessionLogReader {
    public let options: IngestOptions

    public init(options: IngestOptions) {
        self.options = options
    }

    /// Reads every file; a file that cannot be used is recorded with its error and the others
    /// are still read.
    public func read(files: [String]) -> IngestResult {
        let options = self.options
        var parsed = ParallelMap.map(Array(files.enumerated())) { item in
            var parser = FileParser(options: options)
            parser.fileNumber = item.offset
            return parser.parse(item.element)
        }
        var repeated = DuplicateFinder.duplicates(parsed.map(\.keptFingerprints))
        var merger = Merger(keepEntries: options.keepEntries)
        for i in parsed.indices {
            parsed[i].keptFingerprints = []
            merger.add(parsed[i], repeated: repeated[i])
            parsed[i].kept = []  // each file's rows are freed as soon as they are merged
            parsed[i].rightSides = []
            repeated[i] = []
        }
        return merger.result()
    }
}

/// Runs a function over items on all cores, keeping the results in the items' order.
public enum ParallelMap {
    /// Worker threads: one per core, or `ADHERE_THREADS` (the tests use 1 to show the output
    /// does not depend on it).
    public static var threads: Int {
        if let v = ProcessInfo.processInfo.environment["ADHERE_THREADS"], let n = Int(v), n >= 1 { return min(n, 64) }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    public static func map<T: Sendable, R>(_ items: [T], _ body: @escaping @Sendable (T) -> R) -> [R] {
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let slots = UncheckedSendable(results)
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        let work: @Sendable () -> Void = {
            while true {
                lock.lock()
                let i = next
                next += 1
                lock.unlock()
                guard i < items.count else { return }
                slots.value[i] = body(items[i])
            }
        }
        let workers = min(items.count, ParallelMap.threads)
        var threads: [Thread] = []
        let done = DispatchGroup()
        for _ in 1..<max(workers, 1) {
            done.enter()
            let t = Thread { work(); done.leave() }
            t.stackSize = 1 << 22
            threads.append(t)
            t.start()
        }
        work()
        done.wait()
        return results.map { $0! }
    }
}

struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Which row of which file: orders values that tie on the day (later rows win).
struct RowOrder: Comparable {
    var day: Day
    var file: Int
    var row: Int
    static func < (a: RowOrder, b: RowOrder) -> Bool { (a.day, a.file, a.row) < (b.day, b.file, b.row) }
}

/// What one file yields before it is merged with the others.
struct ParsedFile {
    var summary: InputFileSummary
    var rejects: [RejectedRow] = []
    var patients: [LocalPatient] = []
    var strings: [String] = []
    var unknown: [String: UnknownName] = [:]
    var namesSeen: [String] = []
    var rowsAfterAsOf = 0
    /// Accepted rows inside the span, in file order: checked for duplicates when merged.
    var keptFingerprints: [RowFingerprint] = []
    /// The entries of those rows (left empty when entries are not kept).
    var kept: [KeptRow] = []
    /// The right sides of rows written with left and right reps columns, by the index of their
    /// kept row (which holds the left), in order. Apart, so other exports' rows stay small.
    var rightSides: [(row: Int, entry: Entry)] = []
    var otherPatientIDs = Set<String>()
}

struct LocalPatient {
    var id: String
    var lastEntry: Day?
    var name: (order: RowOrder, text: Int32)?
    var therapist: (order: RowOrder, text: Int32)?
    var clinic: (order: RowOrder, text: Int32)?
}

struct KeptRow {
    var patient: Int32
    var entry: Entry
}

/// Merges parsed files in order: patients by id, duplicates across files, names by recency.
struct Merger {
    /// When false (a check of the files), rows are only checked for duplicates, not kept.
    var keepEntries = true
    var index: [String: Int] = [:]
    var patients: [(log: PatientLog, name: (RowOrder, String)?, therapist: (RowOrder, String)?, clinic: (RowOrder, String)?)] = []
    var files: [InputFileSummary] = []
    var rejects: [RejectedRow] = []
    var unknown: [String: UnknownName] = [:]
    var namesSeen = Set<String>()
    var rowsAfterAsOf = 0
    var otherPatientIDs = Set<String>()

    /// Adds a file's rows; `repeated` tells, for each of its kept rows, whether it repeats an
    /// earlier row (see ``DuplicateFinder``).
    mutating func add(_ file: ParsedFile, repeated: [Bool]) {
        var summary = file.summary
        var local: [Int] = []
        local.reserveCapacity(file.patients.count)
        for p in file.patients {
            let g: Int
            if let i = index[p.id] { g = i } else {
                g = patients.count
                index[p.id] = g
                patients.append((PatientLog(id: p.id, name: nil, therapist: nil, clinic: nil, entries: [], lastEntry: nil), nil, nil, nil))
            }
            local.append(g)
            if let d = p.lastEntry, patients[g].log.lastEntry.map({ $0 < d }) ?? true { patients[g].log.lastEntry = d }
            func newer(_ current: (RowOrder, String)?, _ candidate: (order: RowOrder, text: Int32)?) -> (RowOrder, String)? {
                guard let c = candidate else { return current }
                if let cur = current, c.order < cur.0 { return current }
                return (c.order, file.strings[Int(c.text)])
            }
            patients[g].name = newer(patients[g].name, p.name)
            patients[g].therapist = newer(patients[g].therapist, p.therapist)
            patients[g].clinic = newer(patients[g].clinic, p.clinic)
        }
        var nextRight = 0
        for (k, isRepeat) in repeated.enumerated() {
            var right: Entry?
            if nextRight < file.rightSides.count, file.rightSides[nextRight].row == k {
                right = file.rightSides[nextRight].entry
                nextRight += 1
            }
            if !isRepeat {
                if keepEntries {
                    let row = file.kept[k]
                    patients[local[Int(row.patient)]].log.entries.append(row.entry)
                    if let right { patients[local[Int(row.patient)]].log.entries.append(right) }
                }
            } else {
                summary.duplicates += 1
                summary.accepted -= 1
            }
        }
        rejects += file.rejects
        for (k, v) in file.unknown {
            unknown[k, default: UnknownName(name: k, rows: 0, patients: [])].rows += v.rows
            unknown[k]!.patients.formUnion(v.patients)
        }
        rowsAfterAsOf += file.rowsAfterAsOf
        namesSeen.formUnion(file.namesSeen)
        otherPatientIDs.formUnion(file.otherPatientIDs)
        files.append(summary)
    }

    func result() -> IngestResult {
        let logs = patients.map { p -> PatientLog in
            var log = p.log
            log.name = p.name?.1
            log.therapist = p.therapist?.1
            log.clinic = p.clinic?.1
            return log
        }
        let unknownList = unknown.values
            .sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.name < $1.name }
        return IngestResult(patients: logs, files: files, rejects: rejects,
                            unknownExercises: unknownList, rowsAfterAsOf: rowsAfterAsOf,
                            exerciseNamesSeen: namesSeen.sorted(), otherPatientIDs: otherPatientIDs.sorted())
    }
}

/// The last bytes seen in a column, what they meant and their fingerprint: consecutive rows
/// mostly repeat the same patient, names and time stamp, so most lookups are one short
/// comparison, with no `String` and no hashing.
struct LastValueCache {
    var bytes: [UInt8] = []
    var value: Int32 = -1
    /// Fingerprint of `bytes` (for a row's duplicate check).
    var print = RowFingerprint()

    @inline(__always) func matches(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value >= 0, bytes.count == t.count else { return false }
        return bytes.withUnsafeBufferPointer { b in
            t.count == 0 || ByteCompare.equal(b.baseAddress!, t.baseAddress!, t.count)
        }
    }

    /// Remembers `t` as meaning `v` (and its fingerprint, unless the column's values never
    /// enter one, as with time stamps, which rows fingerprint as parsed).
    @inline(__always) mutating func store(_ t: UnsafeBufferPointer<UInt8>, _ v: Int32, fingerprint: Bool = true) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: t)
        value = v
        print = fingerprint ? RowFingerprint(t) : RowFingerprint()
    }
}

/// Equality of short byte runs (ids, names, time stamps) without a call to `memcmp`.
enum ByteCompare {
    @inline(__always) static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}

/// Texts kept once each, numbered in the order first seen.
final class StringTable {
    private(set) var texts: [String] = []
    private var index: [String: Int32] = [:]

    func intern(_ s: String) -> Int32 {
        if let i = index[s] { return i }
        let i = Int32(texts.count)
        texts.append(s)
        index[s] = i
        return i
    }
}

/// Parses and validates one file.
struct FileParser {
    let options: IngestOptions
    var out: ParsedFile = ParsedFile(summary: InputFileSummary(path: ""))
    var patientIndex: [String: Int32] = [:]
    /// The file's texts (names, therapists, clinics, exercise names), each kept once.
    let strings = StringTable()
    var exerciseCache: [(bytes: [UInt8], exercise: ExerciseLookup)] = []
    /// Every spelling read in this file (names are read once per distinct spelling).
    var exercisesSeen: [[UInt8]: ExerciseLookup] = [:]
    var idCache = LastValueCache()
    var dateCache = LastValueCache()
    var lastDate: ParsedDate?
    var nameCache = LastValueCache(), therapistCache = LastValueCache(), clinicCache = LastValueCache()
    /// What an empty text field adds to a row's fingerprint.
    let emptyPrint = RowFingerprint.empty
    var fileNumber = 0
    var rowNumber = 0
    /// The one patient wanted, as bytes, when `options.onlyPatient` is set.
    let onlyPatientBytes: [UInt8]?
    /// Other patients' ids seen in a one-patient read (to suggest the nearest when the id is wrong).
    var knownIDs = Set<String>()

    init(options: IngestOptions) {
        self.options = options
        onlyPatientBytes = options.onlyPatient.map { Array($0.utf8) }
    }

    consuming func parse(_ path: String) -> ParsedFile {
        out.summary = InputFileSummary(path: path)
        do {
            try readFile(path)
        } catch let e as IngestError {
            out.summary.error = e
        } catch let e as FileReadError {
            out.summary.error = .unreadable(file: path, reason: e.reason)
        } catch {
            out.summary.error = .unreadable(file: path, reason: "\(error)")
        }
        out.otherPatientIDs = knownIDs
        out.strings = strings.texts
        out.namesSeen = exercisesSeen.values.map { strings.texts[Int($0.name)] }
        if out.summary.error != nil {
            // A file that cannot be used contributes nothing but its error.
            let summary = out.summary
            out = ParsedFile(summary: summary)
        }
        return out
    }

    private mutating func readFile(_ path: String) throws {
        let input = try InputSource(path: path, hashing: options.computeDigests, encoding: options.encoding)
        let reader = CSVRecordReader(source: input.source)
        defer { out.summary.bytes = input.rawBytes }
        if let kind = input.utf16 { out.summary.encoding = kind }
        let head = try reader.peek(4096)
        if head.isEmpty { throw IngestError.empty(file: path) }
        if let kind = InputSniffing.binaryKind(head) { throw IngestError.notCSV(file: path, looksLike: kind) }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            try reader.skip(3)
            out.summary.encoding = "UTF-8 with BOM"
        }
        let sep = options.separator ?? InputSniffing.separator(head)
        reader.separator = sep
        out.summary.separator = InputSniffing.separatorName(sep)

        guard try reader.next() else { throw IngestError.empty(file: path) }
        var headers: [String] = []
        for i in 0..<reader.fieldCount {
            headers.append(reader.withField(i) { decode($0).0.trimmingSpaces })
        }
        reader.expectedFields = headers.count
        // adhere's own rejects file, fixed and given back: its guarded fields lose their `'`.
        reader.unguardFormulas = RejectsFormat.isRejectsHeader(headers)
        let matcher = HeaderMatcher(extra: options.extraColumns)
        let map = try matcher.map(headers: headers, file: path) {
            // Only when a column is missing: the first rows' values, so a suggestion fits them.
            var sample: [[String]] = []
            while sample.count < 50, try reader.next() {
                sample.append((0..<reader.fieldCount).map { i in reader.withField(i) { decode($0).0.trimmingSpaces } })
            }
            return sample
        }
        out.summary.notices += matcher.competing(headers: headers)
        for (c, i) in map { out.summary.columns[c.rawValue] = headers[i] }
        let columns = ColumnIndexes(map)
        var context = RowContext(path: path, headerCount: headers.count, dateColumn: headers[map[.performedAt]!],
                                 dateOrder: options.dateOrder, decimalComma: sep != UInt8(ascii: ","))

        while try reader.next() {
            out.summary.rows += 1
            rowNumber += 1
            switch try row(reader, columns, &context) {
            case .accepted:
                out.summary.accepted += 1
            case .skipped:
                out.summary.skipped += 1
            case .rejected(let reason):
                out.summary.rejected += 1
                func text(_ i: Int?) -> String? {
                    guard let i, i < reader.fieldCount else { return nil }
                    let s = fieldText(reader, i)
                    return s.isEmpty ? nil : s
                }
                var fields: [Column: String] = [:]
                for (column, i) in map where i < reader.fieldCount { fields[column] = fieldText(reader, i) }
                out.rejects.append(RejectedRow(file: path, line: reader.line, reason: reason,
                                               raw: decode(reader.rawBytes),
                                               therapist: text(columns.therapist), clinic: text(columns.clinic),
                                               fields: fields))
            }
        }
        out.summary.sha256 = input.sha256 ?? ""
        if options.encoding == .windows1252 {
            out.summary.encoding = "Windows-1252 (as told)"
        } else if context.legacyText && out.summary.encoding.hasPrefix("UTF-8") {
            out.summary.encoding = "Windows-1252"
            out.summary.notices.append("text is not UTF-8; read as Windows-1252")
        }
        out.summary.dateFormat = context.dateFormat ?? "none read"
        for column in MissingClinicalColumn.clinical where map[column] == nil {
            if column == .side && exercisesSeen.values.contains(where: { $0.side != nil }) { continue }
            out.summary.missingClinical.append(column)
            out.summary.notices.append(MissingClinicalColumn(column: column, files: [path], readableFiles: 1).fileNote)
        }
    }

    struct RowContext {
        let path: String
        let headerCount: Int
        let dateColumn: String
        var dateOrder: DateOrder?
        let decimalComma: Bool
        var legacyText = false
        var dateFormat: String?
    }

    /// How a file writes its dates, from its first readable one: "YYYY-MM-DD HH:MM with offset".
    static func describeDate(_ t: UnsafeBufferPointer<UInt8>, _ d: ParsedDate, _ order: DateOrder?) -> String {
        var s: String
        if t.count >= 10 && t[4] == UInt8(ascii: "-") { s = "YYYY-MM-DD" }
        else if t.contains(UInt8(ascii: ".")) && !t.contains(UInt8(ascii: "/")) { s = "DD.MM.YYYY" }
        else { s = order == .monthFirst ? "MM/DD/YYYY" : "DD/MM/YYYY" }
        if d.seconds != nil { s += " HH:MM" }
        if d.offsetMinutes != nil { s += " with offset" }
        return s
    }

    struct ColumnIndexes {
        let id, date, exercise: Int
        /// How reps are written: one reps column, left and right columns, or done/not done.
        enum Reps { case total(Int), paired(left: Int?, right: Int?), done(Int) }
        let reps: Reps
        let name, therapist, clinic, side, sets, hold, pain, notes, setNumber: Int?
        init(_ m: [Column: Int]) {
            id = m[.patientID]!; date = m[.performedAt]!; exercise = m[.exercise]!
            if let r = m[.reps] { reps = .total(r) } else if let d = m[.done] { reps = .done(d) } else {
                reps = .paired(left: m[.repsLeft], right: m[.repsRight])
            }
            name = m[.patientName]; therapist = m[.therapist]; clinic = m[.clinic]; side = m[.side]
            sets = m[.sets]; hold = m[.holdSeconds]; pain = m[.pain]; notes = m[.notes]; setNumber = m[.setNumber]
        }
    }

    enum Outcome { case accepted, skipped, rejected(String) }

    private mutating func row(_ r: CSVRecordReader, _ c: ColumnIndexes, _ ctx: inout RowContext) throws -> Outcome {
        if let problem = r.malformed { return .rejected("malformed CSV: \(problem)") }
        if r.fieldCount != ctx.headerCount {
            var extraEmpty = r.fieldCount > ctx.headerCount
            if extraEmpty {
                for i in ctx.headerCount..<r.fieldCount where r.withField(i, { FieldParsing.trimmed($0).count }) > 0 {
                    extraEmpty = false
                }
            }
            if !extraEmpty {
                return .rejected("wrong number of fields: expected \(ctx.headerCount), found \(r.fieldCount)")
            }
        }
        // Notes are never shown in a workbook, so only the other fields must fit in a cell.
        // Characters are counted as a spreadsheet counts them: UTF-16 code units (never more
        // than the field's bytes, so shorter fields are settled by their byte count).
        for i in 0..<(r.longestField > 32_767 ? r.fieldCount : 0) where i != c.notes && r.withField(i, { $0.count }) > 32_767 {
            let chars = r.withField(i) { decode($0).0.utf16.count }
            if chars > 32_767 {
                return .rejected("a field has \(chars) characters, more than a spreadsheet cell holds (32,767)")
            }
        }
        if let only = onlyPatientBytes {
            // One patient's view: other patients' rows are counted as read and skipped unchecked.
            let mine = r.withField(c.id) { f -> Bool in
                let t = FieldParsing.trimmed(f)
                return t.count == only.count && only.withUnsafeBufferPointer { memcmp($0.baseAddress!, t.baseAddress!, t.count) == 0 }
            }
            if !mine {
                if knownIDs.count < 100_000 {
                    r.withField(c.id) { f in
                        let t = FieldParsing.trimmed(f)
                        // Ids with a control character are never suggested (a row with one is rejected).
                        if !t.isEmpty && !idCache.matches(t) && !t.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                            knownIDs.insert(decode(t).0)
                            idCache.store(t, 0, fingerprint: false)
                        }
                    }
                }
                return .skipped
            }
        }
        // Patient id: not empty, and no control character (a NUL, an escape, a tab inside: it
        // would name a patient nobody can type or see, apart from the one written without it).
        var idProblem: String?
        r.withField(c.id) { f in
            let t = FieldParsing.trimmed(f)
            if t.count == 0 { idProblem = "missing patient id"; return }
            if idCache.matches(t) { return }
            guard let at = t.firstIndex(where: { $0 < 0x20 || $0 == 0x7F }) else { return }
            // Which character and where, never the id itself.
            let position = decode(UnsafeBufferPointer(rebasing: t[..<at])).0.count + 1
            idProblem = "patient id holds a control character, found \(FileParser.controlName(t[at])) at character \(position)"
        }
        if let idProblem { return .rejected(idProblem) }

        // Date.
        var parsedDate: ParsedDate?
        var dateProblem: String?
        try r.withField(c.date) { f in
            let t = FieldParsing.trimmed(f)
            if t.count == 0 { dateProblem = "missing date"; return }
            // The rows of one sitting share their time stamp: reuse the last reading.
            if let last = lastDate, dateCache.matches(t) {
                parsedDate = last
                return
            }
            var result = DateParsing.parse(t, order: ctx.dateOrder)
            var needsOrder = false
            if ctx.dateOrder == nil, t.contains(UInt8(ascii: "/")) {
                if case .success = result { needsOrder = true }
                if case .failure(.ambiguousSlash) = result { needsOrder = true }
            }
            if needsOrder {
                // The first slash date decides the whole column's order, from all its values.
                ctx.dateOrder = try InputSniffing.dateOrder(path: ctx.path, separator: r.separator, column: c.date,
                                                            columnName: ctx.dateColumn, encoding: options.encoding)
                result = DateParsing.parse(t, order: ctx.dateOrder)
            }
            switch result {
            case .success(let d):
                parsedDate = d
                lastDate = d
                dateCache.store(t, 0, fingerprint: false)
                if ctx.dateFormat == nil { ctx.dateFormat = FileParser.describeDate(t, d, ctx.dateOrder) }
            case .failure(.impossible): dateProblem = "impossible date '\(decode(t).0)'"
            case .failure(.outOfRange): dateProblem = "date out of range '\(decode(t).0)' (years 1900 to 2199)"
            case .failure: dateProblem = "unreadable date '\(decode(t).0)'"
            }
        }
        guard var date = parsedDate else { return .rejected(dateProblem ?? "unreadable date") }
        if let zone = options.timeZone, let offset = date.offsetMinutes, let seconds = date.seconds {
            date.day = FileParser.localDay(date.day, seconds: seconds, offsetMinutes: offset, in: zone)
        }

        // Exercise.
        let exercise: ExerciseLookup? = r.withField(c.exercise) { f in
            let t = FieldParsing.trimmed(f)
            if t.count == 0 { return nil }
            return lookupExercise(t)
        }
        guard let ex = exercise else { return .rejected("missing exercise name") }

        // Side: the side column, else the side written in the exercise name, else both.
        var side = ex.side ?? Side.both
        if let i = c.side {
            // nil: blank; .some(nil): not a side.
            let s: Side?? = r.withField(i) { f in
                let t = FieldParsing.trimmed(f)
                return t.count == 0 ? nil : .some(FieldParsing.side(t) ?? nil)
            }
            switch s {
            case nil: break
            case .some(nil): return .rejected("side must be left, right or both, found '\(fieldText(r, i))'")
            case .some(.some(let v)):
                if let named = ex.side, named != v {
                    return .rejected("side column says \(v) but the exercise name says \(named), found '\(fieldText(r, i))'")
                }
                side = v
            }
        }

        // Sets and reps.
        var sets = 1
        if let i = c.sets {
            let v: Int?? = r.withField(i) { f in
                let t = FieldParsing.trimmed(f)
                return t.count == 0 ? .some(1) : .some(FieldParsing.wholeNumber(t, decimalComma: ctx.decimalComma))
            }
            guard case .some(.some(let s)) = v else {
                return .rejected("sets must be a whole number 0 or more, found '\(fieldText(r, i))'")
            }
            sets = s
        }
        // One row per set: the set's number tells rows apart; each row is one set.
        var setNumber = 0
        if let i = c.setNumber, !r.withField(i, { (FieldParsing.trimmed($0).count == 0) }) {
            guard let n = r.withField(i, { FieldParsing.wholeNumber(FieldParsing.trimmed($0), decimalComma: ctx.decimalComma) }), n >= 1 else {
                return .rejected("set number must be a whole number 1 or more, found '\(fieldText(r, i))'")
            }
            setNumber = n
        }
        // Plain functions of their inputs: a nested function capturing the row's `var sets`
        // would box it on the heap for every row.
        let setsCount = sets, decimalComma = ctx.decimalComma
        func readReps(_ i: Int) -> Int?? { FileParser.reps(r, i, decimalComma: decimalComma) }
        func times(_ perSet: Int) -> Int? { FileParser.total(setsCount, perSet) }
        let tooMany = "too many reps: sets x reps is more than the 1,000,000 a row may hold"
        var repsPerSet = 0, total = 0
        /// The right side's reps of a row with left and right columns (the entry holds the left).
        var rightReps: Int?
        var done: Bool?
        switch c.reps {
        case .total(let i):
            guard case .some(let parsed) = readReps(i) else { return .rejected("missing reps") }
            guard let v = parsed else { return .rejected("reps must be a whole number 0 or more, found '\(fieldText(r, i))'") }
            guard let t = times(v) else { return .rejected(tooMany) }
            repsPerSet = v; total = t
        case .paired(let li, let ri):
            var values: [Int?] = []
            for i in [li, ri] {
                guard let i, case .some(let parsed) = readReps(i) else { values.append(nil); continue }
                guard let v = parsed else { return .rejected("reps must be a whole number 0 or more, found '\(fieldText(r, i))'") }
                guard times(v) != nil else { return .rejected(tooMany) }
                values.append(v)
            }
            if values.allSatisfy({ $0 == nil }) { return .rejected("missing reps (neither left nor right)") }
            if let l = values[0] {
                side = .left; repsPerSet = l; total = times(l)!
                rightReps = values[1].map { times($0)! }
            } else {
                side = .right; repsPerSet = values[1]!; total = times(repsPerSet)!
            }
        case .done(let i):
            guard let d = r.withField(i, { FieldParsing.done(FieldParsing.trimmed($0)) }) else {
                return .rejected("done must be yes or no, found '\(fieldText(r, i))'")
            }
            done = d
            repsPerSet = d ? -2 : 0
            total = d ? sets : 0
        }

        // Hold and pain.
        var hold: Int?
        if let i = c.hold, !r.withField(i, { (FieldParsing.trimmed($0).count == 0) }) {
            guard let h = r.withField(i, { FieldParsing.centis(FieldParsing.trimmed($0), decimalComma: ctx.decimalComma) }) else {
                return .rejected("hold_seconds must be a number of seconds, found '\(fieldText(r, i))'")
            }
            hold = h
        }
        var pain: Int?
        if let i = c.pain, !r.withField(i, { (FieldParsing.trimmed($0).count == 0) }) {
            guard let p = r.withField(i, { FieldParsing.centisExact(FieldParsing.trimmed($0), decimalComma: ctx.decimalComma) }),
                  p.value < 1000 || (p.value == 1000 && p.exact) else {
                return .rejected("pain must be a number from 0 to 10, found '\(fieldText(r, i))'")
            }
            pain = p.value
        }
        // Text columns shown in reports.
        let name = FileParser.text(r, c.name, &nameCache, strings, options.encoding, &ctx)
        let therapist = FileParser.text(r, c.therapist, &therapistCache, strings, options.encoding, &ctx)
        let clinic = FileParser.text(r, c.clinic, &clinicCache, strings, options.encoding, &ctx)

        // Accepted.
        if date.day > options.asOf { out.rowsAfterAsOf += 1; return .accepted }
        let p = patientSlot(r, c.id)
        if options.keepEntries {
            // Names and last entry days are shown only with entries (a check of the files only counts).
            FileParser.update(&out.patients[Int(p)], date.day, RowOrder(day: date.day, file: fileNumber, row: rowNumber),
                              name, therapist, clinic)
        }
        if ex.unknown {
            let name = strings.texts[Int(ex.name)]
            out.unknown[name, default: UnknownName(name: name, rows: 0, patients: [])].rows += 1
            out.unknown[name]!.patients.insert(out.patients[Int(p)].id)
        }
        guard options.span.contains(date.day) else { return .accepted }
        // The row's identity after normalisation, to drop it if an overlapping export repeats it.
        // Text columns come as the fingerprints of their bytes, kept with the last value seen.
        var fp = RowFingerprint()
        fp.add(idCache.print)
        fp.add(UInt64(UInt32(bitPattern: date.day.raw)) << 32 | UInt64(UInt32(bitPattern: Int32(date.seconds ?? -1))))
        fp.add(UInt64(UInt32(bitPattern: Int32(date.offsetMinutes ?? 99_999))) << 32 | UInt64(side.rawValue))
        fp.add(ex.print)
        fp.add(UInt64(sets) | UInt64(setNumber) << 32)
        fp.add(UInt64(bitPattern: Int64(repsPerSet)) ^ UInt64(bitPattern: Int64(rightReps ?? -1)) << 21)
        fp.add(UInt64(bitPattern: Int64(hold ?? -1)))
        fp.add(UInt64(bitPattern: Int64(pain ?? -1)))
        func addText(_ column: Int?, _ value: Int32?, _ cache: RowFingerprint) {
            if column == nil { fp.add(0) } else if value == nil { fp.add(emptyPrint) } else { fp.add(cache) }
        }
        addText(c.name, name, nameCache.print)
        addText(c.therapist, therapist, therapistCache.print)
        addText(c.clinic, clinic, clinicCache.print)
        if let i = c.notes { r.withField(i) { fp.add(RowFingerprint(FieldParsing.trimmed($0))) } } else { fp.add(0) }
        out.keptFingerprints.append(fp)
        if options.keepEntries {
            let entry = done == true
                ? Entry.done(day: date.day, exercise: ex.id, side: side, sets: sets, holdCentis: hold, painCentis: pain)
                : Entry(day: date.day, exercise: ex.id, side: side, reps: total, holdCentis: hold, painCentis: pain)
            if let right = rightReps {
                out.rightSides.append((out.kept.count, Entry(day: date.day, exercise: ex.id, side: .right, reps: right,
                                                             holdCentis: hold, painCentis: pain)))
            }
            out.kept.append(KeptRow(patient: p, entry: entry))
        }
        return .accepted
    }

    /// A reps field: `nil` when blank, `.some(nil)` when not a whole number 0 or more.
    @inline(__always)
    static func reps(_ r: CSVRecordReader, _ i: Int, decimalComma: Bool) -> Int?? {
        r.withField(i) { f in
            let t = FieldParsing.trimmed(f)
            return t.count == 0 ? .none : .some(FieldParsing.wholeNumber(t, decimalComma: decimalComma))
        }
    }

    /// Sets x reps per set, or `nil` past the 1,000,000 a row may hold.
    @inline(__always)
    static func total(_ sets: Int, _ perSet: Int) -> Int? {
        let (total, overflow) = sets.multipliedReportingOverflow(by: perSet)
        return overflow || total > 1_000_000 ? nil : total
    }

    /// The day, in `zone`, of a date-time written with an offset from UTC.
    static func localDay(_ day: Day, seconds: Int, offsetMinutes: Int, in zone: TimeZone) -> Day {
        let utc = Int(day.raw) * 86_400 + seconds - offsetMinutes * 60
        let local = utc + zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
        return Day(raw: Int32((local - ((local % 86_400) + 86_400) % 86_400) / 86_400))
    }

    /// The patient's last entry day, and the latest name, therapist and clinic (by day, then file, then row).
    private static func update(_ patient: inout LocalPatient, _ day: Day, _ order: RowOrder, _ name: Int32?, _ therapist: Int32?, _ clinic: Int32?) {
        if patient.lastEntry.map({ $0 < day }) ?? true { patient.lastEntry = day }
        if let v = name, patient.name.map({ !(order < $0.order) }) ?? true { patient.name = (order, v) }
        if let v = therapist, patient.therapist.map({ !(order < $0.order) }) ?? true { patient.therapist = (order, v) }
        if let v = clinic, patient.clinic.map({ !(order < $0.order) }) ?? true { patient.clinic = (order, v) }
    }

    /// Interns a text column's value (nil when empty).
    private static func text(_ r: CSVRecordReader, _ column: Int?, _ cache: inout LastValueCache, _ strings: StringTable,
                             _ encoding: TextEncoding?, _ ctx: inout RowContext) -> Int32? {
        guard let i = column else { return nil }
        return r.withField(i) { f -> Int32? in
            let t = FieldParsing.trimmed(f)
            if t.count == 0 { return nil }
            if cache.matches(t) { return cache.value }
            let (s, legacy) = FileParser.decode(t, encoding)
            if legacy { ctx.legacyText = true }
            let v = strings.intern(s)
            cache.store(t, v)
            return v
        }
    }

    /// Text of field bytes in the file's encoding: as told by `--encoding`, else UTF-8 when
    /// valid and Windows-1252 when not.
    func decode(_ t: UnsafeBufferPointer<UInt8>) -> (String, legacy: Bool) {
        FileParser.decode(t, options.encoding)
    }

    static func decode(_ t: UnsafeBufferPointer<UInt8>, _ encoding: TextEncoding?) -> (String, legacy: Bool) {
        switch encoding {
        case .windows1252: return (TextDecoding.windows1252(t), false)
        case .utf8, .utf16: return (String(decoding: t, as: UTF8.self), false)
        case nil: return TextDecoding.text(t)
        }
    }

    func decode(_ bytes: [UInt8]) -> String { bytes.withUnsafeBufferPointer { decode($0).0 } }

    /// A control character as a reason names it: "U+0000 (NUL)".
    static func controlName(_ b: UInt8) -> String {
        let names: [UInt8: String] = [0x00: "NUL", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return", 0x1B: "escape", 0x7F: "DEL"]
        let code = "U+" + String(repeating: "0", count: b < 0x10 ? 3 : 2) + String(b, radix: 16, uppercase: true)
        return names[b].map { "\(code) (\($0))" } ?? code
    }

    private func fieldText(_ r: CSVRecordReader, _ i: Int) -> String {
        r.withField(i) { decode(FieldParsing.trimmed($0)).0 }
    }

    /// An exercise name read: its catalog key (nil when unknown), the name interned, and what
    /// it adds to a row's fingerprint (the key, or the name's bytes when unknown).
    struct ExerciseLookup {
        var id: ExerciseID?
        var name: Int32
        var print: RowFingerprint
        /// Neither the catalog nor the rules settle the name (said out loud).
        var unknown: Bool
        /// The side written in the name ("Calf stretch - left"), if any.
        var side: Side?
    }

    /// The name's reading: from the last few spellings seen (a byte compare), else from all
    /// spellings seen in this file, else read once by the catalog and its rules.
    private mutating func lookupExercise(_ t: UnsafeBufferPointer<UInt8>) -> ExerciseLookup {
        for entry in exerciseCache where entry.bytes.count == t.count {
            if entry.bytes.withUnsafeBufferPointer({ ByteCompare.equal($0.baseAddress!, t.baseAddress!, t.count) }) {
                return entry.exercise
            }
        }
        let bytes = Array(t)
        if let known = exercisesSeen[bytes] { return known }
        let text = decode(t).0
        let resolution = options.catalog.resolve(text)
        let id = resolution.exercise
        var print = RowFingerprint()
        // The side is part of the row's fingerprint already; the name's other words are not
        // once it is read as an exercise.
        if let id { print.add(UInt64(id)) } else { print = RowFingerprint(t) }
        let result = ExerciseLookup(id: id, name: strings.intern(text), print: print, unknown: resolution == .unknown,
                                    side: options.catalog.sideWritten(in: text))
        if exerciseCache.count < 64 { exerciseCache.append((bytes, result)) }
        exercisesSeen[bytes] = result
        return result
    }



    private mutating func patientSlot(_ r: CSVRecordReader, _ column: Int) -> Int32 {
        r.withField(column) { f -> Int32 in
            let t = FieldParsing.trimmed(f)
            if idCache.matches(t) { return idCache.value }
            let id = decode(t).0
            let slot: Int32
            if let i = patientIndex[id] { slot = i } else {
                slot = Int32(out.patients.count)
                out.patients.append(LocalPatient(id: id))
                patientIndex[id] = slot
            }
            idCache.store(t, slot)
            return slot
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
