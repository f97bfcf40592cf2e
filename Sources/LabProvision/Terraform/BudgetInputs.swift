import Foundation

/// The session's AWS Budget as labctl hands it to Terraform (terraform/session/budget.tf):
/// the monthly cost limit and who is notified. labctl works the limit out (the cost
/// estimate needs the registry's participant count), Terraform only creates it.
public struct BudgetInputs: Sendable, Equatable {
    /// Monthly COST limit in USD (whole dollars).
    public var limitUSD: Int
    /// Addresses notified at 80 % and 100 % of the limit (actual spend); empty: none.
    public var notify: [String]

    public init(limitUSD: Int, notify: [String]) {
        self.limitUSD = limitUSD
        self.notify = notify
    }

    /// `budget = { limit_usd, notify }`; without one (nil) Terraform's default, null, makes no budget.
    var variables: [String: Any] {
        ["budget": ["limit_usd": limitUSD, "notify": notify] as [String: Any]]
    }
}
