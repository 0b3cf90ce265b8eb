import Foundation
import AdherenceAnalysis
import ReportBuilder
import SessionIngest

/// The settings file of `report`, `trend` and `nightly`: one `key = value` per line; a line
/// starting with `#` is a comment; keys that can repeat (`input`, `column`) are given once per
/// line. Relative paths are relative to the file's folder. The command line wins over the
/// file. The README lists every key; Fixtures/adhere.conf is a commented example.
struct ConfigFile {
    var values: [String: [String]] = [:]
    var lines: [String: Int] = [:]
    let path: String

    static let keys: Set<String> = [
        "input", "plans", "out", "by", "timezone", "date-order", "column", "log-file", "strict", "quiet",
        "first-days", "settle-seconds", "json", "separator", "encoding", "catalog",
        "adherent", "partial", "low-adherence", "monthly-drop", "inactive-days", "building", "declining",
        "pain-rise", "pain-ceiling", "look-back-days", "never-started-days", "not-logging-days", "holds-short-share",
        "holds-short-reps", "rtm-period-days", "rtm-code",
    ]
    /// Keys holding paths: resolved against the file's folder.
    static let pathKeys: Set<String> = ["input", "plans", "out", "log-file", "json", "catalog"]

    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, line: nil, message: "cannot be read (does it exist?)")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let folder = (path as NSString).deletingLastPathComponent
        // Split on any line end: "\r\n" is one Character in Swift, so split by isNewline.
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ConfigError(path: path, line: n + 1, message: "expected 'key = value', found '\(trimmed)'")
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard ConfigFile.keys.contains(key) else {
                throw ConfigError(path: path, line: n + 1, message: "unknown setting '\(key)'; known: \(ConfigFile.keys.sorted().joined(separator: ", "))")
            }
            if ConfigFile.pathKeys.contains(key), !value.isEmpty, !value.hasPrefix("/"), value != "-", !folder.isEmpty {
                value = (folder as NSString).appendingPathComponent(value)
            }
            values[key, default: []].append(value)
            lines[key] = n + 1
        }
    }

    func string(_ key: String) -> String? { values[key]?.last }
    func list(_ key: String) -> [String] { values[key] ?? [] }

    func problem(_ key: String, _ message: String) -> ConfigError {
        ConfigError(path: path, line: lines[key], message: message)
    }

    /// One of a fixed set of values (the same words as the command-line option takes).
    func choice<T: CaseIterable & RawRepresentable>(_ key: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let v = string(key) else { return nil }
        guard let parsed = T(rawValue: v) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw problem(key, "\(key) must be one of \(allowed), found '\(v)'")
        }
        return parsed
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = string(key)?.lowercased() else { return nil }
        switch v {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: throw problem(key, "\(key) must be yes or no, found '\(v)'")
        }
    }

    func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let v = string(key) else { return nil }
        guard let n = Int(v), range.contains(n) else {
            throw problem(key, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), found '\(v)'")
        }
        return n
    }

    /// A plain number such as `2` or `2.5` (up to four decimals), exactly, within `range`.
    func number(_ key: String, _ range: ClosedRange<Int>) throws -> Fraction? {
        guard let v = string(key) else { return nil }
        guard let f = ConfigFile.decimal(v), f >= Fraction(range.lowerBound), f <= Fraction(range.upperBound) else {
            throw problem(key, "\(key) must be a number from \(range.lowerBound) to \(range.upperBound), found '\(v)'")
        }
        return f
    }

    /// A percentage written with its sign, `80%`, as a fraction (0.8).
    func percent(_ key: String) throws -> Fraction? {
        guard let v = string(key) else { return nil }
        guard v.hasSuffix("%"), let f = ConfigFile.decimal(String(v.dropLast())), f <= Fraction(100) else {
            throw problem(key, "\(key) must be a percentage from 0% to 100%, written with its % sign (e.g. 80%), found '\(v)'")
        }
        return f / Fraction(100)
    }

    /// The RTM codes, one `rtm-code = CODE DAYS` line each (the code, then the fewest data days
    /// in a period that meet it); given at all, they replace the defaults (98977 16, 98985 2).
    func rtmCodes(periodDays: Int) throws -> [RTMCode]? {
        let given = list("rtm-code")
        guard !given.isEmpty else { return nil }
        var codes: [RTMCode] = []
        for v in given {
            let parts = v.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2, parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }),
                  let days = Int(parts[1]), (1...periodDays).contains(days) else {
                throw problem("rtm-code", "rtm-code must be a code (letters, digits, '-' or '.') and the fewest data days that meet it, from 1 to rtm-period-days (\(periodDays)), e.g. 'rtm-code = 98977 16'; found '\(v)'")
            }
            guard !codes.contains(where: { $0.minimumDays == days || $0.code == String(parts[0]) }) else {
                throw problem("rtm-code", "rtm-code '\(v)' repeats a code or a number of days given on another rtm-code line")
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

    /// Thresholds, starting from the defaults, checked for sense.
    func thresholds() throws -> Thresholds {
        var t = Thresholds()
        if let v = try percent("adherent") { t.adherent = v }
        if let v = try percent("partial") { t.partial = v }
        if let v = try percent("low-adherence") { t.lowAdherence = v }
        if let v = try percent("monthly-drop") { t.monthlyDrop = v }
        if let v = try int("inactive-days", 1...60) { t.inactiveDays = v }
        if let v = try number("building", 0...100) { t.building = v }
        if let v = try number("declining", 0...100) { t.declining = v }
        if let v = try number("pain-rise", 0...10) { t.painRise = v }
        if let v = try number("pain-ceiling", 0...10) { t.painCeiling = v }
        if let v = try int("look-back-days", 28...120) { t.lookBackDays = v }
        if let v = try int("never-started-days", 1...60) { t.neverStartedDays = v }
        if let v = try int("not-logging-days", 1...365) { t.notLoggingDays = v }
        if let v = try percent("holds-short-share") { t.holdsShortShare = v }
        if let v = try int("holds-short-reps", 1...1000) { t.holdsShortMinimumReps = v }
        if let v = try int("rtm-period-days", 1...366) { t.rtmPeriodDays = v }
        if let v = try rtmCodes(periodDays: t.rtmPeriodDays) { t.rtmCodes = v }
        if t.partial > t.adherent {
            throw problem("partial", "partial (\(string("partial") ?? "")) must not be above adherent (\(string("adherent") ?? "80%"))")
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

static func resolve(config: String?, input: InputOptions, output: OutputOptions?, nightly: Bool,
                    firstDays: Int? = nil, settleSeconds: Int? = nil, logFile: String? = nil) throws -> RunSettings {
    let file = try config.map { try ConfigFile(path: $0) }
    let paths = input.inputs.isEmpty ? (file?.list("input") ?? []) : input.inputs
    guard !paths.isEmpty else {
        throw ConfigError(path: config ?? "command line", line: nil,
                          message: "no inputs: name export files or folders on the command line or as 'input = ...' in the config file")
    }
    let zoneName = input.timezone ?? file?.string("timezone")
    var zone = TimeZone.current
    if let name = zoneName {
        guard let z = TimeZone(identifier: name) else {
            throw ConfigError(path: config ?? "command line", line: nil, message: "unknown time zone '\(name)'; use a name like Europe/Berlin")
        }
        zone = z
    }
    let grouping = try output?.grouping ?? file?.choice("by", as: Grouping.self)
    let dateOrder = try input.dateOrder?.order ?? file?.choice("date-order", as: DateOrderOption.self)?.order
    let columns = try InputOptions.columnMap((file?.list("column") ?? []) + input.columns)
    let separator = try input.separator ?? file?.choice("separator", as: SeparatorOption.self)
    let encoding = try input.encoding ?? file?.choice("encoding", as: EncodingOption.self)
    // A nightly run skips files still being written; a report asked for by hand reads them all.
    let settle = nightly ? try settleSeconds ?? file?.int("settle-seconds", 0...86_400) ?? 60 : nil
    let first = try firstDays ?? file?.int("first-days", 0...28) ?? 3
    return RunSettings(
        inputs: JobInputs(paths: paths, plans: input.plans ?? file?.string("plans"), dateOrder: dateOrder,
                          columns: columns, settleSeconds: settle, separator: separator?.byte,
                          encoding: encoding?.encoding, timeZone: zoneName == nil ? nil : zone,
                          catalog: input.catalog ?? file?.string("catalog")),
        out: output?.out ?? file?.string("out") ?? "reports",
        grouping: grouping ?? .therapist,
        json: output?.json ?? file?.string("json"),
        strict: try (output?.strict ?? false) || (file?.bool("strict") ?? false),
        quiet: try (output?.quiet ?? false) || (file?.bool("quiet") ?? false),
        timezone: zone, firstDays: first,
        logFile: logFile ?? file?.string("log-file"),
        thresholds: try file?.thresholds() ?? Thresholds())
}
}
