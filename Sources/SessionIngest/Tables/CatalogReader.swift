import AdherenceAnalysis

/// Reads a catalog file that adds exercises, names and default prescriptions to the built-in
/// catalog: CSV with `key, name, aliases, reps_per_side, hold_seconds, default_protocol`
/// (aliases separated by `;`; `default_protocol` yes/no). A row with a built-in key adds its
/// aliases to that exercise and, where given, replaces its prescription. A row whose key is
/// `other` settles its name and aliases as not part of the programme (still entries, reps
/// shown as other, no more warnings). A row with a key and nothing else (as `check
/// --write-catalog` leaves a name it could not settle) is an error naming the line.
public enum CatalogReader {
    public static func read(path: String, base: ExerciseCatalog) throws -> ExerciseCatalog {
        let table = try SmallTable.read(path: path)
        let headers = table.headers.map(HeaderMatcher.normalize)
        func index(_ names: String...) -> Int? { headers.firstIndex { names.map(HeaderMatcher.normalize).contains($0) } }
        guard let keyColumn = index("key", "exercise key") else {
            throw IngestError.missingColumns(file: path, missing: ["key"], found: table.headers, candidates: [], kind: .catalog)
        }
        let nameColumn = index("name", "display name"), aliasColumn = index("aliases", "alias", "names")
        let repsColumn = index("reps_per_side", "reps"), holdColumn = index("hold_seconds", "hold")
        let protocolColumn = index("default_protocol", "default")
        var exercises = base.exercises
        var problems: [String] = []
        var notInProgramme = base.notInProgrammeNames
        for (line, f) in table.rows {
            func value(_ i: Int?) -> String { i.flatMap { $0 < f.count ? f[$0] : nil } ?? "" }
            let key = value(keyColumn)
            let aliases = value(aliasColumn).split(whereSeparator: { $0 == ";" || $0 == "|" })
                .map { RejectsFormat.unguard(String($0).trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
            guard !key.isEmpty else {
                let what = aliases.isEmpty ? "" : " for \(aliases.map { "'\($0)'" }.joined(separator: ", "))"
                problems.append("line \(line): missing key\(what) (write an exercise key, or 'other' for a name that is not part of the programme)")
                continue
            }
            if CatalogReader.otherKeys.contains(ExerciseCatalog.normalize(key)) {
                let names = (value(nameColumn).isEmpty ? [] : [value(nameColumn)]) + aliases
                if names.isEmpty { problems.append("line \(line): 'other' needs the name it settles in the name column"); continue }
                notInProgramme += names
                continue
            }
            var reps: Int?? = nil
            if !value(repsColumn).isEmpty {
                guard let r = Int(value(repsColumn)), r >= 1 else { problems.append("line \(line): reps_per_side must be a whole number 1 or more"); continue }
                reps = .some(r)
            }
            var hold: Int?? = nil
            if !value(holdColumn).isEmpty {
                guard let h = Array(value(holdColumn).utf8).withUnsafeBufferPointer({ FieldParsing.centis($0) }) else {
                    problems.append("line \(line): hold_seconds must be a number"); continue
                }
                hold = .some(h)
            }
            let inProtocol: Bool? = value(protocolColumn).isEmpty ? nil : ["yes", "true", "1", "y"].contains(value(protocolColumn).lowercased())
            if let i = exercises.firstIndex(where: { $0.key == key }) {
                let e = exercises[i]
                exercises[i] = Exercise(key: e.key, displayName: value(nameColumn).isEmpty ? e.displayName : value(nameColumn),
                                        aliases: e.aliases + aliases,
                                        defaultRepsPerSide: reps ?? e.defaultRepsPerSide,
                                        defaultHoldCentis: hold ?? e.defaultHoldCentis,
                                        inDefaultProtocol: inProtocol ?? e.inDefaultProtocol)
            } else {
                exercises.append(Exercise(key: key, displayName: value(nameColumn).isEmpty ? key : value(nameColumn),
                                          aliases: aliases, defaultRepsPerSide: reps ?? nil, defaultHoldCentis: hold ?? nil,
                                          inDefaultProtocol: inProtocol ?? false))
            }
        }
        if !problems.isEmpty {
            throw IngestError.unreadable(file: path, reason: "the catalog file has problems: " + problems.joined(separator: "; "))
        }
        return ExerciseCatalog(exercises: exercises, notInProgramme: notInProgramme)
    }

    /// Keys (normalised) that settle a name as not part of the programme.
    static let otherKeys: Set<String> = ["other", "notpartoftheprogramme", "notpartoftheprogram", "ignore"]
}
