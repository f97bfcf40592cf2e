import Foundation
import LabCore
import LabProvision
import LabStore
import LabTestSupport
import LabVerify
import LabWorkflows
import XCTest

/// Spares (issue 14) in-process: the Terraform inputs of a spare do not change when it is
/// handed over (only the assignment does), and the intake's late-joiner path hands the
/// next *ready* spare to a key that arrives after apply, on real loopback sshd masters.
final class SparesIntakeTests: XCTestCase {
    var lab: WorkflowLab!
    var masters: [LoopbackMaster] = []
    override func setUpWithError() throws { lab = try WorkflowLab("wf-spares", tfvars: "spares = 2\n") }
    override func tearDown() {
        for m in masters { m.stop() }
        lab.remove()
    }

    /// `terraform output -json` as the session stack prints it, for the given cluster keys.
    func outputs(_ clusters: [String: String]) throws -> SessionOutputs {
        var value: [String: Any] = [:]
        for (key, cidr) in clusters {
            value[key] = ["master_public_ip": "203.0.113.9", "master_private_ip": "10.0.1.9", "master_instance_id": "i-m-\(key)",
                          "worker_public_ips": ["203.0.113.10"], "worker_private_ips": ["10.0.1.10"], "worker_instance_ids": ["i-w-\(key)"],
                          "pod_cidr": cidr] as [String: Any]
        }
        return try SessionOutputs.parse(JSONSerialization.data(withJSONObject: ["clusters": ["value": value]]))
    }

    func testLateJoinerGetsTheNextReadySpareAndTheSparesInputsStayTheSame() async throws {
        let s = lab.session
        let (ann, _) = try lab.add("ann.lee")
        let change = try SpareClusters.sync(session: s, files: lab.files, registry: lab.registry)
        XCTAssertEqual(change.added.count, 2)
        let spares = try lab.registry.spares(session: s)
        let nets = try ([ann.podCIDR] + spares.map(\.podCIDR)).map { try XCTUnwrap(IPv4CIDR($0)) }
        for i in nets.indices { for j in nets.indices where i < j { XCTAssertFalse(nets[i].overlaps(nets[j]), "\(nets[i]) \(nets[j])") } }
        XCTAssertEqual(try SpareClusters.sync(session: s, files: lab.files, registry: lab.registry), .init(), "in step: nothing to do")

        let before = try SessionInputsBuilder.build(session: s, registry: lab.registry)
        let operatorKeyOnly = before.operatorPublicKey.split(separator: " ").prefix(2).joined(separator: " ")
        XCTAssertEqual(Set(before.clusters.map(\.discreteID)), Set([ann.discreteID] + spares.map(\.clusterKey)))
        for spare in spares {
            XCTAssertEqual(before.clusters.first { $0.discreteID == spare.clusterKey }?.publicKey, operatorKeyOnly)
            XCTAssertEqual(before.spareAssignments[spare.clusterKey], "")
        }

        // Applied: Terraform reported all three clusters.
        try OutputRecorder.record(try outputs([ann.discreteID: ann.podCIDR, spares[0].clusterKey: spares[0].podCIDR,
                                               spares[1].clusterKey: spares[1].podCIDR]), session: s, registry: lab.registry)
        // The first spare is still booting, the second one ready.
        let booting = try LoopbackMaster(directory: lab.dir.file("spare-a"), authorizedKeys: [before.operatorPublicKey], replay: .cloudInitRunning)
        let ready = try LoopbackMaster(directory: lab.dir.file("spare-b"), authorizedKeys: [before.operatorPublicKey], replay: .ready(workers: 1))
        let readyWorker = try LoopbackMaster(directory: lab.dir.file("spare-b-w1"), authorizedKeys: [before.operatorPublicKey], replay: .ready(workers: 1))
        masters = [booting, ready, readyWorker]
        let inventory: [String: VerifySession.Address] = [
            spares[0].clusterKey: .init(host: booting.host, port: booting.port),
            spares[1].clusterKey: .init(host: ready.host, port: ready.port),
            "\(spares[1].clusterKey)/worker-1": .init(host: readyWorker.host, port: readyWorker.port),
        ]
        let logged = LogLines()
        let joiners = LateJoiners(lab.context, inventory: inventory, user: ready.loginUser) { logged.append($0) }

        let freeBefore = try lab.registry.podNetworkCapacity().free
        let (bob, bobKey) = try lab.add("bob.ray")
        XCTAssertEqual(try lab.registry.podNetworkCapacity().free, freeBefore - 1)
        await joiners.enqueue(session: s, discreteID: bob.discreteID).value

        XCTAssertEqual(try lab.registry.spareOwners(session: s), [spares[1].clusterKey: bob.discreteID], logged.text)
        let bobBlob = String(bobKey.publicLine.split(separator: " ")[1])
        XCTAssertTrue(try String(contentsOf: ready.authorizedKeysPath, encoding: .utf8).contains(bobBlob))
        XCTAssertTrue(try String(contentsOf: readyWorker.authorizedKeysPath, encoding: .utf8).contains(bobBlob))
        XCTAssertFalse(try String(contentsOf: booting.authorizedKeysPath, encoding: .utf8).contains(bobBlob), "a booting spare is not handed out")
        let room = try SessionRoom.read(session: s, registry: lab.registry)
        XCTAssertEqual(room.participants.first { $0.name == "bob.ray" }?.state, .ready, logged.text)
        XCTAssertEqual(room.spares.left, 1)
        XCTAssertEqual(room.spares.assigned, [.init(spare: spares[1].clusterKey, discreteID: bob.discreteID)])
        XCTAssertEqual(try lab.registry.podNetworkCapacity().free, freeBefore, "bob's own network went back to the pool")
        XCTAssertEqual(try lab.registry.participant(session: s, name: "bob.ray")?.podCIDR, spares[1].podCIDR)

        // Terraform sees the same spare (key, network, secrets): only its owner is new.
        let after = try SessionInputsBuilder.build(session: s, registry: lab.registry)
        XCTAssertEqual(Set(after.clusters.map(\.discreteID)), Set(before.clusters.map(\.discreteID)), "no cluster of bob's own")
        for key in spares.map(\.clusterKey) {
            let a = try XCTUnwrap(before.clusters.first { $0.discreteID == key }), b = try XCTUnwrap(after.clusters.first { $0.discreteID == key })
            XCTAssertEqual([a.publicKey, a.podCIDR, a.joinToken, a.caCertPEM, a.caKeyPEM, a.caCertHash],
                           [b.publicKey, b.podCIDR, b.joinToken, b.caCertPEM, b.caKeyPEM, b.caCertHash])
        }
        XCTAssertEqual(after.spareAssignments, [spares[0].clusterKey: "", spares[1].clusterKey: bob.discreteID])

        // The next outputs keep bob's cluster under his id, unchanged: he stays ready.
        try OutputRecorder.record(try outputs([ann.discreteID: ann.podCIDR, spares[0].clusterKey: spares[0].podCIDR,
                                               spares[1].clusterKey: spares[1].podCIDR]), session: s, registry: lab.registry)
        XCTAssertEqual(try lab.registry.clusters(session: s).map(\.discreteID).sorted(),
                       [ann.discreteID, bob.discreteID, spares[0].clusterKey].sorted())
        XCTAssertEqual(try SessionRoom.read(session: s, registry: lab.registry).participants.first { $0.name == "bob.ray" }?.state, .ready)

        // The only spare left is not ready: cy's key is kept, no spare is assigned.
        let (cy, _) = try lab.add("cy.dee")
        await joiners.enqueue(session: s, discreteID: cy.discreteID).value
        XCTAssertEqual(try lab.registry.spareOwners(session: s).count, 1)
        XCTAssertNotNil(try lab.registry.participant(session: s, name: "cy.dee"))
        XCTAssertTrue(logged.text.contains("cy.de joined s1 after apply; no spare assigned: no ready spare"), logged.text)

        // Removing bob takes his (former spare) cluster with him; the spare is not reused.
        try lab.registry.removeParticipant(session: s, name: "bob.ray", via: .cli)
        XCTAssertEqual(try lab.registry.spares(session: s).map(\.clusterKey), [spares[0].clusterKey])
    }
}

// @unchecked Sendable: every access holds `lock`.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}
