import AdherenceAnalysis
import Crypto
import Foundation

/// What a cached contribution was read with (``HistoryCache``): a SHA-256 over the cache's
/// format version, the program's build, and every option that changes what a file's bytes
/// yield, so that a contribution is used only by a run that would read the same from them.
///
/// The options, from what ``FileParser``, ``FileHeader``, ``RowValidator``, ``ExerciseNames``
/// and ``InputSource`` use: the catalog (every exercise's key, names, aliases and defaults, the
/// volume exercise, the names settled as not in the programme), the day/month order, the
/// separator, the mapped header names, the time zone (by identifier: a change of the system's
/// zone rules for past dates, which is rare, is not seen until the next build), the encoding, whether
/// entries, entry days and digests are kept, whether old rows are checked in full, and the one patient of a one-patient read (never
/// cached, here for completeness). The window (span, as-of date, history days) is not in the
/// key: a contribution is stored only when every accepted row was before the first day the
/// read keeps and not after its as-of date, and used only when that still holds, and then
/// the window changes nothing of it (see ``HistoryCache``).
///
/// The build is the running executable's identity (device, inode, size, times): a new build
/// reads every file again once, so a change to the rules (``ExerciseNameRules``, a reject
/// reason's words, a notice) cannot meet contributions of the old rules. No executable to
/// stat, no key, no cache.
enum CacheKey {
    static func of(_ options: IngestOptions) -> [UInt8]? {
        guard let build = buildStamp() else { return nil }
        var w = ByteWriter()
        w.count(Int(HistoryCache.formatVersion))
        w.string(build.text)
        writeCatalog(options.catalog, &w)
        w.optional(options.dateOrder) { $0.string($1.rawValue) }
        w.optional(options.separator) { $0.byte($1) }
        let columns = options.extraColumns.sorted { $0.key < $1.key }
        w.count(columns.count)
        for (name, column) in columns {
            w.string(name)
            w.string(column.rawValue)
        }
        w.optional(options.timeZone) { $0.string($1.identifier) }
        w.optional(options.encoding) { $0.string($1.rawValue) }
        for flag in [options.keepEntries, options.keepEntryDays, options.computeDigests, options.checkOldRows] { w.bool(flag) }
        w.optional(options.onlyPatient) { $0.string($1) }
        return Array(SHA256.hash(data: w.bytes))
    }

    private static func writeCatalog(_ catalog: ExerciseCatalog, _ w: inout ByteWriter) {
        w.count(catalog.exercises.count)
        for e in catalog.exercises {
            w.string(e.key)
            w.string(e.displayName)
            w.strings(e.aliases)
            w.optional(e.defaultRepsPerSide) { $0.int($1) }
            w.optional(e.defaultHoldCentis) { $0.int($1) }
            w.bool(e.inDefaultProtocol)
        }
        w.optional(catalog.volumeExercise) { $0.int($1) }
        w.strings(catalog.notInProgrammeNames)
    }

    /// The running executable's stamp (Linux: `/proc/self/exe`, followed to the file).
    private static func buildStamp() -> DigestIndex.Stamp? {
        DigestIndex.Stamp.of("/proc/self/exe") ?? Bundle.main.executablePath.flatMap(DigestIndex.Stamp.of)
    }
}
