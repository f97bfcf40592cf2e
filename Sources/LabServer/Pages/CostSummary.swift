import Foundation
import LabCore
import LabStore
import LabWorkflows

/// What the dashboard shows under "Cost estimate": the deployment's counts and
/// the cost model's estimate for the session (the same numbers as `labctl cost`).
public struct CostSummary: Sendable, Encodable {
    /// Label and value pairs, in order (e.g. "instances" → "6").
    public var facts: [Fact]
    /// The whole session per hour in US dollars (a number: scripts read it); nil when the
    /// session's settings cannot be priced.
    public var usd_per_hour: Double?
    public var note: String

    /// As the page shows it, e.g. "$0.34/hour".
    var estimate: String? { usd_per_hour.map { "\(SessionCost.usd($0))/hour" } }

    public struct Fact: Sendable, Encodable {
        public var label: String
        public var value: String
        public init(label: String, value: String) { self.label = label; self.value = value }
    }

    /// The counts from the registry and the estimate from `sessions/<session>.tfvars`.
    static func of(session: String, participants: Int, clusters: [ClusterRecord], files: LabFiles?, registry: Registry) -> CostSummary {
        let instances = clusters.reduce(0) { $0 + 1 + $1.workerInstanceIDs.count }
        var facts: [Fact] = [
            .init(label: "Participants", value: "\(participants)"),
            .init(label: "Clusters deployed", value: "\(clusters.count)"),
            .init(label: "Instances running (masters + workers)", value: "\(instances)"),
        ]
        guard let files else {
            return CostSummary(facts: facts, usd_per_hour: nil, note: "No lab directory is configured, so the session's settings cannot be priced.")
        }
        do {
            let e = try SessionCost.estimate(session, files: files, registry: registry, participants: participants)
            let usd = SessionCost.usd
            facts += [
                .init(label: "Nodes per cluster", value: "\(e.nodesPerCluster)"),
                .init(label: "Per participant and hour", value: usd(e.perParticipantHour.total)),
                .init(label: "8-hour day", value: usd(e.perSessionHour.total * 8)),
            ]
            return CostSummary(facts: facts, usd_per_hour: e.perSessionHour.total,
                               note: "On-demand prices (instances, gp3 storage, public IPv4); no NAT gateways; data transfer not included. \(e.cpuCredits.note). Same as `labctl cost \(session)`.")
        } catch {
            return CostSummary(facts: facts, usd_per_hour: nil, note: "No estimate: \(error)")
        }
    }

    func render() -> HTML {
        """
        <table id="cost">
        \(facts.map { f -> HTML in "<tr><th>\(f.label)</th><td>\(f.value)</td></tr>" })
        <tr><th>Estimate</th><td>\(estimate ?? "–")</td></tr>
        </table>
        <p class="muted">\(note)</p>
        """
    }
}
