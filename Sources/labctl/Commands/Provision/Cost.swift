import ArgumentParser
import Foundation
import LabCore
import LabWorkflows

/// `labctl cost [session…]`.
struct Cost: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate what sessions cost per participant and per session, per hour and per 8-hour day.",
        discussion: """
        Counts instances, gp3 root volumes and public IPv4 addresses (each public address is
        charged per hour), and says what the cpu_credits mode costs: with "unlimited" (the
        default) the most surplus CPU credits can add, which the AWS Budget counts.
        Prices: eu-west-1 on-demand defaults, or --prices FILE (JSON).
          labctl cost
          labctl cost session-1 --hours 24 --json
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Sessions (default: all in sessions/).") var sessions: [String] = []
    @Option(help: "Also show the cost of running this many hours.") var hours: Double = 8
    @Option(help: ArgumentHelp("A price table JSON file.", valueName: "file")) var prices: String?
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        var estimate: CostEstimate
        var hours: Double
        var for_hours: Double
        var per_day_8h: Double
        /// The AWS Budget an apply gives the session now (see `SessionBudget`); nil without a registry.
        var budget: BudgetRow?
    }

    struct BudgetRow: Encodable {
        var name: String
        var limit_usd: Int
        var basis: String
        var hourly_usd: Double?
        var planned_hours: Int?
        var cpu_surplus_hourly_usd: Double?
        var notify: [String]
        var summary: String

        init(_ plan: SessionBudget.Plan) {
            name = plan.name
            limit_usd = plan.limit.usd
            basis = plan.limit.basis.rawValue
            hourly_usd = plan.limit.hourlyUSD
            planned_hours = plan.limit.plannedHours
            cpu_surplus_hourly_usd = plan.limit.cpuSurplusHourlyUSD
            notify = plan.notify
            summary = plan.limit.summary
        }
    }

    func run() throws {
        let lab = global.lab
        let table = try prices.map { try PriceTable.load(from: URL(fileURLWithPath: $0)) } ?? .euWest1
        let names = sessions.isEmpty ? lab.files.configuredSessions() : sessions
        let registry = try lab.existingRegistry()
        let rows = try names.map { s -> Row in
            let e = try SessionCost.estimate(s, files: lab.files, registry: registry, prices: table)
            let budget = try registry.map { try SessionBudget.plan(s, files: lab.files, registry: $0, prices: table) }
            return Row(estimate: e, hours: hours, for_hours: e.perSessionHour.total * hours, per_day_8h: e.perSessionHour.total * 8,
                       budget: budget.map(BudgetRow.init))
        }
        if json { return try JSONOutput.print(rows) }
        let usd = SessionCost.usd
        print(TextTable(header: ["SESSION", "PARTICIPANTS", "NODES", "PER PARTICIPANT/H", "SESSION/H", "8H DAY", "\(Int(hours))H", "ORIGINAL EST./H"]).render(rows.map {
            [$0.estimate.session, String($0.estimate.participants), "\($0.estimate.nodesPerCluster)/cluster",
             usd($0.estimate.perParticipantHour.total), usd($0.estimate.perSessionHour.total), usd($0.per_day_8h),
             usd($0.for_hours), usd($0.estimate.originalEstimateHour)]
        }))
        for row in rows { print("\(row.estimate.session): \(row.estimate.cpuCredits.note)") }
        for row in rows {
            guard let b = row.budget else { continue }
            let who = b.notify.isEmpty ? "notifies nobody (no trainer_email)" : "notifies \(b.notify.joined(separator: ", ")) at 80 % and 100 % of actual spend"
            print("\(row.estimate.session): AWS Budget \(b.summary), \(who)")
        }
        print("Prices: \(table.region) on-demand (instances, gp3 storage, public IPv4 per address-hour), surplus CPU credits \(String(format: "$%.3g", table.surplusVCPUHour)) per vCPU-hour; no NAT gateways. Data transfer not included.")
    }
}
