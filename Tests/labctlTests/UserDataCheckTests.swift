import Foundation
import LabTestSupport
import XCTest

/// The nodes' user data as EC2 receives it: scripts/tf-userdata-check.sh renders it
/// through the real Terraform on moto (0, 2, 20 workers; 12 participants with long
/// ids), reads it back with DescribeInstanceAttribute, and runs `cloud-init schema`,
/// `shellcheck` and a size check on each, then the bounded worker wait and Ready
/// deadline (scripts/worker-wait-check.sh), the masters' metadata policy (pods only)
/// and their Calico manifest fetch against loopback servers. About three minutes.
final class UserDataCheckTests: XCTestCase {
    func testRenderedUserDataIsValidSmallAndTheWorkerWaitIsBounded() throws {
        let script = RepositoryPaths.root.appendingPathComponent("scripts/tf-userdata-check.sh").path
        let r = try Shell.run(script, [], environment: ProcessInfo.processInfo.environment, directory: RepositoryPaths.root)
        let report = r.stdout + r.stderr
        XCTAssertEqual(r.status, 0, report)
        // Every check ran (a skipped one would not print its PASS line).
        var expected = ["PASS bounded worker wait",
                        "PASS every instance: IMDSv2 required, hop limit 1 (plan and EC2), launched with unlimited CPU credits (plan)",
                        "PASS metadata policy on 15 masters: selector has(projectcalico.org/namespace)",
                        "PASS Calico manifests: from the default base URL",
                        "PASS fetch_manifest: a mirror that refuses connections for 3 s is retried and read",
                        "PASS fetch_manifest: a 404 (wrong version or mirror) fails at once"]
        for (session, roles) in [("zero", ["master"]), ("two", ["master", "worker"]), ("twenty", ["master", "worker"]), ("crowd", ["master", "worker"])] {
            for role in roles {
                expected += ["PASS \(session) \(role): user data ≤", "PASS \(session) \(role): cloud-init schema valid",
                             "PASS \(session) \(role): shellcheck clean"]
            }
        }
        for line in expected {
            XCTAssertTrue(report.contains(line), "missing \"\(line)\" in:\n\(report)")
        }
        XCTAssertTrue(report.contains("PASS twenty worker: cloud-init schema valid (20 instance(s))"), report)
        XCTAssertTrue(report.contains("PASS crowd master: cloud-init schema valid (12 instance(s))"), report)
    }
}
