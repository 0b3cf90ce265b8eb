import Foundation
import AdherenceAnalysis

/// The canonical columns of a session-log export.
public enum Column: String, CaseIterable, Sendable {
    case patientID = "patient_id"
    case patientName = "patient_name"
    case therapist
    case clinic
    case performedAt = "performed_at"
    case exercise
    case side
    case sets
    case reps
    case holdSeconds = "hold_seconds"
    case pain
    case notes
    /// One row per set: the set's number (each row is one set).
    case setNumber = "set_number"
    /// Left and right reps in two columns of one row.
    case repsLeft = "reps_left"
    case repsRight = "reps_right"
    /// Done or not done instead of reps: done = the prescribed reps per side (one rep for an
    /// exercise without a target), not done = an entry with no reps.
    case done
    /// A column the user tells adhere not to read (`--column 'Reps=ignore'`), to settle a file
    /// that could be read two ways.
    case ignored = "ignore"

    /// Required whatever the shape; reps are required unless left/right reps or done stand in.
    public var isRequired: Bool { [.patientID, .performedAt, .exercise].contains(self) }

    /// The columns of the canonical export (the rejects file's columns).
    public static let canonical: [Column] = [.patientID, .patientName, .therapist, .clinic, .performedAt, .exercise,
                                             .side, .sets, .reps, .holdSeconds, .pain, .notes]

    /// Header names clinics' exports use for this column (matched after ``HeaderMatcher/normalize(_:)``).
    public var synonyms: [String] {
        switch self {
        case .patientID: return ["patient id", "patient no", "patient number", "patient #", "mrn",
                                 "medical record number", "client id", "client", "subject id", "member id", "id"]
        case .patientName: return ["patient name", "name", "client name", "full name"]
        case .therapist: return ["therapist", "clinician", "provider", "physio", "physiotherapist",
                                 "therapist name", "assigned therapist"]
        case .clinic: return ["clinic", "site", "location", "practice", "clinic name"]
        case .performedAt: return ["performed at", "performed", "date", "session date", "completed at",
                                   "completed", "completed on", "timestamp", "date time", "datetime", "logged at",
                                   "performed on", "exercise date"]
        case .exercise: return ["exercise", "exercise name", "activity", "exercise title"]
        case .side: return ["side", "limb", "leg"]
        case .sets: return ["sets", "set count", "number of sets"]
        case .reps: return ["reps", "repetitions", "rep count", "reps per set", "repetitions per set"]
        case .holdSeconds: return ["hold seconds", "hold", "hold s", "hold sec", "hold time", "hold time s",
                                   "hold secs", "hold duration", "seconds held"]
        case .pain: return ["pain", "pain 0 10", "pain score", "pain rating", "nprs", "pain nprs", "vas"]
        case .notes: return ["notes", "note", "comment", "comments", "remarks"]
        case .setNumber: return ["set number", "set no", "set #", "set nr", "set index", "set num"]
        case .repsLeft: return ["reps left", "left reps", "reps l", "l reps", "left leg reps", "reps left side",
                                "repetitions left", "left repetitions", "left"]
        case .repsRight: return ["reps right", "right reps", "reps r", "r reps", "right leg reps", "reps right side",
                                 "repetitions right", "right repetitions", "right"]
        case .done: return ["done", "is done", "did it", "completed flag"]
        case .ignored: return []
        }
    }
}

/// Matches header names to canonical columns: case-insensitively, ignoring spaces,
/// underscores and punctuation, with the synonyms of ``Column/synonyms`` and any the user adds.
package struct HeaderMatcher: Sendable {
    private var table: [String: Column] = [:]

    /// - Parameter extra: user-named columns, header name -> canonical column.
    init(extra: [String: Column] = [:]) {
        table = HeaderMatcher.standard
        for (name, c) in extra { table[HeaderMatcher.normalize(name)] = c }
    }

    /// The canonical names and synonyms, normalised once (every file's header is matched).
    private static let standard: [String: Column] = {
        var table: [String: Column] = [:]
        for c in Column.allCases {
            for name in [c.rawValue] + c.synonyms { table[HeaderMatcher.normalize(name), default: c] = c }
        }
        return table
    }()

    /// Header names compared: `#` read as "no" ("Patient #" = "Patient no"), then letters and
    /// digits only, lowercased.
    static func normalize(_ name: String) -> String {
        ExerciseCatalog.normalize(name.utf8.contains(UInt8(ascii: "#")) ? name.replacingOccurrences(of: "#", with: " no") : name)
    }

    func column(for header: String) -> Column? { table[HeaderMatcher.normalize(header)] }

    /// Maps each canonical column to a field index. Throws when a required column is missing,
    /// listing the columns found and the nearest candidates.
    func map(headers: [String], file: String, sample: () throws -> [[String]] = { [] }) throws -> [Column: Int] {
        var map: [Column: Int] = [:]
        for (i, h) in headers.enumerated() {
            if let c = column(for: h), map[c] == nil { map[c] = i }
        }
        map[.ignored] = nil
        var missing = Column.allCases.filter { $0.isRequired && map[$0] == nil }
        let pairedReps = map[.repsLeft] != nil || map[.repsRight] != nil
        if map[.reps] == nil && !pairedReps && map[.done] == nil { missing.append(.reps) }
        if map.isEmpty || (!missing.isEmpty && HeaderMatcher.looksLikeData(headers)) {
            // Nothing looks like a header, or a required column is missing and the row holds a
            // date: the first row is data (with names in it), so it is not repeated here.
            throw IngestError.noHeader(file: file, fields: headers.count)
        }
        guard missing.isEmpty else {
            let unused = headers.indices.filter { !map.values.contains($0) }
            throw IngestError.missingColumns(file: file, missing: missing.map(\.rawValue), found: headers,
                                             candidates: HeaderMatcher.nearest(unused, headers: headers, to: missing, sample: try sample()))
        }
        try HeaderMatcher.checkShape(map, headers: headers, file: file)
        return map
    }

    /// A file that could be read two ways is an error naming the option that settles it.
    static func checkShape(_ map: [Column: Int], headers: [String], file: String) throws {
        func h(_ c: Column) -> String { map[c].map { headers[$0] } ?? c.rawValue }
        func twoWays(_ a: Column, _ b: Column, _ what: String) -> IngestError {
            .twoReadings(file: file, what: what, settle: ["--column '\(h(a))=ignore'", "--column '\(h(b))=ignore'"])
        }
        let paired = map[.repsLeft] ?? map[.repsRight]
        if map[.reps] != nil, let p = paired {
            throw twoWays(.reps, map[.repsLeft] == p ? .repsLeft : .repsRight,
                          "it has a reps column ('\(h(.reps))') and left/right reps columns ('\(headers[p])')")
        }
        if map[.side] != nil, let p = paired {
            throw twoWays(.side, map[.repsLeft] == p ? .repsLeft : .repsRight,
                          "it has a side column ('\(h(.side))') and left/right reps columns ('\(headers[p])')")
        }
        if map[.done] != nil, map[.reps] != nil || paired != nil {
            throw twoWays(.done, map[.reps] != nil ? .reps : .repsLeft,
                          "it has a done column ('\(h(.done))') and reps")
        }
        if map[.sets] != nil, map[.setNumber] != nil {
            throw twoWays(.sets, .setNumber, "it has a sets count ('\(h(.sets))') and a set number ('\(h(.setNumber))')")
        }
        // A bare "Set" is a count of sets or the number of the set in a one-row-per-set export.
        if let i = headers.firstIndex(where: { normalize($0) == "set" }), !map.values.contains(i) {
            throw IngestError.twoReadings(file: file, what: "its column '\(headers[i])' could be the number of sets or the set's number (one row per set)",
                                          settle: ["--column '\(headers[i])=sets'", "--column '\(headers[i])=set_number'"])
        }
    }

    /// Whether a first row is data rather than a header: no header name is a date or a plain
    /// number, and every data row of an export or a plans file holds a date (and an export's a
    /// number of reps). (A data row can still match a column name by chance, like a note
    /// "Completed".) Such a row is never repeated in a message: it holds patients' names.
    static func looksLikeData(_ fields: [String]) -> Bool {
        fields.contains { field in
            let bytes = Array(field.utf8)
            guard bytes.contains(where: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
            return bytes.withUnsafeBufferPointer { b in
                let t = FieldParsing.trimmed(b)
                // A plain number (reps, sets, pain) is a value, never a column's name.
                if FieldParsing.centis(t) != nil { return true }
                switch DateParsing.parse(t, order: nil) {
                case .success, .failure(.ambiguousSlash), .failure(.impossible), .failure(.outOfRange): return true
                default: return false
                }
            }
        }
    }

    /// Notes on header names that several columns answer to ("'Date' and 'Completed at' both
    /// look like performed_at; 'Date' is read").
    func competing(headers: [String]) -> [String] {
        var seen: [Column: String] = [:]
        var notes: [String] = []
        for h in headers {
            guard let c = column(for: h) else { continue }
            if let first = seen[c] {
                notes.append("columns '\(first)' and '\(h)' both look like \(c.rawValue); '\(first)' is read (name the other with --column to use it)")
            } else {
                seen[c] = h
            }
        }
        return notes
    }

    /// Headers that may be the missing columns: close in name (at most 3 letters apart) and
    /// with values that fit (a column of person names is never an id, dates are never reps).
    static func nearest(_ unused: [Int], headers: [String], to missing: [Column], sample: [[String]]) -> [ColumnCandidate] {
        var result: [ColumnCandidate] = []
        for c in missing {
            let targets = ([c.rawValue] + c.synonyms).map(normalize)
            let fitting = unused.map { i -> (Int, Int) in
                let n = normalize(headers[i])
                return (i, targets.map { editDistance(n, $0) }.min() ?? 99)
            }.filter { i, d in d <= 3 && ValueKind.fits(c, values: sample.compactMap { $0.indices.contains(i) ? $0[i] : nil }) }
             .sorted { $0.1 < $1.1 }
            if let best = fitting.first { result.append(ColumnCandidate(header: headers[best.0], column: c.rawValue)) }
        }
        return result
    }

    /// Levenshtein distance over the UTF-8 bytes (for "did you mean" suggestions).
    package static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}

/// What a column's values look like, so that a suggestion never proposes a column of names as
/// an id or a column of dates as reps.
enum ValueKind {
    /// Whether most non-empty `values` fit `column`. No values: anything fits.
    static func fits(_ column: Column, values: [String]) -> Bool {
        let shown = values.filter { !$0.isEmpty }
        guard !shown.isEmpty else { return true }
        let fitting = shown.filter { fits(column, $0) }.count
        return fitting * 2 > shown.count
    }

    static func fits(_ column: Column, _ v: String) -> Bool {
        switch column {
        case .patientID: return !looksLikePersonName(v) && !looksLikeDate(v)
        case .performedAt: return looksLikeDate(v)
        case .reps, .sets: return Array(v.utf8).withUnsafeBufferPointer { FieldParsing.wholeNumber($0) != nil }
        case .exercise: return !looksLikeDate(v) && Double(v) == nil
        default: return true
        }
    }

    /// Two or more words of letters, no digits: "Avery Lindqvist", "Dr. Jane Smith".
    static func looksLikePersonName(_ v: String) -> Bool {
        let words = v.split(whereSeparator: { $0 == " " || $0 == "," })
        return words.count >= 2 && !v.contains(where: \.isNumber) && v.contains(where: \.isLetter)
    }

    static func looksLikeDate(_ v: String) -> Bool {
        Array(v.utf8).withUnsafeBufferPointer { b -> Bool in
            switch DateParsing.parse(b, order: nil) {
            case .success: return true
            case .failure(.ambiguousSlash): return true
            default: return false
            }
        }
    }
}
