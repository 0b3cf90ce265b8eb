/// One exercise of the catalog: its key, the name shown in reports, the names it is
/// logged under, and its default prescription.
public struct Exercise: Hashable, Sendable {
    public let key: String
    public let displayName: String
    public let aliases: [String]
    /// Target reps per side per session; `nil` means no fixed target ("as many as comfortable").
    public let defaultRepsPerSide: Int?
    /// Minimum hold per repetition in hundredths of a second; `nil` means no minimum.
    public let defaultHoldCentis: Int?
    /// Whether it belongs to the default protocol given to patients without a plan.
    public let inDefaultProtocol: Bool

    public init(key: String, displayName: String, aliases: [String], defaultRepsPerSide: Int?,
                defaultHoldCentis: Int?, inDefaultProtocol: Bool) {
        self.key = key
        self.displayName = displayName
        self.aliases = aliases
        self.defaultRepsPerSide = defaultRepsPerSide
        self.defaultHoldCentis = defaultHoldCentis
        self.inDefaultProtocol = inDefaultProtocol
    }
}

/// Index of an exercise in an ``ExerciseCatalog``.
public typealias ExerciseID = Int

/// What a logged exercise name is, once read.
public enum NameResolution: Hashable, Sendable {
    /// One of the catalog's exercises.
    case exercise(ExerciseID)
    /// Settled in the catalog file as not part of the programme: still an entry, its reps
    /// shown as other, never warned about.
    case notInProgramme
    /// Neither the catalog nor the rules settle it: an entry whose reps show as other, and a
    /// name the run says out loud until the catalog settles it.
    case unknown

    /// The exercise, if the name is one.
    public var exercise: ExerciseID? {
        if case .exercise(let id) = self { return id }
        return nil
    }
}

/// The exercises adhere knows, with the names they are logged under.
///
/// A name is read in this order: a name or alias of the catalog (ignoring case, spaces,
/// underscores and punctuation, so "Step-ups", "step ups" and "STEP_UP" are the same), a name
/// the catalog file settled as not part of the programme, then ``ExerciseNameRules`` (word
/// order, qualifiers, anatomical names). What none of them settles is unknown.
public struct ExerciseCatalog: Sendable {
    public let exercises: [Exercise]
    /// The exercise whose volume is tracked (step-ups).
    public let volumeExercise: ExerciseID?
    /// Names (normalised) the catalog file settled as not part of the programme.
    public let notInProgramme: Set<String>
    /// The names settled as not part of the programme, as written.
    public let notInProgrammeNames: [String]
    private let byName: [String: ExerciseID]

    public init(exercises: [Exercise], volumeKey: String = "step_up", notInProgramme: [String] = []) {
        self.exercises = exercises
        var map: [String: ExerciseID] = [:]
        for (i, e) in exercises.enumerated() {
            for name in [e.key, e.displayName] + e.aliases {
                let k = ExerciseCatalog.normalize(name)
                if map[k] == nil { map[k] = i }
            }
        }
        byName = map
        self.notInProgramme = Set(notInProgramme.map(ExerciseCatalog.normalize))
        notInProgrammeNames = notInProgramme
        volumeExercise = exercises.firstIndex { $0.key == volumeKey }
    }

    /// The runner's-knee protocol of domain.md. Its aliases are spellings the rules
    /// (``ExerciseNameRules``) would not read, such as abbreviations.
    public static let standard = ExerciseCatalog(exercises: [
        Exercise(key: "hip_flexor_stretch", displayName: "Hip flexor stretch",
                 aliases: ["hip flexor", "hip flexors", "hip flexor stretches", "kneeling hip flexor stretch",
                           "standing hip flexor stretch", "hip flexor str"],
                 defaultRepsPerSide: 10, defaultHoldCentis: 1000, inDefaultProtocol: true),
        Exercise(key: "calf_stretch", displayName: "Calf stretch",
                 aliases: ["calf", "calf stretches", "wall calf stretch", "heel drop stretch",
                           "gastroc stretch", "calf str"],
                 defaultRepsPerSide: 10, defaultHoldCentis: nil, inDefaultProtocol: true),
        Exercise(key: "step_up", displayName: "Step-ups",
                 aliases: ["step up", "step ups", "stepups", "step-up", "forward step up", "forward step ups",
                           "box step up", "box step ups"],
                 defaultRepsPerSide: nil, defaultHoldCentis: nil, inDefaultProtocol: true),
    ])

    /// The exercise logged under `name`, or `nil` when it is not one of the catalog's.
    public func lookup(_ name: String) -> ExerciseID? { resolve(name).exercise }

    /// What `name` is: an exercise of the catalog, settled as not part of the programme, or
    /// unknown. Pure and not cheap: readers call it once per distinct spelling.
    public func resolve(_ name: String) -> NameResolution {
        let normalized = ExerciseCatalog.normalize(name)
        if let id = byName[normalized] { return .exercise(id) }
        if notInProgramme.contains(normalized) { return .notInProgramme }
        if let key = ExerciseNameRules.key(for: name), let id = id(forKey: key) { return .exercise(id) }
        return .unknown
    }

    /// The side written in a name ("Calf stretch - left"), if any.
    public func sideWritten(in name: String) -> Side? { ExerciseNameRules.read(name).side }

    public func id(forKey key: String) -> ExerciseID? { exercises.firstIndex { $0.key == key } }

    public var defaultProtocol: [ExerciseID] { exercises.indices.filter { exercises[$0].inDefaultProtocol } }

    /// Lowercased letters and digits only: "Step-Ups " -> "stepups".
    public static func normalize(_ name: String) -> String {
        // ASCII (almost every name and header), byte by byte: the same letters and digits.
        var ascii: [UInt8] = []
        ascii.reserveCapacity(name.utf8.count)
        for b in name.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): ascii.append(b)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): ascii.append(b | 0x20)
            case 0x80...: return String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter {
                $0.properties.isAlphabetic || ("0"..."9").contains($0)
            }))
            default: continue
            }
        }
        return String(decoding: ascii, as: UTF8.self)
    }
}
