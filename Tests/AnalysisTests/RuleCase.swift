@testable import AdherenceAnalysis

/// What the rules tests share: the standard catalog's exercises, and entries and plan rows
/// written briefly (holds in seconds, pain in points, days as YYYY-MM-DD).
protocol RuleCase {}

extension RuleCase {
    var catalog: ExerciseCatalog { .standard }
    var hip: ExerciseID { catalog.id(forKey: "hip_flexor_stretch")! }
    var calf: ExerciseID { catalog.id(forKey: "calf_stretch")! }
    var step: ExerciseID { catalog.id(forKey: "step_up")! }

    func day(_ s: String) -> Day { Day(iso: s)! }

    func plan(_ e: ExerciseID, reps: Int?, hold: Int? = nil, perWeek: Int = 7, from: String = "2026-01-01", to: String? = nil) -> PlanPeriod {
        PlanPeriod(exercise: e, repsPerSide: reps, holdCentis: hold.map { $0 * 100 }, sessionsPerWeek: perWeek,
                   start: day(from), end: to.map(day))
    }

    func entry(_ d: String, _ e: ExerciseID?, _ side: Side = .both, reps: Int, hold: Int? = nil, pain: Int? = nil) -> Entry {
        Entry(day: day(d), exercise: e, side: side, reps: reps, holdCentis: hold.map { $0 * 100 }, painCentis: pain.map { $0 * 100 })
    }
}
