import Foundation

/// Runs the real `adhere` executable (built next to the test bundle) as a separate process.
public struct AdhereProcess {
    public struct Result: Sendable {
        public let code: Int32
        public let stdout: String
        public let stderr: String
    }

    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The built executable: beside the test bundle (.build/<config>/adhere).
    public static var binary: URL { executable(named: "adhere") }

    /// A built executable of this package, beside the test bundle (.build/<config>/<name>).
    public static func executable(named name: String) -> URL {
        var dir = Bundle.main.bundleURL
        for candidate in [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          packageRoot.appendingPathComponent(".build/debug")] {
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent(name).path) {
                dir = candidate
                break
            }
        }
        return dir.appendingPathComponent(name)
    }

    /// This process's environment, with a cache folder of the test run's own, so that what
    /// the commands keep there (`trend`'s patient index) never lands in the user's ~/.cache.
    public static var testEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-test-cache-\(getpid())").path
        return env
    }

    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:], cwd: URL? = nil) throws -> Result {
        try Process.runCollecting(binary, arguments, environment: environment, cwd: cwd ?? packageRoot)
    }

    /// How a watched run ended.
    public struct Watched: Sendable {
        public let code: Int32
        /// Ended by a signal (then `code` is the signal's number).
        public let signalled: Bool
        /// Killed by the watchdog after its time.
        public let timedOut: Bool
        public let stdout: String
        public let stderr: String
    }

    /// Runs adhere killed after `seconds` (a run that hangs, reading a FIFO say, is a failure,
    /// not a stuck suite); as another user (setpriv) when `user` is given.
    public static func runWatched(_ arguments: [String], seconds: Double = 60, asUser user: Int32? = nil) throws -> Watched {
        let p = Process()
        if let user {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", binary.path] + arguments
        } else {
            p.executableURL = binary
            p.arguments = arguments
        }
        p.environment = testEnvironment
        p.currentDirectoryURL = packageRoot
        let outPipe = Pipe(), errPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        nonisolated(unsafe) var timedOut = false
        let pid = p.processIdentifier
        let watchdog = DispatchWorkItem { timedOut = true; kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        nonisolated(unsafe) var errData = Data()
        let errThread = Thread { errData = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        while !errThread.isFinished { usleep(1000) }
        return Watched(code: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal, timedOut: timedOut,
                       stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension Process {
    /// Runs a program to the end and collects its exit code and output.
    public static func runCollecting(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                              cwd: URL? = nil) throws -> AdhereProcess.Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        var env = AdhereProcess.testEnvironment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let cwd { p.currentDirectoryURL = cwd }
        let outPipe = Pipe(), errPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        // Read both pipes while the process runs so neither fills up.
        nonisolated(unsafe) var errData = Data()
        let errThread = Thread { errData = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while errThread.isExecuting || !errThread.isFinished { usleep(1000) }
        return AdhereProcess.Result(code: p.terminationStatus,
                                    stdout: String(decoding: outData, as: UTF8.self),
                                    stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A workbook read back with openpyxl (Tests/Support/xlsx_dump.py), a reader independent of
/// the writer.
public struct WorkbookDump: Decodable, Sendable {
    public struct Cell: Decodable, Sendable {
        public let v: JSONValue
        public let t: String
        public let fmt: String
    }

    public struct Conditional: Decodable, Sendable {
        public let range: String
        public let type: String
        public let formula: [String]
        public let fill: String?
        /// Data bars: the colour (ARGB) and the two bounds as [type, value].
        public let bar: DataBar?
    }

    public struct DataBar: Decodable, Sendable {
        public let color: String?
        public let bounds: [[JSONValue]]
    }

    public struct Sheet: Decodable, Sendable {
        public let name: String
        public let cells: [String: Cell]
        public let max_row: Int
        public let freeze: String?
        public let autofilter: String?
        public let conditional: [Conditional]
        public let orientation: String?
        public let fit_width: Int?
        public let fit_height: Int?
        public let fit_to_page: Bool
        public let print_title_rows: String?
        public let print_title_cols: String?
        public let scale: Int?
        /// Left, right, top, bottom and footer margins, in inches.
        public let margins: [Double]
        /// The footer's left, centre and right parts.
        public let footer_parts: [String?]
        /// Manual page breaks: the row (or column) after which each falls, 1-based.
        public let row_breaks: [Int]
        public let col_breaks: [Int]
        /// Merged ranges ("A5:N5").
        public let merged: [String]
        /// Explicit row heights in points, by 1-based row.
        public let heights: [String: Double]
        public let widths: [String: Double]
        public let links: [String: String]

        public subscript(_ ref: String) -> Cell? { cells[ref] }

        /// The row (1-based) whose column A is `text`.
        public func row(where column: String = "A", is text: String) -> Int? {
            for (ref, c) in cells where ref.hasPrefix(column) && Int(ref.dropFirst(column.count)) != nil {
                if case .string(let s) = c.v, s == text { return Int(ref.dropFirst(column.count)) }
            }
            return nil
        }

        /// The row (1-based) of the Summary's table header (below its title and notices).
        public var tableHeaderRow: Int { row(is: "Patient ID") ?? 1 }

        /// Patient ids of the Summary's table, top to bottom.
        public var summaryIDs: [String] {
            let top = tableHeaderRow
            return (top + 1..<max(max_row + 1, top + 1)).compactMap { r in
                if case .string(let s)? = cells["A\(r)"]?.v { return s }
                return nil
            }
        }

        /// Column letter whose header is `title`, in `headerRow` (default: the table header row).
        public func column(titled title: String, headerRow: Int? = nil) -> String? {
            let headerRow = headerRow ?? tableHeaderRow
            for (ref, c) in cells {
                let letters = String(ref.prefix { $0.isLetter })
                if ref == "\(letters)\(headerRow)", case .string(let s) = c.v, s == title { return letters }
            }
            return nil
        }

        public func texts(inColumn column: String) -> [String] {
            (1...max(max_row, 1)).compactMap { r in
                if case .string(let s)? = cells["\(column)\(r)"]?.v { return s }
                return nil
            }
        }
    }

    public struct Properties: Decodable, Sendable {
        public let title: String?
        public let created: String?
    }

    /// One series of a chart: the ranges its categories and values come from (e.g.
    /// `Trends!$B$6:$B$12`), and whether the categories are `text` or `number` (dates are numbers).
    public struct ChartSeries: Decodable, Sendable {
        public let chart: String
        public let categories: String?
        public let category_kind: String?
        public let values: String?
    }

    public let sheets: [Sheet]
    public let properties: Properties
    public let charts: [String]
    public let chart_series: [ChartSeries]

    public func sheet(_ name: String) -> Sheet? { sheets.first { $0.name == name } }

    public static func read(_ path: String) throws -> WorkbookDump {
        let script = AdhereProcess.packageRoot.appendingPathComponent("Tests/Support/xlsx_dump.py").path
        let r = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, path])
        guard r.code == 0 else {
            throw NSError(domain: "xlsx_dump", code: Int(r.code), userInfo: [NSLocalizedDescriptionKey:
                "reading \(path) with openpyxl failed (is openpyxl installed? scripts/test.sh installs it): \(r.stderr)"])
        }
        return try JSONDecoder().decode(WorkbookDump.self, from: Data(r.stdout.utf8))
    }
}

public enum JSONValue: Decodable, Equatable, Sendable {
    case string(String), number(Double), bool(Bool), null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    public var number: Double? { if case .number(let d) = self { return d }; return nil }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
}

/// LibreOffice headless, to show a workbook opens without repair in a second application.
public enum LibreOffice {
    /// The installed `soffice`, if any.
    public static var binary: String? {
        ["/usr/bin/soffice", "/usr/bin/libreoffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Converts every sheet of `workbook` to a CSV file in `folder` (UTF-8), with a fresh user
    /// profile in `profile`.
    public static func convertToCSV(_ office: String, _ workbook: String, into folder: URL, profile: URL) throws -> AdhereProcess.Result {
        try Process.runCollecting(URL(fileURLWithPath: office),
                                  ["-env:UserInstallation=file://\(profile.path)", "--headless", "--norestore",
                                   "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                                   "--outdir", folder.path, workbook])
    }
}
