import ArgumentParser

/// The `adhere` command and its subcommands.
public struct Adhere: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "adhere",
        abstract: "Home-exercise adherence reports for physical therapists, from the app's CSV exports.",
        discussion: """
        adhere reads the session logs your home-exercise app exports (CSV files, or folders of \
        them) and writes the spreadsheets therapists read: who is doing their programme, at \
        what dose, whose step-up volume is building, and who needs a call.

        Start with:  adhere report --month 2026-10 --plans plans.csv --out reports exports/

        \(ExitCode.helpText)
        """,
        version: version,
        subcommands: [Report.self, Trend.self, Nightly.self, Check.self],
        defaultSubcommand: nil
    )

    public init() {}
}

/// Exit codes, the same for every command (also listed in the README).
public enum AdhereExit: Int32, CaseIterable, Sendable {
    case ok = 0
    case rejectedRowsStrict = 1
    case someFilesUnreadable = 2
    case usage = 64
    case badData = 65
    case noInput = 66
    case internalError = 70
    case cannotWrite = 73
    case locked = 75

    public var meaning: String {
        switch self {
        case .ok: return "success"
        case .rejectedRowsStrict: return "done, but rows were rejected or exercise names are not known (--strict)"
        case .someFilesUnreadable: return "done without the input files that could not be read"
        case .usage: return "bad usage: unknown option or bad value"
        case .badData: return "no input usable as it is (columns, dates, plans)"
        case .noInput: return "no input: no CSV file found or readable"
        case .internalError: return "internal error (please report it)"
        case .cannotWrite: return "output not writable; earlier reports untouched"
        case .locked: return "try again later: another run is writing the reports, or (nightly) an export is still being written; earlier reports untouched"
        }
    }
}

extension ExitCode {
    static var helpText: String {
        "Exit codes:\n" + AdhereExit.allCases.map { "  \($0.rawValue < 10 ? " " : "")\($0.rawValue)  \($0.meaning)" }.joined(separator: "\n")
    }
}
