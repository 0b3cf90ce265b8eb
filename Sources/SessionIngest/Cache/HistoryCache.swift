import AdherenceAnalysis
import Foundation

/// What each old input file contributed, kept between runs in the output folder
/// (``fileName``, beside ``DigestIndex``'s), so that a file unchanged since and wholly before
/// the report's window is not read again: a clinic's export folder only grows, and its old
/// files give a run only small things (their rows' counts and rejects, patients' names, last
/// entry days and entry days, unknown exercise names).
///
/// **Which files are kept.** A file read without error (whole, or in parts on every core and
/// joined: the joined file is what a whole read yields, see ``FileParts``), every accepted
/// row of which is dated before the first day the read keeps (``IngestOptions/firstKeptDay``:
/// the history days' first, or the span's) and not after the as-of date. Such a file keeps
/// no entry, no history row, no fingerprint, and counts no row after the as-of date; what
/// ``FileParser`` does with its rows otherwise depends only on the file's bytes and the
/// options in ``CacheKey``, never on the window. It is kept only if it did not change while it
/// was read and last changed ``DigestIndex/settleSeconds`` before (the digest index's rule).
///
/// **When a kept contribution is used.** Its file's stamp (device, inode, size, modification
/// and status-change times) is as it was when read, so its bytes are the ones read (as for the
/// digest index); the cache was written by this build with the same options (``CacheKey``);
/// its checksum holds (over the whole entry: path, stamp, latest day and payload, so that a
/// damaged latest day cannot let a file with rows in the window stand); and its latest accepted day is still before this read's first
/// kept day and not after its as-of date. A read of the file would then file every row exactly
/// as before, with the same results: so the contribution is that read's, except for the file's
/// number in the run, which is put back (``ContributionCoding``). Its digest is the digest
/// index's when it holds one (as a read would take), and is given to it otherwise.
///
/// **Bounds and damage.** The cache written holds only files of this run's list, read
/// and unchanged: the contributions used or read this run, and earlier ones whose files are
/// unchanged (kept for another window, nightly's other month). A missing, garbled, cut or
/// other-version cache, or another build's, is no cache: every file is read, and the cache is
/// written again. It is written (by the caller, atomically, owner-only) only when it changed.
public final class HistoryCache: @unchecked Sendable {
    public static let fileName = ".adhere-history"
    /// The layout of the cache and of a contribution; goes up when either changes, or when a
    /// file's bytes yield something else for the same options within one build's life.
    static let formatVersion = 3
    private static let magic = Array("ADHEREHC".utf8)

    /// Where a kept contribution is in the loaded bytes.
    private struct Entry {
        var stamp: DigestIndex.Stamp
        var lastDay: Day
        var whole: Range<Int>
        /// The entry's bytes before its checksum (path, stamp, latest day, payload length).
        var head: Range<Int>
        var payload: Range<Int>
        var checksum: UInt64
    }

    /// A contribution read this run, to keep.
    private struct Fresh {
        var stamp: DigestIndex.Stamp
        var lastDay: Day
        var payload: [UInt8]
    }

    private let key: [UInt8]?
    private let loaded: [UInt8]
    private let entries: [String: Entry]
    private let lock = NSLock()
    /// Each whole file's stamp before it was read this run.
    private var seen: [String: DigestIndex.Stamp] = [:]
    private var served = Set<String>()
    private var damaged = Set<String>()
    private var fresh: [String: Fresh] = [:]

    /// The cache kept in `folder`, for reads with `options` (none for a one-patient read).
    public init(folder: String, options: IngestOptions) {
        let key = options.onlyPatient == nil ? CacheKey.of(options) : nil
        let path = (folder as NSString).appendingPathComponent(HistoryCache.fileName)
        let loaded = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
        entries = key.flatMap { (try? HistoryCache.index(loaded, key: $0)) } ?? [:]
        self.key = key
        self.loaded = loaded
    }

    /// How many files this run took from the cache instead of reading them.
    public var filesFromCache: Int {
        lock.lock()
        defer { lock.unlock() }
        return served.count
    }

    /// Whether the file at `path` has a kept contribution that may stand for reading it, as
    /// far as its stamp and latest day tell (its checksum is checked when it is taken): such a
    /// large file is not cut into parts, so that its one whole-file job takes the contribution.
    func mayServe(_ path: String, options: IngestOptions) -> Bool {
        guard key != nil, let e = entries[path], let now = DigestIndex.Stamp.of(path) else { return false }
        return e.stamp == now && HistoryCache.beforeKept(e.lastDay, options)
    }

    /// Notes the stamp of a file about to be read in parts (a whole file's is noted when its
    /// contribution is asked for), so that the joined file can be kept if it did not change.
    func noteRead(_ path: String) {
        guard key != nil, let now = DigestIndex.Stamp.of(path) else { return }
        lock.lock()
        seen[path] = now
        lock.unlock()
    }

    /// The kept contribution of a whole file, when it may stand for reading it (see above);
    /// nil means: read it.
    func contribution(_ part: FilePart, options: IngestOptions) -> ParsedFile? {
        guard key != nil, part.index == 0, part.header == nil, part.end == Int.max,
              let now = DigestIndex.Stamp.of(part.path) else { return nil }
        let path = part.path
        lock.lock()
        seen[path] = now
        lock.unlock()
        guard let e = entries[path], e.stamp == now, HistoryCache.beforeKept(e.lastDay, options) else { return nil }
        guard checksum(loaded[e.head], loaded[e.payload]) == e.checksum,
              var file = try? ContributionCoding.read(loaded, from: e.payload.lowerBound, to: e.payload.upperBound, path: path,
                                                      fileNumber: part.fileNumber, lastDay: e.lastDay) else {
            lock.lock()
            damaged.insert(path)
            lock.unlock()
            return nil
        }
        if options.computeDigests, let digests = options.digests {
            let known = digests.lookUp(path)
            if let sha = known.sha { file.summary.sha256 = sha } else { digests.keep(path, before: known.stamp, sha: file.summary.sha256) }
        }
        lock.lock()
        served.insert(path)
        lock.unlock()
        return file
    }

    /// Keeps what a file read whole yielded, if it may stand for it next time (see above).
    func keep(_ file: ParsedFile, options: IngestOptions) {
        let path = file.summary.path
        guard key != nil, file.summary.error == nil, file.blocks.isEmpty, file.rowsAfterAsOf == 0, file.otherPatientIDs.isEmpty,
              HistoryCache.beforeKept(file.lastDay, options) else { return }
        lock.lock()
        let before = served.contains(path) ? nil : seen[path]
        lock.unlock()
        guard let before, let after = DigestIndex.Stamp.of(path), after == before, after.settled else { return }
        let payload = ContributionCoding.write(file)
        lock.lock()
        fresh[path] = Fresh(stamp: after, lastDay: file.lastDay, payload: payload)
        lock.unlock()
    }

    /// The cache for this run's files, as written to ``fileName``; nil when it is what was
    /// loaded, or when there was none and there is nothing to keep.
    public func contents() -> Data? {
        guard let key else { return nil }
        lock.lock()
        defer { lock.unlock() }
        var paths = Set(fresh.keys)
        for (path, e) in entries where seen[path] == e.stamp && !damaged.contains(path) { paths.insert(path) }
        if paths.isEmpty && loaded.isEmpty { return nil }  // no file to keep, and no cache to empty
        var w = ByteWriter()
        w.bytes = HistoryCache.magic + key
        w.count(paths.count)
        for path in paths.sorted() {
            if let f = fresh[path] {
                let start = w.bytes.count
                w.string(path)
                HistoryCache.write(f.stamp, &w)
                w.int(Int(f.lastDay.raw))
                w.count(f.payload.count)
                w.fixed(checksum(w.bytes[start...], f.payload[...]))
                w.bytes += f.payload
            } else if let e = entries[path] {
                w.bytes += loaded[e.whole]
            }
        }
        return w.bytes == loaded ? nil : Data(w.bytes)
    }

    /// Whether a file whose latest accepted row is dated `lastDay` gives a read with `options`
    /// nothing but small things.
    static func beforeKept(_ lastDay: Day, _ options: IngestOptions) -> Bool {
        lastDay < options.firstKeptDay && lastDay <= options.asOf
    }

    /// The entries of a cache's bytes, by path; throws on any damage to the layout (an
    /// entry's own damage shows when it is used, by its checksum).
    private static func index(_ bytes: [UInt8], key: [UInt8]) throws -> [String: Entry] {
        let head = magic + key
        guard bytes.count >= head.count, bytes[0..<head.count].elementsEqual(head) else { return [:] }
        var r = ByteReader(bytes, from: head.count)
        var out: [String: Entry] = [:]
        for _ in 0..<(try r.count()) {
            let start = r.at
            let path = try r.string()
            let stamp = try readStamp(&r)
            guard let day = Int32(exactly: try r.int()) else { throw CacheDamage() }
            let length = try r.count()
            let head = start..<r.at
            let sum = try r.fixed()
            let payload = r.at..<r.at + length
            try r.skip(length)
            out[path] = Entry(stamp: stamp, lastDay: Day(raw: day), whole: start..<r.at, head: head, payload: payload, checksum: sum)
        }
        guard r.atEnd else { throw CacheDamage() }
        return out
    }

    static func write(_ s: DigestIndex.Stamp, _ w: inout ByteWriter) {
        w.unsigned(s.device)
        w.unsigned(s.inode)
        for n in [s.size, s.modified, s.modifiedNanos, s.changed, s.changedNanos] { w.int(Int(n)) }
    }

    static func readStamp(_ r: inout ByteReader) throws -> DigestIndex.Stamp {
        let device = try r.unsigned(), inode = try r.unsigned()
        var n: [Int64] = []
        for _ in 0..<5 { n.append(Int64(try r.int())) }
        return DigestIndex.Stamp(device: device, inode: inode, size: n[0], modified: n[1], modifiedNanos: n[2],
                                 changed: n[3], changedNanos: n[4])
    }
}
