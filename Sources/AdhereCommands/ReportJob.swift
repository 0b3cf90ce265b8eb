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
        var lines: [String] = []
        for (group, name) in zip(groups, names) {
            let final = (out as NSString).appendingPathComponent(name)
            let tmp = OutputFiles.temporaryPath(for: final)
            do {
                try ReportWorkbook(report: report, group: group).write(to: tmp)
                try OutputFiles.commit(temporary: tmp, to: final)
            } catch {
                unlink(tmp)
                console.err("cannot write \(final): \(error)")
                return .cannotWrite
            }
            lines.append("\(final): \(group.patients.count) patient\(group.patients.count == 1 ? "" : "s"), \(group.needingAttention) need\(group.needingAttention == 1 ? "s" : "") attention")
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
