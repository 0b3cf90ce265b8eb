import Foundation
import AdherenceAnalysis
import SessionIngest

/// A catalog file for the clinic's admin to finish (`adhere check --write-catalog`): one row
/// per exercise name seen, its key as adhere reads it (blank where neither the catalog nor the
/// naming rules can tell), the name in the `aliases` column so the catalog reader adds it as
/// a name of that exercise. Names that are not part of the programme get the key `other`.
/// Fields are written as the rejects file's are (RFC 4180, formula-like text guarded).
package enum CatalogDraft {
    package static let header = ["key", "name", "aliases", "reps_per_side", "hold_seconds", "default_protocol"]

    /// Unknown names first (blank key, to fill in), then the others, each group sorted.
    package static func csv(names: [String], catalog: ExerciseCatalog) -> Data {
        var unknown: [String] = [], known: [(String, String)] = []
        for name in names {
            switch catalog.resolve(name) {
            case .exercise(let id): known.append((catalog.exercises[id].key, name))
            case .notInProgramme: known.append(("other", name))
            case .unknown: unknown.append(name)
            }
        }
        var lines = [header.joined(separator: ",")]
        for name in unknown.sorted() { lines.append(",," + RejectsFormat.csvField(name) + ",,,") }
        for (key, name) in known.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            lines.append(RejectsFormat.csvField(key) + ",," + RejectsFormat.csvField(name) + ",,,")
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}

