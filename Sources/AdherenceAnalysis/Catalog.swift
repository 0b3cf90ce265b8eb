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

/// The exercises adhere knows, with the names they are logged under.
///
/// Names are matched ignoring case, spaces, underscores and punctuation, so
/// "Step-ups", "step ups" and "STEP_UP" are the same exercise.
public struct ExerciseCatalog: Sendable {
    public let exercises: [Exercise]
    /// The exercise whose volume is tracked (step-ups).
    public let volumeExercise: ExerciseID?
    private let byName: [String: ExerciseID]

    public init(exercises: [Exercise], volumeKey: String = "step_up") {
        self.exercises = exercises
        var map: [String: ExerciseID] = [:]
        for (i, e) in exercises.enumerated() {
            for name in [e.key, e.displayName] + e.aliases {
                let k = ExerciseCatalog.normalize(name)
                if map[k] == nil { map[k] = i }
            }
        }
        byName = map
        volumeExercise = exercises.firstIndex { $0.key == volumeKey }
    }

    /// The runner's-knee protocol of domain.md.
    public static let standard = ExerciseCatalog(exercises: [
        Exercise(key: "hip_flexor_stretch", displayName: "Hip flexor stretch",
                 aliases: ["hip flexor", "hip flexors", "hip flexor stretches", "kneeling hip flexor stretch",
                           "standing hip flexor stretch", "hip flexor str"],
                 defaultRepsPerSide: 10, defaultHoldCentis: 1000, inDefaultProtocol: true),
        Exercise(key: "calf_stretch", displayName: "Calf stretch",
                 aliases: ["calf", "calf stretches", "wall calf stretch", "calf raise stretch", "heel drop stretch",
                           "gastroc stretch", "calf str"],
                 defaultRepsPerSide: 10, defaultHoldCentis: nil, inDefaultProtocol: true),
        Exercise(key: "step_up", displayName: "Step-ups",
                 aliases: ["step up", "step ups", "stepups", "step-up", "forward step up", "forward step ups",
                           "box step up", "box step ups"],
                 defaultRepsPerSide: nil, defaultHoldCentis: nil, inDefaultProtocol: true),
    ])

    /// The exercise logged under `name`, or `nil` when the catalog does not know it.
    public func lookup(_ name: String) -> ExerciseID? { byName[ExerciseCatalog.normalize(name)] }

    public func id(forKey key: String) -> ExerciseID? { exercises.firstIndex { $0.key == key } }

    public var defaultProtocol: [ExerciseID] { exercises.indices.filter { exercises[$0].inDefaultProtocol } }

    /// Lowercased letters and digits only: "Step-Ups " -> "stepups".
    public static func normalize(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter {
            $0.properties.isAlphabetic || ("0"..."9").contains($0)
        }))
    }
}
