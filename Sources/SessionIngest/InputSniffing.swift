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
        var dayFirst: String?, monthFirst: String?, example: String?
        while try reader.next() {
            guard column < reader.fieldCount else { continue }
            reader.withField(column) { f in
                let t = FieldParsing.trimmed(f)
                guard t.contains(UInt8(ascii: "/")) else { return }
                let parts = t.split(separator: UInt8(ascii: "/"), maxSplits: 2)
                guard parts.count == 3, let a = FieldParsing.wholeNumber(UnsafeBufferPointer(rebasing: parts[0])),
                      let b = FieldParsing.wholeNumber(UnsafeBufferPointer(rebasing: parts[1])) else { return }
                let text = String(decoding: t, as: UTF8.self)
                if example == nil { example = text }
                if a > 12 && b <= 12 && dayFirst == nil { dayFirst = text }
                if b > 12 && a <= 12 && monthFirst == nil { monthFirst = text }
            }
            if dayFirst != nil && monthFirst != nil { break }
        }
        switch (dayFirst, monthFirst) {
        case let (d?, m?): throw IngestError.conflictingDates(file: path, column: columnName, dayFirst: d, monthFirst: m)
        case (.some, nil): return .dayFirst
        case (nil, .some): return .monthFirst
        case (nil, nil): throw IngestError.ambiguousDates(file: path, column: columnName, example: example ?? "?")
        }
    }
}

/// Turns the command line's inputs (files and folders) into the list of files to read.
public enum InputFiles {
    /// Files as given; folders expanded to every `*.csv` inside (recursively, hidden files
    /// skipped), sorted by path so the order is stable.
    public static func expand(_ inputs: [String]) throws -> [String] {
        try expandNotingIgnored(inputs).files
    }

    /// Like ``expandNotingIgnored(_:)``, but inputs that do not exist are collected in
    /// `missing` instead of stopping everything (an unmounted share must not stop the rest).
    public static func expandNotingIgnored(_ inputs: [String], missing: inout [String]) throws -> (files: [String], ignored: [String]) {
        let present = inputs.filter { FileManager.default.fileExists(atPath: $0) }
        missing = inputs.filter { !FileManager.default.fileExists(atPath: $0) }
        return try expandNotingIgnored(present)
    }

    /// Extensions of files people drop into an export folder by mistake: named so the admin
    /// learns why they were not read.
    static let noticed: Set<String> = ["xlsx", "xls", "xlsm", "ods", "numbers", "pdf", "tsv", "txt", "zip"]

    /// Like ``expand(_:)``, and also the files inside folders that were not read because they
    /// are not `.csv` but look like exports (a workbook, a PDF, a text file).
    public static func expandNotingIgnored(_ inputs: [String]) throws -> (files: [String], ignored: [String]) {
        var ignored: [String] = []
        var result: [String] = []
        let fm = FileManager.default
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                throw FileReadError(path: input, reason: "does not exist")
            }
            if !isDir.boolValue { result.append(input); continue }
            guard let walker = fm.enumerator(atPath: input) else {
                throw FileReadError(path: input, reason: "folder cannot be read")
            }
            var found: [String] = []
            while let rel = walker.nextObject() as? String {
                let name = (rel as NSString).lastPathComponent
                if name.hasPrefix(".") { continue }
                let full = (input as NSString).appendingPathComponent(rel)
                if name.lowercased().hasSuffix(".csv") {
                    var d: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue { found.append(full) }
                } else if noticed.contains((name as NSString).pathExtension.lowercased()) {
                    ignored.append(full)
                }
            }
            result += found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        var unique: [String] = []
        var seen = Set<String>()
        for f in result where seen.insert(f).inserted { unique.append(f) }
        return (unique, ignored.sorted())
    }
}
