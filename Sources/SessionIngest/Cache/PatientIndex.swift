import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where each patient's rows are in each input file, kept between `trend` runs in a cache
/// folder (``defaultFolder(environment:)``), so that one patient's trend reads that patient's
/// rows, not every byte of every export: a clinic's history only grows, and a patient's rows
/// are a small part of it.
///
/// **What is kept.** For each input file read in full by a one-patient read (every row's id
/// read, a sitting's rows that repeat the row before up to the id taken as one run, see
/// ``PatientRanges``), one index file in the folder: the file's absolute path and stamp
/// (device, inode, size, modification and status-change times), and per patient id (as a hash, ``idHash(_:)``: an
/// id field may hold a name when a row's columns shifted) the byte ranges of its runs of rows
/// and whether they are all plain. It is kept only when the file did not change while it was
/// read and last changed ``DigestIndex/settleSeconds`` before (the digest index's rule), and
/// it is written atomically, owner-only, in a folder that is the user's and that no one else
/// may write to (otherwise the folder is not used at all, ``refusal``).
///
/// **When it is used.** Its file's stamp is as it was when read, so its bytes are the ones
/// indexed; it was written by this build with the same options (``CacheKey``, one-patient
/// option left out); its checksums hold (the directory's, and the patient's ranges'). Then:
/// - a patient with no row in the file: the file gives nothing, and only its header is read;
/// - a patient whose rows are all plain: only their ranges are read, with the header read from
///   the file's start, as a later part of a large file is read (``FileParts``): the rows read
///   are the very rows a whole read would check and keep for the patient, in the same order;
/// - otherwise (a row of the patient not plain, a damaged or missing index, a file changed
///   since): the file is read in full, and indexed again.
/// A file read through its index says nothing of other patients' rows; `trend` shows only the
/// patient's own figures, so nothing it shows changes. Line numbers of rows read through the
/// index would count the ranges' lines, not the file's: so a file where a row of the patient
/// is rejected (which `trend` says, with its line) is read whole after its ranges
/// (``SessionLogReader``), as is one that changed before its ranges were read.
public final class PatientIndex: @unchecked Sendable {
    /// Where the index files are (created owner-only when first written).
    public let folder: String
    static let formatVersion = 1
    private static let magic = Array("ADHEREPI".utf8)
    private let key: [UInt8]?
    private let lock = NSLock()
    /// Each file's stamp before it was read in full this run.
    private var seen: [String: DigestIndex.Stamp] = [:]
    /// Index files to write: name in the folder, bytes.
    private var fresh: [String: [UInt8]] = [:]
    private var served = 0
    /// Files whose index stands for them as they are (a patient read in full there for a row
    /// that is not plain): not written again.
    private var current = Set<String>()
    /// Why the folder is not used (another user's, or others may write to it), if so.
    public let refusal: String?

    /// The index in `folder` for reads with `options` (the one-patient option aside). A folder
    /// that is another user's, or that others may write to, is not used: an index planted
    /// there could make a trend read rows that are not the patient's only, so the folder must
    /// be as private as the exports are.
    public init(folder: String, options: IngestOptions) {
        self.folder = folder
        var st = stat()
        if stat(folder, &st) != 0 {
            refusal = errno == ENOENT ? nil : "it cannot be looked at (\(String(cString: strerror(errno))))"
        } else if (st.st_mode & S_IFMT) != S_IFDIR {
            refusal = "it is not a folder"
        } else if st.st_uid != geteuid() {
            refusal = "it belongs to another user"
        } else if st.st_mode & 0o022 != 0 {
            refusal = "others may write to it (chmod 700 it)"
        } else {
            refusal = nil
        }
        var general = options
        general.onlyPatient = nil
        general.listOtherPatients = false
        key = refusal != nil ? nil : CacheKey.of(general).map { k in
            var w = ByteWriter()
            w.count(PatientIndex.formatVersion)
            return Array(SHA256.hash(data: w.bytes + k))
        }
    }

    /// The folder the index is kept in by default: `$XDG_CACHE_HOME/adhere`, else
    /// `~/.cache/adhere`; nil when neither is known.
    public static func defaultFolder(environment: [String: String]) -> String? {
        if let x = environment["XDG_CACHE_HOME"], x.hasPrefix("/") { return (x as NSString).appendingPathComponent("adhere") }
        if let home = environment["HOME"], home.hasPrefix("/") { return (home as NSString).appendingPathComponent(".cache/adhere") }
        return nil
    }

    /// How many files this run read through the index (their patient's ranges only, or not at all).
    public var filesFromIndex: Int {
        lock.lock()
        defer { lock.unlock() }
        return served
    }

    /// An input path as an absolute one (what an index file is named by and holds).
    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    /// The index file's name for an input path: a hash of its absolute path.
    static func name(for path: String) -> String {
        let absolute = absolute(path)
        let digits = Array("0123456789abcdef".utf8)
        var name: [UInt8] = []
        for b in SHA256.hash(data: Array(absolute.utf8)).prefix(12) { name += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        return String(decoding: name, as: UTF8.self) + ".adhere-index"
    }

    /// What the index holds for `patient` in the file at `path`, if it may stand for reading
    /// the file: the file as a part to read (the patient's ranges only, maybe none), or nil
    /// (read the file in full).
    func part(for path: String, fileNumber: Int, patient: [UInt8], options: IngestOptions) -> FilePart? {
        guard let key, options.encoding != .utf16, let now = DigestIndex.Stamp.of(path),
              let bytes = PatientIndex.contents((folder as NSString).appendingPathComponent(PatientIndex.name(for: path))),
              let found = try? PatientIndex.lookUp(bytes, key: key, path: PatientIndex.absolute(path), stamp: now, patient: patient) else { return nil }
        guard case .ranges(let ranges) = found else {
            // A row of the patient is not plain: read in full, the index kept as it is.
            lock.lock()
            current.insert(path)
            lock.unlock()
            return nil
        }
        // The header, read from the file as opened (and closed again: a history of many exports
        // must not hold a descriptor each); the file opened must be the one indexed, and the
        // job that reads the ranges checks that again (``FilePart/stamp``).
        guard let file = try? FileBytes(path: path) else { return nil }
        var st = stat()
        guard fstat(file.descriptor, &st) == 0, DigestIndex.Stamp(st) == now,
              let (header, _) = FileHeader.read(startOf: file, path: path, options: options) else { return nil }
        lock.lock()
        served += 1
        lock.unlock()
        return FilePart(path: path, fileNumber: fileNumber, header: header, hashing: false, ranges: ranges, stamp: now)
    }

    /// A file planned to be read through the index was read in full after all (it changed
    /// before its ranges were read, or a rejected row of the patient needs its line).
    func readInFullAfterAll() {
        lock.lock()
        served -= 1
        lock.unlock()
    }

    /// Notes the stamp of a file about to be read in full, so that its index can be kept if
    /// it did not change while read.
    func noteRead(_ path: String) {
        guard key != nil, let now = DigestIndex.Stamp.of(path) else { return }
        lock.lock()
        seen[path] = now
        lock.unlock()
    }

    /// Keeps the index of a file read in full, if it may stand for it next time (see above).
    func keep(_ file: ParsedFile) {
        let path = file.summary.path
        guard let key, file.summary.error == nil, let ranges = file.patientRanges else { return }
        lock.lock()
        let before = seen[path], kept = current.contains(path)
        lock.unlock()
        guard !kept, let before, let after = DigestIndex.Stamp.of(path), after == before, after.settled,
              let bytes = PatientIndex.encode(ranges, key: key, path: PatientIndex.absolute(path), stamp: after) else { return }
        lock.lock()
        fresh[PatientIndex.name(for: path)] = bytes
        lock.unlock()
    }

    /// Writes the index files made this run (atomically, owner-only, in an owner-only folder).
    /// Only a time saver: a file that cannot be written is read in full again next time.
    public func save() {
        lock.lock()
        let files = fresh
        fresh = [:]
        lock.unlock()
        guard !files.isEmpty, refusal == nil else { return }
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            // Its parent may be missing too (a first ~/.cache).
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        for (name, bytes) in files {
            let final = (folder as NSString).appendingPathComponent(name)
            let tmp = final + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            // A new file of its own (never one found there, nor a link's target).
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { continue }
            var offset = 0
            let ok = bytes.withUnsafeBytes { raw -> Bool in
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 { if errno == EINTR { continue }; return false }
                    offset += n
                }
                return true
            }
            if close(fd) != 0 || !ok || rename(tmp, final) != 0 { unlink(tmp) }
        }
        prune(keeping: Set(files.keys))
    }

    /// Removes the index files of exports that no longer exist (old exports are moved away
    /// or deleted) and temporary files a stopped run left a day ago or more, so that the
    /// folder does not grow without end. A file it cannot read is left as it is.
    private func prune(keeping: Set<String>) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where !keeping.contains(name) {
            let path = (folder as NSString).appendingPathComponent(name)
            if name.hasSuffix(".adhere-index") {
                var st = stat()
                if let indexed = PatientIndex.indexedPath(path), stat(indexed, &st) != 0, errno == ENOENT { unlink(path) }
            } else if name.contains(".adhere-index.tmp-") {
                var st = stat()
                if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_mtim.tv_sec) < time(nil) - 86_400 { unlink(path) }
            }
        }
    }

    /// The bytes of an index file (at most `limit` of them), when it is a regular file: never
    /// waits on a pipe or a device put in its place.
    static func contents(_ indexFile: String, limit: Int = 1 << 30) -> [UInt8]? {
        let fd = open(indexFile, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: min(Int(st.st_size), limit))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, $0.count - got, off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            got += n
        }
        return bytes
    }

    /// The export an index file is of, from its first bytes; nil when it cannot be read.
    static func indexedPath(_ indexFile: String) -> String? {
        guard let head = contents(indexFile, limit: 1 << 16),
              head.count > magic.count + 40, head[0..<magic.count].elementsEqual(magic) else { return nil }
        var r = ByteReader(head, from: magic.count + 32 + 8)
        guard (try? r.count()) != nil, let path = try? r.string(), path.hasPrefix("/") else { return nil }
        return path
    }

    // MARK: - The index file

    // magic | key (32) | checksum of the directory (8) | directory | ranges
    // directory: path, stamp, patient count, then per patient: id, plain, ranges' offset and
    // length (after the directory), ranges' checksum
    // ranges: per run, its start after the last run's end, and its length (varints)

    /// An index's checksum: tells an index damaged on disk from the one written (a change to
    /// any one 8-byte word changes it), eight bytes at a time (``RowFingerprint``'s first half).
    static func sum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBufferPointer { RowFingerprint($0).a }
    }

    /// What stands for an id in the index: 16 bytes of its SHA-256. An id field may hold a
    /// name (a row whose columns shifted), so ids are never written as they are.
    static func idHash<C: Collection>(_ id: C) -> [UInt8] where C.Element == UInt8 {
        Array(SHA256.hash(data: Array(id)).prefix(16))
    }

    /// The index file's bytes; nil when two ids of the file share a hash (never seen: the
    /// file is then read in full each time).
    static func encode(_ ranges: PatientRanges, key: [UInt8], path: String, stamp: DigestIndex.Stamp) -> [UInt8]? {
        var body = ByteWriter()
        var directory = ByteWriter()
        directory.string(path)
        HistoryCache.write(stamp, &directory)
        directory.count(ranges.ids.count)
        var hashes = Set<[UInt8]>()
        for (k, id) in ranges.ids.enumerated() {
            let hash = idHash(id)
            guard hashes.insert(hash).inserted else { return nil }
            let start = body.bytes.count
            var previous = 0
            if ranges.plain[k] {
                body.count(ranges.ranges[k].count)
                for r in ranges.ranges[k] {
                    guard r.lowerBound >= previous else { return nil }  // (runs are in the file's order)
                    body.count(r.lowerBound - previous)
                    body.count(r.count)
                    previous = r.upperBound
                }
            }
            directory.bytes += hash
            directory.bool(ranges.plain[k])
            directory.count(start)
            directory.count(body.bytes.count - start)
            directory.fixed(PatientIndex.sum(body.bytes[start...]))
        }
        var w = ByteWriter()
        w.bytes = magic + key
        w.fixed(PatientIndex.sum(directory.bytes[...]))
        w.count(directory.bytes.count)
        return w.bytes + directory.bytes + body.bytes
    }

    /// What an index holds for a patient.
    enum Found: Equatable {
        /// The byte ranges of the patient's rows (none: the file has no row of the patient).
        case ranges([Range<Int>])
        /// A row of the patient is not plain: the file is read in full for the patient.
        case readInFull
    }

    /// What an index file's bytes hold for the patient. Throws when the index may not stand
    /// for the file (another key, path or stamp, any damage).
    static func lookUp(_ bytes: [UInt8], key: [UInt8], path: String, stamp: DigestIndex.Stamp, patient: [UInt8]) throws -> Found {
        let head = magic + key
        guard bytes.count >= head.count, bytes[0..<head.count].elementsEqual(head) else { throw CacheDamage() }
        var r = ByteReader(bytes, from: head.count)
        let sum = try r.fixed()
        let length = try r.count()
        let directoryStart = r.at
        guard PatientIndex.sum(bytes[directoryStart..<directoryStart + length]) == sum else { throw CacheDamage() }
        var d = ByteReader(bytes, from: directoryStart, to: directoryStart + length)
        let body = directoryStart + length
        guard try d.string() == path, try HistoryCache.readStamp(&d) == stamp else { throw CacheDamage() }
        let wanted = idHash(patient)
        for _ in 0..<(try d.count()) {
            guard d.end - d.at >= 16 else { throw CacheDamage() }
            let id = bytes[d.at..<d.at + 16]
            try d.skip(16)
            let plain = try d.bool()
            let offset = try d.unsigned(), size = try d.unsigned()
            let sectionSum = try d.fixed()
            guard id.elementsEqual(wanted) else { continue }
            let room = UInt64(bytes.count - body)
            guard offset <= room, size <= room - offset else { throw CacheDamage() }
            let section = body + Int(offset)..<body + Int(offset + size)
            guard PatientIndex.sum(bytes[section]) == sectionSum else { throw CacheDamage() }
            guard plain else { return .readInFull }
            var s = ByteReader(bytes, from: section.lowerBound, to: section.upperBound)
            var out: [Range<Int>] = []
            var previous = 0
            let fileSize = UInt64(max(0, stamp.size))
            for _ in 0..<(try s.count()) {
                let gap = try s.unsigned(), count = try s.unsigned()
                guard count > 0, gap <= fileSize - UInt64(previous), count <= fileSize - UInt64(previous) - gap else { throw CacheDamage() }
                let start = previous + Int(gap)
                out.append(start..<start + Int(count))
                previous = start + Int(count)
            }
            guard s.atEnd else { throw CacheDamage() }
            return .ranges(out)
        }
        return .ranges([])
    }
}
