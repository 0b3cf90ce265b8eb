import Foundation
import XCTest

/// Runs the real `adhere` executable (built next to the test bundle) as a separate process.
struct AdhereProcess {
    struct Result {
        let code: Int32
        let stdout: String
        let stderr: String
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: URL {
        // Tests run from .build/<config>/; the executable sits beside the test bundle.
        var dir = Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("adhere").path) {
            dir = packageRoot.appendingPathComponent(".build/debug")
        }
        return dir.appendingPathComponent("adhere")
    }

    final class Marker {}

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], cwd: URL? = nil) throws -> Result {
        try Process.runCollecting(binary, arguments, environment: environment, cwd: cwd ?? packageRoot)
    }
}

extension Process {
    static func runCollecting(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                              cwd: URL? = nil) throws -> AdhereProcess.Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let cwd { p.currentDirectoryURL = cwd }
        let outPipe = Pipe(), errPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        // Read both pipes while the process runs so neither fills up.
        nonisolated(unsafe) var errData = Data()
        let errThread = Thread { errData = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while errThread.isExecuting || !errThread.isFinished { usleep(1000) }
        return AdhereProcess.Result(code: p.terminationStatus,
                                    stdout: String(decoding: outData, as: UTF8.self),
                                    stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A workbook read back with openpyxl (Tests/Support/xlsx_dump.py), a reader independent of
/// the writer.
struct WorkbookDump: Decodable {
    struct Cell: Decodable {
        let v: JSONValue
        let t: String
        let fmt: String
    }

    struct Conditional: Decodable {
        let range: String
        let type: String
        let formula: [String]
        let fill: String?
    }

    struct Sheet: Decodable {
        let name: String
        let cells: [String: Cell]
        let max_row: Int
        let freeze: String?
        let autofilter: String?
        let conditional: [Conditional]
        let orientation: String?
        let fit_width: Int?
        let fit_height: Int?
        let fit_to_page: Bool
        let print_title_rows: String?
        let widths: [String: Double]
        let links: [String: String]

        subscript(_ ref: String) -> Cell? { cells[ref] }

        /// The row (1-based) whose column A is `text`.
        func row(where column: String = "A", is text: String) -> Int? {
            for (ref, c) in cells where ref.hasPrefix(column) && Int(ref.dropFirst(column.count)) != nil {
                if case .string(let s) = c.v, s == text { return Int(ref.dropFirst(column.count)) }
            }
            return nil
        }

        /// Column letter whose row-1 header is `title`.
        func column(titled title: String, headerRow: Int = 1) -> String? {
            for (ref, c) in cells {
                let letters = String(ref.prefix { $0.isLetter })
                if ref == "\(letters)\(headerRow)", case .string(let s) = c.v, s == title { return letters }
            }
            return nil
        }

        func texts(inColumn column: String) -> [String] {
            (1...max(max_row, 1)).compactMap { r in
                if case .string(let s)? = cells["\(column)\(r)"]?.v { return s }
                return nil
            }
        }
    }

    struct Properties: Decodable {
        let title: String?
        let created: String?
    }

    let sheets: [Sheet]
    let properties: Properties
    let charts: [String]

    func sheet(_ name: String) -> Sheet? { sheets.first { $0.name == name } }

    static func read(_ path: String) throws -> WorkbookDump {
        let script = AdhereProcess.packageRoot.appendingPathComponent("Tests/Support/xlsx_dump.py").path
        let r = try Process.runCollecting(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, path])
        guard r.code == 0 else {
            throw NSError(domain: "xlsx_dump", code: Int(r.code), userInfo: [NSLocalizedDescriptionKey:
                "reading \(path) with openpyxl failed (is openpyxl installed? scripts/test.sh installs it): \(r.stderr)"])
        }
        return try JSONDecoder().decode(WorkbookDump.self, from: Data(r.stdout.utf8))
    }
}

enum JSONValue: Decodable, Equatable {
    case string(String), number(Double), bool(Bool), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    var number: Double? { if case .number(let d) = self { return d }; return nil }
    var string: String? { if case .string(let s) = self { return s }; return nil }
}

/// A fresh temporary folder, removed when the test ends.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("adhere-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

func assertClose(_ actual: Double?, _ expected: Double?, _ what: String, accuracy: Double = 1e-9,
                 file: StaticString = #filePath, line: UInt = #line) {
    switch (actual, expected) {
    case (nil, nil): return
    case let (a?, e?): XCTAssertEqual(a, e, accuracy: accuracy, what, file: file, line: line)
    default: XCTFail("\(what): got \(String(describing: actual)), expected \(String(describing: expected))", file: file, line: line)
    }
}
