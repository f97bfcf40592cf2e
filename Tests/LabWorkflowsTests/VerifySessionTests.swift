import Foundation
import LabCore
import LabStore
import LabTestSupport
import LabVerify
import LabWorkflows
import XCTest

/// Verify and record, in-process, against a real loopback sshd replaying a ready node.
final class VerifySessionTests: XCTestCase {
    var lab: WorkflowLab!
    override func setUpWithError() throws { lab = try WorkflowLab("wf-verify") }
    override func tearDown() { lab.remove() }

    func testReadyMasterIsPinnedAndRecorded() async throws {
        let (ann, annKey) = try lab.add("ann.lee")
        let inputs = try SessionInputsBuilder.build(session: lab.session, registry: lab.registry)
        let master = try LoopbackMaster(directory: lab.dir.file("master"), authorizedKeys: [inputs.operatorPublicKey, annKey.publicLine],
                                        replay: .ready(workers: 1))
        defer { master.stop() }

        var request = VerifySession.Request(session: lab.session, workers: 1)
        request.user = master.loginUser
        request.inventory = [ann.discreteID: .init(host: master.host, port: master.port), "nobody.x": .init(host: "127.0.0.1", port: 1)]
        let outcome = try await VerifySession(registry: lab.registry).run(request)

        XCTAssertTrue(outcome.allReady, "\(outcome.reports)")
        XCTAssertEqual(outcome.strangers, ["nobody.x"])
        XCTAssertEqual(outcome.names[ann.discreteID], "ann.lee")
        let pin = try XCTUnwrap(try lab.registry.hostKeys(session: lab.session).first)
        XCTAssertEqual(pin.fingerprint, master.hostKeyFingerprint)
        let row = try XCTUnwrap(try lab.registry.verifications(session: lab.session).first)
        XCTAssertTrue(row.ready)
        XCTAssertEqual(row.checks[.participantKey].status, .pass)
        XCTAssertEqual(row.nodesReady, 2)
    }

    func testUnknownParticipantAndMissingAddressesAreClearRefusals() async throws {
        try lab.add("ann.lee")
        var request = VerifySession.Request(session: lab.session, workers: 0)
        request.participants = ["zed.nobody"]
        do {
            _ = try await VerifySession(registry: lab.registry).run(request)
            XCTFail("an unknown participant was accepted")
        } catch let error as WorkflowError {
            XCTAssertEqual(error.kind, .usage)
            XCTAssertTrue(error.message.contains("zed.nobody") && error.message.contains("labctl keys list"), error.message)
        }
        request.participants = []
        _ = try SessionInputsBuilder.build(session: lab.session, registry: lab.registry) // the operator key exists now
        do {
            _ = try await VerifySession(registry: lab.registry).run(request)
            XCTFail("no recorded addresses, yet it ran")
        } catch let error as WorkflowError {
            XCTAssertTrue(error.message.contains("labctl apply"), error.message)
        }
    }
}
