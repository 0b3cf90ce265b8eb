import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Export files still being written. A report made while the export job writes a file would be
/// built from less data than the file will hold, and would replace a better workbook; so
/// `nightly` writes nothing while an input is settling and keeps the previous workbooks
/// (docs/RULES.md, "Files still being written").
struct InputSettling {
    /// A file still being written, and how it showed.
    struct Settling: Sendable, Equatable {
        let path: String
        /// Seconds since it changed; nil when it changed while adhere was reading it.
        let age: Int?

        var message: String {
            if let age {
                return "\(path): changed \(age) s ago, probably still being written by the export"
            }
            return "\(path): changed while adhere was reading it, probably still being written by the export"
        }
    }

    /// What identifies one version of a file: size, modification time, inode.
    struct Stamp: Equatable {
        let size: Int64
        let seconds: Int
        let nanoseconds: Int
        let inode: UInt64

        init?(_ path: String) {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            size = Int64(st.st_size)
            #if canImport(Darwin)
            seconds = Int(st.st_mtimespec.tv_sec)
            nanoseconds = Int(st.st_mtimespec.tv_nsec)
            #else
            seconds = Int(st.st_mtim.tv_sec)
            nanoseconds = Int(st.st_mtim.tv_nsec)
            #endif
            inode = UInt64(st.st_ino)
        }
    }

    /// Files changed less than `seconds` ago. A time stamp in the future (clock skew, unzipped
    /// files) is not "being written".
    static func young(_ files: [String], seconds: Int) -> [Settling] {
        files.compactMap { path in
            guard let stamp = Stamp(path) else { return nil }
            // The clock is read after the file, so a write in between is not "in the future".
            let age = Date().timeIntervalSince1970 - (Double(stamp.seconds) + Double(stamp.nanoseconds) / 1e9)
            guard age >= 0, age < Double(seconds) else { return nil }
            return Settling(path: path, age: Int(age))
        }
    }

    /// The stamps of `files` (before reading them).
    static func stamps(_ files: [String]) -> [String: Stamp] {
        var result: [String: Stamp] = [:]
        for f in files { result[f] = Stamp(f) }
        return result
    }

    /// Files whose stamp differs from `before` (after reading them).
    static func changed(since before: [String: Stamp]) -> [Settling] {
        before.keys.sorted().compactMap { path in
            Stamp(path) == before[path] ? nil : Settling(path: path, age: nil)
        }
    }

    /// The line said when previous workbooks are kept because of `settling` files.
    static func keptLine(months: [String]) -> String {
        "kept the previous workbooks of \(months.joined(separator: " and ")) as they were, and wrote nothing: a report without a file still being written would be built from less data. The next run reads it; run adhere nightly again once the export has finished (settle-seconds = 0 in the config file turns the wait off for exports that are moved into place whole)"
    }
}
