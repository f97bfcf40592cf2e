import LabCore
import XCTest

/// One rule for e-mail addresses: what intake stores, the mailer can send.
final class EmailAddressTests: XCTestCase {
    func testPlainAddressesAreKeptTrimmed() throws {
        XCTAssertEqual(try EmailAddress("  jane.doe+lab@example.org ").value, "jane.doe+lab@example.org")
        XCTAssertEqual(try EmailAddress("a@b.co").domain, "b.co")
        XCTAssertNil(try EmailAddress.optional("   "))
        XCTAssertNil(try EmailAddress.optional(nil))
    }

    /// Each of these was accepted by the join form before and refused later by the mailer,
    /// or would put a header or an SMTP command at risk.
    func testAddressesTheMailerCannotSendAreRefusedAtTheDoor() {
        for bad in ["jane@localhost", "zoë@example.org", "jane@example.org.", "jane@.example.org", "jane@exa..mple.org",
                    "a@b@c.org", "@example.org", "jane doe@example.org", "jane@example.org\r\nBcc: x@y.org",
                    "\"jane\"@example.org", "jane(at)@example.org", "<jane@example.org>", String(repeating: "a", count: 250) + "@x.org"] {
            XCTAssertThrowsError(try EmailAddress(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("jane@example.org") || "\(error)".contains("e-mail"), "\(error)")
            }
        }
    }
}
