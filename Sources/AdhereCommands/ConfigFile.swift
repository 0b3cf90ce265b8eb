import Foundation
import AdherenceAnalysis
import ReportBuilder
import SessionIngest

/// The settings file of `report`, `trend` and `nightly`: one `key = value` per line; a line
/// starting with `#` is a comment; keys that can repeat (`input`, `column`) are given once per
/// line. Relative paths are relative to the file's folder. The command line wins over the
/// file. The README lists every key; Fixtures/adhere.conf is a commented example.
///
/// The whole file is checked when it is read, every key whether or not the command line
/// overrides it, and every problem is said at once, each with its line (``ConfigErrors``), so
/// an admin fixes the file in one go rather than one error per run.
struct ConfigFile {
    /// Each key's values, in file order, with the line each is on.
    var values: [String: [String]] = [:]
    var valueLines: [String: [Int]] = [:]
    let path: String
    /// Problems met while reading values (a reference, so reading stays non-mutating).
    let problems = Problems()

    final class Problems {
        var list: [ConfigError] = []
    }

    static let keys: Set<String> = [
        "input", "plans", "out", "by", "timezone", "date-order", "column", "log-file", "strict", "quiet",
        "first-days", "settle-seconds", "json", "separator", "encoding", "catalog",
        "adherent", "partial", "low-adherence", "monthly-drop", "inactive-days", "building", "declining",
        "pain-rise", "pain-ceiling", "look-back-days", "never-started-days", "not-logging-days", "holds-short-share",
        "holds-short-reps", "rtm-period-days", "rtm-code",
    ]
    /// Keys holding paths: resolved against the file's folder.
    static let pathKeys: Set<String> = ["input", "plans", "out", "log-file", "json", "catalog"]
    /// Keys given once per value, on as many lines as needed.
    static let repeatable: Set<String> = ["input", "column", "rtm-code"]
    static let firstDaysRange = 0...28
    static let settleSecondsRange = 0...86_400

    /// Reads and checks the file; throws ``ConfigErrors`` with every problem found, in line order.
    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors([ConfigError(path: path, line: nil, message: "cannot be read (does it exist?)")])
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let folder = (path as NSString).deletingLastPathComponent
        // Split on any line end: "\r\n" is one Character in Swift, so split by isNewline.
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                problems.list.append(ConfigError(path: path, line: n + 1, message: "expected 'key = value', found '\(trimmed)'"))
                continue
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard ConfigFile.keys.contains(key) else {
                problems.list.append(ConfigError(path: path, line: n + 1,
                                                 message: "unknown setting '\(key)'; known: \(ConfigFile.keys.sorted().joined(separator: ", "))"))
                continue
            }
            if let earlier = valueLines[key]?.first, !ConfigFile.repeatable.contains(key) {
                problems.list.append(ConfigError(path: path, line: n + 1,
                                                 message: "\(key) is already set on line \(earlier); give it once (only input, column and rtm-code repeat)"))
                continue
            }
            if ConfigFile.pathKeys.contains(key), !value.isEmpty, !value.hasPrefix("/"), value != "-", !folder.isEmpty {
                value = (folder as NSString).appendingPathComponent(value)
            }
            values[key, default: []].append(value)
            valueLines[key, default: []].append(n + 1)
        }
        checkEveryValue()
        if !problems.list.isEmpty {
            throw ConfigErrors(problems.list)
        }
    }

    /// Reads every value once, so that each bad one is a problem whether or not this run uses it.
    private func checkEveryValue() {
        _ = choice("by", as: Grouping.self)
        _ = choice("date-order", as: DateOrderOption.self)
        _ = choice("separator", as: SeparatorOption.self)
        _ = choice("encoding", as: EncodingOption.self)
        _ = columns()
        _ = timeZone()
        _ = bool("strict")
        _ = bool("quiet")
        _ = int("first-days", ConfigFile.firstDaysRange)
        _ = int("settle-seconds", ConfigFile.settleSecondsRange)
        _ = thresholds()
    }

    func string(_ key: String) -> String? { values[key]?.last }
    func list(_ key: String) -> [String] { values[key] ?? [] }

    /// Records a problem with the value of `key` (on its line).
    func problem(_ key: String, _ message: String, line: Int? = nil) {
        let error = ConfigError(path: path, line: line ?? valueLines[key]?.last, message: message)
        // A value read twice (checked on reading the file, then used) is said once.
        if !problems.list.contains(where: { $0.line == error.line && $0.message == error.message }) {
            problems.list.append(error)
        }
    }

    /// One of a fixed set of values (the same words as the command-line option takes).
    func choice<T: CaseIterable & RawRepresentable>(_ key: String, as type: T.Type) -> T? where T.RawValue == String {
        guard let v = string(key) else { return nil }
        guard let parsed = T(rawValue: v) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            problem(key, "\(key) must be one of \(allowed), found '\(v)'")
            return nil
        }
        return parsed
    }

    func bool(_ key: String) -> Bool? {
        guard let v = string(key)?.lowercased() else { return nil }
        switch v {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default:
            problem(key, "\(key) must be yes or no, found '\(v)'")
            return nil
        }
    }

    func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let v = string(key) else { return nil }
        guard let n = Int(v), range.contains(n) else {
            problem(key, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), found '\(v)'")
            return nil
        }
        return n
    }

    /// A plain number such as `2` or `2.5` (up to four decimals), exactly, within `range`.
    func number(_ key: String, _ range: ClosedRange<Int>) -> Fraction? {
        guard let v = string(key) else { return nil }
        guard let f = ConfigFile.decimal(v), f >= Fraction(range.lowerBound), f <= Fraction(range.upperBound) else {
            problem(key, "\(key) must be a number from \(range.lowerBound) to \(range.upperBound), found '\(v)'")
            return nil
        }
        return f
    }

    /// A percentage written with its sign, `80%`, as a fraction (0.8).
    func percent(_ key: String) -> Fraction? {
        guard let v = string(key) else { return nil }
        guard v.hasSuffix("%"), let f = ConfigFile.decimal(String(v.dropLast())), f <= Fraction(100) else {
            problem(key, "\(key) must be a percentage from 0% to 100%, written with its % sign (e.g. 80%), found '\(v)'")
            return nil
        }
        return f / Fraction(100)
    }

    /// The `timezone` value as a zone; `nil` when not given or unknown (a problem).
    func timeZone() -> TimeZone? {
        guard let name = string("timezone") else { return nil }
        guard let zone = TimeZone(identifier: name) else {
            problem("timezone", "unknown time zone '\(name)'; use a name like Europe/Berlin or UTC")
            return nil
        }
        return zone
    }

    /// The `column` lines, each `Header=canonical_name`; a bad one is a problem on its own line.
    func columns() -> [String] {
        let lines = valueLines["column"] ?? []
        var good: [String] = []
        for (spec, line) in zip(list("column"), lines) {
            guard let eq = spec.lastIndex(of: "=") else {
                problem("column", "column '\(spec)' needs the form 'Header in the file=canonical_name'", line: line)
                continue
            }
            let name = String(spec[spec.index(after: eq)...]).lowercased()
            guard Column(rawValue: name) != nil else {
                problem("column", "column '\(spec)': '\(name)' is not a column adhere knows; use one of: \(Column.allCases.map(\.rawValue).joined(separator: ", "))", line: line)
                continue
            }
            good.append(spec)
        }
        return good
    }

    /// The RTM codes, one `rtm-code = CODE DAYS` line each (the code, then the fewest data days
    /// in a period that meet it); given at all, they replace the defaults (98977 16, 98985 2).
    func rtmCodes(periodDays: Int) -> [RTMCode]? {
        let given = list("rtm-code")
        guard !given.isEmpty else { return nil }
        var codes: [RTMCode] = []
        let lines = valueLines["rtm-code"] ?? []
        for (v, line) in zip(given, lines) {
            let parts = v.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2, parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }),
                  let days = Int(parts[1]), (1...periodDays).contains(days) else {
                problem("rtm-code", "rtm-code must be a code (letters, digits, '-' or '.') and the fewest data days that meet it, from 1 to rtm-period-days (\(periodDays)), e.g. 'rtm-code = 98977 16'; found '\(v)'", line: line)
                continue
            }
            guard !codes.contains(where: { $0.minimumDays == days || $0.code == String(parts[0]) }) else {
                problem("rtm-code", "rtm-code '\(v)' repeats a code or a number of days given on another rtm-code line", line: line)
                continue
            }
            codes.append(RTMCode(String(parts[0]), minimumDays: days))
        }
        return codes
    }

    static func decimal(_ v: String) -> Fraction? {
        let parts = v.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCII), let whole = Int(parts[0]), whole >= 0,
              !parts[0].hasPrefix("-"), !parts[0].hasPrefix("+") else { return nil }
        var value = Int64(whole), scale: Int64 = 1
        if parts.count == 2 {
            guard (1...4).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            for ch in parts[1] { value = value * 10 + Int64(ch.wholeNumberValue!); scale *= 10 }
        }
        return Fraction(value, scale)
    }

    /// Thresholds, starting from the defaults, checked for sense (bad values are problems and
    /// leave the default).
    func thresholds() -> Thresholds {
        var t = Thresholds()
        if let v = percent("adherent") { t.adherent = v }
        if let v = percent("partial") { t.partial = v }
        if let v = percent("low-adherence") { t.lowAdherence = v }
        if let v = percent("monthly-drop") { t.monthlyDrop = v }
        if let v = int("inactive-days", 1...60) { t.inactiveDays = v }
        if let v = number("building", 0...100) { t.building = v }
        if let v = number("declining", 0...100) { t.declining = v }
        if let v = number("pain-rise", 0...10) { t.painRise = v }
        if let v = number("pain-ceiling", 0...10) { t.painCeiling = v }
        if let v = int("look-back-days", 28...120) { t.lookBackDays = v }
        if let v = int("never-started-days", 1...60) { t.neverStartedDays = v }
        if let v = int("not-logging-days", 1...365) { t.notLoggingDays = v }
        if let v = percent("holds-short-share") { t.holdsShortShare = v }
        if let v = int("holds-short-reps", 1...1000) { t.holdsShortMinimumReps = v }
        if let v = int("rtm-period-days", 1...366) { t.rtmPeriodDays = v }
        if let v = rtmCodes(periodDays: t.rtmPeriodDays) { t.rtmCodes = v }
        if t.partial > t.adherent {
            // Said with the values in force (a bad or missing one is the default's).
            func said(_ key: String, _ f: Fraction) -> String {
                let given = string(key).flatMap { ConfigFile.decimal(String($0.dropLast())) != nil && $0.hasSuffix("%") ? $0 : nil }
                return given ?? "\(NumberText.plain(f * Fraction(100)))%, the default"
            }
            problem(string("partial") != nil ? "partial" : "adherent",
                    "partial (\(said("partial", t.partial))) must not be above adherent (\(said("adherent", t.adherent)))")
        }
        return t
    }
}

struct ConfigError: Error, CustomStringConvertible {
    let path: String
    let line: Int?
    let message: String
    var description: String { "\(path)\(line.map { ", line \($0)" } ?? ""): \(message)" }
}

/// Every problem of a config file, in line order, one line each ("/etc/adhere.conf, line 7: ...").
struct ConfigErrors: Error, CustomStringConvertible {
    let errors: [ConfigError]

    init(_ errors: [ConfigError]) {
        self.errors = errors.enumerated().sorted { a, b in
            (a.element.line ?? 0, a.offset) < (b.element.line ?? 0, b.offset)
        }.map(\.element)
    }

    var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension Console {
    /// Says an error on standard error, one `adhere: ` line per line of its text (a config
    /// file's problems are one line each).
    func errLines(_ error: Error) {
        for line in "\(error)".split(separator: "\n", omittingEmptySubsequences: false) { err(String(line)) }
    }
}

/// Settings merged from the config file and the command line (the command line wins).
struct RunSettings {
    var inputs: JobInputs
    var out: String
    var grouping: Grouping
    var json: String?
    var strict: Bool
    var quiet: Bool
    var timezone: TimeZone
    var firstDays: Int
    var logFile: String?
    var thresholds: Thresholds

/// The one place settings are resolved, for every command: the command line, else the config
/// file (`--config`), else the defaults.
static func resolve(common: CommonOptions, input: InputOptions, output: OutputOptions?, nightly: Bool,
                    firstDays: Int? = nil, settleSeconds: Int? = nil, logFile: String? = nil) throws -> RunSettings {
    let config = common.config
    // Reading the file checks all of it: every problem is thrown here, at once.
    let file = try config.map { try ConfigFile(path: $0) }
    let paths = input.inputs.isEmpty ? (file?.list("input") ?? []) : input.inputs
    guard !paths.isEmpty else {
        throw ConfigError(path: config ?? "command line", line: nil,
                          message: "no inputs: name export files or folders on the command line or as 'input = ...' in the config file")
    }
    let zoneName = input.timezone ?? file?.string("timezone")
    var zone = TimeZone.current
    if let t = input.timezone {
        guard let z = TimeZone(identifier: t) else {
            throw ConfigError(path: "command line", line: nil, message: "unknown time zone '\(t)'; use a name like Europe/Berlin")
        }
        zone = z
    } else if let z = file?.timeZone() {
        zone = z
    }
    let grouping = output?.grouping ?? file?.choice("by", as: Grouping.self)
    let dateOrder = input.dateOrder?.order ?? file?.choice("date-order", as: DateOrderOption.self)?.order
    let columns = try InputOptions.columnMap((file?.columns() ?? []) + input.columns)
    let separator = input.separator ?? file?.choice("separator", as: SeparatorOption.self)
    let encoding = input.encoding ?? file?.choice("encoding", as: EncodingOption.self)
    // A nightly run skips files still being written; a report asked for by hand reads them all.
    let settle = nightly ? settleSeconds ?? file?.int("settle-seconds", ConfigFile.settleSecondsRange) ?? 60 : nil
    let first = firstDays ?? file?.int("first-days", ConfigFile.firstDaysRange) ?? 3
    return RunSettings(
        inputs: JobInputs(paths: paths, plans: input.plans ?? file?.string("plans"), dateOrder: dateOrder,
                          columns: columns, settleSeconds: settle, separator: separator?.byte,
                          encoding: encoding?.encoding, timeZone: zoneName == nil ? nil : zone,
                          catalog: input.catalog ?? file?.string("catalog")),
        out: output?.out ?? file?.string("out") ?? "reports",
        grouping: grouping ?? .therapist,
        json: output?.json ?? file?.string("json"),
        strict: (output?.strict ?? false) || (file?.bool("strict") ?? false),
        quiet: (output?.quiet ?? false) || (file?.bool("quiet") ?? false),
        timezone: zone, firstDays: first,
        logFile: logFile ?? file?.string("log-file"),
        thresholds: file?.thresholds() ?? Thresholds())
}
}
