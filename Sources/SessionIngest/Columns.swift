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

    public var isRequired: Bool { [.patientID, .performedAt, .exercise, .reps].contains(self) }

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
        }
    }
}

/// Matches header names to canonical columns: case-insensitively, ignoring spaces,
/// underscores and punctuation, with the synonyms of ``Column/synonyms`` and any the user adds.
public struct HeaderMatcher: Sendable {
    private var table: [String: Column] = [:]

    /// - Parameter extra: user-named columns, header name -> canonical column.
    public init(extra: [String: Column] = [:]) {
        for c in Column.allCases {
            for name in [c.rawValue] + c.synonyms { table[HeaderMatcher.normalize(name), default: c] = c }
        }
        for (name, c) in extra { table[HeaderMatcher.normalize(name)] = c }
    }

    /// Header names compared: `#` read as "no" ("Patient #" = "Patient no"), then letters and
    /// digits only, lowercased.
    public static func normalize(_ name: String) -> String {
        ExerciseCatalog.normalize(name.replacingOccurrences(of: "#", with: " no"))
    }

    public func column(for header: String) -> Column? { table[HeaderMatcher.normalize(header)] }

    /// Maps each canonical column to a field index. Throws when a required column is missing,
    /// listing the columns found and the nearest candidates.
    public func map(headers: [String], file: String) throws -> [Column: Int] {
        var map: [Column: Int] = [:]
        for (i, h) in headers.enumerated() {
            if let c = column(for: h), map[c] == nil { map[c] = i }
        }
        let missing = Column.allCases.filter { $0.isRequired && map[$0] == nil }
        if map.isEmpty || (!missing.isEmpty && HeaderMatcher.looksLikeData(headers)) {
            // Nothing looks like a header, or a required column is missing and the row holds a
            // date: the first row is data (with names in it), so it is not repeated here.
            throw IngestError.noHeader(file: file, fields: headers.count)
        }
        guard missing.isEmpty else {
            let unused = headers.enumerated().filter { i, _ in !map.values.contains(i) }.map(\.element)
            throw IngestError.missingColumns(file: file, missing: missing.map(\.rawValue), found: headers,
                                             candidates: HeaderMatcher.nearest(unused, to: missing))
        }
        return map
    }

    /// Whether a first row is data rather than a header: no header name is a date, and every
    /// data row of an export or a plans file holds one. (A data row can still match a column
    /// name by chance, like a note "Completed".)
    public static func looksLikeData(_ fields: [String]) -> Bool {
        fields.contains { field in
            let bytes = Array(field.utf8)
            guard bytes.contains(where: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
            switch bytes.withUnsafeBufferPointer({ DateParsing.parse(FieldParsing.trimmed($0), order: nil) }) {
            case .success, .failure(.ambiguousSlash), .failure(.impossible), .failure(.outOfRange): return true
            default: return false
            }
        }
    }

    /// Notes on header names that several columns answer to ("'Date' and 'Completed at' both
    /// look like performed_at; 'Date' is read").
    public func competing(headers: [String]) -> [String] {
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

    static func nearest(_ unused: [String], to missing: [Column]) -> [String] {
        var result: [String] = []
        for c in missing {
            let targets = ([c.rawValue] + c.synonyms).map(normalize)
            let scored = unused.map { h -> (String, Int) in
                let n = normalize(h)
                return (h, targets.map { editDistance(n, $0) }.min() ?? 99)
            }.filter { $0.1 <= 3 }.sorted { $0.1 < $1.1 }
            if let best = scored.first { result.append("\(best.0) for \(c.rawValue)") }
        }
        return result
    }

    /// Levenshtein distance over the UTF-8 bytes (for "did you mean" suggestions).
    public static func editDistance(_ a: String, _ b: String) -> Int {
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
