/// Estimates what a session costs to run: instances, gp3 root volumes and
/// public IPv4 addresses per participant cluster, per hour and per 8-hour day.
public struct CostEstimate: Equatable, Sendable, Codable {
    public struct Breakdown: Equatable, Sendable, Codable {
        public var instances: Double
        public var storage: Double
        public var publicIPv4: Double
        public var natGateways: Double
        public var total: Double { instances + storage + publicIPv4 + natGateways }

        enum CodingKeys: String, CodingKey { case instances, storage, publicIPv4 = "public_ipv4", natGateways = "nat_gateways" }
    }

    public var session: String
    public var participants: Int
    public var nodesPerCluster: Int
    /// USD per hour for one participant's cluster.
    public var perParticipantHour: Breakdown
    /// USD per hour for the whole session.
    public var perSessionHour: Breakdown
    /// The original tooling's estimate for comparison: instances plus two NAT gateways, nothing else.
    public var originalEstimateHour: Double
    /// Which CPU credit mode the estimate assumes (see `CPUCreditMode`).
    public var cpuCredits: CPUCreditMode

    enum CodingKeys: String, CodingKey {
        case session, participants, nodesPerCluster, perParticipantHour, perSessionHour, originalEstimateHour
        case cpuCredits = "cpu_credits"
    }
}

/// What the `cpu_credits` setting means for the bill of this session's instance types.
public struct CPUCreditMode: Equatable, Sendable, Codable {
    /// `standard` or `unlimited`, as configured.
    public var mode: String
    /// Whether any of the session's instance types is burstable (T family); if not, the mode does not apply.
    public var applies: Bool
    /// One line for people: what the estimate covers and what it cannot.
    public var note: String

    public static func of(mode: String, instanceTypes: [String]) -> CPUCreditMode {
        let burstable = instanceTypes.contains { $0.hasPrefix("t2.") || $0.hasPrefix("t3.") || $0.hasPrefix("t3a.") || $0.hasPrefix("t4g.") }
        let note: String
        switch (burstable, mode) {
        case (false, _): note = "cpu credits: not burstable instance types, the credit mode does not apply"
        case (true, "unlimited"): note = "cpu credits: unlimited — bursts above baseline are billed on top (surplus credits, not in this estimate)"
        default: note = "cpu credits: standard — a busy node is throttled to its baseline, no surplus charges; the estimate is the whole instance cost"
        }
        return CPUCreditMode(mode: mode, applies: burstable, note: note)
    }
}

public enum CostModel {
    public static let hoursPerMonth = 730.0

    public static func estimate(session: SessionConfig, participants: Int, rootVolumeGB: Int = 30,
                                prices: PriceTable) throws(CostError) -> CostEstimate {
        guard let master = prices.instances[session.masterInstanceType] else {
            throw .unknownInstanceType(session.masterInstanceType, region: prices.region)
        }
        guard let worker = prices.instances[session.workerInstanceType] else {
            throw .unknownInstanceType(session.workerInstanceType, region: prices.region)
        }
        let nodes = 1 + session.workerCount
        let cluster = CostEstimate.Breakdown(
            instances: master + Double(session.workerCount) * worker,
            storage: Double(nodes * rootVolumeGB) * prices.gp3GBMonth / hoursPerMonth,
            publicIPv4: Double(nodes) * prices.publicIPv4Hour,
            natGateways: 0)
        let n = Double(participants)
        let whole = CostEstimate.Breakdown(instances: cluster.instances * n, storage: cluster.storage * n,
                                           publicIPv4: cluster.publicIPv4 * n, natGateways: 0)
        return CostEstimate(session: session.sessionName, participants: participants, nodesPerCluster: nodes,
                            perParticipantHour: cluster, perSessionHour: whole,
                            originalEstimateHour: cluster.instances * n + 2 * prices.natGatewayHour,
                            cpuCredits: .of(mode: session.cpuCredits, instanceTypes: [session.masterInstanceType, session.workerInstanceType]))
    }
}

public enum CostError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownInstanceType(String, region: String)
    case unreadablePrices(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownInstanceType(t, region):
            return "no price for instance type \(t) in the \(region) price table; add it to a prices file (labctl cost --prices FILE, see docs/cost.md)."
        case let .unreadablePrices(path, reason):
            return "cannot read the price table \(path): \(reason). It is JSON: {region, instances: {type: usd_per_hour}, gp3_gb_month, public_ipv4_hour, nat_gateway_hour}."
        }
    }
}
