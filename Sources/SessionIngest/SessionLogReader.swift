import AdherenceAnalysis
import ParallelWork
#if canImport(Glibc)
import Glibc
#endif

/// Reads session-log CSV files into validated entries, streaming each file once.
///
/// Files are parsed in parallel (one worker per core), a large file in parts on all cores
/// (``FileParts``), each file put together as soon as its parts are read, then merged in the
/// order given, so the result, duplicates included, is the same as reading them one after
/// another. Every row ends up in exactly one place: accepted, dropped as a duplicate, or
/// rejected with its file, line, reason and raw text.
public final class SessionLogReader {
    public let options: IngestOptions
    /// Bytes per part of a large file (tests set it small to cut small files into many parts).
    var partBytes = FileParts.partBytes
    /// Files read in parts that were read again whole, their parts not fitting or the file
    /// not hashed (the tests check that a cut file's parts fit: the whole read would give the
    /// same result).
    private(set) var filesReadAgain = 0

    public init(options: IngestOptions) {
        self.options = options
    }

    /// Work for one thread: a file, or a part of one with the day/month order its parts share.
    private struct Job: Sendable {
        var part: FilePart
        var orders: DateOrderOnce?
    }

    /// Reads every file; a file that cannot be used is recorded with its error and the others
    /// are still read.
    public func read(files: [String]) -> IngestResult {
        let options = self.options
        // A one-patient read: files indexed and unchanged since are read where the patient's rows are.
        let patient = options.onlyPatient.map { Array($0.utf8) }
        let indexed = files.enumerated().map { i, path -> FilePart? in
            guard let index = options.patientIndex, let patient, !options.listOtherPatients else { return nil }
            if let part = index.part(for: path, fileNumber: i, patient: patient, options: options) { return part }
            index.noteRead(path)
            return nil
        }
        let plans = files.enumerated().map { i, path -> [FilePart]? in
            if indexed[i] != nil { return nil }
            // A large old export kept in the history cache is one job, which takes it from there.
            if options.historyCache?.mayServe(path, options: options) == true { return nil }
            let parts = FileParts.plan(path: path, fileNumber: i, options: options, partBytes: partBytes)
            if parts != nil { options.historyCache?.noteRead(path) }
            return parts
        }
        var parsed: [ParsedFile] = []
        var readAgain = Set<Int>()
        let parseAll = { (parsed, readAgain) = self.parse(files, plans, indexed) }
        // A file read in parts is hashed apart from its parts, on a thread of its own.
        let hashed = options.computeDigests ? files.indices.filter { plans[$0] != nil } : []
        var digests: [String?] = []
        if hashed.isEmpty { parseAll() } else {
            let opened = hashed.map { plans[$0]?.first?.file }
            digests = ParallelMap.alongside({ hashed.indices.map { SessionLogReader.digest(files[hashed[$0]], opened[$0], options) } }, parseAll)
        }
        for (k, i) in hashed.enumerated() where !readAgain.contains(i) {
            if let sha = digests[k] { parsed[i].summary.sha256 = sha } else {
                // Could not be hashed: a whole read says why.
                parsed[i] = readWhole(files[i], fileNumber: i)
                readAgain.insert(i)
            }
        }
        filesReadAgain += readAgain.count
        // A file read in parts is kept once its digest is in (a whole file is kept as it is read).
        for i in files.indices where plans[i] != nil && !readAgain.contains(i) {
            options.historyCache?.keep(parsed[i], options: options)
        }
        var result = merge(&parsed)
        result.checkedFrom = options.dayOnlyBefore
        return result
    }

    /// Every file read, in order: a large one in parts on all cores, put together as soon as
    /// its parts are read, so that only a few parts are ever held apart from their file; and
    /// the files read again whole because their parts did not fit.
    private func parse(_ files: [String], _ plans: [[FilePart]?], _ indexed: [FilePart?]) -> (files: [ParsedFile], readAgain: Set<Int>) {
        let options = self.options
        var jobs: [Job] = []
        for (i, path) in files.enumerated() {
            if let parts = plans[i] {
                let orders = DateOrderOnce()
                jobs += parts.map { Job(part: $0, orders: orders) }
            } else {
                jobs.append(Job(part: indexed[i] ?? FilePart(path: path, fileNumber: i)))
            }
        }
        var parsed: [ParsedFile] = []
        var readAgain = Set<Int>()
        var join: FileJoin?
        ParallelMap.forEachInOrder(jobs, ahead: 4 * ParallelMap.threads) { job in
            // An old export unchanged since an earlier run, wholly before what this read keeps.
            if let kept = options.historyCache?.contribution(job.part, options: options) { return kept }
            var parser = FileParser(options: options)
            parser.fileNumber = job.part.fileNumber
            parser.dateOrders = job.orders
            return parser.parse(job.part)
        } consume: { k, file in
            let part = jobs[k].part
            guard let plan = plans[part.fileNumber] else {
                if part.ranges != nil && (!file.rejects.isEmpty || file.summary.error != nil) {
                    // Read through the patient index, its lines count the ranges' lines: a
                    // rejected row is said with its line in the file, so the file is read whole;
                    // and so is a file that changed before its ranges were read, or failed (a
                    // whole read says why).
                    options.patientIndex?.readInFullAfterAll()
                    parsed.append(readWhole(part.path, fileNumber: part.fileNumber))
                    return
                }
                let whole = finished(file)
                options.historyCache?.keep(whole, options: options)
                options.patientIndex?.keep(whole)
                parsed.append(whole)
                return
            }
            if part.index == 0 { join = FileJoin(first: file, parts: plan.count) } else { join?.add(file) }
            guard let whole = join, whole.isComplete else { return }
            join = nil
            if let joined = whole.finish() {
                options.patientIndex?.keep(joined)
                parsed.append(finished(joined))
            } else {
                // The parts do not fit: what a whole read says is what the file yields.
                let again = readWhole(part.path, fileNumber: part.fileNumber)
                options.patientIndex?.keep(again)
                parsed.append(again)
                readAgain.insert(part.fileNumber)
            }
        }
        return (parsed, readAgain)
    }

    /// A file read in one go, on the calling thread, finished.
    private func readWhole(_ path: String, fileNumber: Int) -> ParsedFile {
        var parser = FileParser(options: options)
        parser.fileNumber = fileNumber
        return finished(parser.parse(path))
    }

    /// The file with what its summary says once all of it is read (``FileParts/finish(_:options:)``).
    private func finished(_ file: ParsedFile) -> ParsedFile {
        var file = file
        FileParts.finish(&file, options: options)
        return file
    }

    /// The SHA-256 of a file read in parts, as its parts read it (`opened`), or the one kept
    /// from an earlier run while the file is unchanged; nil when it cannot be read.
    private static func digest(_ path: String, _ opened: FileBytes?, _ options: IngestOptions) -> String? {
        let kept = options.digests?.lookUp(path)
        // A digest kept for the path stands for the file opened, and one is kept for the path,
        // only while the path still names that file (not a version renamed over it since).
        let named = opened.map { file in
            var st = stat()
            return fstat(file.descriptor, &st) == 0 && DigestIndex.Stamp(st) == kept?.stamp
        } ?? true
        if named, let sha = kept?.sha { return sha }
        guard let sha = try? opened.map(FileParts.sha256(file:)) ?? FileParts.sha256(path: path) else { return nil }
        if named { options.digests?.keep(path, before: kept?.stamp, sha: sha) }
        return sha
    }

    /// The files merged in order: duplicates dropped (across files, and in each), patients by
    /// id, each file's rows freed as soon as they are merged.
    private func merge(_ parsed: inout [ParsedFile]) -> IngestResult {
        // Every file's blocks, in order: the lists the duplicates are found in.
        var repeated = DuplicateFinder.duplicates(parsed.flatMap { $0.blocks.map(\.prints) })
        var merger = Merger(keepEntries: options.keepEntries, keepEntryDays: options.keepEntryDays)
        let history = options.historyFrom.map { HistoryStore(first: max($0, options.span.first - HistoryRow.maxDays)) }
        // Each patient's history rows: (block, slot) per block holding some, in file order.
        var historyParts: [[HistoryPart]] = []
        var blockFiles: [Int] = []
        if let history {
            // Each block's history rows (ordered by patient when read) moved to the store.
            for i in parsed.indices {
                for b in parsed[i].blocks.indices {
                    history.rows.append(parsed[i].blocks[b].history)
                    history.starts.append(parsed[i].blocks[b].historyStarts)
                    parsed[i].blocks[b].history = []
                    blockFiles.append(i)
                }
            }
        }
        var first = 0
        for i in parsed.indices {
            let blocks = first..<first + parsed[i].blocks.count
            for b in parsed[i].blocks.indices { parsed[i].blocks[b].prints = FingerprintList() }
            let local = merger.add(parsed[i], repeated: repeated[blocks])
            if let history {
                for (b, block) in zip(blocks, parsed[i].blocks) {
                    let starts = history.starts[b]
                    for (slot, g) in block.patients(fileLocal: local).enumerated() where starts[slot + 1] > starts[slot] {
                        while historyParts.count <= g { historyParts.append([]) }
                        historyParts[g].append(HistoryPart(block: Int32(b), slot: Int32(slot)))
                    }
                }
            }
            parsed[i].blocks = []  // each file's rows are freed as soon as they are merged
            for b in blocks { repeated[b] = [] }
            first = blocks.upperBound
        }
        if let history {
            // Rows repeated across files (or in one) count once, as in the span.
            for (b, n) in history.dropDuplicates(historyParts).enumerated() where n > 0 {
                merger.files[blockFiles[b]].duplicates += n
                merger.files[blockFiles[b]].accepted -= n
            }
            for (g, parts) in historyParts.enumerated() where !parts.isEmpty {
                merger.patients[g].log.history = PatientHistory(store: history, parts: parts)
            }
        }
        return merger.result()
    }
}
