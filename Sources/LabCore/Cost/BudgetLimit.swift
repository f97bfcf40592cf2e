import Foundation

/// The monthly limit of a session's AWS Budget (terraform/session/budget.tf).
///
/// From the estimate: what the session is planned to cost — its estimated USD per hour,
/// with the most surplus CPU credits can add in `unlimited` mode (`CPUCreditMode`), for
/// the hours from its first apply to its end + grace (when every instance switches
/// itself off) — times `margin`. The margin is there because the estimate counts only
/// instances, root volumes, public addresses and the credits' worst case: data transfer,
/// snapshots and load balancers or volumes made from inside a cluster are not in it, and
/// AWS bills by the second with a minimum. At 1.5 the 80 % notification fires when the
/// real spend passes 1.2 × the plan (something runs that should not, or runs longer), and
/// the 100 % one at 1.5 × the plan.
/// AWS Budgets reset every month, so a planned run longer than a month (or a session with
/// no end) counts one month of hours. Whole dollars, at least $1 (AWS refuses 0).
public struct BudgetLimit: Equatable, Sendable, Encodable {
    public enum Basis: String, Sendable, Encodable {
        /// The cost estimate × margin.
        case estimate
        /// `budget_usd` in the session's tfvars.
        case fixed = "budget_usd"
    }

    public static let margin = 1.5

    public var usd: Int
    public var basis: Basis
    /// For `.estimate`: the session's estimated USD per hour (with `cpuSurplusHourlyUSD`) and the hours counted.
    public var hourlyUSD: Double?
    public var plannedHours: Int?
    /// For `.estimate`: the part of `hourlyUSD` that is the credits' worst case (0: none).
    public var cpuSurplusHourlyUSD: Double?

    /// `hourly` USD (which includes `cpuSurplus` USD of worst-case surplus credits) for the
    /// hours from `start` to `shutdown` (no shutdown: a month).
    public static func estimated(hourlyUSD hourly: Double, cpuSurplus: Double = 0, from start: Date, until shutdown: Date?) -> BudgetLimit {
        let month = Int(CostModel.hoursPerMonth)
        let hours = shutdown.map { min(month, max(1, Int(($0.timeIntervalSince(start) / 3600).rounded(.up)))) } ?? month
        // Cents first, so that floating-point dust (12.000000001) does not add a dollar.
        let cents = (hourly * Double(hours) * margin * 100).rounded()
        return BudgetLimit(usd: max(1, Int((cents / 100).rounded(.up))), basis: .estimate, hourlyUSD: hourly, plannedHours: hours,
                           cpuSurplusHourlyUSD: cpuSurplus)
    }

    /// A limit the trainer set (`budget_usd`), rounded up to whole dollars.
    public static func fixed(_ usd: Double) -> BudgetLimit {
        BudgetLimit(usd: max(1, Int(usd.rounded(.up))), basis: .fixed, hourlyUSD: nil, plannedHours: nil, cpuSurplusHourlyUSD: nil)
    }

    /// "$45/month (estimate $0.4256/h × 70 h × 1.5)", "$98/month (estimate $0.9056/h with up to
    /// $0.4800/h CPU surplus × 70 h × 1.5)" or "$200/month (budget_usd)".
    public var summary: String {
        switch basis {
        case .fixed: return "$\(usd)/month (budget_usd)"
        case .estimate:
            let surplus = (cpuSurplusHourlyUSD ?? 0) > 0 ? " with up to \(String(format: "$%.4f", cpuSurplusHourlyUSD ?? 0))/h CPU surplus" : ""
            return "$\(usd)/month (estimate \(String(format: "$%.4f", hourlyUSD ?? 0))/h\(surplus) × \(plannedHours ?? 0) h × \(Self.margin))"
        }
    }

    enum CodingKeys: String, CodingKey {
        case usd = "limit_usd", basis, hourlyUSD = "hourly_usd", plannedHours = "planned_hours"
        case cpuSurplusHourlyUSD = "cpu_surplus_hourly_usd"
    }
}
