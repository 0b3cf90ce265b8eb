import AdherenceAnalysis
import Foundation

/// A session row that meets every rule: the values an entry is made of.
struct ValidRow {
    var date = ParsedDate(day: Day(raw: 0))
    var exercise = ExerciseLookup(id: nil, name: 0, print: RowFingerprint(), unknown: false, side: nil)
    var side = Side.both
    var sets = 1
    /// The set's number in a one-row-per-set export, else 0.
    var setNumber = 0
    /// Reps per set (-2 for a row logged as done, 0 for not done).
    var repsPerSet = 0
    /// Sets x reps, or the sets of a row logged as done.
    var total = 0
    /// The right side's sets x reps of a row with left and right reps columns (the row then
    /// holds the left side).
    var rightReps: Int?
    /// Whether the row was logged as done instead of with reps.
    var done = false
    var holdCentis: Int?
    var painCentis: Int?
    /// What the values above add to the row's fingerprint (``RowFingerprint/values(of:)``),
    /// worked out with them (and kept with them in the ``ValueMemo``).
    var valuesPrint = RowFingerprint()
}

/// Checks a session row's fields against the rules, field by field in a fixed order, and
/// returns the row's values or the first rule it breaks.
///
/// It does no I/O: when a slash date needs the file's day/month order, it says so and the
/// caller works the order out from the file and asks again. It keeps the last date read and
/// every exercise spelling read, since rows of one sitting repeat them.
struct RowValidator {
    let options: IngestOptions
    let columns: ColumnIndexes
    /// Where exercise names are interned.
    let strings: StringTable
    var exercises = ExerciseNames()
    private var dateCache = LastValueCache()
    private var lastDate: ParsedDate?
    /// The values of the value columns' spellings read (most rows repeat one).
    private var memo: ValueMemo

    init(options: IngestOptions, columns: ColumnIndexes, strings: StringTable) {
        self.options = options
        self.columns = columns
        self.strings = strings
        memo = ValueMemo(columns)
    }

    enum Verdict {
        /// The row meets every rule; its values are in the row given.
        case valid
        case rejected(RejectReason)
        /// A slash date was met before the file's day/month order was known.
        case needsDateOrder
    }

    /// The common case, settled inline: well quoted, the header's number of fields, no field
    /// long enough to need counting (``shapeProblem`` then has nothing to say).
    @inline(__always)
    static func plainShape(_ r: CSVRecordReader, headerCount: Int) -> Bool {
        r.fieldCount == headerCount && r.longestField <= 32_767 && r.malformed == nil
    }

    /// The record's shape: readable quoting, the header's number of fields (extra empty
    /// fields allowed), and no field but notes longer than a cell.
    ///
    /// Static, with only what it needs: a method on the validator (which holds the options)
    /// would copy it for every row.
    static func shapeProblem(_ r: CSVRecordReader, headerCount: Int, notes: Int?, encoding: TextEncoding?) -> RejectReason? {
        if let problem = r.malformed { return .malformed(problem: problem) }
        if r.fieldCount != headerCount {
            var extraEmpty = r.fieldCount > headerCount
            if extraEmpty {
                for i in headerCount..<r.fieldCount where FieldParsing.trimmed(r.field(i)).count > 0 {
                    extraEmpty = false
                }
            }
            if !extraEmpty { return .wrongFieldCount(expected: headerCount, found: r.fieldCount) }
        }
        // Notes are exempt (only the latest is shown, as text), so only the other fields must fit in a cell.
        for i in 0..<(r.longestField > 32_767 ? r.fieldCount : 0) where i != notes && r.field(i).count > 32_767 {
            // Counted as a spreadsheet counts them: UTF-16 code units (never more than the
            // field's bytes, so shorter fields are settled by their byte count).
            let chars = TextDecoding.decode(r.field(i), encoding).0.utf16.count
            if chars > 32_767 { return .fieldTooLong(characters: chars) }
        }
        return nil
    }

    /// The first rule the row breaks, or `.valid` with the row's values written to `v` (filled
    /// in place: a row is checked millions of times, and a value this size returned in an
    /// enum is copied at every step). `knownID` says the id field holds the bytes of the
    /// previous row's id (already checked).
    mutating func validate(_ r: CSVRecordReader, knownID: Bool, _ ctx: inout RowContext, into v: inout ValidRow) -> Verdict {
        let dayVerdict = readDay(r, knownID: knownID, &ctx, into: &v.date)
        guard case .valid = dayVerdict else { return dayVerdict }
        return readValues(r, &ctx, into: &v)
    }

    /// The rules of ``validate`` after the patient id and the date, alone: the first one the
    /// row's other fields break, or `.valid` with their values written to `v` (its date left as
    /// it is). For a row whose id and date are those of a row just read (one sitting's rows).
    @inline(__always)
    mutating func readValues(_ r: CSVRecordReader, _ ctx: inout RowContext, into v: inout ValidRow) -> Verdict {
        // The value columns as a row before them wrote them: the same values.
        let key = r.span(from: memo.first, through: memo.last)
        if let key, memo.find(key, into: &v) { return .valid }

        // Exercise.
        let name = FieldParsing.trimmed(r.field(columns.exercise))
        if name.count == 0 { return .rejected(.missingExercise) }
        let ex = exercises.lookup(name, catalog: options.catalog, strings: strings, encoding: options.encoding)

        // Side: the side column, else the side written in the exercise name, else both.
        var side = ex.side ?? Side.both
        if let i = columns.side {
            let t = FieldParsing.trimmed(r.field(i))
            if t.count > 0 {
                guard let v = FieldParsing.side(t) ?? nil else { return .rejected(.notASide(found: text(r, i))) }
                if let named = ex.side, named != v {
                    return .rejected(.sidesDisagree(column: v, name: named, found: text(r, i)))
                }
                side = v
            }
        }

        // Sets, and the set's number in a one-row-per-set export.
        var sets = 1
        if let i = columns.sets {
            let t = FieldParsing.trimmed(r.field(i))
            if t.count > 0 {
                guard let s = FieldParsing.wholeNumber(t, decimalComma: ctx.decimalComma) else {
                    return .rejected(.notSets(found: text(r, i)))
                }
                sets = s
            }
        }
        var setNumber = 0
        if let i = columns.setNumber {
            let t = FieldParsing.trimmed(r.field(i))
            if t.count > 0 {
                guard let n = FieldParsing.wholeNumber(t, decimalComma: ctx.decimalComma), n >= 1 else {
                    return .rejected(.notSetNumber(found: text(r, i)))
                }
                setNumber = n
            }
        }

        // Reps.
        var repsPerSet = 0, total = 0
        var rightReps: Int?
        var done = false
        switch columns.reps {
        case .total(let i):
            guard case .some(let parsed) = RowValidator.reps(r, i, decimalComma: ctx.decimalComma) else {
                return .rejected(.missingReps)
            }
            guard let v = parsed else { return .rejected(.notReps(found: text(r, i))) }
            guard let t = RowValidator.total(sets, v) else { return .rejected(.tooManyReps) }
            repsPerSet = v; total = t
        case .paired(let li, let ri):
            var left: Int?, right: Int?
            for (k, index) in [li, ri].enumerated() {
                guard let i = index, case .some(let parsed) = RowValidator.reps(r, i, decimalComma: ctx.decimalComma) else { continue }
                guard let v = parsed else { return .rejected(.notReps(found: text(r, i))) }
                guard RowValidator.total(sets, v) != nil else { return .rejected(.tooManyReps) }
                if k == 0 { left = v } else { right = v }
            }
            if let l = left {
                side = .left; repsPerSet = l; total = RowValidator.total(sets, l)!
                rightReps = right.map { RowValidator.total(sets, $0)! }
            } else if let r = right {
                side = .right; repsPerSet = r; total = RowValidator.total(sets, r)!
            } else {
                return .rejected(.missingRepsEitherSide)
            }
        case .done(let i):
            guard let d = FieldParsing.done(FieldParsing.trimmed(r.field(i))) else {
                return .rejected(.notDone(found: text(r, i)))
            }
            done = d
            repsPerSet = d ? -2 : 0
            total = d ? sets : 0
        }

        // Hold and pain.
        var hold: Int?
        if let i = columns.hold {
            let t = FieldParsing.trimmed(r.field(i))
            if t.count > 0 {
                guard let h = FieldParsing.centis(t, decimalComma: ctx.decimalComma) else {
                    return .rejected(.notHold(found: text(r, i)))
                }
                hold = h
            }
        }
        var pain: Int?
        if let i = columns.pain {
            let t = FieldParsing.trimmed(r.field(i))
            if t.count > 0 {
                guard let p = FieldParsing.centisExact(t, decimalComma: ctx.decimalComma),
                      p.value < 1000 || (p.value == 1000 && p.exact) else {
                    return .rejected(.notPain(found: text(r, i)))
                }
                pain = p.value
            }
        }
        v.exercise = ex; v.side = side; v.sets = sets; v.setNumber = setNumber
        v.repsPerSet = repsPerSet; v.total = total; v.rightReps = rightReps; v.done = done
        v.holdCentis = hold; v.painCentis = pain
        v.valuesPrint = RowFingerprint.values(of: v)
        if let key { memo.keep(key, v) }
        return .valid
    }

    /// The first rules of ``validate``, alone: the patient id, then the date (in the clinic's
    /// time zone when one is set). `.valid` with the row's date in `date`, else the rule broken,
    /// as ``validate`` would say it. A report reads a file's old rows this far only
    /// (``IngestOptions/checkOldRows``).
    @inline(__always)
    mutating func readDay(_ r: CSVRecordReader, knownID: Bool, _ ctx: inout RowContext, into date: inout ParsedDate) -> Verdict {
        // Patient id: a control character would name a patient nobody can type or see.
        let id = FieldParsing.trimmed(r.field(columns.id))
        if id.count == 0 { return .rejected(.missingPatientID) }
        if !knownID, let at = id.firstIndex(where: { $0 < 0x20 || $0 == 0x7F }) {
            let position = TextDecoding.decode(UnsafeBufferPointer(rebasing: id[..<at]), options.encoding).0.count + 1
            return .rejected(.controlCharacterInPatientID(character: id[at], at: position))
        }

        // Date.
        let dateVerdict = readDate(r, &ctx, into: &date)
        guard case .valid = dateVerdict else { return dateVerdict }
        if let zone = options.timeZone, let offset = date.offsetMinutes, let seconds = date.seconds {
            date.day = RowValidator.localDay(date.day, seconds: seconds, offsetMinutes: offset, in: zone)
        }
        return .valid
    }

    /// The row's date: the last one read when the bytes repeat it (the rows of one sitting
    /// share their time stamp), else parsed.
    @inline(__always)
    private mutating func readDate(_ r: CSVRecordReader, _ ctx: inout RowContext, into date: inout ParsedDate) -> Verdict {
        let t = FieldParsing.trimmed(r.field(columns.date))
        if t.count == 0 { return .rejected(.missingDate) }
        if let last = lastDate, dateCache.matches(t) { date = last; return .valid }
        let result = DateParsing.parse(t, order: ctx.dateOrder)
        if ctx.dateOrder == nil, t.contains(UInt8(ascii: "/")) {
            // The first slash date decides the whole column's order, from all its values.
            if case .success = result { return .needsDateOrder }
            if case .failure(.ambiguousSlash) = result { return .needsDateOrder }
        }
        switch result {
        case .success(let d):
            lastDate = d
            date = d
            dateCache.store(t, 0, fingerprint: false)
            if ctx.dateFormat == nil { ctx.dateFormat = RowContext.describeDate(t, d, ctx.dateOrder) }
            return .valid
        case .failure(.impossible): return .rejected(.impossibleDate(found: text(t)))
        case .failure(.outOfRange): return .rejected(.dateOutOfRange(found: text(t)))
        case .failure: return .rejected(.unreadableDate(found: text(t)))
        }
    }

    /// A field's trimmed text, for a reject reason.
    private func text(_ r: CSVRecordReader, _ i: Int) -> String { text(FieldParsing.trimmed(r.field(i))) }

    private func text(_ t: UnsafeBufferPointer<UInt8>) -> String { TextDecoding.decode(t, options.encoding).0 }

    /// A reps field: `nil` when blank, `.some(nil)` when not a whole number 0 or more.
    @inline(__always)
    static func reps(_ r: CSVRecordReader, _ i: Int, decimalComma: Bool) -> Int?? {
        let t = FieldParsing.trimmed(r.field(i))
        return t.count == 0 ? .none : .some(FieldParsing.wholeNumber(t, decimalComma: decimalComma))
    }

    /// Sets x reps per set, or `nil` past the 1,000,000 a row may hold.
    @inline(__always)
    static func total(_ sets: Int, _ perSet: Int) -> Int? {
        let (total, overflow) = sets.multipliedReportingOverflow(by: perSet)
        return overflow || total > 1_000_000 ? nil : total
    }

    /// The day, in `zone`, of a date-time written with an offset from UTC.
    static func localDay(_ day: Day, seconds: Int, offsetMinutes: Int, in zone: TimeZone) -> Day {
        let utc = Int(day.raw) * 86_400 + seconds - offsetMinutes * 60
        let local = utc + zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
        return Day(raw: Int32((local - ((local % 86_400) + 86_400) % 86_400) / 86_400))
    }
}
