import Foundation
import XCTest
import TestSupport

/// The config file as an admin meets it: every mistake listed at once with its line, and the
/// example (Fixtures/adhere.conf) installed as /etc/adhere.conf by following its own comments.
final class ConfigFileTests: XCTestCase {
    func testEveryProblemIsListedAtOnceWithItsLine() throws {
        let dir = try temporaryFolder(self)
        let config = dir.appendingPathComponent("adhere.conf")
        // Line numbers count comments and blank lines (lines 1 and 3).
        let text = """
        # clinic settings
        input = exports

        adherent = 0.8
        this line has no equals sign
        by = doctor
        colour = blue
        column = Client Ref
        column = Client Ref=client
        timezone = Mars/Olympus
        out = reports-a
        out = reports-b
        settle-seconds = soon
        partial = 90%
        column = Client Ref=patient_id

        """
        try Data(text.utf8).write(to: config)
        let out = dir.appendingPathComponent("out")
        // Every command that takes --config says them all, then stops with 64 before reading or
        // writing anything. `report --by all` overrides `by`, yet the bad `by` line is still said.
        for args in [["report", "--month", "2026-10", "--by", "all", "--out", out.path],
                     ["nightly", "--today", "2026-11-10", "--out", out.path], ["trend", "P001"]] {
            let r = try AdhereProcess.run(args + ["--config", config.path])
            XCTAssertEqual(r.code, 64, "\(args[0]): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n").map(String.init)
            let expected: [(line: Int, says: String)] = [
                (4, "adherent must be a percentage from 0% to 100%, written with its % sign (e.g. 80%), found '0.8'"),
                (5, "expected 'key = value', found 'this line has no equals sign'"),
                (6, "by must be one of therapist, clinic, all, found 'doctor'"),
                (7, "unknown setting 'colour'"),
                (8, "column 'Client Ref' needs the form 'Header in the file=canonical_name'"),
                (9, "column 'Client Ref=client': 'client' is not a column adhere knows"),
                (10, "unknown time zone 'Mars/Olympus'"),
                (12, "out is already set on line 11; give it once (only input, column and rtm-code repeat)"),
                (13, "settle-seconds must be a whole number from 0 to 86400, found 'soon'"),
                // adherent's bad value leaves the default, 80%, which 90% is above.
                (14, "partial (90%) must not be above adherent (80%, the default)"),
            ]
            XCTAssertEqual(lines.count, expected.count, "\(args[0]): one line per problem:\n\(r.stderr)")
            for (got, e) in zip(lines, expected) {
                XCTAssertTrue(got.hasPrefix("adhere: \(config.path), line \(e.line): \(e.says)"), "\(args[0]): \(got)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
        }
    }

    func testTheExampleInstalledInEtcByItsOwnComments() throws {
        // Lay out a machine: /etc, the exports share, the plans file.
        let root = try temporaryFolder(self)
        let etc = root.appendingPathComponent("etc")
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("srv/adhere"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/sessions"),
                                         to: root.appendingPathComponent("srv/exports"))
        try FileManager.default.copyItem(at: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/plans.csv"),
                                         to: root.appendingPathComponent("srv/adhere/plans.csv"))
        let example = try String(contentsOf: AdhereProcess.packageRoot.appendingPathComponent("Fixtures/adhere.conf"), encoding: .utf8)
        let lines = example.components(separatedBy: "\n")

        // Every setting holding a relative path has a CHANGE comment right above it that shows
        // the line to write instead, with a full path.
        let pathKeys: Set<String> = ["input", "plans", "out", "log-file", "json", "catalog"]
        var edited: [String] = []
        var changes = 0
        for (n, line) in lines.enumerated() {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !line.hasPrefix("#"), parts.count == 2, pathKeys.contains(parts[0]) else { edited.append(line); continue }
            guard parts[1].hasPrefix("/") == false else { edited.append(line); continue }
            let note = n > 0 ? lines[n - 1] : ""
            XCTAssertTrue(note.hasPrefix("# CHANGE"), "line \(n + 1) '\(line)' is relative but not marked CHANGE")
            // "# CHANGE to the full path, e.g.: input = /srv/exports": write that line, on this
            // machine's root.
            let shown = try XCTUnwrap(note.components(separatedBy: "e.g.: ").last?.components(separatedBy: " (").first)
            let value = try XCTUnwrap(shown.split(separator: "=", maxSplits: 1).last).trimmingCharacters(in: .whitespaces)
            XCTAssertTrue(shown.hasPrefix(parts[0] + " = /"), "the CHANGE note of '\(line)' shows a full path: \(shown)")
            edited.append("\(parts[0]) = \(root.path)\(value)")
            changes += 1
        }
        XCTAssertEqual(changes, 3, "input, plans and out")

        // Copied unchanged, the paths point into /etc: the run says where it looked.
        try Data(example.utf8).write(to: etc.appendingPathComponent("adhere.conf"))
        let unchanged = try AdhereProcess.run(["nightly", "--config", etc.appendingPathComponent("adhere.conf").path,
                                               "--today", "2026-11-10", "--settle-seconds", "0"], cwd: root)
        XCTAssertNotEqual(unchanged.code, 0)
        XCTAssertTrue(unchanged.stderr.contains("\(etc.path)/sessions"), unchanged.stderr)

        // Changed as its comments say, it runs from anywhere and writes where it was told.
        try Data(edited.joined(separator: "\n").utf8).write(to: etc.appendingPathComponent("adhere.conf"))
        let elsewhere = try temporaryFolder(self)
        let r = try AdhereProcess.run(["nightly", "--config", etc.appendingPathComponent("adhere.conf").path,
                                       "--today", "2026-11-10", "--settle-seconds", "0"], cwd: elsewhere)
        XCTAssertEqual(r.code, 0, r.stderr)
        let reports = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("srv/adhere/reports").path)
        XCTAssertTrue(reports.contains { $0.hasPrefix("adhere-2026-11-") && $0.hasSuffix(".xlsx") }, "\(reports)")
    }
}
