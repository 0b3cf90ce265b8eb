import Foundation

/// Prints how long each phase took to standard error when `ADHERE_TIMINGS` is set (used by
/// the benchmark to say where the time goes); silent otherwise.
struct PhaseTimer {
    private let enabled = ProcessInfo.processInfo.environment["ADHERE_TIMINGS"] != nil
    private var last = DispatchTime.now()

    mutating func lap(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        let ms = Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e6
        FileHandle.standardError.write(Data("timing: \(phase) \(String(format: "%.1f", ms)) ms\n".utf8))
        last = now
    }
}
