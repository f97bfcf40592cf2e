import Foundation
import LabCore
import LabProvision
import LabStore
import LabTestSupport
import LabWorkflows
import XCTest

/// Issue 23, item 5, the registry side: a key replaced before apply simply replaces it in
/// Terraform's inputs; one replaced while the cluster exists leaves the built key in the
/// inputs, until the cluster is gone or rebuilt; new instances of a cluster with a kept
/// key (booted with it) need the active key pushed again.
final class DeployedKeyInputsTests: XCTestCase {
    var lab: WorkflowLab!
    override func setUpWithError() throws { lab = try WorkflowLab("wf-deployed-key") }
    override func tearDown() { lab.remove() }

    func keyOnly(_ line: String) -> String { line.split(separator: " ").prefix(2).joined(separator: " ") }

    func inputKey(_ discreteID: String) throws -> String? {
        try SessionInputsBuilder.build(session: lab.session, registry: lab.registry).clusters.first { $0.discreteID == discreteID }?.publicKey
    }

    func record(_ masters: [String: String]) throws {
        var value: [String: Any] = [:]
        for (id, instance) in masters {
            value[id] = ["master_public_ip": "203.0.113.9", "master_private_ip": "10.0.1.9", "master_instance_id": instance,
                         "worker_public_ips": [String](), "worker_private_ips": [String](), "worker_instance_ids": [String](),
                         "pod_cidr": "10.200.0.0/21"] as [String: Any]
        }
        let outputs = try SessionOutputs.parse(JSONSerialization.data(withJSONObject: ["clusters": ["value": value]]))
        try OutputRecorder.record(outputs, session: lab.session, registry: lab.registry)
    }

    func replaceKey(_ name: String) throws -> Participant {
        let pair = try KeyGen.generate(in: lab.dir.file("keys"), name: "\(name)-\(UUID().uuidString.prefix(6))")
        return try lab.registry.register(session: lab.session, name: try ParticipantName(canonical: name), key: try PublicKeyParser.parse(pair.publicLine),
                                         via: .web).participant
    }

    func testTheBuiltKeyStaysInTheInputsWhileTheClusterLives() throws {
        let (ann, _) = try lab.add("ann.lee")
        // Before apply: the replacement is simply the new input.
        let early = try replaceKey("ann.lee")
        XCTAssertEqual(try inputKey(ann.discreteID), keyOnly(early.key.keyLine))
        XCTAssertNil(try lab.registry.deployedKey(participantID: ann.record.id!))

        try record([ann.discreteID: "i-1"])
        let late = try replaceKey("ann.lee")
        XCTAssertEqual(try inputKey(ann.discreteID), keyOnly(early.key.keyLine), "the cluster was built with this one")
        let again = try replaceKey("ann.lee")
        XCTAssertEqual(try inputKey(ann.discreteID), keyOnly(early.key.keyLine), "a second replacement keeps the original")
        XCTAssertNotEqual(late.fingerprint, again.fingerprint)
        let room = try SessionRoom.read(session: lab.session, registry: lab.registry).participants.first
        XCTAssertTrue(room?.keyNotOnCluster?.contains("labctl keys push s1 ann.lee") == true, "\(String(describing: room))")

        // Pushed, then the same instances reported again: nothing to do.
        try lab.registry.recordKeyPush(session: lab.session, participant: again, error: nil, via: .cli)
        try record([ann.discreteID: "i-1"])
        XCTAssertNil(try SessionRoom.read(session: lab.session, registry: lab.registry).participants.first?.keyNotOnCluster)
        // A new master (an accepted replacement) booted with the built key: push again.
        try record([ann.discreteID: "i-2"])
        let renewed = try XCTUnwrap(try SessionRoom.read(session: lab.session, registry: lab.registry).participants.first?.keyNotOnCluster)
        XCTAssertTrue(renewed.contains("new instances booted"), renewed)
        XCTAssertEqual(try inputKey(ann.discreteID), keyOnly(early.key.keyLine))

        // The cluster gone (destroyed): the next one boots with the active key.
        try record([:])
        XCTAssertNil(try lab.registry.deployedKey(participantID: ann.record.id!))
        XCTAssertEqual(try inputKey(ann.discreteID), keyOnly(again.key.keyLine))
    }
}
