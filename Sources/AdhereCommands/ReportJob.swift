import Foundation
import AdherenceAnalysis
import ReportBuilder
import SessionIngest
#if canImport(Glibc)
import Glibc
#endif

/// One run of the monthly report: read, analyse, write. Returns the exit code instead of
/// exiting, so that other commands (and tests) can run it.
struct ReportJob {
    var input: InputOptions
    var month: Month
    var asOf: Day
    var grouping: Grouping
    var out: String
    var json: String?
    var strict: Bool
    var quiet: Bool
    var thresholds = Thresholds()
    var catalog = ExerciseCatalog.standard

    func run(console: Console) -> AdhereExit {
        umask(0o077)
        var timer = PhaseTimer()
        let files: [String]
        do {
            files = try InputFiles.expand(input.inputs)
        } catch {
            console.err("\(error). Check the path given on the command line.")
            return .noInput
        }
        guard !files.isEmpty else {
            console.err("no CSV files found in \(input.inputs.joined(separator: ", ")). Point adhere at the export files or the folder holding them.")
            return .noInput
        }

        var plans: PlansFile?
        if let path = input.plans {
            do {
                plans = try PlansReader.read(path: path, catalog: catalog)
            } catch let e as IngestError {
                console.err("\(e)")
                return .badData
            } catch {
                console.err("plans file \(path): \(error)")
                return .badData
            }
        }

        let settings = ReportSettings(month: month, asOf: asOf, grouping: grouping, thresholds: thresholds,
                                      toolVersion: Adhere.version)
        let analyzer = Analyzer(catalog: catalog, thresholds: thresholds)
        var options = IngestOptions(span: analyzer.span(for: settings.window), asOf: asOf)
        options.catalog = catalog
        options.dateOrder = input.dateOrder?.order
        do { options.extraColumns = try input.columnMap() } catch { console.err("\(error)"); return .usage }
        timer.lap("setup")
        let ingest = SessionLogReader(options: options).read(files: files)
        timer.lap("read \(files.count) files")

        for f in ingest.failedFiles {
            console.err("skipped \(f.error.map { "\($0)" } ?? f.path)")
        }
        let badData = ingest.failedFiles.contains {
            switch $0.error {
            case .ambiguousDates, .conflictingDates, .missingColumns: return true
            default: return false
            }
        }
        if ingest.failedFiles.count == files.count {
            return badData ? .badData : .noInput
        }

        let report = MonthlyReport(settings: settings, ingest: ingest, plans: plans, catalog: catalog)
        timer.lap("analyse \(report.patients.count) patients")
        do {
            try OutputFiles.prepareFolder(out)
        } catch {
            console.err("\(error)")
            return .cannotWrite
        }
        let groups = report.groups()
        let names = OutputFiles.workbookNames(month: month.description, labels: groups.map(\.label))
        // Workbooks are independent: write them on all cores, each to a temporary file, then
        // move them into place in order.
        let jobs = zip(groups, names).map { (group: $0.0, final: (out as NSString).appendingPathComponent($0.1)) }
        let written = ParallelMap.map(jobs.indices.map { $0 }) { i -> String? in
            let tmp = OutputFiles.temporaryPath(for: jobs[i].final, tag: i)
            do {
                try ReportWorkbook(report: report, group: jobs[i].group).write(to: tmp)
                return nil
            } catch {
                unlink(tmp)
                return "cannot write \(jobs[i].final): \(error)"
            }
        }
        if let failure = written.compactMap({ $0 }).first {
            for (i, job) in jobs.enumerated() { unlink(OutputFiles.temporaryPath(for: job.final, tag: i)) }
            console.err(failure)
            return .cannotWrite
        }
        var lines: [String] = []
        for (i, job) in jobs.enumerated() {
            do {
                try OutputFiles.commit(temporary: OutputFiles.temporaryPath(for: job.final, tag: i), to: job.final)
            } catch {
                for (k, other) in jobs.enumerated() where k >= i { unlink(OutputFiles.temporaryPath(for: other.final, tag: k)) }
                console.err("\(error)")
                return .cannotWrite
            }
            let group = job.group
            lines.append("\(job.final): \(group.patients.count) patient\(group.patients.count == 1 ? "" : "s"), \(group.needingAttention) need\(group.needingAttention == 1 ? "s" : "") attention")
        }
        timer.lap("write \(groups.count) workbooks")
        let rejectsPath = (out as NSString).appendingPathComponent("rejects-\(month).csv")
        do {
            try OutputFiles.writeAtomically(RejectsFile.csv(ingest.rejects), to: rejectsPath)
        } catch {
            console.err("\(error)")
            return .cannotWrite
        }
        if let json {
            do {
                let data = try ReportJSON.encode(report)
                if json == "-" {
                    FileHandle.standardOutput.write(data)
                } else {
                    try OutputFiles.writeAtomically(data, to: json)
                }
            } catch {
                console.err("cannot write JSON to \(json): \(error)")
                return .cannotWrite
            }
        }
        let total = "read \(ingest.files.count) file\(ingest.files.count == 1 ? "" : "s"), \(ingest.rowsRead) rows: \(ingest.rowsRejected) rejected (see \(rejectsPath)), \(ingest.duplicatesDropped) duplicates dropped; \(report.patients.count) patients in \(month) as of \(asOf)"
        if !quiet {
            let say = json == "-" ? console.err : console.out
            for l in lines { say(l) }
            say(total)
        }
        if !ingest.failedFiles.isEmpty { return .someFilesUnreadable }
        if strict && ingest.rowsRejected > 0 {
            console.err("\(ingest.rowsRejected) row\(ingest.rowsRejected == 1 ? " was" : "s were") rejected (--strict); see \(rejectsPath)")
            return .rejectedRowsStrict
        }
        return .ok
    }
}
