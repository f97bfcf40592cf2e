import LabStore

/// Where the dashboard gets a session's cost estimate. The cost model is built
/// elsewhere (LabCore's cost model); until it is plugged in, the dashboard shows
/// the facts the store has (`StoreFactsCost`). Plug the real one into
/// `IntakeServer.Dependencies.cost`.
public protocol CostEstimating: Sendable {
    func summary(session: String, participants: Int, clusters: [ClusterRecord]) throws -> CostSummary
}

/// What the dashboard shows under "Cost estimate".
public struct CostSummary: Sendable, Encodable {
    /// Label and value pairs, in order (e.g. "instances" → "6").
    public var facts: [Fact]
    /// The estimate itself, when a cost model is configured (e.g. "$4.20/hour").
    public var estimate: String?
    public var note: String

    public struct Fact: Sendable, Encodable {
        public var label: String
        public var value: String
        public init(label: String, value: String) { self.label = label; self.value = value }
    }

    public init(facts: [Fact], estimate: String?, note: String) {
        self.facts = facts
        self.estimate = estimate
        self.note = note
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

/// The seam's default: counts from the store, no prices.
public struct StoreFactsCost: CostEstimating {
    public init() {}

    public func summary(session: String, participants: Int, clusters: [ClusterRecord]) throws -> CostSummary {
        let instances = clusters.reduce(0) { $0 + 1 + $1.workerInstanceIDs.count }
        return CostSummary(facts: [
            .init(label: "Participants", value: "\(participants)"),
            .init(label: "Clusters deployed", value: "\(clusters.count)"),
            .init(label: "Instances running (masters + workers)", value: "\(instances)"),
        ], estimate: nil, note: "No cost model is wired into the dashboard yet: these are the counts it will price.")
    }
}
