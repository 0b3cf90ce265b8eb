import AdherenceAnalysis

/// How one session-log file is written, worked out from its first bytes and its header: the
/// encoding mark, the separator, and which column is read as what.
struct FileHeader: Sendable {
    /// The header's names, trimmed.
    let names: [String]
    /// Canonical column -> field index.
    let map: [Column: Int]
    let columns: ColumnIndexes
    let separator: UInt8
    /// "UTF-8 with BOM" when the file starts with one.
    let byteOrderMark: Bool
    /// Headers that more than one canonical column could claim, in words.
    let notices: [String]

    /// Reads the header of the file behind `reader`, leaving the reader at the first data row.
    ///
    /// Throws when the file is empty, is not a CSV file, or lacks a column adhere needs (the
    /// error then suggests a column, judged by the first rows' values).
    /// The header of a byte-oriented file as opened (read from its start, not hashed), and
    /// where its first row starts; nil when it is UTF-16 (converted while read: its offsets are
    /// not the file's) or the header cannot be read (reading the file whole then says why).
    /// For reads of a file by byte offsets: a large file's parts, one patient's ranges.
    static func read(startOf file: FileBytes, path: String, options: IngestOptions) -> (header: FileHeader, dataStart: Int)? {
        var noHash = options
        noHash.computeDigests = false
        guard let input = try? InputSource(path: path, opened: file, hashing: false, encoding: options.encoding),
              input.utf16 == nil else { return nil }
        let reader = CSVRecordReader(source: input.source)
        guard let header = try? FileHeader.read(reader, path: path, options: noHash) else { return nil }
        return (header, reader.position)
    }

    static func read(_ reader: CSVRecordReader, path: String, options: IngestOptions) throws -> FileHeader {
        let head = try reader.peek(4096)
        if head.isEmpty { throw IngestError.empty(file: path) }
        if let kind = InputSniffing.binaryKind(head) { throw IngestError.notCSV(file: path, looksLike: kind) }
        let bom = head.starts(with: [0xEF, 0xBB, 0xBF])
        if bom { try reader.skip(3) }
        let separator = options.separator ?? InputSniffing.separator(head)
        reader.separator = separator

        guard try reader.next() else { throw IngestError.empty(file: path) }
        func text(_ i: Int) -> String { TextDecoding.decode(reader.field(i), options.encoding).0.trimmingSpaces }
        let names = (0..<reader.fieldCount).map(text)
        configure(reader, names: names)
        let matcher = HeaderMatcher(extra: options.extraColumns)
        let map = try matcher.map(headers: names, file: path) {
            // Only when a column is missing: the first rows' values, so a suggestion fits them.
            var sample: [[String]] = []
            while sample.count < 50, try reader.next() {
                sample.append((0..<reader.fieldCount).map(text))
            }
            return sample
        }
        return FileHeader(names: names, map: map, columns: ColumnIndexes(map), separator: separator,
                          byteOrderMark: bom, notices: matcher.competing(headers: names))
    }
}

extension FileHeader {
    /// Sets a reader up for this file's rows (a reader that starts past the header, in a part
    /// of a large file, reads them exactly as the reader that read the header).
    func configure(_ reader: CSVRecordReader) {
        reader.separator = separator
        FileHeader.configure(reader, names: names)
    }

    private static func configure(_ reader: CSVRecordReader, names: [String]) {
        reader.expectedFields = names.count
        // adhere's own rejects file, fixed and given back: its guarded fields lose their `'`.
        reader.unguardFormulas = RejectsFormat.isRejectsHeader(names)
    }
}

/// Where each column a row is read from sits in the file's records.
struct ColumnIndexes: Sendable {
    let id, date, exercise: Int
    /// How reps are written: one reps column, left and right columns, or done/not done.
    enum Reps: Sendable { case total(Int), paired(left: Int?, right: Int?), done(Int) }
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

/// What a file's rows teach about the file as they are read: the date order, once a slash
/// date decides it, how dates are written, and whether text is not UTF-8.
struct RowContext {
    let path: String
    let headerCount: Int
    let dateColumn: String
    var dateOrder: DateOrder?
    let decimalComma: Bool
    var legacyText = false
    var dateFormat: String?

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
