import Foundation
import LabTestSupport
import XCTest

/// Two labs in one AWS account (issue 27.5), as two lab folders on ONE emulator with the
/// same defaults (project, network name) and the same session and participant names: each
/// finds only its own network (no "exists more than once"), names its key pairs, backstop
/// role and schedule group apart, sweeps only its own resources and destroys only its own
/// instances. The tests run in their letter order (destroy last).
final class TwoLabsTests: XCTestCase {
    nonisolated(unsafe) static var a: TestLab!
    nonisolated(unsafe) static var b: TestLab!
    nonisolated(unsafe) static var setupProblem: String?

    override class func setUp() {
        do {
            a = try TestLab("twolabs-a", sessions: [.init("demo", participants: ["ann.lee"])])
            b = try TestLab.sharingEmulator(of: a, prefix: "twolabs-b")
            try b.add(.init("demo", participants: ["ann.lee"]))
            try a.deploy(["demo"])
            try b.deploy(["demo"])
        } catch {
            setupProblem = "\(error)"
        }
    }

    override class func tearDown() {
        b?.remove()
        a?.remove() // stops the shared emulator
    }

    func requireDeployed() throws {
        if let problem = Self.setupProblem { throw TestSupportError("set-up failed: \(problem)") }
    }

    /// Live instances by id with their tags, straight from EC2.
    func instances() throws -> [String: [String: String]] {
        let r = try Shell.run("python3", ["-c", """
            import boto3, json, os
            ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
            print(json.dumps({i["InstanceId"]: {t["Key"]: t["Value"] for t in i.get("Tags", [])}
                              for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
                              if i["State"]["Name"] in ("pending", "running")}))
            """], environment: Self.a.processEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: String]])
    }

    func sweep(_ lab: TestLab) throws -> (status: Int32, report: [String: Any], text: String) {
        let r = try lab.labctl(["sweep", "--json"])
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r.status, try XCTUnwrap(report, "sweep --json printed no JSON: \(r.stdout)\(r.stderr)"), r.stdout + r.stderr)
    }

    func testA_EachLabHasItsOwnIDNetworkAndInstances() throws {
        try requireDeployed()
        let idA = try Self.a.labID(), idB = try Self.b.labID()
        XCTAssertNotEqual(idA, idB)
        XCTAssertNotNil(idA.range(of: "^lab-[a-z2-7]{8}$", options: .regularExpression), idA)
        // Shown by a read command, and never made again.
        let status = try Self.a.run(["network", "status", "--json"])
        let row = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(row["lab_id"] as? String, idA)
        XCTAssertEqual(row["deployed"] as? Bool, true)

        let live = try instances()
        XCTAssertEqual(live.values.filter { $0["LabId"] == idA }.count, 1, "\(live)")
        XCTAssertEqual(live.values.filter { $0["LabId"] == idB }.count, 1, "\(live)")
        // The same session and participant in both labs, in two networks of one name: each plan
        // finds exactly its own VPC.
        for lab in [Self.a!, Self.b!] {
            let plan = try lab.labctl(["plan", "demo"])
            XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
            XCTAssertFalse((plan.stdout + plan.stderr).contains("more than once"), plan.stdout + plan.stderr)
        }
    }

    func testB_NeitherSweepListsTheOthersResources() throws {
        try requireDeployed()
        let idA = try Self.a.labID(), idB = try Self.b.labID()
        // A crashed apply of lab B: an instance of B's session "demo" that no state of B knows.
        // Lab A has a session "demo" too; only B's sweep may list it.
        let plant = try Shell.run("python3", ["-c", """
            import boto3, json, os, sys
            ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
            ami = json.load(open(sys.argv[1]))[0]["ami_id"]
            tags = [{"Key": k, "Value": v} for k, v in {"Project": "k8s-training", "ManagedBy": "labctl", "Session": "demo", "LabId": sys.argv[2]}.items()]
            r = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.small",
                                  TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])
            print(r["Instances"][0]["InstanceId"])
            """, RepositoryPaths.motoAMIs.path, idB], environment: Self.a.processEnvironment)
        XCTAssertEqual(plant.status, 0, plant.stderr)
        let stray = plant.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        defer {
            _ = try? Shell.run("python3", ["-c", """
                import boto3, os, sys
                boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).terminate_instances(InstanceIds=[sys.argv[1]])
                """, stray], environment: Self.a.processEnvironment)
        }
        let live = try instances()
        let bIDs = live.filter { $0.value["LabId"] == idB }.map(\.key)
        XCTAssertEqual(bIDs.count, 2, "B's master and the stray: \(live)")

        let sweptA = try sweep(Self.a)
        XCTAssertEqual(sweptA.status, 0, sweptA.text)
        XCTAssertEqual((sweptA.report["groups"] as? [Any])?.count, 0, sweptA.text)
        XCTAssertGreaterThan(sweptA.report["accounted_for"] as? Int ?? 0, 0, "A's own resources are read: \(sweptA.text)")
        for id in bIDs { XCTAssertFalse(sweptA.text.contains(id), "lab A lists lab B's \(id): \(sweptA.text)") }

        // B's sweep lists the stray, and nothing of A's.
        let sweptB = try sweep(Self.b)
        XCTAssertEqual(sweptB.status, 1, sweptB.text)
        let groups = try XCTUnwrap(sweptB.report["groups"] as? [[String: Any]])
        let listed = groups.flatMap { ($0["resources"] as? [[String: Any]]) ?? [] }.compactMap { $0["id"] as? String }
        XCTAssertEqual(listed, [stray], sweptB.text)
        for (id, tags) in live where tags["LabId"] == idA { XCTAssertFalse(sweptB.text.contains(id), sweptB.text) }
    }

    func testC_DestroyInOneLabLeavesTheOthersInstancesRunning() throws {
        try requireDeployed()
        let idA = try Self.a.labID(), idB = try Self.b.labID()
        let before = try instances()
        let bIDs = Set(before.filter { $0.value["LabId"] == idB }.map(\.key))
        XCTAssertEqual(bIDs.count, 1, "\(before)")

        let destroy = try Self.a.labctl(["destroy", "demo", "-y"])
        XCTAssertEqual(destroy.status, 0, destroy.stdout + destroy.stderr)

        let after = try instances()
        XCTAssertEqual(after.values.filter { $0["LabId"] == idA }.count, 0, "A's instances are gone: \(after)")
        XCTAssertEqual(Set(after.filter { $0.value["LabId"] == idB }.map(\.key)), bIDs, "B's instances still run: \(after)")
        let statusB = try Self.b.labctl(["status", "demo", "--json"])
        XCTAssertEqual(statusB.status, 0, statusB.stdout + statusB.stderr)
    }
}
