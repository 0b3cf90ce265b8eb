import AdherenceAnalysis

/// What a file read whole contributes when none of its rows is kept (``HistoryCache``), as
/// bytes and back: its summary as finished (``FileParts/finish(_:options:)``), rejected rows,
/// patients (ids, last entry, latest name, therapist, clinic and note, entry days), texts,
/// unknown exercise names and the names seen.
///
/// A row's order ("the latest wins") is kept as day and row only: the file's number in the
/// run is put back when read, since files added to a folder renumber those after them.
/// Dictionaries and sets are written sorted, so one contribution always gives the same bytes.
/// The file read back carries no header (`part.header` nil), so it is not finished twice.
enum ContributionCoding {
    static func write(_ file: ParsedFile) -> [UInt8] {
        var w = ByteWriter()
        writeSummary(file.summary, &w)
        w.strings(file.strings)
        w.count(file.patients.count)
        for p in file.patients { writePatient(p, &w) }
        let unknown = file.unknown.values.sorted { $0.name < $1.name }
        w.count(unknown.count)
        for u in unknown {
            w.string(u.name)
            w.int(u.rows)
            w.strings(u.patients.sorted())
        }
        w.strings(file.namesSeen.sorted())
        w.count(file.rejects.count)
        for r in file.rejects { RejectCoding.write(r, &w) }
        return w.bytes
    }

    /// The file's contribution, with `fileNumber` put back into its rows' orders.
    static func read(_ bytes: [UInt8], from: Int, to end: Int, path: String, fileNumber: Int, lastDay: Day) throws -> ParsedFile {
        var r = ByteReader(bytes, from: from, to: end)
        var file = ParsedFile(summary: try readSummary(&r, path: path))
        file.strings = try r.strings()
        let patients = try r.count()
        file.patients.reserveCapacity(patients)
        for _ in 0..<patients { file.patients.append(try readPatient(&r, fileNumber: fileNumber, texts: file.strings.count)) }
        for _ in 0..<(try r.count()) {
            let name = try r.string()
            file.unknown[name] = UnknownName(name: name, rows: try r.int(), patients: Set(try r.strings()))
        }
        file.namesSeen = try r.strings()
        let rejects = try r.count()
        file.rejects.reserveCapacity(rejects)
        for _ in 0..<rejects { file.rejects.append(try RejectCoding.read(&r, file: path)) }
        guard r.atEnd else { throw CacheDamage() }
        file.lastDay = lastDay
        return file
    }

    private static func writeSummary(_ s: InputFileSummary, _ w: inout ByteWriter) {
        for n in [s.bytes, s.rows, s.accepted, s.rejected, s.duplicates, s.skipped, s.readForDayOnly] { w.int(n) }
        for t in [s.sha256, s.separator, s.encoding, s.dateFormat] { w.string(t) }
        let columns = s.columns.sorted { $0.key < $1.key }
        w.count(columns.count)
        for (k, v) in columns {
            w.string(k)
            w.string(v)
        }
        w.strings(s.notices)
        w.strings(s.missingClinical.map(\.rawValue))
    }

    private static func readSummary(_ r: inout ByteReader, path: String) throws -> InputFileSummary {
        var s = InputFileSummary(path: path)
        s.bytes = try r.int(); s.rows = try r.int(); s.accepted = try r.int()
        s.rejected = try r.int(); s.duplicates = try r.int(); s.skipped = try r.int()
        s.readForDayOnly = try r.int()
        s.sha256 = try r.string(); s.separator = try r.string(); s.encoding = try r.string(); s.dateFormat = try r.string()
        for _ in 0..<(try r.count()) {
            let k = try r.string()
            s.columns[k] = try r.string()
        }
        s.notices = try r.strings()
        s.missingClinical = try r.strings().map {
            guard let c = Column(rawValue: $0) else { throw CacheDamage() }
            return c
        }
        return s
    }

    private static func writePatient(_ p: LocalPatient, _ w: inout ByteWriter) {
        w.string(p.id)
        w.optional(p.lastEntry) { $0.int(Int($1.raw)) }
        func order(_ o: RowOrder, _ w: inout ByteWriter) {
            w.int(Int(o.day.raw))
            w.int(o.row)
        }
        for text in [p.name, p.therapist, p.clinic] {
            w.optional(text) { w, t in
                order(t.order, &w)
                w.int(Int(t.text))
            }
        }
        w.optional(p.note) { w, n in
            order(n.order, &w)
            w.string(n.text)
        }
        w.int(Int(p.days.first.raw))
        w.count(p.days.words.count)
        for word in p.days.words { w.fixed(word) }
    }

    private static func readPatient(_ r: inout ByteReader, fileNumber: Int, texts: Int) throws -> LocalPatient {
        func day(_ r: inout ByteReader) throws -> Day {
            let raw = try r.int()
            guard let v = Int32(exactly: raw) else { throw CacheDamage() }
            return Day(raw: v)
        }
        func order(_ r: inout ByteReader) throws -> RowOrder {
            RowOrder(day: try day(&r), file: fileNumber, row: try r.int())
        }
        func text(_ r: inout ByteReader) throws -> (order: RowOrder, text: Int32)? {
            try r.optional { r in
                let o = try order(&r)
                let t = try r.int()
                guard t >= 0, t < texts else { throw CacheDamage() }
                return (o, Int32(t))
            }
        }
        var p = LocalPatient(id: try r.string())
        p.lastEntry = try r.optional { try day(&$0) }
        p.name = try text(&r)
        p.therapist = try text(&r)
        p.clinic = try text(&r)
        p.note = try r.optional { r in (try order(&r), try r.string()) }
        let first = try day(&r)
        let words = try r.count()
        guard first.raw & 63 == 0 || words == 0 else { throw CacheDamage() }
        p.days.first = first
        p.days.words.reserveCapacity(words)
        for _ in 0..<words { p.days.words.append(try r.fixed()) }
        return p
    }
}
