import Foundation

/// Guesses about an input file made from its first bytes: is it CSV at all, and which separator.
enum InputSniffing {
    /// A description of a non-CSV file (Excel workbook, PDF, other binary), or `nil` if it may be text.
    static func binaryKind(_ head: [UInt8]) -> String? {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "an Excel workbook or another zip file" }
        if head.starts(with: Array("%PDF".utf8)) { return "a PDF document" }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "an old-style Excel (.xls) workbook" }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return nil }
        // Text files hold no NUL bytes; a stray one is a bad row, many make a binary file.
        let sample = head.prefix(1024)
        if sample.count > 0 && sample.filter({ $0 == 0 }).count * 8 > sample.count { return "a binary file" }
        return nil
    }

    /// The separator that splits the header line into the most fields, outside quotes.
    static func separator(_ head: [UInt8]) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        for c in head {
            if c == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { break }
            if let k = candidates.firstIndex(of: c) { counts[k] += 1 }
        }
        var best = 0
        for k in 1..<candidates.count where counts[k] > counts[best] { best = k }
        return candidates[best]
    }

    static func separatorName(_ s: UInt8) -> String {
        switch s {
        case UInt8(ascii: ","): return "comma"
        case UInt8(ascii: ";"): return "semicolon"
        case UInt8(ascii: "\t"): return "tab"
        case UInt8(ascii: "|"): return "pipe"
        default: return "'\(Character(Unicode.Scalar(s)))'"
        }
    }

    /// Decides day/month order of a file's slash dates from all its values: a first number
    /// above 12 means day first, a second number above 12 means month first.
    static func dateOrder(path: String, separator: UInt8, column: Int, columnName: String,
                          encoding: TextEncoding? = nil) throws -> DateOrder {
        let input = try InputSource(path: path, hashing: false, encoding: encoding)
        let reader = CSVRecordReader(separator: separator, source: input.source)
        if try reader.peek(3).starts(with: [0xEF, 0xBB, 0xBF]) { try reader.skip(3) }
        _ = try reader.next()
        reader.expectedFields = reader.fieldCount
        // Lines, never values: a date column may hold anything (a name, in a shifted row), and
        // messages never repeat patient data.
        var dayFirst: Int?, monthFirst: Int?, example: Int?
        while try reader.next() {
            guard column < reader.fieldCount else { continue }
            let line = reader.line
            reader.withField(column) { f in
                let t = FieldParsing.trimmed(f)
                guard t.contains(UInt8(ascii: "/")) else { return }
                let parts = t.split(separator: UInt8(ascii: "/"), maxSplits: 2)
                guard parts.count == 3, let a = FieldParsing.wholeNumber(UnsafeBufferPointer(rebasing: parts[0])),
                      let b = FieldParsing.wholeNumber(UnsafeBufferPointer(rebasing: parts[1])) else { return }
                if example == nil { example = line }
                if a > 12 && b <= 12 && dayFirst == nil { dayFirst = line }
                if b > 12 && a <= 12 && monthFirst == nil { monthFirst = line }
            }
            if dayFirst != nil && monthFirst != nil { break }
        }
        switch (dayFirst, monthFirst) {
        case let (d?, m?): throw IngestError.conflictingDates(file: path, column: columnName, dayFirstLine: d, monthFirstLine: m)
        case (.some, nil): return .dayFirst
        case (nil, .some): return .monthFirst
        case (nil, nil): throw IngestError.ambiguousDates(file: path, column: columnName, exampleLine: example ?? 2)
        }
    }
}

/// Turns the command line's inputs (files and folders) into the list of files to read.
///
/// Only regular files are ever opened. Folders are walked by hand (hidden entries skipped), so
/// whatever is not read is named with its reason: a `.csv` that is a named pipe, a device or a
/// socket (never opened: a pipe would block the run forever), a folder that cannot be listed,
/// a symbolic link that leads back into a folder being read or in a circle, a link to
/// nothing, files that look like exports but are not `.csv`, and adhere's own rejects files.
package enum InputFiles {
    /// An input not read, and why (the reason reads after the path: "x.csv is ...").
    package struct NotRead: Sendable, Equatable {
        package let path: String
        package let reason: String
    }

    /// What the inputs hold.
    package struct Expansion: Sendable {
        /// Regular files to read: as named, and every `*.csv` inside folders, each folder's in
        /// path order.
        package var files: [String] = []
        /// Files deliberately left alone (not `.csv`, or a rejects file found in a folder):
        /// said, but nothing is missing from the report.
        package var notRead: [NotRead] = []
        /// Inputs that should have been read and could not be (special files named `*.csv`,
        /// folders that cannot be listed, link loops, broken links): the report is partial.
        package var unreadable: [NotRead] = []
        /// Inputs that do not exist.
        package var missing: [String] = []
    }

    /// Files as given; folders expanded to every `*.csv` inside (recursively, hidden files
    /// skipped), sorted by path so the order is stable. Throws for an input that does not exist.
    package static func expand(_ inputs: [String]) throws -> [String] {
        try expandNotingIgnored(inputs).files
    }

    /// Like ``expandNotingIgnored(_:)``, but inputs that do not exist are collected in
    /// `missing` instead of stopping everything (an unmounted share must not stop the rest).
    package static func expandNotingIgnored(_ inputs: [String], missing: inout [String]) throws -> (files: [String], ignored: [String]) {
        let e = expansion(inputs)
        missing = e.missing
        return (e.files, e.notRead.map(\.path))
    }

    /// Extensions of files people drop into an export folder by mistake: named so the admin
    /// learns why they were not read.
    static let noticed: Set<String> = ["xlsx", "xls", "xlsm", "ods", "numbers", "pdf", "tsv", "txt", "zip"]

    /// Like ``expand(_:)``, and also the files inside folders that were not read because they
    /// are not `.csv` but look like exports (a workbook, a PDF, a text file).
    package static func expandNotingIgnored(_ inputs: [String]) throws -> (files: [String], ignored: [String]) {
        let e = expansion(inputs)
        if let m = e.missing.first { throw FileReadError(path: m, reason: "does not exist") }
        return (e.files, e.notRead.map(\.path))
    }

    static let notCSVReason = "not a .csv file; export the data as CSV to include it"
    static let rejectsReason = "a rejects file written by adhere (the rows it refused), not an export; to read it back in, fix it and name it on the command line"

    /// Everything the inputs hold, read or not, with reasons.
    package static func expansion(_ inputs: [String]) -> Expansion {
        var e = Expansion()
        var result: [String] = []
        for input in inputs {
            var st = stat()
            guard stat(input, &st) == 0 else {
                let err = errno
                if err == ENOENT && lstat(input, &st) != 0 { e.missing.append(input) } else { e.unreadable.append(NotRead(path: input, reason: linkProblem(err))) }
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                var found: [String] = []
                var walker = FolderWalker()
                walker.walk(input, st, into: &found, &e)
                result += found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            case S_IFREG:
                result.append(input)  // named on the command line: read, even a rejects file
            default:
                e.unreadable.append(NotRead(path: input, reason: specialFile(st.st_mode)))
            }
        }
        var seen = Set<String>()
        e.files = result.filter { seen.insert($0).inserted }
        e.notRead.sort { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        return e
    }

    /// Why a path that is not a regular file or folder is not read.
    static func specialFile(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "is a named pipe (FIFO), not a file; it is never opened (reading it could wait forever)"
        case S_IFCHR, S_IFBLK: return "is a device, not a file; it is not read"
        case S_IFSOCK: return "is a socket, not a file; it is not read"
        default: return "is not a regular file; it is not read"
        }
    }

    /// Why `stat` failed on a path that exists as a name (a link loop, a broken link, no access).
    static func linkProblem(_ err: Int32) -> String {
        switch err {
        case ELOOP: return "is a symbolic link loop (it leads back to itself); it is not read"
        case ENOENT: return "is a symbolic link to nothing (its target is gone); it is not read"
        default: return "cannot be looked at (\(String(cString: strerror(err)))); it is not read"
        }
    }

    /// Whether a file's first line is the rejects file's header.
    static func hasRejectsHeader(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return false }
        var head = Array(buffer[0..<n])
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        let line = head.prefix { $0 != 0x0A && $0 != 0x0D }
        let fields = String(decoding: line, as: UTF8.self).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return RejectsFormat.isRejectsHeader(fields)
    }

    /// A recursive walk of one input folder that never follows a link back into a folder it
    /// is inside of.
    struct FolderWalker {
        struct FolderID: Hashable { let device: UInt64; let inode: UInt64 }
        /// Folders on the way down to the current one (a link to one of them is a loop).
        var ancestors = Set<FolderID>()
        /// Every folder listed (a second link to one is not read twice).
        var listed = Set<FolderID>()

        mutating func walk(_ folder: String, _ st: stat, into found: inout [String], _ e: inout Expansion) {
            let id = FolderID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            ancestors.insert(id)
            listed.insert(id)
            defer { ancestors.remove(id) }
            guard let dir = opendir(folder) else {
                e.unreadable.append(NotRead(path: folder, reason: "is a folder that cannot be read (\(String(cString: strerror(errno)))); the files in it are not read"))
                return
            }
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                if name.hasPrefix(".") { continue }
                names.append(name)
            }
            closedir(dir)
            for name in names.sorted() {
                let full = (folder as NSString).appendingPathComponent(name)
                let isCSV = name.lowercased().hasSuffix(".csv")
                var sub = stat()
                guard stat(full, &sub) == 0 else {
                    let err = errno
                    var link = stat()
                    // A link that leads nowhere or in a circle: said when it could be an export or a folder.
                    if lstat(full, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK, isCSV || err == ELOOP {
                        e.unreadable.append(NotRead(path: full, reason: InputFiles.linkProblem(err)))
                    } else if isCSV {
                        e.unreadable.append(NotRead(path: full, reason: InputFiles.linkProblem(err)))
                    }
                    continue
                }
                switch sub.st_mode & S_IFMT {
                case S_IFDIR:
                    let subID = FolderID(device: UInt64(sub.st_dev), inode: UInt64(sub.st_ino))
                    if ancestors.contains(subID) {
                        e.unreadable.append(NotRead(path: full, reason: "is a symbolic link loop (it leads back into a folder being read); it is not followed"))
                    } else if listed.contains(subID) {
                        e.notRead.append(NotRead(path: full, reason: "a link to a folder already read; its files are read once"))
                    } else {
                        walk(full, sub, into: &found, &e)
                    }
                case S_IFREG:
                    if isCSV {
                        if RejectsFormat.isRejectsFileName(name) || InputFiles.hasRejectsHeader(full) {
                            e.notRead.append(NotRead(path: full, reason: InputFiles.rejectsReason))
                        } else {
                            found.append(full)
                        }
                    } else if InputFiles.noticed.contains((name as NSString).pathExtension.lowercased()) {
                        e.notRead.append(NotRead(path: full, reason: InputFiles.notCSVReason))
                    }
                default:
                    if isCSV { e.unreadable.append(NotRead(path: full, reason: InputFiles.specialFile(sub.st_mode))) }
                }
            }
        }
    }
}

extension IngestResult {
    /// Records inputs that could not be read at all (special files, unlistable folders, link
    /// loops) as files that failed, so they are named in Data issues and make the run partial.
    package mutating func addUnreadable(_ inputs: [InputFiles.NotRead]) {
        for u in inputs {
            var summary = InputFileSummary(path: u.path)
            summary.error = .unreadable(file: u.path, reason: u.reason)
            files.append(summary)
        }
    }
}
