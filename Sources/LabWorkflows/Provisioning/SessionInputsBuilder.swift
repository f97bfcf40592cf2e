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
        let spares = try registry.spares(session: session)
        let withSpare = Set(spares.compactMap(\.participantID))
        // A key replaced after deploy went onto the nodes over SSH; Terraform keeps the key
        // the cluster was built with, so its user data (bootstrap hash) does not change.
        let built = try registry.deployedKeys(session: session)
        var clusters = try participants.filter { !withSpare.contains($0.record.id!) }.map { p -> SessionInputs.Cluster in
            let id = p.record.id!
            let cs = try registry.clusterSecret(participantID: id) ?? {
                let ca = try ClusterCA.generate(clusterName: "\(session)-\(p.discreteID)")
                return try registry.storeClusterSecretIfAbsent(ClusterSecretRecord(participantID: id, secrets: ca.secrets))
            }()
            // EC2 imports `type base64`; the comment is free text and stays out of AWS.
            let keyOnly = (built[id]?.builtKeyLine ?? p.key.keyLine).split(separator: " ").prefix(2).joined(separator: " ")
            return SessionInputs.Cluster(discreteID: p.discreteID, publicKey: keyOnly, podCIDR: p.podCIDR, secrets: cs.secrets)
        }
        // A spare keeps its key, network and secrets when it is handed over, so its user
        // data (and Terraform's bootstrap hash) never change: only its tags follow the owner.
        let operatorKeyOnly = secret.operatorPublicKey.split(separator: " ").prefix(2).joined(separator: " ")
        let owners = Dictionary(uniqueKeysWithValues: participants.map { ($0.record.id!, $0.discreteID) })
        var assignments: [String: String] = [:]
        for s in spares {
            clusters.append(SessionInputs.Cluster(discreteID: s.clusterKey, publicKey: operatorKeyOnly, podCIDR: s.podCIDR,
                                                  secrets: s.secrets))
            assignments[s.clusterKey] = s.participantID.flatMap { owners[$0] } ?? ""
        }
        var inputs = SessionInputs(session: session, operatorPublicKey: secret.operatorPublicKey, clusters: clusters)
        inputs.spareAssignments = assignments
        // Made on the lab's first use if nothing made it before (LabIdentity adopts an S3 lab's first).
        inputs.labID = try registry.ensureLabID()
        return inputs
    }
}
