import AdherenceAnalysis
import ParallelWork

/// Reads session-log CSV files into validated entries, streaming each file once.
///
/// Files are parsed in parallel (one worker per core), a large file in parts on all cores
/// (``FileParts``), then merged in the order given, so the result, duplicates included, is
/// the same as reading them one after another. Every row ends up in exactly one place:
/// accepted, dropped as a duplicate, or rejected with its file, line, reason and raw text.
public final class SessionLogReader {
    public let options: IngestOptions
    /// Bytes per part of a large file (tests set it small to cut small files into many parts).
    var partBytes = FileParts.partBytes

    public init(options: IngestOptions) {
        self.options = options
    }

    /// Work for one thread: a file or a part of one, or the SHA-256 of a file read in parts.
    private enum Job: Sendable {
        case read(FilePart, DateOrderOnce?)
        case hash(String)
    }

    private enum Done {
        case read(ParsedFile)
        case hash(String?)
    }

    /// Reads every file; a file that cannot be used is recorded with its error and the others
    /// are still read.
    public func read(files: [String]) -> IngestResult {
        let options = self.options
        let plans = files.enumerated().map {
            FileParts.plan(path: $0.element, fileNumber: $0.offset, options: options, partBytes: partBytes)
        }
        var jobs: [Job] = []
        for (i, path) in files.enumerated() {
            if let parts = plans[i] {
                if options.computeDigests { jobs.append(.hash(path)) }
                let orders = DateOrderOnce()
                jobs += parts.map { .read($0, orders) }
            } else {
                jobs.append(.read(FilePart(path: path, fileNumber: i), nil))
            }
        }
        var done = ParallelMap.map(jobs) { job -> Done in
            switch job {
            case .read(let part, let orders):
                if let kept = options.historyCache?.contribution(part, options: options) { return .read(kept) }
                var parser = FileParser(options: options)
                parser.fileNumber = part.fileNumber
                parser.dateOrders = orders
                return .read(parser.parse(part))
            case .hash(let path):
                let kept = options.digests?.lookUp(path)
                if let sha = kept?.sha { return .hash(sha) }
                guard let sha = try? FileParts.sha256(path: path) else { return .hash(nil) }
                options.digests?.keep(path, before: kept?.stamp, sha: sha)
                return .hash(sha)
            }
        }
        // Each file's parts, in order, put together.
        var parsed: [ParsedFile] = []
        var next = 0
        for (i, path) in files.enumerated() {
            var digest: String?
            if plans[i] != nil && options.computeDigests {
                if case .hash(let h) = done[next] { digest = h }
                next += 1
            }
            let count = plans[i]?.count ?? 1
            var parts: [ParsedFile] = []
            for k in next..<next + count {
                if case .read(let p) = done[k] { parts.append(p) }
                done[k] = .hash(nil)  // freed as soon as taken
            }
            next += count
            var file: ParsedFile
            if let plan = plans[i] {
                if let joined = FileParts.join(&parts, plan), !(options.computeDigests && digest == nil) {
                    file = joined
                    file.summary.sha256 = digest ?? ""
                } else {
                    // A part failed or did not fit: the file read again whole says what a whole read says.
                    var parser = FileParser(options: options)
                    parser.fileNumber = i
                    file = parser.parse(path)
                }
            } else {
                file = parts[0]
            }
            FileParts.finish(&file, options: options)
            if plans[i] == nil { options.historyCache?.keep(file, options: options) }
            parsed.append(file)
        }
        var repeated = DuplicateFinder.duplicates(parsed.map(\.keptFingerprints))
        var merger = Merger(keepEntries: options.keepEntries, keepEntryDays: options.keepEntryDays)
        // Each patient's history rows: (file, slot) per file holding some, in file order.
        var historyParts: [[HistoryPart]] = []
        let history = options.historyFrom.map { HistoryStore(first: max($0, options.span.first - HistoryRow.maxDays)) }
        if let history {
            // Each file's history rows ordered by patient (in place, one file at a time).
            for i in parsed.indices {
                let starts = parsed[i].historyStarts.isEmpty
                    ? HistoryRow.byPatient(&parsed[i].history, patients: parsed[i].patients.count) : parsed[i].historyStarts
                history.rows.append(parsed[i].history)
                history.starts.append(starts)
                parsed[i].history = []
            }
        }
        for i in parsed.indices {
            parsed[i].keptFingerprints = []
            let local = merger.add(parsed[i], repeated: repeated[i])
            parsed[i].kept = []  // each file's rows are freed as soon as they are merged
            parsed[i].rightSides = []
            repeated[i] = []
            if let history {
                let starts = history.starts[i]
                for (slot, g) in local.enumerated() where starts[slot + 1] > starts[slot] {
                    while historyParts.count <= g { historyParts.append([]) }
                    historyParts[g].append(HistoryPart(file: Int32(i), slot: Int32(slot)))
                }
            }
        }
        if let history {
            // Rows repeated across files (or in one) count once, as in the span.
            for (i, n) in history.dropDuplicates(historyParts).enumerated() where n > 0 {
                merger.files[i].duplicates += n
                merger.files[i].accepted -= n
            }
            for (g, parts) in historyParts.enumerated() where !parts.isEmpty {
                merger.patients[g].log.history = PatientHistory(store: history, parts: parts)
            }
        }
        return merger.result()
    }
}
