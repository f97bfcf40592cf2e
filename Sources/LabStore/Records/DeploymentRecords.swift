import Foundation
import GRDB
import LabCore

/// A session's own secrets, generated once by labctl: the operator key that
/// verification logs in with. Never printed, never logged.
public struct SessionSecretRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessionSecret"
    public var session: String
    /// OpenSSH-format ed25519 private key (PEM armour).
    public var operatorPrivateKey: String
    /// `ssh-ed25519 AAAA… labctl-operator@<session>`.
    public var operatorPublicKey: String
    public var createdAt: Date

    public init(session: String, operatorPrivateKey: String, operatorPublicKey: String, createdAt: Date = Date()) {
        self.session = session
        self.operatorPrivateKey = operatorPrivateKey
        self.operatorPublicKey = operatorPublicKey
        self.createdAt = createdAt
    }
}

/// One participant cluster's kubeadm secrets: its own CA and join token (isolation).
/// Its columns are the secrets' own fields, read as `record.joinToken`.
@dynamicMemberLookup
public struct ClusterSecretRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "clusterSecret"
    public var participantID: Int64
    public var secrets: ClusterSecrets

    public init(participantID: Int64, secrets: ClusterSecrets) {
        self.participantID = participantID
        self.secrets = secrets
    }

    public subscript<T>(dynamicMember path: KeyPath<ClusterSecrets, T>) -> T { secrets[keyPath: path] }

    private enum CodingKeys: String, CodingKey { case participantID }

    // The secrets share the record's container, so each of their fields is a column.
    public init(from decoder: any Decoder) throws {
        participantID = try decoder.container(keyedBy: CodingKeys.self).decode(Int64.self, forKey: .participantID)
        secrets = try ClusterSecrets(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(participantID, forKey: .participantID)
        try secrets.encode(to: encoder)
    }
}

/// A deployed participant cluster as Terraform's `clusters` output reported it: the
/// `ClusterAddress` LabProvision parsed, filed under its session. Its columns are the
/// address's own fields (flattened, not a JSON column), read as `record.masterPublicIP`.
@dynamicMemberLookup
public struct ClusterRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cluster"
    public var session: String
    public var address: ClusterAddress
    public var recordedAt: Date
    /// The participant row this cluster belongs to (set by the registry; nil for a
    /// cluster Terraform still reports for someone already removed).
    public var participantID: Int64?

    public init(session: String, address: ClusterAddress, recordedAt: Date = Date()) {
        self.session = session
        self.address = address
        self.recordedAt = recordedAt
    }

    public subscript<T>(dynamicMember path: WritableKeyPath<ClusterAddress, T>) -> T {
        get { address[keyPath: path] }
        set { address[keyPath: path] = newValue }
    }

    private enum CodingKeys: String, CodingKey { case session, recordedAt, participantID }

    // The address shares the record's container, so each of its fields is a column.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        session = try c.decode(String.self, forKey: .session)
        recordedAt = try c.decode(Date.self, forKey: .recordedAt)
        participantID = try c.decodeIfPresent(Int64.self, forKey: .participantID)
        address = try ClusterAddress(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(session, forKey: .session)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encodeIfPresent(participantID, forKey: .participantID)
        try address.encode(to: encoder)
    }
}

/// A master's SSH host key, pinned on first sight by `labctl verify`.
public struct HostKeyRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "hostKey"
    public var session: String
    public var discreteID: String
    public var keyType: String
    public var keyBase64: String
    /// `SHA256:…` as `ssh-keygen -l` prints it.
    public var fingerprint: String
    public var pinnedAt: Date
    /// The participant row the pin belongs to (set by the registry).
    public var participantID: Int64?

    /// The key itself, as the verifier saw it and the sheets print it.
    public var hostKey: HostKey { HostKey(type: keyType, base64: keyBase64, fingerprint: fingerprint) }

    public init(session: String, discreteID: String, hostKey: HostKey, pinnedAt: Date = Date()) {
        self.init(session: session, discreteID: discreteID, keyType: hostKey.type, keyBase64: hostKey.base64,
                  fingerprint: hostKey.fingerprint, pinnedAt: pinnedAt)
    }

    public init(session: String, discreteID: String, keyType: String, keyBase64: String, fingerprint: String, pinnedAt: Date = Date()) {
        self.session = session
        self.discreteID = discreteID
        self.keyType = keyType
        self.keyBase64 = keyBase64
        self.fingerprint = fingerprint
        self.pinnedAt = pinnedAt
    }
}

/// The latest verification of one participant's master.
public struct VerificationRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "verification"
    public var session: String
    public var discreteID: String
    public var host: String
    public var port: Int
    public var ready: Bool
    /// Every check's status and reason, as the verifier produced them (stored as JSON,
    /// the `checks` object of `labctl verify --json`).
    public var checks: CheckSet
    public var nodesReady: Int?
    public var nodesExpected: Int?
    public var checkedAt: Date
    /// The participant row the result belongs to (set by the registry).
    public var participantID: Int64?

    enum CodingKeys: String, CodingKey {
        case session, discreteID, host, port, ready, nodesReady, nodesExpected, checkedAt, participantID
        case checks = "checksJSON"
    }

    public init(session: String, discreteID: String, host: String, port: Int, ready: Bool, checks: CheckSet,
                nodesReady: Int?, nodesExpected: Int?, checkedAt: Date = Date()) {
        self.session = session
        self.discreteID = discreteID
        self.host = host
        self.port = port
        self.ready = ready
        self.checks = checks
        self.nodesReady = nodesReady
        self.nodesExpected = nodesExpected
        self.checkedAt = checkedAt
    }
}
