import AdherenceAnalysis

/// A row that failed validation: never counted, never lost.
public struct RejectedRow: Sendable, Hashable {
    public let file: String
    /// Physical line (1-based) where the row starts.
    public let line: Int
    public let reason: String
    /// The row exactly as written in the file.
    public let raw: String
    /// The row's therapist and clinic, where they could be read (to file it with the right report).
    public let therapist: String?
    public let clinic: String?

    public init(file: String, line: Int, reason: String, raw: String, therapist: String? = nil, clinic: String? = nil) {
        self.file = file
        self.line = line
        self.reason = reason
        self.raw = raw
        self.therapist = therapist
        self.clinic = clinic
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
    public var sha256 = ""
    public var separator = ","
    public var encoding = "UTF-8"
    public var dateFormat = ""
    public var columns: [String: String] = [:]
    public var notices: [String] = []
    /// Set when the whole file could not be used.
    public var error: IngestError?

    public init(path: String) { self.path = path }
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
    /// Only this patient's entries are kept (for one-patient views); `nil` = everyone.
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
    /// Exercise names the catalog does not know, with how many rows used them, most used first.
    public var unknownExercises: [(name: String, rows: Int)]
    /// Accepted rows dated after the as-of date (not counted in this report).
    public var rowsAfterAsOf: Int

    public var rowsRead: Int { files.reduce(0) { $0 + $1.rows } }
    public var rowsRejected: Int { files.reduce(0) { $0 + $1.rejected } }
    public var duplicatesDropped: Int { files.reduce(0) { $0 + $1.duplicates } }
    public var failedFiles: [InputFileSummary] { files.filter { $0.error != nil } }
}

/// Reads session-log CSV files into validated entries, streaming each file once.
///
/// Every row ends up in exactly one place: accepted, dropped as a duplicate, or rejected
/// with its file, line, reason and raw text.
public final class SessionLogReader {
    public let options: IngestOptions
    private let stepUpCatalog: ExerciseCatalog

    private var patientIndex: [String: Int] = [:]
    private var patients: [PatientState] = []
    private var strings: [String] = []
    private var stringIndex: [String: Int32] = [:]
    private var seen = Set<RowFingerprint>()
    private var rejects: [RejectedRow] = []
    private var unknown: [String: Int] = [:]
    private var exerciseCache: [(bytes: [UInt8], id: ExerciseID?, name: Int32)] = []
    private var rowsAfterAsOf = 0
    private var order = 0

    struct Meta { var day: Day; var order: Int; var value: Int32 }
    struct PatientState {
        var id: String
        var entries: [Entry] = []
        var lastEntry: Day?
        var name: Meta?
        var therapist: Meta?
        var clinic: Meta?
    }

    public init(options: IngestOptions) {
        self.options = options
        self.stepUpCatalog = options.catalog
    }

    /// Reads every file in order; a file that cannot be used is recorded with its error and the
    /// others are still read.
    public func read(files: [String]) -> IngestResult {
        var summaries: [InputFileSummary] = []
        for path in files {
            var summary = InputFileSummary(path: path)
            do {
                try readFile(path, into: &summary)
            } catch let e as IngestError {
                summary.error = e
            } catch let e as FileReadError {
                summary.error = .unreadable(file: path, reason: e.reason)
            } catch {
                summary.error = .unreadable(file: path, reason: "\(error)")
            }
            summaries.append(summary)
        }
        return finish(files: summaries)
    }

    func finish(files: [InputFileSummary]) -> IngestResult {
        let logs = patients.map { p in
            PatientLog(id: p.id, name: p.name.map { strings[Int($0.value)] },
                       therapist: p.therapist.map { strings[Int($0.value)] },
                       clinic: p.clinic.map { strings[Int($0.value)] },
                       entries: p.entries, lastEntry: p.lastEntry)
        }
        let unknownList = unknown.map { (name: $0.key, rows: $0.value) }
            .sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.name < $1.name }
        return IngestResult(patients: logs, files: files, rejects: rejects,
                            unknownExercises: unknownList, rowsAfterAsOf: rowsAfterAsOf)
    }

    // MARK: - One file

    private func readFile(_ path: String, into summary: inout InputFileSummary) throws {
        let file = try FileBytes(path: path)
        let reader = CSVRecordReader(hashing: true, source: file.source)
        defer {
            summary.bytes = reader.bytesRead
        }
        let head = try reader.peek(4096)
        if head.isEmpty { throw IngestError.empty(file: path) }
        if let kind = InputSniffing.binaryKind(head) { throw IngestError.notCSV(file: path, looksLike: kind) }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            try reader.skip(3)
            summary.encoding = "UTF-8 with BOM"
        }
        let sep = options.separator ?? InputSniffing.separator(head)
        reader.separator = sep
        summary.separator = InputSniffing.separatorName(sep)

        guard try reader.next() else { throw IngestError.empty(file: path) }
        var headers: [String] = []
        for i in 0..<reader.fieldCount {
            headers.append(reader.withField(i) { TextDecoding.text($0).0.trimmingSpaces })
        }
        let map = try HeaderMatcher(extra: options.extraColumns).map(headers: headers, file: path)
        for (c, i) in map { summary.columns[c.rawValue] = headers[i] }
        let columns = ColumnIndexes(map)
        var dateOrder = options.dateOrder
        var legacyText = false

        while try reader.next() {
            summary.rows += 1
            order += 1
            let outcome = try row(reader, columns: columns, headerCount: headers.count, path: path,
                                  dateOrder: &dateOrder, legacyText: &legacyText, dateColumn: headers[map[.performedAt]!])
            switch outcome {
            case .accepted: summary.accepted += 1
            case .duplicate: summary.duplicates += 1
            case .rejected(let reason):
                summary.rejected += 1
                func text(_ i: Int?) -> String? {
                    guard let i, i < reader.fieldCount else { return nil }
                    let s = fieldText(reader, i)
                    return s.isEmpty ? nil : s
                }
                rejects.append(RejectedRow(file: path, line: reader.line, reason: reason,
                                           raw: TextDecoding.text(reader.rawBytes),
                                           therapist: text(columns.therapist), clinic: text(columns.clinic)))
            }
        }
        summary.sha256 = reader.digest() ?? ""
        if legacyText && summary.encoding.hasPrefix("UTF-8") {
            summary.encoding = "Windows-1252"
            summary.notices.append("text is not UTF-8; read as Windows-1252")
        }
        summary.dateFormat = dateOrder.map { $0 == .dayFirst ? "DD/MM/YYYY" : "MM/DD/YYYY" } ?? "ISO or DD.MM.YYYY"
    }

    struct ColumnIndexes {
        let id, date, exercise, reps: Int
        let name, therapist, clinic, side, sets, hold, pain, notes: Int?
        init(_ m: [Column: Int]) {
            id = m[.patientID]!; date = m[.performedAt]!; exercise = m[.exercise]!; reps = m[.reps]!
            name = m[.patientName]; therapist = m[.therapist]; clinic = m[.clinic]; side = m[.side]
            sets = m[.sets]; hold = m[.holdSeconds]; pain = m[.pain]; notes = m[.notes]
        }
    }

    enum Outcome { case accepted, duplicate, rejected(String) }

    private func row(_ r: CSVRecordReader, columns c: ColumnIndexes, headerCount: Int, path: String,
                     dateOrder: inout DateOrder?, legacyText: inout Bool, dateColumn: String) throws -> Outcome {
        if let problem = r.malformed { return .rejected("malformed CSV: \(problem)") }
        if r.fieldCount != headerCount {
            var extraEmpty = r.fieldCount > headerCount
            if extraEmpty {
                for i in headerCount..<r.fieldCount where r.withField(i, { FieldParsing.trimmed($0).count }) > 0 {
                    extraEmpty = false
                }
            }
            if !extraEmpty {
                return .rejected("wrong number of fields: expected \(headerCount), found \(r.fieldCount)")
            }
        }
        for i in 0..<r.fieldCount where r.withField(i, { $0.count }) > 32_767 {
            let chars = r.withField(i) { TextDecoding.text($0).0.count }
            if chars > 32_767 {
                return .rejected("a field has \(chars) characters, more than a spreadsheet cell holds (32,767)")
            }
        }
        var fp = RowFingerprint()

        // Patient id.
        let idText: String = r.withField(c.id) { f in
            let t = FieldParsing.trimmed(f)
            fp.add(t)
            return t.isEmpty ? "" : TextDecoding.text(t).0
        }
        if idText.isEmpty { return .rejected("missing patient id") }

        // Date.
        var parsedDate: ParsedDate?
        var dateProblem: String?
        try r.withField(c.date) { f in
            let t = FieldParsing.trimmed(f)
            if t.isEmpty { dateProblem = "missing date"; return }
            var result = DateParsing.parse(t, order: dateOrder)
            if dateOrder == nil, t.contains(UInt8(ascii: "/")), case .success = result {
                // The first slash date decides the whole column's order.
                dateOrder = try InputSniffing.dateOrder(path: path, separator: r.separator, column: c.date,
                                                        columnName: dateColumn)
                result = DateParsing.parse(t, order: dateOrder)
            } else if case .failure(.ambiguousSlash) = result {
                dateOrder = try InputSniffing.dateOrder(path: path, separator: r.separator, column: c.date,
                                                        columnName: dateColumn)
                result = DateParsing.parse(t, order: dateOrder)
            }
            switch result {
            case .success(let d): parsedDate = d
            case .failure(.impossible): dateProblem = "impossible date '\(TextDecoding.text(t).0)'"
            case .failure: dateProblem = "unreadable date '\(TextDecoding.text(t).0)'"
            }
        }
        guard let date = parsedDate else { return .rejected(dateProblem ?? "unreadable date") }
        fp.add(UInt64(bitPattern: Int64(date.day.raw)))
        fp.add(UInt64(bitPattern: Int64(date.seconds ?? -1)))
        fp.add(UInt64(bitPattern: Int64(date.offsetMinutes ?? 99_999)))

        // Exercise.
        let exercise: (id: ExerciseID?, name: Int32)? = r.withField(c.exercise) { f in
            let t = FieldParsing.trimmed(f)
            if t.isEmpty { return nil }
            return lookupExercise(t)
        }
        guard let ex = exercise else { return .rejected("missing exercise name") }
        fp.add(ex.id.map { UInt64($0) } ?? (UInt64(UInt32(bitPattern: ex.name)) | 1 << 40))

        // Side.
        var side = Side.both
        if let i = c.side {
            let s: Side?? = r.withField(i) { FieldParsing.side(FieldParsing.trimmed($0)) }
            guard case .some(.some(let v)) = s else {
                return .rejected("side must be left, right or both, found '\(fieldText(r, i))'")
            }
            side = v
        }
        fp.add(UInt64(side.rawValue))

        // Sets and reps.
        var sets = 1
        if let i = c.sets {
            let v: Int?? = r.withField(i) { f in
                let t = FieldParsing.trimmed(f)
                return t.isEmpty ? .some(1) : .some(FieldParsing.wholeNumber(t))
            }
            guard case .some(.some(let s)) = v else {
                return .rejected("sets must be a whole number 0 or more, found '\(fieldText(r, i))'")
            }
            sets = s
        }
        let repsValue: Int?? = r.withField(c.reps) { f in
            let t = FieldParsing.trimmed(f)
            return t.isEmpty ? .none : .some(FieldParsing.wholeNumber(t))
        }
        guard case .some(let repsParsed) = repsValue else { return .rejected("missing reps") }
        guard let repsPerSet = repsParsed else {
            return .rejected("reps must be a whole number 0 or more, found '\(fieldText(r, c.reps))'")
        }
        fp.add(UInt64(sets))
        fp.add(UInt64(repsPerSet))

        // Hold and pain.
        var hold: Int?
        if let i = c.hold {
            let empty = r.withField(i) { FieldParsing.trimmed($0).isEmpty }
            if !empty {
                let v = r.withField(i) { FieldParsing.centis(FieldParsing.trimmed($0), decimalComma: r.separator != UInt8(ascii: ",")) }
                guard let h = v else {
                    return .rejected("hold_seconds must be a number of seconds, found '\(fieldText(r, i))'")
                }
                hold = h
            }
        }
        var pain: Int?
        if let i = c.pain {
            let empty = r.withField(i) { FieldParsing.trimmed($0).isEmpty }
            if !empty {
                let v = r.withField(i) { FieldParsing.centis(FieldParsing.trimmed($0), decimalComma: r.separator != UInt8(ascii: ",")) }
                guard let p = v, p <= 1000 else {
                    return .rejected("pain must be a number from 0 to 10, found '\(fieldText(r, i))'")
                }
                pain = p
            }
        }
        fp.add(UInt64(bitPattern: Int64(hold ?? -1)))
        fp.add(UInt64(bitPattern: Int64(pain ?? -1)))

        // Text columns (shown in reports, part of the row's identity).
        var texts: [Int32?] = [nil, nil, nil]
        for (k, col) in [c.name, c.therapist, c.clinic].enumerated() {
            guard let i = col else { fp.add(0); continue }
            texts[k] = r.withField(i) { f -> Int32? in
                let t = FieldParsing.trimmed(f)
                fp.add(t)
                if t.isEmpty { return nil }
                let (s, legacy) = TextDecoding.text(t)
                if legacy { legacyText = true }
                return intern(s)
            }
        }
        if let i = c.notes { r.withField(i) { fp.add(FieldParsing.trimmed($0)) } }

        // Accepted.
        if date.day > options.asOf { rowsAfterAsOf += 1; return .accepted }
        if let only = options.onlyPatient, only != idText { return .accepted }
        let p = patientSlot(idText)
        if patients[p].lastEntry.map({ $0 < date.day }) ?? true { patients[p].lastEntry = date.day }
        func update(_ meta: inout Meta?, _ value: Int32?) {
            guard let v = value else { return }
            if meta == nil || meta!.day <= date.day { meta = Meta(day: date.day, order: order, value: v) }
        }
        update(&patients[p].name, texts[0])
        update(&patients[p].therapist, texts[1])
        update(&patients[p].clinic, texts[2])
        if ex.id == nil { unknown[strings[Int(ex.name)], default: 0] += 1 }
        guard options.span.contains(date.day) else { return .accepted }
        if !seen.insert(fp).inserted { return .duplicate }
        patients[p].entries.append(Entry(day: date.day, exercise: ex.id, side: side, reps: sets * repsPerSet,
                                         holdCentis: hold, painCentis: pain))
        return .accepted
    }

    private func fieldText(_ r: CSVRecordReader, _ i: Int) -> String {
        r.withField(i) { TextDecoding.text(FieldParsing.trimmed($0)).0 }
    }

    private func lookupExercise(_ t: UnsafeBufferPointer<UInt8>) -> (id: ExerciseID?, name: Int32) {
        for entry in exerciseCache where entry.bytes.count == t.count {
            if entry.bytes.withUnsafeBufferPointer({ memEqual($0, t) }) { return (entry.id, entry.name) }
        }
        let text = TextDecoding.text(t).0
        let result = (id: stepUpCatalog.lookup(text), name: intern(text))
        if exerciseCache.count < 64 { exerciseCache.append((Array(t), result.id, result.name)) }
        return result
    }

    private func memEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    private func intern(_ s: String) -> Int32 {
        if let i = stringIndex[s] { return i }
        let i = Int32(strings.count)
        strings.append(s)
        stringIndex[s] = i
        return i
    }

    private func patientSlot(_ id: String) -> Int {
        if let i = patientIndex[id] { return i }
        let i = patients.count
        patients.append(PatientState(id: id))
        patientIndex[id] = i
        return i
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
