import Foundation
import LabWorkflows

/// The line `labctl plan` adds per deployed session: which participants' clusters the
/// change would replace (what `apply` refuses without --replace-clusters).
enum PlanReplacements {
    static func print(_ sessions: [String], context: LabContext, wait: Bool) async throws {
        let guardian = ClusterReplacementGuard(context, waitForLock: wait)
        for s in sessions {
            let r = try await guardian.review(s)
            if r.isEmpty {
                Swift.print("\(s): replaces no cluster")
            } else {
                Swift.print("\(s): \(Terminal.red(r.summary)) — `labctl apply \(s)` needs --replace-clusters")
            }
        }
    }
}
