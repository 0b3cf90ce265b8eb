// The wrapper's exercise program, run as a real process by WriterTests, and built and run under
// AddressSanitizer by SanitizerTests:
//
//   writer-exercise after-close FOLDER     every handle method after close, and handles that
//                                          outlive their workbook variable
//   writer-exercise validated FOLDER       every input the library would print about
//   writer-exercise library-fault FOLDER   workbooks closed onto /dev/full on several threads
//                                          while another thread prints to stderr
//
// Prints "ok <case>" or "FAIL <case>: <why>" lines on stdout and exits 1 if any case failed.
// Anything on stderr other than library-fault's own "marker" lines is a failure of the wrapper
// (the tests read it).
import Foundation
import WriterCases
import XLSXWriter

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: writer-exercise after-close|validated|library-fault FOLDER\n".utf8))
    exit(64)
}
let folder = arguments[2]
var failures = 0

@MainActor func report(_ name: String, _ problem: String?) {
    if let problem {
        print("FAIL \(name): \(problem)")
        failures += 1
    } else {
        print("ok \(name)")
    }
}

/// nil if `body` threw `.workbookClosed`, else what it did.
func closedProblem(_ body: () throws(XLSXError) -> Void) -> String? {
    do {
        try body()
        return "did not throw"
    } catch {
        return error.code == .workbookClosed ? nil : "threw \(error)"
    }
}

/// Makes a worksheet and a chart whose workbook is referred to by nothing but them.
func orphans(_ path: String) throws(XLSXError) -> (Worksheet, Chart) {
    let h = try Handles.make(path: path)
    return (h.sheet, h.chart)
}

switch arguments[1] {
case "after-close":
    for (i, c) in HandleCall.all.enumerated() {
        // After a successful close, and after a close that failed (nothing written).
        do {
            let h = try Handles.make(path: "\(folder)/after-\(i).xlsx")
            try h.workbook.close()
            report("\(c.name) after close", closedProblem { () throws(XLSXError) in try c.call(h) })
            let failed = try Handles.make(path: "\(folder)/no/such/folder/\(i).xlsx")
            _ = try? failed.workbook.close()
            report("\(c.name) after a failed close", closedProblem { () throws(XLSXError) in try c.call(failed) })
        } catch {
            report(c.name, "setup failed: \(error)")
        }
    }
    do {
        let (sheet, chart) = try orphans("\(folder)/orphans.xlsx")
        try sheet.write("still open", row: 2, column: 0)
        try chart.setValueAxis(min: 0, max: 5)
        try sheet.insertChart(chart, row: 4, column: 4)
        try sheet.workbook.close()
        report("handles outliving their workbook variable write and close it", nil)
        report("worksheet of a closed orphan", closedProblem { () throws(XLSXError) in try sheet.write(1, row: 0, column: 0) })
        report("chart of a closed orphan", closedProblem { () throws(XLSXError) in try chart.setCategoryNumberFormat("dd") })
    } catch {
        report("handles outliving their workbook variable", "\(error)")
    }
case "validated":
    for (i, c) in ValidatedCase.all.enumerated() { report(c.name, c.run(in: folder, index: i)) }
case "library-fault":
    // Four threads close workbooks onto /dev/full (every write fails: the library prints its
    // [ERROR] lines) while this thread prints numbered marker lines to stderr through the C
    // stream `stderr`, as any C code would, until at least 20 of them were printed while a
    // capture was open. Every marker must reach stderr; no library line may.
    final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var stop = false
        var running = 0
        var problems: [String] = []
        var messages: [String] = []
        func with<T>(_ body: (Shared) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(self) }
    }
    let shared = Shared()
    let threads = 4
    shared.running = threads
    for t in 0..<threads {
        Thread {
            while !shared.with({ $0.stop }) {
                var problem: String?
                var message = ""
                do {
                    let w = try Workbook(path: "/dev/full", properties: .init(title: "full", created: 0))
                    let s = try w.addWorksheet("A")
                    for r in 0..<200 { try s.write("row \(r) of thread \(t)", row: r, column: 0) }
                    do throws(XLSXError) {
                        try w.close()
                        problem = "closing onto /dev/full did not throw"
                    } catch {
                        if case .library = error.code { message = error.message } else { problem = "threw \(error)" }
                    }
                } catch {
                    problem = "setup failed: \(error)"
                }
                shared.with {
                    if let problem { $0.problems.append("thread \(t): \(problem)") }
                    $0.messages.append(message)
                }
            }
            shared.with { $0.running -= 1 }
        }.start()
    }
    // The C variable `stderr`, read afresh for every line as C code does. While a capture is
    // open it holds the routing stream instead of the original one.
    guard let stderrVariable = dlsym(dlopen(nil, RTLD_NOW), "stderr")?.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self) else {
        print("FAIL library-fault: no stderr symbol")
        exit(1)
    }
    let original = stderrVariable.pointee
    var markers = 0, duringCapture = 0
    let deadline = Date().addingTimeInterval(20)
    while duringCapture < 20 || markers < 100, Date() < deadline {
        let stream = stderrVariable.pointee
        if stream != original { duringCapture += 1 }
        fputs("marker \(markers)\n", stream)
        markers += 1
    }
    shared.with { $0.stop = true }
    while shared.with({ $0.running }) > 0 { usleep(1000) }
    report("markers printed while a capture was open", duringCapture >= 20 ? nil : "only \(duringCapture) in 20 seconds")
    for p in shared.problems { report("library-fault", p) }
    let leaked = shared.messages.filter { $0.contains("marker") }
    report("no marker captured into an error", leaked.isEmpty ? nil : "\(leaked.count) messages hold markers: \(leaked[0])")
    let said = shared.messages.filter { $0.contains("libxlsxwriter:") }.count
    report("every library fault says what the library printed", said == shared.messages.count ? nil : "\(said) of \(shared.messages.count)")
    print("markers \(markers)")
    print("closes \(shared.messages.count)")
    print("message \(shared.messages.first ?? "")")
default:
    FileHandle.standardError.write(Data("writer-exercise: unknown mode \(arguments[1])\n".utf8))
    exit(64)
}
exit(failures == 0 ? 0 : 1)
