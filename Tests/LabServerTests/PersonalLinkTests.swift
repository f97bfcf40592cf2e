import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabCore
import LabStore
import LabTestSupport
import NIOCore
import XCTest

/// The personal link: only its holder reads or changes an entry, and it shows
/// the participant's own connection sheet once deployed — nobody else's.
/// `@unchecked Sendable`: the router-test closures capture the test case; XCTest runs each test on one task.
final class PersonalLinkTests: XCTestCase, @unchecked Sendable {
    func join(_ client: some TestClientProtocol, _ code: String, _ first: String, _ last: String, _ key: TestKeys.Key) async throws -> String {
        let r = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                         body: IntakeFixture.json(["first_name": first, "last_name": last, "public_key": key.line]))
        XCTAssertEqual(r.status, .created, r.text)
        return try XCTUnwrap(r.json["edit_token"] as? String)
    }

    func testOnlyTheTokenHolderCanReplaceTheKeyAndHistoryIsKept() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let (a1, a2, b) = (TestKeys.ed25519(), TestKeys.ed25519(), TestKeys.ed25519())
        try await f.application().test(.router) { client in
            let alice = try await self.join(client, code, "Alice", "Smith", a1)
            let bob = try await self.join(client, code, "Bob", "Jones", b)
            let put = { (token: String, key: String) in
                try await client.execute(uri: "/api/v1/me/key", method: .put,
                                         headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                                         body: IntakeFixture.json(["public_key": key]))
            }
            let replaced = try await put(alice, a2.line)
            XCTAssertEqual(replaced.status, .ok, replaced.text)
            XCTAssertEqual(replaced.json["fingerprint"] as? String, a2.fingerprint)
            XCTAssertEqual(replaced.json["previous_fingerprint"] as? String, a1.fingerprint)
            // Bob cannot take Alice's new key, nor can a made-up token touch anything.
            let v10 = try await put(bob, a2.line).status
            XCTAssertEqual(v10, .conflict)
            let v11 = try await put(SecretToken.generate().value, TestKeys.ed25519().line).status
            XCTAssertEqual(v11, .notFound)
            let anonymous = try await client.execute(uri: "/api/v1/me", method: .get)
            XCTAssertEqual(anonymous.status, .unauthorized)
            let mine = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(bob)"])
            XCTAssertEqual(mine.json["name"] as? String, "bob.jones")
            XCTAssertFalse(mine.text.contains("alice"))
        }
        XCTAssertEqual(try f.registry.participant(session: "s1", name: "alice.smith")?.fingerprint, a2.fingerprint)
        XCTAssertEqual(try f.registry.participant(session: "s1", name: "bob.jones")?.fingerprint, b.fingerprint)
        XCTAssertEqual(try f.registry.keyHistory(session: "s1", name: "alice.smith").map(\.fingerprint), [a1.fingerprint, a2.fingerprint])
    }

    func testTheReplaceFormNeedsCSRFAndRefusesBadKeysOnThePage() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let key = TestKeys.ed25519()
        try await f.application().test(.router) { client in
            let token = try await self.join(client, code, "Jane", "Doe", key)
            let page = try await client.execute(uri: "/me/\(token)", method: .get)
            let csrf = try XCTUnwrap(page.cookie("labctl_csrf")?.value)
            XCTAssertEqual(csrfField(in: page.text), csrf)
            var form = Multipart()
            form.field("csrf", csrf)
            form.field("public_key", "ssh-rsa AAAAB3NzaC1yc2E jane")
            let bad = try await client.execute(uri: "/me/\(token)/key", method: .post,
                                               headers: [.contentType: form.contentType, .cookie: "labctl_csrf=\(csrf)"], body: form.body)
            XCTAssertEqual(bad.status, .unprocessableContent)
            XCTAssertTrue(bad.text.contains("RSA"))
            var forged = Multipart()
            forged.field("public_key", TestKeys.ed25519().line)
            let noToken = try await client.execute(uri: "/me/\(token)/key", method: .post, headers: [.contentType: forged.contentType], body: forged.body)
            XCTAssertEqual(noToken.status, .forbidden)
            let next = TestKeys.ed25519()
            var good = Multipart()
            good.field("csrf", csrf)
            good.field("public_key", next.line)
            let ok = try await client.execute(uri: "/me/\(token)/key", method: .post,
                                              headers: [.contentType: good.contentType, .cookie: "labctl_csrf=\(csrf)"], body: good.body)
            XCTAssertEqual(ok.status, .seeOther)
            XCTAssertEqual(try f.registry.participant(session: "s1", name: "jane.doe")?.fingerprint, next.fingerprint)
        }
    }

    func testThePersonalPageShowsTheOwnSheetOnlyAndNeverAnotherParticipantsAddress() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        try await f.application().test(.router) { client in
            let alice = try await self.join(client, code, "Alice", "Smith", TestKeys.ed25519())
            _ = try await self.join(client, code, "Bob", "Jones", TestKeys.ed25519())
            let before = try await client.execute(uri: "/me/\(alice)", method: .get)
            XCTAssertTrue(before.text.contains("not deployed yet"))
            try f.registry.recordClusters(session: "s1", [
                ClusterRecord(session: "s1", address: ClusterAddress(discreteID: "alice.sm", masterPublicIP: "198.51.100.7", masterPrivateIP: "10.0.1.7",
                              workerPublicIPs: ["198.51.100.8"], workerPrivateIPs: ["10.0.1.8"], podCIDR: "10.112.0.0/16",
                              masterInstanceID: "i-a", workerInstanceIDs: ["i-b"])),
                ClusterRecord(session: "s1", address: ClusterAddress(discreteID: "bob.jo", masterPublicIP: "203.0.113.9", masterPrivateIP: "10.0.1.9",
                              workerPublicIPs: ["203.0.113.10"], workerPrivateIPs: ["10.0.1.10"], podCIDR: "10.113.0.0/16",
                              masterInstanceID: "i-c", workerInstanceIDs: ["i-d"])),
            ])
            try f.registry.pinHostKeyIfAbsent(HostKeyRecord(session: "s1", discreteID: "alice.sm", keyType: "ssh-ed25519",
                                                            keyBase64: "AAAAC3NzaC1lZDI1NTE5AAAAIAlice", fingerprint: "SHA256:aliceHostKey"))
            try f.registry.pinHostKeyIfAbsent(HostKeyRecord(session: "s1", discreteID: "bob.jo", keyType: "ssh-ed25519",
                                                            keyBase64: "AAAAC3NzaC1lZDI1NTE5AAAAIBob", fingerprint: "SHA256:bobHostKey"))
            let after = try await client.execute(uri: "/me/\(alice)", method: .get)
            XCTAssertTrue(after.text.contains("ssh -i ~/.ssh/id_ed25519 ubuntu@198.51.100.7"), after.text)
            XCTAssertTrue(after.text.contains("SHA256:aliceHostKey"))
            for other in ["203.0.113.9", "203.0.113.10", "SHA256:bobHostKey", "bob"] {
                XCTAssertFalse(after.text.contains(other), "Alice's page shows \(other)")
            }
        }
    }

    func testARemovedParticipantsLinkStopsWorking() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        try await f.application().test(.router) { client in
            let token = try await self.join(client, code, "Jane", "Doe", TestKeys.ed25519())
            let v12 = try await client.execute(uri: "/me/\(token)", method: .get).status
            XCTAssertEqual(v12, .ok)
            try f.registry.removeParticipant(session: "s1", name: "jane.doe", via: .admin)
            let v13 = try await client.execute(uri: "/me/\(token)", method: .get).status
            XCTAssertEqual(v13, .notFound)
        }
    }
}
