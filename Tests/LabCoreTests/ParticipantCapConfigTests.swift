import LabCore
import XCTest

/// `max_participants` in a session's tfvars (issue 23).
final class ParticipantCapConfigTests: XCTestCase {
    func testTheCapIsReadDefaultsToFiftyAndAnOutOfRangeValueNamesFileAndLine() throws {
        XCTAssertEqual(try SessionConfig.parse("session_name = \"s\"\nmax_participants = 25\n", file: "s.tfvars", expectedSession: "s").maxParticipants, 25)
        XCTAssertEqual(try SessionConfig.parse("session_name = \"s\"\n", file: "s.tfvars", expectedSession: "s").maxParticipants, 50)
        for bad in ["0", "1001", "\"many\"", "2.5"] {
            XCTAssertThrowsError(try SessionConfig.parse("session_name = \"s\"\nmax_participants = \(bad)\n", file: "s.tfvars", expectedSession: "s")) {
                XCTAssertEqual("\($0)", "s.tfvars:2: max_participants must be a whole number from 1 to 1000.")
            }
        }
    }

    func testTheTemplateWritesTheCapWithItsCommentAndReadsBack() throws {
        let text = SessionConfigTemplate.render(session: "s", workers: 1, masterType: "t3.medium", workerType: "t3.small",
                                                region: "eu-west-1", sshFrom: ["203.0.113.0/24"], date: "2026-12-01", maxParticipants: 30)
        XCTAssertTrue(text.contains("max_participants = 30"), text)
        XCTAssertTrue(text.contains("The default 50 is above"), text)
        XCTAssertEqual(try SessionConfig.parse(text, file: "s.tfvars", expectedSession: "s").maxParticipants, 30)
    }
}
