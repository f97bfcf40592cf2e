import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabCore
import LabProvision
import LabServer
import LabStore
import LabTestSupport
import LabWorkflows
import NIOCore
import XCTest

/// Issue 23, item 5 on the web: a participant whose cluster exists replaces their key on
/// `/me`; the intake puts it onto their loopback sshd master and worker over SSH (old key
/// off), Terraform's inputs keep the key the cluster was built with, and when a node does
/// not answer, `/me`, the JSON API and the trainer's room say it is not there yet and what
/// to run. (That Terraform then replaces nothing: labctlTests/KeyReplacedAfterDeployTests.)
/// `@unchecked Sendable`: the router-test closures capture the test case; XCTest runs each test on one task.
final class KeyReplacedAfterDeployWebTests: XCTestCase, @unchecked Sendable {
    func testMePutsAReplacedKeyOnTheClusterAndSaysWhenANodeDoesNotAnswer() async throws {
        let f = try IntakeFixture()
        let code = try f.open("s1")
        let (a, b, c) = (TestKeys.ed25519(), TestKeys.ed25519(), TestKeys.ed25519())
        @Sendable func blob(_ k: TestKeys.Key) -> String { String(k.line.split(separator: " ")[1]) }

        // Joined, then applied: Terraform reported the cluster (addresses the tests never dial).
        let joined = try await f.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                     body: IntakeFixture.json(["first_name": "Ann", "last_name": "Lee", "public_key": a.line]))
        }
        let token = try XCTUnwrap(joined.json["edit_token"] as? String, joined.text)
        let ann = try XCTUnwrap(try f.registry.participant(session: "s1", name: "ann.lee"))
        let built = try SessionInputsBuilder.build(session: "s1", registry: f.registry)
        let outputs: [String: Any] = ["clusters": ["value": [ann.discreteID: [
            "master_public_ip": "203.0.113.9", "master_private_ip": "10.0.1.9", "master_instance_id": "i-m",
            "worker_public_ips": ["203.0.113.10"], "worker_private_ips": ["10.0.1.10"], "worker_instance_ids": ["i-w"],
            "pod_cidr": ann.podCIDR] as [String: Any]]]]
        try OutputRecorder.record(try SessionOutputs.parse(JSONSerialization.data(withJSONObject: outputs)), session: "s1", registry: f.registry)

        let master = try LoopbackMaster(directory: f.dir.file("ann-master"), authorizedKeys: [built.operatorPublicKey, a.line], replay: .ready(workers: 1))
        let worker = try LoopbackMaster(directory: f.dir.file("ann-worker"), authorizedKeys: [built.operatorPublicKey, a.line], replay: .ready(workers: 1))
        defer { master.stop(); worker.stop() }
        let inventory: [String: VerifySession.Address] = [ann.discreteID: .init(host: master.host, port: master.port),
                                                          "\(ann.discreteID)/worker-1": .init(host: worker.host, port: worker.port)]
        let joiners = LateJoiners(LabContext(registry: f.registry, root: f.dir.url), inventory: inventory, user: master.loginUser) { _ in }
        var dependencies = f.dependencies
        dependencies.lateJoiners = joiners

        try await Application(router: IntakeServer.router(dependencies)).test(.router) { client in
            let page = try await client.execute(uri: "/me/\(token)", method: .get)
            let csrf = try XCTUnwrap(page.cookie("labctl_csrf")?.value)
            var form = Multipart()
            form.field("csrf", csrf)
            form.field("public_key", b.line)
            let replaced = try await client.execute(uri: "/me/\(token)/key", method: .post,
                                                    headers: [.contentType: form.contentType, .cookie: "labctl_csrf=\(csrf)"], body: form.body)
            XCTAssertEqual(replaced.status, .seeOther, replaced.text)
            let location = try XCTUnwrap(replaced.headers[.location])
            XCTAssertEqual(location, "/me/\(token)?replaced=1&pushed=1")
            for node in [master, worker] {
                let keys = try String(contentsOf: node.authorizedKeysPath, encoding: .utf8)
                XCTAssertTrue(keys.contains(blob(b)) && !keys.contains(blob(a)), keys)
            }
            let after = try await client.execute(uri: location, method: .get).text
            XCTAssertTrue(after.contains("also on your cluster"), after)
            XCTAssertFalse(after.contains("key-not-on-cluster"), after)

            // The worker stops answering: the next key is stored, and everyone is told.
            worker.stop()
            let put = try await client.execute(uri: "/api/v1/me/key", method: .put,
                                               headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                                               body: IntakeFixture.json(["public_key": c.line]))
            XCTAssertEqual(put.status, .ok, put.text)
            XCTAssertEqual(put.json["fingerprint"] as? String, c.fingerprint)
            XCTAssertEqual(put.json["key_on_cluster"] as? Bool, false, put.text)
            let own = try await client.execute(uri: "/me/\(token)", method: .get).text
            XCTAssertTrue(own.contains("id=\"key-not-on-cluster\""), own)
            XCTAssertTrue(own.contains("labctl keys push s1 ann.lee"), own)
            XCTAssertTrue(own.contains("ann.le worker-1"), "names the node: \(own)")

            let (cookie, _, _) = try await adminLogin(client)
            let room = try await client.execute(uri: "/admin/sessions/s1", method: .get, headers: [.cookie: "labctl_admin=\(cookie)"]).text
            XCTAssertTrue(room.contains("key-pending"), room)
            XCTAssertTrue(room.contains("labctl keys push s1 ann.lee"), room)
        }
        XCTAssertEqual(try f.registry.participant(session: "s1", name: "ann.lee")?.fingerprint, c.fingerprint, "nothing lost")
        XCTAssertTrue(try String(contentsOf: master.authorizedKeysPath, encoding: .utf8).contains(blob(c)), "the master answered")
        // Terraform's inputs still carry the key the cluster was built with.
        let inputs = try SessionInputsBuilder.build(session: "s1", registry: f.registry)
        XCTAssertEqual(inputs.clusters.first { $0.discreteID == ann.discreteID }?.publicKey, a.line.split(separator: " ").prefix(2).joined(separator: " "))
    }
}
