import Foundation
import LabCore
import XCTest

/// The end of a session as data: the forms a trainer writes, what AWS tags and the
/// timer get, what the sheets say. Expected instants are worked out by hand.
final class SessionEndTests: XCTestCase {
    func utc(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    func testAcceptedFormsAreTheSameInstant() throws {
        for text in ["2026-12-04T17:00:00+01:00", "2026-12-04T17:00+01:00", "2026-12-04 17:00:00+0100",
                     "2026-12-04T16:00:00Z", "2026-12-04 16:00 UTC", "2026-12-04 17:00 Europe/Berlin", "2026-12-04 11:00 America/New_York"] {
            let end = try XCTUnwrap(SessionEnd.parse(text), text)
            XCTAssertEqual(end.date, utc("2026-12-04T16:00:00Z"), text)
            XCTAssertEqual(end.utcRFC3339, "2026-12-04T16:00:00Z", text)
        }
    }

    func testSummerTimeAndTheHumanFormInTheGivenZone() throws {
        let summer = try XCTUnwrap(SessionEnd.parse("2026-07-03 09:30 Europe/Berlin"))
        XCTAssertEqual(summer.utcRFC3339, "2026-07-03T07:30:00Z")
        XCTAssertEqual(summer.human, "Friday 3 July 2026, 09:30 CEST")
        XCTAssertEqual(SessionEnd.parse("2026-12-04 17:00 Europe/Berlin")?.human, "Friday 4 December 2026, 17:00 CET")
        XCTAssertEqual(SessionEnd.parse("2026-12-04T17:00:00+01:00")?.human, "Friday 4 December 2026, 17:00 UTC+01:00")
        XCTAssertEqual(SessionEnd.parse("2026-12-04T16:00:00Z")?.human, "Friday 4 December 2026, 16:00 UTC")
    }

    func testRefusesWhatIsNoPointInTime() {
        for text in ["Friday 4 December 2026, 17:00 CET", "2026-12-04", "2026-12-04 17:00", "2026-02-30 10:00 UTC",
                     "2026-12-04 25:00 UTC", "2026-12-04 17:00 CET", "2026-12-04 17:00 Mars/Olympus", "2026-12-04T17:00:00+15:00",
                     "2026-03-29 02:30 Europe/Berlin" /* skipped by the change to summer time */] {
            XCTAssertNil(SessionEnd.parse(text), text)
        }
    }

    func testTheProblemOfOldFreeTextNamesTheExactReplacement() {
        let message = SessionEnd.problem("Friday 4 December 2026, 17:00 CET")
        XCTAssertTrue(message.contains("session_end = \"2026-12-04 17:00 Europe/Berlin\""), message)
        XCTAssertTrue(message.contains("\"Friday 4 December 2026, 17:00 CET\""), message)
        let unreadable = SessionEnd.problem("end of the week", name: "--until")
        XCTAssertTrue(unreadable.hasPrefix("--until \"end of the week\" is not a point in time"), unreadable)
        XCTAssertTrue(unreadable.contains("2026-12-04T17:00:00+01:00"), unreadable)
    }

    func testSystemdCalendarIsUTC() {
        XCTAssertEqual(SessionEnd.systemdCalendar(utc("2026-12-04T18:00:00Z")), "2026-12-04 18:00:00 UTC")
    }

    func testDurations() {
        XCTAssertEqual(LifetimeDuration.parse("2h"), 7200)
        XCTAssertEqual(LifetimeDuration.parse("1h30m"), 5400)
        XCTAssertEqual(LifetimeDuration.parse("0"), 0)
        XCTAssertEqual(LifetimeDuration.parse("1d"), 86400)
        for bad in ["", "2", "two hours", "2x", "h"] { XCTAssertNil(LifetimeDuration.parse(bad), bad) }
        XCTAssertEqual(LifetimeDuration.format(5400), "1h30m")
        XCTAssertEqual(LifetimeDuration.format(7200), "2h")
    }

    func testTheTfvarsLifetimeKeys() throws {
        var c = try SessionConfig.parse("session_end = \"2026-12-04 17:00 Europe/Berlin\"\nshutdown_grace = \"45m\"\n", file: "s.tfvars", expectedSession: "s")
        XCTAssertEqual(c.lifetime.end?.utcRFC3339, "2026-12-04T16:00:00Z")
        XCTAssertEqual(c.lifetime.shutdownAt, utc("2026-12-04T16:45:00Z"))
        c = try SessionConfig.parse("session_name = \"s\"\n\nsession_end = \"Friday 4 December 2026, 17:00 CET\"\n", file: "s.tfvars", expectedSession: "s")
        XCTAssertNil(c.lifetime.end, "old free text stays readable for the other settings")
        XCTAssertTrue(c.lifetime.endProblem?.hasPrefix("s.tfvars:3: session_end") ?? false, "\(String(describing: c.lifetime.endProblem))")
        XCTAssertEqual(try SessionConfig.parse("", file: "s.tfvars", expectedSession: "s").lifetime.grace, 7200)
        XCTAssertThrowsError(try SessionConfig.parse("shutdown_grace = \"soon\"\n", file: "s.tfvars", expectedSession: "s")) {
            XCTAssertEqual("\($0)", "s.tfvars:1: shutdown_grace must be a duration such as \"2h\" or \"90m\".")
        }
    }
}
