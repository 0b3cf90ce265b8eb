import AdherenceAnalysis
import ArgumentParser
import Foundation
import XCTest
@testable import AdhereCommands
@testable import ReportBuilder

/// The command layer called in-process: settings resolved from the config file and the command
/// line (one place for every command), the exit code a run ends with, the names of its files.
/// (Exit codes, locks and kill -9 stay process-level tests in EndToEndTests.)
final class SettingsTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func config(_ text: String) throws -> String {
        let path = folder.appendingPathComponent("adhere.conf").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func resolve(_ arguments: [String], output: [String]? = [], nightly: Bool = false) throws -> RunSettings {
        // Each options group parses the arguments meant for it, as the commands' do.
        let common = try CommonOptions.parse(arguments.filter { $0.hasPrefix("--config=") || $0.hasPrefix("--today=") })
        let input = try InputOptions.parse(arguments.filter { !$0.hasPrefix("--config=") && !$0.hasPrefix("--today=") && !$0.hasPrefix("--by=") && !$0.hasPrefix("--out=") })
        let out = try output.map { _ in try OutputOptions.parse(arguments.filter { $0.hasPrefix("--by=") || $0.hasPrefix("--out=") }) }
        return try RunSettings.resolve(common: common, input: input, output: out, nightly: nightly)
    }

    func testConfigFileValuesWithPathsReadFromTheFilesFolder() throws {
        let path = try config("""
        # a clinic's settings
        input = exports
        plans = plans.csv
        by = clinic
        adherent = 85%
        pain-ceiling = 6
        rtm-code = 98977 16
        rtm-code = 98985 2
        """)
        let s = try resolve(["--config=\(path)"])
        let dir = folder.path
        XCTAssertEqual(s.inputs.paths, ["\(dir)/exports"], "a relative path is read from the config file's folder")
        XCTAssertEqual(s.inputs.plans, "\(dir)/plans.csv")
        XCTAssertEqual(s.grouping, .clinic)
        XCTAssertEqual(s.out, "reports", "the default")
        XCTAssertEqual(s.thresholds.adherent, Fraction(85, 100))
        XCTAssertEqual(s.thresholds.partial, Thresholds().partial, "the default")
        XCTAssertEqual(s.thresholds.painCeiling, Fraction(6))
        XCTAssertEqual(s.thresholds.rtmCodes, [RTMCode("98977", minimumDays: 16), RTMCode("98985", minimumDays: 2)])
    }

    func testTheCommandLineWinsOverTheConfigFile() throws {
        let path = try config("input = exports\nplans = plans.csv\nby = clinic\nout = clinic-reports\nadherent = 85%\n")
        let s = try resolve(["--config=\(path)", "--plans", "/srv/other-plans.csv", "--by=all", "/srv/exports"])
        XCTAssertEqual(s.inputs.paths, ["/srv/exports"], "inputs on the command line replace the file's")
        XCTAssertEqual(s.inputs.plans, "/srv/other-plans.csv")
        XCTAssertEqual(s.grouping, .all)
        XCTAssertEqual(s.out, "\(folder.path)/clinic-reports", "not given on the command line: the file's")
        XCTAssertEqual(s.thresholds.adherent, Fraction(85, 100))
    }

    func testEveryProblemOfAConfigFileIsSaidAtOnceWithItsLine() throws {
        let path = try config("input = exports\nadherent = 185%\nthis line has no equals sign\nby = everyone\nplans = a.csv\nplans = b.csv\n")
        XCTAssertThrowsError(try resolve(["--config=\(path)"])) { error in
            let problems = (error as? ConfigErrors)?.errors ?? []
            XCTAssertEqual(problems.map(\.line), [2, 3, 4, 6], "\(error)")
        }
    }

    func testNoInputsAnywhereIsAUsageError() throws {
        XCTAssertThrowsError(try resolve([])) { error in
            XCTAssertTrue("\(error)".contains("no inputs"), "\(error)")
        }
    }

    /// Nightly reports several months and ends with the most serious outcome of them.
    func testTheMoreSeriousExitCodeWins() {
        XCTAssertEqual(Nightly.worse(.ok, .ok), .ok)
        XCTAssertEqual(Nightly.worse(.ok, .someFilesUnreadable), .someFilesUnreadable)
        XCTAssertEqual(Nightly.worse(.someFilesUnreadable, .rejectedRowsStrict), .someFilesUnreadable)
        XCTAssertEqual(Nightly.worse(.cannotWrite, .noInput), .cannotWrite)
        XCTAssertEqual(Nightly.worse(.locked, .cannotWrite), .locked)
        XCTAssertEqual(Nightly.worse(.usage, .locked), .usage)
        XCTAssertEqual(Nightly.worse(.badData, .internalError), .internalError)
    }

    func testWorkbookFileNamesFromGroupNames() {
        XCTAssertEqual(OutputFiles.slug("Dr. Jane Smith"), "Dr-Jane-Smith")
        XCTAssertEqual(OutputFiles.slug("../x"), "x", "never leaves the output folder")
        XCTAssertEqual(OutputFiles.slug("  "), "group")
        XCTAssertEqual(OutputFiles.slug("Zoë Müller"), "Zoë-Müller", "letters of any script are kept")
        XCTAssertEqual(OutputFiles.slug("Zoe\u{0308}"), OutputFiles.slug("Zo\u{00EB}"), "canonically equal spellings give one name")
        // 40 letters of 4 bytes: cut to 37 (148 bytes), under the 150-byte bound.
        let wide = OutputFiles.slug(String(repeating: "\u{1D400}", count: 40))
        XCTAssertEqual(wide.unicodeScalars.count, 37)
        XCTAssertEqual(wide.utf8.count, 148)
        XCTAssertEqual(OutputFiles.slug(String(repeating: "a", count: 70)).count, 60)
        XCTAssertEqual(OutputFiles.workbookNames(month: "2026-10", labels: ["Dana", "dana", "Sam"]),
                       ["adhere-2026-10-Dana.xlsx", "adhere-2026-10-dana-2.xlsx", "adhere-2026-10-Sam.xlsx"],
                       "names that differ only in case get their own file on case-insensitive disks")
    }

    /// `check` run as a library call, its lines caught by a console of the test's own.
    func testCheckInProcessSaysWhatItReadAndWhatItRejects() throws {
        let csv = folder.appendingPathComponent("export.csv")
        try """
        patient_id,performed_at,exercise,side,sets,reps
        P1,2026-10-01,Calf stretch,left,1,10
        P1,2026-10-01,Calf stretch,right,1,10
        P1,,Calf stretch,left,1,10
        P1,2026-10-02,Calf stretch,left,1,10

        """.write(to: csv, atomically: false, encoding: .utf8)
        final class Lines: @unchecked Sendable {
            var out: [String] = [], err: [String] = []
            let lock = NSLock()
            func add(_ s: String, error: Bool) { lock.lock(); if error { err.append(s) } else { out.append(s) }; lock.unlock() }
        }
        let lines = Lines()
        let console = Console(out: { lines.add($0, error: false) }, err: { lines.add($0, error: true) }, raw: { lines.add($0, error: false) })
        let check = try Check.parse([csv.path])
        XCTAssertEqual(check.runJob(console: console), .ok)
        // Four rows: three read as entries, one without its date (line 4).
        XCTAssertEqual(lines.out.last, "1 file: 4 rows read, 1 rejected, 0 duplicates, 0 unreadable", lines.out.joined(separator: "\n"))
        XCTAssertTrue(lines.out.contains { $0.contains("missing date: 1 (line 4)") }, lines.out.joined(separator: "\n"))
        XCTAssertEqual(lines.err, [])
        XCTAssertEqual(try Check.parse(["--strict", csv.path]).runJob(console: console), .rejectedRowsStrict)
    }
}
