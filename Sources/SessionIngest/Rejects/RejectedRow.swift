import AdherenceAnalysis
import Foundation

/// A row that failed validation: never counted, never lost.
public struct RejectedRow: Sendable, Hashable {
    public let file: String
    /// Physical line (1-based) where the row starts.
    public let line: Int
    /// Which rule the row broke.
    public let why: RejectReason
    /// The reason in words, with the offending value.
    public var reason: String { why.text }
    /// The row exactly as written in the file.
    public let raw: String
    /// The reason without the offending value, for grouping ("reps must be a whole number 0 or more").
    public var category: String { why.category }
    /// The row's therapist and clinic, where they could be read (to file it with the right report).
    public let therapist: String?
    public let clinic: String?

    /// The row's fields by canonical column, as far as they could be told apart (for the
    /// rejects file, which can be fixed and read back in).
    public let fields: [Column: String]

    public init(file: String, line: Int, why: RejectReason, raw: String, therapist: String? = nil, clinic: String? = nil,
                fields: [Column: String] = [:]) {
        self.file = file
        self.line = line
        self.why = why
        self.raw = raw
        self.therapist = therapist
        self.clinic = clinic
        self.fields = fields
    }
}
