import SessionIngest

/// The one line every run prints on standard error while exercise names nobody settled carry
/// entries (domain.md, "Understood, or said"): cron mails it, and it says what to do.
enum UnknownNamesWarning {
    static func line(_ unknown: [UnknownName], inputs: [String]) -> String? {
        guard !unknown.isEmpty else { return nil }
        let rows = unknown.reduce(0) { $0 + $1.rows }
        let patients = unknown.reduce(into: Set<String>()) { $0.formUnion($1.patients) }.count
        let quotedInputs = inputs.map(shellQuoted).joined(separator: " ")
        // The names are not repeated here: this line goes to cron mail and the log, and an
        // export with its columns shifted puts patients' names in the exercise column. adhere
        // check and Data issues list them.
        return "warning: \(rows) row\(rows == 1 ? "" : "s") of \(patients) patient\(patients == 1 ? "" : "s") use \(unknown.count) exercise name\(unknown.count == 1 ? "" : "s") adhere does not know (adhere check and the workbooks' Data issues list them); they count as other reps, not towards adherence. Settle them: adhere check --write-catalog catalog.csv \(quotedInputs), fill in its blank keys, then pass --catalog catalog.csv (or catalog = in the config file)"
    }

    /// A path as a shell would need it typed.
    static func shellQuoted(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "/._-+:,=@".unicodeScalars.contains($0) }
        return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
