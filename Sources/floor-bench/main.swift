// floor-bench: the floors adhere's benchmark compares against, measured on the same machine
// in the same run.
//
//   floor-bench scan FILE...                 a plain byte-level RFC 4180 loop over the files
//                                            (records and fields counted, nothing else)
//   floor-bench simd-scan FILE...            the same count, vectorised: 64 bytes at a time,
//                                            quotes, commas and line feeds found by SIMD
//                                            compares, the bytes inside quotes by a prefix XOR
//                                            of the quote bits (as simdjson and simdcsv do); the
//                                            floor for a reader that must look at every byte
//   floor-bench write ROWS COLUMNS OUT.xlsx [CHARTS SERIES]
//                                            libxlsxwriter alone writing ROWS x COLUMNS cells
//                                            (numbers, short texts and dates, as a report has),
//                                            and, when given, CHARTS line charts with SERIES
//                                            series in all, each over 10 rows of those cells
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

/// One bit per byte of the 16 that equals `c`, lowest byte first.
@inline(__always) func bits(_ v: SIMD16<UInt8>, _ c: SIMD16<UInt8>) -> UInt64 {
    let m = unsafeBitCast(SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: v .== c), to: (UInt64, UInt64).self)
    return (m.0 &* 0x0102_0408_1020_4080) >> 56 | ((m.1 &* 0x0102_0408_1020_4080) >> 56) << 8
}

/// Records (line feeds outside quotes) and fields (commas and line feeds outside quotes) of a
/// file, 64 bytes at a time: the quote, comma and line feed bits of a block by SIMD compares,
/// the bytes inside quotes by a prefix XOR of the quote bits (as simdjson and simdcsv do).
func simdScan(_ fd: Int32) -> (bytes: Int, records: Int, fields: Int) {
    let size = 1 << 20
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    defer { p.deallocate() }
    let quote = SIMD16<UInt8>(repeating: 0x22), comma = SIMD16<UInt8>(repeating: 0x2C), lf = SIMD16<UInt8>(repeating: 0x0A)
    var bytes = 0, records = 0, fields = 0
    var inside: UInt64 = 0 // all ones when the previous block ended inside quotes
    var tail = 0           // bytes carried over to the next read (fewer than 64)
    while true {
        let n = read(fd, p + tail, size - tail)
        let end = tail + max(n, 0)
        bytes += max(n, 0)
        var i = 0
        while i + 64 <= end {
            var q: UInt64 = 0, c: UInt64 = 0, l: UInt64 = 0
            for k in 0..<4 {
                let v = UnsafeRawPointer(p + i + 16 * k).loadUnaligned(as: SIMD16<UInt8>.self)
                q |= bits(v, quote) << (16 * k); c |= bits(v, comma) << (16 * k); l |= bits(v, lf) << (16 * k)
            }
            // Bytes after an odd number of quotes are inside a quoted field.
            var x = q
            x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32
            x ^= inside
            inside = UInt64(bitPattern: Int64(bitPattern: x) >> 63)
            records += (l & ~x).nonzeroBitCount
            fields += ((c | l) & ~x).nonzeroBitCount
            i += 64
        }
        if n <= 0 {
            // The last bytes, one at a time.
            var inQuotes = inside != 0
            for k in i..<end {
                let b = p[k]
                if b == 0x22 { inQuotes.toggle() } else if !inQuotes && (b == 0x2C || b == 0x0A) { fields += 1; if b == 0x0A { records += 1 } }
            }
            return (bytes, records, fields)
        }
        tail = end - i
        if tail > 0 { p.update(from: p + i, count: tail) }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("floor-bench: \(message)\n".utf8))
    exit(64)
}

let args = Array(CommandLine.arguments.dropFirst())
guard let mode = args.first else { fail("usage: floor-bench scan|simd-scan FILE... | floor-bench write ROWS COLUMNS OUT.xlsx") }

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
case "simd-scan":
    let start = now()
    var total = (bytes: 0, records: 0, fields: 0)
    for path in args.dropFirst() {
        let fd = open(path, O_RDONLY)
        if fd < 0 { fail("cannot open \(path)") }
        let r = simdScan(fd)
        close(fd)
        total = (total.bytes + r.bytes, total.records + r.records, total.fields + r.fields)
    }
    let t = now() - start
    print(String(format: "simd-scan: %d bytes, %d records, %d fields in %.3f s (%.0f MB/s)", total.bytes, total.records, total.fields, t, Double(total.bytes) / 1e6 / t))
case "write":
    guard args.count == 4 || args.count == 6, let rows = Int(args[1]), let columns = Int(args[2]) else {
        fail("usage: floor-bench write ROWS COLUMNS OUT.xlsx [CHARTS SERIES]")
    }
    let charts = args.count == 6 ? Int(args[4]) ?? -1 : 0
    let series = args.count == 6 ? Int(args[5]) ?? -1 : 0
    guard charts >= 0, series >= charts, series <= 2 * charts, rows >= 10, columns >= 4 else {
        fail("CHARTS and SERIES: whole numbers, with CHARTS <= SERIES <= 2 x CHARTS (and at least 10 rows, 4 columns)")
    }
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
        // Charts as the report draws them: a titled line chart, one or two series of 10 rows.
        for k in 0..<charts {
            let first = (k * 10) % (rows - 9)
            let chart = try wb.addLineChart(title: "P\(k): step-ups per week", yAxisTitle: "reps")
            try chart.addSeries(name: "Step-up reps", sheet: "Cells", categoryColumn: 1, valueColumn: 2,
                                firstRow: first, lastRow: first + 9, color: 0x2E75B6)
            if k < series - charts {
                try chart.addSeries(name: "Max pain", sheet: "Cells", categoryColumn: 1, valueColumn: 3,
                                    firstRow: first, lastRow: first + 9, color: 0xC00000)
            }
            try chart.setCategoryNumberFormat("dd mmm")
            try ws.insertChart(chart, row: k * 13 % 1_000_000, column: columns + 1, scaleX: 0.75, scaleY: 0.75)
        }
        try wb.close()
    } catch {
        fail("\(error)")
    }
    let t = now() - start
    print(String(format: "write: %d cells, %d charts in %.3f s (%.0f cells/s)", rows * columns, charts, t, Double(rows * columns) / t))
default:
    fail("unknown mode \(mode)")
}
