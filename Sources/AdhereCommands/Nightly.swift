import ArgumentParser
import Foundation
import AdherenceAnalysis
import ReportBuilder
import SessionIngest
#if canImport(Glibc)
import Glibc
#endif

/// `adhere nightly`: keeps the month-to-date workbooks current, unattended (from cron).
public struct Nightly: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "Refresh this month's workbooks as of yesterday (and last month's during the first days): for cron.",
        discussion: """
        Meant to run every night. Writes the month-to-date workbooks of the current month as \
        of yesterday (in the clinic's time zone), and during the first days of a month also \
        the final workbooks of the month before. Settings come from the command line and from \
        a config file (--config; the README lists every key); the command line wins.

        Safe to rerun: the same inputs give byte-identical workbooks, and a workbook that would \
        not change is not rewritten (its file time stays). Crash-safe: each file is written to \
        a temporary file in the output folder and renamed into place, so a killed run leaves \
        the previous workbooks intact; its leftovers are removed by the next run. One run at a \
        time: a second run while one is going exits at once with code 75. An export file changed \
        in the last settle-seconds (default 60), or while it was read, is still being written: \
        the run writes nothing, keeps the previous workbooks, says which file, and exits with \
        code 75; the next run reads it.

        Silent when all is well except one summary line (none with --quiet); problems go to \
        standard error, which cron mails. --log-file also appends every line, with a time stamp.

        \(ExitCode.helpText)
        """)

    @Option(name: .long, help: ArgumentHelp("Settings file (key = value lines; the README lists every key).", valueName: "file"))
    public var config: String?

    @OptionGroup public var input: InputOptions
    @OptionGroup public var output: OutputOptions

    @Option(name: .customLong("first-days"), help: ArgumentHelp("On the first this-many days of a month, also write last month's final workbooks. Default: 3.", valueName: "n"))
    public var firstDays: Int?

    @Option(name: .customLong("settle-seconds"), help: ArgumentHelp("An export file changed less than this many seconds ago is still being written: keep the previous workbooks and write nothing. Default: 60; 0 turns the wait off.", valueName: "s"))
    public var settleSeconds: Int?

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Also append every message, time-stamped, to this file.", valueName: "file"))
    public var logFile: String?

    @Option(name: .long, help: .hidden)
    public var today: String?

    public init() {}

    public func validate() throws {
        if output.json == "-" {
            throw ValidationError("nightly writes one JSON file per month it reports (figures.json -> figures-2026-10.json); give a file name, not '-'.")
        }
        if let t = today, Day(iso: t) == nil { throw ValidationError("--today must be YYYY-MM-DD") }
        if let s = settleSeconds, s < 0 { throw ValidationError("--settle-seconds must be 0 or more") }
    }

    public func run() throws {
        let code = runJob()
        if code != .ok { throw ExitCode(code.rawValue) }
    }

    func resolve() throws -> RunSettings {
        try RunSettings.resolve(config: config, input: input, output: output, nightly: true,
                                firstDays: firstDays, settleSeconds: settleSeconds, logFile: logFile)
    }

    func runJob() -> AdhereExit {
        umask(0o077)
        let settings: RunSettings
        do { settings = try resolve() } catch {
            Console.standard.errLines(error)
            return .usage
        }
        let log = LogFile(path: settings.logFile)
        // Both months' jobs read the same inputs: say each problem once.
        let said = SaidOnce()
        let console = Console(
            out: { line in Console.standard.out(line); log.append(line) },
            err: { line in
                guard said.first(line) else { return }
                Console.standard.err(line)
                log.append("adhere: " + line)
            },
            raw: Console.standard.raw)

        do { try OutputFiles.prepareFolder(settings.out) } catch {
            console.err("\(error)")
            return .cannotWrite
        }
        let lock: RunLock
        do {
            lock = try RunLock(folder: settings.out)
        } catch let e as RunLock.Busy {
            console.err("another adhere run is writing to \(settings.out) (lock \(e.path)); this one stops without writing")
            return .locked
        } catch {
            console.err("cannot lock \(settings.out): \(error)")
            return .cannotWrite
        }
        defer { lock.release() }
        // Leftovers of killed runs: in the output folder, and beside the JSON files (each
        // month's, wherever they are).
        for name in OutputFiles.removeLeftovers(in: settings.out) + (settings.json.map(OutputFiles.removeLeftovers(of:)) ?? []) {
            console.err("removed \(name), left over from an interrupted run")
        }

        let today = self.today.flatMap(Day.init(iso:)) ?? Nightly.today(in: settings.timezone)
        let yesterday = today - 1
        var jobs: [(Month, Day)] = [(Month(containing: yesterday), yesterday)]
        let todayMonth = Month(containing: today)
        if today.civil.day <= settings.firstDays, Month(containing: yesterday) == todayMonth {
            jobs.insert((todayMonth.previous, todayMonth.previous.lastDay), at: 0)
        }

        var worst = AdhereExit.ok
        var summaries: [String] = []
        var unknownNames: String?
        var cuts: [(what: String, cuts: TextCuts)] = []
        for (k, (month, asOf)) in jobs.enumerated() {
            let job = ReportJob(inputs: settings.inputs, month: month, asOf: asOf, grouping: settings.grouping,
                                out: settings.out, json: settings.json.map { Nightly.jsonPath($0, month) },
                                strict: settings.strict, quiet: true, thresholds: settings.thresholds)
            let o = job.execute(console: console)
            if !o.settling.isEmpty {
                // An export is still being written: this month and the ones after it keep their
                // previous workbooks (a month already written was read before the change).
                for s in o.settling { console.err(s.message) }
                console.err(InputSettling.keptLine(months: jobs[k...].map(\.0.description)))
                worst = Nightly.worse(worst, .locked)
                break
            }
            unknownNames = o.unknownNames ?? unknownNames
            cuts.append((month.description, o.cuts))
            worst = Nightly.worse(worst, o.code)
            if o.code == .ok || o.code == .someFilesUnreadable || o.code == .rejectedRowsStrict {
                summaries.append("\(month) as of \(asOf): \(o.written + o.unchanged) workbook\(o.written + o.unchanged == 1 ? "" : "s") (\(o.written) updated, \(o.unchanged) unchanged), \(o.patients) patients, \(o.attention) need attention, \(o.rowsRead) rows read, \(o.rejected) rejected")
            }
        }
        // Said even with --quiet: cron mails it until the catalog settles the names.
        if let warning = unknownNames { console.err(warning) }
        if let line = TextCuts.line(cuts) { console.err(line) }
        if !summaries.isEmpty {
            let line = "nightly: " + summaries.joined(separator: "; ")
            if settings.quiet { log.append(line) } else { console.out(line) }
        }
        return worst
    }

    /// Each month's JSON goes to its own file: `figures.json` -> `figures-2026-10.json`.
    static func jsonPath(_ path: String, _ month: Month) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        return url.deletingPathExtension().path + "-\(month)" + ext
    }

    /// Today's date in a time zone.
    static func today(in zone: TimeZone) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// The more serious of two outcomes.
    static func worse(_ a: AdhereExit, _ b: AdhereExit) -> AdhereExit {
        let rank: [AdhereExit] = [.ok, .rejectedRowsStrict, .someFilesUnreadable, .noInput, .badData, .cannotWrite, .locked, .usage, .internalError]
        return (rank.firstIndex(of: a) ?? 0) >= (rank.firstIndex(of: b) ?? 0) ? a : b
    }
}

/// Remembers lines already said.
final class SaidOnce: @unchecked Sendable {
    private var lines = Set<String>()
    private let lock = NSLock()

    func first(_ line: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return lines.insert(line).inserted
    }
}

/// An exclusive lock on the output folder (`.adhere.lock`), held while a nightly run writes.
/// The kernel releases it when the process ends, however it ends.
final class RunLock {
    struct Busy: Error { let path: String }
    let path: String
    private var fd: Int32

    init(folder: String) throws {
        path = (folder as NSString).appendingPathComponent(".adhere.lock")
        // Never through a symbolic link: a planted link would make adhere create or lock
        // a file elsewhere.
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let err = errno
            if err == ELOOP {
                throw OutputError(path: path, reason: "the lock file is a symbolic link, which adhere does not follow; remove it and run again")
            }
            throw OutputError(path: path, reason: String(cString: strerror(err)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let why = String(cString: strerror(errno))
            close(fd)
            fd = -1
            if busy { throw Busy(path: path) }
            throw OutputError(path: path, reason: why)
        }
    }

    func release() {
        if fd >= 0 { flock(fd, LOCK_UN); close(fd); fd = -1 }
    }

    deinit { release() }
}

/// Appends time-stamped lines to the log file, if one is set. Never throws: a log that cannot
/// be written must not stop the reports (the lines still reach standard error).
struct LogFile: Sendable {
    let path: String?

    func append(_ line: String) {
        guard let path else { return }
        let stamp = ISO8601DateFormatter().string(from: Date())
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let text = "\(stamp) \(line)\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}
