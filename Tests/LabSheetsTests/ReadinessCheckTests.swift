import LabSheets
import XCTest

/// The verifier's stored checks, in the shapes `labctl verify --json` has used.
final class ReadinessCheckTests: XCTestCase {
    func testArrayOfChecksKeepsOrderAndReasons() {
        let checks = ReadinessCheck.parse(json: #"[{"name":"tcp","status":"pass","reason":"ok"},{"name":"kubeadm","status":"fail","reason":"init failed"}]"#)
        XCTAssertEqual(checks, [ReadinessCheck(name: "tcp", status: "pass", detail: "ok"),
                                ReadinessCheck(name: "kubeadm", status: "fail", detail: "init failed")])
        XCTAssertEqual(checks.map(\.passed), [true, false])
    }

    func testObjectShapes() {
        XCTAssertEqual(ReadinessCheck.parse(json: #"{"tcp":true,"auth":{"status":"pending","reason":"waiting"},"kubeadm":"fail"}"#),
                       [ReadinessCheck(name: "auth", status: "pending", detail: "waiting"),
                        ReadinessCheck(name: "kubeadm", status: "fail"), ReadinessCheck(name: "tcp", status: "pass")])
    }

    func testUnreadableJSONGivesNoChecks() {
        XCTAssertEqual(ReadinessCheck.parse(json: "not json"), [])
        XCTAssertEqual(ReadinessCheck.parse(json: "42"), [])
    }
}
