import Foundation
import LabStore
import LabTestSupport
import XCTest

/// Remote state for many operators: the S3 backend with `use_lockfile = true`,
/// on moto. labctl reads status through `terraform state pull`.
final class S3BackendTests: XCTestCase {
    func testSessionStateLivesInTheBucketPerWorkspace() throws {
        let lab = try TemporaryDirectory("s3")
        defer { lab.remove() }
        let moto = try MotoServer(amisPath: RepositoryPaths.motoAMIs.path, directory: lab.url)
        defer { moto.stop() }
        let env = moto.environment()
        let pyEnv = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
        let mk = try Shell.run("python3", ["-c", """
            import boto3, os
            boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).create_bucket(
                Bucket="lab-state", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
            """], environment: pyEnv)
        XCTAssertEqual(mk.status, 0, mk.stderr)
        try RepositoryPaths.copyTerraform(to: lab.url)
        try """
        bucket         = "lab-state"
        key            = "session/terraform.tfstate"
        region         = "eu-west-1"
        use_lockfile   = true
        use_path_style = true
        skip_credentials_validation = true
        skip_requesting_account_id  = true
        skip_metadata_api_check     = true
        skip_region_validation      = true
        """.write(to: lab.file("terraform/backend.s3.hcl"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: lab.file("sessions"), withIntermediateDirectories: true)
        func labctl(_ args: [String]) throws -> Shell.Output { try LabctlBinary.run(args, env: env, directory: lab.url) }
        XCTAssertEqual(try labctl(["create-config", "remote", "--workers", "0", "--ssh-from", "198.51.100.0/24", "--end", "2099-06-01T17:00:00+02:00"]).status, 0)
        let url = lab.file("sessions/remote.tfvars")
        try (String(contentsOf: url, encoding: .utf8) + "ami_id = \"ami-0a1b2c3d4e5f60718\"\n").write(to: url, atomically: true, encoding: .utf8)
        let key = try KeyGen.generate(in: lab.url, name: "k")
        XCTAssertEqual(try labctl(["keys", "add", "remote", "ann.lee", "--file", key.publicKeyPath]).status, 0)
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
        XCTAssertEqual(try Registry(path: lab.file(".labctl/lab.sqlite").path).clusters(session: "remote").count, 1)
    }
}
