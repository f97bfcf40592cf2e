import Foundation
import LabCore
@testable import LabWorkflows
import XCTest

/// The budget a session's apply hands Terraform: the limit from the estimate for the
/// planned hours (counted from the first apply, so later applies keep it) or budget_usd,
/// the trainer as the one notified, and refusals that name the line to fix.
final class SessionBudgetTests: XCTestCase {
    var lab: WorkflowLab!
    let f = ISO8601DateFormatter()

    override func tearDown() { lab?.remove() }

    func at(_ text: String) -> Date { f.date(from: text)! }

    /// Two clusters of t3.medium + t3.small, 30 GB gp3 roots, a public IPv4 per node (eu-west-1 list prices),
    /// plus the worst case of unlimited CPU credits: 4 nodes × 2 vCPUs × 80 % above baseline × $0.05.
    let hourly = 2 * (0.0456 + 0.0228 + 60 * 0.088 / 730 + 2 * 0.005) + 4 * 1.6 * 0.05

    func makeLab(_ tfvars: String) throws {
        lab = try WorkflowLab("budget", tfvars: tfvars)
        try lab.add("ann.lee")
        try lab.add("bob.kim")
    }

    func testTheLimitCountsThePlannedHoursFromTheFirstApply() throws {
        try makeLab("session_end = \"2099-06-01T17:00:00Z\"\ntrainer_email = \"trainer@example.org\"\n")
        // Before any apply the plan starts now: 10:00 → 17:00 + 2 h grace = 9 h.
        var plan = try SessionBudget.plan(lab.session, files: lab.files, registry: lab.registry, now: at("2099-06-01T10:00:00Z"))
        XCTAssertEqual(plan.limit.plannedHours, 9)
        XCTAssertEqual(plan.limit.usd, Int((hourly * 9 * 1.5).rounded(.up)))

        // Applied at 07:00 and again at 09:00: the first apply counts (07:00 → 19:00 = 12 h), whenever it is asked.
        try lab.registry.recordApplyStart(session: lab.session, at: at("2099-06-01T07:00:00Z"))
        try lab.registry.recordApplyStart(session: lab.session, at: at("2099-06-01T09:00:00Z"))
        for now in ["2099-06-01T10:00:00Z", "2099-06-01T15:30:00Z"] {
            plan = try SessionBudget.plan(lab.session, files: lab.files, registry: lab.registry, now: at(now))
            XCTAssertEqual(plan.limit.plannedHours, 12, now)
            XCTAssertEqual(plan.limit.usd, Int((hourly * 12 * 1.5).rounded(.up)), now) // $8.84 → $9
        }
        XCTAssertEqual(plan.limit.usd, 9)
        XCTAssertEqual(plan.limit.cpuSurplusHourlyUSD ?? 0, 0.32, accuracy: 1e-9)
        XCTAssertEqual(plan.notify, ["trainer@example.org"])
        XCTAssertEqual(plan.warnings, [])
        XCTAssertEqual(plan.name, "labctl-k8s-training-s1", "no lab id yet (a lab never applied): the project")
        // Budgets are per account: the lab's id (made on first use) keeps two labs' "s1" apart.
        let id = try lab.registry.ensureLabID()
        XCTAssertEqual(try SessionBudget.plan(lab.session, files: lab.files, registry: lab.registry).name, "labctl-\(id.value)-s1")
    }

    func testBudgetUSDWinsAndAnUnpricedInstanceTypeAsksForIt() throws {
        try makeLab("master_instance_type = \"x9.huge\"\n")
        XCTAssertThrowsError(try SessionBudget.plan(lab.session, files: lab.files, registry: lab.registry)) {
            XCTAssertTrue("\($0)".contains("x9.huge"), "\($0)")
            XCTAssertTrue("\($0)".contains("budget_usd = <dollars> in sessions/s1.tfvars"), "\($0)")
        }
        let url = lab.dir.file("sessions/s1.tfvars")
        try (try String(contentsOf: url, encoding: .utf8) + "budget_usd = 120.5\n").write(to: url, atomically: true, encoding: .utf8)
        let plan = try SessionBudget.plan(lab.session, files: lab.files, registry: lab.registry)
        XCTAssertEqual(plan.limit, .fixed(120.5))
        XCTAssertEqual(plan.limit.usd, 121)
    }

    func testRefusalsNameTheLineAndNoAddressIsAWarning() throws {
        try makeLab("budget_usd = 0\n")
        XCTAssertThrowsError(try SessionBudget.plan(lab.session, files: lab.files, registry: lab.registry)) {
            XCTAssertTrue("\($0)".contains("sessions/s1.tfvars: budget_usd must be a number of US dollars above 0"), "\($0)")
        }
        let url = lab.dir.file("sessions/s1.tfvars")
        try "session_name = \"s1\"\nbudget_usd = 50\ntrainer_email = \"not an address\"\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SessionBudget.plan(lab.session, files: lab.files, registry: lab.registry)) {
            XCTAssertTrue("\($0)".contains("sessions/s1.tfvars: trainer_email"), "\($0)")
        }
        try "session_name = \"s1\"\nbudget_usd = 50\n".write(to: url, atomically: true, encoding: .utf8)
        let plan = try SessionBudget.plan(lab.session, files: lab.files, registry: lab.registry)
        XCTAssertEqual(plan.notify, [])
        XCTAssertEqual(plan.warnings.count, 1)
        XCTAssertTrue(plan.warnings[0].contains("no trainer_email in sessions/s1.tfvars"), plan.warnings[0])
    }

    /// What Terraform reads: the budget next to the end in the .tfvars.json (apply, extend and rebuild build it here).
    func testApplyInputsCarryTheEndAndTheBudget() throws {
        try makeLab("session_end = \"2099-06-01T17:00:00+02:00\"\ntrainer_email = \"trainer@example.org\"\nbudget_usd = 80\n")
        let built = try ApplyInputs.build(lab.session, files: lab.files, registry: lab.registry)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: built.inputs.renderJSON()) as? [String: Any])
        XCTAssertEqual(json["expires_at"] as? String, "2099-06-01T15:00:00Z")
        XCTAssertEqual(json["shutdown_at"] as? String, "2099-06-01 17:00:00 UTC")
        let budget = try XCTUnwrap(json["budget"] as? [String: Any])
        XCTAssertEqual(budget["limit_usd"] as? Int, 80)
        XCTAssertEqual(budget["notify"] as? [String], ["trainer@example.org"])
    }

    /// A budget left without its session gets the command that deletes it (budgets are account-wide: the ARN names the account).
    func testSweepKnowsHowToDeleteABudget() {
        let arn = "arn:aws:budgets::123456789012:budget/labctl-k8s-training-s1"
        XCTAssertEqual(SweepOrphans.kind(of: arn), "budget")
        XCTAssertEqual(SweepOrphans.id(of: arn), "labctl-k8s-training-s1")
        XCTAssertEqual(SweepOrphans.deleteCommand(kind: "budget", id: "labctl-k8s-training-s1", arn: arn, region: "eu-west-1"),
                       "aws budgets delete-budget --account-id 123456789012 --budget-name labctl-k8s-training-s1")
    }
}
