import Foundation
import LabCore
import LabProvision
import LabStore

/// The AWS Budget every applied session gets (terraform/session/budget.tf): a monthly
/// COST limit filtered on the session's `Session` tag, notifying the trainer
/// (`trainer_email`) at 80 % and 100 % of actual spend. `apply`, `rebuild` and `extend`
/// hand it to Terraform; `labctl cost` shows it.
public enum SessionBudget {
    public static let budgetKey = "budget_usd"

    public struct Plan: Sendable, Encodable, Equatable {
        public var session: String
        public var limit: BudgetLimit
        /// Who is notified; empty when the tfvars have no trainer_email.
        public var notify: [String]
        /// The name AWS knows the budget by (unique in the account).
        public var name: String
        public var warnings: [String]

        public var inputs: BudgetInputs { BudgetInputs(limitUSD: limit.usd, notify: notify) }
    }

    /// The budget `session` gets when it is applied now.
    public static func plan(_ session: String, files: LabFiles, registry: Registry, now: Date = Date(),
                            prices: PriceTable = .euWest1) throws -> Plan {
        let config = try files.sessionConfig(session)
        let file = files.display(files.sessionFile(session))
        let limit: BudgetLimit
        if let raw = config.values[budgetKey], raw != .null {
            guard case .number(let usd) = raw, usd > 0 else {
                throw WorkflowError.usage("\(file): budget_usd must be a number of US dollars above 0 (the session's monthly AWS Budget), e.g. budget_usd = 150; or remove it to use the cost estimate × \(BudgetLimit.margin).")
            }
            limit = .fixed(usd)
        } else {
            let estimate: CostEstimate
            do { estimate = try SessionCost.estimate(session, files: files, registry: registry, prices: prices) } catch {
                throw WorkflowError.usage("\(session)'s budget cannot be worked out: \(error)\n  Or set its monthly limit yourself: budget_usd = <dollars> in \(file).")
            }
            // The plan starts at the first apply, so that later applies keep the limit.
            let start = try registry.applyStarts(session: session).first.map { min($0, now) } ?? now
            // With the credits' worst case: a class that keeps its nodes busy is no alarm.
            limit = .estimated(hourlyUSD: estimate.worstCaseSessionHour, cpuSurplus: estimate.cpuCredits.maxSurplusPerSessionHour,
                               from: start, until: config.lifetime.shutdownAt)
        }
        var notify: [String] = []
        var warnings: [String] = []
        let trainer = config.values[SheetInputs.tfvarsKeys.trainerEmail]?.stringValue
        do {
            if let address = try EmailAddress.optional(trainer) { notify = [address.value] }
        } catch {
            throw WorkflowError.usage("\(file): trainer_email: \(error) The session's AWS Budget notifies that address.")
        }
        if notify.isEmpty {
            warnings.append("\(session): no trainer_email in \(file), so the session's AWS Budget (\(limit.summary)) notifies nobody; add trainer_email = \"you@example.org\" and apply again.")
        }
        let project = config.values["project"]?.stringValue ?? SweepOrphans.defaultProject
        return Plan(session: session, limit: limit, notify: notify, name: AWSNames.session(lab: try registry.labID(), project: project, session: session),
                    warnings: warnings)
    }
}
