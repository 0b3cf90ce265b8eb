import Foundation
import AdherenceAnalysis
import ReportBuilder
import ParallelWork
import SessionIngest
import XLSXWriter
#if canImport(Glibc)
import Glibc
#endif

/// Where the session logs and plans come from, resolved from the command line and config file.
struct JobInputs {
    var paths: [String]
    var plans: String?
    var dateOrder: DateOrder?
    var columns: [String: Column] = [:]
    /// Files changed less than this many seconds ago are still being written: skip them.
    var settleSeconds: Int?
    var separator: UInt8?
    var encoding: TextEncoding?
    var timeZone: TimeZone?
    /// A catalog file adding exercises and names.
    var catalog: String?

    /// The ingest options for these inputs.
    func ingestOptions(span: DayRange, asOf: Day, catalog: ExerciseCatalog) -> IngestOptions {
        var o = IngestOptions(span: span, asOf: asOf)
        o.catalog = catalog
        o.dateOrder = dateOrder
        o.extraColumns = columns
        o.separator = separator
        o.encoding = encoding
        o.timeZone = timeZone
        return o
    }

    /// The built-in catalog, with the catalog file's additions.
    func loadCatalog() throws -> ExerciseCatalog {
        guard let path = catalog else { return .standard }
        return try CatalogReader.read(path: path, base: .standard)
    }
}

/// One run of the monthly report: read, analyse, write. Returns the exit code instead of
/// exiting, so that other commands (and tests) can run it.
struct ReportJob {
    var inputs: JobInputs
    var month: Month
    var asOf: Day
    var grouping: Grouping
    var out: String
    var json: String?
    var strict: Bool
    var quiet: Bool
    var thresholds = Thresholds()
    /// Take the output folder's lock while writing (a `report`; `nightly` holds it already).
    var lockOutput = false

    /// What a run did, for the nightly summary line.
    struct Outcome {
        var code: AdhereExit
        var written = 0
        var unchanged = 0
        var patients = 0
        var attention = 0
        var rowsRead = 0
        var rejected = 0
        var lines: [String] = []
        /// The unknown-names warning, printed by the caller even when quiet (nightly prints one
        /// per run, not one per month).
        var unknownNames: String?
        /// Texts cut to fit a cell in this month's workbooks (said once per run by the caller).
        var cuts = TextCuts()
        /// Input files still being written (nightly): nothing was written, and the caller says
        /// why.
        var settling: [InputSettling.Settling] = []
    }

    func run(console: Console) -> AdhereExit {
        let outcome = execute(console: console)
        if let warning = outcome.unknownNames { console.err(warning) }
        if let line = TextCuts.line([(month.description, outcome.cuts)]) { console.err(line) }
        if !quiet {
            let say = json == "-" ? console.err : console.out
            for l in outcome.lines { say(l) }
        }
        return outcome.code
    }

    /// Why a run ends before its last step: the exit code, what to say, and (nightly) the
    /// exports still being written, which the caller says.
    struct Stop: Error {
        var code: AdhereExit
        var message: String?
        var settling: [InputSettling.Settling] = []
    }

    /// The inputs a run reads: the files found, the paths missing, what cannot be read.
    struct InputList {
        var files: [String]
        var missing: [String]
        var unreadable: [InputFiles.NotRead]
    }

    /// The steps of a run, in order; the first that cannot go on ends it with its exit code.
    func execute(console: Console) -> Outcome {
        var timer = PhaseTimer()
        do {
            let inputList = try listInputs(console: console)
            let (catalog, plans) = try loadTables()
            let settings = ReportSettings(month: month, asOf: asOf, grouping: grouping, thresholds: thresholds,
                                          toolVersion: Adhere.version)
            let analyzer = Analyzer(catalog: catalog, thresholds: thresholds)
            var options = inputs.ingestOptions(span: MonthlyReport.span(for: settings, analyzer: analyzer), asOf: asOf, catalog: catalog)
            // The overview's history months, compact, and every entry day (for the RTM periods).
            options.historyFrom = MonthlyReport.historyFrom(for: settings, analyzer: analyzer)
            options.keepEntryDays = true
            // Rows before the first day kept give their patient, day and names only (`check` checks them).
            options.checkOldRows = false
            // Inputs unchanged since an earlier run into this folder are not hashed again.
            let digests = DigestIndex(folder: out)
            options.digests = digests
            // Old inputs unchanged since, wholly before the window, are not read again.
            let history = HistoryCache(folder: out, options: options)
            options.historyCache = history
            timer.lap("setup")
            var ingest = try read(inputList, options: options, console: console)
            timer.lap("read \(inputList.files.count) files (\(history.filesFromCache) from \(HistoryCache.fileName))")
            let report = MonthlyReport(settings: settings, ingest: ingest, plans: plans, catalog: catalog,
                                       entriesFrom: options.span.first)
            ingest.patients = []  // analysed: the rows can go
            timer.lap("analyse \(report.patients.count) patients")
            let lock = try lockOutputFolder(console: console)
            defer { lock?.release() }
            var outcome = Outcome(code: .ok, patients: report.patients.count,
                                  attention: report.patients.filter(\.needsCall).count,
                                  rowsRead: ingest.rowsRead, rejected: ingest.rowsRejected)
            let (contents, workbooks) = try writeWorkbooks(report, into: &outcome)
            timer.lap("write \(workbooks) workbooks, \(contents.cells) cells, \(contents.charts) charts, \(contents.series) series")
            try writeClinicFiles(report, into: &outcome)
            let rejectsPath = try writeRejects(ingest)
            if let index = digests.contents() {
                // Only a time saver: a run that cannot keep it hashes the inputs again next time.
                _ = try? OutputFiles.writeAtomically(index, to: (out as NSString).appendingPathComponent(DigestIndex.fileName))
            }
            if let kept = history.contents() {
                _ = try? OutputFiles.writeAtomically(kept, to: (out as NSString).appendingPathComponent(HistoryCache.fileName))
            }
            try writeJSON(report, console: console)
            finish(&outcome, ingest: ingest, report: report, inputs: inputList, rejectsPath: rejectsPath, console: console)
            return outcome
        } catch let stop as Stop {
            if let message = stop.message { console.err(message) }
            return Outcome(code: stop.code, settling: stop.settling)
        } catch {
            console.err("\(error)")
            return Outcome(code: .internalError)
        }
    }

    /// The input files, without the output folder's own (it may sit inside an input folder);
    /// what is not read, and why, is said. Nightly stops here while an export is still being
    /// written.
    func listInputs(console: Console) throws -> InputList {
        let found = InputFiles.expansion(inputs.paths)
        let missing = found.missing
        let outFolder = URL(fileURLWithPath: out).standardizedFileURL.resolvingSymlinksInPath().path + "/"
        func inOutput(_ path: String) -> Bool {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path.hasPrefix(outFolder)
        }
        let files = found.files.filter { !inOutput($0) }
        for f in found.notRead where !inOutput(f.path) { console.err("not read: \(f.path) is \(f.reason)") }
        // Inputs that should have been read and cannot be: named, in Data issues, exit 2.
        let unreadable = found.unreadable.filter { !inOutput($0.path) }
        for u in unreadable { console.err("skipped \(u.path): \(u.reason)") }
        for path in missing {
            console.err("skipped \(path): it does not exist (an export folder not mounted?); the other inputs are read")
        }
        // Nightly: a file still being written would give a report from less data. Nothing is
        // written; the caller keeps the previous workbooks and says why.
        if let settle = inputs.settleSeconds {
            let young = InputSettling.young(files, seconds: settle)
            if !young.isEmpty { throw Stop(code: .locked, settling: young) }
        }
        guard !files.isEmpty else {
            throw Stop(code: .noInput, message: "no CSV files found in \(inputs.paths.joined(separator: ", ")). Point adhere at the export files or the folder holding them.")
        }
        return InputList(files: files, missing: missing, unreadable: unreadable)
    }

    /// The catalog (with the catalog file's additions) and the plans file, if any.
    func loadTables() throws -> (ExerciseCatalog, PlansFile?) {
        let catalog: ExerciseCatalog
        do { catalog = try inputs.loadCatalog() } catch { throw Stop(code: .badData, message: "\(error)") }
        guard let path = inputs.plans else { return (catalog, nil) }
        do { return (catalog, try PlansReader.read(path: path, catalog: catalog)) } catch {
            throw Stop(code: .badData, message: "\(error)")
        }
    }

    /// Every input read; files that cannot be used are said, and the run stops when none can.
    func read(_ list: InputList, options: IngestOptions, console: Console) throws -> IngestResult {
        let stamps = inputs.settleSeconds == nil ? [:] : InputSettling.stamps(list.files)
        var ingest = SessionLogReader(options: options).read(files: list.files)
        // Nightly: a file that changed while it was read was read part-way.
        if inputs.settleSeconds != nil {
            let changed = InputSettling.changed(since: stamps)
            if !changed.isEmpty { throw Stop(code: .locked, settling: changed) }
        }
        for f in ingest.failedFiles {
            console.err("skipped \(f.error.map { "\($0)" } ?? f.path)")
        }
        let allFailed = ingest.failedFiles.count == list.files.count
        ingest.addUnreadable(list.unreadable)
        let badData = ingest.failedFiles.contains {
            switch $0.error {
            case .ambiguousDates, .conflictingDates, .missingColumns, .twoReadings: return true
            default: return false
            }
        }
        if allFailed { throw Stop(code: badData ? .badData : .noInput) }
        return ingest
    }

    /// The output folder, ready, and (for `report`) locked: one writer per output folder at a
    /// time (a nightly run may be writing there). Leftovers of an interrupted run are removed.
    func lockOutputFolder(console: Console) throws -> RunLock? {
        do { try OutputFiles.prepareFolder(out) } catch { throw Stop(code: .cannotWrite, message: "\(error)") }
        guard lockOutput else { return nil }
        let lock: RunLock
        do { lock = try RunLock(folder: out) } catch is RunLock.Busy {
            throw Stop(code: .locked, message: "another adhere run is writing to \(out); try again when it has finished")
        } catch {
            throw Stop(code: .cannotWrite, message: "cannot lock \(out): \(error)")
        }
        for name in OutputFiles.removeLeftovers(in: out) {
            console.err("removed \(name), left over from an interrupted run")
        }
        return lock
    }

    /// The groups' workbooks, written on all cores, each to a temporary file in the output
    /// folder, then moved into place in order (an unchanged one is left as it was).
    func writeWorkbooks(_ report: MonthlyReport, into outcome: inout Outcome) throws -> (Workbook.Contents, workbooks: Int) {
        let groups = report.groups()
        let names = ClinicOutputs.groupWorkbookNames(month: month, labels: groups.map(\.label))
        let jobs = zip(groups, names).map { (group: $0.0, final: (out as NSString).appendingPathComponent($0.1)) }
        let temporary = jobs.indices.map { OutputFiles.temporaryPath(for: jobs[$0].final, tag: $0) }
        let cuts = outcome.cuts
        let results = ParallelMap.map(Array(jobs.indices)) { i -> Result<Workbook.Contents, OutputError> in
            do {
                return .success(try ReportWorkbook(report: report, group: jobs[i].group, cuts: cuts).write(to: temporary[i]))
            } catch {
                return .failure(OutputError(path: jobs[i].final, reason: "\(error)"))
            }
        }
        let contents = results.reduce(Workbook.Contents()) { $0 + ((try? $1.get()) ?? Workbook.Contents()) }
        if let failure = results.compactMap({ if case .failure(let e) = $0 { return e } else { return nil } }).first {
            for t in temporary { unlink(t) }
            throw Stop(code: .cannotWrite, message: "\(failure)")
        }
        for (i, job) in jobs.enumerated() {
            do {
                if try OutputFiles.commit(temporary: temporary[i], to: job.final) { outcome.written += 1 } else { outcome.unchanged += 1 }
            } catch {
                for t in temporary[i...] { unlink(t) }
                throw Stop(code: .cannotWrite, message: "\(error)")
            }
            let group = job.group
            outcome.lines.append("\(job.final): \(group.patients.count) patient\(group.patients.count == 1 ? "" : "s"), \(group.needingAttention) need\(group.needingAttention == 1 ? "s" : "") attention")
        }
        return (contents, groups.count)
    }

    /// The clinic overview and the RTM periods' CSV.
    func writeClinicFiles(_ report: MonthlyReport, into outcome: inout Outcome) throws {
        do {
            let clinic = try ClinicOutputs.write(report, to: out)
            if clinic.overviewRewritten { outcome.written += 1 } else { outcome.unchanged += 1 }
            outcome.lines.append("\(clinic.overview): the clinic overview, \(report.rtm.reduce(0) { $0 + $1.periods.count }) RTM periods closed (see \(clinic.rtm))")
        } catch {
            throw Stop(code: .cannotWrite, message: "\(error)")
        }
    }

    /// The rejects file; returns its path.
    func writeRejects(_ ingest: IngestResult) throws -> String {
        let rejectsPath = (out as NSString).appendingPathComponent("rejects-\(month).csv")
        do { try OutputFiles.writeAtomically(RejectsFile.csv(ingest.rejects), to: rejectsPath) } catch {
            throw Stop(code: .cannotWrite, message: "\(error)")
        }
        return rejectsPath
    }

    /// The JSON, to its file (leftovers of an interrupted run removed) or standard output.
    func writeJSON(_ report: MonthlyReport, console: Console) throws {
        guard let json else { return }
        do {
            let data = try ReportJSON.encode(report)
            if json == "-" {
                console.raw(String(decoding: data, as: UTF8.self))
            } else {
                // The JSON file may be outside the output folder: its leftovers are cleaned here.
                for name in OutputFiles.removeLeftovers(of: json) {
                    console.err("removed \(name), left over from an interrupted run")
                }
                try OutputFiles.writeAtomically(data, to: json)
            }
        } catch {
            throw Stop(code: .cannotWrite, message: "cannot write JSON to \(json): \(error)")
        }
    }

    /// The total line, what every run says, and the exit code: inputs not read give 2,
    /// rejected rows or unknown names with --strict give 1.
    func finish(_ outcome: inout Outcome, ingest: IngestResult, report: MonthlyReport, inputs list: InputList,
                rejectsPath: String, console: Console) {
        let files = list.files
        outcome.lines.append("read \(files.count) file\(files.count == 1 ? "" : "s"), \(ingest.rowsRead) rows: \(ingest.rowsRejected) rejected (see \(rejectsPath)), \(ingest.duplicatesDropped) duplicates dropped; \(report.patients.count) patients in \(month) as of \(asOf)")
        if let line = MonthlyReport.dayOnlyLine(ingest) { outcome.lines.append(line) }
        if let line = report.mergedNamesLine { console.err(line) }
        // Said every run, even when quiet: a figure may be too low because of them.
        outcome.unknownNames = UnknownNamesWarning.line(ingest.unknownExercises, inputs: inputs.paths)
        if !ingest.failedFiles.isEmpty || !list.missing.isEmpty {
            outcome.code = .someFilesUnreadable
        } else if strict && (ingest.rowsRejected > 0 || !ingest.unknownExercises.isEmpty) {
            if ingest.rowsRejected > 0 {
                console.err("\(ingest.rowsRejected) row\(ingest.rowsRejected == 1 ? " was" : "s were") rejected (--strict); see \(rejectsPath)")
            } else {
                console.err("exercise names adhere does not know carry entries (--strict)")
            }
            outcome.code = .rejectedRowsStrict
        }
    }
}
