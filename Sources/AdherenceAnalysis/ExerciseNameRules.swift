/// How a free-text exercise name is read the way a therapist reads it (domain.md, "Exercise
/// names"; docs/RULES.md, "Exercise names"): a pure function of the name, no similarity scores.
///
/// The name is cut into words (case, punctuation and word order do not matter; plurals are
/// read as singular). Each word is one of:
/// - a **body part** (calf, gastrocnemius, gastroc, soleus, hip flexor, iliopsoas, psoas; or
///   another one: hamstring, quad, glute...);
/// - an **action** (stretch; step up);
/// - a word that names **another exercise** (raise, down, march, flexion, eccentric, roll...);
/// - a **qualifier** of position, technique, equipment or side (standing, kneeling, wall,
///   stair edge, heels off, straight knee, forward, box, left...), which changes nothing;
/// - anything else, which the rules do not know.
///
/// A name is one of the programme's exercises only when every word is understood, it names
/// exactly one body part and one action that together make that exercise, and nothing in it
/// names another exercise. Everything else is unknown, to be said and settled in the catalog
/// file: a name read wrongly would be quietly wrong, an unknown one is reported.
public enum ExerciseNameRules {
    /// What a name says: the exercise's key (`nil` when the rules cannot tell) and the side
    /// written in it ("Calf stretch - left", "Step-ups (R)"), if any.
    public struct Reading: Equatable, Sendable {
        public var key: String?
        public var side: Side?
    }

    /// The programme key a therapist would read `name` as, or `nil` (unknown).
    public static func key(for name: String) -> String? { read(name).key }

    /// The key and the side written in `name`.
    public static func read(_ name: String) -> Reading {
        let words = self.words(name)
        let side = sideWritten(words)
        return Reading(key: key(words: words), side: side)
    }

    // MARK: - Words

    /// Lowercased words of letters and digits, plurals read as singular, "stepups" as "step up".
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        func flush() {
            guard !current.isEmpty else { return }
            switch current {
            case "stepup", "stepups": words += ["step", "up"]
            default: words.append(singular(current))
            }
            current = ""
        }
        for scalar in name.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// "stretches" -> "stretch", "calves" -> "calf", "ups" -> "up"; Latin names kept.
    static func singular(_ w: String) -> String {
        switch w {
        case "calves": return "calf"
        case "stretches": return "stretch"
        case "psoas", "soleus", "gastrocnemius", "iliopsoas", "thomas", "bus", "plus": return w
        default: break
        }
        if w.count > 2, w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us"), !w.hasSuffix("is") {
            return String(w.dropLast())
        }
        return w
    }

    // MARK: - Vocabulary

    /// Words that name a muscle of the calf: one body part, whichever of them a name uses.
    static let calfWords: Set<String> = ["calf", "gastrocnemius", "gastroc", "gastrocs", "soleus", "gastrocsoleus"]
    /// Single words for the hip flexors (their anatomical names).
    static let hipFlexorWords: Set<String> = ["iliopsoas", "psoas", "hipflexor"]
    /// Body parts other than the calf and the hip flexors: a stretch of one of them is
    /// another exercise, and a name with two body parts is two stretches.
    static let otherBodyParts: Set<String> = [
        "hamstring", "hammy", "quad", "quadricep", "quadriceps", "thigh", "glute", "gluteal", "gluteus",
        "piriformis", "itb", "iliotibial", "adductor", "abductor", "groin", "tfl", "back", "lumbar", "spine",
        "chest", "pec", "shoulder", "neck", "toe", "plantar", "fascia", "foot", "ankle", "achilles", "tibialis",
        "shin", "arm", "wrist", "trunk", "rectus", "femori", "femoris", "sartorius", "knee", "hip",
    ]
    /// Words that name a different exercise, whatever else the name says.
    static let otherExerciseWords: Set<String> = [
        "raise", "rise", "down", "downs", "march", "marching", "flexion", "extension", "abduction", "adduction",
        "eccentric", "eccentrically", "concentric", "isometric", "strengthening", "strengthen", "strength",
        "curl", "squat", "bridge", "press", "kick", "roll", "rolling", "roller", "massage", "release", "mobilisation",
        "mobilization", "dip", "hop", "jump", "plank", "walk", "walking", "run", "pump", "circle",
        "rotation", "twist", "sit", "over", "balance", "drill", "lift", "tap", "crossover",
    ]
    /// Position, technique, equipment, dose and side words: they change nothing.
    static let qualifiers: Set<String> = [
        // position
        "standing", "stand", "kneeling", "kneel", "half", "tall", "lunge", "lunging", "split", "stance", "seated",
        "sitting", "supine", "lying", "prone", "position", "couch", "runner", "s",
        // where and with what
        "wall", "at", "the", "a", "an", "against", "hand", "hands", "on", "onto", "to", "off", "in", "with", "using",
        "of", "for", "from", "stair", "step", "edge", "curb", "kerb", "bench", "platform", "chair", "box", "block",
        "towel", "strap", "belt", "rope", "elbow", "or", "thomas", "barbell", "door", "doorway", "rail", "bodyweight", "body", "weight", "weighted", "dumbbell",
        "dumbell", "kettlebell", "low", "high", "small", "inch", "cm",
        // technique
        "straight", "straightened", "bent", "leg", "forward", "front", "lateral", "static", "passive", "active",
        "gentle", "simple", "basic", "modified", "assisted", "supported", "deep", "single", "double", "alternating",
        "alternate", "unilateral", "exercise", "variation", "version", "progression", "easy", "hold", "held",
        "x", "rep", "set", "sec", "second", "heel",
        // side
        "left", "right", "l", "r", "lt", "rt", "both", "bilateral", "each", "side", "per",
    ]
    /// The words that make the stretch action.
    static let stretchWords: Set<String> = ["stretch", "stretching", "str"]

    // MARK: - Rules

    static func key(words: [String]) -> String? {
        guard !words.isEmpty else { return nil }
        var calf = false, hipFlexor = false, otherPart = false
        var stretch = false, stepUp = false, heelDrop = false
        var i = 0
        while i < words.count {
            let w = words[i]
            let next = i + 1 < words.count ? words[i + 1] : nil
            if w == "hip" && next == "flexor" {
                hipFlexor = true; i += 2; continue
            }
            if w == "step" && next == "up" {
                stepUp = true; i += 2; continue
            }
            if w == "heel" && next == "drop" {
                // "heel drop" is a calf stretch only when the name says stretch (checked below).
                heelDrop = true; i += 2; continue
            }
            // Straight or bent knee is a technique of the calf stretch, not the knee.
            if (w == "straight" || w == "straightened" || w == "bent") && next == "knee" { i += 2; continue }
            if w == "knee" && (next == "straight" || next == "straightened" || next == "bent") { i += 2; continue }
            if calfWords.contains(w) { calf = true }
            else if hipFlexorWords.contains(w) { hipFlexor = true }
            else if stretchWords.contains(w) { stretch = true }
            else if otherExerciseWords.contains(w) { return nil }
            else if otherBodyParts.contains(w) { otherPart = true }
            else if w == "up" || w == "drop" { return nil }
            else if qualifiers.contains(w) || w.first.map({ ("0"..."9").contains($0) }) == true { /* changes nothing */ }
            else { return nil }  // a word the rules do not know: unknown, never a guess
            i += 1
        }
        let parts = (calf ? 1 : 0) + (hipFlexor ? 1 : 0) + (otherPart ? 1 : 0)
        guard parts <= 1, !otherPart else { return nil }
        if stepUp {
            // Step-ups name no body part and are not a stretch.
            return parts == 0 && !stretch && !heelDrop ? "step_up" : nil
        }
        if heelDrop {
            // A heel drop as a stretch is the stair-edge calf stretch; without "stretch" it is
            // the eccentric strengthening exercise.
            return stretch && !hipFlexor ? "calf_stretch" : nil
        }
        // A body part alone ("Calves", "Hip flexors") is read as its stretch, the only exercise
        // of the programme for it.
        if calf { return "calf_stretch" }
        if hipFlexor { return "hip_flexor_stretch" }
        return nil
    }

    /// The side written in a name, from its side words ("left", "R", "both sides"); `nil`
    /// when it names none. Left and right together mean both.
    static func sideWritten(_ words: [String]) -> Side? {
        var left = false, right = false, both = false
        for w in words {
            switch w {
            case "left", "l", "lt": left = true
            case "right", "r", "rt": right = true
            case "both", "bilateral": both = true
            default: break
            }
        }
        if both || (left && right) { return .both }
        if left { return .left }
        if right { return .right }
        return nil
    }
}
