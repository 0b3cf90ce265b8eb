import Foundation
import AdherenceAnalysis
import ReportBuilder
#if canImport(Glibc)
import Glibc
#endif

/// The run's clinic-wide files beside the therapists' workbooks: the overview workbook
/// (`adhere-YYYY-MM-overview.xlsx`) and the RTM file (`rtm-YYYY-MM.csv`). Written like the
/// rest: to a temporary file in the output folder, owner-only, flushed, renamed into place, and
/// left alone when the bytes would not change.
enum ClinicOutputs {
    /// The workbook names of the groups, the overview's name kept for it (a therapist named
    /// "Overview" gets `adhere-2026-10-Overview-2.xlsx`).
    static func groupWorkbookNames(month: Month, labels: [String]) -> [String] {
        Array(OutputFiles.workbookNames(month: month.description, labels: ["overview"] + labels).dropFirst())
    }

    struct Written {
        var overview: String
        var overviewRewritten: Bool
        var rtm: String
    }

    static func write(_ report: MonthlyReport, to out: String) throws -> Written {
        let month = report.settings.month
        let overviewPath = (out as NSString).appendingPathComponent(OverviewWorkbook.name(month))
        let tmp = OutputFiles.temporaryPath(for: overviewPath, tag: 0)
        let rewritten: Bool
        do {
            try OverviewWorkbook(overview: ClinicOverview(report: report)).write(to: tmp)
            rewritten = try OutputFiles.commit(temporary: tmp, to: overviewPath)
        } catch let e as OutputError {
            unlink(tmp)
            throw e
        } catch {
            unlink(tmp)
            throw OutputError(path: overviewPath, reason: "\(error)")
        }
        let rtmPath = (out as NSString).appendingPathComponent(RTMFile.name(month))
        try OutputFiles.writeAtomically(RTMFile.csv(report.rtm), to: rtmPath)
        return Written(overview: overviewPath, overviewRewritten: rewritten, rtm: rtmPath)
    }
}
