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
    /// Which CPU credit mode the estimate assumes and what it can add (see `CPUCreditMode`).
    public var cpuCredits: CPUCreditMode

    /// USD per hour for the whole session at worst: the estimate plus the most the
    /// credit mode can bill on top (every vCPU busy all hour). The AWS Budget counts this.
    public var worstCaseSessionHour: Double { perSessionHour.total + cpuCredits.maxSurplusPerSessionHour }

    enum CodingKeys: String, CodingKey {
        case session, participants, nodesPerCluster, perParticipantHour, perSessionHour, originalEstimateHour
        case cpuCredits = "cpu_credits"
    }
}

/// What the `cpu_credits` setting means for the bill of this session's instance types.
///
/// `unlimited` (the default): nodes bootstrap at full speed, and a node busy above its
/// baseline bills surplus credits on top of the on-demand price, at most every vCPU
/// beyond the baseline for every hour (`BurstableBaseline`) at `PriceTable.surplusVCPUHour`.
/// `standard`: never a surplus charge, but T3/T3a instances launch without credits, so
/// every node bootstraps at its baseline (a t3.small at 20 % of its two vCPUs).
public struct CPUCreditMode: Equatable, Sendable, Codable {
    /// `standard` or `unlimited`, as configured.
    public var mode: String
    /// Whether any of the session's instance types is burstable (T family); if not, the mode does not apply.
    public var applies: Bool
    /// USD per vCPU-hour of surplus credits (the price table's).
    public var surplusUSDPerVCPUHour: Double
    /// The most surplus credits can add per hour, for one participant's cluster and for
    /// the session; 0 unless the mode is `unlimited` and a type is burstable.
    public var maxSurplusPerParticipantHour: Double
    public var maxSurplusPerSessionHour: Double
    /// One line for people: the mode, what it does to the bootstrap, and what it can cost.
    public var note: String

    enum CodingKeys: String, CodingKey {
        case mode, applies, note
        case surplusUSDPerVCPUHour = "surplus_usd_per_vcpu_hour"
        case maxSurplusPerParticipantHour = "max_surplus_per_participant_hour"
        case maxSurplusPerSessionHour = "max_surplus_per_session_hour"
    }

    /// - Parameters:
    ///   - nodeTypes: the instance type of every node of one cluster (master first).
    ///   - participants: how many clusters the session has.
    public static func of(mode: String, nodeTypes: [String], participants: Int,
                          prices: PriceTable) throws(CostError) -> CPUCreditMode {
        var surplusVCPUHours = 0.0 // one cluster, every vCPU busy
        for type in nodeTypes where BurstableBaseline.isBurstable(type) {
            guard let b = BurstableBaseline.of(type) else { throw .unknownBurstableType(type) }
            surplusVCPUHours += b.maxSurplusVCPUHoursPerHour
        }
        let burstable = nodeTypes.contains(where: BurstableBaseline.isBurstable)
        let price = prices.surplusVCPUHour
        let cluster = surplusVCPUHours * price, session = cluster * Double(participants)
        let usd = { (v: Double) in String(format: "$%.2f", v) }
        let rate = "\(String(format: "$%.3g", price)) per vCPU-hour"
        let note: String
        switch (burstable, mode) {
        case (false, _):
            note = "cpu credits: not burstable instance types, the credit mode does not apply"
        case (true, "unlimited"):
            note = "cpu credits: unlimited — nodes bootstrap at full speed; CPU above the baseline bills surplus credits at \(rate), "
                + "at most \(usd(cluster))/h per cluster, \(usd(session))/h for the session (\(usd(session * 8)) per 8-hour day) "
                + "with every vCPU busy all the time; the AWS Budget counts that worst case"
        default:
            note = "cpu credits: standard — no surplus charges, but T3/T3a/T4g instances launch without credits: every node bootstraps "
                + "at its baseline (20 % of a t3.small's vCPUs), several times slower; \"unlimited\" would add at most "
                + "\(usd(session))/h for the session"
        }
        let billed = burstable && mode == "unlimited"
        return CPUCreditMode(mode: mode, applies: burstable, surplusUSDPerVCPUHour: price,
                             maxSurplusPerParticipantHour: billed ? cluster : 0, maxSurplusPerSessionHour: billed ? session : 0,
                             note: note)
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
                            cpuCredits: try .of(mode: session.cpuCredits,
                                                nodeTypes: [session.masterInstanceType] + Array(repeating: session.workerInstanceType, count: session.workerCount),
                                                participants: participants, prices: prices))
    }
}

public enum CostError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownInstanceType(String, region: String)
    case unknownBurstableType(String)
    case unreadablePrices(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownInstanceType(t, region):
            return "no price for instance type \(t) in the \(region) price table; add it to a prices file (labctl cost --prices FILE, see docs/cost.md)."
        case let .unknownBurstableType(t):
            return "no CPU baseline known for the burstable instance type \(t), so its worst-case surplus-credit cost is unknown; pick a T2/T3/T3a/T4g size from nano to 2xlarge, or a non-burstable type."
        case let .unreadablePrices(path, reason):
            return "cannot read the price table \(path): \(reason). It is JSON: {region, instances: {type: usd_per_hour}, gp3_gb_month, public_ipv4_hour, nat_gateway_hour, optional surplus_vcpu_hour}."
        }
    }
}
