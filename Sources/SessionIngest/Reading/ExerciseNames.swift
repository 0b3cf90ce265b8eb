import AdherenceAnalysis

/// An exercise name read: its catalog key (nil when unknown), the name interned, and what
/// it adds to a row's fingerprint (the key, or the name's bytes when unknown).
struct ExerciseLookup {
    var id: ExerciseID?
    var name: Int32
    var print: RowFingerprint
    /// Neither the catalog nor the rules settle the name (said out loud).
    var unknown: Bool
    /// The side written in the name ("Calf stretch - left"), if any.
    var side: Side?
}

/// The exercise names of one file, each spelling read once by the catalog and its rules.
///
/// The last few spellings are found by a byte compare, the others in a table of every
/// spelling seen; only a spelling never seen in the file is decoded and read.
struct ExerciseNames {
    private var recent: [(bytes: [UInt8], exercise: ExerciseLookup)] = []
    /// Every spelling read in this file.
    private(set) var seen: [[UInt8]: ExerciseLookup] = [:]

    mutating func lookup(_ t: UnsafeBufferPointer<UInt8>, catalog: ExerciseCatalog, strings: StringTable,
                         encoding: TextEncoding?) -> ExerciseLookup {
        for entry in recent where entry.bytes.count == t.count {
            if entry.bytes.withUnsafeBufferPointer({ ByteCompare.equal($0.baseAddress!, t.baseAddress!, t.count) }) {
                return entry.exercise
            }
        }
        let bytes = Array(t)
        if let known = seen[bytes] { return known }
        let text = TextDecoding.decode(t, encoding).0
        let resolution = catalog.resolve(text)
        let id = resolution.exercise
        var print = RowFingerprint()
        // The side is part of the row's fingerprint already; the name's other words are not
        // once it is read as an exercise.
        if let id { print.add(UInt64(id)) } else { print = RowFingerprint(t) }
        let result = ExerciseLookup(id: id, name: strings.intern(text), print: print, unknown: resolution == .unknown,
                                    side: catalog.sideWritten(in: text))
        if recent.count < 64 { recent.append((bytes, result)) }
        seen[bytes] = result
        return result
    }
}
