import ArgumentParser
import Foundation
import AdherenceAnalysis
import ReportBuilder
import SessionIngest
#if canImport(Glibc)
import Glibc
#endif

/// `adhere trend`: one patient's trend, on demand.
public struct Trend: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Show one patient's trend: week by week, with the month's figures and reasons to call.",
        discussion: """
        Reads the exports like 'report' does but keeps only this patient's rows, so it answers \
        in a fraction of a second even on years of a large clinic's exports: the first trend \
        after an export changed reads it in full and notes where each patient's rows are \
        (the patient index, see --index-dir); later ones read only the patient's rows of \
        exports unchanged since. The figures are the same either way: the monthly report's \
        figures for the month up to the as-of date. The patient's rows that were rejected are \
        said on standard error (file, line, reason).

        Shows who the patient is and their plan, then for each of the last weeks (Monday to \
        Sunday): days logged, adherence per exercise, step-ups (total, per day, left/right) \
        and pain (mean and highest), with sparklines of step-ups per day and of pain. A week \
        cut short is starred and compared per day; weeks before the start are empty. Then the \
        reasons to call, the month's figures, the step-up trend and the last entry. Colour is \
        used only on a terminal, and never when NO_COLOR is set.

        \(ExitCode.helpText)
        """)

    @Argument(help: ArgumentHelp("The patient's id, as in the exports.", valueName: "patient-id"),
              transform: { $0.trimmingCharacters(in: .whitespaces) })
    public var patientID: String

    @OptionGroup public var common: CommonOptions

    @OptionGroup public var input: InputOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The last day to show (YYYY-MM-DD). Default: today.", valueName: "YYYY-MM-DD"))
    public var asOf: String?

    @Option(name: .long, help: ArgumentHelp("How many weeks to show, 1 to 104.", valueName: "n"))
    public var weeks: Int = 8

    @Flag(name: .long, help: "Print the figures as JSON (the same names as the report's JSON) instead of the table.")
    public var json = false

    @Option(name: .long, help: ArgumentHelp("Also write a one-patient workbook (weekly table, daily log, charts) to this file.", valueName: "file"))
    public var xlsx: String?

    @Option(name: .customLong("index-dir"), help: ArgumentHelp("Where to keep the patient index: where each patient's rows are in each export, so that a later trend reads only those while the export is unchanged (the export's path and stamp, hashes of ids and byte offsets: owner-only; a folder others may write to is not used). Default: $XDG_CACHE_HOME/adhere, else ~/.cache/adhere.", valueName: "dir"))
    public var indexDir: String?

    @Flag(name: .customLong("no-index"), help: "Read every export in full, and neither use nor keep the patient index.")
    public var noIndex = false

    public init() {}

    public func validate() throws {
        if common.config == nil { try input.requireInputs("trend P001") }
        guard (1...104).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 104.") }
        if let a = asOf, Day(iso: a) == nil { throw ValidationError("--as-of '\(a)' is not a date; write it as YYYY-MM-DD.") }
        if let x = xlsx, !x.lowercased().hasSuffix(".xlsx") { throw ValidationError("--xlsx '\(x)' should end in .xlsx.") }
    }

    public func run() throws {
        let code = runJob(console: .standard)
        if code != .ok { throw ExitCode(code.rawValue) }
    }

    func runJob(console: Console) -> AdhereExit {
        let day = asOf.flatMap(Day.init(iso:)) ?? common.todayDay()
        let settings: RunSettings
        do {
            settings = try RunSettings.resolve(common: common, input: input, output: nil, nightly: false)
        } catch {
            console.errLines(error)
            return .usage
        }
        let jobInputs = settings.inputs
        let catalog: ExerciseCatalog
        do { catalog = try jobInputs.loadCatalog() } catch {
            console.err("\(error)")
            return .badData
        }
        let analyzer = Analyzer(catalog: catalog, thresholds: settings.thresholds)
        let found = InputFiles.expansion(jobInputs.paths)
        if let m = found.missing.first {
            console.err("\(m): does not exist. Check the path given on the command line.")
            return .noInput
        }
        let files = found.files
        for u in found.unreadable { console.err("skipped \(u.path): \(u.reason)") }
        guard !files.isEmpty else {
            console.err("no CSV files found in \(jobInputs.paths.joined(separator: ", ")).")
            return .noInput
        }
        var plans: PlansFile?
        if let path = jobInputs.plans {
            do { plans = try PlansReader.read(path: path, catalog: catalog) } catch {
                console.err("\(error)")
                return .badData
            }
        }
        let window = DayRange(Month(containing: day).firstDay, day)
        // The patient's whole history: their RTM periods count from the start of monitoring.
        let span = DayRange(Day(year: 1, month: 1, day: 1)!, analyzer.span(for: window, weeks: weeks).last)
        var options = jobInputs.ingestOptions(span: span, asOf: day, catalog: catalog)
        options.onlyPatient = patientID
        options.computeDigests = false
        // Exports read in full are indexed (first trend after a change); unchanged ones are
        // then read only where the patient's rows are.
        let indexFolder = noIndex ? nil : indexDir ?? PatientIndex.defaultFolder(environment: ProcessInfo.processInfo.environment)
        var index = indexFolder.map { PatientIndex(folder: $0, options: options) }
        if let i = index, let why = i.refusal {
            console.err("note: the patient index in \(i.folder) is not used: \(why); every export is read in full")
            index = nil
        }
        options.patientIndex = index
        let ingest = SessionLogReader(options: options).read(files: files)
        index?.save()
        if ProcessInfo.processInfo.environment["ADHERE_TIMINGS"] != nil, let index {
            console.err("timing: \(index.filesFromIndex) of \(files.count) files read through the patient index in \(index.folder)")
        }
        for f in ingest.failedFiles { console.err("skipped \(f.error.map { "\($0)" } ?? f.path)") }

        let records = MonthlyReport.records(ingest: ingest, plans: plans.map { p in
            var only = p
            only.periods = p.periods.filter { $0.key == patientID }
            return only
        }, catalog: catalog)
        if let warning = UnknownNamesWarning.line(ingest.unknownExercises, inputs: jobInputs.paths) { console.err(warning) }
        guard let record = records.first(where: { $0.id == patientID }) else {
            // Read again, listing the ids there are, to suggest the nearest (the first read
            // passed over other patients' lines without splitting them).
            options.listOtherPatients = true
            options.patientIndex = nil
            let others = SessionLogReader(options: options).read(files: files).otherPatientIDs
            let known = Set(others).union(plans?.periods.keys.map { $0 } ?? [])
            let nearest = Trend.nearest(patientID, in: known)
            var message = "no patient '\(patientID)' in \(files.count) file\(files.count == 1 ? "" : "s")"
            if jobInputs.plans != nil { message += " or the plans file" }
            message += nearest.isEmpty ? "." : ". Nearest ids: \(nearest.joined(separator: ", "))."
            console.err(message)
            return .noInput
        }
        if let line = Trend.rejectedLine(patientID, ingest.rejects) { console.err(line) }
        let trend = PatientTrend(record: record, asOf: day, weeks: weeks, analyzer: analyzer)
        if let path = xlsx {
            for name in OutputFiles.removeLeftovers(of: path) { console.err("removed \(name), left over from an interrupted run") }
            let tmp = OutputFiles.temporaryPath(for: path)
            let cuts = TextCuts()
            do {
                try trend.writeWorkbook(to: tmp, toolVersion: Adhere.version, cuts: cuts)
                try OutputFiles.commit(temporary: tmp, to: path)
                if let line = TextCuts.line([(path, cuts)]) { console.err(line) }
            } catch {
                unlink(tmp)
                console.err("cannot write \(path): \(error)")
                return .cannotWrite
            }
        }
        if json {
            do {
                console.raw(String(decoding: try trend.json(), as: UTF8.self))
            } catch {
                console.err("cannot encode JSON: \(error)")
                return .internalError
            }
        } else {
            let color = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            console.raw(trend.text(color: color))
        }
        return ingest.failedFiles.isEmpty && found.unreadable.isEmpty ? .ok : .someFilesUnreadable
    }

    /// The patient's rows that were rejected, and so are not in the figures: where (file and
    /// line, the first five) and why, in the words without the value (an export with its
    /// columns shifted puts names where values go); nil when none.
    static func rejectedLine(_ id: String, _ rejects: [RejectedRow]) -> String? {
        guard !rejects.isEmpty else { return nil }
        let shown = rejects.prefix(5).map { "\($0.file) line \($0.line): \($0.category)" }.joined(separator: "; ")
        let n = rejects.count
        return "warning: \(n) row\(n == 1 ? "" : "s") of \(id) \(n == 1 ? "was" : "were") rejected and \(n == 1 ? "is" : "are") not in these figures (\(shown)\(n > 5 ? "; ..." : "")); adhere check lists every rejected row"
    }

    /// Up to five known ids closest to `id` (edit distance, then numeric closeness).
    static func nearest(_ id: String, in known: Set<String>) -> [String] {
        func distance(_ a: String, _ b: String) -> Int { HeaderMatcher.editDistance(a.lowercased(), b.lowercased()) }
        let limit = max(2, id.count / 2)
        var scored: [(id: String, distance: Int)] = []
        for k in known {
            let d = distance(id, k)
            if d <= limit { scored.append((k, d)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        return scored.prefix(5).map(\.id)
    }
}
