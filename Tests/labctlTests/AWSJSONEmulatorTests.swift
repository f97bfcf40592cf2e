import Foundation
import LabRehearsal
import LabTestSupport
import XCTest

/// The loopback emulator of the AWS JSON APIs moto lacks: Budgets and Service Quotas.
final class AWSJSONEmulatorTests: XCTestCase {
    /// Budgets: a client's re-sent create (same body, just after) is answered like the
    /// first one, but a real duplicate is still refused as AWS does.
    func testARetriedCreateIsAnsweredButADifferentDuplicateIsRefused() throws {
        let dir = try TemporaryDirectory("budgets-emulator")
        defer { dir.remove() }
        let emulator = try AWSJSONEmulator(directory: dir.url)
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

    /// Service Quotas: the applied value, the AWS default, NoSuchResource where the file has
    /// none, and the file read again on every request; an unknown target prefix is refused.
    func testServiceQuotasAreAnsweredFromTheQuotasFileAsItIsNow() throws {
        let dir = try TemporaryDirectory("aws-json-emulator")
        defer { dir.remove() }
        let quotas = try dir.write("quotas.json", #"{"ec2/L-1216C47A": {"name": "vCPUs", "value": 32, "default": 5}, "vpc/L-E79EC296": {"default": 2500}}"#)
        let emulator = try AWSJSONEmulator(directory: dir.url, quotas: quotas)
        defer { emulator.stop() }
        let client = """
        import json, sys, urllib.request, urllib.error
        def call(target, body):
            req = urllib.request.Request(sys.argv[1], data=json.dumps(body).encode(), method="POST",
                headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"})
            try:
                with urllib.request.urlopen(req) as r: return json.load(r)["Quota"]["Value"]
            except urllib.error.HTTPError as e: return f"{e.code} {e.headers.get('x-amzn-ErrorType')}"
        def quota(action, service, code):
            return call("ServiceQuotasV20190624." + action, {"ServiceCode": service, "QuotaCode": code})
        print(quota("GetServiceQuota", "ec2", "L-1216C47A"))
        print(quota("GetAWSDefaultServiceQuota", "ec2", "L-1216C47A"))
        print(quota("GetServiceQuota", "vpc", "L-E79EC296"))
        print(quota("GetAWSDefaultServiceQuota", "vpc", "L-E79EC296"))
        open(sys.argv[2], "w").write(json.dumps({"ec2/L-1216C47A": {"value": 64}}))
        print(quota("GetServiceQuota", "ec2", "L-1216C47A"))
        print(call("Unknown20240101.GetServiceQuota", {}))
        """
        let r = try Shell.run("python3", ["-c", client, emulator.endpoint, quotas.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n"), ["32.0", "5.0", "400 NoSuchResourceException", "2500.0", "64.0", "400 UnknownOperationException"],
                       r.stdout + r.stderr)
        XCTAssertTrue(emulator.logLines.contains("GetServiceQuota ec2/L-1216C47A"), "\(emulator.logLines)")
    }

    /// The log is one line per request even when the provider asks many quotas at once
    /// (Terraform's data sources run in parallel): print() wrote text and newline apart and
    /// CI saw "GetAWSDefaultServiceQuota 200GetServiceQuota vpc/L-E79EC296".
    func testConcurrentRequestsLogWholeLines() throws {
        let dir = try TemporaryDirectory("aws-json-emulator-log")
        defer { dir.remove() }
        let quotas = try dir.write("quotas.json", #"{"ec2/L-1216C47A": {"value": 32}}"#)
        let emulator = try AWSJSONEmulator(directory: dir.url, quotas: quotas)
        defer { emulator.stop() }
        let client = """
        import json, sys, threading, urllib.request, urllib.error
        answered = []
        def call(i):
            code = "L-1216C47A" if i % 2 else f"L-MISSING{i}"
            req = urllib.request.Request(sys.argv[1], data=json.dumps({"ServiceCode": "ec2", "QuotaCode": code}).encode(),
                method="POST", headers={"X-Amz-Target": "ServiceQuotasV20190624.GetServiceQuota"})
            try: urllib.request.urlopen(req).read(); answered.append(i)
            except urllib.error.HTTPError: answered.append(i)
        def worker(w):  # 8 at a time, like the provider's parallel data sources
            for i in range(w, 200, 8): call(i)
        threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
        [t.start() for t in threads]; [t.join() for t in threads]
        print(len(answered))
        """
        let r = try Shell.run("python3", ["-c", client, emulator.endpoint])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "200", "every request answered: \(r.stderr)")
        let lines = emulator.logLines.filter { !$0.hasPrefix("listening") }
        XCTAssertEqual(lines.count, 400, "one request line and one answer line per request")
        let whole = try NSRegularExpression(pattern: #"^GetServiceQuota (ec2/L-[0-9A-Z]+|200|400 NoSuchResourceException: [^\n]*ec2/L-MISSING[0-9]+)$"#)
        let broken = lines.filter { whole.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) == nil }
        XCTAssertEqual(broken, [], "every line is one whole entry")
    }
}
