import Foundation
import LabCore
import LabWorkflows

/// The END column and warnings of `labctl status`: time left, red when the
/// session has no end, ends within the hour or has ended.
enum StatusLifetime {
    static func fill(_ row: inout Status.Row, _ lifetime: SessionLifetime, now: Date = Date()) {
        let standing = SessionEndPolicy.standing(lifetime, now: now)
        row.lifetime = standing.key
        row.session_end = lifetime.end?.utcRFC3339
        row.seconds_left = lifetime.end.map { Int($0.date.timeIntervalSince(now).rounded(.down)) }
        if case .ended(_, let due) = standing { row.reap_due = due }
        row.end_problem = lifetime.endProblem
    }

    /// The standing again from the row (the row is what `--json` prints).
    static func standing(_ r: Status.Row) -> SessionEndPolicy.Standing? {
        let left = TimeInterval(r.seconds_left ?? 0)
        switch r.lifetime {
        case "no_end"?: return .noEnd
        case "unreadable"?: return .unreadable(r.end_problem ?? "")
        case "running"?: return .running(left: left)
        case "ending_soon"?: return .endingSoon(left: left)
        case "ended"?: return .ended(ago: -left, reapable: r.reap_due ?? false)
        default: return nil
        }
    }

    static func cell(_ row: Status.Row) -> String {
        guard let standing = standing(row) else { return "-" }
        let text = SessionEndPolicy.describe(standing)
        return standing.needsAttention ? Terminal.red(text) : text
    }

    static func warn(_ rows: [Status.Row]) {
        for r in rows {
            switch standing(r) {
            case .noEnd?:
                Terminal.warning("\(r.session): no session_end, so nothing switches its clusters off; set one with `labctl extend \(r.session) --until <time>`.")
            case .unreadable(let problem)?:
                Terminal.warning(problem)
            case .endingSoon(let left)?:
                Terminal.warning("\(r.session) ends in \(SessionEndPolicy.span(left)); move the end with `labctl extend \(r.session) --until <time>` if the class runs longer.")
            case .ended(let ago, let reapable)?:
                Terminal.warning("\(r.session) ended \(SessionEndPolicy.span(ago)) ago" + (reapable ? "; `labctl reap` destroys it." : "; its instances switch off at the end of the grace period."))
            default: break
            }
        }
    }
}
