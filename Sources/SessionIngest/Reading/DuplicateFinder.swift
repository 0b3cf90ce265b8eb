import ParallelWork
/// Finds the rows that repeat an earlier row (overlapping exports), given every file's row
/// fingerprints in reading order: the first occurrence is kept, every later one is a duplicate.
///
/// A year of exports has millions of fingerprints; one hash table over all of them misses the
/// cache on nearly every lookup. So the fingerprints are first scattered, in order, into
/// partitions by their top bits, and each partition is checked with a table small enough to
/// stay in the cache, on all cores. The answer is the same as inserting them one by one.
enum DuplicateFinder {
    /// The partition of a fingerprint: its top `bits` bits (the table index uses the low ones).
    @inline(__always) static func partition(_ fp: RowFingerprint, bits: Int) -> Int {
        bits == 0 ? 0 : Int(truncatingIfNeeded: fp.b >> UInt64(64 - bits))
    }

    /// For each list, whether each of its fingerprints repeats an earlier one (in this list or
    /// in an earlier list).
    static func duplicates(_ lists: [[RowFingerprint]]) -> [[Bool]] {
        let total = lists.reduce(0) { $0 + $1.count }
        guard total > 0 else { return lists.map { _ in [] } }
        // About 4,096 fingerprints per partition (64 KiB of them), with no more than 4 M
        // (list, partition) counters in all, however many files there are.
        var wanted = 0
        while wanted < 16 && total >> wanted > 4096 && lists.count << (wanted + 1) <= 1 << 22 { wanted += 1 }
        let bits = wanted
        let partitions = 1 << bits

        // How many of each list's fingerprints fall in each partition (lists on all cores).
        let lists = UncheckedSendable(lists)
        let histograms = ParallelMap.map(Array(lists.value.indices)) { l -> [Int] in
            var counts = [Int](repeating: 0, count: partitions)
            for fp in lists.value[l] { counts[partition(fp, bits: bits)] += 1 }
            return counts
        }
        var starts = [Int](repeating: 0, count: partitions + 1)
        for h in histograms { for p in 0..<partitions { starts[p + 1] += h[p] } }
        for p in 0..<partitions { starts[p + 1] += starts[p] }
        // Where each list's share of each partition begins: after the earlier lists' shares.
        var cursors: [[Int]] = []
        var next = Array(starts.dropLast())
        var listStart = 0
        var listStarts: [Int] = []
        for (l, h) in histograms.enumerated() {
            cursors.append(next)
            for p in 0..<partitions { next[p] += h[p] }
            listStarts.append(listStart)
            listStart += lists.value[l].count
        }

        // Scatter, keeping reading order inside each partition.
        let prints = UnsafeMutableBufferPointer<RowFingerprint>.allocate(capacity: total)
        let positions = UnsafeMutableBufferPointer<Int>.allocate(capacity: total)
        let repeated = UnsafeMutableBufferPointer<Bool>.allocate(capacity: total)
        defer { prints.deallocate(); positions.deallocate(); repeated.deallocate() }
        repeated.initialize(repeating: false)
        let out = UncheckedSendable((prints, positions, cursors, listStarts))
        _ = ParallelMap.map(Array(lists.value.indices)) { l -> Int in
            let (prints, positions, cursors, listStarts) = out.value
            var cursor = cursors[l]
            var position = listStarts[l]
            for fp in lists.value[l] {
                let p = partition(fp, bits: bits)
                prints.initializeElement(at: cursor[p], to: fp)
                positions.initializeElement(at: cursor[p], to: position)
                cursor[p] += 1
                position += 1
            }
            return 0
        }

        // Each partition on its own; partitions write to disjoint places of `repeated`.
        let shared = UncheckedSendable((prints, positions, repeated, starts))
        let groups = Array(stride(from: 0, to: partitions, by: max(1, partitions / 16)))
        let step = max(1, partitions / 16)
        _ = ParallelMap.map(groups) { first in
            let (prints, positions, repeated, starts) = shared.value
            var table = ProbeTable()
            for p in first..<min(first + step, partitions) {
                let range = starts[p]..<starts[p + 1]
                table.reset(for: range)
                for i in range where !table.insert(i, in: prints) {
                    repeated[positions[i]] = true
                }
            }
            return 0
        }

        var result: [[Bool]] = []
        result.reserveCapacity(lists.value.count)
        var offset = 0
        for list in lists.value {
            result.append(Array(repeated[offset..<offset + list.count]))
            offset += list.count
        }
        return result
    }
}

/// An open-addressing table of indexes into a buffer of fingerprints (0 = empty slot). The
/// fingerprints are already well-mixed hashes, so they index the table directly.
private struct ProbeTable {
    private var slots: [Int32] = []
    private var mask = 0

    /// Empties the table for the fingerprints at `indexes`.
    mutating func reset(for indexes: Range<Int>) {
        var size = 16
        while size < indexes.count * 2 { size <<= 1 }
        if slots.count != size {
            slots = [Int32](repeating: 0, count: size)
        } else {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        mask = size - 1
        base = indexes.lowerBound - 1
    }

    /// Slots hold `index - base` (so 0 can mean empty).
    private var base = 0

    /// Adds the fingerprint at `index`; returns false when an equal one is already there.
    mutating func insert(_ index: Int, in prints: UnsafeMutableBufferPointer<RowFingerprint>) -> Bool {
        let fp = prints[index]
        let mask = self.mask, base = self.base
        return slots.withUnsafeMutableBufferPointer { slots in
            var i = Int(truncatingIfNeeded: fp.a ^ (fp.b >> 17)) & mask
            while slots[i] != 0 {
                if prints[base + Int(slots[i])] == fp { return false }
                i = (i + 1) & mask
            }
            slots[i] = Int32(index - base)
            return true
        }
    }
}
