import Foundation
import LabCore
import LabProvision
import LabStore
import LabTestSupport
import LabVerify
import LabWorkflows
import XCTest

/// `worker_count` down (issue 14): the leaving workers' Node objects are deleted on the
/// master over SSH (a real loopback sshd, the operator key) before their instances go.
final class ShrinkWorkersTests: XCTestCase {
    var lab: WorkflowLab!
    override func setUpWithError() throws { lab = try WorkflowLab("wf-shrink") }
    override func tearDown() { lab.remove() }

    func record(_ workersByID: [String: Int]) throws {
        let clusters = Dictionary(uniqueKeysWithValues: workersByID.map { id, n -> (String, [String: Any]) in
            (id, ["master_public_ip": "203.0.113.9", "master_instance_id": "i-\(id)",
                  "worker_public_ips": (0..<n).map { "203.0.113.\(20 + $0)" }, "worker_private_ips": [String](),
                  "worker_instance_ids": (0..<n).map { "i-\(id)-w\($0 + 1)" }])
        })
        try OutputRecorder.record(try SessionOutputs.parse(JSONSerialization.data(withJSONObject: ["clusters": ["value": clusters]])),
                                  session: lab.session, registry: lab.registry)
    }

    func testLeavingWorkersNodesAreDeletedOnTheMaster() async throws {
        let (ann, annKey) = try lab.add("ann.lee")
        let (bob, _) = try lab.add("bob.ray")
        let operatorKey = try SessionInputsBuilder.build(session: lab.session, registry: lab.registry).operatorPublicKey
        try record([ann.discreteID: 3, bob.discreteID: 3])
        let shrink = ShrinkWorkers(registry: lab.registry)
        XCTAssertEqual(try shrink.removals(session: lab.session, workers: 3), [])
        XCTAssertEqual(try shrink.removals(session: lab.session, workers: 1).map(\.nodes), [["worker-2", "worker-3"], ["worker-2", "worker-3"]])

        let master = try LoopbackMaster(directory: lab.dir.file("ann"), authorizedKeys: [operatorKey, annKey.publicLine], replay: .ready(workers: 3))
        defer { master.stop() }
        let results = try await shrink.run(session: lab.session, workers: 1, user: master.loginUser,
                                           addresses: [ann.discreteID: .init(host: master.host, port: master.port)])
        XCTAssertEqual(results.map(\.discreteID), [ann.discreteID, bob.discreteID])
        XCTAssertNil(results[0].problem, "\(results)")
        XCTAssertEqual(results[1].problem, "no master address")
        let log = try String(contentsOf: master.directory.appendingPathComponent("replay/kubectl-deletes.log"), encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").count, 1)
        XCTAssertTrue(log.contains("--kubeconfig /etc/kubernetes/admin.conf"), log)
        XCTAssertTrue(log.hasSuffix(" worker-2 worker-3\n"), log)
        XCTAssertFalse(log.contains("worker-1"), log)
        // The master was pinned on first sight, as verify would have.
        XCTAssertEqual(try lab.registry.hostKeys(session: lab.session).first?.fingerprint, master.hostKeyFingerprint)

        // A master whose host key changed is not trusted with the operator's commands.
        try master.rekey()
        let refused = try await shrink.run(session: lab.session, workers: 0, user: master.loginUser,
                                           addresses: [ann.discreteID: .init(host: master.host, port: master.port)])
        XCTAssertTrue(refused[0].problem?.contains("host key changed") ?? false, "\(refused)")
        XCTAssertEqual(try String(contentsOf: master.directory.appendingPathComponent("replay/kubectl-deletes.log"), encoding: .utf8), log,
                       "nothing ran on the changed host")
    }

    /// `labctl apply` after confirming: the worker count comes from each session's file as
    /// it is now. No master address is recorded, so nothing is dialled.
    func testSessionsShrinkToTheWorkerCountTheirFileSaysNow() async throws {
        let (ann, _) = try lab.add("ann.lee")
        _ = try SessionInputsBuilder.build(session: lab.session, registry: lab.registry) // the session's operator key
        let clusters: [String: Any] = [ann.discreteID: ["master_instance_id": "i-ann", "worker_public_ips": [String](), "worker_private_ips": [String](),
                                                        "worker_instance_ids": ["i-ann-w1", "i-ann-w2", "i-ann-w3"]]]
        try OutputRecorder.record(try SessionOutputs.parse(JSONSerialization.data(withJSONObject: ["clusters": ["value": clusters]])),
                                  session: lab.session, registry: lab.registry)
        var heard: [(String, ShrinkWorkers.Result)] = []
        try await ShrinkWorkers(registry: lab.registry).run(sessions: [lab.session], files: lab.files) { heard.append(($0, $1)) }
        XCTAssertEqual(heard.map(\.0), [lab.session])
        XCTAssertEqual(heard.first?.1.nodes, ["worker-2", "worker-3"], "worker_count = 1 in sessions/s1.tfvars keeps worker-1")
        XCTAssertEqual(heard.first?.1.problem, "no master address")

        // A session without a file is refused before anything is removed.
        do {
            try await ShrinkWorkers(registry: lab.registry).run(sessions: ["s9"], files: lab.files) { _, _ in XCTFail("nothing to hear") }
            XCTFail("s9 has no sessions/s9.tfvars")
        } catch {
            XCTAssertTrue("\(error)".contains("s9"), "\(error)")
        }
    }
}
