import Foundation
import GRDB

/// A participant whose key was replaced after their cluster was built: the key the
/// cluster's Terraform inputs keep, and whether the active key has reached the nodes.
public struct DeployedKeyRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "deployedKey"
    public var participantID: Int64
    /// The OpenSSH line the cluster was built with (Terraform keeps it; the nodes may not).
    public var builtKeyLine: String
    /// The active key's fingerprint as last confirmed on every node of the cluster.
    public var pushedFingerprint: String?
    /// Why the last push did not reach every node.
    public var pushError: String?
    public var updatedAt: Date

    /// Whether the active key (`fingerprint`) is not yet confirmed on the cluster.
    public func isPending(activeFingerprint fingerprint: String) -> Bool { pushedFingerprint != fingerprint }
}
