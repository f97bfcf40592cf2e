import Foundation
import LabCore

/// Everything labctl hands Terraform for one session besides `sessions/<s>.tfvars`:
/// the participants from SQLite and the session's secrets. Rendered as a
/// JSON var file (mode 0600 under `.labctl/`, never committed).
public struct SessionInputs: Sendable {
    /// One cluster's entry in `participants` and `cluster_secrets` (read as `cluster.joinToken`).
    @dynamicMemberLookup
    public struct Cluster: Sendable {
        public var discreteID: String
        public var publicKey: String
        public var podCIDR: String
        public var secrets: ClusterSecrets

        public init(discreteID: String, publicKey: String, podCIDR: String, secrets: ClusterSecrets) {
            self.discreteID = discreteID
            self.publicKey = publicKey
            self.podCIDR = podCIDR
            self.secrets = secrets
        }

        public subscript<T>(dynamicMember path: KeyPath<ClusterSecrets, T>) -> T { secrets[keyPath: path] }
    }

    public var session: String
    public var operatorPublicKey: String
    public var clusters: [Cluster]
    /// The session's end for tags and the instances' dead-man timer (see `LifetimeInputs`).
    public var lifetime = LifetimeInputs()
    /// Spare clusters among `clusters`, by cluster key: the discrete id of the participant
    /// each was handed to, "" while free. Only tags follow it (terraform/session/spares.tf).
    public var spareAssignments: [String: String] = [:]
    /// The session's AWS Budget (see `BudgetInputs`); nil: none (Terraform's default).
    public var budget: BudgetInputs?
    /// The lab's id (`lab_id`: the LabId tag, the network lookup, names); nil: none ("").
    public var labID: LabID?

    public init(session: String, operatorPublicKey: String, clusters: [Cluster]) {
        self.session = session
        self.operatorPublicKey = operatorPublicKey
        self.clusters = clusters
    }

    /// The `.tfvars.json` text: `session_name`, `participants`, `cluster_secrets`, `operator_public_key`,
    /// the lifetime variables, the budget and, with spares, `spare_clusters`.
    public func renderJSON() throws -> Data {
        var participants: [String: Any] = [:]
        var secrets: [String: Any] = [:]
        for c in clusters {
            participants[c.discreteID] = ["public_key": c.publicKey, "pod_cidr": c.podCIDR]
            secrets[c.discreteID] = ["join_token": c.joinToken, "ca_cert_pem": c.caCertPEM,
                                     "ca_key_pem": c.caKeyPEM, "ca_cert_hash": c.caCertHash]
        }
        let object: [String: Any] = [
            "session_name": session,
            "operator_public_key": operatorPublicKey,
            "participants": participants,
            "cluster_secrets": secrets,
            "lab_id": labID?.value ?? "",
        ].merging(lifetime.variables) { a, _ in a }.merging(budget?.variables ?? [:]) { a, _ in a }
            // Only sessions with spares carry the variable: everyone else's file stays as it was.
            .merging(spareAssignments.isEmpty ? [:] : ["spare_clusters": spareAssignments.mapValues { ["assigned_to": $0] }]) { a, _ in a }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}
