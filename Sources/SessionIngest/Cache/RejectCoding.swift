import AdherenceAnalysis

/// A rejected row as ``HistoryCache`` keeps it: line, reason (a tag per case, then the case's
/// values), raw text, therapist, clinic and fields. The file is the cache entry's own path.
///
/// The writer's switch covers every case, so a new reason does not build until it has a tag
/// here (and ``HistoryCache/formatVersion`` goes up if a tag changes meaning).
enum RejectCoding {
    static func write(_ r: RejectedRow, _ w: inout ByteWriter) {
        w.int(r.line)
        write(r.why, &w)
        w.string(r.raw)
        w.optional(r.therapist) { $0.string($1) }
        w.optional(r.clinic) { $0.string($1) }
        let fields = r.fields.sorted { $0.key.rawValue < $1.key.rawValue }
        w.count(fields.count)
        for (column, value) in fields {
            w.string(column.rawValue)
            w.string(value)
        }
    }

    static func read(_ r: inout ByteReader, file: String) throws -> RejectedRow {
        let line = try r.int()
        let why = try reason(&r)
        let raw = try r.string()
        let therapist = try r.optional { try $0.string() }
        let clinic = try r.optional { try $0.string() }
        var fields: [Column: String] = [:]
        for _ in 0..<(try r.count()) {
            guard let column = Column(rawValue: try r.string()) else { throw CacheDamage() }
            fields[column] = try r.string()
        }
        return RejectedRow(file: file, line: line, why: why, raw: raw, therapist: therapist, clinic: clinic, fields: fields)
    }

    /// Tag, then the case's values.
    static func write(_ why: RejectReason, _ w: inout ByteWriter) {
        func tag(_ t: UInt8, _ texts: String...) {
            w.byte(t)
            for s in texts { w.string(s) }
        }
        switch why {
        case .malformed(let problem): tag(0, problem)
        case .wrongFieldCount(let expected, let found): tag(1); w.int(expected); w.int(found)
        case .fieldTooLong(let n): tag(2); w.int(n)
        case .missingPatientID: tag(3)
        case .controlCharacterInPatientID(let c, let at): tag(4); w.byte(c); w.int(at)
        case .missingDate: tag(5)
        case .impossibleDate(let v): tag(6, v)
        case .dateOutOfRange(let v): tag(7, v)
        case .unreadableDate(let v): tag(8, v)
        case .missingExercise: tag(9)
        case .notASide(let v): tag(10, v)
        case .sidesDisagree(let column, let name, let v): tag(11); w.byte(column.rawValue); w.byte(name.rawValue); w.string(v)
        case .notSets(let v): tag(12, v)
        case .notSetNumber(let v): tag(13, v)
        case .missingReps: tag(14)
        case .missingRepsEitherSide: tag(15)
        case .notReps(let v): tag(16, v)
        case .tooManyReps: tag(17)
        case .notDone(let v): tag(18, v)
        case .notHold(let v): tag(19, v)
        case .notPain(let v): tag(20, v)
        }
    }

    static func reason(_ r: inout ByteReader) throws -> RejectReason {
        func side() throws -> Side {
            guard let s = Side(rawValue: try r.byte()) else { throw CacheDamage() }
            return s
        }
        switch try r.byte() {
        case 0: return .malformed(problem: try r.string())
        case 1: return .wrongFieldCount(expected: try r.int(), found: try r.int())
        case 2: return .fieldTooLong(characters: try r.int())
        case 3: return .missingPatientID
        case 4: return .controlCharacterInPatientID(character: try r.byte(), at: try r.int())
        case 5: return .missingDate
        case 6: return .impossibleDate(found: try r.string())
        case 7: return .dateOutOfRange(found: try r.string())
        case 8: return .unreadableDate(found: try r.string())
        case 9: return .missingExercise
        case 10: return .notASide(found: try r.string())
        case 11: return .sidesDisagree(column: try side(), name: try side(), found: try r.string())
        case 12: return .notSets(found: try r.string())
        case 13: return .notSetNumber(found: try r.string())
        case 14: return .missingReps
        case 15: return .missingRepsEitherSide
        case 16: return .notReps(found: try r.string())
        case 17: return .tooManyReps
        case 18: return .notDone(found: try r.string())
        case 19: return .notHold(found: try r.string())
        case 20: return .notPain(found: try r.string())
        default: throw CacheDamage()
        }
    }
}
