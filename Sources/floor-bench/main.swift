// floor-bench: the floors adhere's benchmark compares against, measured on the same machine
// in the same run.
//
//   floor-bench scan FILE...                 a plain byte-level RFC 4180 loop over the files
//                                            (records and fields counted, nothing else)
//   floor-bench write ROWS COLUMNS OUT.xlsx  libxlsxwriter alone writing ROWS x COLUMNS cells
//                                            (numbers, short texts and dates, as a report has)
//
// Each prints one line: what was done, seconds, and throughput.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XLSXWriter

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("floor-bench: \(message)\n".utf8))
    exit(64)
}

let args = Array(CommandLine.arguments.dropFirst())
guard let mode = args.first else { fail("usage: floor-bench scan FILE... | floor-bench write ROWS COLUMNS OUT.xlsx") }

switch mode {
case "scan":
    let start = now()
    var bytes = 0, records = 0, fields = 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    for path in args.dropFirst() {
        let fd = open(path, O_RDONLY)
        if fd < 0 { fail("cannot open \(path)") }
        // Class of each byte: 0 ordinary, 1 quote, 2 comma, 3 line feed.
        var classes = [UInt8](repeating: 0, count: 256)
        classes[0x22] = 1; classes[0x2C] = 2; classes[0x0A] = 3
        var inQuotes = false
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n <= 0 { break }
            bytes += n
            let p = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            classes.withUnsafeBufferPointer { cls in
                var i = 0
                while i < n {
                    let k = cls[Int(p[i])]
                    i += 1
                    if k == 0 { continue }
                    if k == 1 { inQuotes.toggle() }
                    else if !inQuotes { fields += 1; if k == 3 { records += 1 } }
                }
            }
        }
        close(fd)
    }
    let t = now() - start
    print(String(format: "scan: %d bytes, %d records, %d fields in %.3f s (%.0f MB/s)", bytes, records, fields, t, Double(bytes) / 1e6 / t))
case "write":
    guard args.count == 4, let rows = Int(args[1]), let columns = Int(args[2]) else { fail("usage: floor-bench write ROWS COLUMNS OUT.xlsx") }
    let start = now()
    do {
        let wb = try Workbook(path: args[3], properties: .init(title: "floor", created: 0))
        let ws = try wb.addWorksheet("Cells")
        for r in 0..<rows {
            for c in 0..<columns {
                switch c % 4 {
                case 0: try ws.write("P\(r)", row: r, column: c)
                case 1: try ws.write(CalendarDate(year: 2026, month: 10, day: 1 + r % 28), row: r, column: c)
                default: try ws.write(Double(r * c % 997) / 997, row: r, column: c, format: .percent)
                }
            }
        }
        try wb.close()
    } catch {
        fail("\(error)")
    }
    let t = now() - start
    print(String(format: "write: %d cells in %.3f s (%.0f cells/s)", rows * columns, t, Double(rows * columns) / t))
default:
    fail("unknown mode \(mode)")
}
