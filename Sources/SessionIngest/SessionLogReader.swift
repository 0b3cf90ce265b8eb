import AdherenceAnalysis
import ParallelWork

/// Reads session-log CSV files into validated entries, streaming each file once.
///
/// Files are parsed in parallel (one worker per core), then merged in the order given, so
/// the result, duplicates included, is the same as reading them one after another.
/// Every row ends up in exactly one place: accepted, dropped as a duplicate, or rejected
/// with its file, line, reason and raw text.
public final class SessionLogReader {
    public let options: IngestOptions

    public init(options: IngestOptions) {
        self.options = options
    }

    /// Reads every file; a file that cannot be used is recorded with its error and the others
    /// are still read.
    public func read(files: [String]) -> IngestResult {
        let options = self.options
        var parsed = ParallelMap.map(Array(files.enumerated())) { item in
            var parser = FileParser(options: options)
            parser.fileNumber = item.offset
            return parser.parse(item.element)
        }
        var repeated = DuplicateFinder.duplicates(parsed.map(\.keptFingerprints))
        var merger = Merger(keepEntries: options.keepEntries)
        for i in parsed.indices {
            parsed[i].keptFingerprints = []
            merger.add(parsed[i], repeated: repeated[i])
            parsed[i].kept = []  // each file's rows are freed as soon as they are merged
            parsed[i].rightSides = []
            repeated[i] = []
        }
        return merger.result()
    }
}
