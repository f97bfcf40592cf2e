import LabProvision
import XCTest

/// Terraform's "Still creating…" lines: how long the current resource has been waited for,
/// and the one stop when that passes the limit, named by resource and AWS API.
final class ProgressParserWaitTests: XCTestCase {
    func testAResourceOverTheLimitIsNamedWithItsAPIOnce() {
        var p = ProgressParser()
        p.consume("aws_budgets_budget.session[0]: Creating...")
        p.consume("aws_budgets_budget.session[0]: Still creating... [50s elapsed]")
        XCTAssertEqual(p.waiting, ProgressParser.Wait(address: "aws_budgets_budget.session[0]", action: "creating", seconds: 50))
        XCTAssertFalse(p.exceeds(limit: 60))
        p.consume("aws_budgets_budget.session[0]: Still creating... [1m0s elapsed]")
        XCTAssertTrue(p.exceeds(limit: 60))
        XCTAssertFalse(p.exceeds(limit: 60), "stopped once")
        let error = p.errors.first ?? ""
        XCTAssertTrue(error.hasPrefix("aws_budgets_budget.session[0] was still creating after 1m"), error)
        XCTAssertTrue(error.contains("the AWS Budgets API (reached through AWS_ENDPOINT_URL_BUDGETS"), error)
    }

    func testInstancesAreTheEC2APIAndLongWaitsParse() {
        var p = ProgressParser()
        p.consume("module.x.aws_instance.master[\"ann.le\"]: Still destroying... [id=i-0abc, 1h2m3s elapsed]")
        XCTAssertEqual(p.waiting?.seconds, 3723)
        XCTAssertEqual(p.waiting?.action, "destroying")
        XCTAssertTrue(p.exceeds(limit: 1200))
        XCTAssertTrue(p.errors.first?.contains("the EC2 API (reached through AWS_ENDPOINT_URL_EC2") == true, p.errors.first ?? "")
    }

    func testOtherLinesAreNoWait() {
        var p = ProgressParser()
        p.consume("aws_instance.master[\"ann.le\"]: Creation complete after 12s [id=i-1]")
        p.consume("Plan: 3 to add, 0 to change, 0 to destroy.")
        XCTAssertNil(p.waiting)
        XCTAssertFalse(p.exceeds(limit: 0))
        XCTAssertEqual(p.planned, 3)
    }
}
