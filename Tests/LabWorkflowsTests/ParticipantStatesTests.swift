import Foundation
import LabCore
import LabProvision
import LabStore
import LabTestSupport
import LabVerify
import LabWorkflows
import XCTest

/// Class-day states (issue 14): intake, recorded outputs and verify results move each
/// participant through the room; real SQLite, real loopback sshd masters.
final class ParticipantStatesTests: XCTestCase {
    var lab: WorkflowLab!
    override func setUpWithError() throws { lab = try WorkflowLab("wf-states") }
    override func tearDown() { lab.remove() }

    /// `terraform output -json` as the session stack prints it.
    func outputs(_ masters: [String: String]) throws -> SessionOutputs {
        let clusters = masters.mapValues { id -> [String: Any] in
            ["master_public_ip": "203.0.113.9", "master_private_ip": "10.0.1.9", "master_instance_id": id,
             "worker_public_ips": ["203.0.113.10"], "worker_private_ips": ["10.0.1.10"], "worker_instance_ids": [id + "-w1"],
             "pod_cidr": "10.200.0.0/16"]
        }
        return try SessionOutputs.parse(JSONSerialization.data(withJSONObject: ["clusters": ["value": clusters]]))
    }

    func states(_ room: SessionRoom) -> [String: ParticipantState] {
        Dictionary(uniqueKeysWithValues: room.participants.map { ($0.name, $0.state) })
    }

    func testRoomFollowsIntakeApplyAndVerify() async throws {
        let (ann, annKey) = try lab.add("ann.lee")
        let (bob, bobKey) = try lab.add("bob.ray")
        var room = try SessionRoom.read(session: lab.session, registry: lab.registry)
        XCTAssertEqual(states(room), ["ann.lee": .keyReceived, "bob.ray": .keyReceived])
        let stored = try XCTUnwrap(try lab.registry.participants(in: lab.session).first { $0.name == "ann.lee" })
        XCTAssertEqual(room.participants.first?.since, stored.key.addedAt, "key received when the key was stored")
        XCTAssertEqual(room.timeToReady.count, 0)
        XCTAssertNil(room.timeToReady.p50)

        let applyStart = Date()
        try lab.registry.recordApplyStart(session: lab.session, at: applyStart)
        try OutputRecorder.record(try outputs([ann.discreteID: "i-ann1", bob.discreteID: "i-bob1"]), session: lab.session, registry: lab.registry)
        room = try SessionRoom.read(session: lab.session, registry: lab.registry)
        XCTAssertEqual(states(room), ["ann.lee": .provisioned, "bob.ray": .provisioned])
        XCTAssertEqual(room.participants.first { $0.name == "ann.lee" }?.detail, "master i-ann1")

        // Ann's master is ready; Bob's is still installing.
        let operatorKey = try SessionInputsBuilder.build(session: lab.session, registry: lab.registry).operatorPublicKey
        let annMaster = try LoopbackMaster(directory: lab.dir.file("ann"), authorizedKeys: [operatorKey, annKey.publicLine], replay: .ready(workers: 1))
        defer { annMaster.stop() }
        let bobMaster = try LoopbackMaster(directory: lab.dir.file("bob"), authorizedKeys: [operatorKey, bobKey.publicLine], replay: .cloudInitRunning)
        defer { bobMaster.stop() }
        var request = VerifySession.Request(session: lab.session, workers: 1)
        request.user = annMaster.loginUser
        request.inventory = [ann.discreteID: .init(host: annMaster.host, port: annMaster.port),
                             bob.discreteID: .init(host: bobMaster.host, port: bobMaster.port)]
        _ = try await VerifySession(registry: lab.registry).run(request)
        room = try SessionRoom.read(session: lab.session, registry: lab.registry)
        XCTAssertEqual(states(room), ["ann.lee": .ready, "bob.ray": .booting])
        let annCheck = try XCTUnwrap(try lab.registry.verifications(session: lab.session).first { $0.discreteID == ann.discreteID })
        let annRow = try XCTUnwrap(room.participants.first { $0.name == "ann.lee" })
        XCTAssertEqual(annRow.since, annCheck.checkedAt)
        XCTAssertEqual(annRow.lastCheckSummary, "ready")
        XCTAssertTrue(room.participants.first { $0.name == "bob.ray" }?.lastCheckSummary?.contains("cloud-init") ?? false)
        XCTAssertFalse(room.settled)
        XCTAssertEqual(room.timeToReady.count, 1)
        XCTAssertEqual(try XCTUnwrap(room.timeToReady.p50), annCheck.checkedAt.timeIntervalSince(applyStart), accuracy: 0.01)

        // A later apply that keeps Ann's instances leaves her ready; Bob's replaced
        // instances make him provisioned again, and a broken boot is "failed".
        try lab.registry.recordApplyStart(session: lab.session)
        try OutputRecorder.record(try outputs([ann.discreteID: "i-ann1", bob.discreteID: "i-bob2"]), session: lab.session, registry: lab.registry)
        XCTAssertEqual(states(try SessionRoom.read(session: lab.session, registry: lab.registry)), ["ann.lee": .ready, "bob.ray": .provisioned])
        // Bob's new master will present a new host key: his old pin is retired (audited), Ann's stays.
        XCTAssertEqual(try lab.registry.hostKeys(session: lab.session).map(\.discreteID), [ann.discreteID])
        let retired = try XCTUnwrap(try lab.registry.auditLog(session: lab.session).last { $0.action == "host-key-retired" })
        XCTAssertEqual(retired.participant, "bob.ray")
        XCTAssertTrue(retired.detail.contains(bobMaster.hostKeyFingerprint) && retired.detail.contains("i-bob1 -> i-bob2"), retired.detail)
        bobMaster.stop()
        let broken = try LoopbackMaster(directory: lab.dir.file("bob2"), authorizedKeys: [operatorKey, bobKey.publicLine],
                                        replay: .cloudInitError("package install failed"))
        defer { broken.stop() }
        request.participants = [bob.name]
        request.inventory = [bob.discreteID: .init(host: broken.host, port: broken.port)]
        _ = try await VerifySession(registry: lab.registry).run(request)
        room = try SessionRoom.read(session: lab.session, registry: lab.registry)
        XCTAssertEqual(states(room), ["ann.lee": .ready, "bob.ray": .failed])
        XCTAssertTrue(room.participants.first { $0.name == "bob.ray" }?.detail?.contains("package install failed") ?? false)
        // Ann still counts from the first apply (the one that built her cluster).
        XCTAssertEqual(try XCTUnwrap(room.timeToReady.p95), annCheck.checkedAt.timeIntervalSince(applyStart), accuracy: 0.01)

        let history = try lab.registry.stateHistory(session: lab.session).filter { $0.discreteID == bob.discreteID }.map(\.record.state)
        XCTAssertEqual(history, [.keyReceived, .provisioned, .booting, .provisioned, .failed])
    }

    func testKeyReplacementAndRemovalReachTheHistory() throws {
        let (ann, _) = try lab.add("ann.lee")
        try lab.registry.enterState(session: lab.session, discreteID: ann.discreteID, .ready)
        // Same state twice writes one row.
        XCTAssertFalse(try lab.registry.enterState(session: lab.session, discreteID: ann.discreteID, .ready))
        let newKey = try KeyGen.generate(in: lab.dir.file("keys"), name: "ann2", comment: "new laptop")
        _ = try lab.registry.register(session: lab.session, name: try ParticipantName(canonical: "ann.lee"),
                                      key: try PublicKeyParser.parse(newKey.publicLine), via: .web)
        let history = try lab.registry.stateHistory(session: lab.session)
        XCTAssertEqual(history.map(\.record.state), [.keyReceived, .ready, .keyReceived])
        XCTAssertEqual(history.last?.record.detail, try PublicKeyParser.parse(newKey.publicLine).fingerprint)

        try lab.registry.removeParticipant(session: lab.session, name: "ann.lee", via: .cli)
        XCTAssertTrue(try lab.registry.stateHistory(session: lab.session).isEmpty)
        XCTAssertFalse(try lab.registry.enterState(session: lab.session, discreteID: ann.discreteID, .ready))
        // The next participant given the same discrete id starts afresh.
        let againKey = try KeyGen.generate(in: lab.dir.file("keys"), name: "ann.lee-again")
        let again = try lab.registry.register(session: lab.session, name: try ParticipantName(canonical: "ann.lee"),
                                              key: try PublicKeyParser.parse(againKey.publicLine), via: .cli).participant
        XCTAssertEqual(try SessionRoom.read(session: lab.session, registry: lab.registry).participants.map(\.state), [.keyReceived])
        XCTAssertEqual(again.discreteID, ann.discreteID)
    }

    func testTimeToReadyCountsFromTheApplyThatBuiltTheCluster() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let starts = [t0, t0.addingTimeInterval(3600)]
        // Built by the first apply, ready 8 minutes later; the second apply changed nothing for them.
        XCTAssertEqual(TimeToReady.duration(history: [(.keyReceived, t0 - 60), (.provisioned, t0 + 120), (.booting, t0 + 200), (.ready, t0 + 480)],
                                            applyStarts: starts), 480)
        // A late joiner built by the second apply.
        XCTAssertEqual(TimeToReady.duration(history: [(.keyReceived, t0 + 3000), (.provisioned, t0 + 3700), (.ready, t0 + 3720)],
                                            applyStarts: starts), 120)
        // Not ready, or no apply before: not counted.
        XCTAssertNil(TimeToReady.duration(history: [(.provisioned, t0 + 10), (.booting, t0 + 20)], applyStarts: starts))
        XCTAssertNil(TimeToReady.duration(history: [(.ready, t0 - 10)], applyStarts: starts))

        let ttr = TimeToReady.of([70, 10, 100, 40, 20, 90, 30, 60, 50, 80])
        XCTAssertEqual(ttr.count, 10)
        XCTAssertEqual(ttr.p50, 50)
        XCTAssertEqual(ttr.p95, 100)
        XCTAssertEqual(TimeToReady.of([42]).p95, 42)
        XCTAssertEqual(TimeToReady.of([1, 2, 3]).p50, 2)
    }
}
