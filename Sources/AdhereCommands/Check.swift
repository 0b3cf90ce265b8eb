import ArgumentParser
import Foundation
import AdherenceAnalysis
import SessionIngest
import ReportBuilder

/// `adhere check`: what adhere makes of each export file, without writing anything.
public struct Check: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check export files: how each is read, and every row that would be rejected.",
        discussion: """
        For each file: the separator, encoding and date format detected, which column is read \
        as what, rows read, rows rejected by reason (with the first line numbers), duplicate \
        rows, and exercise names adhere does not know. Writes nothing. Every field of every \
        row is checked, whatever its date (a report checks rows older than the months it \
        looks at for their patient, date and shape only).

        Exit codes: 0 all files readable; 1 rows would be rejected and --strict was given; \
        2 some file cannot be read at all; 66 no file could be read; 64 bad usage.
        """)

    @OptionGroup public var common: CommonOptions

    @OptionGroup public var input: InputOptions

    @Flag(name: .long, help: "Exit with code 1 when any row would be rejected or an exercise name is not known.")
    public var strict = false

    @Option(name: .customLong("write-catalog"), help: ArgumentHelp(
        "Write a catalog file to finish: every exercise name in the files, with the key adhere reads it as, or blank where it cannot tell.",
        discussion: "Fill in each blank key (an exercise key, or 'other' for a name that is not part of the programme), then pass the file with --catalog.",
        valueName: "file"))
    public var writeCatalog: String?

    public init() {}

    public func validate() throws {
        if common.config == nil { try input.requireInputs("check") }
    }

    public func run() throws {
        let code = runJob(console: .standard)
        if code != .ok { throw ExitCode(code.rawValue) }
    }

    func runJob(console: Console) -> AdhereExit {
        let inputs: JobInputs
        let catalog: ExerciseCatalog
        do {
            inputs = try RunSettings.resolve(common: common, input: input, output: nil, nightly: false).inputs
        } catch {
            console.errLines(error)
            return .usage
        }
        do {
            catalog = try inputs.loadCatalog()
            if let plans = inputs.plans {
                let p = try PlansReader.read(path: plans, catalog: catalog)
                console.out("\(plans)\n  plans: \(p.rows) rows for \(p.periods.count) patients, all readable")
            }
        } catch {
            console.err("\(error)")
            return .badData
        }
        let found = InputFiles.expansion(inputs.paths)
        if let m = found.missing.first {
            console.err("\(m): does not exist")
            return .noInput
        }
        let files = found.files
        for f in found.notRead { console.out("\(f.path)\n  not read: \(f.reason)") }
        guard !files.isEmpty || !found.unreadable.isEmpty else {
            console.err("no CSV files found in \(inputs.paths.joined(separator: ", ")).")
            return .noInput
        }
        // Every date counts: duplicates are looked for over the whole files.
        let all = DayRange(Day(raw: -1_000_000), Day(raw: 3_000_000))
        var options = inputs.ingestOptions(span: all, asOf: all.last, catalog: catalog)
        options.computeDigests = false
        options.keepEntries = false
        var result = SessionLogReader(options: options).read(files: files)
        result.addUnreadable(found.unreadable)
        for f in result.files {
            console.out(f.path)
            if let e = f.error {
                console.out("  cannot be read: \(e)")
                continue
            }
            console.out("  read as: \(f.separator)-separated, \(f.encoding), dates \(f.dateFormat)")
            let columns = Column.allCases.compactMap { c in f.columns[c.rawValue].map { "\(c.rawValue) <- \(MessageText.quoted($0))" } }
            console.out("  columns: \(columns.joined(separator: ", "))")
            console.out("  rows: \(f.rows) read, \(f.accepted) accepted, \(f.rejected) rejected, \(f.duplicates) duplicate\(f.duplicates == 1 ? "" : "s") dropped")
            let rejects = result.rejects.filter { $0.file == f.path }
            var byReason: [(String, [Int])] = []
            for r in rejects {
                let key = r.category
                if let i = byReason.firstIndex(where: { $0.0 == key }) { byReason[i].1.append(r.line) } else { byReason.append((key, [r.line])) }
            }
            for (reason, lines) in byReason.sorted(by: { $0.1.count > $1.1.count }) {
                let shown = lines.prefix(5).map(String.init).joined(separator: ", ")
                console.out("  rejected, \(reason): \(lines.count) (line\(lines.count == 1 ? "" : "s") \(shown)\(lines.count > 5 ? ", ..." : ""))")
            }
            for n in f.notices { console.out("  note: \(n)") }
        }
        if !result.unknownExercises.isEmpty {
            console.out("exercise names adhere does not know (their rows count as other reps, not towards adherence):")
            for u in result.unknownExercises {
                console.out("  \(MessageText.quoted(u.name)): \(u.rows) row\(u.rows == 1 ? "" : "s"), \(u.patients.count) patient\(u.patients.count == 1 ? "" : "s")")
            }
            console.out("  settle them: adhere check --write-catalog catalog.csv ..., fill in the blank keys, then pass --catalog catalog.csv")
        }
        if let path = writeCatalog {
            do {
                try OutputFiles.prepareFolder((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
                for name in OutputFiles.removeLeftovers(of: path) { console.err("removed \(name), left over from an interrupted run") }
                _ = try OutputFiles.writeAtomically(CatalogDraft.csv(names: result.exerciseNamesSeen, catalog: catalog), to: path)
                console.out("wrote \(path): \(result.exerciseNamesSeen.count) exercise names, \(result.unknownExercises.count) with a blank key to fill in")
            } catch {
                console.err("cannot write the catalog file \(path): \(error)")
                return .cannotWrite
            }
        }
        console.out("\(result.files.count) file\(result.files.count == 1 ? "" : "s"): \(result.rowsRead) rows read, \(result.rowsRejected) rejected, \(result.duplicatesDropped) duplicates, \(result.failedFiles.count) unreadable")
        if result.failedFiles.count == result.files.count { return .noInput }
        if !result.failedFiles.isEmpty { return .someFilesUnreadable }
        if strict && (result.rowsRejected > 0 || !result.unknownExercises.isEmpty) { return .rejectedRowsStrict }
        return .ok
    }
}
