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

    /// Worked by hand: 3 participants, t3.medium master + 2 × t3.small workers, unlimited (the default).
    /// Each has 2 vCPUs at a 20 % baseline: 1.6 surplus vCPU-hours per hour at full load,
    /// × $0.05 = $0.08/h per node, $0.24/h per cluster, $0.72/h for the session.
    func testUnlimitedCreditsAddTheirWorstCaseSurplus() throws {
        var config = SessionConfig(sessionName: "s1")
        config.workerCount = 2
        let e = try CostModel.estimate(session: config, participants: 3, rootVolumeGB: 30, prices: .euWest1)
        XCTAssertEqual(e.cpuCredits.mode, "unlimited", "unlimited credits by default: nodes bootstrap at full speed")
        XCTAssertTrue(e.cpuCredits.applies)
        XCTAssertEqual(e.cpuCredits.surplusUSDPerVCPUHour, 0.05)
        XCTAssertEqual(e.cpuCredits.maxSurplusPerParticipantHour, 0.24, accuracy: 1e-9)
        XCTAssertEqual(e.cpuCredits.maxSurplusPerSessionHour, 0.72, accuracy: 1e-9)
        XCTAssertEqual(e.worstCaseSessionHour, e.perSessionHour.total + 0.72, accuracy: 1e-9)
        XCTAssertEqual(e.perSessionHour.total, 3 * (0.0912 + 90 * 0.088 / 730 + 0.015), accuracy: 1e-9, "the on-demand estimate is unchanged")
        for text in ["unlimited", "full speed", "$0.05 per vCPU-hour", "$0.24/h per cluster", "$0.72/h for the session", "$5.76 per 8-hour day"] {
            XCTAssertTrue(e.cpuCredits.note.contains(text), "\(text) missing from: \(e.cpuCredits.note)")
        }
        let json = String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
        XCTAssertTrue(json.contains("\"max_surplus_per_session_hour\":0.72"), json)
    }

    func testStandardCreditsBillNoSurplusAndSayWhatTheBootstrapLoses() throws {
        var config = SessionConfig(sessionName: "s1")
        config.cpuCredits = "standard"
        let e = try CostModel.estimate(session: config, participants: 2, prices: .euWest1)
        XCTAssertEqual(e.cpuCredits.maxSurplusPerSessionHour, 0)
        XCTAssertEqual(e.worstCaseSessionHour, e.perSessionHour.total)
        XCTAssertTrue(e.cpuCredits.note.contains("no surplus charges"), e.cpuCredits.note)
        XCTAssertTrue(e.cpuCredits.note.contains("bootstraps at its baseline"), e.cpuCredits.note)
        // What unlimited would add: 2 clusters × (t3.medium + t3.small) × $0.08/h = $0.32/h.
        XCTAssertTrue(e.cpuCredits.note.contains("at most $0.32/h"), e.cpuCredits.note)
    }

    func testNonBurstableTypesHaveNoCreditMode() throws {
        var config = SessionConfig(sessionName: "s1")
        config.masterInstanceType = "m5.large"
        config.workerInstanceType = "m5.large"
        let e = try CostModel.estimate(session: config, participants: 1, prices: .euWest1)
        XCTAssertFalse(e.cpuCredits.applies)
        XCTAssertEqual(e.cpuCredits.maxSurplusPerSessionHour, 0)
        let json = String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
        XCTAssertTrue(json.contains("\"cpu_credits\""), json)
    }

    /// vCPUs and baselines differ by size; t2.xlarge: 4 vCPUs at 22.5 % → 3.1 vCPU-h/h.
    func testSurplusFollowsEachTypesBaseline() throws {
        XCTAssertEqual(BurstableBaseline.of("t3.2xlarge")?.maxSurplusVCPUHoursPerHour ?? 0, 4.8, accuracy: 1e-9)
        XCTAssertEqual(BurstableBaseline.of("t3a.micro")?.maxSurplusVCPUHoursPerHour ?? 0, 1.8, accuracy: 1e-9)
        XCTAssertEqual(BurstableBaseline.of("t2.xlarge")?.maxSurplusVCPUHoursPerHour ?? 0, 3.1, accuracy: 1e-9)
        XCTAssertNil(BurstableBaseline.of("m5.large"))
        var prices = PriceTable.euWest1
        prices.instances["t3.9xhuge"] = 1
        var config = SessionConfig(sessionName: "s1")
        config.workerInstanceType = "t3.9xhuge"
        XCTAssertThrowsError(try CostModel.estimate(session: config, participants: 1, prices: prices)) {
            XCTAssertTrue("\($0)".contains("t3.9xhuge"), "\($0)")
        }
    }

    func testAPricesFileMayNameTheSurplusPrice() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = #"{"region": "r", "instances": {"t3.medium": 0.05, "t3.small": 0.025}, "gp3_gb_month": 0.1, "public_ipv4_hour": 0.005, "nat_gateway_hour": 0.05"#
        let old = dir.appendingPathComponent("old.json"), new = dir.appendingPathComponent("new.json")
        try Data((base + "}").utf8).write(to: old)
        try Data((base + #", "surplus_vcpu_hour": 0.04}"#).utf8).write(to: new)
        XCTAssertEqual(try PriceTable.load(from: old).surplusVCPUHour, 0.05, "files without it keep working")
        let prices = try PriceTable.load(from: new)
        XCTAssertEqual(prices.surplusVCPUHour, 0.04)
        let e = try CostModel.estimate(session: SessionConfig(sessionName: "s1"), participants: 1, prices: prices)
        XCTAssertEqual(e.cpuCredits.maxSurplusPerSessionHour, 2 * 1.6 * 0.04, accuracy: 1e-9)
    }
}
