import Foundation
import LabCore

/// What the sheets say about the end: the end and the switch-off time (end + grace)
/// in words, both from the real time in the tfvars (or `--session-end`). A session
/// without an end gets neither, so no sheet promises a deletion that will not happen.
enum SheetEnd {
    static func resolve(override: String?, lifetime: SessionLifetime) throws -> (endTime: String?, switchOff: String?) {
        var lifetime = lifetime
        if let text = override {
            guard let end = SessionEnd.parse(text) else { throw WorkflowError.usage(SessionEnd.problem(text, name: "--session-end")) }
            lifetime.end = end
            lifetime.endProblem = nil
        }
        if let problem = lifetime.endProblem { throw WorkflowError.usage(problem) }
        guard let end = lifetime.end, let off = lifetime.shutdownAt else { return (nil, nil) }
        return (end.human, SessionEnd.human(off, in: end.timeZone))
    }
}
