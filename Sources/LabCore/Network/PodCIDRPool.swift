/// Hands out one pod network per participant cluster from a pool of /16s
/// that never overlaps the VPC or Kubernetes' service range.
public struct PodCIDRPool: Sendable {
    /// kubeadm's default service CIDR; pod networks must stay clear of it.
    public static let serviceCIDR = IPv4CIDR("10.96.0.0/12")!
    public static let defaultVPC = IPv4CIDR("10.0.0.0/16")!
    /// 10.112.0.0/16 … 10.255.0.0/16.
    public static let defaultRanges = [IPv4CIDR("10.112.0.0/12")!, IPv4CIDR("10.128.0.0/9")!]
    public static let defaultSpec = "10.112.0.0/12,10.128.0.0/9"
    public static let clusterPrefix = 16

    public let candidates: [IPv4CIDR]

    /// - Parameter spec: comma-separated CIDRs (each /16 or larger), e.g. `LABCTL_POD_CIDR_POOL`.
    public init(spec: String? = nil, vpc: IPv4CIDR = PodCIDRPool.defaultVPC) throws(PoolError) {
        var ranges: [IPv4CIDR] = []
        for item in (spec ?? Self.defaultSpec).split(separator: ",") {
            let text = item.trimmingSSHWhitespace()
            guard let cidr = IPv4CIDR(String(text)), cidr.prefix <= Self.clusterPrefix else {
                throw .invalidRange(String(text))
            }
            for reserved in [Self.serviceCIDR, vpc] where cidr.overlaps(reserved) {
                throw .overlapsReserved(range: cidr.description, reserved: reserved.description)
            }
            ranges.append(cidr)
        }
        guard !ranges.isEmpty else { throw .invalidRange(spec ?? "") }
        candidates = Array(Set(ranges.flatMap { $0.subnets(prefix: Self.clusterPrefix) })).sorted()
    }

    /// The lowest network not in `used`.
    public func allocate(used: Set<String>) throws(PoolError) -> String {
        guard let free = candidates.first(where: { !used.contains($0.description) }) else {
            throw .exhausted(size: candidates.count)
        }
        return free.description
    }
}

/// Why a pod network could not be configured or handed out.
public enum PoolError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidRange(String)
    case overlapsReserved(range: String, reserved: String)
    case exhausted(size: Int)

    public var description: String {
        switch self {
        case .invalidRange(let s):
            return "pod CIDR pool: '\(s)' is not an IPv4 CIDR of /16 or larger; set LABCTL_POD_CIDR_POOL like \(PodCIDRPool.defaultSpec)."
        case .overlapsReserved(let range, let reserved):
            return "pod CIDR pool: \(range) overlaps \(reserved) (the VPC or the Kubernetes service range); choose ranges outside it in LABCTL_POD_CIDR_POOL."
        case .exhausted(let size):
            return "pod CIDR pool exhausted: all \(size) networks are in use by participants of the sessions sharing this VPC. Remove finished sessions (labctl keys remove / destroy) or widen LABCTL_POD_CIDR_POOL."
        }
    }
}
