import Foundation
import LabStore
import LabTestSupport
import XCTest

/// Remote state for many operators: the S3 backend with `use_lockfile = true`,
/// on moto. labctl reads status through `terraform state pull`.
final class S3BackendTests: XCTestCase {
    func testSessionStateLivesInTheBucketPerWorkspace() throws {
        let lab = try TestLab("s3")
        defer { lab.remove() }
        let pyEnv = lab.processEnvironment
        try Self.useBucket("lab-state", key: "session/terraform.tfstate", in: [lab])
        func labctl(_ args: [String]) throws -> Shell.Output { try lab.labctl(args) }
        try lab.add(.init("remote", workers: 0, participants: ["ann.lee"]))
        var r = try labctl(["network", "apply", "-y"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        r = try labctl(["apply", "remote", "-y", "--skip-preflight"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)

        let list = try Shell.run("python3", ["-c", """
            import boto3, os
            for o in boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).list_objects_v2(Bucket="lab-state").get("Contents", []):
                print(o["Key"])
            """], environment: pyEnv)
        XCTAssertTrue(list.stdout.contains("env:/remote/session/terraform.tfstate"), list.stdout)
        XCTAssertFalse(list.stdout.contains(".tflock"), "the lock file is released after the run")
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.file("terraform/session/terraform.tfstate.d/remote/terraform.tfstate").path))

        r = try labctl(["status", "remote", "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual((rows[0]["instances"] as? [Any])?.count, 1, r.stdout + r.stderr)
        XCTAssertEqual(try lab.registry().clusters(session: "remote").count, 1)
    }

    /// Two trainers of one lab, each with their own folder and registry, one bucket (issue 27.5):
    /// the network's state lives in the bucket beside the sessions', so the second trainer's
    /// labctl takes the lab's id from it and its `network apply` changes nothing instead of
    /// building a second VPC.
    func testTheNetworkStateAndTheLabIDAreSharedThroughTheBucket() throws {
        let first = try TestLab("s3-net-a")
        defer { first.remove() }
        let second = try TestLab.sharingEmulator(of: first, prefix: "s3-net-b")
        defer { second.remove() }
        try Self.useBucket("shared-state", key: "class/session.tfstate", in: [first, second])

        var r = try first.labctl(["network", "apply", "-y"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let id = try first.labID()
        XCTAssertFalse(FileManager.default.fileExists(atPath: first.file("terraform/network/terraform.tfstate").path), "no local network state")
        let keys = try Shell.run("python3", ["-c", """
            import boto3, os
            for o in boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).list_objects_v2(Bucket="shared-state").get("Contents", []):
                print(o["Key"])
            """], environment: first.processEnvironment)
        XCTAssertTrue(keys.stdout.split(separator: "\n").contains("class/network.tfstate"), keys.stdout)

        // The second trainer's registry has no id yet: it takes the bucket's.
        r = try second.labctl(["network", "status", "--json"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let row = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout + r.stderr)
        XCTAssertEqual(row["lab_id"] as? String, id)
        XCTAssertEqual(row["deployed"] as? Bool, true, "the network in the bucket is seen from the second folder")
        XCTAssertEqual(try second.labID(), id)

        r = try second.labctl(["network", "apply", "-y"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let vpcs = try Shell.run("python3", ["-c", """
            import boto3, os
            print(len([v for v in boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).describe_vpcs()["Vpcs"] if not v.get("IsDefault")]))
            """], environment: first.processEnvironment)
        XCTAssertEqual(vpcs.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1", "one network for the lab: \(r.stdout)")
    }

    /// Makes `bucket` on the labs' emulator and points each lab's S3 backend at it (path style, no AWS checks).
    static func useBucket(_ bucket: String, key: String, in labs: [TestLab]) throws {
        let mk = try Shell.run("python3", ["-c", """
            import boto3, os
            boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).create_bucket(
                Bucket="\(bucket)", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
            """], environment: labs[0].processEnvironment)
        XCTAssertEqual(mk.status, 0, mk.stderr)
        let backend = """
        bucket         = "\(bucket)"
        key            = "\(key)"
        region         = "eu-west-1"
        use_lockfile   = true
        use_path_style = true
        skip_credentials_validation = true
        skip_requesting_account_id  = true
        skip_metadata_api_check     = true
        skip_region_validation      = true
        """
        for lab in labs { try backend.write(to: lab.file("terraform/backend.s3.hcl"), atomically: true, encoding: .utf8) }
    }
}
