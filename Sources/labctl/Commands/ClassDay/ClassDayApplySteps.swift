import Foundation
import LabWorkflows

/// What `labctl apply` prints for class day around Terraform (issue 14): the use cases
/// are LabWorkflows' `ClusterReplacementGuard` and `ShrinkWorkers`; kept out of
/// Apply.swift so that file stays a list of steps.
enum ClassDayApplySteps {
    /// Before asking: refuses a change that would replace participants' clusters.
    static func refuseClusterReplacement(_ sessions: [String], context: LabContext, wait: Bool) async throws {
        Interrupts.installForwarding() // Ctrl-C during the review's plan: Terraform releases its lock
        try await ClusterReplacementGuard(context, waitForLock: wait)
            .requireNoReplacement(sessions) { s, holder in Terminal.note("[\(s)] waiting: session is \(holder)") }
    }

    /// After confirming: fewer workers per cluster → remove the leaving workers' Node objects first.
    static func removeLeavingWorkerNodes(_ sessions: [String], context: LabContext) async throws {
        try await ShrinkWorkers(registry: context.registry).run(sessions: sessions, files: context.files) { s, r in
            if let problem = r.problem {
                Terminal.warning("[\(s)] \(r.discreteID): Node objects \(r.nodes.joined(separator: ", ")) not removed: \(problem); remove them by hand (kubectl delete node) or verify will report them NotReady.")
            } else {
                Terminal.note("[\(s)] \(r.discreteID): removed Node objects \(r.nodes.joined(separator: ", ")) before their instances go")
            }
        }
    }
}
