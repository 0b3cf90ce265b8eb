// synth-export: writes a synthetic home-exercise export of any size (and a matching plans
// file), for benchmarks and load tests. Deterministic: the same arguments give the same bytes.
//
//   synth-export --out DIR [--patients 2000] [--days 365] [--start 2025-11-01] [--seed 1] [--files 12]
//                [--overlap DAYS] [--history DAYS]
//
// --overlap DAYS: each file also repeats the rows of the last DAYS days of the file before it,
// as overlapping exports do; the number of repeated rows is printed (a check of the files
// must drop exactly that many duplicates).
//
// --history DAYS: every patient also logged in the DAYS days before --start (earlier courses,
// a clinic's older history), drawn from a second random stream: the rows from --start on are
// the same as without it, so a report on the last month of both compares like with like.
// --files then splits the whole range, history included, by date.
//
// Each patient follows one of a few patterns (consistent, partial dose, short holds,
// weekend-only, drop-out, late start, declining step-ups, rising pain); about a third have a
// plan in DIR/plans.csv. Session rows go to DIR/sessions/, split over --files files by date, as monthly exports would be.
#if canImport(Glibc)
import Glibc
#endif
import AdherenceAnalysis

struct Rng {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
}

func civil(_ days: Int) -> (Int, Int, Int) {
    let c = Day(raw: Int32(days)).civil
    return (c.year, c.month, c.day)
}

func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int? {
    Day(year: y, month: m, day: d).map { Int($0.raw) }
}

/// Writes a line to standard error.
func complain(_ s: String) {
    let line = s + "\n"
    _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
}

extension String {
    func replacingQuotes() -> String { split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") }
}

func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
func iso(_ days: Int) -> String { let (y, m, d) = civil(days); return "\(y)-\(two(m))-\(two(d))" }

final class Output {
    let fd: Int32
    var buffer: [UInt8] = []
    init(path: String) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { complain("synth-export: cannot create \(path)"); exit(73) }
        buffer.reserveCapacity(1 << 20)
    }
    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }
    func flush() {
        buffer.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = Glibc.write(fd, p.baseAddress! + off, p.count - off)
                if n <= 0 { complain("synth-export: write failed"); exit(74) }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
    deinit { flush(); close(fd) }
}

let args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, _ fallback: String) -> String {
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}
if args.contains("--help") || !args.contains("--out") {
    print("usage: synth-export --out DIR [--patients 2000] [--days 365] [--start 2025-11-01] [--seed 1] [--files 12] [--overlap DAYS] [--history DAYS]")
    exit(args.contains("--help") ? 0 : 64)
}
let outDir = option("--out", "synthetic")
let patients = Int(option("--patients", "2000")) ?? 2000
let days = Int(option("--days", "365")) ?? 365
let seed = UInt64(option("--seed", "1")) ?? 1
let fileCount = max(1, Int(option("--files", "12")) ?? 12)
let overlap = max(0, Int(option("--overlap", "0")) ?? 0)
let history = max(0, Int(option("--history", "0")) ?? 0)
let startParts = option("--start", "2025-11-01").split(separator: "-").compactMap { Int($0) }
guard startParts.count == 3 else { complain("synth-export: --start must be YYYY-MM-DD"); exit(64) }
guard let start = daysFromCivil(startParts[0], startParts[1], startParts[2]) else { complain("synth-export: --start is not a date"); exit(64) }
mkdir(outDir, 0o755)
mkdir(outDir + "/sessions", 0o755)

let therapists = ["Dana Whitfield", "Sam Okafor", "Lena Fischer", "Raj Patel", "Maria Santos", "Tom Becker",
                  "Aisha Bello", "Chris Young", "Ingrid Holm", "Kofi Mensah", "Yuki Tanaka", "Omar Haddad"]
let clinics = ["Northside PT", "Riverside Physio", "Central Sports Clinic"]
let firstNames = ["Ann", "Ben", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hugo", "Iris", "Jonas", "Kira", "Liam",
                  "Mia", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor", "Wen", "Zoë"]
let lastNames = ["Müller", "Ó Súilleabháin", "Smith", "García", "Nowak", "Kim", "Rossi", "Dubois", "Jensen",
                 "Okafor", "Silva", "Novak", "Schmidt", "Brown", "Lindqvist", "Haddad"]

enum Pattern: Int, CaseIterable { case consistent, partial, shortHolds, weekendOnly, dropOut, lateStart, declining, risingPain }

let plans = Output(path: outDir + "/plans.csv")
plans.write("patient_id,exercise,reps_per_side,hold_seconds,sessions_per_week,start_date,end_date\n")
var files: [Output] = []
for k in 0..<fileCount { files.append(Output(path: outDir + "/sessions/export-\(two(k / 10))\(k % 10).csv")) }
for f in files { f.write("patient_id,patient_name,therapist,clinic,performed_at,exercise,side,sets,reps,hold_seconds,pain,notes\n") }
let daysPerFile = (history + days + fileCount - 1) / fileCount
let firstDay = start - history

var rng = Rng(state: seed)
var older = Rng(state: seed ^ 0x5EED_0F_0142)
var rows = 0
var repeated = 0
for p in 0..<patients {
    let id = "P" + String(repeating: "0", count: max(0, 5 - String(p + 1).count)) + String(p + 1)
    let name = "\(firstNames[rng.below(firstNames.count)]) \(lastNames[rng.below(lastNames.count)])"
    let therapist = therapists[p % therapists.count]
    let clinic = clinics[(p / therapists.count) % clinics.count]
    let pattern = Pattern(rawValue: rng.below(Pattern.allCases.count))!
    let first = pattern == .lateStart ? start + rng.below(max(1, days * 3 / 4)) : start + rng.below(14)
    let stop = pattern == .dropOut ? first + 20 + rng.below(max(1, days / 2)) : start + days
    if p % 3 == 0 {
        let spw = [3, 5, 7][rng.below(3)]
        plans.write("\(id),Hip flexor stretch,10,10,\(spw),\(iso(first)),\n\(id),Calf stretch,10,,\(spw),\(iso(first)),\n\(id),Step-ups,,,\(spw),\(iso(first)),\n")
    }
    // Older history: about two sessions in three days, the programme's six rows each.
    for d in firstDay..<start where older.chance(0.65) {
        let when = "\(iso(d))T\(two(6 + older.below(17))):\(two(older.below(60))):00"
        let pain = older.chance(0.4) ? String(older.below(4)) : ""
        var day = ""
        for (exercise, sets, reps, hold, pain) in [("Hip flexor stretch", 1, 10, "10", pain), ("Calf stretch", 1, 10, "30", ""),
                                                   ("Step-ups", 2, 10 + older.below(10), "", "")] {
            for side in ["left", "right"] { day += "\(id),\(name),\(therapist),\(clinic),\(when),\(exercise),\(side),\(sets),\(reps),\(hold),\(pain),\n" }
        }
        rows += 6
        files[min(fileCount - 1, (d - firstDay) / daysPerFile)].write(day)
    }
    var stepBase = 10 + rng.below(10)
    for d in first..<min(stop, start + days) {
        let weekday = (d + 3) % 7 + 1
        if pattern == .weekendOnly && weekday < 6 { continue }
        if rng.chance(pattern == .consistent ? 0.03 : 0.15) { continue }
        let hour = 6 + rng.below(17), minute = rng.below(60)
        let when = "\(iso(d))T\(two(hour)):\(two(minute)):00"
        let fileIndex = min(fileCount - 1, (d - firstDay) / daysPerFile)
        // The day's rows, written to its file (and again to the next, when exports overlap).
        var day = ""
        let rowsBefore = rows
        let reps = pattern == .partial ? 5 : 10
        let hold = pattern == .shortHolds ? 5 : 10
        let progress = d - first
        let painBase = pattern == .risingPain ? min(9, 1 + progress / 20) : rng.below(3)
        let pain = rng.chance(0.4) ? String(painBase) : ""
        for side in ["left", "right"] {
            day += "\(id),\(name),\(therapist),\(clinic),\(when),Hip flexor stretch,\(side),1,\(reps),\(hold),\(pain),\n"
            rows += 1
        }
        if rng.chance(0.9) {
            for side in ["left", "right"] {
                day += "\(id),\(name),\(therapist),\(clinic),\(when),Calf stretch,\(side),1,\(reps),30,,\n"
                rows += 1
            }
        }
        if pattern == .declining { stepBase = max(1, 30 - progress / 7) } else if progress % 7 == 0 { stepBase += 1 }
        for side in ["left", "right"] {
            let note = rng.chance(0.05) ? "felt fine, \"easy\" today" : ""
            day += "\(id),\(name),\(therapist),\(clinic),\(when),Step-ups,\(side),2,\(stepBase),,,\(note.isEmpty ? "" : "\"" + note.replacingQuotes() + "\"")\n"
            rows += 1
        }
        files[fileIndex].write(day)
        if overlap > 0 && fileIndex + 1 < fileCount && (d - firstDay) >= (fileIndex + 1) * daysPerFile - overlap {
            files[fileIndex + 1].write(day)
            repeated += rows - rowsBefore
        }
    }
}
for f in files { f.flush() }
plans.flush()
files.removeAll()
complain("synth-export: \(patients) patients, \(days) days from \(iso(start))\(history > 0 ? " after \(history) days of history" : ""), \(rows) rows in \(fileCount) file(s) in \(outDir)/sessions, plans in \(outDir)/plans.csv"
         + (overlap > 0 ? "; \(repeated) rows repeated by overlapping exports" : ""))
