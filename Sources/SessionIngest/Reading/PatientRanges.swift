/// Where each patient's rows are in one file, as a read of it finds them, for
/// ``PatientIndex``: per patient id (the id field's bytes as a one-patient read compares
/// them, trimmed), the byte ranges of its runs of consecutive rows, and whether every one of
/// its rows is plain.
///
/// **Plain.** A row that is well formed (no stray quote, no quote left open) and on one line
/// (no line break inside a quoted field) is read from its bytes alone: a reader started at its
/// first byte reads it as the whole-file reader did, whatever bytes follow its line end. So a
/// patient whose rows are all plain can be read from their ranges alone (``FilePart/ranges``);
/// one with a row that is not is read in full, as before there was an index.
struct PatientRanges {
    /// The patients, in the order first seen.
    private(set) var ids: [[UInt8]] = []
    /// Each patient's runs of rows (byte offsets in the file), in the file's order.
    private(set) var ranges: [[Range<Int>]] = []
    /// Whether each patient's rows are all plain.
    private(set) var plain: [Bool] = []
    private var slots: [[UInt8]: Int] = [:]
    /// The slot of the last row's patient (most rows follow one of the same patient).
    private var last = -1

    /// A row of the patient `id` at bytes `range` of the file.
    mutating func note(_ id: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, plain isPlain: Bool) {
        let s: Int
        if last >= 0 && ids[last].elementsEqual(id) {
            s = last
        } else {
            s = slot(Array(id))
            last = s
        }
        if !isPlain { plain[s] = false }
        if let r = ranges[s].last, r.upperBound == range.lowerBound {
            ranges[s][ranges[s].count - 1] = r.lowerBound..<range.upperBound
        } else {
            ranges[s].append(range)
        }
    }

    /// The patient's slot, a new one (no rows yet, plain) when first seen.
    private mutating func slot(_ id: [UInt8]) -> Int {
        if let known = slots[id] { return known }
        slots[id] = ids.count
        ids.append(id)
        ranges.append([])
        plain.append(true)
        return ids.count - 1
    }

    /// The rows at bytes `from..<to`, right after the last row noted, are its patient's too
    /// (plain rows passed over as one).
    mutating func extendLast(from: Int, to: Int) {
        guard last >= 0, let r = ranges[last].last, r.upperBound == from, from <= to else {
            assertionFailure("rows passed over that do not follow the last one noted")
            return
        }
        ranges[last][ranges[last].count - 1] = r.lowerBound..<to
    }

    /// A later part's patients and ranges added to these (its runs follow these in the file).
    mutating func append(_ later: PatientRanges) {
        for (k, id) in later.ids.enumerated() {
            let s = slot(id)
            if !later.plain[k] { plain[s] = false }
            var runs = later.ranges[k][...]
            if let first = runs.first, let r = ranges[s].last, r.upperBound == first.lowerBound {
                ranges[s][ranges[s].count - 1] = r.lowerBound..<first.upperBound
                runs = runs.dropFirst()
            }
            ranges[s] += runs
        }
        last = -1
    }
}
