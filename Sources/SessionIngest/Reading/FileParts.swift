import AdherenceAnalysis
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file, or a part of a large one, read by one ``FileParser``.
struct FilePart: Sendable {
    var path: String
    var fileNumber = 0
    /// Which part of the file: 0 for the first (or the whole file).
    var index = 0
    /// The byte offset where the part's first row starts (0: the file's start, where the header is read).
    var start = 0
    /// Where the next part starts: no row starting there or later is read (`Int.max`: the file's end).
    var end = Int.max
    /// The file's header, read when the parts were planned (nil for the first part, which reads it).
    var header: FileHeader?
    /// Hash the bytes while reading them (a whole file; a large file is hashed apart from its parts).
    var hashing = true
    /// A large file as opened when its parts were planned: every part reads it, and so does the
    /// hash, so that a file replaced while read (a new version renamed over it) yields the one
    /// version opened, as a whole read does, never parts of two versions (nil: `path` is opened).
    var file: FileBytes?
    /// Only these byte ranges of the file, one after another, are read (with `header`, read
    /// from the file's start): one patient's rows, found by ``PatientIndex``. nil: the bytes
    /// from `start` on.
    var ranges: [Range<Int>]?
    /// For `ranges`: the file indexed. The file opened must be this one, else the part fails
    /// (and the file is read in full).
    var stamp: DigestIndex.Stamp?
}

/// One large file read on every core: cut into parts at row boundaries, each part parsed on
/// its own, the parts put together in order so that everything (rows, rejects and their line
/// numbers, duplicates, names, the latest note) is what reading the file in one go gives.
///
/// **Where a part may start.** A part starts at the start of a line that is, on its own, a
/// well-formed row with the header's number of fields (``CSVRecordReader/lineIsRecord(_:from:eof:separator:expectedFields:)``,
/// the test the reader's containment of broken quotes uses). The reader reading the whole file
/// starts a row there too, whatever came before:
/// - every row starts at the start of a line (a row ends at a line break outside quotes, or is
///   cut at a line break by the containment below), so at the line break before that line the
///   reader is either between rows, and the next row starts at the line, or inside a quoted
///   field;
/// - inside a quoted field, the reader looks at each line break whether the next line is a row
///   of its own (the header has more than one column, which every readable session log has);
///   this one is, so the row being read is cut there, rejected as broken quoting, and the next
///   row starts at the line. (Past 1,000 line breaks in one row it is cut at the line break
///   anyway.) Quote parity before the line never enters: a quoted field holding a line break
///   followed by a line that looks like a row is cut there by the whole-file reader as well
///   (the documented price of the containment), so the two readings agree on it too.
/// From a row start on, the reader's work depends only on the bytes from there on (its state
/// is the separator, the header's number of fields and whether the file is a rejects file,
/// given to every part), so a part read from that line reads the very rows the whole-file
/// reader reads from it, and its reader stops exactly at the next part's start.
///
/// **Checked while reading, which is the proof.** The first part is read by the whole-file
/// reader itself, stopped at the first row that starts at or after the second part's start: if
/// it stops exactly there, the whole-file reader starts a row there, and reading on from a row
/// start is the whole-file reading, so the second part is read as the whole file reads it, and
/// so on for each part in turn. The join (``FileJoin``) takes the parts in the file's order,
/// each as soon as it and those before it are read, and checks that each one began exactly
/// where the one before it stopped (the first at the file's start), which with every part's
/// reader started at its planned start is that every part stopped exactly at the next one's
/// start; a part that did not (which the choice of starts above rules out), a part that failed
/// (a read error, dates whose day/month order cannot be told), or a part taken out of order,
/// makes the file be read again whole, so what a file yields never depends on how it was cut.
///
/// **Line numbers.** A later part's reader counts lines from 1; rejects are numbered on by the
/// lines the earlier parts read (each part counts its line breaks, those inside quoted fields
/// included, as the whole-file reader does). Rows keep the file's order for "the latest wins"
/// ties (day, then file, then row) by numbering each part's rows from `part << 40`.
///
/// **Rows.** Each part's rows stay in a block of their own (``RowBlock``), in the file's order,
/// with the file's slot of each of the part's patients: the blocks, one after another, are the
/// rows a whole read keeps, in its order, without a copy of them.
enum FileParts {
    /// Bytes per part (`ADHERE_PART_BYTES` sets it, for tests): large enough that a part's
    /// fixed costs (a reader, its caches, a patient table) are small beside its rows.
    static var partBytes: Int {
        if let v = ProcessInfo.processInfo.environment["ADHERE_PART_BYTES"], let n = Int(v), n >= 64 { return n }
        return 16 << 20
    }

    /// The parts of the file at `path`, or nil when it is read whole: smaller than two parts,
    /// UTF-16 (converted while read), not a regular file, or a header that cannot be read
    /// (reading it whole then says why).
    static func plan(path: String, fileNumber: Int, options: IngestOptions, partBytes: Int = FileParts.partBytes) -> [FilePart]? {
        var st = stat()
        guard options.encoding != .utf16, stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        guard size >= 2 * partBytes else { return nil }
        guard let file = try? FileBytes(path: path),
              let (header, first) = FileHeader.read(startOf: file, path: path, options: options), header.names.count > 1 else { return nil }
        let count = max(1, (size - first) / partBytes)
        let step = (size - first) / count
        var starts = [0]
        for k in 1..<max(count, 1) {
            let nominal = first + k * step
            guard let s = recordLine(file, from: max(nominal, starts.last! + 1), before: min(size, nominal + step), size: size,
                                     header: header) else { continue }
            starts.append(s)
        }
        guard starts.count > 1 else { return nil }
        return starts.indices.map { k in
            FilePart(path: path, fileNumber: fileNumber, index: k, start: starts[k],
                     end: k + 1 < starts.count ? starts[k + 1] : Int.max,
                     header: k == 0 ? nil : header, hashing: false, file: file)
        }
    }

    /// The first start of a line at or after `from` and before `before` that is a row of its own.
    private static func recordLine(_ file: FileBytes, from: Int, before: Int, size: Int, header: FileHeader) -> Int? {
        var window = 1 << 16
        while true {
            let count = min(window, size - from)
            guard count > 0 else { return nil }
            var bytes = [UInt8](repeating: 0, count: count)
            let n = bytes.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress, count, off_t(from)) }
            guard n == count else { return nil }
            let found = bytes.withUnsafeBufferPointer {
                CSVRecordReader.firstRecordLine($0, from: 0, eof: from + count == size, separator: header.separator,
                                                expectedFields: header.names.count)
            }
            switch found {
            case .at(let i): return from + i < before ? from + i : nil
            case .none: return nil
            case .needMore:
                if from + count >= before + (1 << 16) { return nil } // a line that long: no part starts near here
                window *= 4
            }
        }
    }

    /// SHA-256 of a whole file (a large file's parts do not hash what they read).
    static func sha256(path: String) throws -> String {
        try sha256(file: FileBytes(path: path))
    }

    /// SHA-256 of a file as opened (from its start, whatever else reads it).
    static func sha256(file: FileBytes) throws -> String {
        var digest = FileDigest()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        let source = file.source(from: 0)
        while true {
            let n = try source(buffer)
            if n <= 0 { break }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return digest.hex()
    }

    /// What a file's summary says once all of it is read: its encoding as read, how it writes
    /// dates, the clinical columns it lacks.
    static func finish(_ file: inout ParsedFile, options: IngestOptions) {
        guard file.summary.error == nil, let header = file.part.header else { return }
        if options.encoding == .windows1252 {
            file.summary.encoding = "Windows-1252 (as told)"
        } else if file.part.legacyText && file.summary.encoding.hasPrefix("UTF-8") {
            file.summary.encoding = "Windows-1252"
            file.summary.notices.append("text is not UTF-8; read as Windows-1252")
        }
        file.summary.dateFormat = file.part.dateFormat ?? "none read"
        let path = file.summary.path
        for column in MissingClinicalColumn.clinical where header.map[column] == nil {
            if column == .side && file.part.sidesInNames { continue }
            file.summary.missingClinical.append(column)
            file.summary.notices.append(MissingClinicalColumn(column: column, files: [path], readableFiles: 1).fileNote)
        }
    }
}

/// A file read in parts (``FileParts``) put together part by part, in order, as the parts are
/// read: each part's counts, rejects, texts and patients are added to the file's, and its rows
/// are moved in as a block of their own (``RowBlock``), never copied; the part is then freed.
/// So neither the parts nor the file's rows are ever held twice.
struct FileJoin {
    /// The file so far: the first part with the later ones added.
    private var file: ParsedFile
    /// The parts the file was cut into.
    private let parts: Int
    /// The parts added so far.
    private var added = 1
    /// A part failed, or did not begin where the one before it stopped: the file is to be
    /// read again whole.
    private var refused = false
    /// The file's slot of each patient id seen so far.
    private var patientSlots: [String: Int32] = [:]
    private var otherIDs: Set<String>

    /// Starts a file cut into `parts` parts with its first part.
    init(first: consuming ParsedFile, parts: Int) {
        file = first
        self.parts = parts
        otherIDs = Set(file.otherPatientIDs)
        for (i, p) in file.patients.enumerated() { patientSlots[p.id] = Int32(i) }
        // The first part's slots are the file's first ones (the file has more once joined).
        for b in file.blocks.indices { file.blocks[b].fileSlots = Array(0..<Int32(file.patients.count)) }
        if file.summary.error != nil || file.part.start != 0 { refuse() }
    }

    /// Whether every part is added.
    var isComplete: Bool { added == parts }

    /// Adds the next part. One that failed, or that did not begin exactly where the part
    /// before it stopped (a part out of order, or a reader that did not stop at the next
    /// part's start), makes the parts not fit.
    mutating func add(_ part: consuming ParsedFile) {
        added += 1
        if part.summary.error != nil || part.part.start != file.part.end || added > parts { refuse() }
        guard !refused else { return }
        addCounts(part)
        let slots = addPatients(part)
        for var block in part.blocks {
            block.fileSlots = block.fileSlots.isEmpty ? slots : block.fileSlots.map { slots[Int($0)] }
            file.blocks.append(block)
        }
    }

    /// The file, or nil when its parts do not fit (it is then read again whole, and what a
    /// whole read says is what the file yields).
    consuming func finish() -> ParsedFile? {
        refused || added != parts ? nil : file
    }

    /// The parts do not fit: what was added so far is freed.
    private mutating func refuse() {
        refused = true
        file = ParsedFile(summary: file.summary)
    }

    /// A later part's counts, rejects (numbered on after the lines before it), exercise names
    /// and what it tells about the file's text and dates.
    private mutating func addCounts(_ part: ParsedFile) {
        file.summary.rows += part.summary.rows
        file.summary.accepted += part.summary.accepted
        file.summary.rejected += part.summary.rejected
        file.summary.skipped += part.summary.skipped
        file.summary.readForDayOnly += part.summary.readForDayOnly
        file.summary.sittingRepeats += part.summary.sittingRepeats
        file.summary.bytes += part.summary.bytes
        let lines = file.part.lines
        for r in part.rejects {
            file.rejects.append(RejectedRow(file: r.file, line: r.line + lines, why: r.why, raw: r.raw,
                                            therapist: r.therapist, clinic: r.clinic, fields: r.fields))
        }
        file.part.lines += part.part.lines
        file.part.end = part.part.end
        for (name, u) in part.unknown {
            file.unknown[name, default: UnknownName(name: name, rows: 0, patients: [])].rows += u.rows
            file.unknown[name]!.patients.formUnion(u.patients)
        }
        file.namesSeen += part.namesSeen
        file.rowsAfterAsOf += part.rowsAfterAsOf
        file.lastDay = max(file.lastDay, part.lastDay)
        for id in part.otherPatientIDs where otherIDs.count < 100_000 && otherIDs.insert(id).inserted {
            file.otherPatientIDs.append(id)
        }
        file.part.legacyText = file.part.legacyText || part.part.legacyText
        file.part.dateFormat = file.part.dateFormat ?? part.part.dateFormat
        file.part.sidesInNames = file.part.sidesInNames || part.part.sidesInNames
        if let later = part.patientRanges { file.patientRanges?.append(later) } else { file.patientRanges = nil }
    }

    /// A later part's texts and patients added to the file's (by id; the latest name,
    /// therapist, clinic and note win). Returns the file's slot of each of the part's patients.
    private mutating func addPatients(_ part: ParsedFile) -> [Int32] {
        let textBase = Int32(file.strings.count)
        file.strings += part.strings
        func moved<T>(_ v: (order: RowOrder, text: T)?, _ f: (T) -> T) -> (order: RowOrder, text: T)? {
            v.map { ($0.order, f($0.text)) }
        }
        func later<T>(_ current: (order: RowOrder, text: T)?, _ candidate: (order: RowOrder, text: T)?) -> (order: RowOrder, text: T)? {
            guard let c = candidate else { return current }
            return current.map { c.order < $0.order ? $0 : c } ?? c
        }
        var slots: [Int32] = []
        slots.reserveCapacity(part.patients.count)
        for p in part.patients {
            let slot: Int32
            if let s = patientSlots[p.id] { slot = s } else {
                slot = Int32(file.patients.count)
                patientSlots[p.id] = slot
                file.patients.append(LocalPatient(id: p.id))
            }
            slots.append(slot)
            var m = file.patients[Int(slot)]
            if let d = p.lastEntry, m.lastEntry.map({ $0 < d }) ?? true { m.lastEntry = d }
            m.name = later(m.name, moved(p.name) { $0 + textBase })
            m.therapist = later(m.therapist, moved(p.therapist) { $0 + textBase })
            m.clinic = later(m.clinic, moved(p.clinic) { $0 + textBase })
            m.note = later(m.note, p.note)
            m.days.formUnion(p.days)
            file.patients[Int(slot)] = m
        }
        return slots
    }
}

/// A file's day/month order, worked out once (from the whole file) for all its parts.
final class DateOrderOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<DateOrder, Error>?

    func get(_ work: () throws -> DateOrder) throws -> DateOrder {
        lock.lock()
        defer { lock.unlock() }
        if result == nil { result = Result { try work() } }
        return try result!.get()
    }
}
