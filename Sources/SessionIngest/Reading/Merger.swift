import AdherenceAnalysis
import Foundation

/// Which row of which file: orders values that tie on the day (later rows win).
struct RowOrder: Comparable {
    var day: Day
    var file: Int
    var row: Int
    static func < (a: RowOrder, b: RowOrder) -> Bool { (a.day, a.file, a.row) < (b.day, b.file, b.row) }
}

/// What one file yields before it is merged with the others.
struct ParsedFile {
    var summary: InputFileSummary
    var rejects: [RejectedRow] = []
    var patients: [LocalPatient] = []
    var strings: [String] = []
    var unknown: [String: UnknownName] = [:]
    var namesSeen: [String] = []
    var rowsAfterAsOf = 0
    /// The latest day of an accepted row, after the as-of date too (the earliest day when
    /// none): it tells ``HistoryCache`` whether a file's rows are all before what a read keeps.
    /// A large file's parts keep each their own, and the joined file the latest of them.
    var lastDay = Day(raw: .min)
    /// The rows kept, in file order: one block for a file read in one go, one per part, in
    /// order, for a file read in parts; a block with no row is left out (and a file that
    /// cannot be used has none).
    var blocks: [RowBlock] = []
    var otherPatientIDs: [String] = []
    /// What a part of a file leaves for ``FileJoin``.
    var part = PartInfo()
    /// Where each patient's rows are, when the file was read for ``PatientIndex``.
    var patientRanges: PatientRanges?
}

/// The rows kept from a file, or from one part of a large file. A file read in parts keeps its
/// parts' blocks as they are: copied into one array, a large file's rows would be held twice.
struct RowBlock {
    /// Accepted rows inside the span, in file order: checked for duplicates when merged.
    var prints = FingerprintList()
    /// The entries of those rows (left empty when entries are not kept).
    var kept: [KeptRow] = []
    /// The right sides of rows written with left and right reps columns, by the index of their
    /// kept row (which holds the left), in order. Apart, so other exports' rows stay small.
    var rightSides: [(row: Int, entry: Entry)] = []
    /// Accepted rows of the history days (``IngestOptions/historyFrom``), compact, in file
    /// order until ordered by patient once the block is read (``historyStarts``).
    var history: [HistoryRow] = []
    var historyStarts: [Int32] = []
    /// The file's patient slot of each of the block's (the rows' `patient`); empty when the
    /// block's slots are the file's (a file read in one go).
    var fileSlots: [Int32] = []

    /// No row kept: the block can be left out.
    var isEmpty: Bool { prints.isEmpty && kept.isEmpty && history.isEmpty }

    /// The merged patient of each of the block's slots, given the merged patient of each of
    /// the file's.
    func patients(fileLocal: [Int]) -> [Int] {
        fileSlots.isEmpty ? fileLocal : fileSlots.map { fileLocal[Int($0)] }
    }
}

/// What one part of a file knows about the file once read.
struct PartInfo {
    var header: FileHeader?
    /// Physical lines read (the header's included in the first part).
    var lines = 0
    /// The byte offset in the file where the part's reading began (0: the file's start).
    var start = 0
    /// The byte offset in the file where the part's reading stopped.
    var end = 0
    var legacyText = false
    var dateFormat: String?
    /// Whether some exercise name read says its side.
    var sidesInNames = false
}

struct LocalPatient {
    var id: String
    var lastEntry: Day?
    var name: (order: RowOrder, text: Int32)?
    var therapist: (order: RowOrder, text: Int32)?
    var clinic: (order: RowOrder, text: Int32)?
    /// Notes are kept as text, not interned: only the latest is kept, and most differ.
    var note: (order: RowOrder, text: String)?
    /// Days with an accepted row up to the as-of date (when kept).
    var days = DayBits()
}

struct KeptRow {
    var patient: Int32
    var entry: Entry
}

/// Merges parsed files in order: patients by id, duplicates across files, names by recency.
struct Merger {
    /// When false (a check of the files), rows are only checked for duplicates, not kept.
    var keepEntries = true
    /// Each patient's entry days are gathered (see ``IngestOptions/keepEntryDays``).
    var keepEntryDays = false
    var index: [String: Int] = [:]
    var patients: [(log: PatientLog, name: (RowOrder, String)?, therapist: (RowOrder, String)?, clinic: (RowOrder, String)?,
                    note: (order: RowOrder, text: String)?)] = []
    var files: [InputFileSummary] = []
    var rejects: [RejectedRow] = []
    var unknown: [String: UnknownName] = [:]
    var namesSeen = Set<String>()
    var rowsAfterAsOf = 0
    var otherPatientIDs = Set<String>()

    /// Adds a file's rows; `repeated` tells, for each kept row of each of its blocks, whether
    /// it repeats an earlier row (see ``DuplicateFinder``). Returns the merged patient of each
    /// of the file's patient slots.
    @discardableResult
    mutating func add(_ file: ParsedFile, repeated: ArraySlice<[Bool]>) -> [Int] {
        var summary = file.summary
        var local: [Int] = []
        local.reserveCapacity(file.patients.count)
        for p in file.patients {
            let g: Int
            if let i = index[p.id] { g = i } else {
                g = patients.count
                index[p.id] = g
                patients.append((PatientLog(id: p.id, name: nil, therapist: nil, clinic: nil, entries: [], lastEntry: nil), nil, nil, nil, nil))
            }
            local.append(g)
            if let d = p.lastEntry, patients[g].log.lastEntry.map({ $0 < d }) ?? true { patients[g].log.lastEntry = d }
            func newer(_ current: (RowOrder, String)?, _ candidate: (order: RowOrder, text: Int32)?) -> (RowOrder, String)? {
                guard let c = candidate else { return current }
                if let cur = current, c.order < cur.0 { return current }
                return (c.order, file.strings[Int(c.text)])
            }
            patients[g].name = newer(patients[g].name, p.name)
            patients[g].therapist = newer(patients[g].therapist, p.therapist)
            patients[g].clinic = newer(patients[g].clinic, p.clinic)
            if let n = p.note, patients[g].note.map({ !(n.order < $0.order) }) ?? true { patients[g].note = n }
            if keepEntryDays {
                if patients[g].log.entryDays == nil { patients[g].log.entryDays = DayBits() }
                patients[g].log.entryDays!.formUnion(p.days)
            }
        }
        for (block, repeats) in zip(file.blocks, repeated) {
            addRows(block, repeated: repeats, patients: block.patients(fileLocal: local), to: &summary)
        }
        rejects += file.rejects
        for (k, v) in file.unknown {
            unknown[k, default: UnknownName(name: k, rows: 0, patients: [])].rows += v.rows
            unknown[k]!.patients.formUnion(v.patients)
        }
        rowsAfterAsOf += file.rowsAfterAsOf
        namesSeen.formUnion(file.namesSeen)
        otherPatientIDs.formUnion(file.otherPatientIDs)
        files.append(summary)
        return local
    }

    /// Adds a block's kept rows to their patients (`patients`: the merged patient of each of
    /// the block's slots); the repeated ones are counted as duplicates instead.
    private mutating func addRows(_ block: RowBlock, repeated: [Bool], patients slots: [Int], to summary: inout InputFileSummary) {
        guard keepEntries else {
            // Only counted (a check of the files): the repeats, a byte at a time, vectorised.
            let repeats = repeated.withUnsafeBytes { $0.reduce(0) { $0 &+ Int($1) } }
            summary.duplicates += repeats
            summary.accepted -= repeats
            return
        }
        var nextRight = 0
        for (k, isRepeat) in repeated.enumerated() {
            var right: Entry?
            if nextRight < block.rightSides.count, block.rightSides[nextRight].row == k {
                right = block.rightSides[nextRight].entry
                nextRight += 1
            }
            if !isRepeat {
                let row = block.kept[k]
                let g = slots[Int(row.patient)]
                patients[g].log.entries.append(row.entry)
                if let right { patients[g].log.entries.append(right) }
            } else {
                summary.duplicates += 1
                summary.accepted -= 1
            }
        }
    }

    func result() -> IngestResult {
        let logs = patients.map { p -> PatientLog in
            var log = p.log
            log.name = p.name?.1
            log.therapist = p.therapist?.1
            log.clinic = p.clinic?.1
            log.latestNote = p.note.map { Note(day: $0.order.day, text: $0.text) }
            return log
        }
        let unknownList = unknown.values
            .sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.name < $1.name }
        return IngestResult(patients: logs, files: files, rejects: rejects,
                            unknownExercises: unknownList, rowsAfterAsOf: rowsAfterAsOf,
                            exerciseNamesSeen: namesSeen.sorted(), otherPatientIDs: otherPatientIDs.sorted())
    }
}
