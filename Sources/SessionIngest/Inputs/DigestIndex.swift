import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The SHA-256 of each input file, kept between runs in the output folder (``fileName``), so a
/// file is hashed again only when it changed: a clinic's older monthly exports, or a one-file
/// export between two of its nightly rewrites, are not hashed every night.
///
/// A digest is reused only while the file's device, inode, size, modification time and
/// status-change time (ctime, which no user can set back) are all as they were when it was
/// hashed. It is kept only for a file that was unchanged while it was read and last changed at
/// least ``settleSeconds`` before: the file system's clock is coarse, so a file written again
/// within one tick of being hashed could keep its times and size (git's "racily clean" case).
/// A missing, unreadable or garbled index means only that every file is hashed.
public final class DigestIndex: @unchecked Sendable {
    public static let fileName = ".adhere-inputs"
    static let settleSeconds = 2

    struct Stamp: Hashable {
        var device: UInt64, inode: UInt64, size: Int64
        var modified: Int64, modifiedNanos: Int64, changed: Int64, changedNanos: Int64

        init(_ st: stat) {
            device = UInt64(st.st_dev); inode = UInt64(st.st_ino); size = Int64(st.st_size)
            modified = Int64(st.st_mtim.tv_sec); modifiedNanos = Int64(st.st_mtim.tv_nsec)
            changed = Int64(st.st_ctim.tv_sec); changedNanos = Int64(st.st_ctim.tv_nsec)
        }

        init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, modifiedNanos: Int64, changed: Int64, changedNanos: Int64) {
            self.device = device; self.inode = inode; self.size = size
            self.modified = modified; self.modifiedNanos = modifiedNanos; self.changed = changed; self.changedNanos = changedNanos
        }

        init?(_ words: [Substring]) {
            guard words.count == 7 else { return nil }
            let n = words.compactMap { Int64($0) }
            guard n.count == 7, let d = UInt64(words[0]), let i = UInt64(words[1]) else { return nil }
            device = d; inode = i; size = n[2]; modified = n[3]; modifiedNanos = n[4]; changed = n[5]; changedNanos = n[6]
        }

        /// The file at `path` now (following links, as reading does).
        static func of(_ path: String) -> Stamp? {
            var st = stat()
            return stat(path, &st) == 0 ? Stamp(st) : nil
        }

        /// Whether the file last changed at least ``DigestIndex/settleSeconds`` ago, so that a
        /// later write cannot leave this stamp as it is.
        var settled: Bool { max(modified, changed) + Int64(DigestIndex.settleSeconds) < Int64(time(nil)) }

        var text: String { "\(device) \(inode) \(size) \(modified) \(modifiedNanos) \(changed) \(changedNanos)" }
    }

    private let lock = NSLock()
    private let known: [String: (stamp: Stamp, sha: String)]
    private var used: [String: (stamp: Stamp, sha: String)] = [:]
    private let loaded: String

    /// The index kept in `folder` (empty when there is none).
    public init(folder: String) {
        let text = (try? String(contentsOfFile: (folder as NSString).appendingPathComponent(DigestIndex.fileName), encoding: .utf8)) ?? ""
        var known: [String: (stamp: Stamp, sha: String)] = [:]
        for line in text.split(separator: "\n") {
            // "<sha256> <device> <inode> <size> <mtime s> <mtime ns> <ctime s> <ctime ns> <path>"
            let words = line.split(separator: " ", maxSplits: 8, omittingEmptySubsequences: false)
            guard words.count == 9, words[0].count == 64, let stamp = Stamp(Array(words[1...7])) else { continue }
            known[String(words[8])] = (stamp, String(words[0]))
        }
        self.known = known
        loaded = text
    }

    /// The file's digest as kept, when the file is as it was then; with the file's stamp now.
    func lookUp(_ path: String) -> (stamp: Stamp?, sha: String?) {
        guard let now = Stamp.of(path) else { return (nil, nil) }
        guard let k = known[path], k.stamp == now else { return (now, nil) }
        lock.lock()
        used[path] = k
        lock.unlock()
        return (now, k.sha)
    }

    /// Keeps the digest of a file just read, if it did not change while read (`before`) and
    /// last changed long enough ago.
    func keep(_ path: String, before: Stamp?, sha: String) {
        guard let before, let after = Stamp.of(path), after == before, !path.contains("\n"), after.settled else { return }
        lock.lock()
        used[path] = (after, sha)
        lock.unlock()
    }

    /// The index for the files of this run, as written to ``fileName``; nil when it is what
    /// was read (nothing to write).
    public func contents() -> Data? {
        lock.lock()
        defer { lock.unlock() }
        let text = used.keys.sorted().map { "\(used[$0]!.sha) \(used[$0]!.stamp.text) \($0)\n" }.joined()
        return text == loaded ? nil : Data(text.utf8)
    }
}
