import XCTest
@testable import LabCore

final class CostModelTests: XCTestCase {
    /// Worked by hand: 3 participants, t3.medium master + 2 × t3.small, 30 GB each.
    func testEstimateCountsInstancesStorageAndPublicAddresses() throws {
        var config = SessionConfig(sessionName: "s1")
        config.workerCount = 2
        let e = try CostModel.estimate(session: config, participants: 3, rootVolumeGB: 30, prices: .euWest1)
        XCTAssertEqual(e.perParticipantHour.instances, 0.0456 + 2 * 0.0228, accuracy: 1e-9)
        XCTAssertEqual(e.perParticipantHour.storage, 90 * 0.088 / 730, accuracy: 1e-9)
        XCTAssertEqual(e.perParticipantHour.publicIPv4, 0.015, accuracy: 1e-9)
        XCTAssertEqual(e.perSessionHour.total, 3 * (0.0912 + 90 * 0.088 / 730 + 0.015), accuracy: 1e-9)
        XCTAssertEqual(e.originalEstimateHour, 3 * 0.0912 + 2 * 0.048, accuracy: 1e-9)
        XCTAssertEqual(e.perSessionHour.natGateways, 0)
    }

    func testUnknownInstanceTypeNamesTheFix() {
        var config = SessionConfig(sessionName: "s1")
        config.masterInstanceType = "x9.huge"
        XCTAssertThrowsError(try CostModel.estimate(session: config, participants: 1, prices: .euWest1)) {
            XCTAssertTrue("\($0)".contains("x9.huge"))
            XCTAssertTrue("\($0)".contains("--prices"))
        }
    }

    func testEstimateSaysWhichCreditModeApplies() throws {
        var config = SessionConfig(sessionName: "s1")
        var e = try CostModel.estimate(session: config, participants: 1, prices: .euWest1)
        XCTAssertEqual(e.cpuCredits.mode, "standard", "standard credits by default")
        XCTAssertTrue(e.cpuCredits.applies)
        XCTAssertTrue(e.cpuCredits.note.contains("no surplus charges"), e.cpuCredits.note)
        config.cpuCredits = "unlimited"
        e = try CostModel.estimate(session: config, participants: 1, prices: .euWest1)
        XCTAssertTrue(e.cpuCredits.note.contains("not in this estimate"), e.cpuCredits.note)
        config.masterInstanceType = "m5.large"
        config.workerInstanceType = "m5.large"
        e = try CostModel.estimate(session: config, participants: 1, prices: .euWest1)
        XCTAssertFalse(e.cpuCredits.applies)
        let json = String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
        XCTAssertTrue(json.contains("\"cpu_credits\""), json)
    }
}
