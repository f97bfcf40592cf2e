import Foundation
import LabTestSupport
import XCTest

/// Each session gets an AWS Budget, on the emulator: a real `labctl apply` (real
/// Terraform, the real AWS provider) against moto, with Budgets answered by the
/// loopback budgets emulator that `MotoServer` starts. The budgets are read back through
/// the Budgets API (boto3), never from Terraform's state.
/// The tests run in their letter order (the destroy last).
final class BudgetTests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!
    nonisolated(unsafe) static var applyResult: Shell.Output!
    /// bud's end as written by create-config (UTC, "+00:00") and as the ExpiresAt tag has it.
    nonisolated(unsafe) static var budEnd = Date()
    static let trainer = "trainer@example.org"

    /// bud: 2 participants, 1 worker each, ends 10 h 30 min after set-up, so its planned
    /// hours (first apply → end + 2 h grace) are 12.5 minus the minutes set-up takes: 13 whole hours.
    /// Per cluster, eu-west-1 list prices: t3.medium 0.0456 + t3.small 0.0228, two 30 GB gp3 roots
    /// at 0.088/GB-month over 730 h, two public IPv4 at 0.005; and the worst case of unlimited
    /// CPU credits, two nodes × 2 vCPUs × 80 % above baseline × $0.05 per vCPU-hour.
    static let budHourly = 2 * (0.0456 + 0.0228 + 60 * 0.088 / 730 + 2 * 0.005 + 2 * 1.6 * 0.05)
    static let budLimit = Int((budHourly * 13 * 1.5).rounded(.up)) // $9.58 → $10

    override class func setUp() {
        do {
            let minute = (Date().timeIntervalSince1970 / 60).rounded(.down) * 60
            budEnd = Date(timeIntervalSince1970: minute + 10.5 * 3600)
            lab = try TestLab("budgets", sessions: [
                .init("bud", workers: 1, end: endText(budEnd), participants: ["ann.lee", "bob.kim"], tfvars: "trainer_email = \"\(trainer)\"\n"),
                .init("solo", workers: 0, participants: ["cy.dee"], tfvars: "budget_usd = 75\n"),
            ])
            applyResult = try lab.deploy(["bud", "solo"])
        } catch {
            applyResult = Shell.Output(status: -1, stdout: "", stderr: "setup failed: \(error)")
        }
    }

    override class func tearDown() { lab?.remove() }

    /// `2026-11-30T17:46:00+00:00`; `utc: true`: `2026-11-30T17:46:00Z` (the tag).
    static func endText(_ date: Date, utc: Bool = false) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return utc ? f.string(from: date) : f.string(from: date).replacingOccurrences(of: "Z", with: "+00:00")
    }


    func requireApplied() throws {
        guard Self.applyResult.status == 0 else {
            throw TestSupportError("apply failed: \(Self.applyResult.stdout)\(Self.applyResult.stderr)")
        }
    }

    /// The budgets as the Budgets API returns them, by name.
    func budgets() throws -> [String: [String: Any]] {
        let r = try Shell.run("python3", [RepositoryPaths.fixtures.appendingPathComponent("budgets_inventory.py").path],
                              environment: Self.lab.processEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: Any]])
    }

    func testA_TheSessionHasAMonthlyCostBudgetOnItsSessionTagWithTheEstimatedLimit() throws {
        try requireApplied()
        let budget = try XCTUnwrap(try budgets()["labctl-\(try Self.lab.labID())-bud"], "no budget for bud")
        XCTAssertEqual(budget["type"] as? String, "COST")
        XCTAssertEqual(budget["time_unit"] as? String, "MONTHLY")
        let limit = try XCTUnwrap(budget["limit"] as? [String: String])
        XCTAssertEqual(limit["Unit"], "USD")
        XCTAssertEqual(Double(limit["Amount"] ?? ""), Double(Self.budLimit), "estimate × planned hours × 1.5, whole dollars")
        // The lab and the session in one tag: a "bud" of another lab in the account stays out.
        let labID = try Self.lab.labID()
        XCTAssertEqual(budget["cost_filters"] as? [String: [String]], ["TagKeyValue": ["user:LabSession$\(labID).bud"]])
        XCTAssertEqual((budget["tags"] as? [String: String])?["Session"], "bud")
        XCTAssertEqual((budget["tags"] as? [String: String])?["LabSession"], "\(labID).bud")
    }

    func testB_ItNotifiesTheTrainerAt80And100PercentOfActualSpend() throws {
        try requireApplied()
        let budget = try XCTUnwrap(try budgets()["labctl-\(try Self.lab.labID())-bud"])
        let notifications = try XCTUnwrap(budget["notifications"] as? [[String: Any]])
        XCTAssertEqual(notifications.compactMap { $0["threshold"] as? Double }.sorted(), [80, 100])
        for n in notifications {
            XCTAssertEqual(n["type"] as? String, "ACTUAL")
            XCTAssertEqual(n["operator"] as? String, "GREATER_THAN")
            XCTAssertEqual(n["threshold_type"] as? String, "PERCENTAGE")
            XCTAssertEqual(n["subscribers"] as? [[String: String]], [["SubscriptionType": "EMAIL", "Address": Self.trainer]])
        }
    }

    func testC_BudgetUSDSetsTheLimitAndASessionWithoutAnAddressIsWarnedAbout() throws {
        try requireApplied()
        let budget = try XCTUnwrap(try budgets()["labctl-\(try Self.lab.labID())-solo"], "no budget for solo")
        XCTAssertEqual(Double((budget["limit"] as? [String: String])?["Amount"] ?? ""), 75)
        XCTAssertEqual(budget["cost_filters"] as? [String: [String]], ["TagKeyValue": ["user:LabSession$\(try Self.lab.labID()).solo"]])
        XCTAssertEqual((budget["notifications"] as? [Any])?.count, 0, "nobody to notify")
        let output = Self.applyResult.stdout + Self.applyResult.stderr
        XCTAssertTrue(output.contains("solo: no trainer_email in sessions/solo.tfvars"), output)
        XCTAssertFalse(output.contains("bud: no trainer_email"), output)
    }

    func testD_CostShowsTheBudgetTerraformWasGiven() throws {
        try requireApplied()
        let r = try Self.lab.run(["cost", "bud", "solo", "--json"])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let budgets = rows.compactMap { $0["budget"] as? [String: Any] }
        XCTAssertEqual(budgets.compactMap { $0["limit_usd"] as? Int }, [Self.budLimit, 75])
        XCTAssertEqual(budgets.compactMap { $0["basis"] as? String }, ["estimate", "budget_usd"])
        XCTAssertEqual(budgets.first?["notify"] as? [String], [Self.trainer])
        let text = try Self.lab.run(["cost", "bud"]).stdout
        XCTAssertTrue(text.contains("bud: AWS Budget $\(Self.budLimit)/month"), text)
    }

    /// A second apply with a later end (what `extend` runs): Terraform moves the ExpiresAt tag
    /// on every resource, the security group rules too, and the budget grows with the planned
    /// hours (first apply → new end + 2 h: 13 + 24 = 37 h).
    func testE_ALaterEndIsAppliedAgainAndRaisesTheBudget() throws {
        try requireApplied()
        let later = Self.budEnd.addingTimeInterval(24 * 3600)
        let url = Self.lab.file("sessions/bud.tfvars")
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(Self.endText(Self.budEnd)), text)
        try text.replacingOccurrences(of: Self.endText(Self.budEnd), with: Self.endText(later)).write(to: url, atomically: true, encoding: .utf8)
        let r = try Self.lab.labctl(["apply", "bud", "-y", "--skip-preflight"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)

        let budget = try XCTUnwrap(try budgets()["labctl-\(try Self.lab.labID())-bud"])
        XCTAssertEqual(Double((budget["limit"] as? [String: String])?["Amount"] ?? ""), (Self.budHourly * 37 * 1.5).rounded(.up))
        XCTAssertEqual((budget["notifications"] as? [Any])?.count, 2)

        let rules = try Shell.run("python3", ["-c", """
            import boto3, json, os
            ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
            out = []
            for r in ec2.describe_security_group_rules()["SecurityGroupRules"]:
                tags = {t["Key"]: t["Value"] for t in r.get("Tags", [])}
                if tags.get("Session") == "bud":
                    out.append({"id": r["SecurityGroupRuleId"], "protocol": r["IpProtocol"], "expires": tags.get("ExpiresAt")})
            print(json.dumps(out))
            """], environment: Self.lab.processEnvironment)
        XCTAssertEqual(rules.status, 0, rules.stderr)
        let found = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(rules.stdout.utf8)) as? [[String: String]])
        // Per cluster: SSH in, intra-cluster (protocol -1, the one moto refused to modify), all out.
        XCTAssertEqual(found.count, 6, rules.stdout)
        XCTAssertTrue(found.contains { $0["protocol"] == "-1" }, rules.stdout)
        for rule in found { XCTAssertEqual(rule["expires"], Self.endText(later, utc: true), "\(rule)") }
    }

    /// The emulator rehearsal's old hang: with Budgets pointed at moto, which lacks two calls the
    /// provider makes after creating a budget, Terraform waits for minutes. The apply is stopped
    /// at LABCTL_RESOURCE_TIMEOUT and fails naming the resource and its API.
    func testEB_ABudgetsAPIThatNeverAnswersFailsTheApplyWithinTheBound() throws {
        try requireApplied()
        try Self.lab.add(.init("hang", workers: 0, participants: ["eve.ng"], tfvars: "budget_usd = 20\n"))
        let moto = try XCTUnwrap(Self.lab.moto).endpoint
        let r = try Self.lab.labctl(["apply", "hang", "-y", "--skip-preflight"],
                                    env: ["AWS_ENDPOINT_URL_BUDGETS": moto, "LABCTL_RESOURCE_TIMEOUT": "40s"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let said = r.stdout + r.stderr
        for part in ["aws_budgets_budget.session", "was still creating after 40s", "the AWS Budgets API", "AWS_ENDPOINT_URL_BUDGETS",
                     "LABCTL_RESOURCE_TIMEOUT=40s"] {
            XCTAssertTrue(said.contains(part), "\(part) missing: \(said)")
        }
        XCTAssertEqual(ProvisioningTests.processes(matching: "hang.tfvars"), [], "Terraform was left running")
        let destroy = try Self.lab.labctl(["destroy", "hang", "-y", "--forget"])
        XCTAssertEqual(destroy.status, 0, destroy.stdout + destroy.stderr)
    }

    func testF_DestroyRemovesTheSessionsBudgetOnly() throws {
        try requireApplied()
        try Self.lab.run(["destroy", "solo", "-y"])
        let left = try budgets()
        XCTAssertNil(left["labctl-\(try Self.lab.labID())-solo"])
        XCTAssertNotNil(left["labctl-\(try Self.lab.labID())-bud"])
    }
}
