import Foundation
import GRDB
import LabCore

/// A spare cluster of a session: built without a participant (operator key only),
/// handed to a late joiner by `labctl assign`. Its pod network and kubeadm secrets
/// are its own for life, so assigning it changes nothing Terraform puts in user data.
public struct SpareRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "spareCluster"
    public var id: Int64?
    public var session: String
    /// The key of the cluster in Terraform (`spare_3`), also its discrete id in outputs until assigned.
    public var clusterKey: String
    public var podCIDR: String
    public var firstAddress: Int64
    public var lastAddress: Int64
    public var joinToken: String
    public var caCertPEM: String
    public var caKeyPEM: String
    public var caCertHash: String
    /// The participant it was handed to; nil while it is free.
    public var participantID: Int64?
    public var createdAt: Date
    public var assignedAt: Date?

    public var isFree: Bool { participantID == nil }

    /// Its kubeadm secrets (stored as four columns, like a participant cluster's).
    public var secrets: ClusterSecrets {
        ClusterSecrets(joinToken: joinToken, caCertPEM: caCertPEM, caKeyPEM: caKeyPEM, caCertHash: caCertHash)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let id = Column("id")
        public static let session = Column("session")
        public static let clusterKey = Column("clusterKey")
        public static let participantID = Column("participantID")
    }
}
