import Foundation
import LabTestSupport
import XCTest
@testable import LabCore
@testable import LabStore

final class DeploymentRecordsTests: RegistryTestCase {

    func testSessionSecretIsGeneratedOnce() throws {
        let first = SessionSecretRecord(session: "s1", operatorPrivateKey: "PRIV-1", operatorPublicKey: "ssh-ed25519 AAAA1 op")
        let second = SessionSecretRecord(session: "s1", operatorPrivateKey: "PRIV-2", operatorPublicKey: "ssh-ed25519 AAAA2 op")
        XCTAssertEqual(try registry.storeSessionSecretIfAbsent(first).operatorPrivateKey, "PRIV-1")
        XCTAssertEqual(try registry.storeSessionSecretIfAbsent(second).operatorPrivateKey, "PRIV-1")
        XCTAssertFalse(try registry.auditLog(session: "s1").contains { $0.detail.contains("PRIV") })
    }

    func testRecordedClustersReplaceThePreviousOutputs() throws {
        let a = ClusterRecord(session: "s1", address: ClusterAddress(discreteID: "ann.le", masterPublicIP: "203.0.113.1", masterPrivateIP: "10.0.1.5",
                              workerPublicIPs: ["203.0.113.2"], workerPrivateIPs: ["10.0.1.6"], podCIDR: "10.112.0.0/16",
                              masterInstanceID: "i-1", workerInstanceIDs: ["i-2"]))
        try registry.recordClusters(session: "s1", [a])
        XCTAssertEqual(try registry.clusters(session: "s1").first?.workerPublicIPs, ["203.0.113.2"])
        // The address's fields are the table's columns: every one comes back as stored.
        XCTAssertEqual(try registry.clusters(session: "s1").first?.address, a.address)
        try registry.recordClusters(session: "s1", [])
        XCTAssertEqual(try registry.clusters(session: "s1").count, 0)
    }

    func testHostKeyPinnedOnFirstSightOnly() throws {
        let first = HostKeyRecord(session: "s1", discreteID: "ann.le", keyType: "ssh-ed25519", keyBase64: "AAAA1", fingerprint: "SHA256:one")
        let other = HostKeyRecord(session: "s1", discreteID: "ann.le", keyType: "ssh-ed25519", keyBase64: "AAAA2", fingerprint: "SHA256:two")
        XCTAssertEqual(try registry.pinHostKeyIfAbsent(first).fingerprint, "SHA256:one")
        XCTAssertEqual(try registry.pinHostKeyIfAbsent(other).fingerprint, "SHA256:one", "a pinned key is never silently replaced")
        try registry.unpinHostKey(session: "s1", discreteID: "ann.le")
        XCTAssertEqual(try registry.pinHostKeyIfAbsent(other).fingerprint, "SHA256:two")
        XCTAssertEqual(try registry.auditLog(session: "s1").map(\.action), ["host-key-pinned", "host-key-unpinned", "host-key-pinned"])
    }

    /// Audit entries name a participant by name, whichever identifier the caller had:
    /// pin, unpin and retire are called with the discrete id, the intake with the name.
    func testHostKeyAuditEntriesNameTheParticipant() throws {
        let key = try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: "k").publicLine)
        let ann = try registry.register(session: "s1", name: ParticipantName(canonical: "ann.lee"), key: key, via: .cli).participant
        XCTAssertNotEqual(ann.discreteID, "ann.lee", "the test needs the two identifiers to differ")
        try registry.pinHostKeyIfAbsent(HostKeyRecord(session: "s1", discreteID: ann.discreteID, keyType: "ssh-ed25519", keyBase64: "AAAA1", fingerprint: "SHA256:one"))
        try registry.unpinHostKey(session: "s1", discreteID: ann.discreteID)
        try registry.pinHostKeyIfAbsent(HostKeyRecord(session: "s1", discreteID: ann.discreteID, keyType: "ssh-ed25519", keyBase64: "AAAA2", fingerprint: "SHA256:two"))
        try registry.retireHostKey(session: "s1", discreteID: ann.discreteID, reason: "rebuild")
        // A cluster nobody owns (a spare) is named in the detail only.
        try registry.pinHostKeyIfAbsent(HostKeyRecord(session: "s1", discreteID: "spare_1", keyType: "ssh-ed25519", keyBase64: "AAAA3", fingerprint: "SHA256:three"))

        let hostKeyEntries = try registry.auditLog(session: "s1").filter { $0.action.hasPrefix("host-key-") }
        XCTAssertEqual(hostKeyEntries.map(\.action), ["host-key-pinned", "host-key-unpinned", "host-key-pinned", "host-key-retired", "host-key-pinned"])
        XCTAssertEqual(hostKeyEntries.map(\.participant), ["ann.lee", "ann.lee", "ann.lee", "ann.lee", nil])
        for entry in hostKeyEntries.prefix(4) { XCTAssertTrue(entry.detail.contains(ann.discreteID), "\(entry.action): \(entry.detail)") }
        XCTAssertTrue(hostKeyEntries[4].detail.contains("spare_1") && hostKeyEntries[4].detail.contains("SHA256:three"), hostKeyEntries[4].detail)
    }

    func testClusterSecretsGoWithTheParticipant() throws {
        let key = try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: "k").publicLine)
        let p = try registry.register(session: "s1", name: ParticipantName(canonical: "ann.lee"), key: key, via: .cli).participant
        try registry.storeClusterSecretIfAbsent(ClusterSecretRecord(participantID: p.record.id!, secrets: ClusterSecrets(
            joinToken: "abcdef.0123456789abcdef", caCertPEM: "CERT", caKeyPEM: "KEY", caCertHash: "sha256:00")))
        XCTAssertEqual(try registry.clusterSecret(participantID: p.record.id!)?.secrets,
                       ClusterSecrets(joinToken: "abcdef.0123456789abcdef", caCertPEM: "CERT", caKeyPEM: "KEY", caCertHash: "sha256:00"))
        try registry.removeParticipant(session: "s1", name: "ann.lee", via: .cli)
        XCTAssertNil(try registry.clusterSecret(participantID: p.record.id!))
    }

    /// A participant's pin, cluster and verification go with them; the audit log keeps the
    /// retired fingerprint; someone later given the same discrete id starts with no pin.
    func testRemovingAParticipantRetiresTheirPinClusterAndResult() throws {
        let key = try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: "k").publicLine)
        let ann = try registry.register(session: "s1", name: ParticipantName(canonical: "ann.lee"), key: key, via: .cli).participant
        let id = ann.discreteID
        try registry.recordClusters(session: "s1", [ClusterRecord(session: "s1", address: ClusterAddress(discreteID: id, masterPublicIP: "203.0.113.1",
                                                                  masterPrivateIP: nil, workerPublicIPs: [], workerPrivateIPs: [],
                                                                  podCIDR: ann.podCIDR, masterInstanceID: "i-1", workerInstanceIDs: []))])
        try registry.pinHostKeyIfAbsent(HostKeyRecord(session: "s1", discreteID: id, keyType: "ssh-ed25519", keyBase64: "AAAA1", fingerprint: "SHA256:old"))
        try registry.saveVerifications([VerificationRecord(session: "s1", discreteID: id, host: "203.0.113.1", port: 22, ready: true,
                                                           checks: CheckSet(), nodesReady: 1, nodesExpected: 1)])
        XCTAssertEqual(try registry.hostKeys(session: "s1").first?.participantID, ann.record.id)

        try registry.removeParticipant(session: "s1", name: "ann.lee", via: .cli)
        XCTAssertEqual(try registry.hostKeys(session: "s1"), [])
        XCTAssertEqual(try registry.clusters(session: "s1"), [])
        XCTAssertEqual(try registry.verifications(session: "s1"), [])
        let retired = try XCTUnwrap(try registry.auditLog(session: "s1").first { $0.action == "host-key-retired" })
        XCTAssertTrue(retired.detail.contains("SHA256:old"), retired.detail)

        // Raw SQL too: the foreign key holds for any writer, not only through these methods.
        XCTAssertThrowsError(try registry.database.write { db in
            try db.execute(sql: "INSERT INTO hostKey (session, discreteID, keyType, keyBase64, fingerprint, pinnedAt, participantID) VALUES ('s1', 'x.y', 't', 'b', 'f', '2026-01-01', 999999)")
        })
    }

    func testVerificationsKeepTheLatestPerMaster() throws {
        try registry.ensureSession("s1")
        try registry.saveVerifications([VerificationRecord(session: "s1", discreteID: "ann.le", host: "127.0.0.1", port: 2222, ready: false,
                                                           checks: CheckSet(), nodesReady: 1, nodesExpected: 2)])
        try registry.saveVerifications([VerificationRecord(session: "s1", discreteID: "ann.le", host: "127.0.0.1", port: 2222, ready: true,
                                                           checks: CheckSet(), nodesReady: 2, nodesExpected: 2)])
        let all = try registry.verifications(session: "s1")
        XCTAssertEqual(all.count, 1)
        XCTAssertEqual(all.first?.ready, true)
    }
}

extension DeploymentRecordsTests {
    func testRemovingASessionReleasesItsPodCIDRs() throws {
        let key = try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: "r").publicLine)
        let p = try registry.register(session: "old", name: ParticipantName(canonical: "ann.lee"), key: key, via: .cli).participant
        try registry.removeSession("old", via: .cli)
        let other = try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: "r2").publicLine)
        let q = try registry.register(session: "new", name: ParticipantName(canonical: "bob.kim"), key: other, via: .cli).participant
        XCTAssertEqual(q.podCIDR, p.podCIDR)
        XCTAssertThrowsError(try registry.removeSession("old", via: .cli)) { XCTAssertEqual($0 as? RegistryError, .noSuchSession("old")) }
    }
}
