import Foundation
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// Real Terraform and the real AWS provider against moto: the network, two
/// sessions of different sizes applied in parallel by one labctl call, tags,
/// user data, outputs, locks, status and destroy. Started once for the class.
final class ProvisioningTests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!
    nonisolated(unsafe) static var applyResult: Shell.Output!

    override class func setUp() {
        do {
            lab = try TestLab("provision", sessions: [
                .init("s1", workers: 1, participants: ["ann.lee", "bob.kim"]),
                .init("s2", workers: 0, masterType: "t3.large", participants: ["cy.dee"]),
            ])
            applyResult = try lab.deploy(["s1", "s2"])
        } catch {
            applyResult = Shell.Output(status: -1, stdout: "", stderr: "setup failed: \(error)")
        }
    }

    override class func tearDown() { lab?.remove() }

    @discardableResult
    static func run(_ args: [String]) throws -> Shell.Output { try lab.run(args) }

    func labctl(_ args: [String], extraEnv: [String: String] = [:]) throws -> Shell.Output { try Self.lab.labctl(args, env: extraEnv) }

    func inventory() throws -> [String: Any] {
        let r = try Shell.run("python3", [RepositoryPaths.fixtures.appendingPathComponent("aws_inventory.py").path],
                              environment: Self.lab.processEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    func state(_ session: String) throws -> [String: Any] {
        let url = Self.lab.file("terraform/session/terraform.tfstate.d/\(session)/terraform.tfstate")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    func registry() throws -> Registry { try Self.lab.registry() }

    func testParallelApplySucceededForBothSessionsInOneCall() throws {
        XCTAssertEqual(Self.applyResult.status, 0, Self.applyResult.stdout + Self.applyResult.stderr)
        XCTAssertTrue(Self.applyResult.stderr.contains("[s1] applying"), "live progress per session")
        XCTAssertTrue(Self.applyResult.stderr.contains("[s2] applying"))
        XCTAssertTrue(Self.applyResult.stdout.contains("s1       ok"), Self.applyResult.stdout)
        XCTAssertTrue(Self.applyResult.stderr.contains("allowed_ssh_cidrs") == false, "no 0.0.0.0/0 warning for a narrowed list")
        let logs = try FileManager.default.contentsOfDirectory(atPath: Self.lab.file(".labctl/logs/s1").path)
        XCTAssertTrue(logs.contains { $0.hasSuffix("-apply.log") })
    }

    func testEachStateHoldsOnlyItsOwnSessionsResources() throws {
        for (session, instances) in [("s1", 4), ("s2", 1)] {
            let resources = try state(session)["resources"] as! [[String: Any]]
            var count = 0
            for r in resources where r["mode"] as? String == "managed" {
                for i in r["instances"] as! [[String: Any]] {
                    let attrs = i["attributes"] as! [String: Any]
                    if let tags = attrs["tags_all"] as? [String: String] { XCTAssertEqual(tags["Session"], session, "\(r["type"]!)") }
                    if r["type"] as? String == "aws_instance" { count += 1 }
                }
            }
            XCTAssertEqual(count, instances, session)
        }
    }

    func testEveryCreatedResourceIsTaggedInTheEmulator() throws {
        let inv = try inventory()
        let instances = inv["instances"] as! [[String: Any]]
        XCTAssertEqual(instances.count, 5)
        let required = ["Project", "Session", "Participant", "Cluster", "Role", "ManagedBy"]
        for i in instances {
            let tags = i["tags"] as! [String: String]
            for key in required { XCTAssertNotNil(tags[key], "instance \(i["id"]!) lacks \(key): \(tags)") }
            XCTAssertEqual(tags["Cluster"], "\(tags["Session"]!)-\(tags["Participant"]!)")
            XCTAssertEqual(i["metadata_tokens"] as? String, "required", "IMDSv2")
        }
        XCTAssertEqual(Set(instances.map { ($0["tags"] as! [String: String])["Participant"]! }), ["ann.le", "bob.ki", "cy.de"])
        for kind in ["security_groups", "key_pairs"] {
            let items = (inv[kind] as! [[String: Any]])
            XCTAssertEqual(items.count, 3, kind)
            for item in items {
                let tags = item["tags"] as! [String: String]
                for key in required { XCTAssertNotNil(tags[key], "\(kind) \(item["name"]!) lacks \(key)") }
                XCTAssertTrue((item["name"] as! String).contains(tags["Session"]!), "names include the session")
            }
        }
        XCTAssertEqual((inv["vpcs"] as! [Any]).count, 1, "one shared VPC, not one per session")
        XCTAssertEqual((inv["nat_gateways"] as! [Any]).count, 0, "no NAT gateway")
    }

    func testEachMastersUserDataCarriesItsOwnPodCIDR() throws {
        let participants = try registry().participants(in: "s1") + registry().participants(in: "s2")
        let cidrs = Dictionary(uniqueKeysWithValues: participants.map { ($0.discreteID, $0.podCIDR) })
        XCTAssertEqual(Set(cidrs.values).count, 3, "pod CIDRs unique across sessions")
        let masters = (try inventory()["instances"] as! [[String: Any]]).filter { ($0["tags"] as! [String: String])["Role"] == "master" }
        XCTAssertEqual(masters.count, 3)
        for m in masters {
            let id = (m["tags"] as! [String: String])["Participant"]!
            let userData = m["user_data"] as! String
            XCTAssertTrue(userData.contains(cidrs[id]!), "\(id) user data lacks \(cidrs[id]!)")
            for (other, cidr) in cidrs where other != id { XCTAssertFalse(userData.contains(cidr), "\(id) has \(other)'s CIDR") }
        }
    }

    func testOutputsWereRecordedAsTheInventory() throws {
        let clusters = try registry().clusters(session: "s1")
        XCTAssertEqual(clusters.map(\.discreteID), ["ann.le", "bob.ki"])
        for c in clusters {
            XCTAssertNotNil(c.masterPublicIP)
            XCTAssertEqual(c.workerPublicIPs.count, 1)
        }
        XCTAssertEqual(try registry().clusters(session: "s2").first?.workerPublicIPs, [])
        let r = try labctl(["output", "s2", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: [String: Any]]
        XCTAssertEqual(json["s2"]?["total_instances"] as? Int, 1)
        XCTAssertEqual(json["s2"]?["aws_cost_explorer_filter"] as? String, "Tag: Session = s2")
    }

    /// With the network and both sessions deployed: checking s1 counts s2's running master as
    /// this lab's (and nothing as others'), and the subnets' free addresses as the emulator has them.
    func testPreflightOfAnAppliedSessionCountsTheOtherSessionAsThisLab() throws {
        let r = try labctl(["preflight", "s1", "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
        let instances = try XCTUnwrap(rows.first { $0["check"] as? String == "instances" }, r.stdout + r.stderr)
        XCTAssertEqual(instances["needed"] as? Int, 4)
        XCTAssertEqual(instances["in_use_lab"] as? Int, 1, "s2's one master: \(instances)")
        XCTAssertEqual(instances["in_use_others"] as? Int, 0)
        let addresses = try XCTUnwrap(rows.first { $0["check"] as? String == "subnet-addresses" })
        let subnets = try Shell.run("python3", ["-c", """
            import boto3, os
            ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="eu-west-1")
            free = [s["AvailableIpAddressCount"] for s in ec2.describe_subnets()["Subnets"]
                    if any(t["Key"] == "Project" for t in s.get("Tags", []))]
            print(min(free) * len(free))
            """], environment: Self.lab.processEnvironment)
        XCTAssertEqual(subnets.status, 0, subnets.stderr)
        XCTAssertEqual(addresses["quota"] as? Int, Int(subnets.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(addresses)")
        XCTAssertEqual(addresses["verdict"] as? String, "ok")
    }

    func testSecretsAndVarFilesArePrivate() throws {
        for s in ["s1", "s2"] {
            let attrs = try FileManager.default.attributesOfItem(atPath: Self.lab.file(".labctl/vars/\(s).tfvars.json").path)
            XCTAssertEqual((attrs[.posixPermissions] as! NSNumber).intValue & 0o777, 0o600)
        }
        let secret = try XCTUnwrap(try registry().sessionSecret("s1"))
        XCTAssertFalse(Self.applyResult.stdout.contains(secret.operatorPrivateKey.split(separator: "\n")[1]))
    }

    func testStatusReadsStateForEverySession() throws {
        let r = try labctl(["status", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.map { $0["session"] as? String }, ["s1", "s2"])
        XCTAssertEqual(rows.map { ($0["instances"] as? [Any])?.count }, [4, 1])
        XCTAssertEqual(rows.map { $0["participants"] as? Int }, [2, 1])
        XCTAssertEqual(rows[1]["master_instance_type"] as? String, "t3.large")
    }

    func testSecondLabctlOnTheSameSessionFailsFastNamingTheHolder() throws {
        let first = try ChildProcess(LabctlBinary.path, ["plan", "s2"], environment: Self.lab.processEnvironment,
                                     directory: Self.lab.url)
        defer { first.stop(grace: 30) }
        let lockFile = Self.lab.file(".labctl/locks/session-s2.lock").path
        let deadline = Date().addingTimeInterval(30)
        while ((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").isEmpty, Date() < deadline { usleep(20_000) }
        let second = try labctl(["plan", "s2", "--no-wait"])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stdout.contains("busy: held by pid \(first.processIdentifier)"), second.stdout)
        XCTAssertEqual(first.waitUntilExit(), .exited(0))
    }

    func testRefusesSessionsWithoutParticipantsOrWithAMismatchedName() throws {
        try Self.run(["create-config", "empty", "--ssh-from", "198.51.100.0/24", "--end", "2099-06-01T17:00:00+02:00"])
        var r = try labctl(["apply", "empty", "-y"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("No participant SSH keys for session empty: add some with `labctl keys add empty"), r.stderr)
        try "session_name = \"other\"\n".write(to: Self.lab.file("sessions/wrong.tfvars"), atomically: true, encoding: .utf8)
        r = try labctl(["plan", "wrong"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("sessions/wrong.tfvars:1: session_name is \"other\""), r.stderr)
        try FileManager.default.removeItem(at: Self.lab.file("sessions/wrong.tfvars"))
        try FileManager.default.removeItem(at: Self.lab.file("sessions/empty.tfvars"))
    }

    /// Ctrl-C reaches labctl only: it forwards SIGINT to Terraform and waits, so no state lock is left.
    func testZYInterruptIsForwardedAndLeavesNoStateLock() throws {
        try Self.lab.add(.init("s3", workers: 0, participants: ["eve.ng"]))
        let apply = try ChildProcess(LabctlBinary.path, ["apply", "s3", "-y"], environment: Self.lab.processEnvironment,
                                     directory: Self.lab.url)
        XCTAssertTrue(Self.waitForApplyLog("s3", containing: "Creating...") { apply.isRunning }, "terraform never started creating")
        // As a terminal's Ctrl-C: SIGINT to labctl's process group, which labctl alone is in.
        apply.signalGroup(SIGINT)
        XCTAssertEqual(apply.waitUntilExit(), .exited(1), "interrupted apply reports failure")
        XCTAssertEqual(Self.processes(matching: "s3.tfvars"), [], "a Terraform child outlived labctl")
        XCTAssertFalse(FileManager.default.fileExists(atPath: Self.lab.file("terraform/session/terraform.tfstate.d/s3/.terraform.tfstate.lock.info").path))
        let cidr = try XCTUnwrap(try registry().participants(in: "s3").first?.podCIDR)
        let destroy = try labctl(["destroy", "s3", "-y", "--no-wait", "--forget"])
        XCTAssertEqual(destroy.status, 0, destroy.stdout + destroy.stderr)
        XCTAssertEqual(try registry().participants(in: "s3").count, 0, "--forget removes the session after the destroy")
        XCTAssertFalse(try registry().participants(in: "s1").map(\.podCIDR).contains(cidr))
        XCTAssertTrue(try registry().auditLog(session: "s3").contains { $0.action == "session-removed" && $0.detail == "released 1 pod CIDR(s)" })
    }

    /// The trainer's SSH connection to the jump host drops mid-apply: labctl gets SIGHUP and its
    /// stdout and stderr lead nowhere. It must neither die (Terraform would be killed by SIGPIPE
    /// with instances created but not in the state) nor leave the state lock.
    func testZXHangUpDuringApplyLeavesNoLockAndNoInstanceOutsideTheState() throws {
        try Self.lab.add(.init("s4", workers: 1, participants: ["gus.ho", "ida.wu"]))
        let apply = Process()
        apply.executableURL = URL(fileURLWithPath: LabctlBinary.path)
        apply.arguments = ["apply", "s4", "-y", "--skip-preflight"]
        apply.environment = Self.lab.processEnvironment
        apply.currentDirectoryURL = Self.lab.url
        let terminal = Pipe()
        apply.standardOutput = terminal
        apply.standardError = terminal
        apply.standardInput = FileHandle.nullDevice
        try apply.run()
        XCTAssertTrue(Self.waitForApplyLog("s4", containing: "aws_instance.master[") { apply.isRunning },
                      "terraform never started creating instances")
        // The terminal is gone: nothing reads labctl's output any more, then the hang-up arrives.
        try terminal.fileHandleForReading.close()
        kill(apply.processIdentifier, SIGHUP)
        apply.waitUntilExit()
        XCTAssertEqual(apply.terminationReason, .exit, "labctl was killed by a signal (\(apply.terminationStatus))")
        XCTAssertEqual(apply.terminationStatus, 1, "an apply stopped by a hang-up reports failure")
        XCTAssertEqual(Self.processes(matching: "s4.tfvars"), [], "a Terraform child outlived labctl")
        XCTAssertFalse(FileManager.default.fileExists(atPath: Self.lab.file("terraform/session/terraform.tfstate.d/s4/.terraform.tfstate.lock.info").path),
                       "the state lock was left behind")
        let instances = try inventory()["instances"] as! [[String: Any]]
        let inEmulator = Set(instances.filter { ($0["tags"] as! [String: String])["Session"] == "s4" }.map { $0["id"] as! String })
        let resources = try state("s4")["resources"] as? [[String: Any]] ?? []
        let inState = Set(resources.filter { $0["type"] as? String == "aws_instance" }
            .flatMap { ($0["instances"] as! [[String: Any]]).map { ($0["attributes"] as! [String: Any])["id"] as! String } })
        XCTAssertEqual(inEmulator.subtracting(inState), [], "instances running in AWS that no state knows")
        XCTAssertTrue(Self.applyLogs("s4").contains("Interrupt received"), "Terraform was not asked to stop gracefully")
        let destroy = try labctl(["destroy", "s4", "-y", "--no-wait", "--forget"])
        XCTAssertEqual(destroy.status, 0, destroy.stdout + destroy.stderr)
    }

    /// Terraform warns on stderr before its JSON when TF_CLI_CONFIG_FILE names a missing file
    /// (as on the lab machines): the outputs are read from stdout alone and recorded.
    func testOutputIsReadFromStdoutWhileTerraformWarnsOnStderr() throws {
        try registry().recordClusters(session: "s2", [])
        let r = try labctl(["output", "s2"], extraEnv: ["TF_CLI_CONFIG_FILE": Self.lab.file("no-such-terraformrc").path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(try registry().clusters(session: "s2").map(\.discreteID), ["cy.de"])
        let logs = Self.lab.file(".labctl/logs/s2")
        let log = try FileManager.default.contentsOfDirectory(atPath: logs.path).filter { $0.hasSuffix("-output.log") }
            .map { try String(contentsOf: logs.appendingPathComponent($0), encoding: .utf8) }.joined()
        XCTAssertTrue(log.contains("stderr: ") && log.contains("Unable to open CLI configuration file"), "both streams are logged: \(log)")
    }

    /// The session's apply logs, joined.
    static func applyLogs(_ session: String) -> String {
        let logs = lab.file(".labctl/logs/\(session)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? []
        return files.filter { $0.hasSuffix("-apply.log") }
            .map { (try? String(contentsOf: logs.appendingPathComponent($0), encoding: .utf8)) ?? "" }.joined()
    }

    /// Waits (up to 2 minutes, while `running`) until the session's apply log shows `text`.
    static func waitForApplyLog(_ session: String, containing text: String, while running: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(120)
        while !applyLogs(session).contains(text), Date() < deadline, running() { usleep(50_000) }
        return applyLogs(session).contains(text)
    }

    /// Command lines of running processes that mention `needle` (read from /proc, no pgrep self-matches).
    static func processes(matching needle: String) -> [String] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid -> String? in
            guard Int(pid) != nil, let data = fm.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let cmd = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return cmd.contains(needle) && cmd.contains("terraform") ? cmd : nil
        }
    }

    /// Runs last (alphabetical order): destroying one session leaves the other intact.
    func testZZDestroyingOneSessionLeavesTheOtherIntact() throws {
        let r = try labctl(["destroy", "s2", "-y"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let instances = try inventory()["instances"] as! [[String: Any]]
        XCTAssertEqual(Set(instances.map { ($0["tags"] as! [String: String])["Session"]! }), ["s1"])
        XCTAssertEqual(instances.count, 4)
        XCTAssertEqual(try registry().clusters(session: "s2").count, 0)
        XCTAssertEqual(try registry().clusters(session: "s1").count, 2)
        let backups = try FileManager.default.contentsOfDirectory(atPath: Self.lab.file(".labctl/backups").path)
        XCTAssertTrue(backups.contains { $0.hasPrefix("s2-") && $0.hasSuffix(".tfstate") })
    }
}
