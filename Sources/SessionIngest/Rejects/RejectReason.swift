import AdherenceAnalysis

/// Why a row of a session log was rejected: one case per rule a row must meet.
///
/// Each case holds the values its words need, and knows both its words (the reason shown
/// beside the row in the rejects file, the Data issues sheet and the JSON) and its category
/// (the reason without the offending value, which `check` and the report group by).
public enum RejectReason: Sendable, Hashable {
    /// The record's quoting or field layout could not be read (`problem` says how).
    case malformed(problem: String)
    case wrongFieldCount(expected: Int, found: Int)
    /// A field other than notes is longer than a spreadsheet cell holds.
    case fieldTooLong(characters: Int)
    case missingPatientID
    /// The id holds a control character (a NUL, an escape, a tab inside): it would name a
    /// patient nobody can type or see. Which character and where, never the id itself.
    case controlCharacterInPatientID(character: UInt8, at: Int)
    case missingDate
    case impossibleDate(found: String)
    case dateOutOfRange(found: String)
    case unreadableDate(found: String)
    case missingExercise
    case notASide(found: String)
    /// The side column and the side written in the exercise name disagree.
    case sidesDisagree(column: Side, name: Side, found: String)
    case notSets(found: String)
    case notSetNumber(found: String)
    case missingReps
    /// A row of an export with left and right reps columns that has neither.
    case missingRepsEitherSide
    case notReps(found: String)
    /// Sets x reps past the 1,000,000 a row may hold.
    case tooManyReps
    case notDone(found: String)
    case notHold(found: String)
    case notPain(found: String)

    /// The reason in words, with the offending value.
    public var text: String {
        switch self {
        case .malformed(let problem): return "malformed CSV: \(problem)"
        case .wrongFieldCount(let expected, let found): return "wrong number of fields: expected \(expected), found \(found)"
        case .fieldTooLong(let n): return "a field has \(n) characters, more than a spreadsheet cell holds (32,767)"
        case .missingPatientID: return "missing patient id"
        case .controlCharacterInPatientID(let c, let at):
            return "patient id holds a control character, found \(RejectReason.controlName(c)) at character \(at)"
        case .missingDate: return "missing date"
        case .impossibleDate(let v): return "impossible date '\(v)'"
        case .dateOutOfRange(let v): return "date out of range '\(v)' (years 1900 to 2199)"
        case .unreadableDate(let v): return "unreadable date '\(v)'"
        case .missingExercise: return "missing exercise name"
        case .notASide(let v): return "side must be left, right or both, found '\(v)'"
        case .sidesDisagree(let column, let name, let v):
            return "side column says \(column) but the exercise name says \(name), found '\(v)'"
        case .notSets(let v): return "sets must be a whole number 0 or more, found '\(v)'"
        case .notSetNumber(let v): return "set number must be a whole number 1 or more, found '\(v)'"
        case .missingReps: return "missing reps"
        case .missingRepsEitherSide: return "missing reps (neither left nor right)"
        case .notReps(let v): return "reps must be a whole number 0 or more, found '\(v)'"
        case .tooManyReps: return "too many reps: sets x reps is more than the 1,000,000 a row may hold"
        case .notDone(let v): return "done must be yes or no, found '\(v)'"
        case .notHold(let v): return "hold_seconds must be a number of seconds, found '\(v)'"
        case .notPain(let v): return "pain must be a number from 0 to 10, found '\(v)'"
        }
    }

    /// The reason without the offending value, for grouping ("reps must be a whole number 0 or more").
    public var category: String {
        switch self {
        case .wrongFieldCount: return "wrong number of fields"
        case .fieldTooLong: return "field longer than a cell holds"
        case .controlCharacterInPatientID: return "patient id holds a control character"
        case .impossibleDate: return "impossible date"
        case .dateOutOfRange: return "date out of range"
        case .unreadableDate: return "unreadable date"
        case .notASide: return "side must be left, right or both"
        case .sidesDisagree(let column, let name, _): return "side column says \(column) but the exercise name says \(name)"
        case .notSets: return "sets must be a whole number 0 or more"
        case .notSetNumber: return "set number must be a whole number 1 or more"
        case .notReps: return "reps must be a whole number 0 or more"
        case .notDone: return "done must be yes or no"
        case .notHold: return "hold_seconds must be a number of seconds"
        case .notPain: return "pain must be a number from 0 to 10"
        case .malformed, .missingPatientID, .missingDate, .missingExercise,
             .missingReps, .missingRepsEitherSide, .tooManyReps:
            return text
        }
    }

    /// A control character as a reason names it: "U+0000 (NUL)".
    static func controlName(_ b: UInt8) -> String {
        let names: [UInt8: String] = [0x00: "NUL", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return", 0x1B: "escape", 0x7F: "DEL"]
        let code = "U+" + String(repeating: "0", count: b < 0x10 ? 3 : 2) + String(b, radix: 16, uppercase: true)
        return names[b].map { "\(code) (\($0))" } ?? code
    }
}
