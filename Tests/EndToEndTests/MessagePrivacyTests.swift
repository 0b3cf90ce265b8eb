import Foundation
import XCTest
import TestSupport

/// No patient data in any message or log: each message that quoted input is checked with a
/// patient's name (or a date of care) where that input was, as real `report`, `check`,
/// `nightly --log-file` and `trend` processes. The workbooks and the rejects file are where the
/// data belongs (and `trend`'s view, which shows the one patient asked for); standard output,
/// standard error and the log are not.
final class MessagePrivacyTests: XCTestCase {
    let secret = "Avery Lindqvist"

    struct Said { let code: Int32; let text: String }

    /// Runs each command on `files` and returns what it printed and logged.
    func say(_ files: [String: String], plans: String? = nil, commands: [String] = ["report", "check", "nightly", "trend"]) throws -> [String: Said] {
        let dir = try temporaryFolder(self)
        let inputs = dir.appendingPathComponent("in")
        for (name, text) in files { try writeText(text, to: inputs.appendingPathComponent(name)) }
        var extra: [String] = []
        if let plans {
            try writeText(plans, to: dir.appendingPathComponent("plans.csv"))
            extra = ["--plans", dir.appendingPathComponent("plans.csv").path]
        }
        let out = dir.appendingPathComponent("out").path
        let log = dir.appendingPathComponent("nightly.log")
        var said: [String: Said] = [:]
        for command in commands {
            let args: [String]
            switch command {
            case "report": args = ["report", "--month", "2026-10", "--out", out] + extra + [inputs.path]
            case "check": args = ["check"] + extra + [inputs.path]
            case "nightly": args = ["nightly", "--today", "2026-10-20", "--settle-seconds", "0", "--out", out, "--log-file", log.path] + extra + [inputs.path]
            default: args = ["trend", "P1", "--as-of", "2026-10-20"] + extra + [inputs.path]
            }
            let r = try AdhereProcess.run(args)
            let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            said[command] = Said(code: r.code, text: r.stdout + r.stderr + logged)
        }
        return said
    }

    func assertPrivate(_ said: [String: Said], not secrets: [String], butSays expected: String?,
                       file: StaticString = #filePath, line: UInt = #line) {
        for (command, s) in said {
            for secret in secrets {
                XCTAssertFalse(s.text.contains(secret), "\(command) said '\(secret)': \(s.text)", file: file, line: line)
            }
            if let expected {
                XCTAssertTrue(s.text.contains(expected), "\(command) did not say '\(expected)': \(s.text)", file: file, line: line)
            }
        }
    }

    /// Slash dates that never settle the order: the example was the first such value, which in a
    /// shifted row is a name. Now its line.
    func testAmbiguousDatesAreNamedByLine() throws {
        let said = try say(["a.csv": "patient_id,performed_at,exercise,reps\nP1,01/02/\(secret),Step-ups,10\nP1,03/04/2026,Step-ups,10\n"])
        assertPrivate(said, not: [secret], butSays: "(for example on line 2) could be day/month or month/day")
    }

    /// Day-first and month-first dates in one column: both examples were values.
    func testConflictingDatesAreNamedByLine() throws {
        let said = try say(["a.csv": "patient_id,performed_at,exercise,reps\nP1,13/02/\(secret),Step-ups,10\nP1,02/13/2026,Step-ups,10\n"])
        assertPrivate(said, not: [secret, "02/13/2026"], butSays: "mixes day-first dates (like the one on line 2) and month-first dates (like the one on line 3)")
    }

    /// A headerless export whose first row holds no date (an unreadable one) but a note that
    /// matches a column name ("Pain") was taken as a header missing columns, and the message
    /// listed its "columns": the patient's name. A plain number (the reps) shows it is data.
    func testAHeaderlessRowWithoutADateIsNotListedAsColumns() throws {
        let said = try say(["a.csv": "P1,\(secret),Dana,yesterday,Step-ups,,1,10,Pain\n"])
        assertPrivate(said, not: [secret], butSays: "seems to have no header row")
    }

    /// Column headers are still shown when columns are missing (they are the export's, not a
    /// patient's), with control characters made harmless.
    func testMissingColumnsShowHeadersWithoutControlCharacters() throws {
        let said = try say(["a.csv": "Client,When\u{1B}[2J,exercise,reps\nP1,x,Step-ups,10\n"], commands: ["report", "check"])
        assertPrivate(said, not: ["\u{1B}"], butSays: "Columns found: 'Client', 'When\u{FFFD}[2J', 'exercise', 'reps'")
    }

    /// A plan ending before it starts: the dates of care were repeated.
    func testPlanProblemsRepeatNoValue() throws {
        let export = "patient_id,patient_name,performed_at,exercise,reps\nP1,\(secret),2026-10-05,Step-ups,10\n"
        let plans = "patient_id,exercise,reps_per_side,hold_seconds,sessions_per_week,start_date,end_date,patient_name\n"
            + "P1,Step-ups,,,5,2026-10-01,2026-09-01,\(secret)\n"
            + "P1,\(secret),,,9,someday,,\(secret)\n"
        let said = try say(["a.csv": export], plans: plans)
        assertPrivate(said, not: [secret, "2026-09-01", "2026-10-01", "someday"],
                      butSays: "line 2: end_date is before start_date")
        XCTAssertTrue(said["report"]?.text.contains("line 3: the exercise is not in the catalog (add it with --catalog); sessions_per_week must be a whole number from 1 to 7; start_date is not a date (use YYYY-MM-DD)") == true, said["report"]?.text ?? "")
    }

    /// An export with its columns shifted puts names where exercise names go: the warning every
    /// run prints (cron mail, the log) said up to three of them. It counts them now; check and
    /// the workbooks list them.
    func testTheUnknownExerciseWarningRepeatsNoName() throws {
        let said = try say(["a.csv": "patient_id,exercise,patient_name,performed_at,reps\nP1,\(secret),Step-ups,2026-10-05,10\n"],
                           commands: ["report", "nightly", "trend"])
        assertPrivate(said, not: [secret], butSays: "use 1 exercise name adhere does not know (adhere check and the workbooks' Data issues list them)")
    }

    /// Rejected rows: their reasons quote the value (for the workbook and the rejects file);
    /// what the commands print groups them by reason, without it.
    func testRejectedRowsArePrintedByReasonWithoutTheirValues() throws {
        let said = try say(["a.csv": "patient_id,patient_name,performed_at,exercise,side,reps,pain\n"
                            + "P1,Bo,2026-10-05,Step-ups,,10,\n"
                            + "P1,Bo,\(secret),Step-ups,,10,\n"
                            + "P1,Bo,2026-10-06,Step-ups,\(secret),10,\n"
                            + "P1,Bo,2026-10-07,Step-ups,,\(secret),\n"
                            + "P1,Bo,2026-10-08,Step-ups,,10,\(secret)\n"])
        assertPrivate(said, not: [secret], butSays: nil)
        let check = try XCTUnwrap(said["check"]?.text)
        for reason in ["rejected, unreadable date: 1 (line 3)", "rejected, side must be left, right or both: 1 (line 4)",
                       "rejected, reps must be a whole number 0 or more: 1 (line 5)", "rejected, pain must be a number from 0 to 10: 1 (line 6)"] {
            XCTAssertTrue(check.contains(reason), "\(reason): \(check)")
        }
    }
}
