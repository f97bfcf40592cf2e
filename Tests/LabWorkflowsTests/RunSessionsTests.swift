import Foundation
import LabCore
import LabProvision
import LabStore
import LabTestSupport
import LabWorkflows
import XCTest

/// `plan`, `apply`, `output` and `destroy` as use cases, in-process, against real
/// Terraform and the real AWS provider on moto (loopback): what each verb records or
/// clears in the registry after Terraform succeeded, and when the shared network may go.
final class RunSessionsTests: XCTestCase {
    /// The `.done` lines by session (reported from the batch's tasks).
    final class Done: @unchecked Sendable { // @unchecked: `lines` is only touched under `lock`
        private let lock = NSLock()
        private var lines: [String: [String]] = [:]
        func add(_ e: TerraformBatch.Event) {
            if case let .done(s, what) = e { lock.lock(); lines[s, default: []].append(what); lock.unlock() }
        }
        subscript(_ s: String) -> [String] { lock.lock(); defer { lock.unlock() }; return lines[s] ?? [] }
    }

    func testApplyRecordsTheClustersOutputRecordsThemAgainDestroyClearsOrForgets() async throws {
        let lab = try TestLab("wf-run-sessions", sessions: [.init("s1", participants: ["ann.lee", "bob.kim"]),
                                                             .init("s2", participants: ["cara.diaz"])])
        defer { lab.remove() }
        try lab.applyNetwork()
        let context = LabContext(registry: try lab.registry(), root: lab.url, terraform: .fromEnvironment(lab.processEnvironment))
        let registry = context.registry
        let s1People = Set(try registry.participants(in: "s1").map(\.discreteID))

        // A plan records nothing; a session never applied has no clusters to record (Terraform's outputs are empty).
        let planned = await RunSessions(context, .plan, parallel: 2).run(["s1"])
        XCTAssertTrue(planned.allSatisfy(\.ok), "\(planned.map(\.error))")
        XCTAssertEqual(try registry.clusters(session: "s1"), [])
        let none = try await RecordOutputs(context).run("s2")
        XCTAssertEqual(none.clusters.count, 0)
        XCTAssertEqual(try registry.clusters(session: "s2"), [])

        // Apply: both sessions, each followed by recording its clusters.
        let done = Done()
        let applied = await RunSessions(context, .apply, parallel: 2).run(["s1", "s2"], onEvent: done.add)
        XCTAssertEqual(applied.map(\.session), ["s1", "s2"])
        XCTAssertTrue(applied.allSatisfy(\.ok), "\(applied.map(\.error))")
        XCTAssertEqual(done["s1"], ["recorded 2 cluster(s)"])
        XCTAssertEqual(done["s2"], ["recorded 1 cluster(s)"])
        let recorded = try registry.clusters(session: "s1")
        XCTAssertEqual(Set(recorded.map(\.discreteID)), s1People)
        // The addresses are the masters' in Terraform's state, read on their own.
        let read = try await context.provisioner.readState("s1")
        let state = try XCTUnwrap(read)
        let masterIPs = Set(state.instances.filter { $0.address.hasPrefix("aws_instance.master") }.compactMap(\.publicIP))
        XCTAssertEqual(masterIPs.count, 2)
        XCTAssertEqual(Set(recorded.compactMap(\.masterPublicIP)), masterIPs)
        // The shared network stays while sessions live in it.
        let stillDeployed = await SharedNetwork.sessionsStillDeployed(context.provisioner)
        XCTAssertEqual(stillDeployed, ["s1", "s2"])
        do {
            try await SharedNetwork.requireNoSessions(context.provisioner)
            XCTFail("network teardown with sessions deployed")
        } catch let e as WorkflowError {
            XCTAssertEqual(e.kind, .usage)
            XCTAssertTrue(e.message.contains("labctl destroy s1 s2"), e.message)
        }

        // `labctl output`: a lost record comes back from Terraform's outputs.
        try registry.recordClusters(session: "s1", [])
        let outputs = try await RecordOutputs(context).run("s1")
        XCTAssertEqual(Set(outputs.clusters.compactMap(\.masterPublicIP)), masterIPs)
        XCTAssertEqual(Set(try registry.clusters(session: "s1").compactMap(\.masterPublicIP)), masterIPs)

        // Destroy keeps the participants but clears addresses and pins; with forget the session goes.
        let ann = try XCTUnwrap(try registry.participants(in: "s1").first)
        _ = try registry.pinHostKey(HostKeyRecord(session: "s1", discreteID: ann.discreteID, keyType: "ssh-ed25519",
                                                  keyBase64: "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
                                                  fingerprint: "SHA256:test"))
        XCTAssertEqual(try registry.hostKeys(session: "s1").count, 1)
        let destroyed = await RunSessions(context, .destroy(forget: false), parallel: 1).run(["s1"], onEvent: done.add)
        XCTAssertTrue(destroyed.allSatisfy(\.ok), "\(destroyed.map(\.error))")
        XCTAssertEqual(try registry.clusters(session: "s1"), [])
        XCTAssertEqual(try registry.hostKeys(session: "s1"), [])
        XCTAssertEqual(Set(try registry.participants(in: "s1").map(\.discreteID)), s1People)
        let afterDestroy = try await context.provisioner.readState("s1")
        XCTAssertEqual(afterDestroy?.instances ?? [], [])
        let afterOne = await SharedNetwork.sessionsStillDeployed(context.provisioner)
        XCTAssertEqual(afterOne, ["s2"])

        let forgotten = await RunSessions(context, .destroy(forget: true), parallel: 1).run(["s2"], onEvent: done.add)
        XCTAssertTrue(forgotten.allSatisfy(\.ok), "\(forgotten.map(\.error))")
        XCTAssertEqual(try registry.participants(in: "s2"), [])
        XCTAssertTrue(done["s2"].last?.contains("removed from the registry") ?? false, "\(done["s2"])")
        try await SharedNetwork.requireNoSessions(context.provisioner)
    }
}
