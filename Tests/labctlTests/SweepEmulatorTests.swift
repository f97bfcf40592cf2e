import Foundation
import LabTestSupport
import XCTest

/// `labctl sweep` on the emulator: real Terraform runs the data-only sweep stack
/// (Resource Groups Tagging API, EC2 reads) against moto. A properly applied session
/// and the network are all accounted for; resources planted straight through the EC2
/// API are found (an instance of a session nobody registered, a volume no Terraform
/// state knows), grouped by session, priced, each with its delete command; a resource
/// without the project tag is not the project's business and is ignored.
/// The tests run in their letter order (the clean sweep before the planting).
final class SweepEmulatorTests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!
    nonisolated(unsafe) static var applyResult: Shell.Output!

    override class func setUp() {
        do {
            lab = try TestLab("sweep", sessions: [.init("cur", workers: 1, participants: ["ann.lee", "bob.kim"])])
            applyResult = try lab.deploy(["cur"])
        } catch {
            applyResult = Shell.Output(status: -1, stdout: "", stderr: "setup failed: \(error)")
        }
    }

    override class func tearDown() { lab?.remove() }

    func requireApplied() throws {
        guard Self.applyResult.status == 0 else {
            throw TestSupportError("apply failed: \(Self.applyResult.stdout)\(Self.applyResult.stderr)")
        }
    }

    func sweep() throws -> (status: Int32, report: [String: Any], output: Shell.Output) {
        let r = try Self.lab.labctl(["sweep", "--json"])
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r.status, try XCTUnwrap(report, "sweep --json printed no JSON: \(r.stdout)\(r.stderr)"), r)
    }

    /// The ids of the session's instances, as EC2 lists them.
    func sessionInstanceIDs() throws -> [String] {
        let r = try Shell.run("python3", ["-c", """
            import boto3, json, os
            ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
            print(json.dumps([i["InstanceId"] for r in ec2.describe_instances(Filters=[{"Name": "tag:Session", "Values": ["cur"]}, {"Name": "tag:Project", "Values": ["k8s-training"]}])["Reservations"] for i in r["Instances"]]))
            """], environment: Self.lab.processEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String])
    }

    func testA_AnAppliedSessionAndTheNetworkAreAllAccountedFor() throws {
        try requireApplied()
        let (status, report, output) = try sweep()
        XCTAssertEqual(status, 0, "\(output.stdout)\(output.stderr)")
        XCTAssertEqual((report["groups"] as? [Any])?.count, 0, output.stdout)
        // 4 instances, their 4 root volumes, security group, key pairs, the network's VPC, subnets, …
        XCTAssertGreaterThanOrEqual(report["accounted_for"] as? Int ?? 0, 8, output.stdout)
        XCTAssertEqual(report["scopes"] as? [String], ["eu-west-1 Project=k8s-training"])
    }

    func testB_PlantedOrphansAreFoundGroupedBySessionWithCostAndDeleteCommand() throws {
        try requireApplied()
        let live = try sessionInstanceIDs()
        XCTAssertEqual(live.count, 4, "2 clusters of master + worker")
        let r = try Shell.run("python3", [RepositoryPaths.fixtures.appendingPathComponent("plant_orphans.py").path, "cur", RepositoryPaths.motoAMIs.path],
                              environment: Self.lab.processEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        let planted = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String])
        let ghost = try XCTUnwrap(planted["ghost_instance"]), volume = try XCTUnwrap(planted["stray_volume"])
        let untagged = try XCTUnwrap(planted["untagged_instance"])

        let (status, report, output) = try sweep()
        XCTAssertEqual(status, 1, "something was found: exit 1")
        let groups = try XCTUnwrap(report["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.compactMap { $0["session"] as? String }, ["cur", "ghost"], output.stdout)
        func resources(_ session: String) -> [[String: Any]] {
            (groups.first { $0["session"] as? String == session }?["resources"] as? [[String: Any]]) ?? []
        }

        // The instance of a session nobody registered: t3.medium, $0.0456/h plus its public address if moto gave it one.
        let g = resources("ghost")
        XCTAssertEqual(g.compactMap { $0["id"] as? String }, [ghost])
        XCTAssertEqual(g.first?["kind"] as? String, "instance")
        XCTAssertEqual(g.first?["reasons"] as? [String], ["unregistered_session", "unknown_to_terraform"])
        XCTAssertEqual(g.first?["delete_command"] as? String, "aws ec2 terminate-instances --region eu-west-1 --instance-ids \(ghost)")
        let hourly = try XCTUnwrap(g.first?["hourly_usd"] as? Double)
        XCTAssertTrue([0.0456, 0.0506].contains { abs($0 - hourly) < 1e-9 }, "\(hourly)")

        // In the live session's group: only the volume no state knows, not the session's own resources.
        let c = resources("cur")
        XCTAssertEqual(c.compactMap { $0["id"] as? String }, [volume], output.stdout)
        XCTAssertEqual(c.first?["reasons"] as? [String], ["unknown_to_terraform"])
        XCTAssertEqual(c.first?["delete_command"] as? String, "aws ec2 delete-volume --region eu-west-1 --volume-id \(volume)")
        XCTAssertEqual(c.first?["hourly_usd"] as? Double ?? -1, 8 * 0.088 / 730, accuracy: 1e-9)

        for id in live + [untagged] { XCTAssertFalse(output.stdout.contains(id), "\(id) listed: \(output.stdout)") }

        // The text form says the same to a person.
        let text = try Self.lab.labctl(["sweep"])
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("session ghost: 1 resource(s)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("aws ec2 delete-volume --region eu-west-1 --volume-id \(volume)"), text.stdout)
    }
}
