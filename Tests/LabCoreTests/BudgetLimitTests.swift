import XCTest
@testable import LabCore

/// The monthly limit of a session's AWS Budget; every expected value worked out by hand.
final class BudgetLimitTests: XCTestCase {
    let start = ISO8601DateFormatter().date(from: "2099-06-01T09:00:00Z")!

    func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func testEstimateCountsThePlannedHoursTimesTheMargin() {
        // 8 h at $0.4256/h = $3.4048, × 1.5 = $5.1072 → $6 (whole dollars, rounded up).
        let limit = BudgetLimit.estimated(hourlyUSD: 0.4256, from: start, until: at("2099-06-01T17:00:00Z"))
        XCTAssertEqual(limit.usd, 6)
        XCTAssertEqual(limit.plannedHours, 8)
        XCTAssertEqual(limit.basis, .estimate)
        XCTAssertEqual(limit.summary, "$6/month (estimate $0.4256/h × 8 h × 1.5)")
    }

    func testTheCreditsWorstCaseIsNamedInTheSummary() {
        // $0.75/h of which $0.32/h is worst-case CPU surplus: 8 h × 1.5 = $9.
        let limit = BudgetLimit.estimated(hourlyUSD: 0.75, cpuSurplus: 0.32, from: start, until: at("2099-06-01T17:00:00Z"))
        XCTAssertEqual(limit.usd, 9)
        XCTAssertEqual(limit.summary, "$9/month (estimate $0.7500/h with up to $0.3200/h CPU surplus × 8 h × 1.5)")
    }

    func testAStartedHourCountsAsAWholeOne() {
        // 8 h 30 min → 9 h: $1 × 9 × 1.5 = $13.5 → $14.
        let limit = BudgetLimit.estimated(hourlyUSD: 1, from: start, until: at("2099-06-01T17:30:00Z"))
        XCTAssertEqual(limit.plannedHours, 9)
        XCTAssertEqual(limit.usd, 14)
    }

    func testFloatingPointDustAddsNoDollar() {
        // 0.56 × 25 × 1.5 is 21.000000000000004 in binary floating point; the limit is $21.
        XCTAssertEqual(BudgetLimit.estimated(hourlyUSD: 0.56, from: start, until: start.addingTimeInterval(25 * 3600)).usd, 21)
    }

    func testNoEndOrARunLongerThanAMonthCountsOneMonth() {
        // Budgets reset monthly: 730 h. $0.1 × 730 × 1.5 = $109.5 → $110.
        XCTAssertEqual(BudgetLimit.estimated(hourlyUSD: 0.1, from: start, until: nil).plannedHours, 730)
        XCTAssertEqual(BudgetLimit.estimated(hourlyUSD: 0.1, from: start, until: nil).usd, 110)
        XCTAssertEqual(BudgetLimit.estimated(hourlyUSD: 0.1, from: start, until: start.addingTimeInterval(60 * 86400)).plannedHours, 730)
    }

    func testNothingToPayStillGivesTheSmallestBudgetAWSTakes() {
        XCTAssertEqual(BudgetLimit.estimated(hourlyUSD: 0, from: start, until: at("2099-06-01T17:00:00Z")).usd, 1)
        // An end already past (apply refuses that, but the arithmetic must not go negative).
        XCTAssertEqual(BudgetLimit.estimated(hourlyUSD: 2, from: start, until: start.addingTimeInterval(-3600)).plannedHours, 1)
    }

    func testAFixedBudgetIsRoundedUpToWholeDollars() {
        XCTAssertEqual(BudgetLimit.fixed(49.5).usd, 50)
        XCTAssertEqual(BudgetLimit.fixed(150).usd, 150)
        XCTAssertEqual(BudgetLimit.fixed(150).basis, .fixed)
        XCTAssertEqual(BudgetLimit.fixed(150).summary, "$150/month (budget_usd)")
    }
}
