import Foundation
import LabWorkflows

/// `labctl serve --reap-every 15m`: LabWorkflows' `ReapSchedule` as a Service of the
/// serve group; this file only announces the schedule and prints its lines.
enum ServeReaper {
    /// `context` is serve's own (one registry connection pool for the process, not a second one).
    static func service(every interval: TimeInterval, context: LabContext) -> ReaperService {
        let reaper = ReapSessions(context)
        FileHandle.standardOutput.writeBestEffort(Data("  reaping sessions past their end + grace every \(DurationArgument.format(interval))\n".utf8))
        return ReaperService(schedule: ReapSchedule(reaper: reaper, every: interval), report: { show($0) })
    }

    /// One line on stderr per session that was not simply "not due".
    static func show(_ event: ReapSchedule.Event) {
        let line: String
        switch event {
        case .reaped(let e): line = "reap: \(e.session) \(e.action.rawValue): \(e.detail)\(e.log.map { " (log: \($0))" } ?? "")\n"
        case .failed(let error): line = "reap: failed: \(error)\n"
        }
        FileHandle.standardError.writeBestEffort(Data(line.utf8))
    }
}
