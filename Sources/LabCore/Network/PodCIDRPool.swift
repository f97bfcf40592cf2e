/// Hands out one pod network per participant cluster from a pool of ranges
/// that never overlaps the VPC or Kubernetes' service range.
///
/// Each cluster gets a `/clusterPrefix` (default /21: 2,048 addresses, 32 of
/// Calico's /26 blocks, room for a 21-node cluster with blocks to spare), so
/// the default pool holds 4,608 clusters. Networks handed out earlier with
/// another prefix (the /16s of older registries) stay as they are: a new
/// network is free when it overlaps none of them (`PodNetworkUsage`).
public struct PodCIDRPool: Sendable {
    /// kubeadm's default service CIDR; pod networks must stay clear of it.
    public static let serviceCIDR = IPv4CIDR("10.96.0.0/12")!
    public static let defaultVPC = IPv4CIDR("10.0.0.0/16")!
    /// 10.112.0.0 … 10.255.255.255.
    public static let defaultRanges = [IPv4CIDR("10.112.0.0/12")!, IPv4CIDR("10.128.0.0/9")!]
    public static let defaultSpec = "10.112.0.0/12,10.128.0.0/9"
    public static let defaultClusterPrefix = 21
    /// /16 (the old size) to /21: a longer prefix has fewer than 21 nodes' worth of /26 blocks.
    public static let clusterPrefixes = 16...21
    /// The settings that shape the pool, named in every message about it.
    public static let poolSetting = "LABCTL_POD_CIDR_POOL"
    public static let prefixSetting = "LABCTL_POD_CIDR_PREFIX"

    public let ranges: [IPv4CIDR]
    public let clusterPrefix: Int
    /// Every network the pool can hand out, lowest first.
    public let candidates: [IPv4CIDR]

    /// - Parameters:
    ///   - spec: comma-separated CIDRs, each at most as long as `clusterPrefix`, e.g. `LABCTL_POD_CIDR_POOL`.
    ///   - clusterPrefix: the size of one cluster's network (`LABCTL_POD_CIDR_PREFIX`).
    public init(spec: String? = nil, vpc: IPv4CIDR = PodCIDRPool.defaultVPC,
                clusterPrefix: Int = PodCIDRPool.defaultClusterPrefix) throws(PoolError) {
        guard Self.clusterPrefixes.contains(clusterPrefix) else { throw .invalidPrefix(clusterPrefix) }
        var ranges: [IPv4CIDR] = []
        for item in (spec ?? Self.defaultSpec).split(separator: ",") {
            let text = item.trimmingSSHWhitespace()
            guard let cidr = IPv4CIDR(String(text)), cidr.prefix <= clusterPrefix else {
                throw .invalidRange(String(text), clusterPrefix: clusterPrefix)
            }
            for reserved in [Self.serviceCIDR, vpc] where cidr.overlaps(reserved) {
                throw .overlapsReserved(range: cidr.description, reserved: reserved.description)
            }
            ranges.append(cidr)
        }
        guard !ranges.isEmpty else { throw .invalidRange(spec ?? "", clusterPrefix: clusterPrefix) }
        self.ranges = ranges
        self.clusterPrefix = clusterPrefix
        candidates = Array(Set(ranges.flatMap { $0.subnets(prefix: clusterPrefix) })).sorted()
    }

    /// The pool as its setting spells it (`10.112.0.0/12,10.128.0.0/9`).
    public var spec: String { ranges.map(\.description).joined(separator: ",") }

    /// The error for "nothing left", naming this pool.
    public var exhausted: PoolError { .exhausted(size: candidates.count, pool: spec, clusterPrefix: clusterPrefix) }

    /// The lowest network that overlaps nothing in `used` (networks of any size).
    public func allocate(used: Set<String>) throws(PoolError) -> String {
        let usage = PodNetworkUsage(used.compactMap(IPv4CIDR.init))
        guard let free = candidates.first(where: { !usage.overlaps($0) }) else { throw exhausted }
        return free.description
    }

    /// How many networks are still free next to `usage`.
    public func freeCount(_ usage: PodNetworkUsage) -> Int {
        candidates.reduce(0) { $0 + (usage.overlaps($1) ? 0 : 1) }
    }
}

/// Why a pod network could not be configured or handed out.
public enum PoolError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidRange(String, clusterPrefix: Int)
    case invalidPrefix(Int)
    case overlapsReserved(range: String, reserved: String)
    case exhausted(size: Int, pool: String, clusterPrefix: Int)

    public var isExhausted: Bool {
        if case .exhausted = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .invalidRange(let s, let prefix):
            return "pod CIDR pool: '\(s)' is not an IPv4 CIDR of /\(prefix) or larger (the cluster size, \(PodCIDRPool.prefixSetting)); set \(PodCIDRPool.poolSetting) like \(PodCIDRPool.defaultSpec)."
        case .invalidPrefix(let prefix):
            return "pod CIDR prefix /\(prefix) is outside /\(PodCIDRPool.clusterPrefixes.lowerBound)–/\(PodCIDRPool.clusterPrefixes.upperBound): a cluster needs one /26 Calico block per node for up to 21 nodes. Set \(PodCIDRPool.prefixSetting) to a number in that range (default \(PodCIDRPool.defaultClusterPrefix))."
        case .overlapsReserved(let range, let reserved):
            return "pod CIDR pool: \(range) overlaps \(reserved) (the VPC or the Kubernetes service range); choose ranges outside it in \(PodCIDRPool.poolSetting)."
        case .exhausted(let size, let pool, let prefix):
            return "pod CIDR pool exhausted: all \(size) /\(prefix) networks of \(pool) are in use by participants of the sessions sharing this VPC. Remove finished sessions (labctl keys remove / destroy), widen \(PodCIDRPool.poolSetting), or give each cluster a smaller network with a longer \(PodCIDRPool.prefixSetting) (at most /\(PodCIDRPool.clusterPrefixes.upperBound))."
        }
    }
}
