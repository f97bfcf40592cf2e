import LabCore
import LabSheets
import XCTest

/// The sheets list the verifier's typed checks in the order the verifier runs them.
final class ReadinessCheckTests: XCTestCase {
    func testChecksAreListedInTheVerifiersOrderWithReasons() {
        var set = CheckSet()
        set[.kubeadm] = .fail("init failed")
        set[.tcp] = .pass("connected")
        set[.cloudInit] = .pending("modules-final")
        let checks = ReadinessCheck.list(set)
        XCTAssertEqual(checks.map(\.name), ["tcp", "hostkey", "auth", "participant-key", "cloud-init", "kubeadm"])
        XCTAssertEqual(checks.first, ReadinessCheck(name: "tcp", status: "pass", detail: "connected"))
        XCTAssertEqual(checks.last, ReadinessCheck(name: "kubeadm", status: "fail", detail: "init failed"))
        XCTAssertEqual(checks[4], ReadinessCheck(name: "cloud-init", status: "pending", detail: "modules-final"))
        XCTAssertEqual(checks[1].status, "skipped", "a check never run is shown as skipped, not as passed")
        XCTAssertEqual(checks.map(\.passed), [true, false, false, false, false, false])
    }
}
