import Foundation
import TestSupport
import XCTest

/// The wrapper's exercise program, built with AddressSanitizer and run: every handle method
/// after close, handles outliving their workbook, every validated input, and library faults on
/// several threads, with no use-after-free, overflow or leak reported. (Before the lifetime
/// design, `Chart.setValueAxis` after close was a heap-use-after-free here and
/// `Worksheet.setColumns` a SEGV inside libxlsxwriter.)
///
/// The build goes to .build-asan (ignored by git), so only the first run of a checkout
/// compiles everything (about 15 s on two cores; later runs a few seconds).
final class SanitizerTests: XCTestCase {
    /// How long the build may take before the test gives up, in seconds.
    static let buildLimit: TimeInterval = 170

    func testTheExerciseRunsCleanUnderAddressSanitizer() throws {
        let root = AdhereProcess.packageRoot
        let scratch = root.appendingPathComponent(".build-asan")
        let build = try Self.run(["swift", "build", "--package-path", root.path, "--scratch-path", scratch.path,
                                  "--sanitize=address", "--product", "writer-exercise"], limit: Self.buildLimit)
        XCTAssertNotEqual(build.code, 124, "the sanitized build took more than \(Int(Self.buildLimit)) s and was stopped")
        if build.code != 0 {
            let said = (build.stdout + build.stderr).lowercased()
            // A toolchain without the sanitizer's runtime says so; anything else is a real failure.
            if said.contains("sanitizer") && (said.contains("not supported") || said.contains("unsupported")
                                              || said.contains("libclang_rt.asan")) {
                throw XCTSkip("this Swift toolchain cannot build with --sanitize=address: \(build.stderr.suffix(400))")
            }
            XCTFail("building writer-exercise with AddressSanitizer failed (\(build.code)):\n\(build.stdout.suffix(3000))\n\(build.stderr.suffix(3000))")
            return
        }
        let built = try Self.run(["swift", "build", "--package-path", root.path, "--scratch-path", scratch.path,
                                  "--sanitize=address", "--show-bin-path"], limit: 60)
        let binary = URL(fileURLWithPath: built.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            .appendingPathComponent("writer-exercise")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary.path), binary.path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-asan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for mode in ["after-close", "validated", "library-fault"] {
            let r = try Self.run([binary.path, mode, folder.path], limit: 60,
                                 environment: ["ASAN_OPTIONS": "detect_leaks=1:halt_on_error=1"])
            XCTAssertFalse(r.stderr.contains("AddressSanitizer") || r.stderr.contains("LeakSanitizer"), "\(mode):\n\(r.stderr.prefix(4000))")
            XCTAssertEqual(r.code, 0, "\(mode):\n\(r.stdout.suffix(2000))\n\(r.stderr.prefix(2000))")
            XCTAssertFalse(r.stdout.contains("FAIL"), "\(mode):\n\(r.stdout)")
            XCTAssertTrue(r.stdout.contains("ok "), "\(mode) ran its cases:\n\(r.stdout)")
        }
    }

    /// Runs a command to the end, or stops it and all it started after `limit` seconds
    /// (coreutils `timeout`, which then exits with 124).
    static func run(_ command: [String], limit: TimeInterval, environment: [String: String] = [:]) throws -> AdhereProcess.Result {
        try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/timeout"), ["--kill-after=10", "\(Int(limit))"] + command,
                                  environment: environment)
    }
}
