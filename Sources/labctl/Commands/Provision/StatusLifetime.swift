import Foundation
import LabWorkflows

/// The END column and warnings of `labctl status`: time left, red when the
/// session has no end, ends within the hour or has ended.
enum StatusLifetime {
    static func cell(_ row: SessionStatus) -> String {
        guard let standing = row.standing else { return "-" }
        let text = SessionEndPolicy.describe(standing)
        return standing.needsAttention ? Terminal.red(text) : text
    }

    static func warn(_ rows: [SessionStatus]) {
        for r in rows {
            switch r.standing {
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
