/// Which side an entry was done on. A `both` entry counts for each side.
public enum Side: UInt8, Sendable, Hashable {
    case left, right, both
}

/// One validated exercise entry: a row of the export after parsing.
///
/// Stored compactly (20 bytes): a large clinic's months of entries are held in memory at once.
public struct Entry: Hashable, Sendable {
    public var day: Day
    private var storedReps: Int32
    private var storedHold: Int32
    private var storedExercise: Int16
    private var storedPain: Int16
    public var side: Side
    /// The row said "done" instead of a number of reps: `reps` holds the sets, and the reps
    /// are the prescription's (see ``resolvingDone(_:catalog:)``).
    public private(set) var isDone: Bool = false

    /// Catalog index, or `nil` for an exercise the catalog does not know ("other").
    public var exercise: ExerciseID? {
        get { storedExercise < 0 ? nil : Int(storedExercise) }
        set { storedExercise = newValue.map { Int16(clamping: $0) } ?? -1 }
    }
    /// Total repetitions of the row: sets x reps (at most 1,000,000, checked when read).
    public var reps: Int {
        get { Int(storedReps) }
        set { storedReps = Int32(clamping: newValue) }
    }
    /// Recorded hold per repetition in hundredths of a second, if any.
    public var holdCentis: Int? {
        get { storedHold < 0 ? nil : Int(storedHold) }
        set { storedHold = newValue.map { Int32(clamping: $0) } ?? -1 }
    }
    /// Pain rating 0-10 in hundredths (350 = 3.5), if any.
    public var painCentis: Int? {
        get { storedPain < 0 ? nil : Int(storedPain) }
        set { storedPain = newValue.map { Int16(clamping: $0) } ?? -1 }
    }

    /// An entry logged as done (`sets` times) instead of with reps.
    public static func done(day: Day, exercise: ExerciseID?, side: Side, sets: Int, holdCentis: Int? = nil,
                            painCentis: Int? = nil) -> Entry {
        var e = Entry(day: day, exercise: exercise, side: side, reps: sets, holdCentis: holdCentis, painCentis: painCentis)
        e.isDone = true
        return e
    }

    /// The entry with a "done" turned into reps: the prescribed reps per side on its day
    /// (the plan's, else the catalog's default), or one rep for an exercise without a target,
    /// times its sets. Other entries are returned as they are.
    public func resolvingDone(_ prescription: Prescription, catalog: ExerciseCatalog) -> Entry {
        guard isDone else { return self }
        var e = self
        e.isDone = false
        var perSet = 1
        if let x = exercise {
            switch prescription {
            case .plan(let periods):
                let covering = periods.filter { $0.exercise == x && $0.covers(day) }.max { $0.start < $1.start }
                if let p = covering { perSet = p.repsPerSide ?? 1 } else { perSet = catalog.exercises[x].defaultRepsPerSide ?? 1 }
            case .defaultProtocol:
                perSet = catalog.exercises[x].defaultRepsPerSide ?? 1
            }
        }
        e.reps = reps * perSet
        return e
    }

    public init(day: Day, exercise: ExerciseID?, side: Side, reps: Int, holdCentis: Int? = nil, painCentis: Int? = nil) {

        self.day = day
        self.side = side
        storedReps = Int32(clamping: reps)
        storedHold = holdCentis.map { Int32(clamping: $0) } ?? -1
        storedExercise = exercise.map { Int16(clamping: $0) } ?? -1
        storedPain = painCentis.map { Int16(clamping: $0) } ?? -1
    }
}

/// One row of a plan: an exercise prescribed to a patient between two dates.
public struct PlanPeriod: Hashable, Sendable {
    public var exercise: ExerciseID
    /// Reps per side per session; `nil` = no fixed target (a day with any rep is a full dose).
    public var repsPerSide: Int?
    /// Minimum hold in hundredths of a second; `nil` = none.
    public var holdCentis: Int?
    public var sessionsPerWeek: Int
    public var start: Day
    /// Last day of the plan; `nil` = open.
    public var end: Day?

    public init(exercise: ExerciseID, repsPerSide: Int?, holdCentis: Int?, sessionsPerWeek: Int, start: Day, end: Day?) {
        self.exercise = exercise
        self.repsPerSide = repsPerSide
        self.holdCentis = holdCentis
        self.sessionsPerWeek = sessionsPerWeek
        self.start = start
        self.end = end
    }

    public func covers(_ day: Day) -> Bool { start <= day && (end.map { day <= $0 } ?? true) }
}

/// What a patient is asked to do: their plan rows, or the default protocol.
public enum Prescription: Hashable, Sendable {
    case plan([PlanPeriod])
    /// The default protocol at 7 sessions a week, from the first logged day until 28 days
    /// pass with no entry.
    case defaultProtocol
}

/// A note the patient wrote with an entry ("knee sore after step-ups"): clinical information,
/// shown to the therapist as text.
public struct Note: Hashable, Sendable {
    public var day: Day
    public var text: String

    public init(day: Day, text: String) {
        self.day = day
        self.text = text
    }
}

/// Everything known about one patient that the rules need: pure values, no I/O.
public struct PatientRecord: Sendable {
    public var id: String
    public var name: String?
    public var therapist: String?
    public var clinic: String?
    /// Entries sorted by day (rows outside the span being analysed may be left out).
    public private(set) var entries: [Entry]
    /// The latest entry day up to the as-of date, over the whole history read.
    public var lastEntry: Day?
    public var prescription: Prescription
    /// The latest note written up to the as-of date, over the whole history read.
    public var latestNote: Note?

    public init(id: String, name: String? = nil, therapist: String? = nil, clinic: String? = nil,
                entries: [Entry], lastEntry: Day? = nil, prescription: Prescription, latestNote: Note? = nil) {
        self.id = id
        self.name = name
        self.therapist = therapist
        self.clinic = clinic
        // Most logs come in day order: then the entries are shared, not copied.
        self.entries = zip(entries, entries.dropFirst()).allSatisfy({ $0.day <= $1.day }) ? entries : entries.sorted { $0.day < $1.day }
        self.lastEntry = lastEntry ?? self.entries.last?.day
        self.prescription = prescription
        self.latestNote = latestNote
    }
}
