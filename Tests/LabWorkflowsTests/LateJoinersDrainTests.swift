import Foundation
import LabProvision
import LabStore
import LabTestSupport
import LabWorkflows
import XCTest

/// A stopping `labctl serve` waits for the late joiners' assignments it already
/// queued (`LateJoiners.finishQueued`), so no accepted key is left half-handled.
final class LateJoinersDrainTests: XCTestCase {
    // @unchecked Sendable: `lines` is only touched under `lock`.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    func testFinishQueuedReturnsOnlyAfterEveryQueuedAssignmentRan() async throws {
        let lab = try WorkflowLab("wf-drain")
        defer { lab.remove() }
        let (ann, _) = try lab.add("ann.lee")
        // Deployed with Ann's cluster only (no spares): everyone after her joined late.
        let clusters: [String: Any] = [ann.discreteID: ["master_instance_id": "i-ann", "worker_public_ips": [String](),
                                                        "worker_private_ips": [String](), "worker_instance_ids": [String]()]]
        try OutputRecorder.record(try SessionOutputs.parse(JSONSerialization.data(withJSONObject: ["clusters": ["value": clusters]])),
                                  session: lab.session, registry: lab.registry)
        let late = try ["bob.ray", "cy.dee", "di.eve"].map { try lab.add($0).0.discreteID }
        let log = Log()
        let joiners = LateJoiners(lab.context) { log.add($0) }
        for id in late { await joiners.enqueue(session: lab.session, discreteID: id) }
        await joiners.finishQueued()
        let said = log.all
        XCTAssertEqual(said.count, late.count, "\(said)")
        for (line, id) in zip(said, late) {
            XCTAssertTrue(line.contains(id) && line.contains("no spare is left"), line)
        }
        // Nothing queued: returns at once.
        await joiners.finishQueued()
        XCTAssertEqual(log.all.count, late.count)
    }
}
