import Foundation
import LabCore
import LabRehearsal
import LabTestSupport
import XCTest

/// `labctl demo --emulator-only`: the documented way to start the rehearsal's emulator for
/// one's own rehearsal. Its printed environment reaches moto (EC2) and the Budgets stand-in
/// (the calls moto lacks answer), and SIGTERM stops both.
final class EmulatorOnlyTests: XCTestCase {
    func testThePrintedEnvironmentReachesEC2AndBudgetsAndSIGTERMStopsBoth() throws {
        let dir = try TemporaryDirectory("emulator-only")
        defer { dir.remove() }
        let labctl = try ChildProcess(LabctlBinary.path, ["demo", "--emulator-only", "--dir", dir.file("emu").path],
                                      output: .capture, error: .capture, registry: nil)
        defer { labctl.stop() }
        let printed = labctl.waitForOutput(timeout: 90) { $0.contains("AWS_SECRET_ACCESS_KEY=") && $0.hasSuffix("\n") ? $0 : nil }
        let text = try XCTUnwrap(printed, "no environment printed: \(labctl.stdout) \(labctl.stderr)")
        var env = ProcessInfo.processInfo.environment
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst(7).split(separator: "=", maxSplits: 1)
            env[String(pair[0])] = String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        for key in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BUDGETS"] {
            XCTAssertTrue(env[key]?.hasPrefix("http://127.0.0.1:") == true, "\(key): \(env[key] ?? "-")")
        }
        // DescribeSubscribersForNotification is one of the calls moto lacks (the provider's hang).
        let probe = try Shell.run("python3", ["-c", """
            import boto3
            ec2 = boto3.client("ec2")
            print(len(ec2.describe_images(Owners=["099720109477"])["Images"]) > 0)
            b = boto3.client("budgets", region_name="us-east-1")
            b.create_budget(AccountId="123456789012", Budget={"BudgetName": "x", "BudgetLimit": {"Amount": "5", "Unit": "USD"},
                            "TimeUnit": "MONTHLY", "BudgetType": "COST"},
                            NotificationsWithSubscribers=[{"Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80},
                                                           "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "t@example.org"}]}])
            n = b.describe_notifications_for_budget(AccountId="123456789012", BudgetName="x")["Notifications"][0]
            print(len(b.describe_subscribers_for_notification(AccountId="123456789012", BudgetName="x", Notification=n)["Subscribers"]))
            """], environment: env)
        XCTAssertEqual(probe.status, 0, probe.stderr)
        XCTAssertEqual(probe.stdout.split(separator: "\n"), ["True", "1"], probe.stdout + probe.stderr)
        labctl.signalGroup(SIGTERM)
        XCTAssertEqual(labctl.waitUntilExit(timeout: 30), .exited(0), labctl.stderr)
        for key in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BUDGETS"] {
            let port = Int(env[key]!.split(separator: ":").last!)!
            XCTAssertFalse(FreePort.canConnect(port: port), "\(key) still answers after SIGTERM")
        }
    }
}
