import Foundation
import LabCore
import LabProvision
import LabStore

/// Renders a session's Terraform inputs from SQLite, generating the session's
/// secrets (operator key, per-cluster CA and join token) once, on first use.
public enum SessionInputsBuilder {
    public static func build(session: String, registry: Registry) throws -> SessionInputs {
        let participants = try registry.participants(in: session)
        let secret = try registry.sessionSecret(session) ?? {
            let key = OperatorKey.generate(comment: "labctl-operator@\(session)")
            return try registry.storeSessionSecretIfAbsent(SessionSecretRecord(
                session: session, operatorPrivateKey: key.privateKeyPEM, operatorPublicKey: key.publicKeyLine))
        }()
        let clusters = try participants.map { p -> SessionInputs.Cluster in
            let id = p.record.id!
            let cs = try registry.clusterSecret(participantID: id) ?? {
                let ca = try ClusterCA.generate(clusterName: "\(session)-\(p.discreteID)")
                return try registry.storeClusterSecretIfAbsent(ClusterSecretRecord(
                    participantID: id, joinToken: ca.joinToken, caCertPEM: ca.certificatePEM,
                    caKeyPEM: ca.privateKeyPEM, caCertHash: ca.certificateHash))
            }()
            // EC2 imports `type base64`; the comment is free text and stays out of AWS.
            let keyOnly = p.key.keyLine.split(separator: " ").prefix(2).joined(separator: " ")
            return SessionInputs.Cluster(discreteID: p.discreteID, publicKey: keyOnly, podCIDR: p.podCIDR,
                                         joinToken: cs.joinToken, caCertPEM: cs.caCertPEM, caKeyPEM: cs.caKeyPEM,
                                         caCertHash: cs.caCertHash)
        }
        return SessionInputs(session: session, operatorPublicKey: secret.operatorPublicKey, clusters: clusters)
    }
}
