import XCTest
@testable import AdherenceAnalysis

/// Real-world spellings of the programme's exercises and of exercises that only look like them,
/// from public exercise libraries and apps, each with the key a therapist would read it as
/// (domain.md, "Exercise names"), worked out by hand from the rules.
///
/// How each row was decided (domain.md, "Exercise names"):
/// - case, punctuation, plurals and word order never matter;
/// - qualifiers of position, technique or equipment never change the exercise (standing, kneeling,
///   half-kneeling, seated, lying/supine, lunge; wall, hands/elbows against the wall, on a step,
///   stair edge, heels off, heel drop *as a stretch*; straight or bent knee; strap, rope, chair;
///   forward, lateral, box, block, bodyweight, dumbbell, barbell, with weight);
/// - anatomical names of the same stretch count (gastrocnemius, gastroc, soleus = calf; and, by the
///   same principle, iliopsoas and psoas *stretch* = hip flexor stretch);
/// - a name that names another exercise never counts (calf/heel raises, step-downs, marching, hip
///   flexion, eccentric heel drops, lunges, foam rolling), nor one naming two body parts
///   (hamstring + calf, hip flexor + quad) or two movements (step up + step down, + balance, + knee drive);
/// - a name that could be two exercises, or that does not name the exercise at all, is unknown.
final class ExerciseNameTableTests: XCTestCase {
    static let table: [(name: String, key: String?, source: String)] = [
        // MARK: calf_stretch

        // The seed programme's own two techniques (domain.md: "wall lean or heels off a stair edge").
        ("Calf stretch - wall", "calf_stretch", "domain.md seed technique (wall); HEP handout style 'Exercise - qualifier'"),
        ("Standing calf stretch at wall", "calf_stretch", "askdoctorjo.com 'calf stretch in standing'; bloomsbury-osteopathy.co.uk 'Calf stretch against a wall'"),
        ("Stair edge calf stretch", "calf_stretch", "domain.md seed technique (stair edge)"),
        ("Stair Calf Stretch", "calf_stretch", "GitHub Siphon880gh/fitness-deck md-file/Stretch/Calf.up.md"),
        ("Calf stretch on step (heels off)", "calf_stretch", "sportsinjuryclinic.net 'Calf stretch on step' + domain qualifier 'heels off'"),
        ("Calf stretch on step", "calf_stretch", "sportsinjuryclinic.net rehabilitation-exercises 'Calf stretch on step'"),
        // Straight / bent knee are qualifiers; "(soleus)" is the anatomical name of the same stretch.
        ("Straight knee calf stretch", "calf_stretch", "emedx.com powerknee calf/achilles stretch ('knee completely straight')"),
        ("Bent knee calf stretch (soleus)", "calf_stretch", "about.com foot exercises (bent knee wall stretch for the soleus)"),
        ("Wall Calf Stretch - Knee Bent", "calf_stretch", "The Prehab Guys exercise library 'Wall Calf Stretch - Knee Bent'"),
        // Exercise databases on GitHub.
        ("Calf Stretch Hands Against Wall", "calf_stretch", "free-exercise-db (yuhonas/free-exercise-db dist/exercises.json)"),
        ("Calf Stretch Elbows Against Wall", "calf_stretch", "free-exercise-db (yuhonas/free-exercise-db dist/exercises.json)"),
        ("Standing Gastrocnemius Calf Stretch", "calf_stretch", "free-exercise-db (yuhonas/free-exercise-db dist/exercises.json)"),
        ("Seated Calf Stretch", "calf_stretch", "free-exercise-db (yuhonas/free-exercise-db); contrast 'Seated Calf Raise' below"),
        ("Seated Calf Stretch With Strap", "calf_stretch", "The Prehab Guys exercise library"),
        ("calf stretch with rope", "calf_stretch", "ExerciseDB (v2.exercisedb.io, id 1378)"),
        // "assisted" and "lying" are technique/position; "calves" is the plural.
        ("assisted lying calves stretch", "calf_stretch", "ExerciseDB (v2.exercisedb.io, id 1708)"),
        // Anatomical names (domain.md lists gastrocnemius, gastroc, soleus).
        ("Gastroc Stretch on Wall", "calf_stretch", "OrthoIndy Patellofemoral Home Exercise Program handout (MedBridge-style HEP)"),
        ("Standing Soleus Stretch", "calf_stretch", "Merck Manuals video (Tomah Memorial Hospital PT)"),
        ("Soleus stretch", "calf_stretch", "physio4me.co.uk 'Soleus Stretch'; betterfeetpodiatry.com.au"),
        ("Gastrocnemius stretch", "calf_stretch", "saintlukeskc.org health library (gastrocnemius stretch)"),
        ("Wall Soleus Stretch", "calf_stretch", "GitHub Siphon880gh/fitness-deck md-file/Stretch/Calf.up.md"),
        // Judgement: gastroc and soleus are both the calf, so this names ONE body part, not two.
        ("Gastroc/soleus stretch", "calf_stretch", "clinic shorthand; bozemanwellnesscenter.com 'Calf Stretch - Gastrocnemius & Soleus'"),
        ("Calf Stretch - Gastrocnemius & Soleus", "calf_stretch", "bozemanwellnesscenter.com"),
        // Heel drop *as a stretch* is a listed qualifier (and an existing catalog alias).
        ("Heel drop stretch", "calf_stretch", "domain.md qualifier; healthyliving.azcentral.com ('the stair stretch, or heel drop')"),
        ("Calf stretch (heel drop)", "calf_stretch", "domain.md qualifier 'heel drop (as a stretch)'"),
        // Judgement: "wall or step" offers two techniques of the same stretch, not two exercises.
        ("Calf Stretch (Wall or Step)", "calf_stretch", "GitHub running-plan JSON (exercise 'calf_stretch_wall_or_step')"),
        ("CALF STRETCHES", "calf_stretch", "case + plural"),

        // MARK: hip_flexor_stretch

        // domain.md's own three spellings of one exercise.
        ("Hip flexor stretch (kneeling)", "hip_flexor_stretch", "domain.md; GitHub workout JSON 'Hip Flexor Stretch (Kneeling)'"),
        ("Kneeling hip flexor stretch", "hip_flexor_stretch", "domain.md; shirakramer.com.au exercises; changingshape.com"),
        ("HIP FLEXOR STRETCH, KNEELING", "hip_flexor_stretch", "domain.md (app exports in capitals, qualifier after a comma)"),
        ("Stretch - hip flexor (half kneeling)", "hip_flexor_stretch", "HEP library naming 'Category - exercise (position)'"),
        ("Half-kneel hip flexor stretch", "hip_flexor_stretch", "ascentpt.blog 'Exercise of the week: Half-kneel hip flexor stretch'"),
        ("Standing Hip Flexor Stretch on Chair", "hip_flexor_stretch", "OrthoIndy Patellofemoral Home Exercise Program handout"),
        ("Standing hip flexor stretch", "hip_flexor_stretch", "runningstrong.com"),
        // Lunge is a position qualifier when the name says hip flexor stretch (a bare lunge is not).
        ("Lunge Hip Flexor Stretch", "hip_flexor_stretch", "fitness.com workouts 'Lunge Hip Flexor Stretch'; anteriorpelvictilthq.com"),
        ("Hip flexor stretch in lunge position", "hip_flexor_stretch", "askdoctorjo.com 'hip flexor stretch in a lunge position'"),
        ("Lunge stretch for hip flexors", "hip_flexor_stretch", "GitHub i18n strings 'Lunge position stretch for hip flexors'"),
        ("Supine Hip Flexor Stretch", "hip_flexor_stretch", "The Prehab Guys exercise library"),
        ("Lying Hip Flexor Stretch", "hip_flexor_stretch", "ExRx.net Stretches/HipFlexors/LyingHipFlexor; bodbot.com"),
        // Judgement: "Thomas" names the technique (Thomas-test position); the name says hip flexor stretch.
        ("Thomas Hip Flexor Stretch", "hip_flexor_stretch", "sportsinjuryclinic.net 'Thomas Hip Flexor Stretch'"),
        // Judgement: iliopsoas / psoas *stretch* is the anatomical name of the same stretch (cf. soleus for calf).
        ("Kneeling Iliopsoas Stretch", "hip_flexor_stretch", "drtimspeciale.com 'Kneeling Iliopsoas Stretch'"),
        ("Iliopsoas stretch", "hip_flexor_stretch", "anatomical name; row2k.com physio 'Psoas (hip flexors)'"),
        ("Psoas Stretch", "hip_flexor_stretch", "better-backs.com 'Psoas Stretch' (half kneeling); oakingtons.com"),
        // Judgement: no 'stretch', but it is the free-exercise-db *stretching* entry, kneeling is a stretch
        // position, and a bare "hip flexor" is already a catalog alias of the stretch.
        ("Kneeling Hip Flexor", "hip_flexor_stretch", "free-exercise-db (yuhonas/free-exercise-db), category 'stretching'"),
        ("Hip flexor stretches", "hip_flexor_stretch", "plural"),

        // MARK: step_up

        ("Step-Ups (forward)", "step_up", "domain brief; getwellen.com 'Forward step ups'"),
        ("Step ups (forward)", "step_up", "domain brief (no hyphen)"),
        ("Lateral Step Up", "step_up", "UW Health exercise spotlight 'Lateral Step Up' (uwhealth.org)"),
        ("Box step-up", "step_up", "domain qualifier 'box'; posecode step-up (equipment: box)"),
        ("Step Up Box", "step_up", "fysiofitaal.nl/en/exercise/step-up-box (word order)"),
        ("Step up onto block", "step_up", "domain.md clinical table ('step up onto a block')"),
        ("Bodyweight step-ups", "step_up", "domain qualifier 'bodyweight'"),
        // Judgement: dumbbell / barbell / "with weight" are equipment qualifiers.
        ("Forward Step Ups with Weight", "step_up", "getwellen.com/exercises/forward-step-ups-with-weight"),
        ("Dumbbell Step Ups", "step_up", "free-exercise-db (yuhonas/free-exercise-db); wger-based GymRats master list"),
        ("Barbell Step Ups", "step_up", "free-exercise-db (yuhonas/free-exercise-db)"),
        ("Step up", "step_up", "peak-physio.com.au exercises 'Strength: Step Up'"),
        ("STEP-UPS", "step_up", "case + hyphen + plural"),
        ("Stepups", "step_up", "one-word spelling seen in app exports"),

        // MARK: side written in the name (domain.md: a real export shape; the side is handled separately)

        ("Calf stretch - left", "calf_stretch", "domain.md example of a side in the name"),
        ("Left calf stretch", "calf_stretch", "side first; wger names sides in the name ('Pistol squats right')"),
        ("Hip flexor stretch right leg", "hip_flexor_stretch", "domain.md example ('right leg')"),
        ("Kneeling hip flexor stretch (L)", "hip_flexor_stretch", "side abbreviation L (domain.md side values L/R/B)"),
        ("Step-ups (R)", "step_up", "domain.md example"),
        ("Forward step-up (R)", "step_up", "domain brief; qualifier + side"),
        // "lateral" is a technique (sideways step-up), not a side; "left" is the side.
        ("Lateral step ups - left", "step_up", "UW Health 'Lateral Step Up' with a side suffix"),

        // MARK: unknown - calf and heel raises (strengthening), any variant

        ("Seated Calf Raise", nil, "free-exercise-db (yuhonas/free-exercise-db); contrast 'Seated Calf Stretch'"),
        ("Standing Calf Raises", nil, "free-exercise-db (yuhonas/free-exercise-db)"),
        ("Heel Raise", nil, "peak-physio.com.au program (knee rehab HEP)"),
        ("Single leg heel raise", nil, "domain: heel raises, any variant"),
        ("band single leg calf raise", nil, "ExerciseDB (v2.exercisedb.io, id 0999)"),
        // Names a step, a bent knee and the calf, and even says it stretches the soleus: still a calf raise.
        ("Calf raise with knee bent step one leg", nil, "calfraises.com"),
        ("Calf Raises - Single", nil, "GitHub gist workout.json (knee rehab moves)"),
        ("Donkey Calf Raises", nil, "free-exercise-db (yuhonas/free-exercise-db)"),

        // MARK: unknown - eccentric heel drops (strengthening), versus 'heel drop stretch' above

        ("Eccentric Heel Drop", nil, "GitHub Lift-Tracker CalfExercises.swift"),
        ("Alfredson heel drops", nil, "sportcoaching.com.au 'Alfredson's Eccentric Heel Drop Protocol'; walkerstreetsportspodiatry.com.au"),
        // Judgement: a bare "heel drops" is the Alfredson exercise as often as a stretch: could be two, so unknown.
        ("Heel drops", nil, "wmc.org.nz ('heel drops over a stair'); Alfredson protocol pages"),
        ("Straight-legged heel drops", nil, "lehshoes.com Alfredson protocol phase I"),

        // MARK: unknown - foam rolling / SMR, toes, feet, ankles

        ("Calf foam roll", nil, "domain brief"),
        ("Calf Foam Rolling", nil, "GitHub Siphon880gh/fitness-deck md-file/Stretch/Calf.up.md"),
        ("Calves-SMR", nil, "free-exercise-db (yuhonas/free-exercise-db), self-myofascial release"),
        // Names gastrocnemius, but it is foam rolling, not a stretch.
        ("SMR Gastrocnemius Foam Roll", nil, "adventureperformancetraining.com"),
        ("Toe stretch", nil, "domain brief"),
        ("Seated Toe Stretch", nil, "GitHub Siphon880gh/fitness-deck md-file/Stretch/Calf.up.md"),
        ("Standing Big Toe Stretch", nil, "The Prehab Guys exercise library"),
        ("Plantar fascia stretch", nil, "injuredrunner.com"),
        ("Ankle Circles", nil, "free-exercise-db; ExerciseDB (lower legs)"),
        ("Calf Walks", nil, "GitHub runner warm-up table (Calf Walks / Heel Walks)"),

        // MARK: unknown - calf stretches whose name does not say calf (or is ambiguous)

        // These are calf stretches by description, but no name rule settles them; the clinic can.
        ("Toe Dips", nil, "orthopedics.about.com calf strain stretching ('Toe Dips')"),
        ("Stair stretch", nil, "healthyliving.azcentral.com ankle stretches using stairs"),
        // Contains "step", names neither step-up nor calf.
        ("Step Stretch", nil, "ACE Fitness exercise library (acefitness.org, exerciseid=211)"),
        ("Bent Knee Wall Stretch", nil, "foothealth.about.com foot exercises"),
        // Judgement: "runner's stretch" is used both for the calf stretch and for a lunge hip flexor stretch.
        ("Runner's stretch", nil, "askdoctorjo.com 'calf stretch standing (runners stretch)'"),

        // MARK: unknown - two body parts in one stretch

        ("Seated Hamstring and Calf Stretch", nil, "free-exercise-db (yuhonas/free-exercise-db)"),
        ("Standing Hamstring and Calf Stretch", nil, "free-exercise-db (yuhonas/free-exercise-db)"),
        ("Hamstring and calf stretch", nil, "domain.md example"),
        ("Intermediate Hip Flexor and Quad Stretch", nil, "free-exercise-db (yuhonas/free-exercise-db)"),
        ("Hip Flexor Quad Stretch", nil, "makeoverfitness.com quadricep stretches"),
        ("Quad and hip flexor stretch", nil, "domain brief"),

        // MARK: unknown - hip flexor strengthening and marching

        ("Hip Flexion with Band", nil, "free-exercise-db (yuhonas/free-exercise-db), category 'strength'"),
        ("Standing Hip Flexion", nil, "oncolink.org strength exercises; ccsmed.com"),
        ("Resisted hip flexion", nil, "domain: hip flexion with a band"),
        ("Hip flexor strengthening", nil, "domain brief; morelifehealth.com exercise library"),
        ("Standing Psoas March", nil, "clementpt.com; The Prehab Guys 'Standing Psoas March - Band'"),
        ("Banded psoas march", nil, "verywellfit.com 'How To Do a Banded Psoas March'"),
        ("Standing hip marching", nil, "domain: marching"),
        ("March or jog in place", nil, "wger exercise 1584 (via GymRats master list)"),

        // MARK: unknown - hip stretches that do not say hip flexor, and lunges

        // Judgement: a therapist may read these as hip flexor stretches, but the name does not say so.
        ("Thomas stretch", nil, "sportsinjuryclinic.net (named after the Thomas test)"),
        ("Couch Stretch", nil, "The Prehab Guys 'Couch Stretch'; knee programme on pastebin"),
        ("Lunge Position Stretch", nil, "fitstep.com 'Stretches for Your Hip Flexors: Lunge Position Stretch'"),
        ("Kneeling Hip Stretch", nil, "phyxphysio.co.nz 'Kneeling Hip Stretch'"),
        // A lunge is not a hip flexor stretch, even when a library files it under stretching.
        ("Reverse lunges", nil, "wger exercise 999; physiohealth.com.au"),
        ("Walking Lunges", nil, "GitHub LUNGE_EXERCISES table"),
        ("Crossover Reverse Lunge", nil, "free-exercise-db (yuhonas/free-exercise-db), category 'stretching'"),

        // MARK: unknown - other stretches

        ("Quad Stretch", nil, "free-exercise-db (yuhonas/free-exercise-db)"),
        ("Hamstring Stretch", nil, "free-exercise-db (yuhonas/free-exercise-db)"),
        ("IT Band and Glute Stretch", nil, "free-exercise-db (yuhonas/free-exercise-db)"),
        ("ITB stretch", nil, "domain brief; studylib 'TFL / I.T. Band stretch'"),
        ("Piriformis Stretch", nil, "studylib safe back exercises leaflet"),

        // MARK: unknown - step-downs (up is not down)

        ("Lateral Step Down", nil, "The Prehab Guys exercise library"),
        ("Eccentric Step Down", nil, "myphysiosays.com; peak-physio.com.au 'eccentric quadriceps step down'"),
        ("Backward Step Downs", nil, "members.apcphysio.ie"),
        ("Step Down - Forwards", nil, "GitHub gist workout.json (knee rehab moves)"),
        ("Side step down", nil, "central-health.com video 'Side Step Down'"),
        ("Forward step down", nil, "domain brief"),
        ("Step down", nil, "rehabhero.ca/exercise/step-down"),

        // MARK: unknown - a step-up combined with another movement

        // Judgement: names both step up and step down: "could be two exercises".
        ("Step up and down", nil, "peak-physio.com.au step-up progression 'Stepping Up and Down Forwards'"),
        // Judgement: "and over" adds stepping over and down the far side; not a listed qualifier.
        ("Step Up & Over", nil, "The Prehab Guys 'Step Up & Over'"),
        // Judgement: balance (single-leg balance) is an exercise of its own, so these name two
        // exercises; not a technique qualifier of the list. The clinic can settle them in its catalog.
        ("Anterior Step Up To Single Leg Balance", nil, "The Prehab Guys exercise library"),
        ("Step Up To Balance Sideways", nil, "adventureperformancetraining.com"),
        ("Step-up to balance", nil, "domain brief"),
        // Knee raise / knee drive are exercises of their own: two exercises in one name.
        ("Step-up with Knee Raise", nil, "free-exercise-db (yuhonas/free-exercise-db)"),
        ("Step Up and Knee Drive", nil, "support.runna.com exercise tutorial"),

        // MARK: unknown - "step" but not a step-up

        ("Step Mill", nil, "free-exercise-db (yuhonas/free-exercise-db), category 'cardio'"),
        ("SL Hop to Step", nil, "peak-physio.com.au/exercise/sl-hop-to-step"),
    ]

    func testEveryNameMatchesAsATherapistReadsIt() {
        var wrong: [String] = []
        for row in Self.table {
            let got = ExerciseNameRules.key(for: row.name)
            if got != row.key { wrong.append("'\(row.name)': expected \(row.key ?? "unknown"), got \(got ?? "unknown")") }
        }
        XCTAssertEqual(wrong, [], "\(wrong.count) of \(Self.table.count) names matched wrongly")
    }

    func testTheStandardCatalogAgreesWithTheRules() {
        let catalog = ExerciseCatalog.standard
        for row in Self.table {
            let got = catalog.lookup(row.name).map { catalog.exercises[$0].key }
            XCTAssertEqual(got, row.key, row.name)
        }
    }

    func testTableIsLargeAndHasBothKinds() {
        XCTAssertGreaterThanOrEqual(Self.table.count, 60)
        XCTAssertGreaterThanOrEqual(Self.table.filter { $0.key == nil }.count, 25)
        XCTAssertGreaterThanOrEqual(Self.table.filter { $0.key != nil }.count, 25)
        XCTAssertEqual(Set(Self.table.map { $0.name.lowercased() }).count, Self.table.count, "no name twice")
    }

    /// Names are compared as lowercased letters and digits only; ASCII names take a byte path,
    /// which must give what the definition gives (every ASCII character, and mixed names).
    func testNormalizingKeepsLowercasedLettersAndDigits() {
        func definition(_ s: String) -> String {
            String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
        }
        let every = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        XCTAssertEqual(ExerciseCatalog.normalize(every), "0123456789abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz")
        XCTAssertEqual(ExerciseCatalog.normalize(every), definition(every))
        for s in ["Step-Ups ", "Hip Flexor Stretch (L)", "patient_id", "Patient # ", "Étirement du mollet", "Zoë Müller", "ＳＴＥＰ", "", "  -- "] {
            XCTAssertEqual(ExerciseCatalog.normalize(s), definition(s), s)
        }
        XCTAssertEqual(ExerciseCatalog.normalize("Step-Ups 2"), "stepups2")
    }
}
