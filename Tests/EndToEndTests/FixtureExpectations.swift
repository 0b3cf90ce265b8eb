import Foundation

/// Figures worked out by hand from docs/RULES.md for the sample export in Fixtures.
/// Each value carries a comment showing how it was derived.
///
/// Inputs: Fixtures/sessions/export-2026-09.csv, Fixtures/sessions/export-2026-10.csv
/// (read in that order) and Fixtures/plans.csv.
///
/// Units: adherence, overall, sessionDays, sideBalance and changeVsLastMonth are fractions
/// (0.8 = 80%); trendPct is in percent per week (5.59 = +5.59 %/week); pain in NPRS points.
///
/// Calendar used below. October 2026: Thu 1 .. Sat 31. Weekend days: 3,4,10,11,17,18,24,25,31
/// (9 days); Mon/Wed/Fri: 2,5,7,9,12,14,16,19,21,23,26,28,30 (13 days); weekdays: 22 days.
/// September 2026: Tue 1 .. Wed 30; weekends 5,6,12,13,19,20,26,27.
///
/// Windows. Full month (`--month 2026-10`): window 10-01..10-31 (31 days), look-back
/// 09-20..10-31 (pain: first 14 days 09-20..10-03, last 14 days 10-18..10-31), monitoring
/// 10-02..10-31. Mid-month (`--as-of 2026-10-15`): window 10-01..10-15 (15 days), look-back
/// 09-04..10-15 (pain: 09-04..09-17 and 10-02..10-15), monitoring 09-16..10-15.
/// Previous month for "change": 09-01..09-30, as-of 09-30.
///
/// Default protocol (no plan): R = 10 per side for both stretches, hip hold >= 10 s, calf no
/// minimum hold, step-ups no target, 7 sessions/week, so expected = number of active days.
///
/// Trend: x = date in days, y = step-up reps of a step-up day (all rows of the day; a `both`
/// row counted once, see P002), slope by least squares in reps/day;
/// trendPct = 100 * 7 * slope / mean(y). Sxy and Sxx are the centred sums.
struct ExpectedPatient: Sendable {
    let id: String
    let name: String
    let therapist: String          // "" when none (unassigned workbook)
    let sessionsPerWeek: Int?
    let expectedSessions: Double?  // largest expected among exercises
    let overall: Double?           // exact fraction written as e.g. 22.0/31.0
    let adherence: [String: Double?] // keys hip_flexor_stretch, calf_stretch, step_up; prescribed exercises only; nil = nothing expected
    let band: String?              // "adherent" | "partial" | "low"
    let sessionDays: Double?
    let monitoringDays: Int
    let stepUpReps: Int?           // nil when step-ups are not prescribed (shown empty, not 0)
    let trendPct: Double?          // %/week, nil when insufficient data
    let trendLabel: String         // "building" | "steady" | "declining" | "insufficient data" | "not prescribed"
    let sideBalance: Double?
    let painChange: Double?
    let maxPain: Double?
    let changeVsLastMonth: Double? // fraction, e.g. -0.25 for down 25 points
    let lastEntry: String?         // "2026-10-30"
    let needsAttention: [String]   // exact phrases from RULES.md "Needs attention", in the order listed there
}

struct ExpectedReject: Sendable { let file: String; let line: Int; let reasonContains: String }

enum FixtureExpectations {

    // MARK: - --month 2026-10 (as-of 2026-10-31)

    static let october: [ExpectedPatient] = [
        // P001 consistent. Logs every day 09-21..10-31: hip `both` 10 (hold 10 or 12), calf `both` 10
        // (none on 10-14), step-ups left s + right s with s = 15 + weeks since 09-20.
        // Special rows: 10-03 plain date; 10-05T23:40 (counts on the 5th); 10-06T22:10-05:00
        // (counts on the 6th); 10-08 note with a newline; 10-10 exercise keys as names;
        // 10-20 hip in two `both` rows of 5 (07:15 and 19:40) -> 10 per side -> dose 1.
        ExpectedPatient(
            id: "P001", name: "Avery Lindqvist", therapist: "Dana Whitfield",
            sessionsPerWeek: 7,
            expectedSessions: 31.0,            // active since 09-21: all 31 October days
            overall: 92.0 / 93.0,              // (31 + 30 + 31) / (3 * 31)
            adherence: [
                "hip_flexor_stretch": 1.0,     // 31 full days / 31
                "calf_stretch": 30.0 / 31.0,   // no calf on 10-14
                "step_up": 1.0,                // 31 step-up days / 31
            ],
            band: "adherent",
            sessionDays: 1.0,                  // 31 entry days / 31
            monitoringDays: 30,                // every day 10-02..10-31
            stepUpReps: 1132,                  // 2*(3*16 + 7*17 + 7*18 + 7*19 + 7*20) = 96+238+252+266+280
            trendPct: 805.0 / 144.0,           // n=41 (09-21..10-31), sum y=1440, Sxy=1610, Sxx=5740, slope 23/82 reps/day; 100*7*(23/82)/(1440/41) = 5.5903
            trendLabel: "building",
            sideBalance: 1.0,                  // 566 left / 566 right
            painChange: 0.0,                   // pain 1 every day in both 14-day windows
            maxPain: 1.0,
            changeVsLastMonth: -1.0 / 93.0,    // 92/93 - Sept 1 (09-21..09-30: 10 active days, all full)
            lastEntry: "2026-10-31",
            needsAttention: []
        ),
        // P002 partial dose, stops after 10-22. Logs every day 09-21..10-22: hip `both` 5 (hold 10)
        // -> 0.5; calf left 5 + right sets 2 x 5 -> (0.5 + 1)/2 = 0.75; step-ups on Mon/Wed/Fri
        // (left 10, right 8) and on Sundays one blank-side (= both) row of 18.
        ExpectedPatient(
            id: "P002", name: "Bea Castillo", therapist: "Sam Okafor",
            sessionsPerWeek: 7,
            expectedSessions: 31.0,            // last entry 10-22 keeps them active to 11-18
            overall: 79.0 / 186.0,             // (11 + 16.5 + 12) / 93 = 39.5/93
            adherence: [
                "hip_flexor_stretch": 11.0 / 31.0, // 22 days * 0.5
                "calf_stretch": 33.0 / 62.0,   // 22 days * 0.75 = 16.5
                "step_up": 12.0 / 31.0,        // MWF 2,5,7,9,12,14,16,19,21 + Sun 4,11,18
            ],
            band: "low",
            sessionDays: 22.0 / 31.0,          // entries 10-01..10-22
            monitoringDays: 21,                // 10-02..10-22
            stepUpReps: 216,                   // 9 MWF days * 18 + 3 Sundays * 18 (a `both` row counts once in the total)
            trendPct: 0.0,                     // every step-up day has 18 reps -> slope 0 (n=18)
            trendLabel: "steady",
            sideBalance: 7.0 / 8.0,            // left 9*10 + 3*18 = 144, right 9*8 + 3*18 = 126; 126/144
            painChange: 0.0,                   // pain 3 on every calf row: 3 - 3
            maxPain: 3.0,
            changeVsLastMonth: -119.0 / 620.0, // 79/186 - 37/60; Sept (09-21..09-30): hip 0.5, calf 0.75 (09-29 left row duplicated in the Oct file, counted once), step 6/10 -> 37/60
            lastEntry: "2026-10-22",
            needsAttention: ["adherence below 50%", "no entry in last 7 days"] // active on 10-31, nothing 10-25..10-31
        ),
        // P003 short holds. Logs every day 09-21..10-31: hip `both` 10 held 5 s on weekdays (does
        // not qualify) and 10 s on weekends (qualifies); calf 10 (side `both` or blank);
        // step-ups only at weekends, `L` 14 / `R` 16 on Saturdays, `L` 12 / `R` 14 on Sundays.
        // Therapist Dana Whitfield until 10-19, Sam Okafor from 10-20.
        ExpectedPatient(
            id: "P003", name: "Chen Wei", therapist: "Sam Okafor", // last non-empty up to 10-31
            sessionsPerWeek: 7,
            expectedSessions: 31.0,
            overall: 49.0 / 93.0,              // (9 + 31 + 9) / 93
            adherence: [
                "hip_flexor_stretch": 9.0 / 31.0, // only the 9 weekend days qualify
                "calf_stretch": 1.0,
                "step_up": 9.0 / 31.0,         // 9 weekend days
            ],
            band: "partial",
            sessionDays: 1.0,
            monitoringDays: 30,
            stepUpReps: 254,                   // 5 Saturdays * 30 + 4 Sundays * 26
            trendPct: 23100.0 / 46531.0,       // n=11 (09-26..10-31 weekend days), sum y=310, Sxy=300/11, Sxx=15010/11 -> 0.4964
            trendLabel: "steady",
            sideBalance: 59.0 / 68.0,          // left 5*14 + 4*12 = 118, right 5*16 + 4*14 = 136
            painChange: nil,                   // no pain logged
            maxPain: nil,
            changeVsLastMonth: 28.0 / 465.0,   // 49/93 - 7/15; Sept 09-21..09-30: hip 2/10, calf 1, step 2/10
            lastEntry: "2026-10-31",
            // 31 hip rows of 10 reps with a recorded hold = 310 reps; held >= 10 s on the 9 weekend
            // days = 90 reps: 90/310 = 29% held, under half of 10+ reps -> holds short.
            needsAttention: ["holds short"]
        ),
        // P004 weekend only. Logs Saturdays and Sundays from 09-12: hip `both` 10 hold 10 (pain 4
        // on Sat, 2 on Sun), calf `both` 10, step-ups 20+20 (Sat) / 22+22 (Sun). Gaps of 5 days
        // keep them active every day.
        ExpectedPatient(
            id: "P004", name: "Dario Rossi", therapist: "Sam Okafor",
            sessionsPerWeek: 7,
            expectedSessions: 31.0,
            overall: 9.0 / 31.0,               // 9 weekend days / 31 for each exercise
            adherence: [
                "hip_flexor_stretch": 9.0 / 31.0,
                "calf_stretch": 9.0 / 31.0,
                "step_up": 9.0 / 31.0,
            ],
            band: "low",
            sessionDays: 9.0 / 31.0,           // the rejected 10-14 row (too few fields) must not add a day
            monitoringDays: 9,
            stepUpReps: 376,                   // 5 Saturdays * 40 + 4 Sundays * 44
            trendPct: -1200.0 / 1823.0,        // n=12 (weekend days 09-20..10-31), sum y=504, Sxy=-72, Sxx=1823 -> -0.6583
            trendLabel: "steady",
            sideBalance: 1.0,
            painChange: 0.0,                   // first: 09-20(2), 09-26(4), 09-27(2), 10-03(4) = 3; last: 10-18(2), 10-24(4), 10-25(2), 10-31(4) = 3
            maxPain: 4.0,
            changeVsLastMonth: -15.0 / 589.0,  // 9/31 - 6/19; Sept active 09-12..09-30 = 19 days, 6 weekend days
            lastEntry: "2026-10-31",
            needsAttention: ["adherence below 50%"]
        ),
        // P005 drop-out. Logs every day 09-07..09-18 (all three exercises full), then nothing.
        // Active until 09-18 + 27 days = 10-15.
        ExpectedPatient(
            id: "P005", name: "Elif Demir", therapist: "Dana Whitfield",
            sessionsPerWeek: 7,
            expectedSessions: 15.0,            // active October days 10-01..10-15
            overall: 0.0,
            adherence: ["hip_flexor_stretch": 0.0, "calf_stretch": 0.0, "step_up": 0.0],
            band: "low",
            sessionDays: 0.0,                  // 0 / 15
            monitoringDays: 0,
            stepUpReps: 0,
            trendPct: nil,                     // no step-up day in 09-20..10-31
            trendLabel: "insufficient data",
            sideBalance: nil,
            painChange: nil,
            maxPain: nil,
            changeVsLastMonth: -0.5,           // 0 - Sept 12/24 (active 09-07..09-30, 12 full days)
            lastEntry: "2026-09-18",
            needsAttention: ["adherence below 50%", "adherence down 20+ points vs last month"] // not active on 10-31, so no "no entry" flag
        ),
        // P006 late start and exactly 80%. First entry: `Wall sit` on 10-12 (unknown exercise, still
        // an entry); exercises 10-13..10-31, nothing on 10-20. Hip `both` sets 2 x 5 (hold 10),
        // except left-only 10 on 10-15, 10-22, 10-29 (dose 0.5). Calf `both` 10 except 10-17
        // (left 4, right 2 -> 0.3), 10-26 (`both` 2 -> 0.2), none on 10-20 and 10-24. Step-ups left
        // s + right s, s = 8 + (days since 10-13) / 4, none on 10-20, 10-24, 10-28. Pain 2, 5 on 10-22.
        // Rejected rows 10-08 (reps -10) and 10-20 (reps 7.5) must not count as entries.
        ExpectedPatient(
            id: "P006", name: "Farah Haddad", therapist: "Sam Okafor",
            sessionsPerWeek: 7,
            expectedSessions: 20.0,            // active 10-12..10-31
            overall: 0.8,                      // (16.5 + 15.5 + 16) / (3 * 20) = 48/60 exactly -> adherent
            adherence: [
                "hip_flexor_stretch": 33.0 / 40.0, // 15 full + 3 * 0.5 = 16.5
                "calf_stretch": 31.0 / 40.0,   // 15 full + 0.3 + 0.2 = 15.5
                "step_up": 0.8,                // 16 / 20
            ],
            band: "adherent",
            sessionDays: 19.0 / 20.0,          // entry days 10-12..10-31 except 10-20
            monitoringDays: 19,
            stepUpReps: 316,                   // 4*16 + 3*18 + 3*20 + 3*22 + 3*24
            trendPct: 588000.0 / 33101.0,      // n=16, sum y=316, Sxy=525/2, Sxx=2095/4, slope 210/419 -> 17.7638
            trendLabel: "building",
            sideBalance: 1.0,
            painChange: nil,                   // no rated day in 09-20..10-03
            maxPain: 5.0,                      // 5 is not above 5
            changeVsLastMonth: nil,            // nothing expected in September
            lastEntry: "2026-10-31",
            needsAttention: []
        ),
        // P007 declining step-ups. Logs every day 09-21..10-31: hip `both` 10 hold 10, calf `both` 10;
        // step-ups Mon-Fri only, left s + right s with s = 20 - 2 * (weeks since 09-20), pain 3.
        ExpectedPatient(
            id: "P007", name: "Grace Okonkwo", therapist: "Dana Whitfield",
            sessionsPerWeek: 7,
            expectedSessions: 31.0,
            overall: 28.0 / 31.0,              // (31 + 31 + 22) / 93 = 84/93
            adherence: [
                "hip_flexor_stretch": 1.0,
                "calf_stretch": 1.0,
                "step_up": 22.0 / 31.0,        // 22 weekdays
            ],
            band: "adherent",
            sessionDays: 1.0,
            monitoringDays: 30,
            stepUpReps: 592,                   // 2*36 + 5*32 + 5*28 + 5*24 + 5*20
            trendPct: -68600.0 / 5217.0,       // n=30, sum y=900, Sxy=-2450, Sxx=8695/2, slope -980/1739 -> -13.1493
            trendLabel: "declining",
            sideBalance: 1.0,
            painChange: 0.0,
            maxPain: 3.0,
            changeVsLastMonth: -14.0 / 465.0,  // 28/31 - 14/15; Sept 09-21..09-30: 1, 1, 8/10
            lastEntry: "2026-10-31",
            needsAttention: ["step-ups declining"]
        ),
        // P008 rising pain. Logs every day 09-21..10-31: hip `both` 10 hold 10 carrying the day's
        // pain, calf `both` 10, step-ups Mon/Wed/Fri left 15 + right 12. Pain: until 10-03 2 on
        // weekdays and 3 at weekends; 10-04..10-17 4; from 10-18 6 on even dates, 5 on odd dates.
        // Name blank on rows from 10-25, therapist blank on 10-26. Rejected 10-10 row (pain 11).
        ExpectedPatient(
            id: "P008", name: "Zoë Müller", therapist: "Sam Okafor", // last non-empty values
            sessionsPerWeek: 7,
            expectedSessions: 31.0,
            overall: 25.0 / 31.0,              // (31 + 31 + 13) / 93 = 75/93
            adherence: [
                "hip_flexor_stretch": 1.0,
                "calf_stretch": 1.0,
                "step_up": 13.0 / 31.0,        // 13 Mon/Wed/Fri
            ],
            band: "adherent",
            sessionDays: 1.0,
            monitoringDays: 30,
            stepUpReps: 351,                   // 13 * 27
            trendPct: 0.0,                     // every step-up day 27 reps (n=18)
            trendLabel: "steady",
            sideBalance: 0.8,                  // 156 / 195
            painChange: 85.0 / 26.0,           // last 14: 7*6 + 7*5 = 77/14 = 5.5; first 14: rated 09-21..10-03 = 13 days, 10*2 + 3*3 = 29/13; 5.5 - 29/13
            maxPain: 6.0,                      // the rejected pain-11 row does not count
            changeVsLastMonth: -5.0 / 186.0,   // 25/31 - 5/6; Sept 09-21..09-30: 1, 1, step MWF 5/10
            lastEntry: "2026-10-31",
            needsAttention: ["pain up 2+ points", "pain above 5"]
        ),
        // P009 plan (plans.csv), 3 sessions/week from 09-14: hip R 12 hold >= 15, calf R 8 no hold,
        // step-ups no target. Logs Mon/Wed/Fri: hip `both` 12 held 15 s (Mon, Wed) or 10 s (Fri,
        // does not qualify), calf `both` 10 (capped at 8), step-ups 10 + 10; Saturdays step-ups 12 + 12.
        // Expected = 3 * 31 / 7 = 93/7 for each exercise.
        ExpectedPatient(
            id: "P009", name: "O'Brien, \"Jack\"", therapist: "Dana Whitfield",
            sessionsPerWeek: 3,
            expectedSessions: 93.0 / 7.0,
            overall: 80.0 / 93.0,              // (56/93 + 91/93 + 1) / 3 = 240/279
            adherence: [
                "hip_flexor_stretch": 56.0 / 93.0, // 8 Mon/Wed days / (93/7)
                "calf_stretch": 91.0 / 93.0,   // 13 MWF days / (93/7)
                "step_up": 1.0,                // 18 days / (93/7) = 126/93, capped at 1
            ],
            band: "adherent",
            sessionDays: 1.0,                  // 18 / (93/7), capped
            monitoringDays: 18,                // 13 MWF + 5 Saturdays, all in 10-02..10-31
            stepUpReps: 380,                   // 13 * 20 + 5 * 24
            trendPct: 3600.0 / 7037.0,         // n=24, sum y=504, Sxy=54, Sxx=7037/2 -> 0.5116
            trendLabel: "steady",
            sideBalance: 1.0,
            painChange: nil,
            maxPain: nil,
            changeVsLastMonth: -128.0 / 1581.0, // 80/93 - 16/17; Sept 09-14..09-30 (17 days, expected 51/7): hip 6/(51/7) = 14/17, calf 8 and step 10 days capped at 1
            lastEntry: "2026-10-31",
            needsAttention: []
        ),
        // P011 plan for two exercises only (hip R 10 hold 10, calf R 10; 7/week from 09-21).
        // Every day 09-21..09-30, then weekdays only in October; `Wall sit` alone on 10-04 and 10-11.
        ExpectedPatient(
            id: "P011", name: "Ivan Petrov", therapist: "Sam Okafor",
            sessionsPerWeek: 7,
            expectedSessions: 31.0,
            overall: 22.0 / 31.0,              // mean of the two prescribed exercises only
            adherence: [
                "hip_flexor_stretch": 22.0 / 31.0,
                "calf_stretch": 22.0 / 31.0,
            ],
            band: "partial",
            sessionDays: 24.0 / 31.0,          // 22 weekdays + 2 Wall-sit Sundays
            monitoringDays: 23,                // 21 weekdays in 10-02..10-31 + 2
            stepUpReps: nil,                   // step-ups are not in P011's plan
            trendPct: nil,
            trendLabel: "not prescribed",
            sideBalance: nil,
            painChange: nil,
            maxPain: nil,
            changeVsLastMonth: -9.0 / 31.0,    // 22/31 - 1 (Sept 09-21..09-30 full)
            lastEntry: "2026-10-30",
            needsAttention: ["adherence down 20+ points vs last month"]
        ),
        // P012 only in plans.csv (never logged): all three exercises, 5/week from 09-28, open end;
        // name, therapist and clinic come from the plans file.
        ExpectedPatient(
            id: "P012", name: "Priya Raman", therapist: "Dana Whitfield",
            sessionsPerWeek: 5,
            expectedSessions: 155.0 / 7.0,     // 5 * 31 / 7
            overall: 0.0,
            adherence: ["hip_flexor_stretch": 0.0, "calf_stretch": 0.0, "step_up": 0.0],
            band: "low",
            sessionDays: 0.0,
            monitoringDays: 0,
            stepUpReps: 0,
            trendPct: nil,
            trendLabel: "insufficient data",
            sideBalance: nil,
            painChange: nil,
            maxPain: nil,
            changeVsLastMonth: 0.0,            // Sept 09-28..09-30 expected 15/7, done 0 -> 0; 0 - 0
            lastEntry: nil,
            // Plan from 09-28, nothing ever logged: on 10-31 the plan has run 34 days (>= 7) -> never
            // started (not "no entry in last 7 days", which needs an entry before).
            needsAttention: ["adherence below 50%", "never started"]
        ),
        // P013 no therapist (unassigned workbook). Logs on odd dates from 09-15: hip blank side 10
        // hold 10 (pain 2; 6 on 10-13), calf `both` 10, step-ups `L` 12 + weeks since 09-15 and
        // `R` 10. October rows use the exercise keys as names.
        ExpectedPatient(
            id: "P013", name: "Tomás Reyes", therapist: "",
            sessionsPerWeek: 7,
            expectedSessions: 31.0,
            overall: 16.0 / 31.0,
            adherence: [
                "hip_flexor_stretch": 16.0 / 31.0, // 16 odd dates
                "calf_stretch": 16.0 / 31.0,
                "step_up": 16.0 / 31.0,
            ],
            band: "partial",
            sessionDays: 16.0 / 31.0,
            monitoringDays: 15,                // odd dates 10-03..10-31
            stepUpReps: 416,                   // left 3*14 + 3*15 + 4*16 + 3*17 + 3*18 = 256, right 16*10 = 160
            trendPct: 7805.0 / 1947.0,         // n=21 (odd dates 09-21..10-31), sum y=531, Sxy=446, Sxx=3080 -> 4.0087
            trendLabel: "building",
            sideBalance: 0.625,                // 160 / 256
            painChange: 0.0,                   // 2 in both windows (the 6 of 10-13 is in neither)
            maxPain: 6.0,
            changeVsLastMonth: 1.0 / 62.0,     // 16/31 - 1/2; Sept active 09-15..09-30 = 16 days, 8 logged
            lastEntry: "2026-10-31",
            needsAttention: ["pain above 5"]
        ),
    ]

    // MARK: - --month 2026-10 --as-of 2026-10-15

    /// Same patients, window 10-01..10-15 (15 days). Expected Summary order:
    /// P005, P012, P004, P013, P011, P007 (need attention), then P003, P002, P006, P008, P009, P001.
    static let octoberMidMonth: [ExpectedPatient] = [
        ExpectedPatient(
            id: "P001", name: "Avery Lindqvist", therapist: "Dana Whitfield",
            sessionsPerWeek: 7, expectedSessions: 15.0,
            overall: 44.0 / 45.0,              // (15 + 14 + 15) / 45, no calf on 10-14
            adherence: ["hip_flexor_stretch": 1.0, "calf_stretch": 14.0 / 15.0, "step_up": 1.0],
            band: "adherent", sessionDays: 1.0,
            monitoringDays: 25,                // 09-21..10-15
            stepUpReps: 514,                   // 3*32 + 7*34 + 5*36
            trendPct: 32375.0 / 5343.0,        // n=25 (09-21..10-15), sum y=822, Sxy=370, Sxx=1300 -> 6.0593
            trendLabel: "building", sideBalance: 1.0,
            painChange: nil,                   // no rated day in 09-04..09-17
            maxPain: 1.0,
            changeVsLastMonth: -1.0 / 45.0,    // 44/45 - 1
            lastEntry: "2026-10-15", needsAttention: []
        ),
        ExpectedPatient(
            id: "P002", name: "Bea Castillo", therapist: "Sam Okafor",
            sessionsPerWeek: 7, expectedSessions: 15.0,
            overall: 107.0 / 180.0,            // (7.5 + 11.25 + 8) / 45
            adherence: ["hip_flexor_stretch": 0.5, "calf_stretch": 0.75, "step_up": 8.0 / 15.0], // step: MWF 2,5,7,9,12,14 + Sun 4,11
            band: "partial", sessionDays: 1.0,
            monitoringDays: 25,                // 09-21..10-15
            stepUpReps: 144,                   // 8 days * 18
            trendPct: 0.0, trendLabel: "steady", // n=14, all 18
            sideBalance: 7.0 / 8.0,            // left 6*10 + 2*18 = 96, right 6*8 + 2*18 = 84
            painChange: nil,                   // no rated day in 09-04..09-17
            maxPain: 3.0,
            changeVsLastMonth: -1.0 / 45.0,    // 107/180 - 37/60
            lastEntry: "2026-10-15", needsAttention: []
        ),
        ExpectedPatient(
            id: "P003", name: "Chen Wei", therapist: "Dana Whitfield", // Sam Okafor only from 10-20
            sessionsPerWeek: 7, expectedSessions: 15.0,
            overall: 23.0 / 45.0,              // (4 + 15 + 4) / 45
            adherence: ["hip_flexor_stretch": 4.0 / 15.0, "calf_stretch": 1.0, "step_up": 4.0 / 15.0], // weekends 3,4,10,11
            band: "partial", sessionDays: 1.0,
            monitoringDays: 25,
            stepUpReps: 112,                   // 30 + 26 + 30 + 26
            trendPct: -60.0 / 79.0,            // n=6 (09-26..10-11 weekends), sum y=168, Sxy=-6, Sxx=395/2 -> -0.7595
            trendLabel: "steady",
            sideBalance: 13.0 / 15.0,          // left 52, right 60
            painChange: nil, maxPain: nil,
            changeVsLastMonth: 2.0 / 45.0,     // 23/45 - 7/15
            lastEntry: "2026-10-15", needsAttention: ["holds short"] // 15 hip rows x 10 = 150 reps with a hold; 4 weekend days x 10 = 40 held: 4/15 < 1/2
        ),
        ExpectedPatient(
            id: "P004", name: "Dario Rossi", therapist: "Sam Okafor",
            sessionsPerWeek: 7, expectedSessions: 15.0,
            overall: 4.0 / 15.0,               // weekends 3,4,10,11
            adherence: ["hip_flexor_stretch": 4.0 / 15.0, "calf_stretch": 4.0 / 15.0, "step_up": 4.0 / 15.0],
            band: "low", sessionDays: 4.0 / 15.0,
            monitoringDays: 8,                 // 09-19,20,26,27, 10-03,04,10,11
            stepUpReps: 168,                   // 2*40 + 2*44
            trendPct: 200.0 / 1179.0,          // n=10 (weekends 09-12..10-11), sum y=420, Sxy=10, Sxx=1965/2 -> 0.1696
            trendLabel: "steady", sideBalance: 1.0,
            painChange: 0.0,                   // first 09-12(4), 09-13(2); last 10-03(4), 10-04(2), 10-10(4), 10-11(2)
            maxPain: 4.0,
            changeVsLastMonth: -14.0 / 285.0,  // 4/15 - 6/19
            lastEntry: "2026-10-11", needsAttention: ["adherence below 50%"]
        ),
        ExpectedPatient(
            id: "P005", name: "Elif Demir", therapist: "Dana Whitfield",
            sessionsPerWeek: 7, expectedSessions: 15.0, // 10-01..10-15 all active
            overall: 0.0,
            adherence: ["hip_flexor_stretch": 0.0, "calf_stretch": 0.0, "step_up": 0.0],
            band: "low", sessionDays: 0.0,
            monitoringDays: 3,                 // 09-16, 09-17, 09-18
            stepUpReps: 0,
            trendPct: 0.0,                     // look-back 09-04..10-15 holds 12 step-up days (09-07..09-18), all 30
            trendLabel: "steady",
            sideBalance: nil, painChange: nil, maxPain: nil,
            changeVsLastMonth: -0.5,
            lastEntry: "2026-09-18",
            // 10-15 is still active (09-18 is 27 days before it) and nothing in 10-09..10-15
            needsAttention: ["adherence below 50%", "adherence down 20+ points vs last month", "no entry in last 7 days"]
        ),
        ExpectedPatient(
            id: "P006", name: "Farah Haddad", therapist: "Sam Okafor",
            sessionsPerWeek: 7, expectedSessions: 4.0, // active 10-12..10-15
            overall: 17.0 / 24.0,              // (2.5 + 3 + 3) / 12
            adherence: ["hip_flexor_stretch": 5.0 / 8.0, "calf_stretch": 0.75, "step_up": 0.75], // hip 1 + 1 + 0.5 (10-15 left only)
            band: "partial", sessionDays: 1.0, // 4 entry days (10-12 Wall sit) / 4
            monitoringDays: 4,
            stepUpReps: 48,                    // 3 days * 16
            trendPct: nil, trendLabel: "insufficient data", // only 3 step-up days
            sideBalance: 1.0,
            painChange: nil, maxPain: 2.0,
            changeVsLastMonth: nil,
            lastEntry: "2026-10-15", needsAttention: []
        ),
        ExpectedPatient(
            id: "P007", name: "Grace Okonkwo", therapist: "Dana Whitfield",
            sessionsPerWeek: 7, expectedSessions: 15.0,
            overall: 41.0 / 45.0,              // (15 + 15 + 11) / 45
            adherence: ["hip_flexor_stretch": 1.0, "calf_stretch": 1.0, "step_up": 11.0 / 15.0], // 11 weekdays
            band: "adherent", sessionDays: 1.0,
            monitoringDays: 25,
            stepUpReps: 344,                   // 2*36 + 5*32 + 4*28
            trendPct: -3923500.0 / 340833.0,   // n=19, sum y=652, Sxy=-11800/19, Sxx=20910/19 -> -11.5115
            trendLabel: "declining", sideBalance: 1.0,
            painChange: nil,                   // no rated day in 09-04..09-17
            maxPain: 3.0,
            changeVsLastMonth: -1.0 / 45.0,    // 41/45 - 14/15
            lastEntry: "2026-10-15", needsAttention: ["step-ups declining"]
        ),
        ExpectedPatient(
            id: "P008", name: "Zoë Müller", therapist: "Sam Okafor",
            sessionsPerWeek: 7, expectedSessions: 15.0,
            overall: 0.8,                      // (15 + 15 + 6) / 45 = 36/45 exactly -> adherent
            adherence: ["hip_flexor_stretch": 1.0, "calf_stretch": 1.0, "step_up": 0.4], // MWF 2,5,7,9,12,14
            band: "adherent", sessionDays: 1.0,
            monitoringDays: 25,
            stepUpReps: 162,                   // 6 * 27
            trendPct: 0.0, trendLabel: "steady",
            sideBalance: 0.8,                  // 72 / 90
            painChange: nil,                   // no rated day in 09-04..09-17
            maxPain: 4.0,                      // the rejected pain-11 row of 10-10 does not count
            changeVsLastMonth: -1.0 / 30.0,    // 4/5 - 5/6
            lastEntry: "2026-10-15", needsAttention: []
        ),
        ExpectedPatient(
            id: "P009", name: "O'Brien, \"Jack\"", therapist: "Dana Whitfield",
            sessionsPerWeek: 3, expectedSessions: 45.0 / 7.0, // 3 * 15 / 7
            overall: 23.0 / 27.0,              // (28/45 + 42/45 + 1) / 3 = 115/135
            adherence: [
                "hip_flexor_stretch": 28.0 / 45.0, // Mon 5,12 + Wed 7,14 = 4 days / (45/7)
                "calf_stretch": 14.0 / 15.0,   // 6 MWF days / (45/7) = 42/45
                "step_up": 1.0,                // 8 days / (45/7), capped
            ],
            band: "adherent", sessionDays: 1.0, // 8 / (45/7), capped
            monitoringDays: 17,                // 09-16..09-30: Wed 16, Fri 18, Sat 19, 21, 23, 25, Sat 26, 28, 30 = 9; October 2,3,5,7,9,10,12,14 = 8
            stepUpReps: 168,                   // 6 * 20 + 2 * 24
            trendPct: 2100.0 / 11609.0,        // n=18 (09-14..10-14), sum y=376, Sxy=8, Sxx=1482 -> 0.1809
            trendLabel: "steady", sideBalance: 1.0,
            painChange: nil, maxPain: nil,
            changeVsLastMonth: -41.0 / 459.0,  // 23/27 - 16/17
            lastEntry: "2026-10-14", needsAttention: []
        ),
        ExpectedPatient(
            id: "P011", name: "Ivan Petrov", therapist: "Sam Okafor",
            sessionsPerWeek: 7, expectedSessions: 15.0,
            overall: 11.0 / 15.0,              // weekdays 1,2,5-9,12-15 = 11
            adherence: ["hip_flexor_stretch": 11.0 / 15.0, "calf_stretch": 11.0 / 15.0],
            band: "partial", sessionDays: 13.0 / 15.0, // 11 + Wall sit on 10-04 and 10-11
            monitoringDays: 23,                // 09-21..09-30 (10) + 13
            stepUpReps: nil,                   // step-ups are not in P011's plan
            trendPct: nil, trendLabel: "not prescribed",
            sideBalance: nil, painChange: nil, maxPain: nil,
            changeVsLastMonth: -4.0 / 15.0,    // 11/15 - 1
            lastEntry: "2026-10-15", needsAttention: ["adherence down 20+ points vs last month"]
        ),
        ExpectedPatient(
            id: "P012", name: "Priya Raman", therapist: "Dana Whitfield",
            sessionsPerWeek: 5, expectedSessions: 75.0 / 7.0, // 5 * 15 / 7
            overall: 0.0,
            adherence: ["hip_flexor_stretch": 0.0, "calf_stretch": 0.0, "step_up": 0.0],
            band: "low", sessionDays: 0.0,
            monitoringDays: 0, stepUpReps: 0,
            trendPct: nil, trendLabel: "insufficient data",
            sideBalance: nil, painChange: nil, maxPain: nil,
            changeVsLastMonth: 0.0,
            // 10-15: the plan (from 09-28) has run 18 days with nothing logged -> never started.
            lastEntry: nil, needsAttention: ["adherence below 50%", "never started"]
        ),
        ExpectedPatient(
            id: "P013", name: "Tomás Reyes", therapist: "",
            sessionsPerWeek: 7, expectedSessions: 15.0,
            overall: 8.0 / 15.0,               // odd dates 1..15 = 8
            adherence: ["hip_flexor_stretch": 8.0 / 15.0, "calf_stretch": 8.0 / 15.0, "step_up": 8.0 / 15.0],
            band: "partial", sessionDays: 8.0 / 15.0,
            monitoringDays: 15,                // 09-17..09-29 odd (7) + 8
            stepUpReps: 199,                   // left 14,14,14,15,15,15,16,16 = 119, right 8*10 = 80
            trendPct: 1358.0 / 323.0,          // n=16 (09-15..10-15 odd dates), sum y=380, Sxy=194, Sxx=1360 -> 4.2043
            trendLabel: "building",
            sideBalance: 80.0 / 119.0,
            painChange: 4.0 / 7.0,             // last 14 (10-02..10-15): odd dates 3..15, six 2s and the 6 of 10-13 = 18/7; first 14 (09-04..09-17): 09-15, 09-17 = 2
            maxPain: 6.0,
            changeVsLastMonth: 1.0 / 30.0,     // 8/15 - 1/2
            lastEntry: "2026-10-15", needsAttention: ["pain above 5"]
        ),
    ]

    // MARK: - Membership and order

    /// P010's plan ran 09-07..09-20 (they logged 09-07..09-20 only). With a plan, only plan days are
    /// active, so they are in no October report (a default-protocol reading would wrongly keep them to 10-17).
    static let notInOctober: [String] = ["P010"]

    /// By urgency (call now, review, not logging, then the rest), each group by overall, then id.
    static let octoberOrder: [String] = [
        // Call now: pain above 5, pain rising, never started, or stopped with the last entry <= 28 days back.
        "P012",  // 0, never started (plan from 09-28)
        "P002",  // 79/186 = 0.425, stopped: last entry 10-22, 9 days back
        "P013",  // 16/31 = 0.516, pain above 5
        "P008",  // 25/31 = 0.806, pain up 2+ and above 5
        // Review: attention, but no call-now reason and the last entry at most 28 days back.
        "P004",  // 9/31 = 0.290, adherence below 50% (last entry 10-31)
        "P003",  // 49/93 = 0.527, holds short
        "P011",  // 22/31 = 0.710, down 20+ points
        "P007",  // 28/31 = 0.903, step-ups declining
        // Not logging: attention, last entry more than 28 days back.
        "P005",  // 0, last entry 09-18: 43 days back (discharged, default protocol)
        // No attention.
        "P006",  // 0.8
        "P009",  // 80/93 = 0.860
        "P001",  // 92/93 = 0.989
    ]

    /// Urgency on the Summary (docs/RULES.md "Urgency"); patients not listed need no attention.
    /// 10-31: see `octoberOrder`.
    static let octoberUrgency: [String: String] = [
        "P012": "call now", "P002": "call now", "P013": "call now", "P008": "call now",
        "P004": "review", "P003": "review", "P011": "review", "P007": "review",
        "P005": "not logging",
    ]

    /// 10-15: P005 (default protocol, last entry 09-18) is 27 days back: still active, stopped,
    /// and at most 28 days back: a call now. P012 never started (plan from 09-28, 18 days);
    /// P013 pain above 5. P003 holds short, P004 under 50% (last entry 10-11), P007 step-ups
    /// declining, P011 down 20+ points: review.
    static let midOctoberUrgency: [String: String] = [
        "P005": "call now", "P012": "call now", "P013": "call now",
        "P003": "review", "P004": "review", "P007": "review", "P011": "review",
    ]

    // MARK: - Ingest counts (both files)

    /// export-2026-09.csv: 387 data records; export-2026-10.csv: 771 data records (in 772 physical
    /// lines after the header: the 10-08 note spans two lines), including 3 duplicates and 6 bad rows.
    static let rowsRead: Int = 1158
    static let rowsRejected: Int = 6
    /// Lines 2-4 of export-2026-10.csv repeat three September rows (P001 09-30 step-ups left and
    /// right, P002 09-29 calf left); they are dropped from the later file read, the October one.
    static let duplicatesDropped: Int = 3

    /// Physical line where each bad record starts (header = line 1; the quoted note of P001 on
    /// 10-08 occupies lines 172-173 of export-2026-10.csv).
    static let rejects: [ExpectedReject] = [
        ExpectedReject(file: "export-2026-10.csv", line: 190, reasonContains: "reps"),       // P006 10-08 reps -10
        ExpectedReject(file: "export-2026-10.csv", line: 241, reasonContains: "patient id"), // empty patient_id
        ExpectedReject(file: "export-2026-10.csv", line: 242, reasonContains: "pain"),       // P008 10-10 pain 11
        ExpectedReject(file: "export-2026-10.csv", line: 347, reasonContains: "fields"),     // P004 10-14, 8 fields instead of 12
        ExpectedReject(file: "export-2026-10.csv", line: 507, reasonContains: "reps"),       // P006 10-20 reps 7.5
        ExpectedReject(file: "export-2026-10.csv", line: 541, reasonContains: "date"),       // P002 2026-02-31
    ]

    /// P006 on 10-12, P011 on 10-04 and 10-11 (all inside both windows).
    static let unknownExercises: [String: Int] = ["Wall sit": 3]
}
