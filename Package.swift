// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "adhere",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "adhere", targets: ["adhere"]),
        .executable(name: "synth-export", targets: ["synth-export"]),
        .executable(name: "floor-bench", targets: ["floor-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // The C library libxlsxwriter (Debian: libxlsxwriter-dev), found with pkg-config.
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"]), .brew(["libxlsxwriter"])]
        ),
        // Keeps libxlsxwriter's own stderr lines per thread (see Sources/XLSXWriter/LibraryOutput.swift).
        .target(name: "CXlsxCapture", cSettings: [.define("_GNU_SOURCE")]),
        // A small, safe Swift layer over libxlsxwriter: no C type leaves it.
        .target(name: "XLSXWriter", dependencies: ["CXlsxWriter", "CXlsxCapture"]),
        // Running a function over items on every core, results in order.
        .target(name: "ParallelWork"),
        // The bit-mask gather of a 16-byte comparison (x86's pmovmskb), for the CSV reader.
        .target(name: "CByteScan"),
        // Reading exported session logs and plans: bytes in, validated entries out.
        .target(name: "SessionIngest",
                // No unsafe flags: since fields are read through raw pointers, turning off the
                // release build's exclusivity checks saves 0.13% of a check's instructions.
                dependencies: ["AdherenceAnalysis", "ParallelWork", "CByteScan", .product(name: "Crypto", package: "swift-crypto")]),
        // The rules of domain.md as pure functions over values.
        .target(name: "AdherenceAnalysis"),
        // Workbooks, JSON and rejects files built from the analysis.
        .target(name: "ReportBuilder", dependencies: ["SessionIngest", "AdherenceAnalysis", "XLSXWriter", "ParallelWork"]),
        // The command-line commands, as a library tests can call.
        .target(name: "AdhereCommands", dependencies: [
            "SessionIngest", "AdherenceAnalysis", "ReportBuilder", "XLSXWriter", "ParallelWork",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "adhere", dependencies: ["AdhereCommands"]),
        // Generator of synthetic exports of any size, for benchmarks and load tests.
        .executableTarget(name: "synth-export", dependencies: ["AdherenceAnalysis"]),
        // The floors the benchmark compares against: a plain byte scan, libxlsxwriter alone.
        .executableTarget(name: "floor-bench", dependencies: ["XLSXWriter"]),

        // Shared by the test targets: runs processes and reads workbooks back with openpyxl.
        .target(name: "TestSupport", path: "Tests/Support", exclude: ["xlsx_dump.py"]),
        .testTarget(name: "IngestTests", dependencies: ["SessionIngest", "AdherenceAnalysis"]),
        .testTarget(name: "ParallelWorkTests", dependencies: ["ParallelWork"]),
        .testTarget(name: "AnalysisTests", dependencies: ["AdherenceAnalysis"]),
        // Every handle method and every input the library would print about, shared by
        // WriterTests and writer-exercise (which the tests run as a process and under ASan).
        .target(name: "WriterCases", dependencies: ["XLSXWriter"], path: "Tests/WriterCases"),
        .executableTarget(name: "writer-exercise", dependencies: ["WriterCases", "XLSXWriter"], path: "Tests/writer-exercise"),
        .testTarget(name: "WriterTests", dependencies: ["XLSXWriter", "WriterCases", "writer-exercise", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["ReportBuilder", "AdherenceAnalysis"]),
        // The commands library called in-process: settings, exit codes, file names.
        .testTarget(name: "CommandTests", dependencies: ["AdhereCommands", "ReportBuilder", "AdherenceAnalysis",
                                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "EndToEndTests", dependencies: ["adhere", "synth-export", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
