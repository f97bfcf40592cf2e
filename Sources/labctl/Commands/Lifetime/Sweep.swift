import ArgumentParser
import Foundation
import LabCore
import LabWorkflows

/// `labctl sweep`: project-tagged resources nobody accounts for.
struct Sweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List project-tagged AWS resources that belong to no session, no Terraform state, or are past their end.",
        discussion: """
        Reads every resource tagged Project=<project> in the sessions' regions (Resource
        Groups Tagging API, through the data-only stack terraform/sweep) and lists those
        whose session is not registered, that no Terraform state knows (a crashed apply,
        a lost state, a volume or load balancer made from inside a cluster) or whose
        ExpiresAt + grace has passed — grouped by session, with the estimated cost per
        hour and the exact command that deletes each. Deletes nothing.
          labctl sweep
          labctl sweep --json
        Exit 1 if anything is found.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("How long after ExpiresAt a resource counts as expired.", valueName: "duration"))
    var grace = DurationArgument(seconds: SessionLifetime.defaultGrace)
    @Option(help: ArgumentHelp("Price table JSON (as for `labctl cost`); default: eu-west-1 list prices.", valueName: "file"))
    var prices: String?
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var scopes: [String]
        var accounted_for: Int
        var hourly_usd: Double
        var groups: [SweepOrphans.Group]
        var notes: [String]
    }

    func run() async throws {
        let context = try global.lab.openContext()
        let table = try prices.map { try PriceTable.load(from: URL(fileURLWithPath: $0)) } ?? .euWest1
        let outcome = try await SweepOrphans(context, prices: table)
            .run(grace: grace.seconds)
        let total = outcome.groups.map(\.hourly_usd).reduce(0, +)
        if json {
            try JSONOutput.print(Report(scopes: outcome.scopes, accounted_for: outcome.accountedFor, hourly_usd: total,
                                        groups: outcome.groups, notes: outcome.notes))
        } else {
            for note in outcome.notes { Terminal.note(note) }
            if !outcome.found {
                print("\(Terminal.green(Terminal.ok)) nothing left over in \(outcome.scopes.joined(separator: ", ")) (\(outcome.accountedFor) tagged resource(s), all accounted for)")
            }
            for g in outcome.groups {
                print("\(Terminal.red("✗")) session \(g.session): \(g.resources.count) resource(s), about \(SessionCost.usd(g.hourly_usd))/h")
                for r in g.resources {
                    let cost = r.hourly_usd.map { SessionCost.usd($0) + "/h" } ?? "not priced"
                    print("  \(r.kind) \(r.id) (\(r.reasons.map(\.rawValue).joined(separator: ", ")); \(cost))")
                    print("    \(r.delete_command)")
                }
            }
            if outcome.found { print("Total: about \(SessionCost.usd(total))/h. Check each before deleting it; `labctl reap` handles sessions Terraform still knows.") }
        }
        if outcome.found { throw LabFailure.silentNotOK }
    }
}
