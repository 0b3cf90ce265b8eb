import ArgumentParser
import Foundation
import AdherenceAnalysis
import ReportBuilder
import SessionIngest

/// `adhere report`: the monthly adherence workbooks.
public struct Report: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the monthly adherence workbooks (one per therapist, per clinic, or one for all).",
        discussion: """
        Reads every session log given (files or folders of *.csv), works out each patient's \
        figures for the month, and writes one workbook per group into the output folder:
          Summary      one row per patient, those needing a call first
          Trends       week-by-week step-ups, adherence and pain, with charts
          RTM          remote-monitoring billing periods that ended in the month, with codes
          Data issues  every rejected row, duplicates dropped, unknown exercise names
          About        inputs, settings and every rule in force

        Beside them: adhere-YYYY-MM-overview.xlsx, the clinic overview (per therapist: \
        patients, urgency, share adherent, median adherence, change vs last month, RTM \
        periods; the last six months with a chart; no patient names), and rtm-YYYY-MM.csv, \
        the month's closed RTM periods for billing (patient ids only). Rejected rows are also \
        written to rejects-YYYY-MM.csv in the output folder. Files are created readable by \
        their owner only. Running it again with the same inputs gives identical files. Rows \
        dated before the months the report looks at (about seven before it) are read for \
        their patient, day and names only: their other fields are not checked (the About \
        sheet says how many; 'adhere check' checks every row).

        Prints one line per workbook and a total line. Patient names never appear in messages.

        \(ExitCode.helpText)
        """)

    @OptionGroup public var common: CommonOptions

    @OptionGroup public var input: InputOptions

    @Option(name: .long, help: ArgumentHelp("The month to report, as YYYY-MM. Default: the last full month.", valueName: "YYYY-MM"))
    public var month: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Report the month up to this day (YYYY-MM-DD) instead of its last day: a month-to-date report. Default: the month's last day, or today for the running month.",
                                                         valueName: "YYYY-MM-DD"))
    public var asOf: String?

    @OptionGroup public var output: OutputOptions

    public init() {}

    public func validate() throws {
        if common.config == nil { try input.requireInputs("report") }
        _ = try resolvedWindow()
    }

    /// The month and as-of date the options ask for.
    func resolvedWindow() throws -> (Month, Day) {
        let today = common.todayDay()
        let m: Month
        if let text = month {
            guard let parsed = Month(text) else { throw ValidationError("--month '\(text)' is not a month; write it as YYYY-MM, e.g. 2026-10.") }
            m = parsed
        } else {
            m = Month(containing: today).previous
        }
        var asOfDay = m.lastDay
        if let text = asOf {
            guard let d = Day(iso: text) else { throw ValidationError("--as-of '\(text)' is not a date; write it as YYYY-MM-DD.") }
            guard m.days.contains(d) else { throw ValidationError("--as-of \(text) is not in the month \(m); give a day between \(m.firstDay) and \(m.lastDay).") }
            asOfDay = d
        } else if m.days.contains(today) {
            asOfDay = today
        } else if m.firstDay > today {
            throw ValidationError("--month \(m) has not started yet (today is \(today)).")
        }
        return (m, asOfDay)
    }

    public func run() throws {
        let (m, asOfDay) = try resolvedWindow()
        let settings: RunSettings
        do {
            settings = try RunSettings.resolve(common: common, input: input, output: output, nightly: false)
        } catch {
            Console.standard.errLines(error)
            throw ExitCode(AdhereExit.usage.rawValue)
        }
        let job = ReportJob(inputs: settings.inputs, month: m, asOf: asOfDay, grouping: settings.grouping,
                            out: settings.out, json: settings.json, strict: settings.strict, quiet: settings.quiet,
                            thresholds: settings.thresholds)
        var lockedJob = job
        lockedJob.lockOutput = true
        let console = Console.standard
        let code = lockedJob.run(console: console)
        if code != .ok { throw ExitCode(code.rawValue) }
    }
}

/// Where a command's messages go. Tests give their own.
public struct Console: Sendable {
    /// A line for standard output.
    public var out: @Sendable (String) -> Void
    /// A problem for standard error (prefixed with "adhere: ").
    public var err: @Sendable (String) -> Void
    /// Text for standard output, as is.
    public var raw: @Sendable (String) -> Void

    public static let standard = Console(
        out: { s in FileHandle.standardOutput.write(Data((s + "\n").utf8)) },
        err: { s in FileHandle.standardError.write(Data(("adhere: " + s + "\n").utf8)) },
        raw: { s in FileHandle.standardOutput.write(Data(s.utf8)) })
}
