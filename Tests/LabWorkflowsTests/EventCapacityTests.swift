import Foundation
import LabCore
import LabProvision
import LabStore
import LabTestSupport
import LabWorkflows
import XCTest

/// Big events against real Terraform, the real AWS provider and moto on loopback:
/// the capacity preflight, with loopback Service Quotas for the codes moto lacks.
/// One moto, one network and one running session ("s0": one t3.large) for the class.
final class EventCapacityTests: XCTestCase {
    /// Started by the first test, stopped in the class tearDown.
    final class Fixture: @unchecked Sendable { // @unchecked: written once by the first test, then only read
        let lab: TestLab
        let registry: Registry
        let env: [String: String]

        /// `runningSession`: apply s0 (one t3.large) so that something runs under the project's tags.
        init(runningSession: Bool) async throws {
            lab = try TestLab("event-capacity", serviceQuotas: true)
            try Data("{}".utf8).write(to: lab.quotasFile)
            env = lab.processEnvironment
            registry = try lab.registry()
            try session("s0", "master_instance_type = \"t3.large\"\nworker_count = 0\n", people: 1)
            try session("s1", "worker_count = 1\n", people: 2)
            try session("s3", "worker_count = 1\nworker_instance_type = \"c8gb.large\"\n", people: 1)
            try session("s4", "worker_count = 0\n", people: 2)
            // With the lab's id, as `labctl network apply` runs it: sessions look the network up by it.
            let network = try await LabNetwork(context()).run(.apply)
            guard network.succeeded else { throw TestSupportError("network apply failed: \(network.progress.errors)") }
            if runningSession {
                let s0 = try await provisioner().run(.apply, session: "s0", inputs: SessionInputsBuilder.build(session: "s0", registry: registry))
                guard s0.succeeded else { throw TestSupportError("apply s0 failed: \(s0.progress.errors)") }
            }
        }

        func context(extra: [String: String] = [:]) -> LabContext {
            LabContext(registry: registry, root: lab.url, terraform: .fromEnvironment(env.merging(extra) { _, b in b }))
        }

        func provisioner() -> Provisioner { context().provisioner }

        func session(_ name: String, _ tfvars: String, people: Int) throws {
            try lab.write("sessions/\(name).tfvars", "session_name = \"\(name)\"\nami_id = \"ami-0a1b2c3d4e5f60718\"\nallowed_ssh_cidrs = [\"198.51.100.0/24\"]\n" + tfvars)
            for i in 1...people { try lab.register("user\(i).\(name)", in: name, registry: registry) }
        }

        /// The Service Quotas answers: check name → applied value and AWS default (nil: none).
        func setQuotas(vcpus: (Double?, Double?), gp3TiB: Double?) throws {
            var q: [String: [String: Any]] = [
                "vpc/L-E79EC296": ["name": "VPC security groups per Region", "default": 2500],
                "vpc/L-0EA8095F": ["name": "Inbound or outbound rules per security group", "default": 60],
                "vpc/L-DF5E4CA3": ["name": "Network interfaces per Region", "default": 5000],
            ]
            var v: [String: Any] = ["name": "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances"]
            if let value = vcpus.0 { v["value"] = value }
            if let value = vcpus.1 { v["default"] = value }
            q["ec2/L-1216C47A"] = v
            if let gp3TiB { q["ebs/L-7A658B76"] = ["name": "Storage for General Purpose SSD (gp3) volumes, in TiB", "default": gp3TiB] }
            try JSONSerialization.data(withJSONObject: q).write(to: lab.quotasFile)
        }

        func preflight(_ sessions: [String]) async throws -> CapacityPreflight.Report {
            try await CapacityPreflight(context()).run(sessions)
        }

        func stop() { lab.remove() }
    }

    nonisolated(unsafe) static var shared: Fixture?
    nonisolated(unsafe) static var setupError: Error?

    func fixture() async throws -> Fixture {
        if let f = Self.shared { return f }
        if let e = Self.setupError { throw e }
        do {
            Self.shared = try await Fixture(runningSession: true)
            return Self.shared!
        } catch {
            Self.setupError = error
            throw error
        }
    }

    override class func tearDown() {
        shared?.stop()
        shared = nil
    }

    func row(_ report: CapacityPreflight.Report, _ check: String) throws -> CapacityCheck {
        try XCTUnwrap(report.checks.first { $0.check == check }, "no \(check) row in \(report.checks.map(\.check))")
    }

    func testASessionThatFitsPassesAndCountsWhatAlreadyRuns() async throws {
        let f = try await fixture()
        try f.setQuotas(vcpus: (64, 5), gp3TiB: 50)
        let report = try await f.preflight(["s1"])
        XCTAssertTrue(report.ok, report.refusal)
        // s1: 2 clusters of a t3.medium master and a t3.small worker (2 vCPUs each, AWS's data);
        // s0 (one t3.large, 2 vCPUs) already runs under the project's tags.
        let vcpus = try row(report, "vcpus")
        XCTAssertEqual([vcpus.needed, vcpus.inUse, vcpus.quota], [8, 2, 64])
        XCTAssertEqual(vcpus.code, "ec2/L-1216C47A")
        XCTAssertEqual(vcpus.ok, true)
        let groups = try row(report, "security-groups")
        // s0's group is this lab's; the VPCs' default groups are others' (the quota counts them too).
        XCTAssertEqual([groups.needed, groups.inUseLab, groups.quota], [2, 1, 2500])
        XCTAssertGreaterThanOrEqual(groups.inUseOthers ?? 0, 1, "the default VPC's default group")
        XCTAssertEqual(groups.inUse, 1 + (groups.inUseOthers ?? -100))
        let gp3 = try row(report, "gp3-storage-gib")
        XCTAssertEqual([gp3.needed, gp3.inUse, gp3.quota], [4 * 30, 30, 50 * 1024])
        XCTAssertEqual(try row(report, "rules-per-security-group").needed, 2, "one SSH source + the intra-cluster rule")
        XCTAssertEqual(try row(report, "key-pairs").quota, 5000)
        XCTAssertEqual(try row(report, "public-ipv4").needed, 4)
        XCTAssertEqual(try row(report, "offered t3.medium").verdict, .ok)
        XCTAssertEqual(try row(report, "offered t3.small").verdict, .ok)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report.checks)) as! [[String: Any]]
        XCTAssertEqual(Set(json[0].keys), ["check", "code", "needed", "in_use", "in_use_lab", "in_use_others", "quota", "ok", "verdict", "detail"])
        XCTAssertEqual(try row(report, "network-interfaces").quota, 5000)
    }

    func testTooManyVCPUsAreRefusedNamingTheQuotaAndTheNumbers() async throws {
        let f = try await fixture()
        try f.setQuotas(vcpus: (9, 5), gp3TiB: 50)
        // s0 is one of the checked sessions: its running t3.large is part of the need, not in use.
        let report = try await f.preflight(["s0", "s1"])
        XCTAssertFalse(report.ok)
        let vcpus = try row(report, "vcpus")
        XCTAssertEqual([vcpus.needed, vcpus.inUse, vcpus.quota], [10, 0, 9])
        XCTAssertEqual(vcpus.verdict, .exceeded)
        XCTAssertEqual(vcpus.ok, false)
        XCTAssertEqual(report.failing.map(\.check), ["vcpus"])
        for part in ["Running On-Demand Standard", "ec2/L-1216C47A", "need 10 + 0 in use (0 this lab, 0 others) = 10", "is 9", "raise it by 1 to at least 10",
                     "--quota-code L-1216C47A --desired-value 10"] {
            XCTAssertTrue(report.refusal.contains(part), "\(part) missing from: \(report.refusal)")
        }
    }

    func testAQuotaServiceQuotasCannotAnswerIsUnknownNotOK() async throws {
        let f = try await fixture()
        // No applied vCPU value (the AWS default counts) and no gp3 quota at all.
        try f.setQuotas(vcpus: (nil, 16), gp3TiB: nil)
        let report = try await f.preflight(["s1"])
        let gp3 = try row(report, "gp3-storage-gib")
        XCTAssertEqual(gp3.verdict, .unknown)
        XCTAssertNil(gp3.ok)
        XCTAssertNil(gp3.quota)
        XCTAssertEqual(gp3.needed, 120)
        XCTAssertTrue(gp3.detail.contains("ebs/L-7A658B76"), gp3.detail)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode([gp3])) as! [[String: Any]]
        XCTAssertTrue(json[0]["ok"] is NSNull, "unknown is null in JSON, not true")
        let vcpus = try row(report, "vcpus")
        XCTAssertEqual([vcpus.quota, vcpus.ok.map { $0 ? 1 : 0 }], [16, 1], "the other quotas are still read; the default stands in")
        XCTAssertTrue(report.ok, "unknown is reported, not refused")
        XCTAssertEqual(report.unknown.map(\.check), ["gp3-storage-gib"])
    }

    func testAnInstanceTypeNotOfferedInTheNetworksZonesIsRefused() async throws {
        let f = try await fixture()
        try f.setQuotas(vcpus: (64, 5), gp3TiB: 50)
        let report = try await f.preflight(["s3"])
        XCTAssertFalse(report.ok)
        let offered = try row(report, "offered c8gb.large")
        XCTAssertEqual(offered.verdict, .notOffered)
        XCTAssertEqual([offered.needed, offered.quota], [2, 0], "offered in 0 of the network's 2 zones")
        XCTAssertTrue(offered.detail.contains("eu-west-1a, eu-west-1b"), offered.detail)
        XCTAssertTrue(offered.detail.contains("sessions/s3.tfvars"), offered.detail)
        XCTAssertEqual(try row(report, "offered t3.medium").verdict, .ok)
        XCTAssertEqual(report.failing.map(\.check), ["offered c8gb.large"])
    }
}

/// A throttled apply, retried: its own moto and network, so that what it creates never
/// counts in the capacity tests above.
final class ThrottledApplyTests: XCTestCase {
    nonisolated(unsafe) static var shared: EventCapacityTests.Fixture?

    override class func tearDown() {
        shared?.stop()
        shared = nil
    }

    func testAThrottledApplyIsRetriedAndSucceeds() async throws {
        let f = try await EventCapacityTests.Fixture(runningSession: false)
        Self.shared = f
        // A Terraform fixture: the first `apply` ends as the AWS provider's does when EC2 keeps
        // throttling RunInstances (a loopback proxy answering RequestLimitExceeded was absorbed by
        // the provider's own 25 retries); every other call is the real Terraform against moto.
        let real = try TerraformSettings.fromEnvironment(f.env).resolvedExecutable()
        let marker = f.lab.file("throttled-once")
        let wrapper = try f.lab.write("terraform-throttled-once.sh", """
            #!/bin/sh
            if [ "$1" = apply ] && [ ! -e '\(marker.path)' ]; then
              touch '\(marker.path)'
              echo 'aws_instance.master["user1.s4"]: Creating...'
              echo 'Error: creating EC2 Instance: operation error EC2: RunInstances, exceeded maximum number of attempts, 25, https response error StatusCode: 503, RequestID: 4f0c, api error RequestLimitExceeded: Request limit exceeded.'
              exit 1
            fi
            exec '\(real)' "$@"
            """)
        XCTAssertEqual(chmod(wrapper.path, 0o755), 0)
        let context = f.context(extra: ["LABCTL_TERRAFORM": wrapper.path])
        let provisioner = context.provisioner
        let batch = TerraformBatch(context, verb: .apply, parallel: 1, waitForLock: true, retry: ThrottleRetry(retries: 2, baseDelay: 1))
        let events = EventLog()
        let outcomes = await batch.run(["s4"], onEvent: events.add)
        XCTAssertEqual(outcomes.count, 1)
        XCTAssertTrue(outcomes[0].ok, outcomes[0].error ?? "")
        XCTAssertEqual(outcomes[0].throttledRetries, 1)
        let retries = events.retries
        XCTAssertEqual(retries.count, 1)
        XCTAssertTrue(retries.first?.contains("run 2/3") ?? false, "\(retries)")
        XCTAssertTrue(retries.first?.contains("RequestLimitExceeded") ?? false, "\(retries)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker.path), "the first apply really failed throttled")
        let summary = try await provisioner.readState("s4")
        let state = try XCTUnwrap(summary)
        XCTAssertEqual(state.instances.count, 2, "both clusters exist after the retry")
    }
}

/// Collects the batch's retry events (reported from Terraform's reader threads).
// @unchecked Sendable: `lines` is only touched under `lock`.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ e: TerraformBatch.Event) {
        if case let .retrying(_, attempt, of, _, reason) = e {
            lock.lock(); lines.append("run \(attempt)/\(of): \(reason)"); lock.unlock()
        }
    }
    var retries: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
