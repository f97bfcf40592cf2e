import Foundation
import LabCore
import LabProvision
import LabStore

/// The end of a session as data: what `apply` requires, what Terraform gets
/// (tags and the dead-man timer) and how much time is left (status, dashboard).
public enum SessionEndPolicy {
    /// Where a session stands relative to its end.
    public enum Standing: Equatable, Sendable {
        /// No `session_end`: nothing switches it off (shown in red).
        case noEnd
        /// `session_end` is there but unreadable (legacy free text): the message says how to fix it.
        case unreadable(String)
        case running(left: TimeInterval)
        /// Within the last hour before the end.
        case endingSoon(left: TimeInterval)
        /// The end has passed; `reapable` once end + grace has passed too.
        case ended(ago: TimeInterval, reapable: Bool)

        /// The stable name `--json` and the dashboard use.
        public var key: String {
            switch self {
            case .noEnd: return "no_end"
            case .unreadable: return "unreadable"
            case .running: return "running"
            case .endingSoon: return "ending_soon"
            case .ended: return "ended"
            }
        }

        public var needsAttention: Bool {
            switch self {
            case .running: return false
            default: return true
            }
        }
    }

    public static let warnWithin: TimeInterval = 3600

    public static func standing(_ lifetime: SessionLifetime, now: Date = Date(), grace: TimeInterval? = nil) -> Standing {
        if let problem = lifetime.endProblem { return .unreadable(problem) }
        guard let end = lifetime.end else { return .noEnd }
        let left = end.date.timeIntervalSince(now)
        if left > warnWithin { return .running(left: left) }
        if left > 0 { return .endingSoon(left: left) }
        return .ended(ago: -left, reapable: -left >= (grace ?? lifetime.grace))
    }

    /// "3h 20m left", "ended 2h ago", "no end".
    public static func describe(_ standing: Standing) -> String {
        switch standing {
        case .noEnd: return "no end (never switched off)"
        case .unreadable: return "session_end unreadable"
        case .running(let left), .endingSoon(let left): return "\(span(left)) left"
        case .ended(let ago, let reapable): return "ended \(span(ago)) ago" + (reapable ? ", due for reaping" : "")
        }
    }

    /// `2d 3h`, `3h 20m`, `12m`.
    public static func span(_ seconds: TimeInterval) -> String {
        let m = Int((seconds / 60).rounded(.down))
        if m >= 2 * 1440 { return "\(m / 1440)d \((m % 1440) / 60)h" }
        if m >= 60 { return "\(m / 60)h \(m % 60)m" }
        return "\(max(m, 0))m"
    }

    /// `apply` refuses a session without a usable end unless `noEnd` (recorded in the audit log).
    public static func requireEnd(_ sessions: [String], noEnd: Bool, files: LabFiles, registry: Registry, now: Date = Date()) throws {
        for s in sessions {
            let lifetime = try files.sessionConfig(s).lifetime
            let file = files.display(files.sessionFile(s))
            if let problem = lifetime.endProblem { throw WorkflowError.usage(problem) }
            if let end = lifetime.end {
                if end.date.addingTimeInterval(lifetime.grace) <= now {
                    throw WorkflowError.usage("\(file): session_end \(end.text) plus the grace of \(LifetimeDuration.format(lifetime.grace)) has passed, so the instances would switch themselves off at once; move it with `labctl extend \(s) --until <time>` first.")
                }
                continue
            }
            guard noEnd else {
                throw WorkflowError.usage("\(file): no session_end, so nothing would switch \(s)'s clusters off; add e.g. session_end = \"2026-12-04T17:00:00+01:00\" (or `labctl extend \(s) --until <time>`), or pass --no-end to deploy a session that runs until you destroy it.")
            }
            try registry.recordAudit(session: s, action: "no-end", detail: "apply without session_end (--no-end): no dead-man switch, never reaped")
        }
    }

    /// The lifetime values Terraform gets; a legacy end is an error here (it would tag nonsense).
    public static func terraformInputs(_ session: String, files: LabFiles, registry: Registry) throws -> LifetimeInputs {
        let config = try files.sessionConfig(session)
        let lifetime = config.lifetime
        if let problem = lifetime.endProblem { throw WorkflowError.usage(problem) }
        var inputs = LifetimeInputs()
        if let end = lifetime.end {
            inputs.expiresAt = end.utcRFC3339
            inputs.shutdownAt = SessionEnd.systemdCalendar(end.date.addingTimeInterval(lifetime.grace))
        }
        return inputs
    }
}
