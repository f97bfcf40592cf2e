import Foundation
import LabProvision
import LabStore

/// Participants removed from the registry whose clusters are still in the session's
/// Terraform state: their removal is not applied yet. A targeted apply in that window
/// (`labctl rebuild`) also destroyed the removed person's key pair and security group
/// on the emulator, half-removing them; rebuild refuses until an ordinary apply ran.
public enum PendingRemovals {
    /// Cluster keys (discrete ids, `spare_N`) that have a master in `state`.
    public static func clusterKeys(in state: StateSummary) -> Set<String> {
        let prefix = "aws_instance.master[\""
        return Set(state.instances.compactMap { i in
            guard i.address.hasPrefix(prefix), i.address.hasSuffix("\"]") else { return nil }
            return String(i.address.dropFirst(prefix.count).dropLast(2))
        })
    }

    /// The removed participants still deployed, as "name (discrete id)", sorted.
    public static func find(session: String, registry: Registry, provisioner: Provisioner) async throws -> [String] {
        guard let state = try await provisioner.readState(session) else { return [] }
        let known = Set(try registry.participants(in: session).map(\.discreteID) + registry.spares(session: session).map(\.clusterKey))
        let pending = clusterKeys(in: state).subtracting(known).sorted()
        guard !pending.isEmpty else { return [] }
        // Their names survive in the audit log ("removed": "<discrete id> released <cidr>").
        var names: [String: String] = [:]
        for e in try registry.auditLog(session: session) where e.action == "removed" {
            if let id = e.detail.split(separator: " ").first, let name = e.participant { names[String(id)] = name }
        }
        return pending.map { id in names[id].map { "\($0) (\(id))" } ?? id }
    }

    /// Refuses (exit 2, before any Terraform run) while a removal is pending.
    public static func refuseRebuild(session: String, registry: Registry, provisioner: Provisioner) async throws {
        let pending = try await find(session: session, registry: registry, provisioner: provisioner)
        guard !pending.isEmpty else { return }
        throw WorkflowError.usage("""
            rebuild \(session): the removal of \(pending.joined(separator: ", ")) is not applied yet, and a targeted rebuild now would \
            half-remove \(pending.count == 1 ? "them" : "those participants") (key pair and security group, not the rest).
              Run `labctl apply \(session)` first, then the rebuild again.
            """)
    }
}
