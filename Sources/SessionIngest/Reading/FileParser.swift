import AdherenceAnalysis
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads one session-log file, or one part of a large one (``FilePart``): its header, then
/// each row, validated (``RowValidator``) and filed: accepted rows become entries of their
/// patient with a fingerprint for the duplicate check, the others are rejected with file,
/// line, reason and raw text. A part's results are put together with the other parts' by
/// ``FileJoin``.
struct FileParser {
    let options: IngestOptions
    var out: ParsedFile = ParsedFile(summary: InputFileSummary(path: ""))
    /// The rows kept (``ParsedFile/blocks`` once read).
    var block = RowBlock()
    var patientIndex: [String: Int32] = [:]
    /// Patients' slots and texts' interned numbers by the bytes they were read from.
    var slotsByID = ByteKeyTable(), textsByBytes = ByteKeyTable()
    /// The file's texts (names, therapists, clinics, exercise names), each kept once.
    let strings = StringTable()
    var idCache = LastValueCache()
    var nameCache = LastValueCache(), therapistCache = LastValueCache(), clinicCache = LastValueCache()
    var fileNumber = 0
    /// Orders rows for "the latest wins": a part's rows number on from `part << 40`, so the
    /// parts of a file keep the file's order.
    var rowNumber = 0
    /// The one patient wanted, as bytes, when `options.onlyPatient` is set.
    let onlyPatientBytes: [UInt8]?
    /// Other patients' ids seen in a one-patient read (to suggest the nearest when the id is
    /// wrong), in the order first seen.
    var knownIDs = Set<String>()
    var knownIDOrder: [String] = []
    /// Every exercise spelling read (kept from the validator once the file is read).
    var exercisesSeen: [[UInt8]: ExerciseLookup] = [:]
    /// The file's day/month order, worked out once for all its parts.
    var dateOrders: DateOrderOnce?

    /// The patient and day last put in a patient's entry days.
    var lastDayKept: (patient: Int32, day: Day) = (-1, Day(raw: 0))
    /// The first history day kept (see ``IngestOptions/historyFrom``).
    let historyFrom: Day?
    /// Rows dated before this day are read for their patient, day and names only
    /// (``IngestOptions/checkOldRows``); `nil` = every row is checked in full.
    let dayOnlyBefore: Day?
    /// Whether the last row was read for its day only: the next is then split lean, since a
    /// file's rows come in runs (one patient's sittings, or one day's).
    var lastDayOnly = false
    /// Where each patient's rows are, when this read indexes the file (``PatientIndex``): every
    /// row's id is then read (split up to it), but a sitting's rows that repeat the row before
    /// up to the id, passed over as one run of that patient's.
    var ranges: PatientRanges?
    /// The offset in the file of the reader's first byte.
    var rangeBase = 0
    /// What the row just read was accepted with, for the next row when it repeats its lead
    /// (``Sitting``); `nil` after any other outcome.
    var sitting: Sitting?
    /// The tails (fields after the lead, as written) of rows accepted with no note, with their
    /// values: the next rows of a sitting are mostly the same exercises and doses again
    /// (``passSittingRows``). Only when every value column and the notes come after the lead.
    let tails = ValueMemo()
    var tailsKept = false
    /// Whether the file has a notes column (a passed row's notes are then an empty field).
    var hasNotes = false
    /// The header's number of fields (a tail kept must come from a row with as many).
    var headerFields = 0

    init(options: IngestOptions) {
        self.options = options
        historyFrom = options.historyStart
        dayOnlyBefore = options.dayOnlyBefore
        onlyPatientBytes = options.onlyPatient.map { Array($0.utf8) }
    }

    /// Reads a whole file.
    consuming func parse(_ path: String) -> ParsedFile {
        parse(FilePart(path: path))
    }

    /// Reads a file, or a part of one.
    consuming func parse(_ part: FilePart) -> ParsedFile {
        out.summary = InputFileSummary(path: part.path)
        rowNumber = part.index << 40
        do {
            try read(part)
        } catch let e as IngestError {
            out.summary.error = e
        } catch let e as FileReadError {
            out.summary.error = .unreadable(file: part.path, reason: e.reason)
        } catch {
            out.summary.error = .unreadable(file: part.path, reason: "\(error)")
        }
        out.otherPatientIDs = knownIDOrder
        out.strings = strings.texts
        out.namesSeen = exercisesSeen.values.map { strings.texts[Int($0.name)] }
        out.part.sidesInNames = exercisesSeen.values.contains { $0.side != nil }
        out.patientRanges = ranges
        if out.summary.error != nil {
            // A file that cannot be used contributes nothing but its error.
            let summary = out.summary
            out = ParsedFile(summary: summary)
            block = RowBlock()
        }
        // The rows kept, in arrays of their size (a grown array has room for up to as many
        // again): every file's are held until all are read.
        block.kept = exactCopy(block.kept)
        block.prints.close()
        if historyFrom != nil { block.historyStarts = HistoryRow.byPatient(&block.history, patients: out.patients.count) }
        if !block.isEmpty { out.blocks = [block] }
        return out
    }

    private mutating func read(_ part: FilePart) throws {
        let path = part.path
        let reader: CSVRecordReader
        let header: FileHeader
        var sha: () -> String? = { nil }
        if let known = part.header {
            // A later part of a large file: the header is known, reading starts at a row.
            let file = try part.file ?? FileBytes(path: path)
            if let indexed = part.stamp {
                var st = stat()
                guard fstat(file.descriptor, &st) == 0, DigestIndex.Stamp(st) == indexed else {
                    throw FileReadError(path: path, reason: "changed since it was indexed")
                }
            }
            reader = CSVRecordReader(source: part.ranges.map { file.source(ranges: $0) } ?? file.source(from: part.start))
            known.configure(reader)
            if part.ranges == nil { startIndexing(at: part.start) }
            header = known
            reader.stopOffset = part.end - part.start
            defer { out.summary.bytes = reader.position }
            describe(header)
            try readRows(reader, header, path)
        } else {
            let wanted = part.hashing && options.computeDigests
            let kept = wanted ? options.digests?.lookUp(path) : nil
            let input = try InputSource(path: path, opened: part.file, hashing: wanted && kept?.sha == nil, encoding: options.encoding)
            reader = CSVRecordReader(source: input.source)
            reader.stopOffset = part.end
            defer { out.summary.bytes = part.end == Int.max ? input.rawBytes : reader.position }
            if let kind = input.utf16 { out.summary.encoding = kind } else { startIndexing(at: 0) }
            header = try FileHeader.read(reader, path: path, options: options)
            let digests = options.digests
            sha = {
                guard let computed = input.sha256 else { return kept?.sha }
                digests?.keep(path, before: kept?.stamp, sha: computed)
                return computed
            }
            describe(header)
            try readRows(reader, header, path)
        }
        out.summary.sha256 = sha() ?? ""
        out.part.header = header
        out.part.lines = reader.linesRead
        out.part.start = part.start
        out.part.end = part.start + reader.position
    }

    /// Indexes the rows read (``PatientIndex``) when this is a one-patient read that keeps an
    /// index, from a reader whose first byte is at `offset` in the file (converted UTF-16 is
    /// never indexed: its offsets are not the file's).
    private mutating func startIndexing(at offset: Int) {
        guard options.patientIndex != nil, onlyPatientBytes != nil, !options.listOtherPatients else { return }
        ranges = PatientRanges()
        rangeBase = offset
    }

    /// Notes where the row just read is, and whose (a row with no id field is no one's).
    private mutating func noteRange(_ r: CSVRecordReader, _ c: ColumnIndexes, from: Int) -> Bool {
        guard c.id < r.fieldCount else { return false }
        // Plain: well formed, and on one line (no line break inside a quoted field).
        let plain = r.malformed == nil && r.lineBreaksInside == 0
        ranges?.note(FieldParsing.trimmed(r.field(c.id)), rangeBase + from..<rangeBase + r.position, plain: plain)
        return true
    }

    /// What the header tells about the file.
    private mutating func describe(_ header: FileHeader) {
        if header.byteOrderMark { out.summary.encoding = "UTF-8 with BOM" }
        out.summary.separator = InputSniffing.separatorName(header.separator)
        out.summary.notices += header.notices
        for (c, i) in header.map { out.summary.columns[c.rawValue] = header.names[i] }
    }

    private mutating func readRows(_ reader: CSVRecordReader, _ header: FileHeader, _ path: String) throws {
        var context = RowContext(path: path, headerCount: header.names.count, dateColumn: header.names[header.columns.date],
                                 dateOrder: options.dateOrder, decimalComma: header.separator != UInt8(ascii: ","))
        var validator = RowValidator(options: options, columns: header.columns, strings: strings)
        var values = ValidRow()  // each row's values, written in place
        var texts = TextColumnsMemo(header.columns)
        // A row read for its day only needs its first columns: up to the id, date and names
        // (and the exercise name, when exercise names may be what says the side).
        let c = header.columns
        let leanFields = dayOnlyBefore == nil ? 0
            : [c.id, c.date, c.name ?? 0, c.therapist ?? 0, c.clinic ?? 0, c.side == nil ? c.exercise : 0].max()! + 1
        // Indexing a one-patient read: other patients' rows need only their id.
        let indexLean = ranges != nil && c.id + 1 < header.names.count ? c.id + 1 : 0
        // The rows of one sitting repeat their first columns (``Sitting``): not in a one-patient
        // read, whose reader passes over lines between the rows it splits.
        if onlyPatientBytes == nil && ranges == nil {
            let lead = Sitting.fields(c, headerCount: header.names.count)
            reader.sittingFields = lead
            tailsKept = lead > 0 && ValueMemo.valueColumns(c).min()! >= lead && (c.notes ?? Int.max) >= lead
            // The next sitting of a patient repeats all of the lead but the date: when the
            // date is the lead's last field, the rows compare the fields before it.
            if tailsKept && c.date == lead - 1 { reader.sittingDateField = c.date }
        }
        hasNotes = c.notes != nil
        headerFields = header.names.count
        var lastSkipped = false  // the last row was another patient's, and indexed
        var noted = false

        while true {
            if let only = onlyPatientBytes, !options.listOtherPatients, ranges == nil {
                // Lines that cannot hold the patient's id are counted as read and passed over.
                let passed = try only.withUnsafeBufferPointer { try reader.skipLines(without: $0) }
                out.summary.rows += passed
                out.summary.skipped += passed
                rowNumber += passed
            }
            if lastDayOnly {
                // The rows after an old row that repeat its first columns (one sitting's): old
                // rows of the same patient, day and names, read as ``dayOnlyRow`` would.
                let passed = reader.skipSameLead(fields: header.names.count)
                out.summary.rows += passed
                countDayOnly(passed)
                rowNumber += passed
            }
            if ranges != nil && lastSkipped {
                // Indexing: the rows after another patient's that repeat its first columns up to
                // the id are that patient's too, plain; they are counted and added to its range.
                let from = reader.position
                let passed = reader.skipSameLead(fields: header.names.count)
                if passed > 0 {
                    ranges?.extendLast(from: rangeBase + from, to: rangeBase + reader.position)
                    out.summary.rows += passed
                    out.summary.skipped += passed
                    rowNumber += passed
                }
            }
            reader.leanFields = lastDayOnly ? leanFields : indexLean
            let from = reader.position
            guard try reader.next() else { break }
            noted = ranges != nil && noteRange(reader, header.columns, from: from)
            out.summary.rows += 1
            rowNumber += 1
            lastSkipped = false
            switch try row(reader, header.columns, &validator, &values, &texts, &context) {
            case .accepted:
                out.summary.accepted += 1
                if tailsKept { passSittingRows(reader) }
            case .dayOnly:
                countDayOnly(1)
            case .skipped:
                out.summary.skipped += 1
                lastSkipped = noted
            case .rejected(let why):
                out.summary.rejected += 1
                reject(reader, why, header)
            }
        }
        exercisesSeen = validator.exercises.seen
        out.part.legacyText = context.legacyText
        out.part.dateFormat = context.dateFormat
    }

    /// Rows accepted after a read of their patient, day and names only.
    private mutating func countDayOnly(_ n: Int) {
        out.summary.accepted += n
        out.summary.readForDayOnly += n
    }

    /// What became of a row: accepted, accepted after a read of its patient, day and names only
    /// (``dayOnlyBefore``), skipped (another patient's, in a one-patient read), or rejected.
    enum Outcome { case accepted, dayOnly, skipped, rejected(RejectReason) }

    private mutating func row(_ r: CSVRecordReader, _ c: ColumnIndexes, _ validator: inout RowValidator,
                              _ v: inout ValidRow, _ texts: inout TextColumnsMemo, _ ctx: inout RowContext) throws -> Outcome {
        if let s = sitting {
            sitting = nil
            // (The sitting's date is checked too: a sitting taken on from the row split last
            // has the same patient and names, and may have another date.)
            if r.sameLeadFields && r.splitFields == r.fieldCount && RowValidator.plainShape(r, headerCount: ctx.headerCount)
                && r.isSittingDate(r.field(c.date)) {
                // The row's patient, date and names are the last row's, byte for byte, and
                // that row was accepted: the checks of those fields would say what they said
                // (``Sitting``). The shape and the other fields are checked as for any row.
                lastDayOnly = false
                v.date = s.date
                guard case .valid = validator.readValues(r, &ctx, into: &v) else {
                    return try row(r, c, &validator, &v, &texts, &ctx)  // (says why, in full)
                }
                sitting = s
                return accepted(r, c, s, &v)
            }
        }
        if let only = onlyPatientBytes, c.id >= r.fieldCount || !isOnlyPatient(r, c.id, only) {
            // One patient's view: a row whose id field is not the patient's (or that has none)
            // is counted as read and skipped unchecked, whatever its shape, as the lines
            // passed over unsplit are (``CSVRecordReader/skipLines(without:)``).
            // Ids for "Nearest ids" come only from rows of a sound shape (not from a row cut
            // short or run together by a broken quote).
            if options.listOtherPatients && c.id < r.fieldCount && shapeProblem(r, c, ctx) == nil { noteOtherPatient(r, c.id) }
            return .skipped
        }
        if onlyPatientBytes != nil { r.resplit() }  // (split lean up to the id when indexing)
        if let before = dayOnlyBefore {
            let outcome = dayOnlyRow(r, c, before, &validator, &v, &texts, &ctx)
            lastDayOnly = outcome != nil
            if let outcome { return outcome }
            r.resplit()  // (a no-op unless the record was split lean)
        }
        if let why = shapeProblem(r, c, ctx) { return .rejected(why) }
        let knownID = idCache.matches(FieldParsing.trimmed(r.field(c.id)))
        var verdict = validator.validate(r, knownID: knownID, &ctx, into: &v)
        if case .needsDateOrder = verdict {
            // The first slash date decides the whole column's order, from all its values.
            let (path, separator, date, name, encoding) = (ctx.path, r.separator, c.date, ctx.dateColumn, options.encoding)
            let work = {
                try InputSniffing.dateOrder(path: path, separator: separator, column: date, columnName: name, encoding: encoding)
            }
            ctx.dateOrder = try dateOrders.map { try $0.get(work) } ?? work()
            verdict = validator.validate(r, knownID: knownID, &ctx, into: &v)
        }
        switch verdict {
        case .valid: break
        case .rejected(let why): return .rejected(why)
        case .needsDateOrder: return .rejected(.unreadableDate(found: fieldText(r, c.date)))
        }
        // Text columns shown in reports: as the last row whose texts were read wrote them, or read.
        let name, therapist, clinic: Int32?
        let textsPrint: RowFingerprint  // what they add to the row's fingerprint
        let textSpan = texts.span(r)
        if let textSpan, texts.matches(textSpan) {
            (name, therapist, clinic, textsPrint) = (texts.name, texts.therapist, texts.clinic, texts.print)
        } else {
            (name, therapist, clinic, textsPrint) = readTexts(r, c, textSpan, &texts, &ctx)
        }

        // Accepted.
        let day = v.date.day
        if day > out.lastDay { out.lastDay = day }
        if day > options.asOf { out.rowsAfterAsOf += 1; return .accepted }
        let p = knownID ? idCache.value : patientSlot(r, c.id)  // the id cache was checked above
        let s = Sitting(patient: p, date: v.date, name: name, therapist: therapist, clinic: clinic,
                        patientPrint: idCache.print, texts: textsPrint)
        if r.sittingFields > 0 {
            sitting = s
            r.keepSittingDate(r.field(c.date))
        }
        return accepted(r, c, s, &v)
    }

    /// ``accept(_:_:_:notes:)`` for the row just split, whose tail (its fields after the lead) is
    /// kept with its values when the next rows of the sitting may repeat it (``tails``).
    @inline(__always)
    private mutating func accepted(_ r: CSVRecordReader, _ c: ColumnIndexes, _ s: Sitting, _ v: inout ValidRow) -> Outcome {
        let notes = c.notes.map { FieldParsing.trimmed(r.field($0)) }
        let rest = RowFingerprint.rest(values: v.valuesPrint, notes: notes)
        withUnsafePointer(to: &v) { accept(s, $0, rest, notes: notes) }
        // Only a plain row's tail (the header's fields, none too long, no quote, no note): a
        // row with the same lead and these bytes after it is then plain too, with these values.
        if tailsKept && r.quoteFree && (notes?.count ?? 0) == 0 && RowValidator.plainShape(r, headerCount: headerFields),
           let tail = r.span(from: r.sittingFields, through: r.fieldCount - 1), tails.slot(of: tail) < 0 {
            tails.keep(tail, v, print: rest)
        }
        return .accepted
    }

    /// Passes over the rows ahead that repeat the lead of the row just accepted (``Sitting``)
    /// and whose tail is one kept (``tails``): the same fields after the lead, byte for byte, as
    /// a row accepted earlier in the file, so the same values, a plain shape and no note. Each
    /// is accepted as ``row`` would accept it, without splitting its fields.
    ///
    /// A row that repeats the fields before the date field of the row just accepted, with
    /// another date of the common shape (``DateParsing/isoDateTime(_:)``), is the next sitting
    /// of the same patient with the same names: its date is read on its own (as ``row`` reads
    /// it), and it is passed over too, as the first of that sitting's rows.
    private mutating func passSittingRows(_ reader: CSVRecordReader) {
        guard let first = sitting else { return }
        let noNote = hasNotes ? UnsafeBufferPointer<UInt8>(start: nil, count: 0) : nil
        // A check of the files keeps a row in the span as its fingerprint only: what `accept`
        // does then, in short (no entry, no names, no history row). (The sitting's patient,
        // day and fingerprint are held apart: the loop does not carry the whole sitting.)
        let onlyPrints = !options.keepEntries
        let patient = first.patient
        var day = first.date.day, lead = first.print, inSpan = options.span.contains(day)
        var passed = 0
        while true {
            let kind = reader.sittingRow()
            if kind == .none { break }
            let slot = tails.slot(of: reader.sittingRowTail)
            guard slot >= 0 else { break }
            if kind == .otherDate {
                // Another sitting: its day as a row read in full would take it (a day after the
                // as-of day, or one read for its day only, is left to that reading).
                let date = reader.sittingRowDate
                guard let d = DateParsing.isoDateTime(date), d.day <= options.asOf,
                      dayOnlyBefore.map({ d.day >= $0 }) ?? true else { break }
                let next = sitting!.on(d)
                sitting = next
                (day, lead, inSpan) = (d.day, next.print, options.span.contains(d.day))
                reader.keepSittingDate(date)
                if d.day > out.lastDay { out.lastDay = d.day }
            }
            reader.passTail()
            passed &+= 1
            rowNumber &+= 1
            let row = tails.row(at: slot)  // (its date is another row's: `accept` takes the sitting's)
            if onlyPrints && inSpan {
                if row.pointee.exercise.unknown { countUnknown(row.pointee.exercise.name, patient: patient) }
                keepEntryDay(patient, day)
                block.prints.append(RowFingerprint(lead: lead, rest: tails.print(at: slot)))
            } else {
                accept(sitting!, row, tails.print(at: slot), notes: noNote)
            }
        }
        out.summary.rows += passed
        out.summary.accepted += passed
        out.summary.sittingRepeats += passed
    }

    /// Files an accepted row dated up to the as-of day: its patient's names, note, last entry
    /// and entry days, its exercise name when not known, and the row itself with its fingerprint
    /// (in the span) or its history row (before it).
    /// `rest`: the second half of the row's fingerprint (``RowFingerprint/rest(values:notes:)``);
    /// `notes`: the row's notes, trimmed (`nil` when the file has no notes column).
    @inline(__always)
    private mutating func accept(_ s: borrowing Sitting, _ row: UnsafePointer<ValidRow>, _ rest: RowFingerprint, notes: UnsafeBufferPointer<UInt8>?) {
        let (p, name, therapist, clinic, day) = (s.patient, s.name, s.therapist, s.clinic, s.date.day)
        if options.keepEntries {
            // Names and last entry days are shown only with entries (a check of the files only counts).
            let order = RowOrder(day: day, file: fileNumber, row: rowNumber)
            FileParser.update(&out.patients[Int(p)], day, order, name, therapist, clinic)
            if let t = notes, t.count > 0, out.patients[Int(p)].note.map({ !(order < $0.order) }) ?? true {
                out.patients[Int(p)].note = (order, TextDecoding.decode(t, options.encoding).0)
            }
        }
        if row.pointee.exercise.unknown { countUnknown(row.pointee.exercise.name, patient: p) }
        keepEntryDay(p, day)
        let print = RowFingerprint(lead: s.print, rest: rest)
        guard options.span.contains(day) else {
            if let from = historyFrom, day >= from, day < options.span.first {
                // A history day: what a dose needs, and the fingerprint folded.
                block.history.append(HistoryRow(print: print, patient: p, offset: day - from, exercise: row.pointee.exercise.id, side: row.pointee.side,
                                                rightHalf: false, reps: row.pointee.done ? row.pointee.sets : row.pointee.total, hold: row.pointee.holdCentis, done: row.pointee.done))
                if let right = row.pointee.rightReps {
                    block.history.append(HistoryRow(print: print, patient: p, offset: day - from, exercise: row.pointee.exercise.id, side: .right,
                                                    rightHalf: true, reps: right, hold: row.pointee.holdCentis, done: false))
                }
            }
            return
        }
        block.prints.append(print)
        if options.keepEntries {
            let entry = row.pointee.done
                ? Entry.done(day: day, exercise: row.pointee.exercise.id, side: row.pointee.side, sets: row.pointee.sets,
                             holdCentis: row.pointee.holdCentis, painCentis: row.pointee.painCentis)
                : Entry(day: day, exercise: row.pointee.exercise.id, side: row.pointee.side, reps: row.pointee.total,
                        holdCentis: row.pointee.holdCentis, painCentis: row.pointee.painCentis)
            if let right = row.pointee.rightReps {
                block.rightSides.append((block.kept.count, Entry(day: day, exercise: row.pointee.exercise.id, side: .right, reps: right,
                                                                 holdCentis: row.pointee.holdCentis, painCentis: row.pointee.painCentis)))
            }
            block.kept.append(KeptRow(patient: p, entry: entry))
        }
    }

    /// Counts a row of an exercise name adhere does not know, and its patient.
    @inline(never)
    private mutating func countUnknown(_ interned: Int32, patient p: Int32) {
        let name = strings.texts[Int(interned)]
        out.unknown[name, default: UnknownName(name: name, rows: 0, patients: [])].rows += 1
        out.unknown[name]!.patients.insert(out.patients[Int(p)].id)
    }

    /// The text columns shown in reports (name, therapist, clinic) and what they add to the
    /// row's fingerprint, read (when the last row whose texts were read wrote them otherwise;
    /// the callers look at that first, inline), and kept in `texts` by their span.
    private mutating func readTexts(_ r: CSVRecordReader, _ c: ColumnIndexes, _ textSpan: UnsafeBufferPointer<UInt8>?,
                                    _ texts: inout TextColumnsMemo, _ ctx: inout RowContext) -> (Int32?, Int32?, Int32?, RowFingerprint) {
        let name = FileParser.text(r, c.name, &nameCache, &textsByBytes, strings, options.encoding, &ctx)
        let therapist = FileParser.text(r, c.therapist, &therapistCache, &textsByBytes, strings, options.encoding, &ctx)
        let clinic = FileParser.text(r, c.clinic, &clinicCache, &textsByBytes, strings, options.encoding, &ctx)
        var tp = RowFingerprint()
        tp.add(text: c.name, name, nameCache.print)
        tp.add(text: c.therapist, therapist, therapistCache.print)
        tp.add(text: c.clinic, clinic, clinicCache.print)
        if let textSpan { texts.keep(textSpan, name, therapist, clinic, print: tp) }
        return (name, therapist, clinic, tp)
    }

    /// A row dated before ``dayOnlyBefore``, read for its patient, day and names only: its
    /// shape, id and date are checked as any row's (in the same order, by the same code), then
    /// its names, the patient's last entry and entry days are kept, as a full reading of an old
    /// row keeps them. Its other fields are not looked at (but for the exercise name of a file
    /// with no side column, whose names may say the side). `nil` when the row is not dated
    /// before that day or breaks one of those rules: it is then read in full, which says why.
    /// The record may be split lean (``CSVRecordReader/leanFields``): only its first columns
    /// are looked at.
    @inline(__always)
    private mutating func dayOnlyRow(_ r: CSVRecordReader, _ c: ColumnIndexes, _ before: Day, _ validator: inout RowValidator,
                                     _ v: inout ValidRow, _ texts: inout TextColumnsMemo, _ ctx: inout RowContext) -> Outcome? {
        let plain = RowValidator.plainShape(r, headerCount: ctx.headerCount)
        if plain && r.sameLeadFields && lastDayOnly {
            // The columns read are the last row's, byte for byte (``CSVRecordReader/sameLeadFields``),
            // and it was read so: the same patient, day and names, all kept already. (Its names
            // are the patient's latest as this row's would be: no row read elsewhere comes
            // between two rows read one after the other.)
            return .dayOnly
        }
        if !plain {
            // Another shape the rules allow (extra empty fields, long notes), or one they do
            // not: the shape rules say which, on the whole record, whatever the row before.
            r.resplit()
            guard shapeProblem(r, c, ctx) == nil else { return nil }
        }
        let knownID = idCache.matches(FieldParsing.trimmed(r.field(c.id)))
        guard case .valid = validator.readDay(r, knownID: knownID, &ctx, into: &v.date) else { return nil }
        let day = v.date.day
        guard day < before else { return nil }
        if c.side == nil {
            // Exercise names may say the side: the file records sides if any does (FileJoin.finish).
            let exercise = FieldParsing.trimmed(r.field(c.exercise))
            if exercise.count > 0 {
                _ = validator.exercises.lookup(exercise, catalog: options.catalog, strings: strings, encoding: options.encoding)
            }
        }
        let name, therapist, clinic: Int32?
        let textSpan = texts.span(r)
        if let textSpan, texts.matches(textSpan) {
            (name, therapist, clinic) = (texts.name, texts.therapist, texts.clinic)
        } else {
            (name, therapist, clinic, _) = readTexts(r, c, textSpan, &texts, &ctx)
        }
        if day > out.lastDay { out.lastDay = day }
        let p = knownID ? idCache.value : patientSlot(r, c.id)
        FileParser.update(&out.patients[Int(p)], day, RowOrder(day: day, file: fileNumber, row: rowNumber), name, therapist, clinic)
        keepEntryDay(p, day)
        return .dayOnly
    }

    /// Puts `day` in the patient's entry days (when they are kept), once per sitting: the rows
    /// of one sitting share their patient and day, and the day is in already.
    @inline(__always)
    private mutating func keepEntryDay(_ p: Int32, _ day: Day) {
        guard options.keepEntryDays && (p != lastDayKept.patient || day != lastDayKept.day) else { return }
        out.patients[Int(p)].days.insert(day)
        lastDayKept = (p, day)
    }

    /// What is wrong with the record's shape, if anything: the common, plain record settled
    /// inline (``RowValidator/plainShape(_:headerCount:)``), any other by ``RowValidator/shapeProblem``.
    @inline(__always)
    private func shapeProblem(_ r: CSVRecordReader, _ c: ColumnIndexes, _ ctx: RowContext) -> RejectReason? {
        if RowValidator.plainShape(r, headerCount: ctx.headerCount) { return nil }
        return RowValidator.shapeProblem(r, headerCount: ctx.headerCount, notes: c.notes, encoding: options.encoding)
    }

    /// Files a rejected row with its file, line, reason, raw text and the fields that could
    /// be told apart (for the rejects file).
    private mutating func reject(_ r: CSVRecordReader, _ why: RejectReason, _ header: FileHeader) {
        func text(_ i: Int?) -> String? {
            guard let i, i < r.fieldCount else { return nil }
            let s = fieldText(r, i)
            return s.isEmpty ? nil : s
        }
        var fields: [Column: String] = [:]
        for (column, i) in header.map where i < r.fieldCount { fields[column] = fieldText(r, i) }
        out.rejects.append(RejectedRow(file: out.summary.path, line: r.line, why: why,
                                       raw: r.rawBytes.withUnsafeBufferPointer { TextDecoding.decode($0, options.encoding).0 },
                                       therapist: text(header.columns.therapist), clinic: text(header.columns.clinic),
                                       fields: fields))
    }

    private func isOnlyPatient(_ r: CSVRecordReader, _ column: Int, _ only: [UInt8]) -> Bool {
        let t = FieldParsing.trimmed(r.field(column))
        return t.count == only.count && only.withUnsafeBufferPointer { memcmp($0.baseAddress!, t.baseAddress!, t.count) == 0 }
    }

    /// Keeps another patient's id seen in a one-patient read (to suggest the nearest when the
    /// id asked for is wrong), up to 100,000 of them.
    private mutating func noteOtherPatient(_ r: CSVRecordReader, _ column: Int) {
        guard knownIDs.count < 100_000 else { return }
        let t = FieldParsing.trimmed(r.field(column))
        // Ids with a control character are never suggested (a row with one is rejected).
        if !t.isEmpty && !idCache.matches(t) && !t.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            let id = TextDecoding.decode(t, options.encoding).0
            if knownIDs.insert(id).inserted { knownIDOrder.append(id) }
            idCache.store(t, 0, fingerprint: false)
        }
    }

    /// The patient's last entry day, and the latest name, therapist and clinic (by day, then file, then row).
    private static func update(_ patient: inout LocalPatient, _ day: Day, _ order: RowOrder, _ name: Int32?, _ therapist: Int32?, _ clinic: Int32?) {
        if patient.lastEntry.map({ $0 < day }) ?? true { patient.lastEntry = day }
        if let v = name, patient.name.map({ !(order < $0.order) }) ?? true { patient.name = (order, v) }
        if let v = therapist, patient.therapist.map({ !(order < $0.order) }) ?? true { patient.therapist = (order, v) }
        if let v = clinic, patient.clinic.map({ !(order < $0.order) }) ?? true { patient.clinic = (order, v) }
    }

    /// Interns a text column's value (nil when empty).
    /// (A text's bytes seen before, in any text column of the file, are found in `known`: the
    /// same bytes are the same interned text. A text decoded the legacy way said so on the
    /// file the first time.)
    private static func text(_ r: CSVRecordReader, _ column: Int?, _ cache: inout LastValueCache, _ known: inout ByteKeyTable,
                             _ strings: StringTable, _ encoding: TextEncoding?, _ ctx: inout RowContext) -> Int32? {
        guard let i = column else { return nil }
        let t = FieldParsing.trimmed(r.field(i))
        if t.count == 0 { return nil }
        if cache.matches(t) { return cache.value }
        if let (v, print) = known.find(t) {
            cache.store(t, v, print: print)
            return v
        }
        let (s, legacy) = TextDecoding.decode(t, encoding)
        if legacy { ctx.legacyText = true }
        let v = strings.intern(s)
        cache.store(t, v)
        known.keep(t, value: v, print: cache.print)
        return v
    }

    private func fieldText(_ r: CSVRecordReader, _ i: Int) -> String {
        TextDecoding.decode(FieldParsing.trimmed(r.field(i)), options.encoding).0
    }

    private mutating func patientSlot(_ r: CSVRecordReader, _ column: Int) -> Int32 {
        let t = FieldParsing.trimmed(r.field(column))
        if idCache.matches(t) { return idCache.value }
        if let (slot, print) = slotsByID.find(t) {
            idCache.store(t, slot, print: print)
            return slot
        }
        let id = TextDecoding.decode(t, options.encoding).0
        let slot: Int32
        if let i = patientIndex[id] { slot = i } else {
            slot = Int32(out.patients.count)
            out.patients.append(LocalPatient(id: id))
            patientIndex[id] = slot
        }
        idCache.store(t, slot)
        slotsByID.keep(t, value: slot, print: idCache.print)
        return slot
    }
}

/// The elements in an array of their own size.
func exactCopy<T>(_ a: [T]) -> [T] {
    guard a.capacity > a.count else { return a }
    return [T](unsafeUninitializedCapacity: a.count) { buffer, count in
        _ = buffer.initialize(from: a)
        count = a.count
    }
}
