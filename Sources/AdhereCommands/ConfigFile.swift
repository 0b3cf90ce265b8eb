import Foundation
import AdherenceAnalysis
import ReportBuilder
import SessionIngest

/// The nightly run's settings file: one `key = value` per line, `#` starts a comment, keys
/// that can repeat (`input`, `column`) are given once per line. Every key is the long name of
/// a command-line option; the command line wins over the file. See Fixtures/adhere.conf.
struct ConfigFile {
    var values: [String: [String]] = [:]
    let path: String

    static let keys: Set<String> = [
        "input", "plans", "out", "by", "timezone", "date-order", "column", "log-file", "strict", "quiet",
        "first-days", "settle-seconds", "json", "separator", "encoding", "catalog",
        "adherent", "partial", "low-adherence", "monthly-drop", "inactive-days", "building", "declining",
        "pain-rise", "pain-ceiling", "look-back-days",
    ]

    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, line: nil, message: "cannot be read (does it exist?)")
        }
        let text = String(decoding: data, as: UTF8.self)
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ConfigError(path: path, line: n + 1, message: "expected 'key = value', found '\(trimmed)'")
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard ConfigFile.keys.contains(key) else {
                throw ConfigError(path: path, line: n + 1, message: "unknown setting '\(key)'; known: \(ConfigFile.keys.sorted().joined(separator: ", "))")
            }
            values[key, default: []].append(value)
        }
    }

    func string(_ key: String) -> String? { values[key]?.last }
    func list(_ key: String) -> [String] { values[key] ?? [] }

    /// One of a fixed set of values (the same words as the command-line option takes).
    func choice<T: CaseIterable & RawRepresentable>(_ key: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let v = string(key) else { return nil }
        guard let parsed = T(rawValue: v) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigError(path: path, line: nil, message: "\(key) must be one of \(allowed), found '\(v)'")
        }
        return parsed
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = string(key)?.lowercased() else { return nil }
        switch v {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: throw ConfigError(path: path, line: nil, message: "\(key) must be yes or no, found '\(v)'")
        }
    }

    func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let v = string(key) else { return nil }
        guard let n = Int(v), range.contains(n) else {
            throw ConfigError(path: path, line: nil, message: "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), found '\(v)'")
        }
        return n
    }

    /// A number such as `80`, `80%` or `2.5`, as an exact fraction (percent signs divide by 100
    /// when `percent` is set: thresholds of adherence are fractions).
    func fraction(_ key: String, percent: Bool) throws -> Fraction? {
        guard var v = string(key) else { return nil }
        if v.hasSuffix("%") { v.removeLast() }
        let parts = v.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0,
              parts.count == 1 || (parts[1].count <= 4 && Int(parts[1]) != nil) else {
            throw ConfigError(path: path, line: nil, message: "\(key) must be a number, found '\(v)'")
        }
        var scale: Int64 = 1
        var value = Int64(whole)
        if parts.count == 2 {
            for ch in parts[1] { value = value * 10 + Int64(ch.wholeNumberValue!); scale *= 10 }
        }
        return Fraction(value, scale * (percent ? 100 : 1))
    }

    /// Thresholds, starting from the defaults.
    func thresholds() throws -> Thresholds {
        var t = Thresholds()
        if let v = try fraction("adherent", percent: true) { t.adherent = v }
        if let v = try fraction("partial", percent: true) { t.partial = v }
        if let v = try fraction("low-adherence", percent: true) { t.lowAdherence = v }
        if let v = try fraction("monthly-drop", percent: true) { t.monthlyDrop = v }
        if let v = try int("inactive-days", 1...60) { t.inactiveDays = v }
        if let v = try fraction("building", percent: false) { t.building = v }
        if let v = try fraction("declining", percent: false) { t.declining = v }
        if let v = try fraction("pain-rise", percent: false) { t.painRise = v }
        if let v = try fraction("pain-ceiling", percent: false) { t.painCeiling = v }
        if let v = try int("look-back-days", 28...120) { t.lookBackDays = v }
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

static func resolve(config: String?, input: InputOptions, output: OutputOptions, nightly: Bool,
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
    let grouping = try output.grouping ?? file?.choice("by", as: Grouping.self)
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
        out: output.out ?? file?.string("out") ?? "reports",
        grouping: grouping ?? .therapist,
        json: output.json ?? file?.string("json"),
        strict: try output.strict || (file?.bool("strict") ?? false),
        quiet: try output.quiet || (file?.bool("quiet") ?? false),
        timezone: zone, firstDays: first,
        logFile: logFile ?? file?.string("log-file"),
        thresholds: try file?.thresholds() ?? Thresholds())
}
}
