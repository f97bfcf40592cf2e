import Foundation
import LabProvision
import LabStore

/// Keeps a session-wide change (Kubernetes or Calico version, the operator key,
/// `worker_count` 0 ↔ N) from silently rebuilding every participant's cluster in the
/// middle of a class: plans each deployed session and names the clusters it would replace.
public struct ClusterReplacementGuard: Sendable, LabUseCase {
    public let context: LabContext
    public let waitForLock: Bool

    public init(_ context: LabContext, waitForLock: Bool = true) {
        self.context = context
        self.waitForLock = waitForLock
    }

    /// What the next apply of `session` would replace; nothing (and no plan run) for a
    /// session without deployed instances.
    public func review(_ session: String, onBusy: @Sendable (String) -> Void = { _ in }) async throws -> ClusterReplacements {
        guard let state = try await provisioner.readState(session), !state.instances.isEmpty else {
            return ClusterReplacements(clusters: [], instances: [])
        }
        // The same inputs apply hands Terraform (end, budget, the lab's id): this plan also writes the var file `labctl plan` leaves.
        _ = try await LabIdentity(context).resolve()
        let inputs = try ApplyInputs.build(session, files: files, registry: registry).inputs
        return try await provisioner.clusterReplacements(session: session, inputs: inputs, options: .init(waitForLock: waitForLock), onBusy: onBusy)
    }

    /// Refuses (before anything is applied) when any session would replace a cluster.
    /// `rerun`: the command that accepts the replacement (default: `labctl apply <sessions> --replace-clusters`).
    public func requireNoReplacement(_ sessions: [String], rerun: String? = nil,
                                     onBusy: @escaping @Sendable (String, String) -> Void = { _, _ in }) async throws {
        // One plan per session, all at once (as `apply` runs them); outcomes in the sessions' order.
        let reviewed = try await withThrowingTaskGroup(of: (String, ClusterReplacements).self) { group in
            for s in sessions { group.addTask { (s, try await review(s) { onBusy(s, $0) }) } }
            var all: [String: ClusterReplacements] = [:]
            for try await (s, r) in group { all[s] = r }
            return all
        }
        let found = sessions.compactMap { s in reviewed[s].flatMap { $0.isEmpty ? nil : (s, $0) } }
        guard !found.isEmpty else { return }
        let lines = found.map { "  \($0.0): \($0.1.summary)" }.joined(separator: "\n")
        let accept = rerun ?? "labctl apply \(sessions.joined(separator: " ")) --replace-clusters"
        throw WorkflowError.usage("""
            not applying: the change would replace participants' clusters (new instances, a fresh boot, everything on them lost):
            \(lines)
              Nothing was applied. If that is what you want, run `\(accept)`;
              to replace single participants on purpose, use `labctl rebuild <session> <participant>`.
            """)
    }
}
