import Foundation
import LabRehearsal
import LabTestSupport
import XCTest

/// The loopback Budgets emulator answers a client's re-sent create (same body, just
/// after) like the first one, but still refuses a real duplicate as AWS does.
final class BudgetsEmulatorTests: XCTestCase {
    func testARetriedCreateIsAnsweredButADifferentDuplicateIsRefused() throws {
        let dir = try TemporaryDirectory("budgets-emulator")
        defer { dir.remove() }
        let emulator = try BudgetsEmulator(directory: dir.url)
        defer { emulator.stop() }
        let client = """
        import json, sys, urllib.request, urllib.error
        def call(action, body):
            req = urllib.request.Request(sys.argv[1], data=json.dumps(body).encode(), method="POST",
                headers={"X-Amz-Target": "AWSBudgetServiceGateway." + action, "Content-Type": "application/x-amz-json-1.1"})
            try:
                with urllib.request.urlopen(req) as r: return r.status
            except urllib.error.HTTPError as e: return f"{e.code} {e.headers.get('x-amzn-ErrorType')}"
        budget = {"BudgetName": "b1", "BudgetType": "COST", "TimeUnit": "MONTHLY", "BudgetLimit": {"Amount": "10", "Unit": "USD"}}
        print(call("CreateBudget", {"AccountId": "123456789012", "Budget": budget}))
        print(call("CreateBudget", {"AccountId": "123456789012", "Budget": budget}))
        budget["BudgetLimit"]["Amount"] = "20"
        print(call("CreateBudget", {"AccountId": "123456789012", "Budget": budget}))
        print(len(json.load(urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=json.dumps({"AccountId": "123456789012"}).encode(),
            method="POST", headers={"X-Amz-Target": "AWSBudgetServiceGateway.DescribeBudgets"})))["Budgets"]))
        """
        let r = try Shell.run("python3", ["-c", client, emulator.endpoint])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n"), ["200", "200", "400 DuplicateRecordException", "1"], r.stdout + r.stderr)
    }
}
