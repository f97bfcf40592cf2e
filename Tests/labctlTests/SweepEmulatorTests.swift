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
    nonisolated(unsafe) static var lab: TemporaryDirectory!
    nonisolated(unsafe) static var moto: MotoServer!
    nonisolated(unsafe) static var env: [String: String] = [:]
    nonisolated(unsafe) static var applyResult: Shell.Output!
    static let amiID = "ami-0a1b2c3d4e5f60718"

    override class func setUp() {
        do {
            lab = try TemporaryDirectory("sweep")
            moto = try MotoServer(amisPath: RepositoryPaths.motoAMIs.path, directory: lab.url)
            env = moto.environment()
            try RepositoryPaths.copyTerraform(to: lab.url)
            try FileManager.default.createDirectory(at: lab.file("sessions"), withIntermediateDirectories: true)
            try run(["create-config", "cur", "--workers", "1", "--ssh-from", "198.51.100.0/24", "--end", "2099-06-01T17:00:00+02:00"])
            let url = lab.file("sessions/cur.tfvars")
            try (try String(contentsOf: url, encoding: .utf8) + "ami_id = \"\(amiID)\"\n").write(to: url, atomically: true, encoding: .utf8)
            for n in ["ann.lee", "bob.kim"] {
                let key = try KeyGen.generate(in: lab.url, name: n)
                try run(["keys", "add", "cur", n, "--file", key.publicKeyPath])
            }
            try run(["network", "apply", "-y"])
            applyResult = try LabctlBinary.run(["apply", "cur", "-y", "--skip-preflight"], env: env, directory: lab.url)
        } catch {
            applyResult = Shell.Output(status: -1, stdout: "", stderr: "setup failed: \(error)")
        }
    }

    override class func tearDown() {
        moto?.stop()
        lab?.remove()
    }

    @discardableResult
    static func run(_ args: [String]) throws -> Shell.Output {
        let r = try LabctlBinary.run(args, env: env, directory: lab.url)
        guard r.status == 0 else { throw TestSupportError("labctl \(args.joined(separator: " ")) failed: \(r.stdout)\(r.stderr)") }
        return r
    }

    func requireApplied() throws {
        guard Self.applyResult.status == 0 else {
            throw TestSupportError("apply failed: \(Self.applyResult.stdout)\(Self.applyResult.stderr)")
        }
    }

    func sweep() throws -> (status: Int32, report: [String: Any], output: Shell.Output) {
        let r = try LabctlBinary.run(["sweep", "--json"], env: Self.env, directory: Self.lab.url)
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r.status, try XCTUnwrap(report, "sweep --json printed no JSON: \(r.stdout)\(r.stderr)"), r)
    }

    /// The ids of the session's instances, as EC2 lists them.
    func sessionInstanceIDs() throws -> [String] {
        let r = try Shell.run("python3", ["-c", """
            import boto3, json, os
            ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
            print(json.dumps([i["InstanceId"] for r in ec2.describe_instances(Filters=[{"Name": "tag:Session", "Values": ["cur"]}, {"Name": "tag:Project", "Values": ["k8s-training"]}])["Reservations"] for i in r["Instances"]]))
            """], environment: ProcessInfo.processInfo.environment.merging(Self.env) { _, b in b })
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
                              environment: ProcessInfo.processInfo.environment.merging(Self.env) { _, b in b })
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
        let text = try LabctlBinary.run(["sweep"], env: Self.env, directory: Self.lab.url)
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("session ghost: 1 resource(s)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("aws ec2 delete-volume --region eu-west-1 --volume-id \(volume)"), text.stdout)
    }
}
