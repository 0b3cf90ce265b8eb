import ParallelWork
/// Finds the rows that repeat an earlier row (overlapping exports), given every block's row
/// fingerprints in reading order: the first occurrence is kept, every later one is a duplicate.
///
/// A year of exports has millions of fingerprints; one hash table over all of them misses the
/// cache on nearly every lookup. So they are checked partition by partition (by their top
/// bits), each with a table small enough to stay in the cache, on all cores. The lists come
/// already ordered by partition in segments (``FingerprintList``): a partition's fingerprints
/// are each segment's share of it, taken in turn, so the search copies no more than one
/// partition at a time. The answer is the same as inserting them one by one.
enum DuplicateFinder {
    /// Segments of fewer rows than this are put together, in order, before the search, so that
    /// tens of thousands of small files do not cost a look at each for every partition.
    static let smallSegment = 16_384

    /// A segment as the search reads it: prints ordered by partition, each with its row's
    /// position among all the lists' rows (`base + rows[i]`).
    private struct Run {
        var prints: [RowFingerprint]
        var rows: [UInt16]
        var base: Int
        /// Where each partition (at the finest level) starts in `prints`.
        var starts: [Int32]
    }

    /// For each list, whether each of its fingerprints repeats an earlier one (in this list or
    /// in an earlier list).
    static func duplicates(_ lists: [FingerprintList]) -> [[Bool]] {
        let total = lists.reduce(0) { $0 + $1.count }
        guard total > 0 else { return lists.map { _ in [] } }
        // About 4,096 fingerprints per partition, at most 2^orderBits partitions.
        var wanted = 0
        while wanted < FingerprintList.orderBits && total >> wanted > 4096 { wanted += 1 }
        let bits = wanted
        let runs = UncheckedSendable(self.runs(lists))
        let partitions = 1 << bits

        let repeated = UnsafeMutableBufferPointer<Bool>.allocate(capacity: total)
        defer { repeated.deallocate() }
        repeated.initialize(repeating: false)
        // Groups of partitions on all cores; partitions write to disjoint places of `repeated`.
        let step = max(1, partitions / 32)
        let shared = UncheckedSendable(repeated)
        _ = ParallelMap.map(Array(stride(from: 0, to: partitions, by: step))) { first -> Int in
            let repeated = shared.value
            let runs = runs.value
            // A partition is a range of the finest ones the runs are ordered by.
            let fine = FingerprintList.orderBits - bits
            var table = ProbeTable()
            for p in first..<min(first + step, partitions) {
                let (f0, f1) = (p << fine, (p + 1) << fine)
                var count = 0
                for run in runs { count += Int(run.starts[f1] - run.starts[f0]) }
                table.reset(for: count)
                // Run after run, each in its order: the partition's rows in reading order.
                for run in runs {
                    let base = run.base
                    run.prints.withUnsafeBufferPointer { prints in
                        run.rows.withUnsafeBufferPointer { rows in
                            for i in Int(run.starts[f0])..<Int(run.starts[f1]) where !table.insert(prints[i]) {
                                repeated[base &+ Int(rows[i])] = true
                            }
                        }
                    }
                }
            }
            return 0
        }

        var result: [[Bool]] = []
        result.reserveCapacity(lists.count)
        var offset = 0
        for list in lists {
            result.append(Array(repeated[offset..<offset + list.count]))
            offset += list.count
        }
        return result
    }

    /// Every list's segments as runs, in order, with runs of small segments put together (up
    /// to a segment's rows): their rows are consecutive positions, so a run of them is ordered
    /// by partition again, stably, by one counting pass.
    private static func runs(_ lists: [FingerprintList]) -> [Run] {
        var runs: [Run] = []
        var small: [(segment: FingerprintList.Segment, base: Int)] = []
        var smallRows = 0
        func flush() {
            guard !small.isEmpty else { return }
            if small.count == 1 {
                let s = small[0].segment
                runs.append(Run(prints: s.prints, rows: s.rows, base: small[0].base, starts: s.starts))
            } else {
                runs.append(merged(small, rows: smallRows))
            }
            small.removeAll()
            smallRows = 0
        }
        var base = 0
        for list in lists {
            for s in list.segments {
                let at = base + s.first
                if s.prints.count >= smallSegment {
                    flush()
                    runs.append(Run(prints: s.prints, rows: s.rows, base: at, starts: s.starts))
                } else {
                    if smallRows + s.prints.count > FingerprintList.segmentRows { flush() }
                    small.append((s, at))
                    smallRows += s.prints.count
                }
            }
            base += list.count
        }
        flush()
        return runs
    }

    /// Consecutive segments (by position) as one run, ordered by partition, stable.
    private static func merged(_ segments: [(segment: FingerprintList.Segment, base: Int)], rows n: Int) -> Run {
        let buckets = 1 << FingerprintList.orderBits
        var starts = [Int32](repeating: 0, count: buckets + 1)
        for (s, _) in segments { for k in 0..<buckets { starts[k + 1] += s.starts[k + 1] - s.starts[k] } }
        for k in 0..<buckets { starts[k + 1] += starts[k] }
        let bounds = starts
        let base = segments[0].base
        var prints = [RowFingerprint](repeating: RowFingerprint(), count: n)
        var rows = [UInt16](repeating: 0, count: n)
        // Segment after segment, each in its order: inside a partition, that is position order.
        for (s, at) in segments {
            for (fp, r) in zip(s.prints, s.rows) {
                let k = FingerprintList.partition(fp)
                prints[Int(starts[k])] = fp
                rows[Int(starts[k])] = UInt16(at + Int(r) - base)
                starts[k] += 1
            }
        }
        return Run(prints: prints, rows: rows, base: base, starts: bounds)
    }
}

/// An open-addressing set of fingerprints. They are already well-mixed hashes, so they index
/// the table directly. Emptied by a new generation number rather than by clearing the slots.
private struct ProbeTable {
    private struct Slot {
        var a: UInt64 = 0, b: UInt64 = 0
        /// The slot is filled when this is the table's generation.
        var generation: UInt32 = 0
    }
    private var slots: [Slot] = []
    private var mask = 0
    private var generation: UInt32 = 0

    /// Empties the table for up to `count` fingerprints.
    mutating func reset(for count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        if slots.count < size || generation == UInt32.max {
            slots = [Slot](repeating: Slot(), count: max(size, slots.count))
            generation = 0
        }
        generation += 1
        mask = size - 1
    }

    /// Adds the fingerprint; returns false when an equal one is already there.
    @inline(__always)
    mutating func insert(_ fp: RowFingerprint) -> Bool {
        let mask = self.mask, generation = self.generation
        return slots.withUnsafeMutableBufferPointer { slots in
            var i = Int(truncatingIfNeeded: fp.a ^ (fp.b >> 17)) & mask
            while slots[i].generation == generation {
                if slots[i].a == fp.a && slots[i].b == fp.b { return false }
                i = (i + 1) & mask
            }
            slots[i] = Slot(a: fp.a, b: fp.b, generation: generation)
            return true
        }
    }
}
