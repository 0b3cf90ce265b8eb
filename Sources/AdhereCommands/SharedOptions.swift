import ArgumentParser
import Foundation
import AdherenceAnalysis
import SessionIngest
import ReportBuilder

/// Options every command takes: where its settings come from, and (for tests) the day it
/// runs on. Declared once here, so `report`, `trend`, `nightly` and `check` read settings the
/// same way (``RunSettings/resolve(common:input:output:nightly:firstDays:settleSeconds:logFile:)``).
public struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Settings file (key = value lines; the README lists every key): inputs, plans, output folder, grouping, thresholds. The command line wins over it.",
                                            valueName: "file"))
    public var config: String?

    @Option(name: .long, help: .hidden)
    public var today: String?

    public init() {}

    public func validate() throws {
        if let t = today, Day(iso: t) == nil { throw ValidationError("--today must be YYYY-MM-DD") }
    }

    /// The day the command runs on: `--today`, else the machine's date in `zone` (the clinic's,
    /// for nightly) or in the machine's own zone.
    func todayDay(in zone: TimeZone? = nil) -> Day {
        if let t = today, let d = Day(iso: t) { return d }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}

/// Options shared by every command that reads session logs.
public struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Exported session-log CSV files, or folders holding them (every *.csv inside is read, in name order).",
                                 valueName: "input"))
    public var inputs: [String] = []

    @Option(name: .long, help: ArgumentHelp("The plans file (CSV: patient_id, exercise, reps_per_side, hold_seconds, sessions_per_week, start_date, end_date). Patients without a plan follow the default protocol.",
                                            valueName: "file"))
    public var plans: String?

    @Option(name: .long, help: ArgumentHelp("How to read dates written with slashes, when the export leaves it open: dmy (DD/MM/YYYY) or mdy (MM/DD/YYYY).",
                                            valueName: "dmy|mdy"))
    public var dateOrder: DateOrderOption?

    @Option(name: .long, help: ArgumentHelp("Force the field separator instead of detecting it: comma, semicolon, tab or pipe.",
                                            valueName: "comma|semicolon|tab|pipe"))
    public var separator: SeparatorOption?

    @Option(name: .long, help: ArgumentHelp("Force the text encoding instead of detecting it: utf-8, windows-1252 or utf-16.",
                                            valueName: "encoding"))
    public var encoding: EncodingOption?

    @Option(name: .long, help: ArgumentHelp("The clinic's time zone (e.g. Europe/Berlin): date-times written with an offset or Z are converted to it before their day is taken. Without it, the day written counts.",
                                            valueName: "zone"))
    public var timezone: String?

    @Option(name: .long, help: ArgumentHelp("A catalog file adding exercises, names and default prescriptions (CSV: key, name, aliases, reps_per_side, hold_seconds, default_protocol).",
                                            valueName: "file"))
    public var catalog: String?

    @Option(name: .customLong("column"), help: ArgumentHelp("Names a column adhere does not recognise, as 'Header in the file=canonical name' (e.g. 'Client Ref=patient_id'). Can be repeated.",
                                                            valueName: "header=name"))
    public var columns: [String] = []

    public init() {}

    public func validate() throws {
        _ = try columnMap()
        if let t = timezone, TimeZone(identifier: t) == nil {
            throw ValidationError("--timezone '\(t)': unknown time zone; use a name like Europe/Berlin or UTC.")
        }
    }

    func requireInputs(_ command: String) throws {
        if inputs.isEmpty {
            throw ValidationError("Name at least one export file or folder to read, e.g. 'adhere \(command) exports/'.")
        }
    }

    func columnMap() throws -> [String: Column] {
        try InputOptions.columnMap(columns)
    }

    static func columnMap(_ columns: [String]) throws -> [String: Column] {
        var map: [String: Column] = [:]
        for spec in columns {
            guard let eq = spec.lastIndex(of: "=") else {
                throw ValidationError("--column '\(spec)' needs the form 'Header=canonical_name'.")
            }
            let header = String(spec[..<eq]), name = String(spec[spec.index(after: eq)...])
            guard let c = Column(rawValue: name.lowercased()) else {
                throw ValidationError("--column '\(spec)': '\(name)' is not a column adhere knows. Use one of: \(Column.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            map[header] = c
        }
        return map
    }
}

/// Options about what a report writes, shared by `report` and `nightly`.
public struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("by"), help: ArgumentHelp("One workbook per therapist (the default), per clinic, or one for all patients.",
                                                       valueName: "therapist|clinic|all"))
    package var grouping: Grouping?

    @Option(name: .long, help: ArgumentHelp("Folder for the workbooks and the rejects file (created if missing). Default: reports.", valueName: "dir"))
    public var out: String?

    @Option(name: .long, help: ArgumentHelp("Also write every figure as JSON to this file, or to standard output with '-'. It holds patient names: keep it like the workbooks.", valueName: "file|-"))
    public var json: String?

    @Flag(name: .long, help: "Exit with code 1 when any row was rejected (the reports are still written).")
    public var strict = false

    @Flag(name: .long, help: "Print nothing when all is well (problems still go to standard error).")
    public var quiet = false

    public init() {}
}

/// `--separator` values.
public enum SeparatorOption: String, ExpressibleByArgument, CaseIterable, Sendable {
    case comma, semicolon, tab, pipe
    var byte: UInt8 {
        switch self {
        case .comma: return UInt8(ascii: ",")
        case .semicolon: return UInt8(ascii: ";")
        case .tab: return UInt8(ascii: "\t")
        case .pipe: return UInt8(ascii: "|")
        }
    }
}

/// `--encoding` values.
public enum EncodingOption: String, ExpressibleByArgument, CaseIterable, Sendable {
    case utf8 = "utf-8", windows1252 = "windows-1252", utf16 = "utf-16"
    var encoding: TextEncoding { TextEncoding(rawValue: rawValue)! }
}

/// `--date-order` values.
public enum DateOrderOption: String, ExpressibleByArgument, CaseIterable, Sendable {
    case dmy, mdy
    var order: DateOrder { self == .dmy ? .dayFirst : .monthFirst }
}

extension Grouping: ExpressibleByArgument {}
