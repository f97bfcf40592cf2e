import Foundation
import LabCore
import LabWorkflows
import XCTest

/// The pieces of the lifetime use cases that need no AWS: where a session stands
/// against its end, and rewriting session_end in a tfvars file a trainer wrote.
final class LifetimeWorkflowTests: XCTestCase {
    let end = SessionEnd.parse("2026-12-04T16:00:00Z")!

    func testStandingAroundTheEndAndTheGrace() {
        let lifetime = SessionLifetime(end: end, grace: 7200)
        func at(_ offset: TimeInterval) -> SessionEndPolicy.Standing { SessionEndPolicy.standing(lifetime, now: end.date.addingTimeInterval(offset)) }
        XCTAssertEqual(at(-7200), .running(left: 7200))
        XCTAssertEqual(at(-1800), .endingSoon(left: 1800))
        XCTAssertEqual(at(600), .ended(ago: 600, reapable: false))
        XCTAssertEqual(at(7200), .ended(ago: 7200, reapable: true))
        XCTAssertEqual(SessionEndPolicy.standing(lifetime, now: end.date.addingTimeInterval(1800), grace: 900), .ended(ago: 1800, reapable: true))
        XCTAssertEqual(SessionEndPolicy.standing(SessionLifetime(), now: end.date), .noEnd)
        XCTAssertEqual(SessionEndPolicy.describe(at(-(3 * 3600 + 20 * 60))), "3h 20m left")
        XCTAssertEqual(SessionEndPolicy.describe(at(7200)), "ended 2h 0m ago, due for reaping")
    }

    func testSettingTheEndReplacesOnlyItsLineOrAppendsIt() {
        let new = SessionEnd.parse("2026-12-05 17:00 Europe/Berlin")!
        let text = "# session_end is below\nsession_name = \"s\"\n  session_end   = \"2026-12-04T17:00:00+01:00\" # Friday\nsession_end_note = \"x\"\n"
        XCTAssertEqual(ExtendSession.settingEnd(in: text, to: new),
                       "# session_end is below\nsession_name = \"s\"\nsession_end = \"2026-12-05 17:00 Europe/Berlin\" # Saturday 5 December 2026, 17:00 CET\nsession_end_note = \"x\"\n")
        XCTAssertEqual(ExtendSession.settingEnd(in: "session_name = \"s\"", to: new),
                       "session_name = \"s\"\nsession_end = \"2026-12-05 17:00 Europe/Berlin\" # Saturday 5 December 2026, 17:00 CET\n")
    }
}
