import Foundation
import XCTest
import TestSupport

/// Exports as apps write them (issue: names and shapes): the same sessions spelled and shaped
/// differently give exactly the canonical export's figures, names of other exercises stay out,
/// and nothing adhere does not understand goes unsaid.
final class ExportShapeTests: XCTestCase {
    /// The report's JSON for `inputs` (October 2026, everybody in one workbook).
    func figures(_ inputs: [String], extra: [String] = [], plans: Bool = true) throws -> (json: [String: Any], result: AdhereProcess.Result, out: URL) {
        let out = try temporaryFolder(self)
        var args = ["report", "--month", "2026-10", "--by", "all", "--out", out.path, "--json", out.appendingPathComponent("r.json").path]
        if plans { args += ["--plans", "Fixtures/plans.csv"] }
        let r = try AdhereProcess.run(args + extra + inputs)
        let data = try Data(contentsOf: out.appendingPathComponent("r.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], r.stderr)
        return (json, r, out)
    }

    func patients(_ json: [String: Any]) -> NSArray { (json["patients"] as? NSArray) ?? [] }

    // MARK: - Shapes give the canonical figures

    /// Fixtures/shapes is written by scripts/make-shape-fixtures.py from the sample export; each
    /// shape means exactly what the canonical export means (the sample's figures are worked out
    /// by hand in FixtureExpectations.swift).
    func testAppSpellingsPerSetRowsAndSidesInNamesGiveTheCanonicalFigures() throws {
        let canonical = try figures(["Fixtures/sessions"])
        XCTAssertEqual(canonical.result.code, 0, canonical.result.stderr)
        for shape in ["app-names", "per-set", "side-in-name"] {
            let other = try figures(["Fixtures/shapes/\(shape)"])
            XCTAssertEqual(other.result.code, 0, "\(shape): \(other.result.stderr)")
            XCTAssertEqual(patients(other.json), patients(canonical.json), "\(shape): every patient's figures as in the canonical export")
            XCTAssertEqual(other.json["unknown_exercises"] as? NSArray, canonical.json["unknown_exercises"] as? NSArray, shape)
        }
    }

    func testLeftAndRightRepsColumnsGiveTheFiguresOfTheSameRowsWrittenPerSide() throws {
        let paired = try figures(["Fixtures/shapes/left-right"])
        let reference = try figures(["Fixtures/shapes/left-right-reference"])
        XCTAssertEqual(paired.result.code, 0, paired.result.stderr)
        XCTAssertEqual(patients(paired.json), patients(reference.json))
        XCTAssertGreaterThan(patients(paired.json).count, 10)
    }

    /// Hand-worked: D001 (default protocol, first entry 1 Oct), report as of 4 Oct: 4 active days,
    /// 4 expected sessions. Done = 10 per side for the stretches, 1 rep for step-ups.
    /// Hip flexor: 1 + 1 + 0 + 0.5 (left only) = 2.5 / 4 = 62.5%. Calf: 1 + 0 + 0 + 1 = 50%.
    /// Step-ups: 1 + 1 + 0 + 1 = 75%, 3 reps. Overall (62.5 + 50 + 75) / 3 = 62.5%.
    /// Session days: not-done rows are entries too, so 4 of 4 days = 100%.
    /// 13 rows read: 12 counted, 1 rejected ("maybe" is neither yes nor no).
    func testADoneColumnCountsThePrescribedReps() throws {
        let r = try figures(["Fixtures/shapes/done"], extra: ["--as-of", "2026-10-04"], plans: false)
        XCTAssertEqual(r.result.code, 0, r.result.stderr)
        XCTAssertEqual(r.json["rows_read"] as? Int, 13)
        XCTAssertEqual(r.json["rows_rejected"] as? Int, 1)
        let p = try XCTUnwrap(patients(r.json).firstObject as? [String: Any])
        XCTAssertEqual(p["patient_id"] as? String, "D001")
        let adherence = try XCTUnwrap(p["adherence"] as? [String: Any])
        assertClose(adherence["hip_flexor_stretch"] as? Double, 0.625, "hip flexor")
        assertClose(adherence["calf_stretch"] as? Double, 0.5, "calf")
        assertClose(adherence["step_up"] as? Double, 0.75, "step-ups")
        assertClose(p["overall_adherence"] as? Double, 0.625, "overall")
        XCTAssertEqual(p["step_up_reps"] as? Int, 3)
        assertClose(p["session_days"] as? Double, 1.0, "session days")
        let rejects = try String(contentsOf: r.out.appendingPathComponent("rejects-2026-10.csv"), encoding: .utf8)
        XCTAssertTrue(rejects.contains("done must be yes or no, found 'maybe'"), rejects)
    }

    func testAFileThatCouldBeReadTwoWaysIsAnErrorNamingTheOption() throws {
        let dir = try temporaryFolder(self)
        let file = dir.appendingPathComponent("x.csv")
        try "patient_id,performed_at,exercise,Set,reps\nP1,2026-10-01,Step-ups,1,10\n".write(to: file, atomically: false, encoding: .utf8)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", dir.appendingPathComponent("out").path, file.path])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("--column 'Set=sets' or --column 'Set=set_number'"), r.stderr)
        // Settled by the option it names: a set number, so 10 reps.
        let settled = try AdhereProcess.run(["report", "--month", "2026-10", "--out", dir.appendingPathComponent("out").path,
                                             "--column", "Set=set_number", "--json", "-", file.path])
        XCTAssertEqual(settled.code, 0, settled.stderr)
        XCTAssertTrue(settled.stdout.contains("\"step_up_reps\" : 10"), settled.stdout)
    }

    // MARK: - Names of other exercises stay out; unknown names are said

    /// Hand-worked: P1 (default protocol) logs on 1-2 Oct hip flexor 10 both, "Calf raises" 10,
    /// "Step-downs" 12; as of 2 Oct: 2 expected sessions. Hip flexor 100%, calf stretch 0%
    /// (calf raises are not calf stretches), step-ups 0% (step-downs are not step-ups);
    /// overall 33.3%; other reps 2 x (10 + 12) = 44.
    func testNamesOfOtherExercisesNeverCountAndAreSaidEvenWhenQuiet() throws {
        let dir = try temporaryFolder(self)
        let file = dir.appendingPathComponent("x.csv")
        try """
        patient_id,performed_at,exercise,reps
        P1,2026-10-01,Hip flexor stretch,10
        P1,2026-10-01,Calf raises,10
        P1,2026-10-01,Step-downs,12
        P1,2026-10-02,Hip flexor stretch,10
        P1,2026-10-02,Calf raises,10
        P1,2026-10-02,Step-downs,12

        """.write(to: file, atomically: false, encoding: .utf8)
        let r = try figures([file.path], extra: ["--as-of", "2026-10-02", "--quiet", "--strict"], plans: false)
        XCTAssertEqual(r.result.code, 1, "--strict fails on unknown names: \(r.result.stderr)")
        XCTAssertEqual(r.result.stdout, "")
        let lines = r.result.stderr.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("adhere: warning: 4 rows of 1 patient use 2 exercise names adhere does not know (adhere check and the workbooks' Data issues list them)") }, r.result.stderr)
        XCTAssertTrue(r.result.stderr.contains("adhere check --write-catalog catalog.csv"), r.result.stderr)
        let p = try XCTUnwrap(patients(r.json).firstObject as? [String: Any])
        let adherence = try XCTUnwrap(p["adherence"] as? [String: Any])
        assertClose(adherence["hip_flexor_stretch"] as? Double, 1, "hip flexor")
        assertClose(adherence["calf_stretch"] as? Double, 0, "calf raises are not calf stretches")
        assertClose(adherence["step_up"] as? Double, 0, "step-downs are not step-ups")
        XCTAssertEqual(p["other_reps"] as? Int, 44)
        // The workbook says it at the top of the Summary.
        let s = try XCTUnwrap(WorkbookDump.read(r.out.appendingPathComponent("adhere-2026-10-all.xlsx").path).sheet("Summary"))
        XCTAssertEqual(s["A2"]?.v.string?.hasPrefix("Note: Exercise names adhere does not know ('Calf raises', 'Step-downs') carry entries of 1 patient here"), true, "\(String(describing: s["A2"]))")
    }

    /// `check --write-catalog` hands the admin a catalog; with its blank keys filled in as
    /// 'other', the names are settled: no warning, the reps stay other reps.
    func testCheckWritesACatalogThatSettlesTheNamesForGood() throws {
        let dir = try temporaryFolder(self)
        let catalog = dir.appendingPathComponent("catalog.csv")
        let c = try AdhereProcess.run(["check", "--write-catalog", catalog.path, "Fixtures/shapes/app-names"])
        XCTAssertEqual(c.code, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("  'Wall sit': 3 rows, 2 patients"), c.stdout)
        var text = try String(contentsOf: catalog, encoding: .utf8)
        let lines = text.split(separator: "\r\n").map(String.init)
        XCTAssertEqual(lines.first, "key,name,aliases,reps_per_side,hold_seconds,default_protocol")
        XCTAssertEqual(lines[1], ",,Wall sit,,,", "the unknown name first, its key blank")
        XCTAssertTrue(lines.contains("calf_stretch,,Calf stretch - wall,,,"), text)
        XCTAssertTrue(lines.contains("step_up,,Step ups (forward),,,"), text)
        XCTAssertTrue(lines.contains("hip_flexor_stretch,,\"HIP FLEXOR STRETCH, KNEELING\",,,"), text)
        text = text.replacingOccurrences(of: ",,Wall sit,,,", with: "other,,Wall sit,,,")
        try text.write(to: catalog, atomically: false, encoding: .utf8)
        let r = try figures(["Fixtures/shapes/app-names"], extra: ["--catalog", catalog.path, "--quiet"])
        XCTAssertEqual(r.result.code, 0, r.result.stderr)
        XCTAssertEqual(r.result.stderr, "", "settled names are not warned about")
        XCTAssertEqual((r.json["unknown_exercises"] as? NSArray)?.count, 0)
        let p011 = try XCTUnwrap(patients(r.json).compactMap { $0 as? [String: Any] }.first { $0["patient_id"] as? String == "P011" })
        XCTAssertEqual(p011["other_reps"] as? Int, 4, "Wall sit still an entry, reps shown as other (2 rows x 2 reps)")
    }

    func testAnUnfinishedCatalogIsAnErrorNamingItsLine() throws {
        let dir = try temporaryFolder(self)
        let catalog = dir.appendingPathComponent("catalog.csv")
        try "key,name,aliases\n,,Wall sit\n".write(to: catalog, atomically: false, encoding: .utf8)
        let r = try AdhereProcess.run(["report", "--month", "2026-10", "--out", dir.appendingPathComponent("o").path,
                                       "--catalog", catalog.path, "Fixtures/sessions"])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("line 2: missing key for 'Wall sit'"), r.stderr)
    }

    // MARK: - Missing clinical columns and header suggestions

    func testAMissingPainColumnIsSaidPerFileAndOnTheSummary() throws {
        let dir = try temporaryFolder(self)
        let file = dir.appendingPathComponent("nopain.csv")
        try "patient_id,performed_at,exercise,side,sets,reps,hold_seconds\nP1,2026-10-01,Step-ups,left,1,10,\n".write(to: file, atomically: false, encoding: .utf8)
        let c = try AdhereProcess.run(["check", file.path])
        XCTAssertTrue(c.stdout.contains("note: no pain column: no pain flags from this file"), c.stdout)
        let r = try figures([file.path], plans: false)
        XCTAssertEqual(r.result.code, 0, r.result.stderr)
        let s = try XCTUnwrap(WorkbookDump.read(r.out.appendingPathComponent("adhere-2026-10-all.xlsx").path).sheet("Summary"))
        XCTAssertEqual(s["A2"]?.v.string, "Note: The exports (nopain.csv) record no pain: no pain flags can be raised for their rows, and pain figures from them are not recorded.")
        let maxPain = try XCTUnwrap(s.column(titled: "Max pain"))
        XCTAssertNil(s["\(maxPain)\(s.tableHeaderRow + 1)"], "pain not recorded: empty, never 0")
    }

    func testHeaderSuggestionsLookAtTheValues() throws {
        let dir = try temporaryFolder(self)
        let file = dir.appendingPathComponent("x.csv")
        // 'Patient' holds names (never an id); 'Patient Rf' holds ids; 'Rep dt' holds dates (never reps).
        try """
        Patient,Patient Rf,performed_at,exercise,Rep dt
        Avery Lindqvist,P001,2026-10-01,Step-ups,2026-10-01
        Bea Castillo,P002,2026-10-01,Step-ups,2026-10-02

        """.write(to: file, atomically: false, encoding: .utf8)
        let r = try AdhereProcess.run(["check", file.path])
        XCTAssertNotEqual(r.code, 0)
        let all = r.stdout + r.stderr
        XCTAssertTrue(all.contains("Nearest: 'Patient Rf' for patient_id"), all)
        XCTAssertFalse(all.contains("'Patient' for patient_id"), all)
        XCTAssertFalse(all.contains("for reps"), all)
        XCTAssertTrue(all.contains("--column 'Patient Rf=patient_id'") && all.contains("column = Patient Rf=patient_id"), all)
        XCTAssertFalse(all.contains("Avery") || all.contains("Bea"), "no patient names in messages")
    }
}
