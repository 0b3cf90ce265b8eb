import AdherenceAnalysis

/// The plans file: which exercises each patient is prescribed, at what dose, between which dates.
public struct PlansFile: Sendable {
    public var path: String
    public var sha256: String
    public var periods: [String: [PlanPeriod]]
    /// Names from the plans file's optional columns, used when the logs never say.
    public var therapist: [String: String]
    public var clinic: [String: String]
    public var name: [String: String]
    public var rows: Int
}

/// Reads a plans CSV (`patient_id, exercise, reps_per_side, hold_seconds, sessions_per_week,
/// start_date, end_date`, optionally `therapist, clinic, patient_name`). Any bad row makes
/// the whole file an error listing every problem: plans decide every figure, so none is guessed.
public enum PlansReader {
    enum PlanColumn: String, CaseIterable {
        case patientID = "patient_id", exercise, repsPerSide = "reps_per_side", hold = "hold_seconds"
        case sessionsPerWeek = "sessions_per_week", start = "start_date", end = "end_date"
        case therapist, clinic, patientName = "patient_name"

        var names: [String] {
            switch self {
            case .patientID: return ["patient_id", "patient id", "mrn", "client id"]
            case .exercise: return ["exercise", "exercise name"]
            case .repsPerSide: return ["reps_per_side", "reps", "target reps", "reps per side"]
            case .hold: return ["hold_seconds", "hold", "hold s", "hold time"]
            case .sessionsPerWeek: return ["sessions_per_week", "sessions per week", "per week", "frequency"]
            case .start: return ["start_date", "start", "from"]
            case .end: return ["end_date", "end", "until", "to"]
            case .therapist: return ["therapist", "clinician", "provider"]
            case .clinic: return ["clinic", "site", "location"]
            case .patientName: return ["patient_name", "patient name", "name"]
            }
        }
        var required: Bool { [.patientID, .exercise, .sessionsPerWeek, .start].contains(self) }
    }

    public static func read(path: String, catalog: ExerciseCatalog) throws -> PlansFile {
        let table = try SmallTable.read(path: path)
        let headers = table.headers
        var map: [PlanColumn: Int] = [:]
        for (i, h) in headers.enumerated() {
            let n = HeaderMatcher.normalize(h)
            if let c = PlanColumn.allCases.first(where: { $0.names.map(HeaderMatcher.normalize).contains(n) }), map[c] == nil {
                map[c] = i
            }
        }
        let missing = PlanColumn.allCases.filter { $0.required && map[$0] == nil }
        if !missing.isEmpty && (map.isEmpty || HeaderMatcher.looksLikeData(headers)) {
            // The first row is a plan, not a header: its values (names) are not repeated.
            throw IngestError.noHeader(file: path, fields: headers.count)
        }
        if !missing.isEmpty {
            throw IngestError.missingColumns(file: path, missing: missing.map(\.rawValue), found: headers, candidates: [], kind: .plans)
        }

        var result = PlansFile(path: path, sha256: table.sha256, periods: [:], therapist: [:], clinic: [:], name: [:],
                               rows: table.rows.count)
        var problems: [String] = []
        for (line, f) in table.rows {
            guard f.count == headers.count || (f.count > headers.count && f[headers.count...].allSatisfy(\.isEmpty)) else {
                problems.append("line \(line): expected \(headers.count) fields, found \(f.count)")
                continue
            }
            func value(_ c: PlanColumn) -> String { map[c].map { f[$0] } ?? "" }
            let id = value(.patientID)
            var rowProblems: [String] = []
            if id.isEmpty { rowProblems.append("missing patient_id") }
            let exName = value(.exercise)
            let exercise = catalog.lookup(exName)
            // Values are not repeated in messages: in a misaligned file they could be names.
            if exercise == nil { rowProblems.append("the exercise is not in the catalog (add it with --catalog)") }
            func wholeNumber(_ c: PlanColumn, _ range: ClosedRange<Int>) -> Int?? {
                let v = value(c)
                if v.isEmpty { return .some(nil) }
                guard let n = Int(v), range.contains(n) else {
                    rowProblems.append("\(c.rawValue) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                    return .none
                }
                return .some(n)
            }
            let reps = wholeNumber(.repsPerSide, 1...1000)
            // At most one session a day counts, so a plan cannot expect more than 7 a week.
            let spw = wholeNumber(.sessionsPerWeek, 1...7)
            if case .some(nil) = spw { rowProblems.append("missing sessions_per_week") }
            var hold: Int?
            let holdText = value(.hold)
            if !holdText.isEmpty {
                hold = Array(holdText.utf8).withUnsafeBufferPointer { FieldParsing.centis($0) }
                if hold == nil || hold! > 360_000 { rowProblems.append("hold_seconds must be a number of seconds (up to 3600)"); hold = nil }
            }
            func date(_ c: PlanColumn) -> Day? {
                let v = value(c)
                if v.isEmpty { return nil }
                let parsed = Array(v.utf8).withUnsafeBufferPointer { DateParsing.parse($0, order: nil) }
                guard case .success(let d) = parsed else {
                    rowProblems.append("\(c.rawValue) is not a date (use YYYY-MM-DD)")
                    return nil
                }
                return d.day
            }
            let start = date(.start)
            if value(.start).isEmpty { rowProblems.append("missing start_date") }
            let end = date(.end)
            if let s = start, let e = end, e < s { rowProblems.append("end_date is before start_date") }
            if !rowProblems.isEmpty {
                problems.append("line \(line): " + rowProblems.joined(separator: "; "))
                continue
            }
            guard let ex = exercise, case .some(let r) = reps, case .some(.some(let perWeek)) = spw, let s = start else { continue }
            result.periods[id, default: []].append(PlanPeriod(exercise: ex, repsPerSide: r, holdCentis: hold,
                                                              sessionsPerWeek: perWeek, start: s, end: end))
            for (c, keyPath) in [(PlanColumn.therapist, \PlansFile.therapist), (.clinic, \.clinic), (.patientName, \.name)] {
                let v = value(c)
                if !v.isEmpty { result[keyPath: keyPath][id] = v }
            }
        }
        if !problems.isEmpty { throw IngestError.badPlans(file: path, problems: problems) }
        return result
    }
}
