import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A report file could not be written. Says which file and why.
package struct OutputError: Error, CustomStringConvertible {
    package let path: String
    package let reason: String
    package var description: String { "cannot write \(path): \(reason)" }

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Safe names and crash-safe writes for everything adhere puts in the output folder.
package enum OutputFiles {
    /// The most a group name gives a file name, in bytes: with `adhere-YYYY-MM-`, a `-2` and
    /// `.xlsx` a workbook's name stays under 200 bytes, and its temporary name (a dot in front,
    /// `.<pid>-<n>.tmp` behind) well under the 255 bytes a file name may have.
    package static let maxSlugBytes = 150

    /// A file-name part made from a group name: letters and digits kept (any script), every
    /// other run of characters turned into one `-`, so `../x` becomes `x` and can never leave
    /// the output folder. At most 60 characters and ``maxSlugBytes`` bytes (a name in 4-byte
    /// letters is cut sooner), cut between characters, never inside one; the same name always
    /// gives the same part. Canonically equal spellings (`é` as one character or as `e` and an
    /// accent) give the same part.
    package static func slug(_ name: String) -> String {
        var out = ""
        var dash = false
        var characters = 0
        for ch in name.precomposedStringWithCanonicalMapping.unicodeScalars {
            if ch.properties.isAlphabetic || ("0"..."9").contains(ch) {
                if dash && !out.isEmpty { out.append("-"); characters += 1 }
                out.unicodeScalars.append(ch)
                // A combining letter (an alphabetic mark) joins the character before it.
                if !(ch.properties.generalCategory == .nonspacingMark || ch.properties.generalCategory == .spacingMark) {
                    characters += 1
                }
                dash = false
                // Far past the byte bound (a letter with thousands of marks): enough to cut from.
                if characters >= 60 || out.utf8.count > 2 * maxSlugBytes { break }
            } else {
                dash = true
            }
        }
        // Cut whole characters from the end until the bytes fit.
        while out.utf8.count > maxSlugBytes, out.count > 1 { out.removeLast() }
        if out.utf8.count > maxSlugBytes {
            // A single character longer than the bound: keep the scalars that fit.
            var scalars = String.UnicodeScalarView()
            for u in out.unicodeScalars {
                if String(scalars).utf8.count + String(u).utf8.count > maxSlugBytes { break }
                scalars.append(u)
            }
            out = String(scalars)
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "group" : out
    }

    /// Unique file names, in order, for group labels: `adhere-2026-10-Dana-Whitfield.xlsx`.
    package static func workbookNames(month: String, labels: [String]) -> [String] {
        var used = Set<String>()
        return labels.map { label in
            let base = "adhere-\(month)-\(slug(label))"
            var name = base + ".xlsx"
            var n = 2
            while used.contains(name.lowercased()) { name = "\(base)-\(n).xlsx"; n += 1 }
            used.insert(name.lowercased())
            return name
        }
    }

    /// Creates the output folder (owner-only) if needed and checks it can be written.
    package static func prepareFolder(_ path: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw OutputError(path: path, reason: "it exists and is not a folder") }
        } else {
            do {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw OutputError(path: path, reason: "the folder cannot be created (\(reason(error)))")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw OutputError(path: path, reason: "the folder is not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// A temporary path in the same folder as `final`, so a rename puts it in place atomically.
    package static func temporaryPath(for final: String, tag: Int = 0) -> String {
        let url = URL(fileURLWithPath: final)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid())-\(tag).tmp").path
    }

    /// Moves a finished temporary file into place: owner-only permissions, flushed to disk,
    /// then renamed over `final`. The previous file stays intact until the rename. When `final`
    /// already holds exactly these bytes, it is left alone (its file time stays) and the
    /// temporary file is removed. Returns whether `final` was (re)written.
    @discardableResult
    package static func commit(temporary: String, to final: String) throws -> Bool {
        if let old = FileManager.default.contents(atPath: final), let new = FileManager.default.contents(atPath: temporary),
           old == new {
            unlink(temporary)
            _ = chmod(final, 0o600)
            return false
        }
        guard chmod(temporary, 0o600) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw OutputError(path: final, reason: why)
        }
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 {
            let synced = fsync(fd) == 0
            let why = String(cString: strerror(errno))
            close(fd)
            if !synced {
                unlink(temporary)
                throw OutputError(path: final, reason: "could not flush to disk (\(why))")
            }
        }
        guard rename(temporary, final) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw OutputError(path: final, reason: why)
        }
        // The rename itself is only durable once the folder is flushed too.
        syncFolder(of: final)
        return true
    }

    /// Flushes the folder holding `path` to disk (its entries: a rename or a new file).
    static func syncFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Removes temporary files that a killed run left in `folder` (the caller holds the lock,
    /// so no other run is writing them). Returns the names removed.
    @discardableResult
    package static func removeLeftovers(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        // Only names made by temporaryPath(for:tag:) for adhere's own files:
        // ".<adhere-*.xlsx | rejects-*.csv | rtm-*.csv | *.json | .adhere-inputs | .adhere-history>.<pid>-<n>.tmp".
        let pattern = try! NSRegularExpression(pattern: #"^\.(adhere-.*\.xlsx|rejects-.*\.csv|rtm-.*\.csv|.*\.json|\.adhere-inputs|\.adhere-history)\.[0-9]+-[0-9]+\.tmp$"#)
        for name in names where pattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil {
            if unlink((folder as NSString).appendingPathComponent(name)) == 0 { removed.append(name) }
        }
        return removed.sorted()
    }

    /// Removes the temporary files that killed runs left beside a file adhere writes outside
    /// the output folder (the JSON file, a catalog draft, a trend workbook): names made by
    /// ``temporaryPath(for:tag:)`` for `final`, or for `final` with a month in its name
    /// (nightly's `figures-2026-10.json` for `figures.json`), whose process has ended. No lock
    /// covers such a folder, so a file of a run still going is left alone. Returns the names
    /// removed.
    @discardableResult
    package static func removeLeftovers(of final: String) -> [String] {
        let url = URL(fileURLWithPath: final)
        let folder = url.deletingLastPathComponent().path
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        let stem = url.deletingPathExtension().lastPathComponent
        let escape = NSRegularExpression.escapedPattern(for:)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder),
              let pattern = try? NSRegularExpression(pattern: "^\\." + escape(stem) + "(-[0-9]{4}-[0-9]{2})?" + escape(ext) + "\\.([0-9]+)-[0-9]+\\.tmp$")
        else { return [] }
        var removed: [String] = []
        for name in names {
            guard let m = pattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)),
                  let r = Range(m.range(at: 2), in: name), let pid = pid_t(name[r]) else { continue }
            // A process that still runs (or one we may not signal) keeps its file.
            if pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH { continue }
            if unlink((folder as NSString).appendingPathComponent(name)) == 0 { removed.append(name) }
        }
        return removed.sorted()
    }

    /// Writes bytes to `final` through a temporary file of our own naming (see
    /// ``commit(temporary:to:)``), so a killed run's leftover is recognised and removed.
    @discardableResult
    package static func writeAtomically(_ data: Data, to final: String) throws -> Bool {
        let tmp = temporaryPath(for: final)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw OutputError(path: final, reason: "the file cannot be created (\(String(cString: strerror(errno))))")
        }
        var failure: String?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        close(fd)
        if let failure {
            unlink(tmp)
            throw OutputError(path: final, reason: failure)
        }
        return try commit(temporary: tmp, to: final)
    }

    static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
