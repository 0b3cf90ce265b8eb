import Foundation
import SessionIngest

/// Therapist or clinic names (the groups that name the workbooks) as people read them: names
/// that differ only in case, spacing or punctuation ("Dana Whitfield", "DANA WHITFIELD",
/// "dana  whitfield.") are one name. The name shown, and the workbook's file name, is the
/// spelling used most (each patient of the report and each rejected row is one use); a tie
/// goes to a spelling in mixed case (as names are written) over one all in capitals or all
/// in small letters, then to the first in code-point order. So one odd row never renames a
/// workbook, and the same inputs always give the same names.
package struct GroupNames: Sendable {
    /// One name written more than one way.
    package struct Merge: Sendable, Equatable {
        package struct Spelling: Sendable, Equatable {
            package var text: String
            /// Patients of the report and rejected rows written this way.
            package var uses: Int
        }
        /// The spelling shown.
        package var shown: String
        /// Every spelling, the shown one first, then by uses.
        package var spellings: [Spelling]
    }

    /// What the names are ("therapist", "clinic").
    package let column: String
    /// Names written more than one way, by the spelling shown.
    package let merges: [Merge]
    private let shownByKey: [String: String]

    /// The name as compared: letters and digits only, in small letters. A name with neither
    /// (only punctuation) is compared as written.
    package static func key(_ name: String) -> String {
        var key = ""
        for ch in name where ch.isLetter || ch.isNumber { key += ch.lowercased() }
        return key.isEmpty ? name : key
    }

    /// - Parameter uses: one spelling per use (a patient's name, a rejected row's).
    package init(column: String, uses: [String]) {
        self.column = column
        var byKey: [String: [String: Int]] = [:]
        for u in uses { byKey[GroupNames.key(u), default: [:]][u, default: 0] += 1 }
        var shown: [String: String] = [:]
        var merges: [Merge] = []
        for (key, counts) in byKey {
            let ordered = counts.map { Merge.Spelling(text: $0.key, uses: $0.value) }.sorted(by: GroupNames.precedes)
            shown[key] = ordered[0].text
            if ordered.count > 1 { merges.append(Merge(shown: ordered[0].text, spellings: ordered)) }
        }
        self.shownByKey = shown
        self.merges = merges.sorted { $0.shown.utf8.lexicographicallyPrecedes($1.shown.utf8) }
    }

    /// The spelling shown for `name` (itself when it was not among the uses).
    package func shown(_ name: String?) -> String? {
        guard let name else { return nil }
        return shownByKey[GroupNames.key(name)] ?? name
    }

    /// More uses first; then mixed case; then code-point order.
    static func precedes(_ a: Merge.Spelling, _ b: Merge.Spelling) -> Bool {
        if a.uses != b.uses { return a.uses > b.uses }
        let ma = mixedCase(a.text), mb = mixedCase(b.text)
        if ma != mb { return ma }
        return a.text.unicodeScalars.lexicographicallyPrecedes(b.text.unicodeScalars)
    }

    /// Whether a name has both capital and small letters.
    static func mixedCase(_ s: String) -> Bool {
        s.contains { $0.isUppercase } && s.contains { $0.isLowercase }
    }
}

extension MonthlyReport {
    /// The line a run says when names were written more than one way (nil when none was):
    /// which, and that they are read as one. Therapist and clinic names only, never a patient's.
    package var mergedNamesLine: String? {
        let all = merges
        guard !all.isEmpty else { return nil }
        let shown = all.prefix(3).map { m in
            "\(m.names.column) \(MessageText.quoted(m.merge.shown)) (also written "
                + m.merge.spellings.dropFirst().prefix(3).map { MessageText.quoted($0.text) }.joined(separator: ", ")
                + (m.merge.spellings.count > 4 ? ", ..." : "") + ")"
        }.joined(separator: "; ") + (all.count > 3 ? "; and \(all.count - 3) more" : "")
        return "note: names that differ only in case, spacing or punctuation are read as one, shown as the spelling used most (see Data issues): \(shown)"
    }
}
