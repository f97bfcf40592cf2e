import Foundation
import LabRehearsal
import LabTestSupport
import XCTest

/// `labctl preflight` and `apply`'s preflight through the built binary: real Terraform
/// and the AWS provider against moto, loopback Service Quotas with a small vCPU quota.
/// No network is deployed: nothing may get as far as Terraform's apply.
final class PreflightCLITests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!

    override class func setUp() {
        do {
            lab = try TestLab("preflight-cli", serviceQuotas: true)
            try lab.write("quotas.json", """
                {"ec2/L-1216C47A": {"name": "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", "value": 6, "default": 5},
                 "vpc/L-E79EC296": {"name": "VPC security groups per Region", "default": 2500},
                 "vpc/L-0EA8095F": {"name": "Inbound or outbound rules per security group", "default": 60},
                 "ebs/L-7A658B76": {"name": "Storage for General Purpose SSD (gp3) volumes, in TiB", "default": 50}}
                """)
            try lab.add(.init("s1", workers: 1, participants: ["ann.lee", "bob.kim"], ami: nil))
        } catch {
            XCTFail("setup failed: \(error)")
        }
    }

    override class func tearDown() { lab?.remove() }

    @discardableResult
    static func run(_ args: [String]) throws -> Shell.Output { try lab.run(args) }

    func labctl(_ args: [String]) throws -> Shell.Output { try Self.lab.labctl(args) }

    func testApplyRefusesBeforeAnyTerraformApplyWhenVCPUsWouldBeExceeded() throws {
        let r = try labctl(["apply", "s1", "-y"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        // 2 clusters × (t3.medium + t3.small) = 8 vCPUs against a quota of 6.
        for part in ["Running On-Demand Standard", "L-1216C47A", "need 8", "is 6", "raise it by 2", "Nothing was deployed"] {
            XCTAssertTrue(r.stderr.contains(part), "\(part) missing: \(r.stderr)")
        }
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: Self.lab.file(".labctl/logs/s1").path)) ?? []
        XCTAssertFalse(logs.contains { $0.hasSuffix("-apply.log") }, "no Terraform apply ran: \(logs)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: Self.lab.file("terraform/session/terraform.tfstate.d/s1").path))
        let quotaRequests = try XCTUnwrap(Self.lab.moto).awsJSON.logLines
        XCTAssertTrue(quotaRequests.contains("GetServiceQuota ec2/L-1216C47A"), "the quota came from Service Quotas: \(quotaRequests)")
    }

    func testPreflightJSONAndExitCode() throws {
        let r = try labctl(["preflight", "s1", "--json"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        let vcpus = try XCTUnwrap(rows.first { $0["check"] as? String == "vcpus" })
        XCTAssertEqual(vcpus["code"] as? String, "ec2/L-1216C47A")
        XCTAssertEqual(vcpus["needed"] as? Int, 8)
        XCTAssertEqual(vcpus["quota"] as? Int, 6)
        XCTAssertEqual(vcpus["ok"] as? Bool, false)
        // No network deployed: whether the zones offer the types is unknown, not ok.
        let offered = try XCTUnwrap(rows.first { $0["check"] as? String == "offered t3.medium" })
        XCTAssertTrue(offered["ok"] is NSNull, "\(offered)")
        XCTAssertTrue(r.stderr.contains("raise it by 2"), r.stderr)
    }

    /// The quotas count the whole region: instances that carry none of the lab's tags (another
    /// team's, say) are counted as "others", and a session that fits only if they are ignored
    /// is refused. Runs last: it raises the vCPU quota and starts instances in the emulator.
    func testZOthersInstancesCountAgainstTheQuota() throws {
        try Self.lab.write("quotas.json", """
            {"ec2/L-1216C47A": {"name": "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", "value": 10, "default": 5},
             "vpc/L-E79EC296": {"name": "VPC security groups per Region", "default": 2500},
             "vpc/L-0EA8095F": {"name": "Inbound or outbound rules per security group", "default": 60},
             "vpc/L-DF5E4CA3": {"name": "Network interfaces per Region", "default": 5000},
             "ebs/L-7A658B76": {"name": "Storage for General Purpose SSD (gp3) volumes, in TiB", "default": 50}}
            """)
        func rows() throws -> (Shell.Output, [[String: Any]]) {
            let r = try labctl(["preflight", "s1", "--json"])
            return (r, try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? [])
        }
        var (r, checks) = try rows()
        XCTAssertEqual(r.status, 0, "8 of 10 vCPUs fit while nothing else runs: \(r.stdout) \(r.stderr)")
        // Another team's instances: no Project, ManagedBy or Session tag.
        let launch = try Shell.run("python3", ["-c", """
            import boto3, os
            ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="eu-west-1")
            ec2.run_instances(ImageId="ami-0a1b2c3d4e5f60718", InstanceType="t3.medium", MinCount=2, MaxCount=2,
                              TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Team", "Value": "data"}]}])
            """], environment: Self.lab.processEnvironment)
        XCTAssertEqual(launch.status, 0, launch.stderr)
        (r, checks) = try rows()
        XCTAssertEqual(r.status, 1, "8 needed + 4 others' vCPUs exceed 10: \(r.stdout) \(r.stderr)")
        let vcpus = try XCTUnwrap(checks.first { $0["check"] as? String == "vcpus" })
        XCTAssertEqual(vcpus["needed"] as? Int, 8)
        XCTAssertEqual(vcpus["in_use_lab"] as? Int, 0)
        XCTAssertEqual(vcpus["in_use_others"] as? Int, 4, "two t3.medium of 2 vCPUs each: \(vcpus)")
        XCTAssertEqual(vcpus["ok"] as? Bool, false)
        XCTAssertTrue((vcpus["detail"] as? String ?? "").contains("4 in use (0 this lab, 4 others) = 12"), "\(vcpus)")
        let interfaces = try XCTUnwrap(checks.first { $0["check"] as? String == "network-interfaces" }, "a network-interface row")
        XCTAssertEqual(interfaces["code"] as? String, "vpc/L-DF5E4CA3")
        XCTAssertEqual(interfaces["needed"] as? Int, 4, "one per node: 2 clusters × (master + worker)")
        XCTAssertGreaterThanOrEqual(interfaces["in_use"] as? Int ?? 0, 2, "the others' instances have interfaces: \(interfaces)")
        XCTAssertEqual(interfaces["quota"] as? Int, 5000)
        let instances = try XCTUnwrap(checks.first { $0["check"] as? String == "instances" })
        XCTAssertEqual(instances["in_use_others"] as? Int, 2)
    }

    func testSkipPreflightSaysWhatItSkipped() throws {
        // Without -y and without a terminal, apply stops at the confirmation, after the skip note.
        let r = try labctl(["apply", "s1", "--skip-preflight"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--skip-preflight: not checked for s1: On-Demand Standard vCPUs (L-1216C47A)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("offered in the network's zones"), r.stderr)
    }
}
