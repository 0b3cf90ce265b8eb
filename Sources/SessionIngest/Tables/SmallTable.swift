/// A small settings CSV (the plans file, a catalog file) read whole as text: its header and
/// its rows with their line numbers, read the way session logs are (any separator, BOM,
/// UTF-16 or Windows-1252), with the file's SHA-256.
struct SmallTable {
    let headers: [String]
    let rows: [(line: Int, fields: [String])]
    let sha256: String

    static func read(path: String) throws -> SmallTable {
        let input = try InputSource(path: path, hashing: true, encoding: nil)
        let reader = CSVRecordReader(source: input.source)
        let head = try reader.peek(4096)
        if head.isEmpty { throw IngestError.empty(file: path) }
        if let kind = InputSniffing.binaryKind(head) { throw IngestError.notCSV(file: path, looksLike: kind) }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { try reader.skip(3) }
        reader.separator = InputSniffing.separator(head)
        func fields() -> [String] {
            (0..<reader.fieldCount).map { i in reader.withField(i) { TextDecoding.text(FieldParsing.trimmed($0)).0 } }
        }
        guard try reader.next() else { throw IngestError.empty(file: path) }
        let headers = fields()
        reader.expectedFields = headers.count
        var rows: [(line: Int, fields: [String])] = []
        while try reader.next() { rows.append((reader.line, fields())) }
        return SmallTable(headers: headers, rows: rows, sha256: input.sha256 ?? "")
    }
}
