import Foundation
import LabCore
import LabProvision
import LabStore

/// Keeps a session's spare clusters in step with `spares = N` in its tfvars before
/// Terraform plans or applies: N spares in all, handed-out ones included (a spare given
/// to a late joiner is not replaced by a new one, so an apply after `assign` adds
/// nothing). Lowering N removes free spares only, newest first.
public enum SpareClusters {
    /// What changed: cluster keys added and removed.
    public struct Change: Sendable, Equatable {
        public var added: [String] = []
        public var removed: [String] = []
        public init(added: [String] = [], removed: [String] = []) {
            self.added = added
            self.removed = removed
        }
    }

    @discardableResult
    public static func sync(session: String, files: LabFiles, registry: Registry) throws -> Change {
        let wanted = try files.sessionConfig(session).spares
        var spares = try registry.spares(session: session)
        var change = Change()
        while spares.count < wanted {
            let ca = try ClusterCA.generate(clusterName: "\(session)-spare")
            let spare = try registry.addSpare(session: session, secrets: ca.secrets)
            spares.append(spare)
            change.added.append(spare.clusterKey)
        }
        for extra in spares.filter(\.isFree).reversed() where spares.count > wanted {
            try registry.removeFreeSpare(session: session, clusterKey: extra.clusterKey)
            spares.removeAll { $0.clusterKey == extra.clusterKey }
            change.removed.append(extra.clusterKey)
        }
        return change
    }
}
