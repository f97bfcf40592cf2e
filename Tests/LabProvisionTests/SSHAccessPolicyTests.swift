import XCTest
@testable import LabProvision

final class SSHAccessPolicyTests: XCTestCase {
    func testARoomRangeIsDeployed() throws {
        XCTAssertEqual(try SSHAccessPolicy.decide(session: "s1", file: "sessions/s1.tfvars", cidrs: ["203.0.113.0/24"], sshFromAnywhere: false),
                       .restricted(["203.0.113.0/24"]))
    }

    func testNoRangeIsRefusedWithTheWayToGiveOne() {
        for anywhere in [false, true] {
            XCTAssertThrowsError(try SSHAccessPolicy.decide(session: "s1", file: "sessions/s1.tfvars", cidrs: [], sshFromAnywhere: anywhere)) {
                let text = "\($0)"
                XCTAssertEqual($0 as? SSHAccessRefusal, .noRange(session: "s1", file: "sessions/s1.tfvars"))
                for fragment in ["session s1", "no SSH source range", "allowed_ssh_cidrs", "--ssh-from"] {
                    XCTAssertTrue(text.contains(fragment), "\(fragment) missing in: \(text)")
                }
            }
        }
    }

    func testOpenToEveryoneNeedsTheFlag() throws {
        XCTAssertThrowsError(try SSHAccessPolicy.decide(session: "s1", file: "f", cidrs: ["198.51.100.0/24", "0.0.0.0/0"], sshFromAnywhere: false)) {
            XCTAssertTrue("\($0)".contains("--ssh-from-anywhere"), "\($0)")
            XCTAssertTrue("\($0)".contains("session s1"), "\($0)")
        }
        XCTAssertEqual(try SSHAccessPolicy.decide(session: "s1", file: "f", cidrs: ["::/0"], sshFromAnywhere: true), .openAccepted(["::/0"]))
    }
}
