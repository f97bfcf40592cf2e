import Foundation
import LabTestSupport
import XCTest

/// The backstop AWS keeps (terraform/session/backstop.tf, docs/lifetime.md), on the
/// emulator with real Terraform, the real AWS provider and the built labctl: per cluster a
/// one-time EventBridge Scheduler schedule at end + grace that terminates exactly the
/// cluster's instances through a role allowed only ec2:TerminateInstances on this
/// project's and session's instances; nodes of such a session stop (not terminate) when
/// shut down from inside, and `status` names stopped nodes with the command that starts
/// them; extend moves the schedules in place; destroy removes them. A session without an
/// end gets none and keeps terminating on shutdown.
/// The tests run in their letter order (destroy last).
final class BackstopTests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!
    nonisolated(unsafe) static var applyResult: Shell.Output!
    /// TestLab.defaultEnd (17:00+02:00) + the default grace of 2 h, in UTC.
    static let firstRun = "at(2099-06-01T17:00:00)"

    override class func setUp() {
        do {
            lab = try TestLab("backstop", sessions: [
                .init("bk", workers: 1, participants: ["ann.lee", "bob.kim"]),
                .init("free", workers: 0, end: nil, participants: ["cy.dee"]),
            ])
            applyResult = try lab.deploy(["bk"])
            let free = try lab.labctl(["apply", "free", "-y", "--skip-preflight", "--no-end"])
            if free.status != 0 { applyResult = free }
        } catch {
            applyResult = Shell.Output(status: -1, stdout: "", stderr: "setup failed: \(error)")
        }
    }

    override class func tearDown() { lab?.remove() }

    func labctl(_ args: [String]) throws -> Shell.Output { try Self.lab.labctl(args) }

    func requireApplied() throws {
        guard Self.applyResult.status == 0 else {
            throw TestSupportError("apply failed: \(Self.applyResult.stdout)\(Self.applyResult.stderr)")
        }
    }

    struct Inventory {
        var groups: [[String: Any]]
        var roles: [[String: Any]]
        var instances: [[String: Any]]

        func group(session: String) -> [String: Any]? {
            groups.first { ($0["tags"] as? [String: String])?["Session"] == session }
        }
        func schedules(session: String) -> [String: [String: Any]] {
            Dictionary(uniqueKeysWithValues: ((group(session: session)?["schedules"] as? [[String: Any]]) ?? []).map { ($0["name"] as! String, $0) })
        }
        /// The Participant tags of a session's instances (discrete ids, as labctl names the clusters).
        func participants(session: String) -> Set<String> {
            Set(instances.filter { $0["session"] as? String == session }.compactMap { $0["participant"] as? String })
        }
        func instanceIDs(session: String, participant: String) -> Set<String> {
            Set(instances.filter { $0["session"] as? String == session && $0["participant"] as? String == participant }.map { $0["id"] as! String })
        }
    }

    func inventory() throws -> Inventory {
        let r = try Shell.run("python3", [RepositoryPaths.fixtures.appendingPathComponent("backstop_inventory.py").path],
                              environment: Self.lab.processEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        return Inventory(groups: doc["groups"] as! [[String: Any]], roles: doc["roles"] as! [[String: Any]],
                         instances: doc["instances"] as! [[String: Any]])
    }

    func testA_OneSchedulePerClusterTerminatesItsInstancesAtEndPlusGraceThroughANarrowRole() throws {
        try requireApplied()
        let inv = try inventory()
        let group = try XCTUnwrap(inv.group(session: "bk"), "\(inv.groups)")
        let groupTags = group["tags"] as! [String: String]
        XCTAssertEqual(groupTags["ExpiresAt"], "2099-06-01T15:00:00Z", "\(groupTags)")
        XCTAssertEqual(groupTags["ManagedBy"], "labctl")
        let project = try XCTUnwrap(groupTags["Project"])
        // Role and group names are per account: the lab's id keeps two labs' sessions "bk" apart.
        let labID = try Self.lab.labID()
        XCTAssertEqual(groupTags["LabId"], labID)
        XCTAssertEqual(group["name"] as? String, "labctl-\(labID)-bk")

        let schedules = inv.schedules(session: "bk")
        XCTAssertEqual(inv.participants(session: "bk").count, 2)
        XCTAssertEqual(Set(schedules.keys), inv.participants(session: "bk"), "one schedule per cluster")
        var roleARNs = Set<String>()
        for (participant, s) in schedules {
            XCTAssertEqual(s["expression"] as? String, Self.firstRun, participant)
            XCTAssertEqual(s["timezone"] as? String, "UTC", participant)
            XCTAssertEqual(s["target_arn"] as? String, "arn:aws:scheduler:::aws-sdk:ec2:terminateInstances", participant)
            let ids = Set(s["instance_ids"] as! [String])
            XCTAssertEqual(ids.count, 2, "master and worker of \(participant)")
            XCTAssertEqual(ids, inv.instanceIDs(session: "bk", participant: participant), participant)
            roleARNs.insert(s["role_arn"] as! String)
        }
        XCTAssertEqual(roleARNs.count, 1, "one role per session")

        let role = try XCTUnwrap(inv.roles.first { $0["arn"] as? String == roleARNs.first }, "\(inv.roles)")
        XCTAssertEqual((role["tags"] as? [String: String])?["Session"], "bk")
        let trust = try XCTUnwrap((role["trust"] as? [String: Any])?["Statement"] as? [[String: Any]])
        XCTAssertEqual(trust.count, 1)
        XCTAssertEqual((trust[0]["Principal"] as? [String: String])?["Service"], "scheduler.amazonaws.com")
        XCTAssertEqual(role["attached"] as? [String], [], "no managed policy")
        let policies = role["policies"] as! [String: [String: Any]]
        XCTAssertEqual(policies.count, 1, "\(policies)")
        let statements = try XCTUnwrap(policies.values.first?["Statement"] as? [[String: Any]])
        XCTAssertEqual(statements.count, 1, "\(statements)")
        XCTAssertEqual(statements[0]["Effect"] as? String, "Allow")
        XCTAssertEqual(statements[0]["Action"] as? String, "ec2:TerminateInstances", "\(statements[0])")
        XCTAssertEqual((statements[0]["Condition"] as? [String: [String: String]])?["StringEquals"],
                       ["aws:ResourceTag/Project": project, "aws:ResourceTag/Session": "bk", "aws:ResourceTag/LabId": labID])

        // With the backstop, a power-off from inside stops a node.
        for i in inv.instances where i["session"] as? String == "bk" {
            XCTAssertEqual(i["shutdown_behavior"] as? String, "stop", "\(i)")
        }
    }

    func testB_ASessionWithoutEndHasNoScheduleAndTerminatesOnShutdown() throws {
        try requireApplied()
        let inv = try inventory()
        XCTAssertNil(inv.group(session: "free"), "\(inv.groups)")
        XCTAssertFalse(inv.roles.contains { ($0["tags"] as? [String: String])?["Session"] == "free" }, "\(inv.roles)")
        let free = inv.instances.filter { $0["session"] as? String == "free" }
        XCTAssertEqual(free.count, 1)
        for i in free { XCTAssertEqual(i["shutdown_behavior"] as? String, "terminate", "\(i)") }
    }

    func testC_StatusNamesStoppedInstancesAndTheCommandThatStartsThem() throws {
        try requireApplied()
        let r0 = try labctl(["status", "bk", "--json"])
        XCTAssertEqual(r0.status, 0, r0.stderr)
        XCTAssertNil((try JSONSerialization.jsonObject(with: Data(r0.stdout.utf8)) as! [[String: Any]])[0]["stopped"], "nothing stopped yet")

        // A participant's `sudo poweroff`: the node stops.
        let inv = try inventory()
        let id = try XCTUnwrap(inv.instances.filter { $0["session"] as? String == "bk" }.compactMap { $0["id"] as? String }.sorted().first)
        let stop = try Shell.run("python3", ["-c", """
            import boto3, os
            boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).stop_instances(InstanceIds=["\(id)"])
            """], environment: Self.lab.processEnvironment)
        XCTAssertEqual(stop.status, 0, stop.stderr)
        // The state knows only after an apply reads the instances again.
        let apply = try labctl(["apply", "bk", "-y", "--skip-preflight"])
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)

        let r = try labctl(["status", "bk", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let row = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]])[0]
        XCTAssertEqual(row["stopped"] as? [String], [id], "\(row)")
        let command = "aws ec2 start-instances --region eu-west-1 --instance-ids \(id)"
        XCTAssertEqual(row["start_command"] as? String, command)
        let table = try labctl(["status", "bk"])
        XCTAssertTrue(table.stderr.contains("bk: 1 instance(s) stopped") && table.stderr.contains("`\(command)`"), table.stderr)
        XCTAssertEqual(try inventory().instances.first { $0["id"] as? String == id }?["state"] as? String, "stopped",
                       "the apply left the stopped node alone")
    }

    func testD_ExtendMovesTheSchedulesInPlace() throws {
        try requireApplied()
        let before = try inventory()
        let r = try labctl(["extend", "bk", "--until", "2099-06-02T18:30:00+02:00"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let after = try inventory()
        let schedules = after.schedules(session: "bk")
        XCTAssertEqual(Set(schedules.keys), before.participants(session: "bk"))
        XCTAssertEqual(schedules.count, 2)
        for (participant, s) in schedules {
            XCTAssertEqual(s["expression"] as? String, "at(2099-06-02T18:30:00)", participant)
            XCTAssertEqual(Set(s["instance_ids"] as! [String]), before.instanceIDs(session: "bk", participant: participant), participant)
            XCTAssertEqual(after.instanceIDs(session: "bk", participant: participant), before.instanceIDs(session: "bk", participant: participant),
                           "no instance replaced")
        }
    }

    func testE_DestroyRemovesTheSchedulesTheGroupAndTheRole() throws {
        try requireApplied()
        let r = try labctl(["destroy", "bk", "-y", "--no-wait"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let inv = try inventory()
        XCTAssertNil(inv.group(session: "bk"), "\(inv.groups)")
        XCTAssertFalse(inv.roles.contains { ($0["tags"] as? [String: String])?["Session"] == "bk" }, "\(inv.roles)")
        XCTAssertEqual(inv.groups.flatMap { ($0["schedules"] as? [[String: Any]]) ?? [] }.count, 0, "\(inv.groups)")
    }
}
